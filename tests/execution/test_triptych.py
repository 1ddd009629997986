"""The triptych: green / amber / red at the threshold boundaries, and the rule in a sentence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pilotage.execution.triptych import ProjectFacts, Rating, Thresholds, assess

END = dt.date(2025, 6, 30)


def facts(**changes) -> ProjectFacts:
    values = {
        "budget": Decimal("10000.00"),
        "cost": Decimal("9000.00"),
        "planned_end": END,
        "forecast_end": END,
        "criteria_total": 10,
        "criteria_met": 10,
        "satisfaction": None,
    }
    values.update(changes)
    return ProjectFacts(**values)


@pytest.mark.parametrize(
    ("cost", "rating"),
    [
        ("10000.00", Rating.GREEN),  # 100 %
        ("10000.01", Rating.AMBER),
        ("11000.00", Rating.AMBER),  # 110 %
        ("11000.01", Rating.RED),
        ("0", Rating.GREEN),
    ],
)
def test_it_rates_cost_at_its_boundaries(cost, rating):
    assert assess(facts(cost=Decimal(cost))).cost.rating == rating


@pytest.mark.parametrize(
    ("late", "rating"),
    [
        (-3, Rating.GREEN),
        (0, Rating.GREEN),
        (1, Rating.AMBER),
        (14, Rating.AMBER),
        (15, Rating.RED),
    ],
)
def test_it_rates_delay_at_its_boundaries(late, rating):
    status = assess(facts(forecast_end=END + dt.timedelta(days=late)))
    assert status.delay.rating == rating
    assert status.delay.value == late


@pytest.mark.parametrize(
    ("met", "satisfaction", "rating"),
    [
        (8, None, Rating.GREEN),  # 80 %
        (7, None, Rating.AMBER),
        (6, None, Rating.AMBER),  # 60 %
        (5, None, Rating.RED),
        (10, 7, Rating.GREEN),
        (10, 6, Rating.AMBER),
        (10, 5, Rating.AMBER),
        (10, 4, Rating.RED),
        (7, 9, Rating.AMBER),  # the worse of criteria and satisfaction
    ],
)
def test_it_rates_quality_at_its_boundaries(met, satisfaction, rating):
    assert assess(facts(criteria_met=met, satisfaction=satisfaction)).quality.rating == rating


def test_it_states_the_rule_applied_in_both_languages():
    status = assess(facts(cost=Decimal("11800.00"), forecast_end=END + dt.timedelta(days=10)))
    assert status.cost.sentence() == (
        "Red because cost is 118% of budget (amber above 100%, red above 110%)"
    )
    assert status.cost.sentence("fr") == (
        "Rouge car le coût atteint 118 % du budget (orange au-delà de 100 %, rouge au-delà "
        "de 110 %)"
    )
    assert status.delay.sentence() == (
        "Amber because the forecast end is 10 days after the planned end (amber above 0 days "
        "late, red above 14 days)"
    )
    assert status.quality.sentence() == (
        "Green because 100% of acceptance criteria are met (10/10; amber below 80%, red below 60%)"
    )
    assert status.overall.rating == Rating.RED
    assert status.overall.sentence() == (
        "Red because cost is red (overall is the worst of cost, delay and quality)"
    )
    assert status.overall.sentence("fr") == (
        "Rouge car le coût est rouge (la synthèse retient la pire des trois dimensions : coût, "
        "délai, qualité)"
    )


def test_it_takes_the_worst_of_the_three_overall():
    status = assess(facts(criteria_met=7, forecast_end=END - dt.timedelta(days=2)))
    assert [a.rating for a in (status.cost, status.delay, status.quality)] == [
        Rating.GREEN,
        Rating.GREEN,
        Rating.AMBER,
    ]
    assert status.overall.rating == Rating.AMBER
    assert status.overall.rating.code == "amber"
    assert status.delay.sentence() == (
        "Green because the forecast end is 2 days before the planned end (amber above 0 days "
        "late, red above 14 days)"
    )
    assert "la qualité est orange" in status.overall.sentence("fr")


def test_it_leaves_quality_out_when_nothing_measures_it():
    status = assess(facts(criteria_total=0, criteria_met=0))
    assert status.quality.rating == Rating.NOT_ASSESSED
    assert status.overall.rating == Rating.GREEN
    assert status.quality.sentence() == (
        "Not assessed: no acceptance criteria and no satisfaction score"
    )


def test_it_reads_satisfaction_alone():
    status = assess(facts(criteria_total=0, criteria_met=0, satisfaction=Decimal("6.5")))
    assert status.quality.rating == Rating.AMBER
    assert status.quality.sentence() == (
        "Amber because satisfaction is 6.5/10 (amber below 7, red below 5)"
    )


def test_it_takes_thresholds_as_data():
    lenient = Thresholds(cost_red_above=Decimal("1.20"), delay_red_above=30)
    status = assess(
        facts(cost=Decimal("11800.00"), forecast_end=END + dt.timedelta(days=20)), lenient
    )
    assert (status.cost.rating, status.delay.rating) == (Rating.AMBER, Rating.AMBER)
    assert status.cost.sentence().endswith("(amber above 100%, red above 120%)")


def test_it_rates_a_zero_budget():
    assert assess(facts(budget=Decimal(0), cost=Decimal(0))).cost.rating == Rating.GREEN
    spent = assess(facts(budget=Decimal(0), cost=Decimal("10.00"))).cost
    assert spent.rating == Rating.RED
    assert spent.sentence().startswith("Red because the budget is zero")


def test_it_refuses_inconsistent_facts():
    with pytest.raises(ValueError):
        facts(criteria_met=11)
    with pytest.raises(ValueError):
        facts(satisfaction=11)
    with pytest.raises(TypeError):
        facts(cost=9000.0)
