"""Budget plans and the daily spend that deviates from them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from pilotage.simulate.config import ChannelConfig

# How marketers spread an always-on budget over the year: less in summer and at Christmas.
MONTH_WEIGHTS = np.array([1.0, 1.05, 1.1, 1.1, 1.05, 0.95, 0.7, 0.5, 1.1, 1.15, 1.1, 0.8])
BUDGET_GROWTH_PER_YEAR = 0.05


@dataclass(frozen=True)
class Calendar:
    """The simulated days and handy views of them."""

    days: tuple[dt.date, ...]

    @classmethod
    def between(cls, start: dt.date, end: dt.date) -> Calendar:
        n = (end - start).days + 1
        return cls(tuple(start + dt.timedelta(days=i) for i in range(n)))

    def __len__(self) -> int:
        return len(self.days)

    @property
    def years(self) -> np.ndarray:
        return np.array([d.year for d in self.days])

    @property
    def months(self) -> np.ndarray:
        return np.array([d.month for d in self.days])

    @property
    def day_of_year(self) -> np.ndarray:
        return np.array([d.timetuple().tm_yday for d in self.days], dtype=float)

    @property
    def weekdays(self) -> np.ndarray:
        return np.array([d.weekday() for d in self.days])

    def month_keys(self) -> list[tuple[int, int]]:
        return sorted({(d.year, d.month) for d in self.days})

    def plan_month_keys(self) -> list[tuple[int, int]]:
        """The months a budget plans: from the first simulated month to the end of the last
        year (a director plans the whole year, even when the data stops in September)."""
        first, last = self.days[0], self.days[-1]
        return [
            (y, m)
            for y in range(first.year, last.year + 1)
            for m in range(1, 13)
            if (y, m) >= (first.year, first.month)
        ]

    def index(self, day: dt.date) -> int | None:
        i = (day - self.days[0]).days
        return i if 0 <= i < len(self.days) else None


@dataclass(frozen=True)
class PlannedSpend:
    """A channel's planned budget by month and its actual daily spend by campaign (in cents)."""

    plan: dict[tuple[int, int], float]
    by_campaign: dict[str, np.ndarray]

    @property
    def daily(self) -> np.ndarray:
        """Total daily spend, the sum of the rounded campaign costs."""
        return np.round(sum(self.by_campaign.values()), 2)


def _annual_budget(channel: ChannelConfig, year: int, first_year: int) -> float:
    return channel.annual_budget * (1 + BUDGET_GROWTH_PER_YEAR) ** (year - first_year)


def plan_channel(channel: ChannelConfig, cal: Calendar, rng: np.random.Generator) -> PlannedSpend:
    """Draw a channel's monthly plan and its actual daily spend, split by campaign."""
    first_year = cal.days[0].year
    n = len(cal)
    if channel.pattern == "events":
        return _plan_events(channel, cal, rng, first_year)
    weights = MONTH_WEIGHTS / MONTH_WEIGHTS.sum()
    plan = {
        (y, m): float(round(_annual_budget(channel, y, first_year) * weights[m - 1], 2))
        for y, m in cal.plan_month_keys()
    }
    if channel.plan_jitter > 0:
        plan = _replan(plan, channel.plan_jitter, rng)
    months, years = cal.months, cal.years
    daily_plan = np.zeros(n)
    for (y, m), amount in plan.items():
        mask = (years == y) & (months == m)
        if not mask.any():
            continue  # planned, but after the simulated days
        if channel.pattern == "monthly":
            first_days = np.flatnonzero(mask)[:5]
            daily_plan[first_days] = amount / len(first_days)
        else:
            daily_plan[mask] = amount / mask.sum()
    if channel.pattern == "flights":
        # Four-week flights, on with probability 0.6; the budget of the off weeks is not spent.
        blocks = np.arange(n) // 28
        on = rng.random(blocks.max() + 1) < 0.6
        daily_plan = daily_plan * on[blocks] / 0.6
    actual = daily_plan * rng.lognormal(mean=-0.5 * 0.15**2, sigma=0.15, size=n)
    shares = rng.dirichlet(np.full(len(channel.campaigns), 4.0))
    by_campaign = {
        name: np.round(actual * share, 2)
        for name, share in zip(channel.campaigns, shares, strict=True)
    }
    return PlannedSpend(plan=plan, by_campaign=by_campaign)


def _replan(
    plan: dict[tuple[int, int], float], sigma: float, rng: np.random.Generator
) -> dict[tuple[int, int], float]:
    """Move money between the months of each year: lognormal factors, the year's total kept."""
    factors = rng.lognormal(-0.5 * sigma**2, sigma, len(plan))
    moved = {key: amount * f for (key, amount), f in zip(plan.items(), factors, strict=True)}
    out = {}
    for year in sorted({y for y, _ in plan}):
        keys = [k for k in plan if k[0] == year]
        before, after = sum(plan[k] for k in keys), sum(moved[k] for k in keys)
        for k in keys:
            out[k] = float(round(moved[k] * before / after, 2)) if after > 0 else plan[k]
    return out


def _plan_events(
    channel: ChannelConfig, cal: Calendar, rng: np.random.Generator, first_year: int
) -> PlannedSpend:
    plan = {key: 0.0 for key in cal.plan_month_keys()}
    by_campaign: dict[str, np.ndarray] = {}
    for year in sorted(set(cal.years.tolist())):
        growth = _annual_budget(channel, year, first_year) / channel.annual_budget
        for event in channel.events:
            if (year, event.month) not in plan:
                continue
            planned = round(event.cost * growth, 2)
            plan[(year, event.month)] += planned
            start = cal.index(dt.date(year, event.month, event.day))
            if start is None:
                continue  # planned, but after the simulated days
            actual = planned * (1 + rng.normal(0, 0.08))
            series = np.zeros(len(cal))
            days = np.arange(start, min(start + event.days, len(cal)))
            series[days] = np.round(actual / event.days, 2)
            by_campaign[f"{event.name} {year}"] = series
    return PlannedSpend(plan=plan, by_campaign=by_campaign)
