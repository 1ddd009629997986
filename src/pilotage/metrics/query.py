"""The typed question every consumer asks the metrics layer: :class:`MetricQuery`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Literal

Grain = Literal["day", "week", "month", "quarter", "year"]
Comparison = Literal["previous_period", "last_year", "plan"]
Attribution = Literal["first_touch", "last_touch", "linear", "position_based", "time_decay"]
GRAINS: tuple[str, ...] = ("day", "week", "month", "quarter", "year")
COMPARISONS: tuple[str, ...] = ("previous_period", "last_year", "plan")
ATTRIBUTIONS: tuple[str, ...] = (
    "first_touch",
    "last_touch",
    "linear",
    "position_based",
    "time_decay",
)
DIMENSIONS: tuple[str, ...] = (
    "channel",
    "campaign",
    "segment",
    "region",
    "country",
    "company_size",
    "customer_segment",  # the saved segmentation's segment of the row's customer
)


class QueryError(ValueError):
    """The query asks for something the metrics layer cannot answer; the message says why."""


@dataclass(frozen=True)
class MetricQuery:
    """Which KPIs, split how, over which period, compared with what.

    ``start`` and ``end`` are both included. ``grain`` buckets the period (None: one row for
    the whole period). ``filters`` keeps only rows whose dimension has one of the given values.
    ``maturity_days`` is the window of cohort conversion rates: a lead counts as converted when
    it reaches the next stage within that many days, and only cohorts whose window has elapsed
    by ``as_of`` (default: the last day with data) are counted. ``attribution`` is the model
    that credits new customers and their revenue to channels when the query splits or filters
    by channel or campaign (``first_touch``, the source channel, by default; see
    ``metrics/attribution.py``); blended figures do not depend on it.

    >>> q = MetricQuery(("cac",), dt.date(2025, 1, 1), dt.date(2025, 12, 31), ("channel",))
    >>> q.key() == MetricQuery(("cac",), dt.date(2025, 1, 1), dt.date(2025, 12, 31),
    ...                         ("channel",)).key()
    True
    """

    metrics: tuple[str, ...]
    start: dt.date
    end: dt.date
    dimensions: tuple[str, ...] = ()
    grain: Grain | None = None
    compare: Comparison | None = None
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    attribution: Attribution = "first_touch"
    maturity_days: int = 180
    as_of: dt.date | None = None

    def __post_init__(self) -> None:
        if not self.metrics:
            raise QueryError("ask for at least one metric")
        if self.end < self.start:
            raise QueryError(f"the period ends ({self.end}) before it starts ({self.start})")
        if self.grain is not None and self.grain not in GRAINS:
            raise QueryError(f"unknown grain {self.grain!r}; use one of {', '.join(GRAINS)}")
        if self.compare is not None and self.compare not in COMPARISONS:
            raise QueryError(
                f"unknown comparison {self.compare!r}; use one of {', '.join(COMPARISONS)}"
            )
        unknown = [d for d in (*self.dimensions, *dict(self.filters)) if d not in DIMENSIONS]
        if unknown:
            raise QueryError(
                f"unknown dimension {unknown[0]!r}; use one of {', '.join(DIMENSIONS)}"
            )
        if self.attribution not in ATTRIBUTIONS:
            raise QueryError(
                f"unknown attribution {self.attribution!r}; use one of {', '.join(ATTRIBUTIONS)}"
            )
        if not 0 <= self.maturity_days <= 3660:
            raise QueryError("maturity_days must be between 0 and 3660 (ten years)")
        if self.start.year < 1900 or self.end.year > 2999:
            raise QueryError("the period must fall between the years 1900 and 2999")

    def key(self) -> str:
        """A stable hash of the query, for caching."""
        payload = json.dumps(asdict(self), default=str, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:24]

    @property
    def months(self) -> int | None:
        """The number of whole calendar months the period spans, or None."""
        following = self.end + dt.timedelta(days=1)
        if self.start.day != 1 or following.day != 1:
            return None
        return (following.year - self.start.year) * 12 + following.month - self.start.month

    def shifted(self, to: Comparison) -> MetricQuery:
        """The same query over the comparison period (previous period or same period last year)."""
        if to == "previous_period" and self.months:
            # whole months: the same number of months before (Q2 → Q1, 2025 → 2024)
            start = add_months(self.start, -self.months)
            end = self.start - dt.timedelta(days=1)
        elif to == "previous_period":
            length = self.end - self.start + dt.timedelta(days=1)
            start, end = self.start - length, self.start - dt.timedelta(days=1)
        elif to == "last_year":
            start, end = _minus_year(self.start), _minus_year(self.end)
        else:
            raise QueryError("the plan is not a period: pass plan values to the runner")
        return MetricQuery(
            self.metrics,
            start,
            end,
            self.dimensions,
            self.grain,
            None,
            self.filters,
            self.attribution,
            self.maturity_days,
            self.as_of,
        )


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months (the day of month clipped to 28 if needed)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    try:
        return day.replace(year=year, month=month + 1)
    except ValueError:
        return day.replace(year=year, month=month + 1, day=28)


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
