"""Action plan services: rows ↔ the plain objects of ``pilotage.execution``, and saves.

Views call these; every change is written to the audit trail.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language, gettext

from pilotage.execution import load as owner_load
from pilotage.execution import money, qqoqccp, retroplanning, triptych
from pilotage.web.actions.models import Action, Milestone, MoneyEntry, MoneyKind, Project, Status
from pilotage.web.strategy.models import Objective
from pilotage.web.workspaces.models import AuditAction, Membership, Role, Workspace
from pilotage.web.workspaces.services import record

AUDITED_FIELDS = (
    "title",
    "status",
    "priority",
    "owner_id",
    "partner_id",
    "pole",
    "deliverable",
    "channel",
    "market",
    "start",
    "end",
    "approach",
    "budget",
    "objective_id",
    "reason",
    "project_id",
    "effort",
)


def language() -> str:
    return "fr" if (get_language() or "en").startswith("fr") else "en"


def visible_to(membership: Membership) -> QuerySet[Action]:
    """All the workspace's actions; an agency member sees only those assigned to them."""
    actions = Action.objects.filter(workspace=membership.workspace)
    if membership.role == Role.AGENCY:
        actions = actions.filter(Q(owner=membership.user) | Q(partner__account=membership.user))
    # whether the company has objectives (what answers Pourquoi) comes with each row, so a
    # list does not ask it once per action
    has = Exists(Objective.objects.filter(workspace=OuterRef("workspace")))
    return actions.select_related("owner", "partner", "objective", "project", "workspace").annotate(
        workspace_has_objectives=has
    )


def may_edit(membership: Membership) -> bool:
    return membership.role in (Role.OWNER, Role.MANAGER)


def needs_objective(workspace: Workspace | None) -> bool:
    """Once a company has objectives, *Pourquoi* is answered by linking one of them: a reason
    written out answers it only while the strategy pages hold no objective yet."""
    if workspace is None:
        return False
    if not hasattr(workspace, "_has_objectives"):  # asked once per loaded workspace
        workspace._has_objectives = Objective.objects.filter(workspace=workspace).exists()
    return workspace._has_objectives


def letter_message(letter: qqoqccp.Letter, workspace: Workspace | None) -> str:
    """What a missing letter asks for, in the UI language."""
    if letter.code == "pourquoi" and needs_objective(workspace):
        return gettext(
            "Pourquoi — which objective does it serve? Link one of the company's objectives."
        )
    return letter.message(language())


def answers(
    workspace: Workspace | None = None, *, strict: bool | None = None, **fields: Any
) -> qqoqccp.ActionAnswers:
    """The QQOQCCP answers of an action's fields (model objects become plain values).

    ``strict``: whether only an objective answers Pourquoi (asked of ``workspace`` if None).
    """
    owner = fields.get("owner")
    objective = fields.get("objective")
    if needs_objective(workspace) if strict is None else strict:
        fields["reason"] = None
    return qqoqccp.ActionAnswers(
        owner=str(owner) if owner else None,
        pole=fields.get("pole") or None,
        deliverable=fields.get("deliverable") or None,
        channel=fields.get("channel") or None,
        market=fields.get("market") or None,
        start=fields.get("start"),
        end=fields.get("end"),
        approach=fields.get("approach") or None,
        budget=fields.get("budget"),
        objective_id=getattr(objective, "pk", objective),
        reason=fields.get("reason") or None,
    )


def answers_of(action: Action) -> qqoqccp.ActionAnswers:
    return answers(
        action.workspace,
        strict=getattr(action, "workspace_has_objectives", None),
        owner=action.owner or action.partner,
        **{name: getattr(action, name) for name in QQOQCCP_FIELDS},
    )


# the model fields that answer the letters (Qui also reads owner / partner)
QQOQCCP_FIELDS = (
    "pole",
    "deliverable",
    "channel",
    "market",
    "start",
    "end",
    "approach",
    "budget",
    "objective",
    "reason",
)


def problem_message(problem: qqoqccp.Problem, workspace: Workspace | None) -> str:
    if problem.letter:
        return letter_message(qqoqccp.letter(problem.letter), workspace)
    return problem.message(language())


def missing(action: Action) -> list[qqoqccp.Letter]:
    return qqoqccp.missing_letters(answers_of(action))


