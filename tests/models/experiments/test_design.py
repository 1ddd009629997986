"""Sample size, minimum detectable effect and duration against statsmodels' power solvers."""

from __future__ import annotations

import doctest
import importlib
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.power import NormalIndPower, TTestIndPower
from statsmodels.stats.proportion import proportion_effectsize

from pilotage.models.experiments.design import (
    achieved_power,
    cohens_h,
    detectable_effect_size,
    mde_mean,
    mde_proportion,
    plan_mean,
    plan_proportion,
    required_users_per_arm,
)

design_module = importlib.import_module("pilotage.models.experiments.design")
POWER = NormalIndPower()

# statsmodels' own root finder stops at about 1e-7 relative on n (checked against the power
# function below, which both sides evaluate exactly), so 1e-6 relative is the honest bar.
N_TOLERANCE = 1e-6

PROPORTION_CASES = [
    # baseline, relative mde, alpha, power
    (0.04, 0.10, 0.05, 0.80),  # the CLI example
    (0.001, 0.20, 0.05, 0.80),  # a rare conversion: millions of users
    (0.02, 0.05, 0.01, 0.90),
    (0.15, 0.10, 0.05, 0.95),
    (0.30, -0.10, 0.10, 0.80),  # detecting a drop
    (0.50, 0.50, 0.20, 0.50),  # a huge effect: a few dozen users
    (0.90, 0.05, 0.05, 0.80),
]


@pytest.mark.parametrize(("baseline", "mde", "alpha", "power"), PROPORTION_CASES)
def test_it_sizes_a_proportion_test_like_statsmodels(baseline, mde, alpha, power):
    plan = plan_proportion(baseline, mde, alpha=alpha, power=power)
    target = baseline * (1 + mde)
    h = proportion_effectsize(target, baseline)
    expected = POWER.solve_power(effect_size=h, alpha=alpha, power=power, ratio=1)
    assert plan.effect_size == pytest.approx(h, rel=1e-12)
    assert plan.users_per_arm_exact == pytest.approx(expected, rel=N_TOLERANCE)
    assert POWER.power(h, nobs1=plan.users_per_arm_exact, alpha=alpha) == pytest.approx(
        power, abs=1e-10
    )
    assert plan.users_per_arm == math.ceil(expected)
    assert plan.total_users == 2 * plan.users_per_arm
    assert plan.target == pytest.approx(target)
    assert plan.mde_relative == pytest.approx(mde)


def test_it_takes_an_absolute_mde_for_a_proportion():
    plan = plan_proportion(0.04, 0.004, relative=False)
    expected = POWER.solve_power(proportion_effectsize(0.044, 0.04), alpha=0.05, power=0.8)
    assert plan.users_per_arm_exact == pytest.approx(expected, rel=N_TOLERANCE)
    assert plan.mde_absolute == pytest.approx(0.004)
    assert plan.mde_relative == pytest.approx(0.1)


def test_it_answers_the_cli_example_in_users_and_days():
    # statsmodels: 39 454.06 users per arm → 39 455; 2 × 39 455 / 800 = 98.64 → 99 days.
    plan = plan_proportion(0.04, 0.1, daily_traffic=800, arms=2)
    assert plan.users_per_arm == 39_455
    assert plan.days_exact == pytest.approx(98.6375)
    assert plan.days == 99


@pytest.mark.parametrize(
    ("mean", "sd", "mde", "relative", "alpha", "power"),
    [
        (50.0, 120.0, 0.05, True, 0.05, 0.8),  # basket value, heavy-tailed
        (3.2, 2.5, 0.02, True, 0.01, 0.9),  # pages per visit
        (1_000.0, 300.0, 150.0, False, 0.05, 0.8),  # large effect: a few dozen users
        (0.0, 4.0, -0.5, False, 0.1, 0.95),  # a mean of 0 (net score) and a drop
    ],
)
def test_it_sizes_a_mean_test_like_statsmodels(mean, sd, mde, relative, alpha, power):
    plan = plan_mean(mean, sd, mde, relative=relative, alpha=alpha, power=power)
    delta = mean * mde if relative else mde
    expected = POWER.solve_power(effect_size=delta / sd, alpha=alpha, power=power, ratio=1)
    assert plan.effect_size == pytest.approx(delta / sd, rel=1e-12)
    assert plan.users_per_arm_exact == pytest.approx(expected, rel=N_TOLERANCE)
    assert plan.users_per_arm == math.ceil(expected)
    assert plan.mde_relative == (pytest.approx(delta / mean) if mean else None)


