"""Budgets and targets: rows ↔ plain objects, state changes, totals, audit trail.

Every change goes through here and is recorded with :func:`record` (who, what, old → new).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotage.web.plans.models import ZERO, Budget, BudgetLine, BudgetStatus, KpiTarget
from pilotage.web.workspaces.models import AuditAction, Workspace
from pilotage.web.workspaces.services import record

CENT = Decimal("0.01")
MEASURES = ("planned", "committed", "actual", "available")
AMOUNT_FIELDS = ("planned", "committed", "actual")
TARGET_KEY = ("workspace", "metric", "period_start", "period_end", "dimension", "dimension_value")
User = AbstractBaseUser | None


class BudgetError(ValueError):
    """A change the budget's state does not allow; the message says why, in the UI language."""


def amount(value: Decimal | int | str) -> Decimal:
    """An amount in cents as ``Decimal``; floats are refused (money is never a float here)."""
    if isinstance(value, float):
        raise TypeError("amounts are Decimal, int or str, never float")
    return Decimal(value).quantize(CENT)


@dataclass(frozen=True)
class Amounts:
    """Planned, committed and actual amounts of a line or a total; ``available`` is derived."""

    planned: Decimal = ZERO
    committed: Decimal = ZERO
    actual: Decimal = ZERO

    @property
    def available(self) -> Decimal:
        """planned − committed − actual."""
        return self.planned - self.committed - self.actual

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(
            self.planned + other.planned,
            self.committed + other.committed,
            self.actual + other.actual,
        )

    def get(self, measure: str) -> Decimal:
        if measure not in MEASURES:
            raise ValueError(f"unknown measure {measure!r}; use one of {', '.join(MEASURES)}")
        return getattr(self, measure)


@dataclass(frozen=True)
class Line:
    """A budget line as a plain object: the cell (month, channel, pole) and its amounts."""

    month: int
    channel: str
    pole: str = ""
    planned: Decimal = ZERO
    committed: Decimal = ZERO
    actual: Decimal = ZERO

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.month, self.channel, self.pole)

    @property
    def amounts(self) -> Amounts:
        return Amounts(self.planned, self.committed, self.actual)

    @classmethod
    def of(cls, row: BudgetLine) -> Line:
        return cls(row.month, row.channel, row.pole, row.planned, row.committed, row.actual)


@dataclass(frozen=True)
class MeasureTable:
    """One measure by channel (rows) × month (columns), with row and column totals."""

    measure: str
    rows: list[tuple[str, list[Decimal], Decimal]]
    month_totals: list[Decimal]
    total: Decimal


@dataclass(frozen=True)
class Totals:
    """A budget's amounts summed by month (1–12), by channel, by cell, and overall."""

    by_month: dict[int, Amounts]
    by_channel: dict[str, Amounts]
    cells: dict[tuple[str, int], Amounts]
    total: Amounts

    def table(self, measure: str) -> MeasureTable:
        rows = [
            (
                channel,
                [self.cells.get((channel, m), Amounts()).get(measure) for m in range(1, 13)],
                sums.get(measure),
            )
            for channel, sums in self.by_channel.items()
        ]
        months = [self.by_month[m].get(measure) for m in range(1, 13)]
        return MeasureTable(measure, rows, months, self.total.get(measure))


def totals(lines: Iterable[Line]) -> Totals:
    """Sum lines by month, by channel (sorted by name) and by (channel, month) cell.

    >>> t = totals([Line(1, "Email", planned=Decimal("10")), Line(1, "Email", "brand_content",
    ...     planned=Decimal("5"), actual=Decimal("7"))])
    >>> t.by_month[1].available, t.total.planned, t.by_month[2].planned
    (Decimal('8'), Decimal('15'), Decimal('0.00'))
    """
    by_month = {m: Amounts() for m in range(1, 13)}
    by_channel: dict[str, Amounts] = {}
    cells: dict[tuple[str, int], Amounts] = {}
    total = Amounts()
    for line in lines:
        a = line.amounts
        by_month[line.month] += a
        by_channel[line.channel] = by_channel.get(line.channel, Amounts()) + a
        cells[(line.channel, line.month)] = cells.get((line.channel, line.month), Amounts()) + a
        total += a
    return Totals(by_month, dict(sorted(by_channel.items())), cells, total)


def lines_of(budget: Budget) -> list[Line]:
    return [Line.of(row) for row in budget.lines.all()]


def budget_totals(budget: Budget) -> Totals:
    return totals(lines_of(budget))


def budgets_of(workspace: Workspace) -> list[Budget]:
    return list(workspace.budgets.select_related("approved_by"))


def baseline(workspace: Workspace, year: int) -> Budget | None:
    """The baseline budget of ``year``: what plan-vs-actual compares with."""
    return workspace.budgets.filter(year=year, status=BudgetStatus.BASELINE).first()