def snapshot(action: Action) -> dict[str, str]:
    """The audited fields as text: what ``save`` compares to record a change."""
    return {name: str(getattr(action, name)) for name in AUDITED_FIELDS}


@transaction.atomic
def save(action: Action, actor: AbstractBaseUser, before: dict[str, str] | None = None) -> Action:
    """Create or update an action, and record what changed."""
    created = action.pk is None
    if created:
        action.created_by = actor
    action.updated_at = timezone.now()
    action.full_clean(exclude=["depends_on"])
    action.save()
    after = snapshot(action)
    changes = {
        name: [before.get(name), value]
        for name, value in after.items()
        if before is not None and before.get(name) != value
    }
    if created:
        record(action.workspace, actor, AuditAction.CREATE, action)
    elif changes:
        record(action.workspace, actor, AuditAction.UPDATE, action, changes)
    return action


@transaction.atomic
def change_status(action: Action, status: str, actor: AbstractBaseUser) -> Action:
    """Move an action along the workflow; refused (ValidationError) when QQOQCCP is incomplete."""
    problems = qqoqccp.check_transition(action.status, status, answers_of(action))
    if problems:
        raise ValidationError([problem_message(p, action.workspace) for p in problems])
    before = snapshot(action)
    action.status = status
    return save(action, actor, before)


@transaction.atomic
def delete(action: Action, actor: AbstractBaseUser) -> None:
    record(action.workspace, actor, AuditAction.DELETE, action)
    action.delete()


# -- retro-planning -----------------------------------------------------------------------


def templates() -> dict[str, retroplanning.Template]:
    return retroplanning.TEMPLATES


@transaction.atomic
def retro_plan(
    action: Action,
    template_key: str,
    deadline: dt.date,
    actor: AbstractBaseUser,
    *,
    business_days: bool = False,
) -> list[Milestone]:
    """Replace the action's template milestones by those planned back from ``deadline``.

    Milestones whose date was set by hand (``pinned``) are kept as they are.
    """
    template = retroplanning.TEMPLATES[template_key]
    steps = {step.key for step in template.steps}
    pinned = {
        m.template_step: m.due
        for m in action.milestones.filter(pinned=True)
        if m.template_step in steps
    }
    # steps run from a year before the deadline to a few weeks after it (J+7 follow-ups)
    holidays = action.workspace.public_holidays(range(deadline.year - 1, deadline.year + 2))
    plans = retroplanning.plan_backwards(
        template, deadline, business_days=business_days, holidays=holidays, pinned=pinned
    )
    action.milestones.filter(pinned=False).exclude(template_step="").delete()
    kept = set(pinned)
    created = [
        Milestone.objects.create(
            action=action,
            name=plan.name(language()),
            due=plan.due,
            template_step=plan.key,
        )
        for plan in plans
        if plan.key not in kept
    ]
    record(
        action.workspace,
        actor,
        AuditAction.UPDATE,
        action,
        {"retro_planning": [template_key, deadline.isoformat()]},
    )
    return created


def dependency_problems(actions: list[Action]) -> list[tuple[Action, Action]]:
    """Pairs (action, prerequisite) where the action starts before its prerequisite ends."""
    late = []
    for action in actions:
        for before in action.depends_on.all():
            if action.start and before.end and action.start < before.end:
                late.append((action, before))
    return late


# -- load ----------------------------------------------------------------------------------


def owner_loads(actions: list[Action]) -> list[dict]:
    """Every owner's load week by week (``pilotage.execution.load``), with action titles.

    A member's capacity is one full-time week a week; a partner's is its ``capacity``.
    """
    titles = {a.pk: a.title for a in actions}
    capacity = {a.partner.name: a.partner.capacity for a in actions if a.partner_id}
    items = [
        owner_load.Assignment(
            action_id=a.pk, owner=owner_name(a), start=a.start, end=a.end, effort=a.effort
        )
        for a in actions
        if a.start and a.end and (a.owner_id or a.partner_id) and a.status != Status.CANCELLED
    ]
    return [
        {
            "owner": week.owner,
            "week": week.label,
            "week_start": week.monday,
            "load": week.load,
            "capacity": week.capacity,
            "overloaded": week.overloaded,
            "titles": [titles[i] for i in week.actions],
        }
        for week in owner_load.weekly_load(items, capacity=capacity)
    ]


