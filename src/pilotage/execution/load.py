"""Owner load: how much of each owner's week the plan asks for, and where it overflows.

Effort and capacity are in one unit, the share of a full-time week (FTE): an action at 0.5
takes half of its owner's week; an owner's capacity is 1 by default (a full-time person) and
can be set per owner (an agency that staffs two people: 2; a part-time freelancer: 0.4).

An action loads its full ``effort`` on every ISO week it touches, from the week of ``start``
to the week of ``end`` — a weekly plan's reading: an owner busy with an action any day of a
week is busy with it that week. ``prorate=True`` instead weighs each week by the share of
the action's working days (Monday–Friday) that fall in it, out of five, so an action that
ends on a Tuesday adds 2/5 of its effort to that week.

Load(owner, week) = Σ effort of the owner's actions in that week; the week is *overloaded*
when load > capacity (equal is full, not over). Amounts are ``Decimal``, so 0.1 + 0.2 is 0.3
and a load exactly at capacity is never flagged by rounding.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Assignment", "WeekLoad", "overloads", "weekly_load"]

ONE = Decimal(1)
FIVE = Decimal(5)


@dataclass(frozen=True)
class Assignment:
    """An action (or milestone) its owner works on from ``start`` to ``end`` (inclusive)."""

    action_id: int | str
    owner: str
    start: dt.date
    end: dt.date
    effort: Decimal = ONE
    title: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"action {self.action_id}: end {self.end} is before {self.start}")
        if isinstance(self.effort, float):
            raise TypeError("give the effort as a Decimal (or an int), not a float")
        if self.effort < 0:
            raise ValueError(f"action {self.action_id}: negative effort {self.effort}")


@dataclass(frozen=True)
class WeekLoad:
    """One owner's load in one ISO week, and the actions making it up."""

    owner: str
    year: int  # the ISO year, which may differ from the calendar year around New Year
    week: int
    monday: dt.date
    load: Decimal
    capacity: Decimal
    actions: tuple[int | str, ...]

    @property
    def label(self) -> str:
        """``2025-W03``."""
        return f"{self.year}-W{self.week:02d}"

    @property
    def overloaded(self) -> bool:
        return self.load > self.capacity

    @property
    def excess(self) -> Decimal:
        return max(self.load - self.capacity, Decimal(0))


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _working_days(start: dt.date, end: dt.date) -> int:
    return sum(1 for i in range((end - start).days + 1) if (start + dt.timedelta(i)).weekday() < 5)


def weekly_load(
    items: Iterable[Assignment],
    capacity: Decimal | int | Mapping[str, Decimal] = ONE,
    *,
    default_capacity: Decimal = ONE,
    prorate: bool = False,
) -> list[WeekLoad]:
    """Every (owner, ISO week) with some load, sorted by owner then week.

    ``capacity`` is one number for everybody or a mapping owner → capacity, with
    ``default_capacity`` for owners it does not list.

    >>> a = Assignment(1, "Alice", dt.date(2025, 3, 3), dt.date(2025, 3, 12))
    >>> [(w.label, w.load) for w in weekly_load([a])]
    [('2025-W10', Decimal('1')), ('2025-W11', Decimal('1'))]
    """
    loads: dict[tuple[str, dt.date], Decimal] = defaultdict(Decimal)
    who: dict[tuple[str, dt.date], list[int | str]] = defaultdict(list)
    for item in items:
        monday = _monday(item.start)
        while monday <= item.end:
            effort = Decimal(item.effort)
            if prorate:
                first = max(monday, item.start)
                last = min(monday + dt.timedelta(days=6), item.end)
                effort = effort * _working_days(first, last) / FIVE
            key = (item.owner, monday)
            if not prorate or effort:
                loads[key] += effort
                who[key].append(item.action_id)
            monday += dt.timedelta(days=7)
    out = []
    for owner, monday in sorted(loads):
        if isinstance(capacity, Mapping):
            limit = Decimal(capacity.get(owner, default_capacity))
        else:
            limit = Decimal(capacity)
        year, week, _ = monday.isocalendar()
        out.append(
            WeekLoad(
                owner,
                year,
                week,
                monday,
                loads[owner, monday],
                limit,
                tuple(who[owner, monday]),
            )
        )
    return out


def overloads(
    items: Iterable[Assignment],
    capacity: Decimal | int | Mapping[str, Decimal] = ONE,
    *,
    default_capacity: Decimal = ONE,
    prorate: bool = False,
) -> list[WeekLoad]:
    """Only the overloaded weeks of ``weekly_load``."""
    return [
        w
        for w in weekly_load(items, capacity, default_capacity=default_capacity, prorate=prorate)
        if w.overloaded
    ]
