"""Reading the CSV inputs of ``pilotage clv fit``: transactions, or a ready-made summary.

Errors name the file, the line and the column, and say what was expected
(:class:`CsvInputError`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from pathlib import Path

import numpy as np

from pilotage.models.clv.summary import (
    SUMMARY_COLUMNS,
    CustomerSummary,
    check,
    summarize,
)


class CsvInputError(ValueError):
    """A CLV input file cannot be read; the message says where and what was expected."""


def _rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    if not rows:
        raise CsvInputError(f"{path.name}: the file is empty; expected a header line")
    header = [h.strip() for h in rows[0]]
    body = [(line, row) for line, row in enumerate(rows[1:], 2) if any(c.strip() for c in row)]
    if not body:
        raise CsvInputError(f"{path.name}: no rows after the header")
    return header, body


def _column(path: Path, header: list[str], name: str) -> int:
    if name not in header:
        raise CsvInputError(
            f"{path.name}, line 1: no column {name!r}; the columns are {', '.join(header)}"
        )
    return header.index(name)


def _cell(path: Path, line: int, row: list[str], index: int, name: str) -> str:
    value = row[index].strip() if index < len(row) else ""
    if not value:
        raise CsvInputError(f"{path.name}, line {line}, column {index + 1} ({name}): empty value")
    return value


def _number(path: Path, line: int, row: list[str], index: int, name: str) -> float:
    raw = _cell(path, line, row, index, name)
    try:
        number = float(raw)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise CsvInputError(
            f"{path.name}, line {line}, column {index + 1} ({name}): expected a number, got {raw!r}"
        )
    return number


def _moment(path: Path, line: int, row: list[str], index: int, name: str) -> np.datetime64:
    raw = _cell(path, line, row, index, name)
    try:
        moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise CsvInputError(
            f"{path.name}, line {line}, column {index + 1} ({name}): expected a date such as "
            f"2024-03-31 or 2024-03-31T14:05:00, got {raw!r}"
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return np.datetime64(moment, "us")


def read_transactions_csv(
    path: str | Path,
    customer_column: str,
    date_column: str,
    value_column: str,
    *,
    freq: str = "W",
    observation_end: str | dt.date | None = None,
) -> CustomerSummary:
    """The customer summary of a transactions CSV (one row per purchase; times in UTC)."""
    path = Path(path)
    header, body = _rows(path)
    columns = [_column(path, header, c) for c in (customer_column, date_column, value_column)]
    ids, dates, values = [], [], []
    for line, row in body:
        ids.append(_cell(path, line, row, columns[0], customer_column))
        dates.append(_moment(path, line, row, columns[1], date_column))
        value = _number(path, line, row, columns[2], value_column)
        if value < 0:
            raise CsvInputError(
                f"{path.name}, line {line}, column {columns[2] + 1} ({value_column}): "
                f"expected a value ≥ 0, got {value:g}"
            )
        values.append(value)
    return summarize(
        np.array(ids, dtype=object),
        np.array(dates, dtype="datetime64[us]"),
        np.array(values),
        freq=freq,
        observation_end=observation_end,
    )


def read_summary_csv(path: str | Path, *, freq: str = "W") -> CustomerSummary:
    """A customer summary from a CSV with columns customer_id, frequency, recency, T,
    monetary_value (times in periods of ``freq``)."""
    path = Path(path)
    header, body = _rows(path)
    columns = [_column(path, header, c) for c in SUMMARY_COLUMNS]
    ids: list[str] = []
    numbers: list[list[float]] = [[] for _ in SUMMARY_COLUMNS[1:]]
    for line, row in body:
        ids.append(_cell(path, line, row, columns[0], SUMMARY_COLUMNS[0]))
        for values, index, name in zip(numbers, columns[1:], SUMMARY_COLUMNS[1:], strict=True):
            values.append(_number(path, line, row, index, name))
    x, tx, age, m = (np.array(values) for values in numbers)
    summary = CustomerSummary(np.array(ids, dtype=object), x, tx, age, m, freq)
    problem = check(summary)
    if problem:
        index, field, message = problem
        raise CsvInputError(
            f"{path.name}, line {body[index][0]}, column "
            f"{columns[SUMMARY_COLUMNS.index(field)] + 1} ({field}): {message}"
        )
    return summary
