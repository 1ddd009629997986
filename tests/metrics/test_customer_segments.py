"""The ``customer_segment`` dimension against values computed by hand, and the saved membership.

B2C: the shop of ``kpi_fixture.b2c_warehouse``. B2B: a small company whose leads reach their
accounts through deals (built below). Period: 1 January – 30 June 2025, ``as_of`` 31 Dec 2025.
"""

from __future__ import annotations

import datetime as dt
import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pilotage.metrics import MetricQuery, QueryError, WarehouseSource, run
from pilotage.metrics.measures import NONE_LABEL
from pilotage.warehouse import Warehouse
from pilotage.warehouse.segments import read_segments, saved_years, write_segments
from tests.metrics.kpi_fixture import BATCH, _rows, b2c_warehouse, deal, lead, order, spend

H1 = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
AS_OF = dt.date(2025, 12, 31)
SHOP = {"C1": "Champions", "C3": "At risk"}  # C2 was never segmented
ACCOUNTS = {"A1": "Key accounts", "A4": "Growth", "L5": "Small"}  # L5: a customer without account


def membership(rows: dict[str, str]) -> pa.Table:
    return pa.table({"customer_id": list(rows), "segment": list(rows.values())})


def b2b_accounts_warehouse(root) -> Warehouse:
    """Leads L1–L6; deals link them to accounts A0, A1, A4 (or to no account)."""

    def linked(deal_id, created, closed, status, amount, lead_id, account_id):
        row = deal(deal_id, created, closed, status, amount, "Paid search")
        return row | {"lead_id": lead_id, "account_id": account_id}

    warehouse = Warehouse(root)
    tables = {
        "spend": [spend("2025-01-10", "Paid search", 1000.0)],
        "leads": [
            lead("L1", "2025-01-11", "Paid search", "2025-01-15", None, None, "2025-03-01"),
            lead("L2", "2025-01-12", "Paid search", "2025-01-20"),  # no deal: never a customer
            lead("L3", "2025-01-21", "Trade shows", None, "2025-02-01"),  # lost, no account
            lead("L4", "2025-02-07", "Trade shows", "2025-02-08", None, None, "2025-03-20"),
            lead("L5", "2025-02-10", "Direct", None, None, None, "2025-04-01"),  # won, no account
            lead("L6", "2025-03-01", "Direct"),  # an upsell lead of account A1, lost
        ],
        "deals": [
            # L1 first lost a deal on A0, then won one on A1: the won deal's account counts
            linked("D0", "2025-01-30", "2025-02-05", "lost", 5000.0, "L1", "A0"),
            linked("D1", "2025-02-10", "2025-03-01", "won", 30000.0, "L1", "A1"),
            linked("D2", "2025-03-05", "2025-03-20", "won", 20000.0, "L4", "A4"),
            linked("D3", "2025-02-15", "2025-03-10", "lost", 10000.0, "L3", None),
            linked("D5", "2025-03-15", "2025-04-01", "won", 8000.0, "L5", None),
            linked("D6", "2025-03-05", "2025-04-10", "lost", 7000.0, "L6", "A1"),
        ],
        "orders": [
            order("O1", "A1", "2025-03-01", 30000.0, 9000.0, "Paid search"),
            order("O2", "A1", "2025-04-01", 5000.0, None, "Paid search"),
            order("O4", "A4", "2025-03-20", 20000.0, 6000.0, "Trade shows"),
            order("O5", "E1", "2025-01-05", 50000.0, 15000.0, None),  # historical, unsegmented
        ],
    }
    for name, rows in tables.items():
        warehouse.write_batch("acme", name, _rows(name, rows), BATCH)
    return warehouse


@pytest.fixture(scope="module")
def shop_warehouse(tmp_path_factory):
    return b2c_warehouse(tmp_path_factory.mktemp("shop"))


@pytest.fixture(scope="module")
def shop(shop_warehouse):
    return WarehouseSource(shop_warehouse, "shop", "EUR", customer_segments=membership(SHOP))


@pytest.fixture(scope="module")
def acme(tmp_path_factory):
    warehouse = b2b_accounts_warehouse(tmp_path_factory.mktemp("acme"))
    return WarehouseSource(warehouse, "acme", "EUR", customer_segments=membership(ACCOUNTS))


def by_segment(source, metrics, **kwargs) -> dict[str, dict]:
    kwargs.setdefault("as_of", AS_OF)
    kwargs.setdefault("dimensions", ("customer_segment",))
    result = run(MetricQuery(tuple(metrics), *H1, **kwargs), source)
    return {row["customer_segment"]: row for row in result.rows}


def values(rows: dict[str, dict], metric: str) -> dict[str, float]:
    return {segment: row[metric] for segment, row in rows.items()}


