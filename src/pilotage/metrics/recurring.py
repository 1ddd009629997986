"""Monthly costs (marketing payroll, sales cost) as the daily rows the metrics layer sums.

A cost of ``monthly`` per month from ``start`` to ``end`` (both included; open-ended until
``until``) becomes one row per day worth ``monthly / days in that month``, so any period's sum
is the months it covers, prorated by day: a full month sums to its monthly amount.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa

from pilotage.metrics.source import RECURRING_SCHEMA

KINDS = ("payroll", "sales")


@dataclass(frozen=True)
class RecurringCost:
    kind: str  # "payroll" (marketing payroll) or "sales" (the sales team's cost)
    monthly: float
    start: dt.date
    end: dt.date | None
    currency: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown cost kind {self.kind!r}; use one of {', '.join(KINDS)}")
        if self.monthly < 0:
            raise ValueError("a monthly cost cannot be negative")
        if self.end is not None and self.end < self.start:
            raise ValueError(f"the cost ends ({self.end}) before it starts ({self.start})")


def daily_rows(costs: Iterable[RecurringCost], until: dt.date) -> pa.Table:
    """One row per cost and day, from each cost's start to its end (or ``until``)."""
    dates, kinds, amounts, currencies = [], [], [], []
    for cost in costs:
        day, last = cost.start, min(cost.end or until, until)
        while day <= last:
            days = calendar.monthrange(day.year, day.month)[1]
            dates.append(day)
            kinds.append(cost.kind)
            amounts.append(cost.monthly / days)
            currencies.append(cost.currency)
            day += dt.timedelta(days=1)
    return pa.table(
        {"date": dates, "kind": kinds, "cost": amounts, "currency": currencies},
        schema=RECURRING_SCHEMA,
    )
