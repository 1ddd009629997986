"""Fully loaded marketing cost and CAC: payroll and sales cost entered monthly, by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from pilotage.metrics import MetricQuery, QueryError, WarehouseSource, run
from pilotage.metrics.recurring import RecurringCost, daily_rows
from tests.metrics.kpi_fixture import b2c_warehouse

JANUARY = (dt.date(2025, 1, 1), dt.date(2025, 1, 31))


def test_it_spreads_a_monthly_cost_over_the_days_of_each_month():
    rows = daily_rows(
        [RecurringCost("payroll", 3100.0, dt.date(2025, 1, 16), None, "EUR")],
        until=dt.date(2025, 2, 28),
    )
    january = [r for r in rows.to_pylist() if r["date"].month == 1]
    february = [r for r in rows.to_pylist() if r["date"].month == 2]
    assert len(january) == 16 and sum(r["cost"] for r in january) == pytest.approx(1600.0)
    assert len(february) == 28 and sum(r["cost"] for r in february) == pytest.approx(3100.0)
    with pytest.raises(ValueError, match="before it starts"):
        RecurringCost("sales", 1.0, dt.date(2025, 2, 1), dt.date(2025, 1, 1), "EUR")
    with pytest.raises(ValueError, match="unknown cost kind"):
        RecurringCost("rent", 1.0, dt.date(2025, 2, 1), None, "EUR")


def test_it_loads_payroll_and_sales_cost_into_the_fully_loaded_kpis(tmp_path):
    shop = b2c_warehouse(tmp_path)
    costs = daily_rows(
        [
            RecurringCost("payroll", 600.0, dt.date(2024, 12, 1), None, "EUR"),
            RecurringCost("sales", 310.0, dt.date(2025, 1, 1), dt.date(2025, 1, 31), "EUR"),
            RecurringCost("sales", 999.0, dt.date(2025, 1, 1), None, "USD"),  # left out
        ],
        until=dt.date(2025, 12, 31),
    )
    source = WarehouseSource(shop, "shop", "EUR", recurring_costs=costs)
    metrics = (
        "marketing_cost",
        "marketing_cost_fully_loaded",
        "cac",
        "cac_fully_loaded",
        "new_customers",
    )
    row = run(MetricQuery(metrics, *JANUARY), source).rows[0]
    # media 300 (kpi_fixture), payroll 600, sales 310 in January
    assert row["marketing_cost"] == pytest.approx(300.0)
    assert row["marketing_cost_fully_loaded"] == pytest.approx(900.0)
    assert row["cac_fully_loaded"] == pytest.approx(1210.0 / row["new_customers"])
    assert row["cac"] == pytest.approx(300.0 / row["new_customers"])
    # nothing entered: the fully loaded figures are the plain ones
    plain = run(MetricQuery(metrics, *JANUARY), WarehouseSource(shop, "shop", "EUR")).rows[0]
    assert plain["cac_fully_loaded"] == pytest.approx(plain["cac"])
    # payroll has no channel: the fully loaded CAC is not split by channel
    with pytest.raises(QueryError, match="channel"):
        run(MetricQuery(("cac_fully_loaded",), *JANUARY, ("channel",)), source)
