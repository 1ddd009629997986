"""RFM: recency, frequency and monetary value of each customer, scored 1–5 and labelled.

At the day ``as_of`` (UTC; default: the day of the latest order), over the orders placed on
or before it:

- **recency** = days from the customer's last order to ``as_of`` (0 = bought that day);
- **frequency** = number of orders;
- **monetary** = total revenue of those orders (``monetary="total"``, the default: the value a
  customer brought), or the mean revenue per order (``monetary="average"``).

Each number gets a **quintile score** from 1 to 5, 5 being best (most recent, most frequent,
highest value), by :func:`quintile_scores`: ``score = 1 + ⌊5·b / n⌋`` where ``b`` is the
number of customers with a strictly worse value and ``n`` the number of customers. Ten
customers with distinct values get 1,1,2,2,3,3,4,4,5,5; **tied customers share the score of
the lowest place of their group** (pandas: ``1 + floor(5 * (rank(method="min") - 1) / n)``),
so a crowd of one-order customers all get F = 1 rather than being split by their ids.

The RFM segment reads the standard 10-segment grid on R and FM = ⌈(F + M) / 2⌉ (see
:data:`RFM_GRID` and docs/segmentation.md), labelled in English and French by
:data:`RFM_SEGMENTS`.

>>> rfm = rfm_scores(["a", "a", "b"], ["2024-01-01", "2024-03-01", "2024-02-01"],
...                  [10.0, 30.0, 15.0], as_of="2024-03-31")
>>> rfm.recency_days.tolist(), rfm.frequency.tolist(), rfm.monetary.tolist()
([30, 59], [2, 1], [40.0, 15.0])
>>> rfm.r_score.tolist(), rfm.f_score.tolist(), rfm.m_score.tolist()
([3, 1], [3, 1], [3, 1])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from pilotage.models.segmentation._input import (
    DayLike,
    Rows,
    as_table,
    days,
    floats,
    single_currency,
    strings,
    to_date,
    to_day,
)

MONETARY_BASES = ("total", "average")

# Segment key → (English, French), from best to worst.
RFM_SEGMENTS: dict[str, tuple[str, str]] = {
    "champions": ("Champions", "Champions"),
    "loyal_customers": ("Loyal customers", "Clients fidèles"),
    "potential_loyalists": ("Potential loyalists", "Fidèles potentiels"),
    "new_customers": ("New customers", "Nouveaux clients"),
    "promising": ("Promising", "Prometteurs"),
    "need_attention": ("Need attention", "À surveiller"),
    "about_to_sleep": ("About to sleep", "En voie d'endormissement"),
    "at_risk": ("At risk", "À risque"),
    "cannot_lose": ("Can't lose them", "À ne pas perdre"),
    "hibernating": ("Hibernating", "En hibernation"),
}

# RFM_GRID[R - 1][FM - 1]: rows are the recency score, columns FM = ⌈(F + M) / 2⌉.
RFM_GRID: tuple[tuple[str, ...], ...] = (
    ("hibernating", "hibernating", "at_risk", "at_risk", "cannot_lose"),
    ("hibernating", "hibernating", "at_risk", "at_risk", "cannot_lose"),
    ("about_to_sleep", "about_to_sleep", "need_attention", "loyal_customers", "loyal_customers"),
    (
        "promising",
        "potential_loyalists",
        "potential_loyalists",
        "loyal_customers",
        "loyal_customers",
    ),
    ("new_customers", "potential_loyalists", "potential_loyalists", "champions", "champions"),
)

LANGUAGES = ("en", "fr")


def quintile_scores(
    values: Sequence[float] | np.ndarray, *, higher_is_better: bool = True
) -> np.ndarray:
    """Scores 1–5: ``1 + ⌊5·b / n⌋``, b = how many values are strictly worse (ties share).

    >>> quintile_scores([10, 20, 20, 30, 40]).tolist()
    [1, 2, 2, 4, 5]
    >>> quintile_scores([3, 0, 10], higher_is_better=False).tolist()
    [2, 4, 1]
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 1:
        raise ValueError("quintile_scores expects one value per customer")
    if np.isnan(v).any():
        raise ValueError("quintile_scores: a value is missing (NaN)")
    if not len(v):
        return np.zeros(0, dtype=np.int64)
    if not higher_is_better:
        v = -v
    worse = np.searchsorted(np.sort(v), v, side="left")
    return (1 + (5 * worse) // len(v)).astype(np.int64)


def rfm_segment(r_score: Any, f_score: Any, m_score: Any) -> np.ndarray:
    """The segment keys of :data:`RFM_GRID` for scores 1–5 (arrays or single values)."""
    r, f, m = (np.atleast_1d(np.asarray(s, dtype=np.int64)) for s in (r_score, f_score, m_score))
    for name, s in (("r_score", r), ("f_score", f), ("m_score", m)):
        if len(s) and (s.min() < 1 or s.max() > 5):
            raise ValueError(f"{name} must be between 1 and 5")
    fm = (f + m + 1) // 2
    grid = np.array(RFM_GRID, dtype=object)
    return np.asarray(grid[r - 1, fm - 1], dtype=object)


def segment_label(key: str, language: str = "en") -> str:
    """The label of an RFM segment key in ``language`` ("en" or "fr")."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be 'en' or 'fr', not {language!r}")
    return RFM_SEGMENTS[key][LANGUAGES.index(language)]


@dataclass(frozen=True)
class RFM:
    """One row per customer (sorted by id): the RFM numbers, their scores, first/last order."""

    customer_id: np.ndarray
    recency_days: np.ndarray
    frequency: np.ndarray
    monetary: np.ndarray
    r_score: np.ndarray
    f_score: np.ndarray
    m_score: np.ndarray
    revenue: np.ndarray
    first_order: np.ndarray  # datetime64[D]
    last_order: np.ndarray  # datetime64[D]
    as_of: dt.date
    monetary_basis: str = "total"

    def __len__(self) -> int:
        return len(self.customer_id)

    @property
    def segment(self) -> np.ndarray:
        """The RFM segment key of every customer (see :data:`RFM_GRID`)."""
        return rfm_segment(self.r_score, self.f_score, self.m_score)

    @property
    def average_order_value(self) -> np.ndarray:
        """Revenue per order of every customer."""
        return np.asarray(self.revenue / self.frequency, dtype=float)

    def labels(self, language: str = "en") -> list[str]:
        """The segment label of every customer in ``language``."""
        return [segment_label(k, language) for k in self.segment.tolist()]

    def rows(self, language: str = "en") -> list[dict[str, Any]]:
        """One JSON-able dict per customer."""
        return [
            {
                "customer_id": c,
                "recency_days": int(rec),
                "frequency": int(f),
                "monetary": float(m),
                "r_score": int(rs),
                "f_score": int(fs),
                "m_score": int(ms),
                "segment": key,
                "segment_label": segment_label(key, language),
            }
            for c, rec, f, m, rs, fs, ms, key in zip(
                self.customer_id.tolist(),
                self.recency_days.tolist(),
                self.frequency.tolist(),
                self.monetary.tolist(),
                self.r_score.tolist(),
                self.f_score.tolist(),
                self.m_score.tolist(),
                self.segment.tolist(),
                strict=True,
            )
        ]


def rfm_scores(
    customer_ids: Sequence[Any] | np.ndarray,
    dates: Sequence[DayLike] | np.ndarray,
    revenue: Sequence[float] | np.ndarray,
    *,
    as_of: DayLike | None = None,
    monetary: str = "total",
) -> RFM:
    """RFM of order-level rows given as three columns (see the module for the definitions).

    ``dates`` are dates, datetimes (read in UTC), ISO strings or numpy datetime64 values.
    """
    ids = np.array([str(c) for c in customer_ids], dtype=object)
    if isinstance(dates, np.ndarray) and np.issubdtype(dates.dtype, np.datetime64):
        day = dates.astype("datetime64[D]").astype(np.int64)
    else:
        day = np.array([to_day(d) for d in dates], dtype=np.int64)
    value = np.asarray(revenue, dtype=float)
    if not len(ids) == len(day) == len(value):
        raise ValueError(
            f"customer_ids, dates and revenue differ in length: {len(ids)}, {len(day)}, "
            f"{len(value)}"
        )
    return _rfm(ids, day, value, as_of=as_of, monetary=monetary)


def rfm_from_orders(orders: Rows, *, as_of: DayLike | None = None, monetary: str = "total") -> RFM:
    """RFM of a canonical ``orders`` table (customer_id, ordered_at, revenue; one currency)."""
    table = as_table(orders, "orders", ("customer_id", "ordered_at", "revenue"))
    single_currency(table, "orders")
    value = floats(table, "revenue")
    if np.isnan(value).any():
        row = int(np.argmax(np.isnan(value)))
        raise ValueError(f"orders: row {row + 1} has no revenue")
    return _rfm(
        strings(table, "customer_id", "orders", required=True),
        days(table, "ordered_at", "orders"),
        value,
        as_of=as_of,
        monetary=monetary,
    )


def orders_from_deals(deals: Rows) -> pa.Table:
    """Order-level rows from the won deals of a canonical ``deals`` table.

    The customer is the deal's ``account_id``, or its ``lead_id`` when it has no account; the
    order is dated ``closed_at`` and worth ``amount``; the margin is unknown (null). Columns:
    ``order_id`` (the deal id), ``customer_id``, ``ordered_at``, ``revenue``, ``gross_margin``,
    ``currency``. A won deal without customer, closing date or amount is refused.
    """
    table = as_table(deals, "deals", ("deal_id", "status", "closed_at", "amount"))
    won = [s == "won" for s in table.column("status").to_pylist()]
    table = table.filter(pa.array(won, pa.bool_()))
    deal_ids = strings(table, "deal_id", "deals", required=True)
    accounts = _optional(table, "account_id")
    leads = _optional(table, "lead_id")
    customers = np.array(
        [a if a is not None else lead for a, lead in zip(accounts, leads, strict=True)],
        dtype=object,
    )
    if any(c is None for c in customers):
        deal = deal_ids[[c is None for c in customers].index(True)]
        raise ValueError(f"deals: won deal {deal} has no customer (account_id or lead_id)")
    closed = table.column("closed_at").to_pylist()
    amount = floats(table, "amount")
    for i, deal in enumerate(deal_ids):
        if closed[i] is None:
            raise ValueError(f"deals: won deal {deal} has no closed_at")
        if np.isnan(amount[i]):
            raise ValueError(f"deals: won deal {deal} has no amount")
    currency = (
        table.column("currency") if "currency" in table.column_names else pa.nulls(len(deal_ids))
    )
    return pa.table(
        {
            "order_id": pa.array(deal_ids.tolist(), pa.string()),
            "customer_id": pa.array(customers.tolist(), pa.string()),
            "ordered_at": table.column("closed_at"),
            "revenue": pa.array(amount, pa.float64()),
            "gross_margin": pa.nulls(len(deal_ids), pa.float64()),
            "currency": pa.array(currency.to_pylist(), pa.string()),
        }
    )


def rfm_from_deals(deals: Rows, *, as_of: DayLike | None = None, monetary: str = "total") -> RFM:
    """RFM of the won deals of a canonical ``deals`` table (see :func:`orders_from_deals`)."""
    return rfm_from_orders(orders_from_deals(deals), as_of=as_of, monetary=monetary)


def _optional(table: pa.Table, column: str) -> np.ndarray:
    if column not in table.column_names:
        return np.full(table.num_rows, None, dtype=object)
    return strings(table, column, "deals", required=False)


def _rfm(
    ids: np.ndarray, day: np.ndarray, value: np.ndarray, *, as_of: DayLike | None, monetary: str
) -> RFM:
    if monetary not in MONETARY_BASES:
        raise ValueError(f"monetary must be 'total' or 'average', not {monetary!r}")
    if not len(ids):
        raise ValueError("no orders: RFM needs at least one order")
    if not np.all(np.isfinite(value)):
        raise ValueError("revenue must be a finite number on every order")
    end = int(day.max()) if as_of is None else to_day(as_of)
    keep = day <= end
    if not keep.any():
        raise ValueError(f"no order on or before {to_date(end).isoformat()} (as_of)")
    ids, day, value = ids[keep], day[keep], value[keep]
    customers, code = np.unique(ids.astype(str), return_inverse=True)
    n = len(customers)
    frequency = np.bincount(code, minlength=n).astype(np.int64)
    revenue = np.bincount(code, weights=value, minlength=n)
    last = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last, code, day)
    first = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, code, day)
    recency = end - last
    money = revenue if monetary == "total" else revenue / frequency
    return RFM(
        customer_id=customers.astype(object),
        recency_days=recency,
        frequency=frequency,
        monetary=money,
        r_score=quintile_scores(recency, higher_is_better=False),
        f_score=quintile_scores(frequency),
        m_score=quintile_scores(money),
        revenue=revenue,
        first_order=first.astype("datetime64[D]"),
        last_order=last.astype("datetime64[D]"),
        as_of=to_date(end),
        monetary_basis=monetary,
    )
