"""Pacing and landing against hand-computed plans and simulated years with known noise."""

from __future__ import annotations

import datetime as dt
import doctest
import importlib
import math

import numpy as np
import pytest
from scipy import stats

from pilotage.metrics.pacing import landing, pacing

pacing_module = importlib.import_module("pilotage.metrics.pacing")

JAN_1, JAN_10, JAN_31 = dt.date(2025, 1, 1), dt.date(2025, 1, 10), dt.date(2025, 1, 31)
DEC_31 = dt.date(2025, 12, 31)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# --- pacing --------------------------------------------------------------------------------


def test_it_prorates_the_plan_by_days_at_day_ten_of_a_31_day_month():
    p = pacing(18_000, 50_000, JAN_1, JAN_31, JAN_10, direction="lower_is_better")
    assert (p.elapsed_days, p.total_days) == (10, 31)
    assert p.expected_share == pytest.approx(10 / 31)
    assert p.plan_to_date == pytest.approx(16_129.032258, abs=1e-6)  # 50 000 × 10/31
    assert p.pace == pytest.approx(18_000 / 16_129.032258)  # 1.116: overspending
    assert p.variance.absolute == pytest.approx(1_870.967742, abs=1e-6)
    assert p.variance.favourable is False


def test_it_follows_a_monthly_plan_profile():
    # A year planned heavy in Nov–Dec and light in summer: weights sum to 13.
    profile = [1, 1, 1, 1, 1, 1, 0.5, 0.5, 1, 1, 2, 2]
    p = pacing(70_000, 130_000, JAN_1, DEC_31, day("2025-08-15"), profile)
    # Jan–Jul: 6 + 0.5 = 6.5 of 13; August: 0.5 spread over 31 days, 15 of them elapsed.
    expected = 130_000 * (6.5 + 0.5 * 15 / 31) / 13  # 67 419.35
    assert p.plan_to_date == pytest.approx(expected)
    assert p.plan_to_date == pytest.approx(67_419.35, abs=0.01)
    assert p.pace == pytest.approx(70_000 / expected)


def test_it_spreads_a_monthly_weight_over_the_days_of_the_month_inside_the_period():
    # 15 Jan – 14 Mar: 17 days of January, 28 of February, 14 of March; weights 1, 2, 1.
    p = pacing(0, 4_000, day("2025-01-15"), day("2025-03-14"), day("2025-02-14"), [1, 2, 1])
    assert p.plan_to_date == pytest.approx(4_000 * (1 + 2 * 14 / 28) / 4)  # 2 000


def test_it_follows_a_daily_plan_profile():
    # A Monday–Sunday week with lighter weekend days: 6 weight units, 3 elapsed by Wednesday.
    week = [1, 1, 1, 1, 1, 0.5, 0.5]
    p = pacing(4_000, 7_000, day("2025-01-06"), day("2025-01-12"), day("2025-01-08"), week)
    assert p.plan_to_date == pytest.approx(3_500)
    assert p.pace == pytest.approx(4_000 / 3_500)


def test_it_expects_nothing_before_the_period_and_everything_after_it():
    before = pacing(0, 31_000, JAN_1, JAN_31, day("2024-12-20"))
    assert (before.elapsed_days, before.plan_to_date, before.pace) == (0, 0.0, None)
    assert before.variance.relative is None
    after = pacing(29_000, 31_000, JAN_1, JAN_31, day("2025-02-03"))
    assert (after.elapsed_days, after.plan_to_date) == (31, 31_000)


def test_it_rejects_a_profile_of_the_wrong_length_and_says_what_fits():
    with pytest.raises(ValueError, match=r"one per day \(31\) or one per calendar month \(1\)"):
        pacing(0, 100, JAN_1, JAN_31, JAN_10, [1, 2])


