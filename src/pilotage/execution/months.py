"""Spreading an action's money over the calendar months it runs in, to the cent.

An action from 20 January to 10 February with a 3,100.00 budget plans 12/22 of it in January
and 10/22 in February: the amount is split in proportion to the days in each month, rounded
to the cent, and the rounding remainder goes to the months with the largest fractional parts
(largest-remainder method), so the parts always add up exactly to the amount.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal

CENT = Decimal("0.01")


def month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every month from ``start``'s to ``end``'s, inclusive."""
    if end < start:
        raise ValueError(f"the end {end} is before the start {start}")
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def days_by_month(start: dt.date, end: dt.date) -> dict[dt.date, int]:
    """How many days of [start, end] (both included) fall in each month."""
    days = {}
    for month in month_starts(start, end):
        following = (month + dt.timedelta(days=32)).replace(day=1)
        first, last = max(start, month), min(end, following - dt.timedelta(days=1))
        days[month] = (last - first).days + 1
    return days


def spread(amount: Decimal, start: dt.date, end: dt.date) -> dict[dt.date, Decimal]:
    """``amount`` split over the months of [start, end] in proportion to their days."""
    amount = Decimal(amount).quantize(CENT)
    days = days_by_month(start, end)
    total_days = sum(days.values())
    cents = int(amount / CENT)
    exact = {m: Decimal(cents) * d / total_days for m, d in days.items()}
    floors = {m: int(v.to_integral_value(ROUND_DOWN)) for m, v in exact.items()}
    left = cents - sum(floors.values())
    by_remainder = sorted(exact, key=lambda m: (-(exact[m] - floors[m]), m))
    for month in by_remainder[:left]:
        floors[month] += 1
    return {m: Decimal(c) * CENT for m, c in floors.items()}