@pytest.mark.parametrize("d", [0.05, 0.2, 0.5, 1.0])
def test_it_asks_at_most_two_users_fewer_than_the_t_test_version(d):
    # The documented gap with TTestIndPower (noncentral t): about one user per arm.
    normal = required_users_per_arm(d)
    t_test = TTestIndPower().solve_power(effect_size=d, alpha=0.05, power=0.8)
    assert 0 < t_test - normal < 2


def test_it_splits_traffic_and_alpha_across_several_arms():
    plan = plan_proportion(0.1, 0.1, daily_traffic=3_000, arms=4, bonferroni=True)
    h = proportion_effectsize(0.11, 0.1)
    expected = POWER.solve_power(effect_size=h, alpha=0.05 / 3, power=0.8)
    assert plan.comparison_alpha == pytest.approx(0.05 / 3)
    assert plan.users_per_arm_exact == pytest.approx(expected, rel=N_TOLERANCE)
    assert plan.total_users == 4 * math.ceil(expected)
    assert plan.days == math.ceil(4 * math.ceil(expected) / 3_000)
    unsplit = plan_proportion(0.1, 0.1, daily_traffic=3_000, arms=4)
    assert unsplit.comparison_alpha == 0.05
    assert unsplit.users_per_arm < plan.users_per_arm


@pytest.mark.parametrize(
    ("baseline", "users_per_arm", "alpha", "power"),
    [(0.04, 6_000, 0.05, 0.8), (0.01, 100_000, 0.01, 0.9), (0.3, 150, 0.1, 0.8)],
)
def test_it_finds_the_detectable_rate_at_which_statsmodels_gives_the_power(
    baseline, users_per_arm, alpha, power
):
    d = mde_proportion(baseline, users_per_arm=users_per_arm, alpha=alpha, power=power)
    h = proportion_effectsize(d.target, baseline)
    assert d.effect_size == pytest.approx(h, rel=1e-9)
    assert POWER.power(h, nobs1=users_per_arm, alpha=alpha) == pytest.approx(power, abs=1e-10)
    # statsmodels' effect-size solver itself is only accurate to ~1e-4.
    solved = POWER.solve_power(effect_size=None, nobs1=users_per_arm, alpha=alpha, power=power)
    assert d.effect_size == pytest.approx(solved, rel=1e-3)
    assert d.mde_relative == pytest.approx(d.target / baseline - 1)


def test_it_answers_what_fifteen_days_can_detect():
    d = mde_proportion(0.04, days=15, daily_traffic=800, arms=2)
    assert d.users_per_arm == 6_000  # 15 × 800 / 2
    assert d.days == 15
    h = proportion_effectsize(d.target, 0.04)
    assert POWER.power(h, nobs1=6_000, alpha=0.05) == pytest.approx(0.8, abs=1e-10)
    # and planning for that lift asks for the same 6 000 users
    plan = plan_proportion(0.04, d.mde_relative, daily_traffic=800)
    assert plan.users_per_arm_exact == pytest.approx(6_000, rel=1e-9)


def test_it_finds_the_detectable_mean_change():
    d = mde_mean(50.0, 120.0, days=15, daily_traffic=900, arms=3, bonferroni=True)
    assert d.users_per_arm == pytest.approx(4_500)
    assert d.comparison_alpha == pytest.approx(0.025)
    effect = d.mde_absolute / 120.0
    assert POWER.power(effect, nobs1=4_500, alpha=0.025) == pytest.approx(0.8, abs=1e-10)
    assert d.mde_relative == pytest.approx(d.mde_absolute / 50.0)
    assert mde_mean(0.0, 1.0, users_per_arm=100).mde_relative is None


