"""Re-planned budgets: ``plan_jitter`` moves money between months, not between years."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

import numpy as np

from pilotage.simulate.companies import INDUSTRIE
from pilotage.simulate.spend import Calendar, plan_channel

CAL = Calendar.between(INDUSTRIE.start, INDUSTRIE.end)
SEARCH, SEO = (c for c in INDUSTRIE.channels if c.name in ("Paid search", "SEO/content"))


def _monthly(plan: dict[tuple[int, int], float]) -> np.ndarray:
    return np.array([plan[k] for k in sorted(plan)])


def _yearly(plan: dict[tuple[int, int], float]) -> dict[int, float]:
    out: dict[int, float] = defaultdict(float)
    for (year, _), amount in plan.items():
        out[year] += amount
    return out


def test_without_jitter_always_on_channels_follow_the_same_month_weights():
    a = plan_channel(SEARCH, CAL, np.random.default_rng(1)).plan
    b = plan_channel(SEO, CAL, np.random.default_rng(2)).plan
    assert np.corrcoef(_monthly(a), _monthly(b))[0, 1] > 0.99


def test_jitter_decorrelates_the_channels_and_keeps_each_years_total():
    search, seo = (dataclasses.replace(c, plan_jitter=0.3) for c in (SEARCH, SEO))
    a = plan_channel(search, CAL, np.random.default_rng(1)).plan
    b = plan_channel(seo, CAL, np.random.default_rng(2)).plan
    assert np.corrcoef(_monthly(a), _monthly(b))[0, 1] < 0.8
    steady = plan_channel(SEARCH, CAL, np.random.default_rng(1)).plan
    for year, total in _yearly(steady).items():
        assert abs(_yearly(a)[year] - total) <= 0.01 * len(a)  # cents of rounding per month
    moved = np.abs(_monthly(a) / _monthly(steady) - 1)
    assert np.median(moved) > 0.1


def test_jitter_reaches_the_daily_spend():
    search = dataclasses.replace(SEARCH, plan_jitter=0.3)
    jittered = plan_channel(search, CAL, np.random.default_rng(5))
    for (year, month), planned in jittered.plan.items():
        days = (CAL.years == year) & (CAL.months == month)
        if days.any():
            # the daily spend deviates from the plan by a lognormal noise of sigma 0.15 a day
            assert abs(jittered.daily[days].sum() - planned) < 0.2 * planned, (year, month)
