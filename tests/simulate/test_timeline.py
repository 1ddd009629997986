"""Timestamps of simulated events."""

from __future__ import annotations

import datetime as dt

import numpy as np

from pilotage.simulate.timeline import day_start, plus_days


def test_a_huge_lag_stays_in_the_future_instead_of_overflowing():
    # a customer with a buying rate near zero draws a gap of ~1e12 days, or an infinite one:
    # without a cap, the microseconds overflow int64 and wrap to a date in the distant past,
    # which then counts as an order inside the period
    start = np.full(3, day_start(dt.date(2024, 1, 1)))
    later = plus_days(start, np.array([1.5, 1e12, np.inf]))
    assert later[0] == start[0] + np.timedelta64(36 * 3_600_000_000, "us")
    assert np.all(later[1:] > start[1:] + np.timedelta64(365 * 1000, "D"))