@transaction.atomic
def create_budget(workspace: Workspace, year: int, name: str, *, actor: User = None) -> Budget:
    """A new draft version of ``year``'s budget, with no lines."""
    budget = Budget(workspace=workspace, year=year, name=name.strip())
    budget.full_clean()
    budget.save()
    record(workspace, actor, AuditAction.CREATE, budget)
    return budget


def _set_status(budget: Budget, status: str, actor: User) -> None:
    old, budget.status = budget.status, status
    budget.save()
    record(budget.workspace, actor, AuditAction.UPDATE, budget, {"status": [old, status]})


@transaction.atomic
def approve(budget: Budget, *, actor: User = None) -> Budget:
    """Draft → approved, recording who approved it and when."""
    budget.refresh_from_db(from_queryset=Budget.objects.select_for_update())
    if budget.status != BudgetStatus.DRAFT:
        raise BudgetError(
            _("Only a draft can be approved; %(budget)s is already approved.") % {"budget": budget}
        )
    budget.approved_by = actor if actor is not None and actor.is_authenticated else None
    budget.approved_at = timezone.now()
    _set_status(budget, BudgetStatus.APPROVED, actor)
    return budget


@transaction.atomic
def make_baseline(budget: Budget, *, actor: User = None) -> Budget:
    """Make an approved version the year's baseline; the previous baseline goes back to approved."""
    budget.refresh_from_db(from_queryset=Budget.objects.select_for_update())
    if budget.status == BudgetStatus.BASELINE:
        return budget
    if budget.status != BudgetStatus.APPROVED:
        raise BudgetError(
            _("Approve %(budget)s before making it the baseline.") % {"budget": budget}
        )
    previous = (
        Budget.objects.select_for_update()
        .filter(workspace=budget.workspace, year=budget.year, status=BudgetStatus.BASELINE)
        .exclude(pk=budget.pk)
    )
    for old in previous:
        _set_status(old, BudgetStatus.APPROVED, actor)
    _set_status(budget, BudgetStatus.BASELINE, actor)
    return budget


@transaction.atomic
def set_line(
    budget: Budget,
    month: int,
    channel: str,
    pole: str = "",
    *,
    actor: User = None,
    **amounts: Decimal | int | str,
) -> BudgetLine:
    """Set some of a cell's amounts (``planned=``, ``committed=``, ``actual=``), creating it."""
    unknown = set(amounts) - set(AMOUNT_FIELDS)
    if unknown:
        raise TypeError(f"unknown amounts {sorted(unknown)}; use {', '.join(AMOUNT_FIELDS)}")
    row = BudgetLine.objects.filter(
        budget=budget, month=month, channel=channel.strip(), pole=pole
    ).first()
    created = row is None
    if row is None:
        row = BudgetLine(budget=budget, month=month, channel=channel.strip(), pole=pole)
    changes = {}
    for name, value in amounts.items():
        new = amount(value)
        if created or getattr(row, name) != new:
            changes[name] = ["" if created else str(getattr(row, name)), str(new)]
            setattr(row, name, new)
    if not changes:
        return row
    if "planned" in changes:
        _check_plan_editable(budget)
    row.full_clean()
    row.save()
    action = AuditAction.CREATE if created else AuditAction.UPDATE
    record(budget.workspace, actor, action, row, changes)
    return row


@dataclass(frozen=True)
class LinesChange:
    """What replacing a budget's lines did (counts of lines)."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    before: Amounts = field(default_factory=Amounts)
    after: Amounts = field(default_factory=Amounts)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


@transaction.atomic
def replace_lines(budget: Budget, lines: Iterable[Line], *, actor: User = None) -> LinesChange:
    """Make ``lines`` the budget's lines: create, update or delete only what differs.

    Replacing with the same lines again writes nothing and records nothing (idempotent). One
    audit event sums up the change: line count and totals, old → new.
    """
    Budget.objects.select_for_update().filter(pk=budget.pk).first()  # one replace at a time
    wanted = {line.key: line for line in lines}
    existing = {(r.month, r.channel, r.pole): r for r in budget.lines.all()}
    to_create, to_update = [], []
    for key, line in wanted.items():
        row = existing.get(key)
        if row is None:
            to_create.append(BudgetLine(budget=budget, **_fields(line)))
        elif Line.of(row).amounts != line.amounts:
            for name in AMOUNT_FIELDS:
                setattr(row, name, amount(getattr(line, name)))
            to_update.append(row)
    gone = [row.pk for key, row in existing.items() if key not in wanted]
    planned_before = {key: row.planned for key, row in existing.items()}
    planned_after = {key: amount(line.planned) for key, line in wanted.items()}
    if {k: v for k, v in planned_before.items() if v} != {
        k: v for k, v in planned_after.items() if v
    }:
        _check_plan_editable(budget)
    for row in to_create + to_update:
        row.full_clean(exclude=["budget"], validate_unique=False, validate_constraints=False)
    BudgetLine.objects.filter(pk__in=gone).delete()
    BudgetLine.objects.bulk_create(to_create)
    BudgetLine.objects.bulk_update(to_update, list(AMOUNT_FIELDS))
    change = LinesChange(
        created=len(to_create),
        updated=len(to_update),
        deleted=len(gone),
        unchanged=len(wanted) - len(to_create) - len(to_update),
        before=totals(Line.of(r) for r in existing.values()).total,
        after=totals(wanted.values()).total,
    )
    if change.changed:
        changes = {"lines": [str(len(existing)), str(len(wanted))]}
        for name in AMOUNT_FIELDS:
            changes[name] = [str(change.before.get(name)), str(change.after.get(name))]
        record(budget.workspace, actor, AuditAction.LOAD, budget, changes)
    return change


def _check_plan_editable(budget: Budget) -> None:
    """Planned amounts change only in a draft: an approved plan is what the year is judged on."""
    if budget.status != BudgetStatus.DRAFT:
        raise BudgetError(
            _(
                "“%(name)s” is approved: its planned amounts no longer change. Create a new "
                "version (a reforecast) to plan differently; committed and actual amounts "
                "can still be updated."
            )
            % {"name": budget.name}
        )


def reforecast(budget: Budget, *, actor: User = None) -> Budget:
    """A new draft version of ``budget``'s year with a copy of its lines."""
    name = f"Reforecast {budget.year}"
    taken = set(budget.workspace.budgets.filter(year=budget.year).values_list("name", flat=True))
    suffix = 2
    while name in taken:
        name, suffix = f"Reforecast {budget.year} ({suffix})", suffix + 1
    draft = create_budget(budget.workspace, budget.year, name, actor=actor)
    replace_lines(draft, lines_of(budget), actor=actor)
    return draft