@pytest.mark.parametrize("profile", [[1, -1, 1], [0, 0, 0], [1, float("nan"), 1]])
def test_it_rejects_negative_or_empty_profiles(profile):
    with pytest.raises(ValueError, match="weights must be numbers"):
        pacing(0, 100, JAN_1, day("2025-03-31"), JAN_10, profile)


def test_it_rejects_a_period_that_ends_before_it_starts():
    with pytest.raises(ValueError, match="ends"):
        pacing(0, 100, JAN_31, JAN_1, JAN_10)


# --- landing -------------------------------------------------------------------------------

DAILY = [38, 45, 41, 36, 44, 39, 42, 37, 40, 38]  # 400 leads in 10 days


def normal_interval(actuals, planned, plan_total, level):
    """The documented interval, computed independently with SciPy's Student t."""
    a, p = np.asarray(actuals, float), np.asarray(planned, float)
    done, due = a.sum(), p.sum()
    pace, to_come = done / due, plan_total - due
    s2 = ((a - pace * p) ** 2 / p).sum() / (len(a) - 1)
    half = stats.t.ppf((1 + level) / 2, len(a) - 1) * math.sqrt(s2 * to_come * (1 + to_come / due))
    estimate = done + pace * to_come
    return estimate - half, estimate + half


def test_it_lands_at_the_run_rate_by_hand():
    est = landing(DAILY, 1_000, JAN_1, JAN_31)
    # Plan to date 1 000 × 10/31; pace 400 / 322.58 = 1.24; landing 400 + 1.24 × 677.42.
    assert est.as_of == JAN_10
    assert est.observed_units == 10
    assert est.plan_to_date == pytest.approx(1_000 * 10 / 31)
    assert est.pace == pytest.approx(1.24)
    assert est.estimate == pytest.approx(400 * 31 / 10)  # 1 240
    assert est.variance("higher_is_better").absolute == pytest.approx(240)


def test_it_gives_the_student_t_interval_of_the_run_rate_model():
    est = landing(DAILY, 1_000, JAN_1, JAN_31, level=0.8)
    low, high = normal_interval(DAILY, [1_000 / 31] * 10, 1_000, 0.8)
    assert (est.low, est.high) == (pytest.approx(low), pytest.approx(high))
    assert est.method == "normal"


def test_it_lands_from_monthly_actuals_with_a_small_sample_interval():
    # Three months observed out of twelve: Student's t with 2 degrees of freedom.
    est = landing([9, 11, 10], 120, JAN_1, DEC_31, unit="month", level=0.9)
    planned = [120 * 31 / 365, 120 * 28 / 365, 120 * 31 / 365]
    assert est.as_of == day("2025-03-31")
    assert est.estimate == pytest.approx(30 * 365 / 90)  # 121.67
    low, high = normal_interval([9, 11, 10], planned, 120, 0.9)
    assert (est.low, est.high) == (pytest.approx(low), pytest.approx(high))


def test_it_needs_two_observations_for_an_interval():
    est = landing([40], 1_000, JAN_1, JAN_31)
    assert est.estimate == pytest.approx(40 * 31)
    assert (est.low, est.high) == (None, None)
    assert est.note is not None and "two observed days" in est.note


def test_it_has_no_run_rate_before_anything_is_planned():
    # Nothing planned in January; two January days observed.
    est = landing([3, 4], 1_000, JAN_1, DEC_31, [0] + [1] * 11)
    assert est.estimate is None
    assert est.note == "n/a: nothing was planned by 2025-01-02, so no run-rate yet"


def test_it_lands_on_the_actual_once_the_period_is_over():
    actuals = [30 + (i % 7) for i in range(31)]
    for method in ("normal", "bootstrap"):
        est = landing(actuals, 1_000, JAN_1, JAN_31, method=method, random_state=0)
        assert est.estimate == est.low == est.high == pytest.approx(sum(actuals))


