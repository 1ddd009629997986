"""The customer summary (frequency, recency, T, monetary value) that CLV models are fitted on.

Time is cut into periods (``freq="D"`` days, ``freq="W"`` Monday–Sunday weeks, as pandas'
``to_period``); the conventions are exactly those of
``lifetimes.utils.summary_data_from_transaction_data`` so that results can be compared:

- several purchases of one customer in one period count as one purchase, whose value is the
  sum of their values;
- ``frequency`` is the number of periods with a purchase after the first one (repeat periods);
- ``recency`` is the number of periods from the first to the last purchase period;
- ``T`` is the number of periods from the first purchase period to the observation end's
  period (purchases after that period are ignored);
- ``monetary_value`` is the mean value of the repeat periods, 0 when there is none.

>>> s = summarize(["a", "a", "a", "b"], ["2024-01-01", "2024-01-02", "2024-01-15", "2024-01-08"],
...               [10.0, 5.0, 30.0, 8.0], freq="W", observation_end="2024-01-21")
>>> s.frequency.tolist(), s.recency.tolist(), s.T.tolist(), s.monetary_value.tolist()
([1.0, 0.0], [2.0, 0.0], [2.0, 1.0], [30.0, 0.0])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SUMMARY_COLUMNS = ("customer_id", "frequency", "recency", "T", "monetary_value")


@dataclass(frozen=True)
class CustomerSummary:
    """One row per customer; times are counted in periods of ``freq`` ("D" or "W")."""

    customer_id: np.ndarray
    frequency: np.ndarray
    recency: np.ndarray
    T: np.ndarray
    monetary_value: np.ndarray
    freq: str = "W"

    def __post_init__(self) -> None:
        n = len(self.customer_id)
        for name in SUMMARY_COLUMNS[1:]:
            if len(getattr(self, name)) != n:
                raise ValueError(f"column {name} has {len(getattr(self, name))} rows, not {n}")

    def __len__(self) -> int:
        return len(self.customer_id)

    def rows(self) -> list[dict[str, Any]]:
        """The summary as a list of JSON-able dicts (one per customer)."""
        ids = [str(c) for c in self.customer_id.tolist()]
        return [
            {"customer_id": c, "frequency": f, "recency": r, "T": t, "monetary_value": m}
            for c, f, r, t, m in zip(
                ids,
                self.frequency.tolist(),
                self.recency.tolist(),
                self.T.tolist(),
                self.monetary_value.tolist(),
                strict=True,
            )
        ]


def from_columns(
    customer_id: Sequence[Any] | np.ndarray,
    frequency: Sequence[float] | np.ndarray,
    recency: Sequence[float] | np.ndarray,
    T: Sequence[float] | np.ndarray,
    monetary_value: Sequence[float] | np.ndarray,
    *,
    freq: str = "W",
) -> CustomerSummary:
    """A summary from ready-made columns, checked (see :func:`check`)."""
    x, tx, age, m = (np.asarray(v, dtype=float) for v in (frequency, recency, T, monetary_value))
    summary = CustomerSummary(np.asarray(customer_id), x, tx, age, m, freq)
    problem = check(summary)
    if problem:
        row, _, message = problem
        raise ValueError(f"customer {summary.customer_id[row]!s} (row {row + 1}): {message}")
    return summary


def check(summary: CustomerSummary) -> tuple[int, str, str] | None:
    """The first bad value of a summary as (row index, column, what is wrong), or None.

    Rules: whole ``frequency ≥ 0``; ``0 ≤ recency ≤ T``; ``recency = 0`` when
    ``frequency = 0``; ``monetary_value > 0`` when ``frequency > 0``.
    """
    x, tx, age, m = summary.frequency, summary.recency, summary.T, summary.monetary_value
    rules = (
        (
            "frequency",
            ~np.isfinite(x) | (x < 0) | (x != np.round(x)),
            "expected a whole number ≥ 0",
        ),
        ("recency", ~np.isfinite(tx) | (tx < 0), "expected a number ≥ 0"),
        ("T", ~np.isfinite(age) | (tx > age), "expected a number ≥ recency"),
        ("recency", (x == 0) & (tx != 0), "expected 0 when frequency is 0"),
        (
            "monetary_value",
            ~np.isfinite(m) | ((x > 0) & (m <= 0)),
            "expected a number > 0 when frequency > 0",
        ),
    )
    found = [(int(np.argmax(bad)), column, text) for column, bad, text in rules if bad.any()]
    return min(found) if found else None


def _periods(days: np.ndarray, freq: str) -> np.ndarray:
    """Period numbers of days counted from 1970-01-01 (a Thursday): weeks start on Monday."""
    if freq == "D":
        return days
    if freq == "W":
        return np.floor_divide(days + 3, 7)
    raise ValueError(f"freq must be 'D' or 'W', not {freq!r}")


def _days(dates: Any) -> np.ndarray:
    if isinstance(dates, pa.ChunkedArray | pa.Array):
        if pa.types.is_timestamp(dates.type) and dates.type.tz is not None:
            dates = pc.cast(dates, pa.timestamp(dates.type.unit))  # keep the UTC wall time
        dates = dates.to_numpy(zero_copy_only=False)
    elif isinstance(dates, str | dt.date):
        dates = [dates]
    return np.atleast_1d(np.asarray(dates, dtype="datetime64[D]")).astype(np.int64)


def summarize(
    customer_ids: Sequence[Any] | np.ndarray | pa.Array | pa.ChunkedArray,
    dates: Any,
    values: Sequence[float] | np.ndarray | pa.Array | pa.ChunkedArray | None = None,
    *,
    freq: str = "W",
    observation_end: str | dt.date | np.datetime64 | None = None,
) -> CustomerSummary:
    """The customer summary of transactions (lifetimes' conventions; see the module).

    ``dates`` are anything numpy reads as ``datetime64`` (ISO strings, ``datetime``, numpy or
    Arrow timestamps, which are taken in UTC); ``values`` default to 0. ``observation_end``
    defaults to the last transaction's date. Customers are sorted by id.
    """
    ids = np.asarray(
        customer_ids.to_numpy(zero_copy_only=False)
        if isinstance(customer_ids, pa.ChunkedArray | pa.Array)
        else customer_ids
    )
    period = _periods(_days(dates), freq)
    if values is None:
        value = np.zeros(len(ids))
    elif isinstance(values, pa.ChunkedArray | pa.Array):
        value = np.asarray(values.to_numpy(zero_copy_only=False), dtype=float)
    else:
        value = np.asarray(values, dtype=float)
    if not len(ids) == len(period) == len(value):
        raise ValueError(
            f"customer_ids, dates and values differ in length: "
            f"{len(ids)}, {len(period)}, {len(value)}"
        )
    if not len(ids):
        raise ValueError("no transactions to summarise")
    end = period.max() if observation_end is None else _periods(_days(observation_end), freq)[0]
    keep = period <= end
    customers, code = np.unique(ids[keep], return_inverse=True)
    period, value = period[keep], value[keep]
    # one row per (customer, period): purchases in the same period are one, values summed
    order = np.lexsort((period, code))
    code, period, value = code[order], period[order], value[order]
    starts = np.flatnonzero(np.r_[True, (np.diff(code) != 0) | (np.diff(period) != 0)])
    code, period = code[starts], period[starts]
    value = np.add.reduceat(value, starts) if len(starts) else value[:0]
    n = len(customers)
    count = np.bincount(code, minlength=n)
    first_row = np.r_[0, np.cumsum(count)[:-1]]
    first = period[first_row]
    last = period[first_row + count - 1]
    repeat_total = np.bincount(code, weights=value, minlength=n) - value[first_row]
    frequency = (count - 1).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        monetary = np.where(count > 1, repeat_total / np.maximum(frequency, 1), 0.0)
    return CustomerSummary(
        customers,
        frequency,
        (last - first).astype(float),
        (end - first).astype(float),
        monetary,
        freq,
    )


def summarize_orders(
    orders: pa.Table,
    *,
    freq: str = "W",
    observation_end: str | dt.date | np.datetime64 | None = None,
    value_column: str = "revenue",
) -> CustomerSummary:
    """The customer summary of a canonical ``orders`` table (``warehouse/schema.py``).

    ``ordered_at`` is read in UTC; ``value_column`` is ``revenue`` (default) or
    ``gross_margin`` (which must then have no empty value). Orders in several currencies are
    refused: convert them first.
    """
    needed = ("customer_id", "ordered_at", value_column)
    missing = [c for c in needed if c not in orders.column_names]
    if missing:
        raise ValueError(f"orders: missing column(s) {', '.join(missing)}")
    if orders.column(value_column).null_count:
        raise ValueError(f"orders: column {value_column} has empty values")
    if "currency" in orders.column_names:
        currencies = pc.unique(orders.column("currency")).to_pylist()
        if len(currencies) > 1:
            raise ValueError(f"orders: several currencies ({', '.join(map(str, currencies))})")
    return summarize(
        orders.column("customer_id"),
        orders.column("ordered_at"),
        orders.column(value_column),
        freq=freq,
        observation_end=observation_end,
    )
