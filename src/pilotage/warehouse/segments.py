"""Saved customer segments: which segment each customer is in, one Parquet file per plan year.

The web app writes the membership when the user saves a segmentation on the strategy pages;
the metrics layer reads it to answer the ``customer_segment`` dimension. The file is
``<warehouse root>/<workspace>/_segments/<year>.parquet`` with two string columns,
``customer_id`` and ``segment``. Customer ids are those of ``pilotage.models.segmentation``:
``orders.customer_id`` when the workspace has orders, else the won deal's ``account_id``, or
its ``lead_id`` when it has no account.

>>> import tempfile
>>> from pilotage.warehouse import Warehouse
>>> wh = Warehouse(tempfile.mkdtemp())
>>> write_segments(wh, "acme", 2025, {"C1": "Champions", "C2": "At risk"})
>>> read_segments(wh, "acme").to_pylist()[0]
{'customer_id': 'C1', 'segment': 'Champions'}
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pilotage.warehouse.store import _KEY, Warehouse

SCHEMA = pa.schema(
    [
        pa.field("customer_id", pa.string(), nullable=False),
        pa.field("segment", pa.string(), nullable=False),
    ]
)
FOLDER = "_segments"

Rows = pa.Table | Mapping[str, str] | Iterable[tuple[str, str]]


def segments_path(warehouse: Warehouse, workspace: str, year: int) -> Path:
    """Where the membership of ``year`` is kept."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2999:
        raise ValueError(f"segments year {year!r}: give a year between 1900 and 2999")
    return _folder(warehouse, workspace) / f"{year}.parquet"


def _folder(warehouse: Warehouse, workspace: str) -> Path:
    if not _KEY.match(workspace):
        raise ValueError(f"workspace key {workspace!r}: use lower-case letters, digits, - or _")
    return warehouse.root / workspace / FOLDER


def write_segments(warehouse: Warehouse, workspace: str, year: int, rows: Rows) -> None:
    """Replace the saved membership of ``year`` with ``rows``, atomically.

    ``rows``: a table with ``customer_id`` and ``segment``, a mapping customer id → segment,
    or (customer id, segment) pairs. Every customer is in one segment; ids and names are
    non-empty. The file is written next to its final place and renamed over it, so a reader
    sees the old membership or the new one, never half of one.
    """
    table = conform_segments(rows)
    path = segments_path(warehouse, workspace, year)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{year}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        pq.write_table(table, temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_segments(warehouse: Warehouse, workspace: str, year: int | None = None) -> pa.Table | None:
    """The membership saved for ``year`` (None: the latest year saved), or None if there is none.

    Columns ``customer_id`` and ``segment`` (strings), as :data:`SCHEMA`.
    """
    if year is None:
        years = saved_years(warehouse, workspace)
        if not years:
            return None
        year = years[-1]
    path = segments_path(warehouse, workspace, year)
    if not path.is_file():
        return None
    return pq.read_table(path).cast(SCHEMA)


def saved_years(warehouse: Warehouse, workspace: str) -> list[int]:
    """The years whose membership is saved, in order."""
    folder = _folder(warehouse, workspace)
    if not folder.is_dir():
        return []
    return sorted(int(p.stem) for p in folder.glob("*.parquet") if p.stem.isdigit())


def conform_segments(rows: Rows) -> pa.Table:
    """``rows`` as a table of :data:`SCHEMA`; ValueError naming the customer when one has no id
    or segment name, or is in two segments."""
    if isinstance(rows, pa.Table):
        missing = [c for c in SCHEMA.names if c not in rows.column_names]
        if missing:
            raise ValueError(f"segments: missing column(s) {', '.join(missing)}")
        ids = rows.column("customer_id").to_pylist()
        names = rows.column("segment").to_pylist()
    else:
        pairs = list(rows.items() if isinstance(rows, Mapping) else rows)
        ids = [c for c, _ in pairs]
        names = [s for _, s in pairs]
    ids = [None if c is None else str(c) for c in ids]
    names = [None if s is None else str(s) for s in names]
    seen: set[str] = set()
    for customer, segment in zip(ids, names, strict=True):
        if not customer:
            raise ValueError(f"segments: a customer of segment {segment!r} has no customer id")
        if not segment or not segment.strip():
            raise ValueError(f"segments: customer {customer!r} has no segment name")
        if customer in seen:
            raise ValueError(f"segments: customer {customer!r} is in more than one segment")
        seen.add(customer)
    return pa.table({"customer_id": ids, "segment": names}, schema=SCHEMA)
