"""Delta Lake storage of the canonical tables, one folder of tables per workspace.

Every write is one atomic Delta commit. A batch (an import, or a demo load) is identified by its
``import_id``: writing a batch replaces that batch's rows and nothing else, so loading the same
batch twice leaves the table as it was (and adds no version when the rows are already there).
In ``leads``, ``deals`` and ``survey_responses`` (``UPSERT_KEYS``) a record appears once: a
batch holding a record that an older batch already wrote takes it over (upsert by key, one
merge commit), and undoing that batch gives the older batch its row back. Every version
stays readable (``as_of``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Literal
from urllib.parse import unquote

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import DeltaTable, write_deltalake

from pilotage.warehouse.schema import SCHEMAS, UPSERT_KEYS, conform

AsOf = int | dt.datetime | None

_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class Warehouse:
    """The warehouse under ``root``: ``root/<workspace key>/<table>/`` Delta tables.

    >>> import tempfile
    >>> wh = Warehouse(Path(tempfile.mkdtemp()))
    >>> wh.version("acme", "spend") is None
    True
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, workspace: str, table: str) -> Path:
        if not _KEY.match(workspace):
            raise ValueError(f"workspace key {workspace!r}: use lower-case letters, digits, - or _")
        if table not in SCHEMAS:
            raise ValueError(f"unknown table {table!r}; expected one of {', '.join(SCHEMAS)}")
        return self.root / workspace / table

    def exists(self, workspace: str, table: str) -> bool:
        return DeltaTable.is_deltatable(str(self.path(workspace, table)))

    def version(self, workspace: str, table: str) -> int | None:
        """The table's current Delta version, or None when it was never written."""
        if not self.exists(workspace, table):
            return None
        return DeltaTable(str(self.path(workspace, table))).version()

    def versions(self, workspace: str) -> dict[str, int | None]:
        """Current version of every canonical table of a workspace (a cache key for readers)."""
        return {table: self.version(workspace, table) for table in SCHEMAS}

    def table(self, workspace: str, table: str, as_of: AsOf = None) -> DeltaTable | None:
        """The Delta table (at version or time ``as_of``), or None if it did not exist then."""
        if not self.exists(workspace, table):
            return None
        delta = DeltaTable(str(self.path(workspace, table)))
        version = as_of
        if isinstance(as_of, dt.datetime):
            moment = as_of if as_of.tzinfo else as_of.replace(tzinfo=dt.UTC)
            stamp = moment.timestamp() * 1000
            committed = [h["version"] for h in delta.history() if h["timestamp"] <= stamp]
            if not committed:
                return None  # the table did not exist yet
            version = max(committed)
        if isinstance(version, int):
            if version < 0 or version > delta.version():
                return None
            delta.load_as_version(version)
        return delta

    def write_batch(
        self,
        workspace: str,
        table: str,
        data: pa.Table,
        import_id: str,
        *,
        replaces: tuple[str, ...] = (),
    ) -> bool:
        """Replace the rows of batch ``import_id`` in ``table`` with ``data``, in one commit.

        The rows of the batches named in ``replaces`` (an older version of the same data) are
        removed in the same commit. In upsert tables the batch also takes over the records (by
        key) that other batches hold. Returns False when the table already holds exactly these
        rows for the batch and none of ``replaces`` (nothing written, no new version), True when
        a new version was committed.
        """
        rows = conform(table, data)
        if set(pc.unique(rows.column("import_id")).to_pylist()) - {import_id}:
            raise ValueError(f"table {table!r}: every row must carry import_id {import_id!r}")
        key = UPSERT_KEYS.get(table)
        if key is not None:
            distinct = rows.select(list(key)).group_by(list(key)).aggregate([]).num_rows
            if distinct != rows.num_rows:
                name = " + ".join(key)
                raise ValueError(f"table {table!r}: a {name} appears twice in batch {import_id!r}")
        path = str(self.path(workspace, table))
        if not self.exists(workspace, table):
            self.path(workspace, table).parent.mkdir(parents=True, exist_ok=True)
            write_deltalake(path, rows, mode="error")
            return True
        stale = [b for b in replaces if b != import_id and self.batch_rows(workspace, table, b)]
        if not stale and self._holds(workspace, table, import_id, rows):
            return False
        batches = ", ".join(f"'{_quote(b)}'" for b in (import_id, *stale))
        if key is None:
            write_deltalake(path, rows, mode="overwrite", predicate=f"import_id IN ({batches})")
            return True
        (
            DeltaTable(path)
            .merge(rows, predicate=_same(key), source_alias="s", target_alias="t")
            .when_matched_update_all()
            .when_not_matched_insert_all()
            .when_not_matched_by_source_delete(predicate=f"t.import_id IN ({batches})")
            .execute()
        )
        return True

    def undo(self, workspace: str, table: str, import_id: str) -> bool:
        """A new version of ``table`` without batch ``import_id`` (one commit); False if absent.

        In upsert tables the records the batch had taken over from older batches get their
        older rows back, as they were just before the batch was written.
        """
        if not self.batch_rows(workspace, table, import_id):
            return False
        path = str(self.path(workspace, table))
        predicate = f"import_id = '{_quote(import_id)}'"
        key = UPSERT_KEYS.get(table)
        restored = self._before(workspace, table, import_id) if key else None
        if key is None or restored is None or restored.num_rows == 0:
            DeltaTable(path).delete(predicate)
            return True
        (
            DeltaTable(path)
            .merge(restored, predicate=_same(key), source_alias="s", target_alias="t")
            .when_matched_update_all()
            .when_not_matched_by_source_delete(predicate="t." + predicate)
            .execute()
        )
        return True

    def _before(self, workspace: str, table: str, import_id: str) -> pa.Table | None:
        """Rows of other batches, as of just before ``import_id`` was written, for its keys."""
        key = list(UPSERT_KEYS[table])
        current = self.table(workspace, table)
        assert current is not None
        held = conform(table, _of_batch(current, import_id)).select(key)
        for version in range(current.version() - 1, -1, -1):
            past = DeltaTable(str(self.path(workspace, table)), version=version)
            if _of_batch(past, import_id, ["import_id"]).num_rows == 0:
                rows = conform(table, past.to_pyarrow_table())
                kept = rows.join(held, key, join_type="left semi")
                return kept.select(rows.column_names)
        return None

    def batches(self, workspace: str, table: str, as_of: AsOf = None) -> list[str]:
        """The import ids present in the table's current version (or at ``as_of``)."""
        delta = self.table(workspace, table, as_of)
        if delta is None:
            return []
        ids = delta.to_pyarrow_dataset().to_table(columns=["import_id"]).column("import_id")
        return sorted(str(b) for b in pc.unique(ids).to_pylist())

    def _holds(self, workspace: str, table: str, import_id: str, rows: pa.Table) -> bool:
        """Whether the table's current rows of batch ``import_id`` are exactly ``rows``."""
        if self.batch_rows(workspace, table, import_id) != rows.num_rows:
            return False
        current = _of_batch(DeltaTable(str(self.path(workspace, table))), import_id)
        keys: list[tuple[str, Literal["ascending", "descending"]]] = [
            (c, "ascending") for c in rows.column_names
        ]
        return bool(conform(table, current).sort_by(keys).equals(rows.sort_by(keys)))

    def batch_rows(self, workspace: str, table: str, import_id: str) -> int:
        if not self.exists(workspace, table):
            return 0
        return _of_batch(
            DeltaTable(str(self.path(workspace, table))), import_id, ["import_id"]
        ).num_rows

    def files(self, workspace: str, table: str, as_of: AsOf = None) -> list[str]:
        """Paths of the Parquet files of the table's current version (or at ``as_of``)."""
        delta = self.table(workspace, table, as_of)
        if delta is None:
            return []
        # Delta gives percent-encoded URIs (a space is %20): DuckDB wants plain paths.
        return [unquote(uri.removeprefix("file://")) for uri in delta.file_uris()]

    def row_count(self, workspace: str, table: str) -> int:
        """The table's current number of rows, from its files' metadata (nothing read);
        0 when it was never written."""
        delta = self.table(workspace, table)
        return 0 if delta is None else delta.to_pyarrow_dataset().count_rows()

    def read(self, workspace: str, table: str, as_of: AsOf = None) -> pa.Table:
        """The whole table now (or at ``as_of``); an empty canonical table if it did not exist."""
        delta = self.table(workspace, table, as_of)
        if delta is None:
            return SCHEMAS[table].empty_table()
        return delta.to_pyarrow_table()


def _of_batch(delta: DeltaTable, import_id: str, columns: list[str] | None = None) -> pa.Table:
    """The rows of one batch. Filtered in memory: merge commits write ``string_view`` columns,
    which pyarrow's dataset filters cannot compare."""
    wanted = None if columns is None else sorted({*columns, "import_id"})
    rows = delta.to_pyarrow_dataset().to_table(columns=wanted)
    mask = pc.equal(rows["import_id"].cast(pa.string()), pa.scalar(import_id, pa.string()))
    rows = rows.filter(mask)
    return rows if columns is None else rows.select(columns)


def _same(key: tuple[str, ...]) -> str:
    """The merge condition matching target ``t`` and source ``s`` rows on every key column."""
    return " AND ".join(f"t.{k} = s.{k}" for k in key)


def _quote(value: str) -> str:
    return value.replace("'", "''")