@pytest.mark.parametrize(("effect", "n", "alpha"), [(0.2, 393, 0.05), (0.05, 2_000, 0.01)])
def test_it_computes_the_power_like_statsmodels(effect, n, alpha):
    assert achieved_power(effect, n, alpha=alpha) == pytest.approx(
        POWER.power(effect, nobs1=n, alpha=alpha), abs=1e-12
    )


@pytest.mark.parametrize(("p1", "p2"), [(0.04, 0.044), (0.5, 0.4), (0.0, 0.01), (0.99, 1.0)])
def test_it_computes_cohens_h_like_statsmodels(p1, p2):
    assert cohens_h(p1, p2) == pytest.approx(proportion_effectsize(p2, p1), abs=1e-14)


@settings(max_examples=50, deadline=None)
@given(
    st.floats(0.005, 3.0),
    st.sampled_from([0.01, 0.05, 0.1]),
    st.sampled_from([0.5, 0.8, 0.9, 0.99]),
)
def test_it_inverts_sample_size_and_detectable_effect(effect, alpha, power):
    n = required_users_per_arm(effect, alpha=alpha, power=power)
    assert detectable_effect_size(n, alpha=alpha, power=power) == pytest.approx(effect, rel=1e-9)
    assert achieved_power(effect, n, alpha=alpha) == pytest.approx(power, abs=1e-9)


@settings(max_examples=50, deadline=None)
@given(st.floats(0.01, 0.5), st.floats(0.01, 0.5), st.floats(0.01, 0.5))
def test_it_needs_fewer_users_for_larger_effects(baseline, small, extra):
    smaller = plan_proportion(baseline, small)
    larger = plan_proportion(baseline, small + extra)
    assert larger.users_per_arm_exact < smaller.users_per_arm_exact


REJECTED = [
    (lambda: plan_proportion(0.0, 0.1), r"baseline must be a rate strictly between 0 and 1"),
    (lambda: plan_proportion(4.0, 0.1), r"\(0.04 for 4 %\), got 4.0"),
    (lambda: plan_proportion(0.6, 1.0), r"mde must move the baseline rate 0.6 .* gives 1.2"),
    (lambda: plan_proportion(0.1, 0.0), r"mde must move the baseline"),
    (lambda: plan_proportion(0.1, 0.1, power=0.04), r"power \(0.04\) must be greater"),
    (lambda: plan_proportion(0.1, 0.1, power=1.0), r"power must be strictly between"),
    (lambda: plan_proportion(0.1, 0.1, alpha=0.0), r"alpha must be strictly between"),
    (lambda: plan_proportion(0.1, 0.1, arms=1), r"arms must be a whole number ≥ 2"),
    (
        lambda: plan_proportion(0.1, 0.1, daily_traffic=0),
        r"daily_traffic must be a positive number",
    ),
    (lambda: plan_mean(10.0, 0.0, 0.1), r"sd must be a positive standard deviation"),
    (lambda: plan_mean(0.0, 1.0, 0.1), r"a relative mde needs a non-zero mean"),
    (lambda: plan_mean(math.nan, 1.0, 0.1), r"mean must be a finite number"),
    (lambda: required_users_per_arm(0.0), r"effect_size must be finite and non-zero"),
    (lambda: detectable_effect_size(0), r"users_per_arm must be a positive number"),
    (lambda: mde_proportion(0.1), r"give users_per_arm, or both days and daily_traffic"),
    (
        lambda: mde_proportion(0.1, users_per_arm=100, days=3, daily_traffic=10),
        r"not both",
    ),
    (lambda: mde_proportion(0.1, days=0, daily_traffic=10), r"days must be a positive"),
    (lambda: mde_proportion(0.9, users_per_arm=5), r"cannot detect any increase from 0.9"),
    (lambda: achieved_power(0.1, 0), r"users_per_arm must be > 0"),
    (lambda: cohens_h(1.5, 0.1), r"baseline must be a rate between 0 and 1"),
]


@pytest.mark.parametrize(("call", "message"), REJECTED, ids=[m for _, m in REJECTED])
def test_it_rejects_impossible_designs(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_its_docstring_examples_run():
    result = doctest.testmod(design_module)
    assert result.attempted > 0 and result.failed == 0
