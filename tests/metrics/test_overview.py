"""Overview figures (spend, demand, revenue) against small hand-made tables and the demo data."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pyarrow.compute as pc
import pytest

from pilotage.metrics.overview import (
    Headline,
    Period,
    channels,
    demand_by_month,
    demand_unit,
    headline,
    spend_by_channel_month,
)
from pilotage.simulate import INDUSTRIE, simulate
from pilotage.warehouse import SCHEMAS, Warehouse, conform, connect

BATCH = "hand-made"


def at(text: str) -> dt.datetime:
    """A UTC timestamp from ``YYYY-MM-DD HH:MM``."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def write(warehouse: Warehouse, workspace: str, table: str, rows: list[dict]) -> None:
    """Write ``rows`` as one batch; columns a row does not give are empty."""
    names = SCHEMAS[table].names
    lineage = {"source": "test", "import_id": BATCH}
    data = {n: [{**lineage, **row}.get(n) for row in rows] for n in names}
    warehouse.write_batch(workspace, table, conform(table, data), BATCH)


def spend(date: str, channel: str, cost: float) -> dict:
    return {"date": day(date), "channel": channel, "cost": cost, "currency": "EUR"}


def lead(lead_id: str, created: str, channel: str | None) -> dict:
    return {"lead_id": lead_id, "created_at": at(created), "channel": channel}


def order(order_id: str, customer: str, ordered: str, revenue: float, channel: str | None):
    return {
        "order_id": order_id,
        "customer_id": customer,
        "ordered_at": at(ordered),
        "revenue": revenue,
        "currency": "EUR",
        "acquisition_channel": channel,
    }


# A B2B company: spend, leads, and a few orders.
B2B_SPEND = [
    spend("2023-12-31", "Search", 1000.0),  # before 2024
    spend("2024-01-05", "Search", 100.5),
    spend("2024-01-20", "Search", 200.25),
    spend("2024-01-10", "Social", 50.0),
    spend("2024-02-01", "Search", 10.0),
    spend("2024-02-29", "Social", 5.5),
    spend("2024-12-31", "Display", 7.0),
    spend("2025-01-01", "Search", 999.0),  # after 2024; the last day with spend
]
B2B_LEADS = [
    lead("L1", "2024-01-15 09:00", "Search"),
    lead("L2", "2024-01-31 23:59", "Search"),
    lead("L3", "2024-02-01 00:01", "Social"),
    lead("L4", "2024-02-10 12:00", None),
    lead("L5", "2023-12-31 23:00", "Search"),
    lead("L6", "2025-01-15 10:00", "Events"),
]
B2B_ORDERS = [
    order("O1", "acct-1", "2024-03-10 10:00", 1000.0, "Search"),
    order("O2", "acct-2", "2024-01-31 23:30", 500.0, "Search"),  # before the last 12 months
    order("O3", "acct-1", "2025-01-31 12:00", 250.0, "Search"),
    order("O4", "acct-3", "2025-02-01 00:10", 80.0, "Referral"),  # after them
]

# A B2C shop: no leads; demand is new customers, dated by their first order.
B2C_SPEND = [
    spend("2024-01-02", "Search", 40.0),
    spend("2024-02-02", "Social", 30.0),
    spend("2024-03-15", "Search", 20.0),  # the last day with spend
]
B2C_ORDERS = [
    order("c1-1", "c1", "2024-01-10 08:00", 100.0, "Search"),
    order("c1-2", "c1", "2024-03-05 08:00", 40.0, "Social"),  # repeat: not a new customer
    order("c2-1", "c2", "2024-01-25 19:00", 60.0, "Social"),
    order("c3-1", "c3", "2023-12-20 12:00", 30.0, "Email"),
    order("c3-2", "c3", "2024-02-02 12:00", 20.0, "Email"),  # repeat of a 2023 customer
    order("c4-1", "c4", "2024-03-31 23:59", 15.0, None),
    order("c5-1", "c5", "2023-03-31 23:59", 999.0, "Email"),  # before the last 12 months
]