def owner_name(action: Action) -> str:
    if action.partner_id:
        return action.partner.name
    if action.owner_id:
        return action.owner.get_full_name() or action.owner.get_username()
    return ""


# -- money ---------------------------------------------------------------------------------


def money_lines(actions: list[Action]) -> list[money.ActionMoney]:
    entries: dict[int, list[MoneyEntry]] = {}
    for entry in MoneyEntry.objects.filter(action__in=actions):
        entries.setdefault(entry.action_id, []).append(entry)
    return [
        money.ActionMoney(
            action_id=a.pk,
            pole=a.pole or "",
            channel=a.channel or "",
            planned=a.budget or Decimal("0.00"),
            title=a.title,
            commitments=[
                money.Commitment(ref=str(e.pk), amount=e.amount)
                for e in entries.get(a.pk, [])
                if e.kind == MoneyKind.COMMITMENT
            ],
            invoices=[
                money.Invoice(
                    ref=str(e.pk),
                    amount=e.amount,
                    settles=str(e.settles_id) if e.settles_id else None,
                )
                for e in entries.get(a.pk, [])
                if e.kind == MoneyKind.INVOICE
            ],
        )
        for a in actions
        if a.status != Status.CANCELLED
    ]


@transaction.atomic
def add_money(action: Action, entry: MoneyEntry, actor: AbstractBaseUser) -> MoneyEntry:
    entry.action = action
    entry.full_clean()
    entry.save()
    record(action.workspace, actor, AuditAction.CREATE, entry, {"action": [None, str(action)]})
    return entry


def money_rollup(actions: list[Action]) -> money.Rollup:
    return money.roll_up(money_lines(actions))


def other_costs(workspace: Workspace) -> Any:
    """The workspace's non-media marketing costs for the metrics layer: the invoices of its
    actions (not cancelled) that are not media already in the imported spend, by the action's
    channel (``Other`` when it has none) and the invoice's date, in the workspace currency."""
    import pyarrow as pa

    invoices = (
        MoneyEntry.objects.filter(
            action__workspace=workspace, kind=MoneyKind.INVOICE, in_spend_data=False
        )
        .exclude(action__status=Status.CANCELLED)
        .values_list("date", "action__channel", "amount")
    )
    rows = list(invoices)
    return pa.table(
        {
            "date": pa.array([r[0] for r in rows], pa.date32()),
            "channel": pa.array([r[1] or "Other" for r in rows], pa.string()),
            "cost": pa.array([float(r[2]) for r in rows], pa.float64()),
            "currency": pa.array([workspace.currency] * len(rows), pa.string()),
        }
    )


# -- projects ------------------------------------------------------------------------------


def project_status(project: Project, today: dt.date | None = None) -> triptych.ProjectStatus:
    actions = list(project.actions.exclude(status=Status.CANCELLED))
    rolled = money_rollup(actions)
    criteria = project.acceptance_criteria or []
    return triptych.assess(
        triptych.ProjectFacts(
            budget=project.budget,
            cost=rolled.total.actual + rolled.total.committed,
            planned_end=project.planned_end,
            forecast_end=project.forecast_end or project.planned_end,
            criteria_total=len(criteria),
            criteria_met=sum(1 for c in criteria if c.get("met")),
            satisfaction=project.satisfaction,
        )
    )


def project_display(project: Project) -> dict:
    """The triptych of a project as the page shows it: colour, label and rule per dimension."""
    status, lang = project_status(project), language()
    parts = [
        {"rag": a.rating.code, "rag_label": a.rating.label(lang), "rule": a.sentence(lang)}
        for a in (status.cost, status.delay, status.quality)
    ]
    return {
        "parts": parts,
        "overall": status.overall.rating.code,
        "overall_label": status.overall.rating.label(lang),
        "overall_rule": status.overall.sentence(lang),
    }


# -- imports -------------------------------------------------------------------------------


def import_tools() -> list[str]:
    from pilotage.execution import task_imports  # loads the importers: only when asked

    return list(task_imports.TOOLS)


# -- the timeline --------------------------------------------------------------------------


