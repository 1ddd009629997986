"""What each segment is worth: size, revenue, margin, growth, order value, LTV, CAC, make-up.

:func:`profile_segments` takes the customer table, one segment label per customer and the
order-level rows (``orders``, or :func:`~pilotage.models.segmentation.rfm.orders_from_deals`
for won deals), and returns one :class:`SegmentProfile` per segment plus the same numbers
for all customers together. Only orders of the table's customers, placed on or before
``as_of``, count. Definitions (DESIGN.md §5 where it has one):

- ``revenue`` = Σ order revenue; ``revenue_share`` = revenue / all customers' revenue;
- ``gross_margin`` = Σ of the known order margins; ``margin_missing_orders`` counts the orders
  without one (``margin_missing`` is then True and the margin total is partial);
- ``growth`` = R₁ / R₀ − 1 with R₁ the revenue of the last 12 months (after the same date a
  year before ``as_of``, up to ``as_of``) and R₀ that of the 12 months before; None when
  R₀ = 0;
- ``average_order_value`` = revenue / orders;
- ``ltv`` (historical) = gross margin per customer when every order has a margin, else revenue
  per customer, ``ltv_basis`` saying which ("gross_margin" or "revenue");
- ``cac`` = the segment's marketing cost (optional input) / its new customers: those whose
  first order falls in ``cost_period`` (inclusive), all of the segment's customers without a
  period; ``ltv_to_cac`` = ltv / cac.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pilotage.models.segmentation._input import (
    DayLike,
    Rows,
    as_table,
    days,
    floats,
    one_year_before,
    single_currency,
    strings,
    to_date,
    to_day,
)
from pilotage.models.segmentation.features import CustomerFeatures

Label = int | str


@dataclass(frozen=True)
class TopValue:
    """One value of a categorical column in a segment, with its customers and share."""

    value: str | None
    customers: int
    share: float


@dataclass(frozen=True)
class SegmentProfile:
    """The numbers of one segment (see the module for the definitions)."""

    segment: Label | None  # None for all customers together
    customers: int
    customer_share: float
    orders: int
    revenue: float
    revenue_share: float | None
    gross_margin: float | None
    margin_missing_orders: int
    revenue_last_12m: float
    revenue_previous_12m: float
    growth: float | None
    average_order_value: float | None
    ltv: float | None
    ltv_basis: str
    new_customers: int
    marketing_cost: float | None
    cac: float | None
    ltv_to_cac: float | None
    mean_recency_days: float | None
    mean_frequency: float | None
    mean_monetary: float | None
    mean_r_score: float | None
    mean_f_score: float | None
    mean_m_score: float | None
    top_values: dict[str, tuple[TopValue, ...]] = field(default_factory=dict)

    @property
    def margin_missing(self) -> bool:
        """Whether some order of the segment has no gross margin."""
        return self.margin_missing_orders > 0


@dataclass(frozen=True)
class SegmentProfiles:
    """The profiles of every segment (ordered by label), all customers, and their context."""

    segments: tuple[SegmentProfile, ...]
    overall: SegmentProfile
    as_of: dt.date
    currency: str | None

    def by_segment(self) -> dict[Label, SegmentProfile]:
        """The profiles keyed by segment label."""
        return {p.segment: p for p in self.segments if p.segment is not None}


@dataclass
class _Orders:
    customer: np.ndarray  # index into the customer table
    day: np.ndarray
    revenue: np.ndarray
    margin: np.ndarray  # NaN where unknown


def profile_segments(
    features: CustomerFeatures,
    labels: Sequence[Label] | np.ndarray,
    orders: Rows,
    *,
    as_of: DayLike | None = None,
    marketing_cost: Mapping[Label, float] | None = None,
    cost_period: tuple[DayLike, DayLike] | None = None,
    top: int = 3,
) -> SegmentProfiles:
    """Profile the segments ``labels`` (one per customer of ``features``) from ``orders``.

    ``as_of`` defaults to the table's RFM day, else the latest order. ``marketing_cost`` maps
    segment labels to their cost (same currency as the orders); the overall CAC uses the total
    of the costs given. ``top`` values of each categorical column are listed per segment.
    """
    labels_array = np.empty(len(labels), dtype=object)
    labels_array[:] = [x.item() if isinstance(x, np.generic) else x for x in labels]
    if len(labels_array) != len(features):
        raise ValueError(f"{len(labels_array)} labels for {len(features)} customers")
    if not len(features):
        raise ValueError("the customer table is empty")
    if top < 1:
        raise ValueError("top must be ≥ 1")
    table = as_table(orders, "orders", ("customer_id", "ordered_at", "revenue"))
    currency = single_currency(table, "orders")
    found = _read_orders(table, features)
    end = _as_of(as_of, features, found)
    keep = found.day <= end
    found = _Orders(found.customer[keep], found.day[keep], found.revenue[keep], found.margin[keep])
    segments = sorted(set(labels_array.tolist()), key=_label_key)
    costs = dict(marketing_cost or {})
    unknown = [k for k in costs if k not in set(segments)]
    if unknown:
        raise ValueError(f"marketing_cost names segment(s) without customers: {unknown}")
    period = None
    if cost_period is not None:
        period = (to_day(cost_period[0]), to_day(cost_period[1]))
        if period[0] > period[1]:
            raise ValueError("cost_period starts after it ends")
    context = _Context(features, found, end, period, top, len(features), float(found.revenue.sum()))
    profiles = tuple(
        context.profile(label, labels_array == label, costs.get(label)) for label in segments
    )
    total_cost = float(sum(costs.values())) if costs else None
    overall = context.profile(None, np.ones(len(features), dtype=bool), total_cost)
    return SegmentProfiles(profiles, overall, to_date(end), currency)


def _label_key(label: Any) -> tuple[int, Any]:
    return (0, label) if isinstance(label, int | np.integer) else (1, str(label))


def _read_orders(table: Any, features: CustomerFeatures) -> _Orders:
    ids = strings(table, "customer_id", "orders", required=True)
    row_of = {c: i for i, c in enumerate(features.customer_id.tolist())}
    where = np.array([row_of.get(c, -1) for c in ids.tolist()], dtype=np.int64)
    revenue = floats(table, "revenue")
    if np.isnan(revenue).any():
        raise ValueError(f"orders: row {int(np.argmax(np.isnan(revenue))) + 1} has no revenue")
    margin = (
        floats(table, "gross_margin")
        if "gross_margin" in table.column_names
        else np.full(len(ids), np.nan)
    )
    day = days(table, "ordered_at", "orders")
    mine = where >= 0
    return _Orders(where[mine], day[mine], revenue[mine], margin[mine])


def _as_of(as_of: DayLike | None, features: CustomerFeatures, orders: _Orders) -> int:
    if as_of is not None:
        return to_day(as_of)
    if features.as_of is not None:
        return to_day(features.as_of)
    if not len(orders.day):
        raise ValueError("no order of these customers: give as_of")
    return int(orders.day.max())


def _mean(values: np.ndarray) -> float | None:
    return float(np.mean(values)) if len(values) else None


def _ratio(a: float, b: float | None) -> float | None:
    return a / b if b else None


@dataclass
class _Context:
    features: CustomerFeatures
    orders: _Orders
    end: int
    period: tuple[int, int] | None
    top: int
    n_customers: int
    total_revenue: float

    def profile(
        self, label: Label | None, members: np.ndarray, cost: float | None
    ) -> SegmentProfile:
        o = self.orders
        mine = members[o.customer]
        revenue, margin, day = o.revenue[mine], o.margin[mine], o.day[mine]
        customers = int(members.sum())
        known = ~np.isnan(margin)
        missing = int((~known).sum())
        total_margin = float(margin[known].sum()) if known.any() else None
        year_ago = one_year_before(self.end)
        two_years_ago = one_year_before(year_ago)
        last = float(revenue[(day > year_ago) & (day <= self.end)].sum())
        previous = float(revenue[(day > two_years_ago) & (day <= year_ago)].sum())
        total = float(revenue.sum())
        by_margin = total_margin is not None and missing == 0
        ltv = (total_margin if by_margin and total_margin is not None else total) / customers
        new = self._new_customers(members)
        cac = _ratio(cost, new) if cost is not None else None
        return SegmentProfile(
            segment=label,
            customers=customers,
            customer_share=customers / self.n_customers,
            orders=int(mine.sum()),
            revenue=total,
            revenue_share=_ratio(total, self.total_revenue),
            gross_margin=total_margin,
            margin_missing_orders=missing,
            revenue_last_12m=last,
            revenue_previous_12m=previous,
            growth=last / previous - 1 if previous else None,
            average_order_value=_ratio(total, int(mine.sum())),
            ltv=ltv,
            ltv_basis="gross_margin" if by_margin else "revenue",
            new_customers=new,
            marketing_cost=None if cost is None else float(cost),
            cac=cac,
            ltv_to_cac=_ratio(ltv, cac) if cac is not None else None,
            **self._rfm_means(members),
            top_values=self._top_values(members),
        )

    def _new_customers(self, members: np.ndarray) -> int:
        if self.period is None:
            return int(members.sum())
        o = self.orders
        first = np.full(self.n_customers, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first, o.customer, o.day)
        start, end = self.period
        return int((members & (first >= start) & (first <= end)).sum())

    def _rfm_means(self, members: np.ndarray) -> dict[str, float | None]:
        f = self.features
        result: dict[str, float | None] = {}
        for name, column in (
            ("mean_recency_days", "recency_days"),
            ("mean_frequency", "frequency"),
            ("mean_monetary", "monetary"),
            ("mean_r_score", "r_score"),
            ("mean_f_score", "f_score"),
            ("mean_m_score", "m_score"),
        ):
            present = column in f.columns and f.is_numeric(column)
            values = np.asarray(f.column(column), float)[members] if present else np.zeros(0)
            result[name] = _mean(values)
        return result

    def _top_values(self, members: np.ndarray) -> dict[str, tuple[TopValue, ...]]:
        result = {}
        count = int(members.sum())
        for name, values in self.features.categorical.items():
            counts = Counter(np.asarray(values)[members].tolist())
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] is None, str(kv[0])))
            result[name] = tuple(TopValue(value, n, n / count) for value, n in ranked[: self.top])
        return result
