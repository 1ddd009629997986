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
