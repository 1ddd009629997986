"""Money: planned / committed / actual / available from actions to poles, channels, budget."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from pilotage.web.actions import services
from pilotage.web.actions.models import Action, MoneyEntry, MoneyKind, Status
from pilotage.web.plans.models import Budget, BudgetLine, Pole

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def spending(personas, plan):
    """Orders and invoices on the two actions, and a third, cancelled action."""
    stand = plan["outsourced"]
    order = MoneyEntry.objects.create(
        action=stand,
        kind=MoneyKind.COMMITMENT,
        reference="PO-1",
        amount=D("30000.00"),
        date=dt.date(2026, 1, 10),
    )
    MoneyEntry.objects.create(
        action=stand,
        kind=MoneyKind.INVOICE,
        reference="F-1",
        amount=D("12000.00"),
        date=dt.date(2026, 2, 3),
        settles=order,
    )
    MoneyEntry.objects.create(
        action=stand,
        kind=MoneyKind.INVOICE,
        reference="F-2",
        amount=D("999.99"),
        date=dt.date(2026, 3, 1),
    )
    news = plan["in_house"]
    news.start, news.end = dt.date(2026, 1, 20), dt.date(2026, 2, 10)
    news.save()
    MoneyEntry.objects.create(
        action=news,
        kind=MoneyKind.INVOICE,
        reference="F-9",
        amount=D("3500.00"),
        date=dt.date(2026, 2, 12),
    )
    Action.objects.create(
        workspace=personas.workspace,
        title="Dropped",
        status=Status.CANCELLED,
        channel="Display",
        budget=D("9999.00"),
    )
    return plan


def test_it_rolls_money_up_exactly_from_actions_to_poles_channels_and_total(personas, spending):
    actions = list(Action.objects.filter(workspace=personas.workspace))
    rolled = services.money_rollup(actions)
    # by hand: stand 45000 planned, PO 30000 − 12000 invoiced = 18000 open, 12999.99 actual;
    # newsletter 3000 planned, 3500 actual (overspent); the cancelled action does not count
    assert rolled.total.planned == D("48000.00")
    assert rolled.total.committed == D("18000.00")
    assert rolled.total.actual == D("16499.99")
    assert rolled.total.available == D("13500.01")
    poles = rolled.by_pole
    assert poles[Pole.ACQUISITION_PERFORMANCE].available == D("14000.01")
    assert poles[Pole.BRAND_CONTENT].available == D("-500.00")
    assert rolled.by_channel["Email"].actual == D("3500.00")
    assert rolled.check() == []
    overspent = [w for w in rolled.warnings if w.level == "action"]
    assert [w.key for w in overspent] == [str(spending["in_house"].pk)]


def test_it_fills_a_draft_budget_to_the_cent_and_twice_changes_nothing(personas, spending):
    budget = Budget.objects.create(workspace=personas.workspace, year=2026, name="Plan v2")
    BudgetLine.objects.create(
        budget=budget, month=6, channel="Paid search", pole="", planned=D("5000.00")
    )
    services.fill_budget(budget, personas.owner)
    first = list(BudgetLine.objects.filter(budget=budget).values_list())
    services.fill_budget(budget, personas.owner)
    assert list(BudgetLine.objects.filter(budget=budget).values_list()) == first

    lines = BudgetLine.objects.filter(budget=budget)
    totals = lines.exclude(channel="Paid search").aggregate(
        planned=Sum("planned"), committed=Sum("committed"), actual=Sum("actual")
    )
    assert totals == {"planned": D("48000.00"), "committed": D("18000.00"), "actual": D("16499.99")}
    # the line no action covers is left as it was
    assert lines.get(channel="Paid search").planned == D("5000.00")
    # newsletter: 3000 over 20 Jan – 10 Feb = 12 days in January, 10 in February
    email = {line.month: line.planned for line in lines.filter(channel="Email")}
    assert email == {1: D("1636.36"), 2: D("1363.64")}
    # the open part of the order in the month of the order, invoices in theirs
    shows = {line.month: line for line in lines.filter(channel="Trade shows")}
    assert shows[1].committed == D("18000.00")
    assert (shows[2].actual, shows[3].actual) == (D("12000.00"), D("999.99"))


def test_it_leaves_out_money_outside_the_fiscal_year(personas, spending):
    budget = Budget.objects.create(workspace=personas.workspace, year=2025, name="Last year")
    assert services.fill_budget(budget, personas.owner) == 0
    assert not BudgetLine.objects.filter(budget=budget).exists()


def test_it_fills_only_draft_budgets_from_the_money_page(client, personas, spending):
    approved = Budget.objects.create(
        workspace=personas.workspace, year=2026, name="Approved", status="approved"
    )
    client.force_login(personas.owner)
    url = reverse("action_money_to_budget", args=[personas.workspace.slug])
    assert client.post(url, {"budget": approved.pk}).status_code == 404
    draft = Budget.objects.create(workspace=personas.workspace, year=2026, name="Draft")
    assert client.post(url, {"budget": draft.pk}).status_code == 302
    assert BudgetLine.objects.filter(budget=draft).count() > 0


def test_it_shows_the_money_page_with_overspend_warnings(client, personas, spending):
    client.force_login(personas.owner)
    page = client.get(reverse("action_money", args=[personas.workspace.slug]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "exceed the budget" in body and "Newsletter relaunch" in body


def test_it_flags_overloads_against_each_owners_capacity(personas, plan):
    """The agency (capacity 2) carries three overlapping actions of 0.8: 2.4 > 2 in the
    weeks all three run, 1.6 elsewhere; a member (capacity 1) with two of 0.6 is over."""
    partner = plan["partner"]
    partner.capacity = Decimal("2.00")
    partner.save()
    base = {"workspace": personas.workspace, "partner": partner, "effort": Decimal("0.80")}
    Action.objects.filter(pk=plan["outsourced"].pk).update(effort=Decimal("0.80"))
    Action.objects.create(**base, title="B", start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 13))
    Action.objects.create(**base, title="C", start=dt.date(2026, 3, 9), end=dt.date(2026, 4, 3))
    for title in ("D", "E"):
        Action.objects.create(
            workspace=personas.workspace,
            owner=personas.viewer,
            title=title,
            effort=Decimal("0.60"),
            start=dt.date(2026, 6, 1),
            end=dt.date(2026, 6, 5),
        )
    weeks = services.owner_loads(list(Action.objects.filter(workspace=personas.workspace)))
    over = {(w["owner"], w["week"]) for w in weeks if w["overloaded"]}
    # stand (5 Jan – 20 Mar) + B (2–13 Mar) + C (9 Mar – 3 Apr) overlap in week 11 only
    assert over == {("Agence Lumière", "2026-W11"), ("viewer", "2026-W23")}
    week_10 = next(w for w in weeks if w["week"] == "2026-W10" and w["owner"] == "Agence Lumière")
    assert week_10["load"] == Decimal("1.60") and not week_10["overloaded"]


def test_it_counts_non_media_invoices_in_the_marketing_cost(client, personas, plan):
    """An agency fee invoice raises marketing cost and CAC on the control pages; an invoice for
    media already in the imported spend is not counted twice."""
    from pilotage.metrics import MetricQuery, run
    from pilotage.web.control.scorecard import source_for

    period = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    before = run(
        MetricQuery(("marketing_cost",), *period, ("channel",)), source_for(personas.workspace)
    )
    shows = {r["channel"]: r["marketing_cost"] for r in before.rows}["Trade shows"]
    stand = plan["outsourced"]
    MoneyEntry.objects.create(
        action=stand,
        kind=MoneyKind.INVOICE,
        reference="F-10",
        amount=D("2500.00"),
        date=dt.date(2025, 3, 12),
    )
    MoneyEntry.objects.create(
        action=stand,
        kind=MoneyKind.INVOICE,
        reference="F-11",
        amount=D("9999.00"),
        date=dt.date(2025, 3, 14),
        in_spend_data=True,
    )
    after = run(
        MetricQuery(("marketing_cost",), *period, ("channel",)), source_for(personas.workspace)
    )
    assert {r["channel"]: r["marketing_cost"] for r in after.rows}["Trade shows"] == pytest.approx(
        shows + 2500.0
    )
