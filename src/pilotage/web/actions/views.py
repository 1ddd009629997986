"""The action plan: list, form, detail, status changes, milestones and money of one action.

Owners and managers edit; viewers read; an agency member sees only the actions assigned to
them (others are 404) and may change their status.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilotage.execution import qqoqccp
from pilotage.web.actions import services
from pilotage.web.actions.brief import answers_text
from pilotage.web.actions.forms import (
    ActionForm,
    MilestoneForm,
    MoneyForm,
    RetroPlanForm,
    StatusForm,
)
from pilotage.web.actions.models import Action, Milestone, Status
from pilotage.web.plans.models import Pole
from pilotage.web.workspaces.access import workspace_view
from pilotage.web.workspaces.models import EDITOR_ROLES


def _action(request: HttpRequest, pk: int) -> Action:
    action = services.visible_to(request.membership).filter(pk=pk).first()
    if action is None:
        raise Http404("No such action")
    return action


def _filtered(request: HttpRequest):
    actions = services.visible_to(request.membership)
    status, pole = request.GET.get("status"), request.GET.get("pole")
    if status in Status.values:
        actions = actions.filter(status=status)
    if pole in Pole.values:
        actions = actions.filter(pole=pole)
    return actions


@workspace_view()
def action_list(request: HttpRequest) -> HttpResponse:
    """Every action with its status and the QQOQCCP letters it still misses."""
    rows = [(a, services.missing(a)) for a in _filtered(request).prefetch_related("depends_on")]
    context = {
        "rows": rows,
        "statuses": Status.choices,
        "poles": Pole.choices,
        "status": request.GET.get("status", ""),
        "pole": request.GET.get("pole", ""),
        "may_edit": services.may_edit(request.membership),
        "language": services.language(),
    }
    return render(request, "actions/list.html", context)


@workspace_view(*EDITOR_ROLES)
def action_new(request: HttpRequest) -> HttpResponse:
    form = ActionForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        form.instance.workspace = request.workspace
        action = services.save(form.save(commit=False), request.user)
        form.save_m2m()
        return redirect("action", request.workspace.slug, action.pk)
    return render(request, "actions/form.html", {"form": form})


@workspace_view(*EDITOR_ROLES)
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    before = services.snapshot(action)
    form = ActionForm(request.POST or None, instance=action, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        services.save(form.save(commit=False), request.user, before)
        form.save_m2m()
        return redirect("action", request.workspace.slug, action.pk)
    return render(request, "actions/form.html", {"form": form, "action": action})


@workspace_view()
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    rolled = services.money_rollup([action]) if request.membership.sees_financials else None
    language = services.language()
    text = answers_text(action)
    context = {
        "action": action,
        "missing": [
            services.letter_message(letter, action.workspace) for letter in services.missing(action)
        ],
        "letters": [
            {
                "name": letter.name,
                "question": letter.question(language),
                "answer": text[letter.code],
            }
            for letter in qqoqccp.LETTERS
        ],
        "milestones": action.milestones.all(),
        "money": action.money.all() if rolled else None,
        "rolled": rolled.actions[0] if rolled and rolled.actions else None,
        "rolled_warnings": [w.message(language) for w in rolled.warnings] if rolled else [],
        "status_form": StatusForm(initial={"status": action.status}),
        "retro_form": RetroPlanForm(initial={"deadline": action.end}),
        "milestone_form": MilestoneForm(),
        "money_form": MoneyForm(action=action),
        "may_edit": services.may_edit(request.membership),
    }
    return render(request, "actions/detail.html", context)


@require_POST
@workspace_view()
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the status (editors, or the agency member the action is assigned to)."""
    action = _action(request, pk)  # agency members only reach their own actions
    if request.membership.role not in (*EDITOR_ROLES, "agency"):
        raise PermissionDenied
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_status(action, form.cleaned_data["status"], request.user)
            messages.success(request, _("Status changed."))
        except ValidationError as refused:
            for message in refused.messages:
                messages.error(request, message)
    return redirect("action", request.workspace.slug, action.pk)


@require_POST
@workspace_view(*EDITOR_ROLES)
def action_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.delete(_action(request, pk), request.user)
    messages.success(request, _("Action deleted."))
    return redirect("actions", request.workspace.slug)


@require_POST
@workspace_view(*EDITOR_ROLES)
def action_retroplan(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan the template's milestones back from a deadline (hand-set dates are kept)."""
    action = _action(request, pk)
    form = RetroPlanForm(request.POST)
    if form.is_valid():
        services.retro_plan(
            action,
            form.cleaned_data["template"],
            form.cleaned_data["deadline"],
            request.user,
            business_days=form.cleaned_data["business_days"],
        )
    else:
        messages.error(request, _("Choose a template and a deadline."))
    return redirect("action", request.workspace.slug, action.pk)


@require_POST
@workspace_view(*EDITOR_ROLES)
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        Milestone.objects.create(action=action, pinned=True, **form.cleaned_data)
    return redirect("action", request.workspace.slug, action.pk)


@require_POST
@workspace_view(*EDITOR_ROLES)
def milestone_update(request: HttpRequest, pk: int, milestone: int) -> HttpResponse:
    """Mark a milestone done or not, or move it (a moved date is kept when re-planning)."""
    action = _action(request, pk)
    step = action.milestones.filter(pk=milestone).first()
    if step is None:
        raise Http404("No such milestone")
    form = MilestoneForm({"name": step.name, "due": request.POST.get("due") or step.due})
    if form.is_valid() and form.cleaned_data["due"] != step.due:
        step.due, step.pinned = form.cleaned_data["due"], True
    if "done" in request.POST:
        step.done = request.POST["done"] == "1"
    step.save()
    return redirect("action", request.workspace.slug, action.pk)


@require_POST
@workspace_view(*EDITOR_ROLES, financials=True)
def money_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a purchase order (committed) or an invoice (actual) of the action."""
    action = _action(request, pk)
    form = MoneyForm(request.POST, action=action)
    if form.is_valid():
        services.add_money(action, form.save(commit=False), request.user)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("action", request.workspace.slug, action.pk)
