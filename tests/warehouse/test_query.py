"""DuckDB views over the warehouse: one per canonical table, always queryable."""

from __future__ import annotations

import datetime as dt
import math

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pilotage.warehouse import SCHEMAS, Warehouse, conform, connect
from tests.warehouse.test_store import spend_batch

DUCKDB_TYPES = {
    pa.string(): "VARCHAR",
    pa.float64(): "DOUBLE",
    pa.int64(): "BIGINT",
    pa.int8(): "TINYINT",
    pa.bool_(): "BOOLEAN",
    pa.date32(): "DATE",
    pa.timestamp("us", tz="UTC"): "TIMESTAMP WITH TIME ZONE",
}


@pytest.fixture
def warehouse(tmp_path) -> Warehouse:
    return Warehouse(tmp_path / "warehouse")


def _columns(con, table: str) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in con.execute(f"DESCRIBE {table}").fetchall()]


@pytest.mark.parametrize("table", list(SCHEMAS))
def test_it_gives_an_empty_queryable_view_for_a_table_never_written(warehouse, table):
    con = connect(warehouse, "acme")
    assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
    expected = [(f.name, DUCKDB_TYPES[f.type]) for f in SCHEMAS[table]]
    assert _columns(con, table) == expected


@pytest.mark.parametrize("table", ["spend", "leads"])
def test_it_gives_written_tables_the_same_columns_as_empty_ones(warehouse, table):
    if table == "spend":
        warehouse.write_batch("acme", "spend", spend_batch("b1", 3), "b1")
    else:
        warehouse.write_batch("acme", "leads", _leads("b1"), "b1")
    written = connect(warehouse, "acme")
    empty = connect(warehouse, "other")
    assert _columns(written, table) == _columns(empty, table)


def test_it_sums_spend_like_the_written_data(warehouse):
    batches = [spend_batch("b1", 400, seed=1), spend_batch("b2", 250, seed=2, channel="Email")]
    for batch in batches:
        warehouse.write_batch("acme", "spend", batch, pc.unique(batch["import_id"])[0].as_py())
    con = connect(warehouse, "acme")
    total, rows = con.execute("SELECT sum(cost), count(*) FROM spend").fetchone()
    expected = sum(pc.sum(b["cost"]).as_py() for b in batches)
    assert rows == 650
    assert math.isclose(total, expected, rel_tol=1e-12)
    by_channel = dict(con.execute("SELECT channel, sum(cost) FROM spend GROUP BY 1").fetchall())
    assert math.isclose(by_channel["Email"], pc.sum(batches[1]["cost"]).as_py(), rel_tol=1e-12)
    clicks = con.execute("SELECT sum(clicks) FROM spend WHERE channel = 'Paid search'").fetchone()
    assert clicks == (pc.sum(batches[0]["clicks"]).as_py(),)


def test_it_shows_the_current_version_after_a_batch_is_replaced(warehouse):
    warehouse.write_batch("acme", "spend", spend_batch("b1", 40, seed=1), "b1")
    warehouse.write_batch("acme", "spend", spend_batch("b2", 10, seed=2), "b2")
    corrected = spend_batch("b1", 15, seed=3)
    warehouse.write_batch("acme", "spend", corrected, "b1")
    con = connect(warehouse, "acme")
    counts = dict(con.execute("SELECT import_id, count(*) FROM spend GROUP BY 1").fetchall())
    assert counts == {"b1": 15, "b2": 10}
    total = con.execute("SELECT sum(cost) FROM spend WHERE import_id = 'b1'").fetchone()[0]
    assert math.isclose(total, pc.sum(corrected["cost"]).as_py(), rel_tol=1e-12)


def test_it_only_shows_the_workspaces_own_rows(warehouse):
    warehouse.write_batch("acme", "spend", spend_batch("b1", 40), "b1")
    warehouse.write_batch("globex", "spend", spend_batch("b1", 7), "b1")
    assert connect(warehouse, "globex").execute("SELECT count(*) FROM spend").fetchone() == (7,)
    assert connect(warehouse, "initech").execute("SELECT count(*) FROM spend").fetchone() == (0,)


def test_it_reads_timestamps_in_utc(warehouse):
    warehouse.write_batch("acme", "leads", _leads("b1"), "b1")
    con = connect(warehouse, "acme")
    day, hour = con.execute(
        "SELECT CAST(created_at AS DATE), hour(created_at) FROM leads WHERE lead_id = 'L1'"
    ).fetchone()
    assert (day, hour) == (dt.date(2024, 3, 31), 23)
    mql = con.execute("SELECT count(mql_at) FROM leads").fetchone()
    assert mql == (1,)


def test_it_joins_tables_in_sql(warehouse):
    warehouse.write_batch("acme", "leads", _leads("b1"), "b1")
    warehouse.write_batch("acme", "spend", spend_batch("b1", 120, seed=4), "b1")
    con = connect(warehouse, "acme")
    leads, cost = con.execute(
        "SELECT count(DISTINCT l.lead_id), sum(s.cost) FROM leads l "
        "JOIN spend s ON s.channel = l.channel AND s.date = CAST(l.created_at AS DATE)"
    ).fetchone()
    assert leads == 2
    spend = spend_batch("b1", 120, seed=4)
    days = pc.is_in(spend["date"], pa.array([dt.date(2024, 3, 31), dt.date(2024, 4, 1)]))
    assert math.isclose(cost, pc.sum(spend.filter(days)["cost"]).as_py(), rel_tol=1e-12)


def test_it_reads_a_warehouse_whose_path_has_spaces_and_accents(tmp_path):
    warehouse = Warehouse(tmp_path / "Mes données")
    batch = spend_batch("b1", 5)
    warehouse.write_batch("acme", "spend", batch, "b1")
    total = connect(warehouse, "acme").execute("SELECT sum(cost) FROM spend").fetchone()[0]
    assert math.isclose(total, pc.sum(batch["cost"]).as_py(), rel_tol=1e-12)


def _leads(import_id: str) -> pa.Table:
    utc = dt.UTC
    created = [
        dt.datetime(2024, 3, 31, 23, 30, tzinfo=utc),  # 01:30 on April 1st in Paris
        dt.datetime(2024, 4, 1, 9, 0, tzinfo=utc),
        dt.datetime(2024, 4, 1, 10, 0, tzinfo=utc),
    ]
    return conform(
        "leads",
        {
            "lead_id": ["L1", "L2", "L3"],
            "created_at": created,
            "channel": ["Paid search", "Paid search", "Direct"],
            "campaign": ["Marque", "Marque", None],
            "industry": ["Chimie", None, None],
            "company_size": ["50-249", None, None],
            "region": [None] * 3,
            "country": ["FR", "FR", None],
            "mql_at": [dt.datetime(2024, 4, 5, tzinfo=utc), None, None],
            "sql_at": [None] * 3,
            "opportunity_at": [None] * 3,
            "customer_at": [None] * 3,
            "disqualified_at": [None] * 3,
            "source": ["crm"] * 3,
            "import_id": [import_id] * 3,
        },
    )