def _fields(line: Line) -> dict:
    return {
        "month": line.month,
        "channel": line.channel,
        "pole": line.pole,
        "planned": amount(line.planned),
        "committed": amount(line.committed),
        "actual": amount(line.actual),
    }


@transaction.atomic
def set_target(
    workspace: Workspace,
    metric: str,
    period_start: dt.date,
    period_end: dt.date,
    value: Decimal | int | str,
    *,
    dimension: str = "",
    dimension_value: str = "",
    actor: User = None,
) -> tuple[KpiTarget, bool]:
    """Set the target of ``metric`` over a period (and split), replacing the value it had.

    Returns the target and whether anything changed: setting the same value again is a no-op.
    """
    if isinstance(value, float):
        raise TypeError("target values are Decimal, int or str, never float")
    target = KpiTarget(
        workspace=workspace,
        metric=metric.strip(),
        period_start=period_start,
        period_end=period_end,
        dimension=dimension.strip(),
        dimension_value=dimension_value.strip(),
        value=Decimal(value).quantize(Decimal("0.0001")),
    )
    target.full_clean(validate_unique=False, validate_constraints=False)
    same = {f: getattr(target, f) for f in TARGET_KEY}
    existing = KpiTarget.objects.select_for_update().filter(**same).first()
    if existing is None:
        target.save()
        record(workspace, actor, AuditAction.CREATE, target, {"value": ["", str(target.value)]})
        return target, True
    if existing.value == target.value:
        return existing, False
    old, existing.value = existing.value, target.value
    existing.save(update_fields=["value"])
    record(workspace, actor, AuditAction.UPDATE, existing, {"value": [str(old), str(target.value)]})
    return existing, True


@transaction.atomic
def delete_target(target: KpiTarget, *, actor: User = None) -> None:
    record(target.workspace, actor, AuditAction.DELETE, target, {"value": [str(target.value), ""]})
    target.delete()


def plan_lookup(workspace: Workspace) -> Callable[[str, dict, dt.date, dt.date], float | None]:
    """The planned value of a KPI for the metrics layer's ``compare="plan"`` and the scorecard.

    ``lookup(metric, dimensions, start, end)`` uses the workspace's KPI targets for that metric
    and dimension values (``{}``: targets set overall) that overlap ``[start, end]``. Counts and
    amounts add up over time: each target contributes its value prorated by the days it shares
    with the period. Ratios and scores do not: the target sharing the most days applies.
    """
    from pilotage.metrics import KPIS

    targets = list(KpiTarget.objects.filter(workspace=workspace))

    def lookup(metric: str, dimensions: dict, start: dt.date, end: dt.date) -> float | None:
        if len(dimensions) > 1:
            return None
        dimension, value = next(iter(dimensions.items()), ("", ""))
        matching = [
            t
            for t in targets
            if t.metric == metric
            and t.dimension == dimension
            and t.dimension_value == value
            and t.period_start <= end
            and t.period_end >= start
        ]
        if not matching:
            return None

        def shared(t: KpiTarget) -> int:
            return (min(t.period_end, end) - max(t.period_start, start)).days + 1

        if metric in KPIS and KPIS[metric].unit in ("count", "money"):
            return float(
                sum(
                    t.value * shared(t) / ((t.period_end - t.period_start).days + 1)
                    for t in matching
                )
            )
        return float(max(matching, key=shared).value)

    return lookup
