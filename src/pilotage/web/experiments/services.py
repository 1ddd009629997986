"""Pilots: create, start, record results, decide — every change in the audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from pilotage.web.experiments.models import ArmResult, Decision, Experiment, Status
from pilotage.web.workspaces.models import AuditAction, Membership, Role
from pilotage.web.workspaces.services import record


def visible_to(membership: Membership):
    """The pilots a member sees: all of them, or only those assigned to an agency member."""
    pilots = Experiment.objects.filter(workspace=membership.workspace)
    if membership.role == Role.AGENCY:
        pilots = pilots.filter(assignee=membership.user)
    return pilots


def may_enter_results(membership: Membership, pilot: Experiment) -> bool:
    if membership.role in (Role.OWNER, Role.MANAGER):
        return True
    return membership.role == Role.AGENCY and pilot.assignee_id == membership.user_id


@transaction.atomic
def create(pilot: Experiment, actor: AbstractBaseUser) -> Experiment:
    pilot.owner = actor
    pilot.full_clean()
    pilot.save()
    record(pilot.workspace, actor, AuditAction.CREATE, pilot)
    return pilot


@transaction.atomic
def start(pilot: Experiment, actor: AbstractBaseUser, today: dt.date | None = None) -> None:
    if pilot.status != Status.DRAFT:
        raise ValueError("only a draft pilot can start")
    pilot.status, pilot.planned_start = Status.RUNNING, today or timezone.localdate()
    pilot.save(update_fields=["status", "planned_start"])
    record(pilot.workspace, actor, AuditAction.UPDATE, pilot, {"status": ["draft", "running"]})


@transaction.atomic
def record_results(pilot: Experiment, day: dt.date, arms: dict[str, dict], actor) -> None:
    """Replace the cumulative figures of ``day`` for every arm."""
    if pilot.status == Status.DECIDED:
        raise ValueError("a decided pilot takes no more results")
    for arm, figures in arms.items():
        ArmResult.objects.update_or_create(experiment=pilot, arm=arm, day=day, defaults=figures)
    record(
        pilot.workspace,
        actor,
        AuditAction.UPDATE,
        pilot,
        {"results": [None, f"{day.isoformat()}: {sorted(arms)}"]},
    )


def latest_results(pilot: Experiment) -> dict[str, ArmResult]:
    """Each arm's most recent cumulative figures."""
    latest: dict[str, ArmResult] = {}
    for row in pilot.results.order_by("day"):
        latest[row.arm] = row
    return latest


@transaction.atomic
def decide(
    pilot: Experiment,
    decision: str,
    rationale: str,
    actor: AbstractBaseUser,
    *,
    budget_amount: Decimal | None = None,
    budget_month: int | None = None,
) -> None:
    """Record the decision; industrialising adds the pilot's budget to this year's plan."""
    pilot = Experiment.objects.select_for_update().get(pk=pilot.pk)
    if pilot.status != Status.RUNNING:
        raise ValueError("only a running pilot can be decided")
    old = pilot.status
    pilot.status, pilot.decision, pilot.rationale = Status.DECIDED, decision, rationale
    pilot.decided_by, pilot.decided_at = actor, timezone.now()
    pilot.save()
    record(
        pilot.workspace,
        actor,
        AuditAction.UPDATE,
        pilot,
        {"status": [old, "decided"], "decision": ["", decision], "rationale": ["", rationale]},
    )
    if decision == Decision.INDUSTRIALISE and budget_amount:
        _add_to_plan(pilot, budget_amount, budget_month or timezone.localdate().month, actor)


def _add_to_plan(pilot: Experiment, amount: Decimal, month: int, actor) -> None:
    from pilotage.web.plans.models import Budget, BudgetStatus
    from pilotage.web.plans.services import create_budget, reforecast, set_line

    year = timezone.localdate().year
    budgets = Budget.objects.filter(workspace=pilot.workspace, year=year)
    draft = budgets.filter(status=BudgetStatus.DRAFT).order_by("-id").first()
    baseline = budgets.filter(status=BudgetStatus.BASELINE).first()
    # an approved plan keeps its amounts: the new money goes into a draft (a reforecast)
    budget = (
        draft
        or (reforecast(baseline, actor=actor) if baseline else None)
        or create_budget(pilot.workspace, year, f"Plan {year}", actor=actor)
    )
    line = budget.lines.filter(month=month, channel=pilot.channel, pole="").first()
    current = line.planned if line else Decimal(0)
    set_line(budget, month, pilot.channel, actor=actor, planned=current + amount)
