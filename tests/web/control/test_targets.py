"""KPI targets feed the metrics layer's plan comparison and the scorecard's traffic lights."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pilotage.metrics import MetricQuery, run
from pilotage.web.control.scorecard import source_for, status
from pilotage.web.plans.services import plan_lookup, set_target

pytestmark = pytest.mark.django_db
YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def test_it_prorates_count_targets_by_day_and_keeps_ratio_targets_whole(personas):
    ws = personas.workspace
    set_target(ws, "leads", *YEAR, 3650, dimension="channel", dimension_value="Paid search")
    set_target(ws, "nps", *YEAR, 40)
    lookup = plan_lookup(ws)
    january = (dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    assert lookup("leads", {"channel": "Paid search"}, *january) == pytest.approx(3650 * 31 / 365)
    assert lookup("leads", {"channel": "Trade shows"}, *january) is None
    assert lookup("leads", {}, *january) is None  # only a channel target exists
    assert lookup("nps", {}, *january) == 40.0
    assert lookup("nps", {}, dt.date(2024, 1, 1), dt.date(2024, 12, 31)) is None


def test_it_compares_monthly_leads_with_the_plan(personas):
    ws = personas.workspace
    set_target(ws, "leads", *YEAR, 3650, dimension="channel", dimension_value="Paid search")
    query = MetricQuery(("leads",), *YEAR, ("channel",), "month", "plan")
    rows = run(query, source_for(ws), plan=plan_lookup(ws)).rows
    paid = {r["period"]: r for r in rows if r["channel"] == "Paid search"}
    february = paid[dt.date(2025, 2, 1)]
    assert february["leads__compare"] == pytest.approx(3650 * 28 / 365)
    assert february["leads__change"] == pytest.approx(february["leads"] - 280)
    assert all(r["leads__compare"] is None for r in rows if r["channel"] != "Paid search")


@pytest.mark.parametrize(
    ("value", "target", "direction", "expected"),
    [
        (45, 40, "higher_is_better", "good"),
        (38, 40, "higher_is_better", "warning"),  # 5% short: within the 10% band
        (30, 40, "higher_is_better", "bad"),
        (95, 100, "lower_is_better", "good"),
        (105, 100, "lower_is_better", "warning"),
        (150, 100, "lower_is_better", "bad"),
        (150, None, "lower_is_better", None),
    ],
)
def test_it_turns_a_variance_against_target_into_a_traffic_light(
    value, target, direction, expected
):
    assert status(value, target, direction) == expected


def test_it_shows_targets_and_traffic_lights_on_the_scorecard(client, personas):
    ws = personas.workspace
    set_target(ws, "nps", *YEAR, 40)
    set_target(ws, "ltv_to_cac", *YEAR, 3)
    client.force_login(personas.owner)
    page = client.get(reverse("control", args=[ws.slug]), {"period": "2025"})
    tiles = {t.metric: t for t in page.context["tiles"]}
    [row] = run(MetricQuery(("nps", "ltv_to_cac"), *YEAR), source_for(ws)).rows
    assert tiles["nps"].target == 40.0
    assert tiles["nps"].status == (
        "good" if row["nps"] >= 40 else "warning" if row["nps"] >= 36 else "bad"
    )
    assert tiles["ltv_to_cac"].target == 3.0
    assert tiles["cac"].target is None and tiles["cac"].status is None
    assert f"status-{tiles['nps'].status}" in page.content.decode()