@pytest.fixture
def warehouse(tmp_path) -> Warehouse:
    return Warehouse(tmp_path / "warehouse")


@pytest.fixture
def b2b(warehouse):
    write(warehouse, "b2b", "spend", B2B_SPEND)
    write(warehouse, "b2b", "leads", B2B_LEADS)
    write(warehouse, "b2b", "orders", B2B_ORDERS)
    return connect(warehouse, "b2b")


@pytest.fixture
def b2c(warehouse):
    write(warehouse, "b2c", "spend", B2C_SPEND)
    write(warehouse, "b2c", "orders", B2C_ORDERS)
    return connect(warehouse, "b2c")


# Period


@pytest.mark.parametrize(
    ("end", "start", "last"),
    [
        ("2024-03-15", "2023-04-01", "2024-03-31"),  # mid-month
        ("2024-01-10", "2023-02-01", "2024-01-31"),  # January: starts the year before
        ("2024-12-05", "2024-01-01", "2024-12-31"),  # December: one calendar year
        ("2024-02-29", "2023-03-01", "2024-02-29"),  # leap day
        ("2024-02-01", "2023-03-01", "2024-02-29"),  # leap February, first day
        ("2023-02-28", "2022-03-01", "2023-02-28"),  # common February
        ("2024-12-31", "2024-01-01", "2024-12-31"),
        ("2025-01-01", "2024-02-01", "2025-01-31"),
    ],
)
def test_it_spans_the_twelve_calendar_months_ending_with_the_end_month(end, start, last):
    assert Period.last_12_months(day(end)) == Period(day(start), day(last))


def test_it_spans_a_calendar_year():
    assert Period.year(2024) == Period(day("2024-01-01"), day("2024-12-31"))


# spend


def test_it_sums_spend_per_month_and_channel_within_the_period(b2b):
    assert spend_by_channel_month(b2b, Period.year(2024)) == [
        {"month": "2024-01-01", "channel": "Search", "cost": 300.75},
        {"month": "2024-01-01", "channel": "Social", "cost": 50.0},
        {"month": "2024-02-01", "channel": "Search", "cost": 10.0},
        {"month": "2024-02-01", "channel": "Social", "cost": 5.5},
        {"month": "2024-12-01", "channel": "Display", "cost": 7.0},
    ]


def test_it_includes_both_ends_of_the_period(b2b):
    period = Period(day("2024-01-20"), day("2024-02-01"))
    assert spend_by_channel_month(b2b, period) == [
        {"month": "2024-01-01", "channel": "Search", "cost": 200.25},
        {"month": "2024-02-01", "channel": "Search", "cost": 10.0},
    ]


def test_it_gives_no_spend_for_a_period_without_data(b2b):
    assert spend_by_channel_month(b2b, Period.year(2022)) == []


# demand


def _by_month_and_channel(rows: list[dict]) -> dict[tuple[str, str], int]:
    months = [r["month"] for r in rows]
    assert months == sorted(months)
    return {(r["month"], r["channel"]): r["count"] for r in rows}


def test_it_counts_leads_per_month_and_channel(b2b):
    assert demand_unit(b2b) == "leads"
    rows = demand_by_month(b2b, Period.year(2024))
    assert _by_month_and_channel(rows) == {
        ("2024-01-01", "Search"): 2,  # L1, and L2 one minute before February (UTC)
        ("2024-02-01", "Social"): 1,
        ("2024-02-01", "?"): 1,  # a lead without a channel
    }


def test_it_counts_new_customers_by_first_order_month_and_channel(b2c):
    assert demand_unit(b2c) == "new customers"
    rows = demand_by_month(b2c, Period.year(2024))
    assert _by_month_and_channel(rows) == {
        ("2024-01-01", "Search"): 1,  # c1; its repeat order in March is not a new customer
        ("2024-01-01", "Social"): 1,  # c2
        ("2024-03-01", "?"): 1,  # c4, an order without an acquisition channel
    }


