"""Views over the whole plan: the Gantt timeline, owner load, money, projects and partners."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilotage.web.actions import services
from pilotage.web.actions.forms import PartnerForm, ProjectForm
from pilotage.web.actions.models import Partner, Project, Status
from pilotage.web.plans.models import Budget, BudgetStatus, Pole
from pilotage.web.workspaces.access import workspace_view
from pilotage.web.workspaces.models import EDITOR_ROLES

GROUPS = ("pole", "owner", "channel")


@workspace_view()
def gantt(request: HttpRequest) -> HttpResponse:
    """The plan on a timeline, coloured by pole, owner or channel, with milestones."""
    by = request.GET.get("by") if request.GET.get("by") in GROUPS else "pole"
    actions = list(
        services.visible_to(request.membership)
        .exclude(status=Status.CANCELLED)
        .prefetch_related("milestones", "depends_on")
    )
    spec = services.timeline(actions, by) if any(a.start and a.end for a in actions) else None
    context = {
        "spec": spec,
        "by": by,
        "groups": [("pole", _("Pole")), ("owner", _("Owner")), ("channel", _("Channel"))],
        "undated": [a for a in actions if not (a.start and a.end)],
        "late": services.dependency_problems(actions),
    }
    return render(request, "actions/gantt.html", context)


@workspace_view(*EDITOR_ROLES, "viewer")
def owner_load(request: HttpRequest) -> HttpResponse:
    """Week by week, who carries more than a full week of work."""
    actions = list(services.visible_to(request.membership).exclude(status=Status.DONE))
    weeks = services.owner_loads(actions)
    overloaded = [w for w in weeks if w["overloaded"]]
    return render(request, "actions/load.html", {"weeks": weeks, "overloaded": overloaded})


@workspace_view(financials=True)
def money(request: HttpRequest) -> HttpResponse:
    """Planned / committed / actual / available per action, pole and channel."""
    actions = list(services.visible_to(request.membership))
    rolled = services.money_rollup(actions)
    titles = {a.pk: a.title for a in actions}
    poles = dict(Pole.choices)
    language = services.language()
    tables = [
        (_("By action"), [(titles[line.actions[0]], line) for line in rolled.actions], "action"),
        (_("By pole"), [(poles.get(k, k or "—"), v) for k, v in rolled.by_pole.items()], "pole"),
        (_("By channel"), [(k or "—", v) for k, v in rolled.by_channel.items()], "channel"),
    ]
    drafts = Budget.objects.filter(workspace=request.workspace, status=BudgetStatus.DRAFT)
    context = {
        "tables": tables,
        "total": rolled.total,
        "warnings": [w.message(language) for w in rolled.warnings if w.level != "pole_channel"],
        "drafts": drafts,
        "may_edit": services.may_edit(request.membership),
    }
    return render(request, "actions/money.html", context)


@require_POST
@workspace_view(*EDITOR_ROLES, financials=True)
def money_to_budget(request: HttpRequest) -> HttpResponse:
    """Write the actions' planned, committed and actual amounts into a draft budget version."""
    budget = get_object_or_404(
        Budget, pk=request.POST.get("budget"), workspace=request.workspace, status="draft"
    )
    count = services.fill_budget(budget, request.user)
    messages.success(
        request,
        _("%(count)s budget lines of “%(budget)s” now hold the action plan's amounts.")
        % {"count": count, "budget": budget},
    )
    return redirect(f"/w/{request.workspace.slug}/budget/?version={budget.pk}")


@workspace_view(*EDITOR_ROLES, "viewer", financials=True)
def projects(request: HttpRequest) -> HttpResponse:
    rows = [
        (p, services.project_display(p))
        for p in Project.objects.filter(workspace=request.workspace)
    ]
    return render(
        request,
        "actions/projects.html",
        {
            "rows": rows,
            "may_edit": services.may_edit(request.membership),
            "language": services.language(),
        },
    )


@workspace_view(*EDITOR_ROLES)
def project_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk, workspace=request.workspace) if pk else None
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        form.instance.workspace = request.workspace
        services.save_object(form, request.user, request.workspace)
        return redirect("projects", request.workspace.slug)
    return render(request, "actions/project_form.html", {"form": form, "project": project})


@workspace_view(*EDITOR_ROLES)
def partners(request: HttpRequest) -> HttpResponse:
    form = PartnerForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        form.instance.workspace = request.workspace
        services.save_object(form, request.user, request.workspace)
        return redirect("partners", request.workspace.slug)
    listed = Partner.objects.filter(workspace=request.workspace).select_related("account")
    return render(request, "actions/partners.html", {"form": form, "partners": listed})
