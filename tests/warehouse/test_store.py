"""The Delta Lake store: batch-idempotent writes, one commit per write, history kept."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from deltalake import DeltaTable

from pilotage.warehouse import SCHEMAS, SchemaError, Warehouse, conform


def spend_batch(import_id: str, rows: int, seed: int = 0, channel: str = "Paid search") -> pa.Table:
    """``rows`` days of spend for one channel, all tagged with ``import_id``."""
    rng = np.random.default_rng(seed)
    start = dt.date(2024, 1, 1)
    return conform(
        "spend",
        {
            "date": [start + dt.timedelta(days=i) for i in range(rows)],
            "channel": [channel] * rows,
            "campaign": ["Marque"] * rows,
            "cost": np.round(rng.gamma(2.0, 150.0, rows), 2),
            "currency": ["EUR"] * rows,
            "impressions": rng.poisson(4000, rows),
            "clicks": rng.poisson(120, rows),
            "platform_conversions": [None] * rows,
            "platform_conversion_value": [None] * rows,
            "source": ["google-ads.csv"] * rows,
            "import_id": [import_id] * rows,
        },
    )


def rows_of(table: pa.Table, import_id: str) -> pa.Table:
    mine = table.filter(pc.equal(table["import_id"], import_id))
    return mine.sort_by([("date", "ascending"), ("channel", "ascending")])


@pytest.fixture
def warehouse(tmp_path) -> Warehouse:
    return Warehouse(tmp_path / "warehouse")


def test_it_has_no_version_before_the_first_write(warehouse):
    assert warehouse.version("acme", "spend") is None
    assert not warehouse.exists("acme", "spend")
    assert warehouse.files("acme", "spend") == []
    assert warehouse.versions("acme") == dict.fromkeys(SCHEMAS)


@pytest.mark.parametrize("table", list(SCHEMAS))
def test_it_reads_an_empty_canonical_table_when_never_written(warehouse, table):
    empty = warehouse.read("acme", table)
    assert empty.num_rows == 0
    assert empty.schema.equals(SCHEMAS[table])


def test_it_writes_a_batch_under_the_workspace_folder(warehouse):
    batch = spend_batch("b1", 30)
    assert warehouse.write_batch("acme", "spend", batch, "b1") is True
    assert warehouse.version("acme", "spend") == 0
    assert DeltaTable.is_deltatable(str(warehouse.root / "acme" / "spend"))
    assert rows_of(warehouse.read("acme", "spend"), "b1").equals(batch)
    assert warehouse.versions("acme")["spend"] == 0
    assert warehouse.versions("acme")["leads"] is None


def test_it_counts_the_current_rows_without_reading_them(warehouse):
    assert warehouse.row_count("acme", "spend") == 0  # never written
    warehouse.write_batch("acme", "spend", spend_batch("b1", 30), "b1")
    warehouse.write_batch("acme", "spend", spend_batch("b2", 5, seed=2), "b2")
    warehouse.write_batch("acme", "spend", spend_batch("b1", 25, seed=7), "b1")  # replaced
    assert warehouse.row_count("acme", "spend") == warehouse.read("acme", "spend").num_rows == 30
    warehouse.undo("acme", "spend", "b1")
    assert warehouse.row_count("acme", "spend") == 5


def test_it_writes_nothing_when_the_same_batch_comes_again(warehouse):
    batch = spend_batch("b1", 30)
    assert warehouse.write_batch("acme", "spend", batch, "b1") is True
    warehouse.write_batch("acme", "spend", spend_batch("b2", 5, seed=2), "b2")
    version = warehouse.version("acme", "spend")
    assert warehouse.write_batch("acme", "spend", batch, "b1") is False
    assert warehouse.version("acme", "spend") == version
    assert warehouse.read("acme", "spend").num_rows == 35


def test_it_replaces_only_the_rewritten_batch_in_one_new_version(warehouse):
    other = spend_batch("b2", 20, seed=2, channel="LinkedIn ads")
    warehouse.write_batch("acme", "spend", spend_batch("b1", 30), "b1")
    warehouse.write_batch("acme", "spend", other, "b2")
    version = warehouse.version("acme", "spend")
    corrected = spend_batch("b1", 25, seed=7)
    assert warehouse.write_batch("acme", "spend", corrected, "b1") is True
    assert warehouse.version("acme", "spend") == version + 1
    table = warehouse.read("acme", "spend")
    assert table.num_rows == 45
    assert rows_of(table, "b1").equals(corrected)
    assert rows_of(table, "b2").equals(other)


def test_it_replaces_a_batch_whose_values_changed_but_not_its_row_count(warehouse):
    warehouse.write_batch("acme", "spend", spend_batch("b1", 30, seed=1), "b1")
    corrected = spend_batch("b1", 30, seed=9)
    assert warehouse.write_batch("acme", "spend", corrected, "b1") is True
    assert rows_of(warehouse.read("acme", "spend"), "b1").equals(corrected)


def test_it_removes_a_batch_rewritten_with_no_rows(warehouse):
    other = spend_batch("b2", 10, seed=2)
    warehouse.write_batch("acme", "spend", spend_batch("b1", 30), "b1")
    warehouse.write_batch("acme", "spend", other, "b2")
    assert warehouse.write_batch("acme", "spend", SCHEMAS["spend"].empty_table(), "b1") is True
    assert warehouse.read("acme", "spend").equals(other)


def test_it_keeps_the_old_batch_in_the_table_history(warehouse):
    original = spend_batch("b1", 30)
    warehouse.write_batch("acme", "spend", original, "b1")
    first_version = warehouse.version("acme", "spend")
    warehouse.write_batch("acme", "spend", spend_batch("b1", 12, seed=5), "b1")
    path = str(warehouse.path("acme", "spend"))
    old = DeltaTable(path, version=first_version).to_pyarrow_table()
    assert rows_of(old, "b1").equals(original)
    assert DeltaTable(path).to_pyarrow_table().num_rows == 12
    assert len(DeltaTable(path).history()) == 2


def test_it_keeps_workspaces_apart(warehouse):
    acme = spend_batch("b1", 30)
    warehouse.write_batch("acme", "spend", acme, "b1")
    warehouse.write_batch("globex", "spend", spend_batch("b1", 3, seed=4), "b1")
    assert warehouse.read("acme", "spend").equals(acme)
    assert warehouse.read("globex", "spend").num_rows == 3
    assert warehouse.version("acme", "spend") == 0


def test_it_refuses_rows_of_another_batch(warehouse):
    mixed = pa.concat_tables([spend_batch("b1", 3), spend_batch("b2", 3)])
    with pytest.raises(ValueError, match="import_id 'b1'"):
        warehouse.write_batch("acme", "spend", mixed, "b1")
    assert warehouse.version("acme", "spend") is None


def test_it_refuses_data_that_does_not_fit_the_table(warehouse):
    batch = spend_batch("b1", 3).drop_columns(["cost"])
    with pytest.raises(SchemaError, match="cost"):
        warehouse.write_batch("acme", "spend", batch, "b1")
    assert warehouse.version("acme", "spend") is None


def test_it_writes_a_batch_id_that_needs_quoting(warehouse):
    tricky = "l'import-1"
    warehouse.write_batch("acme", "spend", spend_batch("b1", 4), "b1")
    batch = spend_batch(tricky, 6, seed=3)
    assert warehouse.write_batch("acme", "spend", batch, tricky) is True
    assert warehouse.write_batch("acme", "spend", spend_batch(tricky, 2, seed=3), tricky) is True
    table = warehouse.read("acme", "spend")
    assert rows_of(table, "b1").num_rows == 4
    assert rows_of(table, tricky).num_rows == 2


@pytest.mark.parametrize("key", ["acme", "acme-2", "a_b", "0day"])
def test_it_accepts_lower_case_workspace_keys(warehouse, key):
    assert warehouse.path(key, "spend") == warehouse.root / key / "spend"


@pytest.mark.parametrize("key", ["", "Acme", "../acme", "acme/x", "-acme", "_acme", "a b", "é"])
def test_it_rejects_a_bad_workspace_key(warehouse, key):
    with pytest.raises(ValueError, match="workspace key"):
        warehouse.path(key, "spend")
    with pytest.raises(ValueError, match="workspace key"):
        warehouse.write_batch(key, "spend", spend_batch("b1", 2), "b1")


@pytest.mark.parametrize("table", ["budget", "Spend", "../spend", ""])
def test_it_rejects_an_unknown_table(warehouse, table):
    with pytest.raises(ValueError, match="unknown table"):
        warehouse.path("acme", table)
    with pytest.raises(ValueError, match="unknown table"):
        warehouse.version("acme", table)


def test_it_replaces_an_older_batch_in_the_same_commit(warehouse):
    warehouse.write_batch("acme", "spend", spend_batch("old", 10), "old")
    warehouse.write_batch("acme", "spend", spend_batch("other", 3), "other")
    before = warehouse.version("acme", "spend")
    assert warehouse.write_batch("acme", "spend", spend_batch("new", 7), "new", replaces=("old",))
    assert warehouse.version("acme", "spend") == before + 1
    assert warehouse.batches("acme", "spend") == ["new", "other"]
    assert warehouse.read("acme", "spend").num_rows == 10
    # nothing left to replace and the same rows: nothing written
    assert not warehouse.write_batch(
        "acme", "spend", spend_batch("new", 7), "new", replaces=("old",)
    )


def test_it_reloads_the_demo_over_an_older_simulator_version(tmp_path):
    from pilotage.simulate import BOUTIQUE
    from pilotage.simulate.loader import load_company
    from pilotage.simulate.market import import_id

    warehouse = Warehouse(tmp_path)
    stale = spend_batch(f"demo-{BOUTIQUE.slug}-seed42-v0", 5)
    warehouse.write_batch(BOUTIQUE.slug, "spend", stale, f"demo-{BOUTIQUE.slug}-seed42-v0")
    load_company(warehouse, BOUTIQUE, seed=42)
    assert warehouse.batches(BOUTIQUE.slug, "spend") == [import_id(BOUTIQUE, 42)]
