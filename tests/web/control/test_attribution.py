"""The attribution comparison page: who sees it, and that its totals reconcile with the data."""

from __future__ import annotations

import datetime as dt
import time

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from django.urls import reverse

from pilotage.web.control.attribution import model_names
from pilotage.web.control.scorecard import period_for, source_for

pytestmark = pytest.mark.django_db

EXPECTED = {"owner": 200, "manager": 200, "viewer": 200, "agency": 403, "outsider": 404}


def _page(client, personas, **params):
    client.force_login(personas.owner)
    response = client.get(reverse("control_attribution", args=[personas.workspace.slug]), params)
    assert response.status_code == 200
    return response


def _bounds(period) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(period.start, dt.time(), tzinfo=dt.UTC)
    return start, dt.datetime.combine(period.end, dt.time(), tzinfo=dt.UTC) + dt.timedelta(days=1)


def _in_period(column: pa.ChunkedArray, period) -> pa.ChunkedArray:
    low, high = _bounds(period)
    return pc.and_(pc.greater_equal(column, pa.scalar(low)), pc.less(column, pa.scalar(high)))


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_it_shows_the_attribution_page_to_roles_that_see_financials(client, personas, persona):
    client.force_login(getattr(personas, persona))
    response = client.get(reverse("control_attribution", args=[personas.workspace.slug]))
    assert response.status_code == EXPECTED[persona]


@pytest.mark.parametrize("period", ["2025", "last12"])
def test_every_model_shares_out_the_converting_journeys_of_the_period(
    client, personas, demo_warehouse, period
):
    page = _page(client, personas, period=period)
    context = page.context
    assert [m for m, _ in context["models"]] == model_names()
    assert {"markov", "shapley", "first_touch", "linear"} <= set(model_names())
    # independently: a journey ends at its first converting touch; count those in the period
    touches = demo_warehouse.read(personas.workspace.slug, "touchpoints")
    converting = touches.filter(touches.column("converted"))
    firsts = converting.group_by("journey_id").aggregate([("occurred_at", "min")])
    expected = pc.sum(_in_period(firsts.column("occurred_at_min"), context["period"])).as_py()
    assert expected > 0
    assert context["conversions"] == expected
    for model, _ in context["models"]:
        total = sum(line.conversions[model] for line in context["lines"])
        assert total == pytest.approx(expected), model
    html = page.content.decode()
    assert 'id="attribution-table"' in html and 'data-chart="chart-attribution"' in html


def test_the_range_holds_every_models_credit(client, personas):
    context = _page(client, personas, period="2025").context
    assert context["lines"]
    for line in context["lines"]:
        assert line.conversions_min <= line.conversions_max
        assert line.value_min <= line.value_max
        for model, _ in context["models"]:
            assert line.conversions_min <= line.conversions[model] <= line.conversions_max
            assert line.value_min <= line.values[model] <= line.value_max
    spreads = [line.conversions_max - line.conversions_min for line in context["lines"]]
    assert max(spreads) > 0  # the models do disagree somewhere


@pytest.mark.parametrize("period", ["2025", "last12"])
def test_the_reconciliation_compares_attributed_value_with_booked_revenue(
    client, personas, demo_warehouse, period
):
    context = _page(client, personas, period=period).context
    slug, currency = personas.workspace.slug, personas.workspace.currency
    orders = demo_warehouse.read(slug, "orders")
    keep = _in_period(orders.column("ordered_at"), context["period"])
    if currency:
        keep = pc.and_(keep, pc.equal(orders.column("currency"), currency))
    booked = pc.sum(orders.filter(keep).column("revenue")).as_py()
    reconciliation = context["reconciliation"]
    assert booked > 0
    assert reconciliation.booked == pytest.approx(booked)
    assert reconciliation.difference == pytest.approx(reconciliation.attributed - booked)
    # the attributed value is the value of the converting journeys, whatever the model
    for model, _ in context["models"]:
        total = sum(line.values[model] for line in context["lines"])
        assert total == pytest.approx(reconciliation.attributed), model


def test_a_malformed_period_falls_back_to_the_last_twelve_months(client, personas):
    context = _page(client, personas, period="20x5'; drop").context
    _, expected = period_for(source_for(personas.workspace), None)
    assert context["period_choice"] == "last12"
    assert context["period"] == expected


def test_the_control_page_links_to_the_attribution_page(client, personas):
    page = _page(client, personas)
    client.force_login(personas.owner)
    control = client.get(reverse("control", args=[personas.workspace.slug]))
    assert (
        reverse("control_attribution", args=[personas.workspace.slug]) in control.content.decode()
    )
    assert page.status_code == 200


def test_the_page_is_fast(client, personas):
    _page(client, personas, period="2025")  # warm the connection
    started = time.perf_counter()
    _page(client, personas, period="last12")
    assert time.perf_counter() - started < 2.0


def test_the_influenced_pipeline_counts_every_journey_a_channel_touched(
    client, personas, demo_warehouse
):
    """Independently from the warehouse: for each channel, the converting journeys of the period
    with at least one touch of it (up to the first converting touch)."""
    context = _page(client, personas, period="2025").context
    touches = demo_warehouse.read(personas.workspace.slug, "touchpoints").to_pylist()
    first_conversion: dict[str, dt.datetime] = {}
    for t in touches:
        if t["converted"]:
            at = first_conversion.get(t["journey_id"])
            if at is None or t["occurred_at"] < at:
                first_conversion[t["journey_id"]] = t["occurred_at"]
    low, high = _bounds(context["period"])
    ending = {j for j, at in first_conversion.items() if low <= at < high}
    seen: dict[str, set[str]] = {}
    for t in touches:
        journey = t["journey_id"]
        if journey in ending and t["occurred_at"] <= first_conversion[journey]:
            seen.setdefault(t["channel"], set()).add(journey)
    lines = {line.channel: line for line in context["lines"]}
    assert {c: len(j) for c, j in seen.items()} == {
        c: int(line.influenced_conversions) for c, line in lines.items()
    }
    # a journey counts for every channel it went through: more than the conversions
    assert sum(line.influenced_conversions for line in lines.values()) > context["conversions"]
    for line in lines.values():  # and never less than any model's credit
        assert line.influenced_conversions >= line.conversions_max - 1e-9
