"""Pacing and landing: is a KPI on track to meet its plan by the end of the period?

:func:`pacing` compares the actual to date with the part of the plan due by then.
:func:`landing` projects the period-end total at the observed run-rate, with a prediction
interval from the day-to-day (or month-to-month) variability of that run-rate.

Days are counted inclusively: ``as_of`` is the last day whose results are in the actual to
date, so on the evening of 10 January, 10 of January's 31 days have elapsed.

A *plan profile* says how the plan spreads over the period: weights, one per day of the period
or one per calendar month it touches (each month's weight spread evenly over its days in the
period). Without one the plan is linear in days.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from pilotage.metrics.variance import Direction, Variance, variance

LANDING_METHODS = ("normal", "bootstrap")
UNITS = ("day", "month")


@dataclass(frozen=True)
class Pacing:
    """Actual to date against the plan due by ``as_of``.

    ``expected_share`` is the share of the plan due by ``as_of``; ``pace`` is
    ``actual_to_date / plan_to_date`` (None when nothing was due yet); ``variance`` compares
    the actual to date with the plan to date.
    """

    as_of: dt.date
    elapsed_days: int
    total_days: int
    expected_share: float
    actual_to_date: float
    plan_to_date: float
    plan_total: float
    pace: float | None
    variance: Variance


def pacing(
    actual_to_date: float,
    plan_total: float,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    plan_profile: Sequence[float] | None = None,
    *,
    direction: Direction | str = Direction.NEUTRAL,
) -> Pacing:
    """Compare the actual to date with the prorated plan.

    With daily plan weights ``w_d`` (1 for every day without a profile):

    .. math:: plan\\_to\\_date = plan\\_total × \\frac{\\sum_{d ≤ as\\_of} w_d}{\\sum_d w_d},
              \\qquad pace = actual\\_to\\_date / plan\\_to\\_date

    ``as_of`` before the period gives nothing due; after it, the whole plan.

    Examples
    --------
    10 days into a 31-day month with a 31 000 € plan and 12 000 € spent:

    >>> p = pacing(12_000, 31_000, dt.date(2025, 1, 1), dt.date(2025, 1, 31), dt.date(2025, 1, 10))
    >>> p.plan_to_date, round(p.pace, 2)
    (10000.0, 1.2)
    >>> ramp = [1, 1, 2]  # a quarter with a heavier last month
    >>> pacing(4_000, 10_000, dt.date(2025, 1, 1), dt.date(2025, 3, 31), dt.date(2025, 2, 28),
    ...        ramp).plan_to_date
    5000.0
    """
    weights = _daily_weights(period_start, period_end, plan_profile)
    elapsed = min(max((as_of - period_start).days + 1, 0), len(weights))
    share = math.fsum(weights[:elapsed]) / math.fsum(weights)
    plan_to_date = plan_total * share
    return Pacing(
        as_of=as_of,
        elapsed_days=elapsed,
        total_days=len(weights),
        expected_share=share,
        actual_to_date=actual_to_date,
        plan_to_date=plan_to_date,
        plan_total=plan_total,
        pace=actual_to_date / plan_to_date if plan_to_date != 0 else None,
        variance=variance(actual_to_date, plan_to_date, direction),
    )


@dataclass(frozen=True)
class Landing:
    """A period-end estimate at the observed run-rate, with its prediction interval.

    ``estimate``, ``low`` and ``high`` are None when they cannot be computed (``note`` says
    why); ``pace`` is the run-rate ratio; ``observed_units`` the days (or months) observed.
    """

    estimate: float | None
    low: float | None
    high: float | None
    level: float
    method: str
    pace: float | None
    actual_to_date: float
    plan_to_date: float
    plan_total: float
    as_of: dt.date
    observed_units: int
    note: str | None = None

    def variance(self, direction: Direction | str) -> Variance:
        """The landing estimate against the full plan."""
        return variance(self.estimate, self.plan_total, direction)


def landing(
    actuals: Sequence[float],
    plan_total: float,
    period_start: dt.date,
    period_end: dt.date,
    plan_profile: Sequence[float] | None = None,
    *,
    unit: str = "day",
    level: float = 0.9,
    method: str = "normal",
    n_resamples: int = 2000,
    random_state: int | np.random.Generator | None = None,
) -> Landing:
    """Estimate where the period will land, with a prediction interval.

    ``actuals`` are the results of each elapsed day (``unit="day"``) or calendar month
    (``unit="month"``) from ``period_start``. Unit ``t`` has planned amount ``p_t``; ``A`` and
    ``P`` are the actual and planned amounts to date, ``Q = plan_total − P`` the plan to come.

    .. math:: \\hat R = A / P, \\qquad landing = A + \\hat R\\, Q

    **Interval.** The model is ``a_t = R p_t + e_t`` with independent errors of mean 0 and
    variance ``σ² p_t``: proportional to the plan, as for counts (leads per day are roughly
    Poisson) and sums of many small independent amounts. Under it ``R̂`` is the best linear
    unbiased estimate of ``R``, and the error of the predicted remainder has variance

    .. math:: Var\\Big(\\sum_{t > now} a_t - \\hat R Q\\Big) = σ^2 Q\\, (1 + Q / P)

    (the noise of the units to come, then the uncertainty of the run-rate), with ``σ²``
    estimated by ``s² = Σ (a_t − R̂ p_t)² / p_t / (m − 1)`` over the ``m`` observed units with
    a plan.

    - ``method="normal"``: ``landing ± t_{m−1} s √(Q (1 + Q/P))``, Student's ``t`` quantile
      at ``(1 + level) / 2`` because ``σ`` is estimated.
    - ``method="bootstrap"``: residual bootstrap. The standardized residuals
      ``(a_t − R̂ p_t) / √p_t × √(m / (m − 1))`` are resampled with replacement to rebuild the
      observed units (giving a run-rate ``R̂*``) and the units to come (giving a remainder
      ``F*``), ``n_resamples`` times; the interval is ``landing`` plus the quantiles of
      ``F* − R̂* Q``. No normality assumption (skewed daily noise is kept); deterministic
      given ``random_state``.

    Both assume a run-rate that stays constant for the rest of the period (no trend, no shock
    after today) and independent units (autocorrelated days make the interval too narrow).
    Seasonality belongs in ``plan_profile``: with a flat profile, weekday swings count as
    noise and widen the interval. With fewer than two observed units there is no interval.

    Examples
    --------
    400 leads in the first 10 days of a 31-day month planned at 1 000:

    >>> daily = [38, 45, 41, 36, 44, 39, 42, 37, 40, 38]
    >>> est = landing(daily, 1_000, dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    >>> est.estimate, round(est.pace, 2)
    (1240.0, 1.24)
    >>> round(est.low), round(est.high)
    (1196, 1284)
    """
    if method not in LANDING_METHODS:
        raise ValueError(f"unknown landing method {method!r}; use one of {LANDING_METHODS}")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (0.9 for a 90% interval), got {level}")
    weights = _daily_weights(period_start, period_end, plan_profile)
    units = _units(period_start, period_end, unit)
    observed = np.asarray(actuals, dtype=float)
    if observed.ndim != 1:
        raise ValueError(f"actuals must be a list of numbers, one per {unit}")
    if len(observed) > len(units):
        raise ValueError(
            f"actuals has {len(observed)} values but the period has {len(units)} {unit}s"
        )
    bad = np.flatnonzero(~np.isfinite(observed))
    if bad.size:
        raise ValueError(f"actuals[{bad[0]}] is not a number; give 0 for a {unit} without results")
    total_weight = math.fsum(weights)
    planned = np.array([plan_total * math.fsum(weights[a:b]) / total_weight for a, b in units])
    k = len(observed)
    as_of = period_start + dt.timedelta(days=units[k - 1][1] - 1 if k else -1)
    past, future = planned[:k], planned[k:]
    done, due, to_come = math.fsum(observed), math.fsum(past), math.fsum(future)
    base = Landing(None, None, None, level, method, None, done, due, plan_total, as_of, k)
    if np.any(planned < 0):
        return replace(base, note="n/a: the plan must be positive")
    if due <= 0:
        return replace(base, note=f"n/a: nothing was planned by {as_of}, so no run-rate yet")
    pace = done / due
    estimate = done + pace * to_come
    with_plan = past > 0
    m = int(with_plan.sum())
    if m < 2:
        note = f"no interval: it needs at least two observed {unit}s with a plan"
        return replace(base, estimate=estimate, pace=pace, note=note)
    residuals = (observed[with_plan] - pace * past[with_plan]) / np.sqrt(past[with_plan])
    if method == "normal":
        scale = math.sqrt(float(residuals @ residuals) / (m - 1) * to_come * (1 + to_come / due))
        half = _student_t_quantile((1 + level) / 2, m - 1) * scale
        low, high = estimate - half, estimate + half
    else:
        errors = _bootstrap_errors(
            residuals, past[with_plan], future, n_resamples, np.random.default_rng(random_state)
        )
        quantiles = np.quantile(errors, [(1 - level) / 2, (1 + level) / 2])
        low, high = estimate + float(quantiles[0]), estimate + float(quantiles[1])
    return replace(base, estimate=estimate, low=low, high=high, pace=pace)


def _bootstrap_errors(
    residuals: np.ndarray,
    past: np.ndarray,
    future: np.ndarray,
    n_resamples: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Resampled errors ``F* − R̂* Q`` of the predicted remainder (see :func:`landing`)."""
    m = len(residuals)
    residuals = residuals * math.sqrt(m / (m - 1))
    draws = residuals[rng.integers(0, m, size=(n_resamples, m))]
    pace_errors = draws @ np.sqrt(past) / past.sum()
    draws = residuals[rng.integers(0, m, size=(n_resamples, len(future)))]
    return draws @ np.sqrt(future) - pace_errors * future.sum()


def _daily_weights(
    period_start: dt.date, period_end: dt.date, plan_profile: Sequence[float] | None
) -> list[float]:
    """The plan weight of each day of the period."""
    if period_end < period_start:
        raise ValueError(f"the period ends ({period_end}) before it starts ({period_start})")
    months = _units(period_start, period_end, "month")
    days = months[-1][1]
    if plan_profile is None:
        return [1.0] * days
    weights = [float(w) for w in plan_profile]
    if any(not math.isfinite(w) or w < 0 for w in weights) or math.fsum(weights) <= 0:
        raise ValueError("plan_profile weights must be numbers ≥ 0, not all 0")
    if len(weights) == days:
        return weights
    if len(weights) == len(months):
        return [w / (b - a) for w, (a, b) in zip(weights, months, strict=True) for _ in range(a, b)]
    raise ValueError(
        f"plan_profile has {len(weights)} weights; give one per day ({days}) or one per "
        f"calendar month ({len(months)}) of the period {period_start} to {period_end}"
    )


def _units(period_start: dt.date, period_end: dt.date, unit: str) -> list[tuple[int, int]]:
    """Each day or calendar month of the period as a half-open range of day indices."""
    days = (period_end - period_start).days + 1
    if unit == "day":
        return [(i, i + 1) for i in range(days)]
    if unit != "month":
        raise ValueError(f"unknown unit {unit!r}; use one of {UNITS}")
    bounds, day = [0], period_start
    while True:
        next_month = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        if next_month > period_end:
            bounds.append(days)
            return list(zip(bounds, bounds[1:], strict=False))
        bounds.append((next_month - period_start).days)
        day = next_month


def _student_t_quantile(q: float, df: int) -> float:
    """The ``q`` quantile (``q > 1/2``) of Student's t with ``df`` degrees of freedom.

    Bisection on the exact distribution function for integer ``df`` (Abramowitz & Stegun
    26.7.3–4), so the library needs no SciPy.
    """
    target = 2 * q - 1  # P(|T| ≤ t)
    low, high = 0.0, 1.0
    while _t_central(high, df) < target:
        low, high = high, 2 * high
    for _ in range(200):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        low, high = (middle, high) if _t_central(middle, df) < target else (low, middle)
    return (low + high) / 2


def _t_central(t: float, df: int) -> float:
    """``P(|T| ≤ t)`` for Student's t with integer ``df`` (Abramowitz & Stegun 26.7.3–4)."""
    theta = math.atan(t / math.sqrt(df))
    sin, cos2 = math.sin(theta), math.cos(theta) ** 2
    if df % 2 == 0:
        term = total = 1.0
        for k in range(2, df - 1, 2):
            term *= (k - 1) / k * cos2
            total += term
        return sin * total
    if df == 1:
        return 2 * theta / math.pi
    term = total = math.cos(theta)
    for k in range(3, df - 1, 2):
        term *= (k - 1) / k * cos2
        total += term
    return 2 / math.pi * (theta + sin * total)
