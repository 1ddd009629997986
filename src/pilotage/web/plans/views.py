"""Budget and target pages. Financial figures: never shown to agency members (403)."""

from __future__ import annotations

from babel.dates import get_month_names
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, to_locale
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilotage.web.plans import services, xlsx
from pilotage.web.plans.forms import BudgetForm, TargetForm, UploadForm
from pilotage.web.plans.models import Budget, BudgetStatus, KpiTarget
from pilotage.web.workspaces.access import workspace_view
from pilotage.web.workspaces.models import EDITOR_ROLES, Role

MEASURES = {
    "planned": gettext_lazy("Planned"),
    "committed": gettext_lazy("Committed"),
    "actual": gettext_lazy("Actual"),
    "available": gettext_lazy("Available"),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _budget(request: HttpRequest, pk: int) -> Budget:
    return get_object_or_404(Budget, pk=pk, workspace=request.workspace)


def _back(budget: Budget) -> HttpResponse:
    url = reverse("budget", args=[budget.workspace.slug])
    return redirect(f"{url}?version={budget.pk}")


def _chosen(budgets: list[Budget], version: str | None) -> Budget | None:
    """The version asked for, else the latest year's baseline, else the latest version."""
    if version:
        match = next((b for b in budgets if str(b.pk) == version), None)
        if match is None:
            raise Http404("No such budget version")
        return match
    if not budgets:
        return None
    latest = [b for b in budgets if b.year == budgets[0].year]
    return next((b for b in latest if b.status == BudgetStatus.BASELINE), latest[0])


def _budget_page(
    request: HttpRequest, version: str | None, status: int = 200, **extra
) -> HttpResponse:
    budgets = services.budgets_of(request.workspace)
    chosen = _chosen(budgets, version)
    measure = request.GET.get("measure")
    measure = measure if measure in MEASURES else "planned"
    months = get_month_names("abbreviated", locale=to_locale(get_language() or "en"))
    context = {
        "budgets": budgets,
        "budget": chosen,
        "measure": measure,
        "measures": list(MEASURES.items()),
        "months": [months[m] for m in range(1, 13)],
        "table": services.budget_totals(chosen).table(measure) if chosen else None,
        "create_form": BudgetForm(),
        "upload_form": UploadForm(),
        "is_owner": request.membership.role == Role.OWNER,
    }
    context.update(extra)
    return render(request, "plans/budget.html", context, status=status)


@workspace_view(financials=True)
def budget(request: HttpRequest) -> HttpResponse:
    """The workspace's budget versions and the chosen version's grid, month × channel."""
    return _budget_page(request, request.GET.get("version"))


@workspace_view(*EDITOR_ROLES)
@require_POST
def budget_create(request: HttpRequest) -> HttpResponse:
    form = BudgetForm(request.POST)
    if form.is_valid():
        try:
            created = services.create_budget(
                request.workspace,
                form.cleaned_data["year"],
                form.cleaned_data["name"],
                actor=request.user,
            )
            return _back(created)
        except ValidationError as error:
            form.add_error(None, error)
    return _budget_page(request, None, status=400, create_form=form)


@workspace_view(financials=True)
def budget_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The version as the XLSX budget template (docs/budget-template.md)."""
    chosen = _budget(request, pk)
    response = HttpResponse(xlsx.export_budget(chosen), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{xlsx.export_filename(chosen)}"'
    return response


@workspace_view(*EDITOR_ROLES)
@require_POST
def budget_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace the version's lines with an uploaded template: all or nothing."""
    chosen = _budget(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            change = xlsx.import_budget(chosen, upload.name, upload.read(), actor=request.user)
        except xlsx.BudgetFileError as error:
            problems = [str(p) for p in error.problems]
            return _budget_page(request, str(pk), 400, upload_form=form, problems=problems)
        messages.success(request, _import_message(change))
        return _back(chosen)
    return _budget_page(request, str(pk), status=400, upload_form=form)


def _import_message(change: services.LinesChange) -> str:
    if not change.changed:
        return _("The file matches this version already: nothing changed.")
    return _("Imported: %(created)d lines added, %(updated)d changed, %(deleted)d removed.") % {
        "created": change.created,
        "updated": change.updated,
        "deleted": change.deleted,
    }


@workspace_view(Role.OWNER)
@require_POST
def budget_approve(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = _budget(request, pk)
    try:
        services.approve(chosen, actor=request.user)
    except services.BudgetError as error:
        messages.error(request, str(error))
    return _back(chosen)


@workspace_view(Role.OWNER)
@require_POST
def budget_baseline(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = _budget(request, pk)
    try:
        services.make_baseline(chosen, actor=request.user)
    except services.BudgetError as error:
        messages.error(request, str(error))
    return _back(chosen)


def _targets_page(request: HttpRequest, form: TargetForm, status: int = 200) -> HttpResponse:
    context = {"targets": request.workspace.targets.all(), "form": form}
    return render(request, "plans/targets.html", context, status=status)


@workspace_view(financials=True)
def targets(request: HttpRequest) -> HttpResponse:
    """The workspace's KPI targets; owners and managers add them here."""
    return _targets_page(request, TargetForm())


@workspace_view(*EDITOR_ROLES)
@require_POST
def target_add(request: HttpRequest) -> HttpResponse:
    """Set a target, replacing the value of the same KPI, period and split."""
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            services.set_target(request.workspace, **form.cleaned_data, actor=request.user)
            return redirect("targets", request.workspace.slug)
        except ValidationError as error:
            form.add_error(None, error)
    return _targets_page(request, form, status=400)


@workspace_view(*EDITOR_ROLES)
@require_POST
def target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(KpiTarget, pk=pk, workspace=request.workspace)
    services.delete_target(target, actor=request.user)
    return redirect("targets", request.workspace.slug)
