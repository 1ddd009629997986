"""What the main KPI expressions compile to: DuckDB SQL snapshots, and the Spark dialect.

Set UPDATE_SNAPSHOTS=1 to rewrite the snapshot files after an intended change, then review
the diff like code.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import ibis
import pytest

from pilotage.metrics import MetricQuery, WarehouseSource, expression
from tests.metrics.kpi_fixture import b2b_warehouse

SNAPSHOTS = Path(__file__).parent / "snapshots"
QUERIES = {
    "scorecard_by_quarter": MetricQuery(
        ("cac", "romi", "ltv_to_cac", "mql_to_sql", "nps"),
        dt.date(2025, 1, 1),
        dt.date(2025, 12, 31),
        grain="quarter",
        as_of=dt.date(2025, 12, 31),
    ),
    "cac_romi_by_channel_month": MetricQuery(
        ("cac", "romi", "roas"),
        dt.date(2025, 1, 1),
        dt.date(2025, 12, 31),
        ("channel",),
        "month",
        as_of=dt.date(2025, 12, 31),
    ),
}


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return WarehouseSource(b2b_warehouse(tmp_path_factory.mktemp("wh")), "acme", "EUR")


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_it_compiles_the_main_kpis_to_the_snapshot_duckdb_sql(source, name):
    sql = ibis.to_sql(expression(QUERIES[name], source), dialect="duckdb") + "\n"
    path = SNAPSHOTS / f"{name}.duckdb.sql"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.write_text(sql)
    assert sql == path.read_text(), f"{path.name} changed: review, then UPDATE_SNAPSHOTS=1"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_it_compiles_the_same_kpis_for_spark(source, name):
    sql = ibis.to_sql(expression(QUERIES[name], source, portable=True), dialect="databricks")
    assert "SELECT" in sql and "`spend`" in sql
    for duckdb_only in ("MAKE_TIMESTAMPTZ", "EPOCH_US", "MAKE_TIMESTAMP("):
        assert duckdb_only not in sql  # no DuckDB-only function leaks into Spark SQL