def test_it_does_not_count_a_customer_of_an_earlier_period_again(b2c):
    rows = demand_by_month(b2c, Period(day("2024-02-01"), day("2024-02-29")))
    assert rows == []  # c3's February order is a repeat


def test_it_takes_the_channel_of_the_first_order_even_when_it_is_unknown(warehouse):
    write(warehouse, "shop", "spend", [spend("2024-01-01", "Search", 1.0)])
    write(
        warehouse,
        "shop",
        "orders",
        [
            order("a-1", "a", "2024-01-10 10:00", 50.0, None),
            order("a-2", "a", "2024-02-10 10:00", 50.0, "Social"),
        ],
    )
    con = connect(warehouse, "shop")
    assert demand_by_month(con, Period.year(2024)) == [
        {"month": "2024-01-01", "channel": "?", "count": 1}
    ]


# headline


def test_it_has_no_headline_without_data(warehouse):
    assert headline(connect(warehouse, "empty")) is None


def test_it_sums_the_last_twelve_months_of_a_b2b_company(b2b):
    # The last spend is on 2025-01-01: February 2024 to January 2025.
    assert headline(b2b) == Headline(
        period=Period(day("2024-02-01"), day("2025-01-31")),
        marketing_spend=10.0 + 5.5 + 7.0 + 999.0,
        new_demand=3,  # L3, L4, L6
        demand_unit="leads",
        revenue=1000.0 + 250.0,  # O1, O3
    )


def test_it_sums_the_last_twelve_months_of_a_b2c_company(b2c):
    # The last spend is on 2024-03-15: April 2023 to March 2024.
    assert headline(b2c) == Headline(
        period=Period(day("2023-04-01"), day("2024-03-31")),
        marketing_spend=40.0 + 30.0 + 20.0,
        new_demand=4,  # c1, c2, c3 (December 2023), c4; not c5 (March 2023)
        demand_unit="new customers",
        revenue=100.0 + 40.0 + 60.0 + 30.0 + 20.0 + 15.0,
    )


# channels


def test_it_lists_channels_from_spend_leads_and_orders(b2b, b2c):
    assert channels(b2b) == ["Display", "Events", "Referral", "Search", "Social"]
    assert channels(b2c) == ["Email", "Search", "Social"]


def test_it_lists_no_channel_in_an_empty_warehouse(warehouse):
    assert channels(connect(warehouse, "empty")) == []


# the demo company


def test_it_sums_the_demo_spend_of_a_year_like_pyarrow(warehouse):
    market = simulate(INDUSTRIE, 42)
    for name, table in market.tables.items():
        warehouse.write_batch(INDUSTRIE.slug, name, table, market.import_id)
    con = connect(warehouse, INDUSTRIE.slug)

    spend_table = market.tables["spend"]
    in_2025 = spend_table.filter(
        (pc.field("date") >= day("2025-01-01")) & (pc.field("date") <= day("2025-12-31"))
    )
    expected: dict[tuple[str, str], float] = defaultdict(float)
    for row in in_2025.select(["date", "channel", "cost"]).to_pylist():
        expected[(row["date"].replace(day=1).isoformat(), row["channel"])] += row["cost"]

    rows = spend_by_channel_month(con, Period.year(2025))
    assert len({r["month"] for r in rows}) == 12
    assert {(r["month"], r["channel"]) for r in rows} == set(expected)
    for r in rows:
        assert r["cost"] == pytest.approx(expected[(r["month"], r["channel"])], abs=0.005)
    total = pc.sum(in_2025.column("cost")).as_py()
    assert sum(r["cost"] for r in rows) == pytest.approx(total, abs=0.005 * len(rows))
