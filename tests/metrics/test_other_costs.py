"""Marketing cost = media spend + the non-media costs given to the source, by hand."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from pilotage.metrics import MetricQuery, WarehouseSource, run
from tests.metrics.kpi_fixture import b2c_warehouse

JANUARY = (dt.date(2025, 1, 1), dt.date(2025, 1, 31))


def costs(*rows) -> pa.Table:
    return pa.table(
        {
            "date": [dt.date.fromisoformat(r[0]) for r in rows],
            "channel": [r[1] for r in rows],
            "cost": [r[2] for r in rows],
            "currency": [r[3] for r in rows],
        }
    )


@pytest.fixture
def shop(tmp_path):
    return b2c_warehouse(tmp_path)


def _by_channel(source, *metrics):
    result = run(MetricQuery(metrics, *JANUARY, ("channel",)), source)
    return {r["channel"]: {m: r[m] for m in metrics} for r in result.rows}


def test_it_adds_the_other_costs_to_the_media_spend_by_channel(shop):
    # media: Paid social 200, Email 100 in January (kpi_fixture); other costs below
    other = costs(
        ("2025-01-20", "Email", 50.0, "EUR"),  # an agency's newsletter fee
        ("2025-01-25", "Trade shows", 1000.0, "EUR"),  # a channel without media spend
        ("2025-02-02", "Email", 70.0, "EUR"),  # February: outside the period
        ("2025-01-26", "Email", 999.0, "USD"),  # another currency: left out
    )
    source = WarehouseSource(shop, "shop", "EUR", other_costs=other)
    rows = _by_channel(source, "marketing_cost")
    assert rows["Email"]["marketing_cost"] == pytest.approx(150.0)
    assert rows["Paid social"]["marketing_cost"] == pytest.approx(200.0)
    assert rows["Trade shows"]["marketing_cost"] == pytest.approx(1000.0)
    total = run(MetricQuery(("marketing_cost", "cac"), *JANUARY), source).rows[0]
    assert total["marketing_cost"] == pytest.approx(1350.0)
    plain = run(
        MetricQuery(("marketing_cost", "cac"), *JANUARY), WarehouseSource(shop, "shop", "EUR")
    )
    assert plain.rows[0]["marketing_cost"] == pytest.approx(300.0)
    # CAC follows: the same new customers, the fuller cost
    assert total["cac"] == pytest.approx(plain.rows[0]["cac"] * 1350.0 / 300.0)


def test_it_changes_the_cache_key_when_a_cost_is_recorded(shop):
    first = WarehouseSource(
        shop, "shop", "EUR", other_costs=costs(("2025-01-20", "Email", 50.0, "EUR"))
    )
    again = WarehouseSource(
        shop, "shop", "EUR", other_costs=costs(("2025-01-20", "Email", 50.0, "EUR"))
    )
    more = WarehouseSource(
        shop, "shop", "EUR", other_costs=costs(("2025-01-20", "Email", 80.0, "EUR"))
    )
    assert first.costs_fingerprint == again.costs_fingerprint != more.costs_fingerprint
    assert _by_channel(first, "marketing_cost")["Email"]["marketing_cost"] == pytest.approx(150.0)
    assert _by_channel(more, "marketing_cost")["Email"]["marketing_cost"] == pytest.approx(180.0)
    assert WarehouseSource(shop, "shop", "EUR").costs_fingerprint is None
