"""Reading the rows the segmentation functions take: pyarrow tables or lists of dicts.

The web layer reads the warehouse through DuckDB and hands over Arrow tables (or plain rows);
notebooks may pass either. Times become whole **UTC days** (days since 1970-01-01): a
timestamp with a time zone is read in UTC, a naive one as UTC already, a ``date`` as is, and a
string as ISO 8601.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Rows = pa.Table | Sequence[Mapping[str, Any]]
DayLike = dt.date | dt.datetime | str | np.datetime64

_EPOCH = dt.date(1970, 1, 1)


def as_table(rows: Rows, name: str, required: Sequence[str]) -> pa.Table:
    """``rows`` as an Arrow table, refused (naming ``name``) when a required column is missing."""
    if isinstance(rows, pa.Table):
        table = rows
    elif isinstance(rows, Sequence) and not isinstance(rows, str | bytes):
        table = pa.Table.from_pylist([dict(r) for r in rows])
        if not len(rows):
            table = pa.table({c: pa.array([], pa.string()) for c in required})
    else:
        raise TypeError(f"{name}: expected a pyarrow.Table or a list of dicts, got {type(rows)}")
    missing = [c for c in required if c not in table.column_names]
    if missing:
        raise ValueError(f"{name}: missing column(s) {', '.join(missing)}")
    return table


def strings(table: pa.Table, column: str, name: str, *, required: bool) -> np.ndarray:
    """A column as an object array of ``str`` (``None`` where empty, refused if ``required``)."""
    values = table.column(column).to_pylist()
    if required and table.column(column).null_count:
        row = values.index(None)
        raise ValueError(f"{name}: row {row + 1} has no {column}")
    return np.array([None if v is None else str(v) for v in values], dtype=object)


def floats(table: pa.Table, column: str) -> np.ndarray:
    """A numeric column as float64, NaN where empty."""
    array = pc.cast(table.column(column), pa.float64())
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=float)


def days(table: pa.Table, column: str, name: str) -> np.ndarray:
    """A time column as whole UTC days since 1970-01-01 (int64); empty values are refused."""
    array = table.column(column)
    if array.null_count:
        row = array.to_pylist().index(None)
        raise ValueError(f"{name}: row {row + 1} has no {column}")
    kind = array.type
    if pa.types.is_timestamp(kind):
        if kind.tz is not None:
            array = pc.cast(array, pa.timestamp(kind.unit))  # the UTC wall time
        found = array.to_numpy().astype("datetime64[D]")
    elif pa.types.is_date(kind):
        found = pc.cast(array, pa.date32()).to_numpy(zero_copy_only=False)
        found = np.asarray(found, dtype="datetime64[D]")
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return np.array([to_day(str(v)) for v in array.to_pylist()], dtype=np.int64)
    else:
        raise ValueError(f"{name}: column {column} holds {kind}, not dates or timestamps")
    return np.asarray(found, dtype="datetime64[D]").astype(np.int64)


def to_day(value: DayLike) -> int:
    """One day (date, datetime, ISO string or numpy datetime64) as days since 1970-01-01 UTC."""
    if isinstance(value, np.datetime64):
        return int(value.astype("datetime64[D]").astype(np.int64))
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO date such as 2024-12-31") from None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        value = value.date()
    if not isinstance(value, dt.date):
        raise TypeError(f"expected a date, got {value!r}")
    return (value - _EPOCH).days


def to_date(day: int) -> dt.date:
    """The calendar date of a day number."""
    return _EPOCH + dt.timedelta(days=int(day))


def one_year_before(day: int) -> int:
    """The same calendar date a year earlier (29 February → 28 February)."""
    date = to_date(day)
    try:
        earlier = date.replace(year=date.year - 1)
    except ValueError:
        earlier = date.replace(year=date.year - 1, day=28)
    return (earlier - _EPOCH).days


def single_currency(table: pa.Table, name: str) -> str | None:
    """The table's one currency (None without a currency column); several are refused."""
    if "currency" not in table.column_names:
        return None
    found = sorted({str(c) for c in table.column("currency").to_pylist() if c is not None})
    if len(found) > 1:
        raise ValueError(f"{name}: several currencies ({', '.join(found)}); convert them first")
    return found[0] if found else None