def test_it_splits_b2c_revenue_by_the_saved_segment_of_each_customer(shop):
    # H1 orders: C1 100 + 50, C3 40 (its December order is out), C2 80 (not segmented)
    rows = by_segment(shop, ["revenue"])
    assert values(rows, "revenue") == {"Champions": 150.0, "At risk": 40.0, NONE_LABEL: 80.0}


def test_it_counts_b2c_new_customers_in_the_segment_of_the_customer(shop):
    # first orders in H1 through a channel: C1 (10 Jan), C2 (1 Feb); C3 came in December
    rows = by_segment(shop, ["new_customers", "revenue", "ltv"])
    assert values(rows, "new_customers") == {"Champions": 1, "At risk": 0, NONE_LABEL: 1}
    # historical LTV: C1's margin to date 30 + 15, C2's 24; no cohort customer in "At risk"
    assert values(rows, "ltv") == {"Champions": 45.0, "At risk": None, NONE_LABEL: 24.0}


def test_it_splits_b2b_revenue_by_account_and_keeps_unsegmented_accounts_apart(acme):
    rows = by_segment(acme, ["revenue"])
    assert values(rows, "revenue") == {
        "Key accounts": 30000.0 + 5000.0,
        "Growth": 20000.0,
        NONE_LABEL: 50000.0,  # E1, a historical account no segmentation holds
    }


def test_it_maps_b2b_leads_to_customers_through_their_deals_accounts(acme):
    rows = by_segment(acme, ["new_customers", "leads", "lead_to_customer"])
    # customers in H1: L1 → A1 (its won deal, not the lost one on A0), L4 → A4, L5 itself
    assert values(rows, "new_customers") == {
        "Key accounts": 1,
        "Growth": 1,
        "Small": 1,
        NONE_LABEL: 0,
    }
    # leads: L1 and L6 (a deal on A1) are A1's; L2 (no deal) and L3 (no account) are nobody's
    assert values(rows, "leads") == {"Key accounts": 2, "Growth": 1, "Small": 1, NONE_LABEL: 2}
    assert values(rows, "lead_to_customer") == {
        "Key accounts": 0.5,
        "Growth": 1.0,
        "Small": 1.0,
        NONE_LABEL: 0.0,
    }


def test_it_splits_deals_by_their_account_else_their_lead(acme):
    rows = by_segment(acme, ["win_rate"])
    # A1: D1 won, D6 lost; A4: D2 won; L5: D5 won; nobody's: D0 (A0) and D3 (L3) lost
    assert values(rows, "win_rate") == {
        "Key accounts": 0.5,
        "Growth": 1.0,
        "Small": 1.0,
        NONE_LABEL: 0.0,
    }


def test_it_filters_by_customer_segment_including_none(acme):
    [row] = run(
        MetricQuery(("leads",), *H1, filters=(("customer_segment", (NONE_LABEL,)),), as_of=AS_OF),
        acme,
    ).rows
    assert row == {"leads": 2}


def test_it_crosses_customer_segment_with_channel_under_a_touch_based_model(acme):
    result = run(
        MetricQuery(
            ("new_customers", "attributed_revenue"),
            *H1,
            ("channel", "customer_segment"),
            attribution="linear",
            as_of=AS_OF,
        ),
        acme,
    )
    rows = {(r["channel"], r["customer_segment"]): r for r in result.rows}
    # no touchpoints: every customer keeps its source channel with weight 1
    assert rows[("Paid search", "Key accounts")]["new_customers"] == 1
    assert rows[("Paid search", "Key accounts")]["attributed_revenue"] == 35000.0
    assert rows[("Trade shows", "Growth")]["attributed_revenue"] == 20000.0
    assert rows[("Direct", "Small")]["new_customers"] == 1


def test_it_refuses_kpis_whose_measures_carry_no_customer(acme):
    with pytest.raises(QueryError, match="cac cannot be split or filtered by customer_segment"):
        by_segment(acme, ["cac"])


def test_it_asks_to_save_segments_first_when_there_are_none(shop_warehouse):
    source = WarehouseSource(shop_warehouse, "shop", "EUR")
    with pytest.raises(QueryError, match="no saved segments: save a segmentation on the strat"):
        by_segment(source, ["revenue"])
    # the other dimensions do not need them
    result = run(MetricQuery(("attributed_revenue",), *H1, ("channel",), as_of=AS_OF), source)
    assert values({r["channel"]: r for r in result.rows}, "attributed_revenue") == {
        "Email": 80.0,
        "Paid social": 150.0 + 40.0,
    }


