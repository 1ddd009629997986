"""Overlaps: rows of a new file that an earlier import of the same tool already holds.

Tables other than ``leads``, ``deals`` and ``survey_responses`` keep every batch's rows, so two
Google Ads exports covering the same days would count that spend twice. Before anything is
written, ``overlaps`` finds, per earlier batch, how many of the new file's day × campaign rows
(day × channel × source / medium for web traffic, send time × campaign for e-mail) it already
holds — for the preview to warn, and for the user to undo the older import if the new file
replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from pilotage.importers.run import Prepared
from pilotage.warehouse import Warehouse

KEYS: dict[str, tuple[str, ...]] = {
    "spend": ("date", "channel", "campaign"),
    "web_traffic": ("date", "channel", "traffic_source", "medium", "campaign"),
    "email_campaigns": ("sent_at", "campaign"),
    "orders": ("order_id",),
    "touchpoints": ("journey_id", "occurred_at", "channel"),
}


@dataclass(frozen=True)
class Overlap:
    table: str
    import_id: str  # the earlier batch
    rows: int  # how many of the new file's keys it holds
    first: str  # the first and last day (or time) in common
    last: str

    def as_dict(self) -> dict[str, object]:
        return {
            "table": self.table,
            "import_id": self.import_id,
            "rows": self.rows,
            "first": self.first,
            "last": self.last,
        }


def overlaps(prepared: Prepared, warehouse: Warehouse, workspace: str) -> list[Overlap]:
    """Earlier batches of the same source holding some of ``prepared``'s rows (by key)."""
    found: list[Overlap] = []
    for table, rows in prepared.tables.items():
        keys = KEYS.get(table)
        files = warehouse.files(workspace, table)
        if keys is None or not files or rows.num_rows == 0:
            continue
        con = duckdb.connect()
        con.register("new_rows", rows.select(list(keys)))
        listing = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
        same = " AND ".join(f"old.{k} IS NOT DISTINCT FROM new_rows.{k}" for k in keys)
        query = f"""
            SELECT old.import_id, count(*), min(old.{keys[0]})::VARCHAR, max(old.{keys[0]})::VARCHAR
            FROM read_parquet([{listing}]) AS old
            JOIN new_rows ON {same}
            WHERE old.source = ? AND old.import_id <> ?
            GROUP BY old.import_id ORDER BY 2 DESC
        """
        for import_id, count, first, last in con.execute(
            query, [prepared.importer, prepared.import_id]
        ).fetchall():
            found.append(Overlap(table, str(import_id), int(count), str(first), str(last)))
        con.close()
    return found
