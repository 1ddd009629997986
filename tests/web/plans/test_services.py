"""Budgets and targets: validation, state changes, one baseline a year, totals, audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from pilotage.web.plans import services
from pilotage.web.plans.models import Budget, BudgetLine, BudgetStatus, KpiTarget, Pole
from pilotage.web.plans.services import Line, create_budget, set_line, set_target
from pilotage.web.workspaces.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

D = Decimal
JAN_1, DEC_31 = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def _events(object_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=object_type).order_by("id"))


# budget lines


def test_it_computes_available_as_planned_minus_committed_minus_actual(budget):
    line = set_line(budget, 3, "Trade shows", planned="1000", committed="250.50", actual="300")
    assert line.available == D("449.50")
    overspent = set_line(budget, 4, "Trade shows", planned="100", actual="180.25")
    assert overspent.available == D("-80.25")


def test_it_keeps_amounts_as_decimals_in_cents(budget):
    set_line(budget, 1, "Email", planned="0.1")
    set_line(budget, 1, "Email", planned=D("0.2"), committed=3)
    row = BudgetLine.objects.get()
    assert (row.planned, row.committed, row.actual) == (D("0.20"), D("3.00"), D("0.00"))
    assert isinstance(row.planned, Decimal)


def test_it_refuses_float_amounts(budget):
    with pytest.raises(TypeError, match="never float"):
        set_line(budget, 1, "Email", planned=0.1)
    assert not BudgetLine.objects.exists()


@pytest.mark.parametrize(
    ("month", "amounts", "field"),
    [
        (13, {"planned": "10"}, "month"),
        (0, {"planned": "10"}, "month"),
        (1, {"planned": "-0.01"}, "planned"),
        (1, {"committed": "-5"}, "committed"),
        (1, {"actual": "-1"}, "actual"),
    ],
)
def test_it_refuses_a_month_out_of_range_or_a_negative_amount(budget, month, amounts, field):
    with pytest.raises(ValidationError) as caught:
        set_line(budget, month, "Email", **amounts)
    assert field in caught.value.message_dict
    assert not BudgetLine.objects.exists()
    assert not _events("plans.budgetline")


def test_it_refuses_a_pole_that_is_not_one_of_the_three(budget):
    with pytest.raises(ValidationError) as caught:
        set_line(budget, 1, "Email", "sales", planned="10")
    assert "pole" in caught.value.message_dict


def test_it_refuses_negative_amounts_in_the_database_too(budget):
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.create(budget=budget, month=1, channel="Email", planned=D("-1"))


def test_it_keeps_one_line_per_month_channel_and_pole(budget):
    set_line(budget, 1, "Email", planned="10")
    set_line(budget, 1, "Email", Pole.BRAND_CONTENT, planned="20")
    set_line(budget, 1, "Email", planned="30")
    assert sorted(BudgetLine.objects.values_list("pole", "planned")) == [
        ("", D("30.00")),
        ("brand_content", D("20.00")),
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.create(budget=budget, month=1, channel="Email")


def test_it_records_a_line_change_with_the_old_and_new_amounts(budget, claire):
    line = set_line(budget, 6, "Paid search", planned="1000", actor=claire)
    set_line(budget, 6, "Paid search", planned="1250.5", actual="1000", actor=claire)
    set_line(budget, 6, "Paid search", planned="1250.50")  # unchanged: nothing recorded
    events = _events("plans.budgetline")
    assert [(e.action, e.actor, e.changes) for e in events] == [
        (AuditAction.CREATE, claire, {"planned": ["", "1000.00"]}),
        (
            AuditAction.UPDATE,
            claire,
            {"planned": ["1000.00", "1250.50"], "actual": ["0.00", "1000.00"]},
        ),
    ]
    assert events[1].object_id == str(line.pk)
    assert events[1].workspace == budget.workspace


# budget versions


def test_it_creates_a_draft_and_records_it(acme, claire):
    budget = create_budget(acme, 2026, "  Plan A  ", actor=claire)
    assert (budget.status, budget.name, budget.approved_by, budget.approved_at) == (
        BudgetStatus.DRAFT,
        "Plan A",
        None,
        None,
    )
    [event] = _events("plans.budget")
    assert (event.action, event.actor, event.summary) == (
        AuditAction.CREATE,
        claire,
        "Plan A (2026)",
    )


def test_it_refuses_a_second_version_with_the_same_name_and_year(budget):
    with pytest.raises(ValidationError, match="already has a budget version with this name"):
        create_budget(budget.workspace, 2025, "Plan 2025")
    create_budget(budget.workspace, 2026, "Plan 2025")  # another year: fine
    assert Budget.objects.count() == 2


def test_it_approves_a_draft_recording_who_and_when(budget, claire):
    with time_machine.travel(dt.datetime(2025, 1, 15, 9, 30, tzinfo=dt.UTC), tick=False):
        services.approve(budget, actor=claire)
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.APPROVED
    assert budget.approved_by == claire
    assert budget.approved_at == dt.datetime(2025, 1, 15, 9, 30, tzinfo=dt.UTC)
    assert _events("plans.budget")[-1].changes == {"status": ["draft", "approved"]}


def test_it_approves_a_draft_only(budget):
    services.approve(budget)
    with pytest.raises(services.BudgetError, match="Only a draft can be approved"):
        services.approve(budget)
    with translation.override("fr"), pytest.raises(services.BudgetError, match="brouillon"):
        services.approve(budget)


def test_it_makes_only_an_approved_version_the_baseline(budget):
    with pytest.raises(services.BudgetError, match="Approve Plan 2025 \\(2025\\) before"):
        services.make_baseline(budget)
    assert Budget.objects.get().status == BudgetStatus.DRAFT


def test_it_keeps_one_baseline_per_year(acme, claire):
    first, second, other_year = (
        create_budget(acme, 2025, "A"),
        create_budget(acme, 2025, "B"),
        create_budget(acme, 2026, "A"),
    )
    for b in (first, second, other_year):
        services.approve(b)
    services.make_baseline(first)
    services.make_baseline(other_year)
    services.make_baseline(second, actor=claire)
    statuses = dict(Budget.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: BudgetStatus.APPROVED,
        second.pk: BudgetStatus.BASELINE,
        other_year.pk: BudgetStatus.BASELINE,
    }
    assert services.baseline(acme, 2025) == second
    last_two = _events("plans.budget")[-2:]
    assert [(e.object_id, e.changes, e.actor) for e in last_two] == [
        (str(first.pk), {"status": ["baseline", "approved"]}, claire),
        (str(second.pk), {"status": ["approved", "baseline"]}, claire),
    ]


def test_it_enforces_one_baseline_per_year_in_the_database(acme):
    Budget.objects.create(workspace=acme, year=2025, name="A", status=BudgetStatus.BASELINE)
    Budget.objects.create(workspace=acme, year=2026, name="A", status=BudgetStatus.BASELINE)
    Budget.objects.create(workspace=acme, year=2025, name="B", status=BudgetStatus.APPROVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Budget.objects.create(workspace=acme, year=2025, name="C", status=BudgetStatus.BASELINE)


def test_it_makes_the_baseline_again_without_recording_anything(budget):
    services.approve(budget)
    services.make_baseline(budget)
    count = AuditEvent.objects.count()
    services.make_baseline(budget)
    assert AuditEvent.objects.count() == count


# totals


def test_it_sums_a_budget_by_month_and_by_channel(budget):
    set_line(budget, 1, "Email", planned="100", committed="10", actual="20")
    set_line(budget, 1, "Email", Pole.BRAND_CONTENT, planned="50", actual="60")
    set_line(budget, 2, "Trade shows", planned="1000", committed="900")
    totals = services.budget_totals(budget)
    assert totals.by_month[1] == services.Amounts(D("150"), D("10"), D("80"))
    assert totals.by_month[1].available == D("60")
    assert totals.by_month[3] == services.Amounts()
    assert list(totals.by_channel) == ["Email", "Trade shows"]
    assert totals.by_channel["Trade shows"].available == D("100")
    assert totals.total == services.Amounts(D("1150"), D("910"), D("80"))
    assert totals.total.available == D("160")
    table = totals.table("available")
    assert table.rows[0][0] == "Email" and table.rows[0][1][:2] == [D("60"), D("0")]
    assert table.rows[0][2] == D("60")
    assert table.month_totals[:3] == [D("60"), D("100"), D("0")]
    assert table.total == D("160")


# replacing lines (what an import does)


def test_it_replaces_lines_writing_only_the_difference(budget, claire):
    set_line(budget, 1, "Email", planned="100")
    set_line(budget, 2, "Email", planned="100")
    events = AuditEvent.objects.count()
    wanted = [Line(1, "Email", planned=D("100")), Line(3, "SEO", planned=D("5"), actual=D("1"))]
    change = services.replace_lines(budget, wanted, actor=claire)
    assert (change.created, change.updated, change.deleted, change.unchanged) == (1, 0, 1, 1)
    assert sorted(services.lines_of(budget), key=lambda x: x.key) == [
        Line(1, "Email", planned=D("100.00")),
        Line(3, "SEO", planned=D("5.00"), actual=D("1.00")),
    ]
    [load] = AuditEvent.objects.all()[: AuditEvent.objects.count() - events]
    assert load.action == AuditAction.LOAD and load.actor == claire
    assert load.changes == {
        "lines": ["2", "2"],
        "planned": ["200.00", "105.00"],
        "committed": ["0.00", "0.00"],
        "actual": ["0.00", "1.00"],
    }
    again = services.replace_lines(budget, wanted, actor=claire)
    assert not again.changed and again.unchanged == 2
    assert AuditEvent.objects.count() == events + 1


# targets


def test_it_sets_then_replaces_a_target_recording_old_and_new_values(acme, claire):
    target, changed = set_target(acme, "nps", JAN_1, DEC_31, "40", actor=claire)
    assert changed and target.value == D("40")
    again, changed = set_target(acme, "nps", JAN_1, DEC_31, D("40.0000"))
    assert (again.pk, changed) == (target.pk, False)
    replaced, changed = set_target(acme, "nps", JAN_1, DEC_31, "45.5", actor=claire)
    assert (replaced.pk, changed, replaced.value) == (target.pk, True, D("45.5"))
    assert KpiTarget.objects.get().value == D("45.5")
    assert [(e.action, e.changes) for e in _events("plans.kpitarget")] == [
        (AuditAction.CREATE, {"value": ["", "40.0000"]}),
        (AuditAction.UPDATE, {"value": ["40.0000", "45.5000"]}),
    ]


def test_it_keeps_targets_by_split_apart(acme):
    set_target(acme, "cac", JAN_1, DEC_31, "900")
    set_target(
        acme, "cac", JAN_1, DEC_31, "400", dimension="channel", dimension_value="Paid search"
    )
    set_target(
        acme, "cac", JAN_1, DEC_31, "1500", dimension="channel", dimension_value="Trade shows"
    )
    assert KpiTarget.objects.count() == 3


@pytest.mark.parametrize(
    ("start", "end", "dimension", "value", "field"),
    [
        (DEC_31, JAN_1, "", "", "period_end"),
        (JAN_1, DEC_31, "channel", "", "dimension_value"),
        (JAN_1, DEC_31, "", "Paid search", "dimension"),
    ],
)
def test_it_refuses_an_inconsistent_target(acme, start, end, dimension, value, field):
    with pytest.raises(ValidationError) as caught:
        set_target(acme, "leads", start, end, "100", dimension=dimension, dimension_value=value)
    assert list(caught.value.message_dict) == [field]
    assert not KpiTarget.objects.exists()
    assert not _events("plans.kpitarget")


@pytest.mark.parametrize(
    "fields",
    [
        {"period_start": DEC_31, "period_end": JAN_1},
        {"period_start": JAN_1, "period_end": DEC_31, "dimension": "channel"},
        {"period_start": JAN_1, "period_end": DEC_31, "dimension_value": "Email"},
    ],
)
def test_it_refuses_an_inconsistent_target_in_the_database_too(acme, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        KpiTarget.objects.create(workspace=acme, metric="leads", value=D("1"), **fields)


def test_it_refuses_a_float_target(acme):
    with pytest.raises(TypeError):
        set_target(acme, "nps", JAN_1, DEC_31, 40.0)


def test_it_records_the_removal_of_a_target(acme, claire):
    target, _ = set_target(acme, "ltv_to_cac", JAN_1, DEC_31, "3")
    services.delete_target(target, actor=claire)
    assert not KpiTarget.objects.exists()
    event = _events("plans.kpitarget")[-1]
    assert (event.action, event.actor, event.changes) == (
        AuditAction.DELETE,
        claire,
        {"value": ["3.0000", ""]},
    )


def test_it_refuses_to_approve_a_version_someone_approved_meanwhile(budget, claire):
    stale = Budget.objects.get(pk=budget.pk)
    services.approve(budget)
    with pytest.raises(services.BudgetError):
        services.approve(stale, actor=claire)
    assert Budget.objects.get().approved_by is None