def timeline(actions: list[Action], by: str) -> dict:
    """The Vega-Lite Gantt of the dated actions, coloured by pole, owner or channel."""
    from django.utils.translation import gettext as _

    from pilotage import charts
    from pilotage.web.plans.models import Pole

    poles = dict(Pole.choices)
    dated = [a for a in actions if a.start and a.end]
    label = {a.pk: f"{a.title} · #{a.pk}" for a in dated}

    def group(action: Action) -> str:
        if by == "owner":
            return owner_name(action) or _("Nobody yet")
        if by == "channel":
            return action.channel or _("No channel yet")
        return str(poles.get(action.pole, _("No pole yet")))

    bars = [
        {
            "id": a.pk,
            "action": label[a.pk],
            "group": group(a),
            "start": a.start.isoformat(),
            # a bar covers its last day
            "end": (a.end + dt.timedelta(days=1)).isoformat(),
            "status": a.status,
            "owner": owner_name(a),
        }
        for a in dated
    ]
    milestones = [
        {"action": label[a.pk], "due": m.due.isoformat(), "name": m.name}
        for a in dated
        for m in a.milestones.all()
    ]
    links = [
        {
            "action": label[a.pk],
            "from": before.end.isoformat(),
            "to": a.start.isoformat(),
            "after": before.title,
            "late": a.start < before.end,
        }
        for a in dated
        for before in a.depends_on.all()
        if before.pk in label
    ]
    titles = {"pole": _("Pole"), "owner": _("Owner"), "channel": _("Channel")}
    return charts.timeline(bars, group_title=str(titles[by]), milestones=milestones, links=links)


# -- the action plan's money in a draft budget ---------------------------------------------


@transaction.atomic
def fill_budget(budget: Any, actor: AbstractBaseUser) -> int:
    """Write the actions' money into ``budget``'s lines (month × channel × pole).

    Planned amounts are spread over the months an action runs (to the cent); open purchase
    orders count in the month of their date, invoices in the month of theirs. The cells the
    actions cover are replaced; other cells (money not yet tied to an action) are left as they
    are, so filling twice changes nothing. Amounts outside the budget's fiscal year are left
    out. Returns the number of cells written.
    """
    from pilotage.execution.months import spread
    from pilotage.web.plans.models import BudgetLine

    year_months = {budget.month_start(m): m for m in range(1, 13)}
    cells: dict[tuple[int, str, str], dict[str, Decimal]] = {}

    def add(day: dt.date, channel: str, pole: str, measure: str, amount: Decimal) -> None:
        month = year_months.get(day.replace(day=1))
        if month is None or not amount:
            return
        cell = cells.setdefault((month, channel, pole), dict.fromkeys(MEASURES, Decimal("0.00")))
        cell[measure] += amount

    actions = list(
        Action.objects.filter(workspace=budget.workspace)
        .exclude(status=Status.CANCELLED)
        .exclude(channel="")
    )
    entries = list(MoneyEntry.objects.filter(action__in=actions).select_related("action"))
    invoiced: dict[int, Decimal] = {}
    for entry in entries:
        if entry.kind == MoneyKind.INVOICE and entry.settles_id:
            invoiced[entry.settles_id] = invoiced.get(entry.settles_id, Decimal(0)) + entry.amount
    for action in actions:
        if action.budget and action.start and action.end:
            for month, part in spread(action.budget, action.start, action.end).items():
                add(month, action.channel, action.pole, "planned", part)
    for entry in entries:
        amount = (
            max(entry.amount - invoiced.get(entry.pk, Decimal(0)), Decimal("0.00"))
            if entry.kind == MoneyKind.COMMITMENT
            else entry.amount
        )
        measure = "committed" if entry.kind == MoneyKind.COMMITMENT else "actual"
        add(entry.date, entry.action.channel, entry.action.pole, measure, amount)
    for (month, channel, pole), amounts in cells.items():
        BudgetLine.objects.update_or_create(
            budget=budget, month=month, channel=channel, pole=pole, defaults=amounts
        )
    record(
        budget.workspace,
        actor,
        AuditAction.UPDATE,
        budget,
        {"filled_from_action_plan": [None, len(cells)]},
    )
    return len(cells)


MEASURES = ("planned", "committed", "actual")


@transaction.atomic
def save_object(form: Any, actor: AbstractBaseUser, workspace: Workspace) -> Any:
    """Save a simple model form (project, partner) and record it in the audit trail."""
    created = form.instance.pk is None
    changes = {name: [None, str(form.cleaned_data.get(name))] for name in form.changed_data}
    obj = form.save()
    record(workspace, actor, AuditAction.CREATE if created else AuditAction.UPDATE, obj, changes)
    return obj
