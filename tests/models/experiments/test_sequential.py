"""Sequential monitoring: valid under daily peeking, agrees with gbstats, and has power."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from gbstats.frequentist.tests import SequentialConfig, SequentialTwoSidedTTest
from gbstats.models.statistics import ProportionStatistic, SampleMeanStatistic
from scipy import stats

from pilotage.models.experiments import sequential as sequential_module
from pilotage.models.experiments.bayesian import lift_from_moments
from pilotage.models.experiments.inputs import MeanArm, ProportionArm
from pilotage.models.experiments.sequential import (
    Decision,
    always_valid_p_value,
    confidence_sequence_half_width,
    mixing_variance,
    sequential_test,
)

ALPHA = 0.05
N_TESTS, DAYS, DAILY, BASELINE = 2_000, 15, 800, 0.04
PLANNED = 2 * DAILY * DAYS  # the tuning parameter: users in both arms at the planned end
MARGIN = 3 * math.sqrt(ALPHA * (1 - ALPHA) / N_TESTS)


def _simulate(lift, daily=DAILY, seed=0):
    """Cumulative daily looks at N_TESTS two-arm proportion tests (arrays tests × days)."""
    rng = np.random.default_rng(seed)
    daily_conversions = rng.binomial(daily, [BASELINE, BASELINE * (1 + lift)], (N_TESTS, DAYS, 2))
    conversions = daily_conversions.cumsum(axis=1)
    users = daily * np.arange(1, DAYS + 1)[None, :] * np.ones((N_TESTS, 1), dtype=int)
    return users, conversions[..., 0], conversions[..., 1]


def _sequential_looks(users, conv_a, conv_b, expected_users=PLANNED):
    """Relative lift, interval bounds and always-valid p-value at every look, vectorised."""
    pa, pb = conv_a / users, conv_b / users
    estimate, variance = lift_from_moments(
        (pa, pa, pa * (1 - pa), users), (pb, pb, pb * (1 - pb), users)
    )
    half = confidence_sequence_half_width(
        variance, 2 * users, alpha=ALPHA, expected_users=expected_users
    )
    p = always_valid_p_value(
        estimate, variance, 2 * users, alpha=ALPHA, expected_users=expected_users
    )
    return estimate, estimate - half, estimate + half, p


def _fixed_horizon_z(users, conv_a, conv_b):
    """Two-proportion z statistic with the pooled variance (the classic fixed-horizon test)."""
    pooled = (conv_a + conv_b) / (2 * users)
    return (conv_b - conv_a) / users / np.sqrt(pooled * (1 - pooled) * 2 / users)


@pytest.fixture(scope="module")
def aa_tests():
    return _simulate(lift=0.0, seed=11)


def test_it_keeps_false_positives_below_alpha_with_daily_peeking(aa_tests):
    _, low, high, p = _sequential_looks(*aa_tests)
    stopped = (p <= ALPHA).any(axis=1)
    assert stopped.mean() <= ALPHA + MARGIN
    # The p-value and the interval are the same test: 0 leaves the interval iff p ≤ α.
    assert np.array_equal(p <= ALPHA, (low > 0) | (high < 0))


def test_it_shows_why_it_exists_the_fixed_horizon_test_inflates_false_positives(aa_tests):
    z = _fixed_horizon_z(*aa_tests)
    critical = stats.norm.ppf(1 - ALPHA / 2)
    read_once = (np.abs(z[:, -1]) > critical).mean()
    read_daily = (np.abs(z) > critical).any(axis=1).mean()
    assert abs(read_once - ALPHA) <= MARGIN  # read once at day 15, the z-test is fine…
    assert read_daily > ALPHA + MARGIN  # …read every day and stopped at the first "win", it is not
    assert read_daily > 3 * ALPHA  # about 20% with 15 looks
    _, _, _, p = _sequential_looks(*aa_tests)
    assert (p <= ALPHA).any(axis=1).mean() < read_daily / 4


def test_it_stops_for_the_win_in_most_tests_with_a_real_lift():
    # +20% on a 4% baseline with 1,500 visitors a day per arm: most pilots stop early for the win.
    users, conv_a, conv_b = _simulate(lift=0.2, daily=1_500, seed=12)
    _, low, _, _ = _sequential_looks(users, conv_a, conv_b, expected_users=2 * 1_500 * DAYS)
    wins = (low > 0).any(axis=1)
    assert wins.mean() > 0.75
    first_win_day = np.argmax(low > 0, axis=1)[wins] + 1
    assert np.median(first_win_day) < DAYS
    # It never stops for a loss when the variant is really better.
    _, _, high, _ = _sequential_looks(users, conv_a, conv_b, expected_users=2 * 1_500 * DAYS)
    assert (high < 0).any(axis=1).mean() < 0.005


def test_it_pays_for_peeking_with_less_power_than_a_single_final_read():
    # The cost of validity at any look, documented: at 800 a day the +20% lift is detected by
    # the end in fewer tests than by the fixed-horizon test read once at day 15.
    users, conv_a, conv_b = _simulate(lift=0.2, seed=13)
    _, low, _, _ = _sequential_looks(users, conv_a, conv_b)
    z = _fixed_horizon_z(users, conv_a, conv_b)
    fixed_power = (z[:, -1] > stats.norm.ppf(1 - ALPHA / 2)).mean()
    assert 0.3 < (low > 0).any(axis=1).mean() < fixed_power


def test_it_agrees_with_one_simulated_look_through_the_arm_api(aa_tests):
    users, conv_a, conv_b = aa_tests
    estimate, low, high, p = _sequential_looks(users, conv_a, conv_b)
    i, day = 7, 9
    result = sequential_test(
        ProportionArm("A", int(users[i, day]), int(conv_a[i, day])),
        ProportionArm("B", int(users[i, day]), int(conv_b[i, day])),
        expected_users=PLANNED,
    )
    assert result.lift == pytest.approx(estimate[i, day], abs=1e-12)
    assert (result.lift_low, result.lift_high) == pytest.approx((low[i, day], high[i, day]))
    assert result.p_value == pytest.approx(p[i, day], abs=1e-12)
    assert result.users == 2 * users[i, day]


def test_it_is_wider_than_the_fixed_horizon_interval_at_a_single_look():
    a, b = ProportionArm("A", 12_000, 480), ProportionArm("B", 12_000, 560)
    result = sequential_test(a, b, expected_users=PLANNED)
    pa, pb = 480 / 12_000, 560 / 12_000
    _, variance = lift_from_moments(
        (pa, pa, pa * (1 - pa), 12_000), (pb, pb, pb * (1 - pb), 12_000)
    )
    fixed_half = stats.norm.ppf(0.975) * math.sqrt(variance)
    sequence_half = (result.lift_high - result.lift_low) / 2
    assert sequence_half > 1.3 * fixed_half
    assert result.lift_low < result.lift - fixed_half


GB_CASES = [
    (ProportionStatistic(n=1_000, sum=40), ProportionStatistic(n=1_000, sum=50), 5_000, "relative"),
    (
        ProportionStatistic(n=12_000, sum=480),
        ProportionStatistic(n=12_000, sum=600),
        24_000,
        "relative",
    ),
    (
        ProportionStatistic(n=5_000, sum=200),
        ProportionStatistic(n=5_100, sum=160),
        24_000,
        "absolute",
    ),
    (
        SampleMeanStatistic(n=3_000, sum=150_000, sum_squares=9.9e6),
        SampleMeanStatistic(n=3_100, sum=164_300, sum_squares=1.06e7),
        10_000,
        "relative",
    ),
    (
        SampleMeanStatistic(n=800, sum=2_400, sum_squares=16_000),
        SampleMeanStatistic(n=790, sum=2_150, sum_squares=14_500),
        5_000,
        "absolute",
    ),
]


def _arm(name, stat):
    if isinstance(stat, ProportionStatistic):
        return ProportionArm(name, stat.n, int(stat.sum))
    return MeanArm(name, stat.n, stat.sum, stat.sum_squares)


@pytest.mark.parametrize(("stat_a", "stat_b", "tuning", "kind"), GB_CASES)
def test_it_agrees_with_gbstats_sequential_testing(stat_a, stat_b, tuning, kind):
    config = SequentialConfig(sequential_tuning_parameter=tuning, difference_type=kind)
    theirs = SequentialTwoSidedTTest(stat_a, stat_b, config).compute_result()
    ours = sequential_test(
        _arm("A", stat_a), _arm("B", stat_b), expected_users=tuning, difference_type=kind
    )
    assert ours.lift == pytest.approx(theirs.expected, abs=1e-10)
    assert ours.lift_low == pytest.approx(theirs.ci[0], abs=1e-10)
    assert ours.lift_high == pytest.approx(theirs.ci[1], abs=1e-10)
    assert ours.p_value == pytest.approx(theirs.p_value, abs=1e-10)


def test_it_tunes_the_mixture_to_be_tightest_near_the_expected_sample_size():
    def multiplier(rho2, n):  # half-width in units of the standard error √v
        return math.sqrt(
            2 * (n * rho2 + 1) / (n * rho2) * math.log(math.sqrt(n * rho2 + 1) / ALPHA)
        )

    chosen = mixing_variance(PLANNED, ALPHA)
    best = min(multiplier(r, PLANNED) for r in chosen * np.geomspace(0.1, 10, 2001))
    assert multiplier(chosen, PLANNED) <= best * 1.01
    assert mixing_variance(5_000, 0.05) == pytest.approx(
        (-2 * math.log(0.05) + math.log(1 - 2 * math.log(0.05))) / 5_000
    )


def test_it_decides_win_loss_or_continue():
    a = ProportionArm("A", 12_000, 480)
    win = sequential_test(a, ProportionArm("B", 12_000, 600), expected_users=PLANNED)
    lose = sequential_test(a, ProportionArm("B", 12_000, 380), expected_users=PLANNED)
    wait = sequential_test(a, ProportionArm("B", 12_000, 500), expected_users=PLANNED)
    assert (win.decision, lose.decision, wait.decision) == (
        Decision.WIN,
        Decision.LOSE,
        Decision.CONTINUE,
    )
    assert win.decision == "stop: variant wins" and wait.p_value > ALPHA >= win.p_value
    cheaper = sequential_test(a, ProportionArm("B", 12_000, 380), inverse=True)
    assert cheaper.decision == Decision.WIN  # lower is better: fewer "conversions" (e.g. churn)


def test_it_keeps_the_running_minimum_and_intersection_across_looks():
    a1, b1 = ProportionArm("A", 6_000, 240), ProportionArm("B", 6_000, 300)
    a2, b2 = ProportionArm("A", 12_000, 480), ProportionArm("B", 12_000, 520)
    first = sequential_test(a1, b1, expected_users=PLANNED)
    alone = sequential_test(a2, b2, expected_users=PLANNED)
    second = sequential_test(a2, b2, expected_users=PLANNED, previous=first)
    assert second.p_value == min(first.p_value, alone.p_value)
    assert second.lift_low == max(first.lift_low, alone.lift_low)
    assert second.lift_high == min(first.lift_high, alone.lift_high)
    with pytest.raises(ValueError, match="another test"):
        sequential_test(a2, b2, expected_users=5_000, previous=first)


def test_it_rejects_an_impossible_tuning():
    with pytest.raises(ValueError, match="expected_users"):
        mixing_variance(0, ALPHA)
    with pytest.raises(ValueError, match="alpha"):
        mixing_variance(1_000, 0.0)


def test_it_runs_its_docstring_examples():
    assert doctest.testmod(sequential_module).failed == 0