def test_it_changes_the_cache_key_when_the_membership_changes(shop_warehouse, shop):
    moved = WarehouseSource(
        shop_warehouse, "shop", "EUR", customer_segments=membership(SHOP | {"C2": "Champions"})
    )
    reordered = WarehouseSource(
        shop_warehouse, "shop", "EUR", customer_segments=membership(dict(reversed(SHOP.items())))
    )
    assert shop.segments_fingerprint != moved.segments_fingerprint
    assert shop.segments_fingerprint == reordered.segments_fingerprint  # row order aside
    assert WarehouseSource(shop_warehouse, "shop").segments_fingerprint is None
    assert values(by_segment(shop, ["revenue"]), "revenue")["Champions"] == 150.0
    # same query, same warehouse version: only the membership differs
    assert values(by_segment(moved, ["revenue"]), "revenue") == {
        "Champions": 150.0 + 80.0,
        "At risk": 40.0,
    }


def test_it_refuses_a_customer_in_two_segments():
    rows = pa.table({"customer_id": ["C1", "C1"], "segment": ["A", "B"]})
    with pytest.raises(ValueError, match="'C1' is in more than one segment"):
        WarehouseSource(Warehouse("unused"), "shop", customer_segments=rows)


# --- saved membership -------------------------------------------------------------------------


def test_it_round_trips_the_membership_of_a_year(tmp_path):
    warehouse = Warehouse(tmp_path)
    assert read_segments(warehouse, "shop") is None
    write_segments(warehouse, "shop", 2025, SHOP)
    saved = read_segments(warehouse, "shop", 2025)
    assert saved is not None
    assert saved.schema.names == ["customer_id", "segment"]
    assert dict(zip(*saved.to_pydict().values(), strict=True)) == SHOP
    assert (tmp_path / "shop" / "_segments" / "2025.parquet").is_file()


def test_it_reads_the_latest_year_unless_told(tmp_path):
    warehouse = Warehouse(tmp_path)
    write_segments(warehouse, "shop", 2026, [("C1", "Next year")])
    write_segments(warehouse, "shop", 2024, pa.table({"customer_id": ["C1"], "segment": ["Old"]}))
    assert saved_years(warehouse, "shop") == [2024, 2026]
    latest = read_segments(warehouse, "shop")
    assert latest is not None and latest.column("segment").to_pylist() == ["Next year"]
    older = read_segments(warehouse, "shop", 2024)
    assert older is not None and older.column("segment").to_pylist() == ["Old"]
    assert read_segments(warehouse, "shop", 2025) is None


def test_it_replaces_the_year_atomically(tmp_path, monkeypatch):
    warehouse = Warehouse(tmp_path)
    write_segments(warehouse, "shop", 2025, SHOP)
    write_segments(warehouse, "shop", 2025, {"C2": "Champions"})
    replaced = read_segments(warehouse, "shop")
    assert replaced is not None and replaced.to_pylist() == [
        {"customer_id": "C2", "segment": "Champions"}
    ]

    def fail_halfway(table, where):
        with open(where, "wb") as half:
            half.write(b"PAR1")
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", fail_halfway)
    with pytest.raises(OSError, match="disk full"):
        write_segments(warehouse, "shop", 2025, SHOP)
    kept = read_segments(warehouse, "shop")
    assert kept is not None and kept.to_pylist() == replaced.to_pylist()
    assert os.listdir(tmp_path / "shop" / "_segments") == ["2025.parquet"]  # no temp file left


def test_it_feeds_the_saved_membership_to_the_metrics(tmp_path, shop_warehouse):
    write_segments(shop_warehouse, "shop", 2025, SHOP)
    source = WarehouseSource(
        shop_warehouse, "shop", "EUR", customer_segments=read_segments(shop_warehouse, "shop")
    )
    assert values(by_segment(source, ["revenue"]), "revenue")["Champions"] == 150.0


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("C1", "A"), ("C1", "B")], "'C1' is in more than one segment"),
        ([("C1", "")], "customer 'C1' has no segment name"),
        ([(None, "A")], "a customer of segment 'A' has no customer id"),
        (pa.table({"customer_id": ["C1"]}), "missing column"),
    ],
)
def test_it_refuses_a_membership_it_could_not_read_back(tmp_path, rows, message):
    with pytest.raises(ValueError, match=message):
        write_segments(Warehouse(tmp_path), "shop", 2025, rows)


def test_it_refuses_a_bad_workspace_or_year(tmp_path):
    with pytest.raises(ValueError, match="workspace key"):
        write_segments(Warehouse(tmp_path), "../x", 2025, SHOP)
    with pytest.raises(ValueError, match="between 1900 and 2999"):
        read_segments(Warehouse(tmp_path), "shop", 25)
