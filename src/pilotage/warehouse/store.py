"""Delta Lake storage of the canonical tables, one folder of tables per workspace.

Every write is one atomic Delta commit. A batch (an import, or a demo load) is identified by its
``import_id``: writing a batch replaces that batch's rows and nothing else, so loading the same
batch twice leaves the table as it was (and adds no version when the rows are already there).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from urllib.parse import unquote

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import DeltaTable, write_deltalake

from pilotage.warehouse.schema import SCHEMAS, conform

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
        removed in the same commit. Returns False when the table already holds exactly these
        rows for the batch and none of ``replaces`` (nothing written, no new version), True when
        a new version was committed.
        """
        rows = conform(table, data)
        if set(rows.column("import_id").to_pylist()) - {import_id}:
            raise ValueError(f"table {table!r}: every row must carry import_id {import_id!r}")
        path = str(self.path(workspace, table))
        if not self.exists(workspace, table):
            self.path(workspace, table).parent.mkdir(parents=True, exist_ok=True)
            write_deltalake(path, rows, mode="error")
            return True
        stale = [b for b in replaces if b != import_id and self.batch_rows(workspace, table, b)]
        if not stale and self._holds(workspace, table, import_id, rows):
            return False
        batches = ", ".join(f"'{_quote(b)}'" for b in (import_id, *stale))
        write_deltalake(path, rows, mode="overwrite", predicate=f"import_id IN ({batches})")
        return True

    def batches(self, workspace: str, table: str) -> list[str]:
        """The import ids present in the table's current version."""
        if not self.exists(workspace, table):
            return []
        dataset = DeltaTable(str(self.path(workspace, table))).to_pyarrow_dataset()
        ids = dataset.to_table(columns=["import_id"]).column("import_id")
        return sorted(str(b) for b in pc.unique(ids).to_pylist())

    def _holds(self, workspace: str, table: str, import_id: str, rows: pa.Table) -> bool:
        """Whether the table's current rows of batch ``import_id`` are exactly ``rows``."""
        if self.batch_rows(workspace, table, import_id) != rows.num_rows:
            return False
        dataset = DeltaTable(str(self.path(workspace, table))).to_pyarrow_dataset()
        current = dataset.to_table(filter=pc.field("import_id") == import_id)
        keys: list[tuple[str, Literal["ascending", "descending"]]] = [
            (c, "ascending") for c in rows.column_names
        ]
        return bool(conform(table, current).sort_by(keys).equals(rows.sort_by(keys)))

    def batch_rows(self, workspace: str, table: str, import_id: str) -> int:
        if not self.exists(workspace, table):
            return 0
        dataset = DeltaTable(str(self.path(workspace, table))).to_pyarrow_dataset()
        return dataset.count_rows(filter=pc.field("import_id") == import_id)

    def files(self, workspace: str, table: str) -> list[str]:
        """Paths of the Parquet files of the table's current version (empty if never written)."""
        if not self.exists(workspace, table):
            return []
        # Delta gives percent-encoded URIs (a space is %20): DuckDB wants plain paths.
        uris = DeltaTable(str(self.path(workspace, table))).file_uris()
        return [unquote(uri.removeprefix("file://")) for uri in uris]

    def read(self, workspace: str, table: str) -> pa.Table:
        """The whole current version of a table (an empty canonical table if never written)."""
        if not self.exists(workspace, table):
            return SCHEMAS[table].empty_table()
        return DeltaTable(str(self.path(workspace, table))).to_pyarrow_table()


def _quote(value: str) -> str:
    return value.replace("'", "''")