def test_it_ignores_days_without_a_plan_in_the_noise_estimate():
    # Weekends planned at 0 and empty: they must not break the interval (no 0/0).
    week = [1, 1, 1, 1, 1, 0, 0] * 4
    actuals = [50, 61, 55, 48, 58, 0, 0]
    est = landing(actuals, 5_000, day("2025-01-06"), day("2025-02-02"), week)
    assert est.estimate == pytest.approx(272 * 4)
    assert est.low is not None and est.high is not None
    assert est.low < est.estimate < est.high


def test_it_bootstraps_deterministically_given_a_random_state():
    first = landing(DAILY, 1_000, JAN_1, JAN_31, method="bootstrap", random_state=7)
    again = landing(DAILY, 1_000, JAN_1, JAN_31, method="bootstrap", random_state=7)
    other = landing(DAILY, 1_000, JAN_1, JAN_31, method="bootstrap", random_state=8)
    assert (first.low, first.high) == (again.low, again.high)
    assert (first.low, first.high) != (other.low, other.high)
    assert first.estimate == pytest.approx(1_240)


def test_it_bootstraps_about_the_normal_interval_for_normal_noise():
    rng = np.random.default_rng(3)
    planned = np.full(120, 100.0)
    actuals = 1.1 * planned + rng.normal(0, 2 * np.sqrt(planned))
    start, end = JAN_1, JAN_1 + dt.timedelta(days=364)
    normal = landing(actuals, 36_500, start, end, level=0.9)
    boot = landing(actuals, 36_500, start, end, level=0.9, method="bootstrap", random_state=1)
    assert normal.low is not None and normal.high is not None
    assert boot.low is not None and boot.high is not None
    assert boot.high - boot.low == pytest.approx(normal.high - normal.low, rel=0.1)


def simulated_years(years: int, seed: int):
    """Daily leads ~ Poisson(true pace × daily plan), with a weekday profile; yields the
    profile, the plan total and each year's daily leads."""
    rng = np.random.default_rng(seed)
    profile = [1.0 if (JAN_1 + dt.timedelta(days=d)).weekday() < 5 else 0.4 for d in range(365)]
    plan_total = 3_000
    daily_plan = plan_total * np.array(profile) / sum(profile)
    for _ in range(years):
        yield profile, plan_total, rng.poisson(rng.uniform(0.7, 1.3) * daily_plan)


@pytest.mark.parametrize(
    ("method", "seed"), [("normal", 11), ("bootstrap", 12)], ids=["normal", "bootstrap"]
)
def test_it_covers_the_true_year_end_total_ninety_percent_of_the_time(method, seed):
    # 200 simulated years, landing estimated at the end of June (day 181 of 365). An interval
    # that forgot the run-rate's own uncertainty would cover only about 75% of them.
    covered = 0
    for profile, plan_total, leads in simulated_years(200, seed):
        est = landing(
            leads[:181],
            plan_total,
            JAN_1,
            DEC_31,
            profile,
            level=0.9,
            method=method,
            n_resamples=400,
            random_state=seed,
        )
        assert est.low is not None and est.high is not None
        covered += est.low <= leads.sum() <= est.high
    assert 0.85 <= covered / 200 <= 0.95


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "bayes"}, "unknown landing method"),
        ({"level": 90}, "level must be between 0 and 1"),
        ({"unit": "week"}, "unknown unit"),
    ],
)
def test_it_rejects_unknown_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        landing(DAILY, 1_000, JAN_1, JAN_31, **kwargs)


def test_it_rejects_missing_days_and_too_many_days():
    with pytest.raises(ValueError, match=r"actuals\[2\] is not a number; give 0 for a day"):
        landing([1, 2, float("nan")], 1_000, JAN_1, JAN_31)
    with pytest.raises(ValueError, match="32 values but the period has 31 days"):
        landing([1] * 32, 1_000, JAN_1, JAN_31)


def test_it_runs_the_examples_in_the_docstrings():
    result = doctest.testmod(pacing_module)
    assert result.attempted >= 6
    assert result.failed == 0
