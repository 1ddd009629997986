"""Frequentist tests against scipy, statsmodels and GrowthBook's gbstats on the same inputs.

Raw data is simulated, reduced to the per-arm sums the library takes, and the peer libraries
run on the raw data (or on the same summary statistics). Outputs agree to ≤ 1e-6.
"""

from __future__ import annotations

import doctest
import importlib
import math

import numpy as np
import pytest
import statsmodels.api as sm
from gbstats.frequentist.tests import FrequentistConfig, TwoSidedTTest
from gbstats.models.statistics import ProportionStatistic, RatioStatistic, SampleMeanStatistic
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats import proportion as sm_proportion

from pilotage.models.experiments.frequentist import (
    analyze,
    cuped_adjustment,
    cuped_ttest,
    ratio_ttest,
    two_proportion_ztest,
    welch_ttest,
)
from pilotage.models.experiments.inputs import MeanArm, ProportionArm, RatioArm

frequentist_module = importlib.import_module("pilotage.models.experiments.frequentist")
TOL = 1e-6


def close(value: float | None, expected: float) -> bool:
    return value == pytest.approx(float(expected), rel=TOL, abs=1e-12)


def mean_arm(name: str, y: np.ndarray, x: np.ndarray | None = None) -> MeanArm:
    if x is None:
        return MeanArm(name, len(y), float(y.sum()), float((y * y).sum()))
    sums = (float(x.sum()), float((x * x).sum()), float((x * y).sum()))
    return MeanArm(name, len(y), float(y.sum()), float((y * y).sum()), *sums)


def ratio_arm(name: str, y: np.ndarray, x: np.ndarray) -> RatioArm:
    sums = (y.sum(), (y * y).sum(), x.sum(), (x * x).sum(), (x * y).sum())
    return RatioArm(name, len(y), *(float(s) for s in sums))


def gbstats_relative(a, b, alpha: float):
    config = FrequentistConfig(difference_type="relative", alpha=alpha)
    return TwoSidedTTest(a, b, config).compute_result()


# --- two proportions ----------------------------------------------------------------------

PROPORTIONS = [
    # control conversions, users, variant conversions, users, alpha
    (3, 20, 8, 22, 0.05),  # tiny pilot
    (40, 1_000, 55, 1_000, 0.05),
    (400, 10_000, 460, 10_000, 0.05),
    (120, 4_000, 95, 3_900, 0.10),  # a loss, unequal arms
    (12_000, 250_000, 12_600, 251_000, 0.01),  # large traffic
    (30, 100, 30, 100, 0.05),  # no difference at all
    (2, 5_000, 11, 5_000, 0.05),  # rare events
]


@pytest.mark.parametrize(("ca", "na", "cb", "nb", "alpha"), PROPORTIONS)
def test_it_matches_statsmodels_on_the_two_proportion_z_test(ca, na, cb, nb, alpha):
    r = two_proportion_ztest(ProportionArm("A", na, ca), ProportionArm("B", nb, cb), alpha=alpha)
    z, p = sm_proportion.proportions_ztest([cb, ca], [nb, na])
    assert close(r.statistic, z) and close(r.p_value, p)
    score = sm_proportion.test_proportions_2indep(cb, nb, ca, na, method="score", correction=False)
    assert close(r.p_value, score.pvalue)
    low, high = sm_proportion.confint_proportions_2indep(cb, nb, ca, na, method="wald", alpha=alpha)
    assert close(r.absolute_low, low) and close(r.absolute_high, high)
    assert close(r.absolute_lift, cb / nb - ca / na)
    assert r.significant == (p < alpha)
    assert r.df is None and r.test == "two-proportion z-test"


@pytest.mark.parametrize(("ca", "na", "cb", "nb", "alpha"), PROPORTIONS)
def test_it_gives_the_relative_lift_gbstats_delta_method_variance(ca, na, cb, nb, alpha):
    r = two_proportion_ztest(ProportionArm("A", na, ca), ProportionArm("B", nb, cb), alpha=alpha)
    g = gbstats_relative(
        ProportionStatistic(n=na, sum=ca), ProportionStatistic(n=nb, sum=cb), alpha
    )
    assert close(r.lift, g.expected)
    z = stats.norm.isf(alpha / 2)  # gbstats uses Welch's t quantile; the z-test uses z
    assert close(r.lift_low, g.expected - z * g.uplift.stddev)
    assert close(r.lift_high, g.expected + z * g.uplift.stddev)


def test_it_computes_the_relative_lift_interval_by_hand():
    # p_A = 4 %, p_B = 5 %, 10 000 users each: Var(p̂) = p(1 − p)/n.
    r = two_proportion_ztest(ProportionArm("A", 10_000, 400), ProportionArm("B", 10_000, 500))
    var_a, var_b = 0.04 * 0.96 / 10_000, 0.05 * 0.95 / 10_000
    se = math.sqrt(var_b / 0.04**2 + 0.05**2 * var_a / 0.04**4)  # 0.0705
    assert r.lift == pytest.approx(0.25)
    assert r.lift_low == pytest.approx(0.25 - 1.959963984540054 * se)
    assert r.lift_high == pytest.approx(0.25 + 1.959963984540054 * se)


def test_it_reports_no_difference_when_neither_arm_converts():
    r = two_proportion_ztest(ProportionArm("A", 50, 0), ProportionArm("B", 60, 0))
    assert (r.statistic, r.p_value, r.significant) == (0.0, 1.0, False)
    assert r.lift is None and r.lift_low is None and r.lift_high is None
    assert (r.absolute_lift, r.absolute_low, r.absolute_high) == (0.0, 0.0, 0.0)


def test_its_relative_interval_covers_the_true_lift_about_95_percent_of_the_time():
    rng = np.random.default_rng(2024)
    n, p_a, p_b, runs = 5_000, 0.10, 0.12, 2_000
    true_lift = p_b / p_a - 1
    hits = 0
    for ca, cb in zip(rng.binomial(n, p_a, runs), rng.binomial(n, p_b, runs), strict=True):
        r = two_proportion_ztest(ProportionArm("A", n, int(ca)), ProportionArm("B", n, int(cb)))
        assert r.lift_low is not None and r.lift_high is not None
        hits += r.lift_low <= true_lift <= r.lift_high
    margin = 3 * math.sqrt(0.95 * 0.05 / runs)  # ± 1.5 points
    assert abs(hits / runs - 0.95) < margin


# --- Welch ---------------------------------------------------------------------------------


def revenue(rng: np.random.Generator, n: int, buy: float, basket: float) -> np.ndarray:
    """Revenue per visitor: mostly zeros, lognormal baskets."""
    return rng.binomial(1, buy, n) * rng.lognormal(math.log(basket), 0.8, n)


def welch_samples() -> list[tuple[str, np.ndarray, np.ndarray, float]]:
    rng = np.random.default_rng(7)
    return [
        ("tiny", rng.normal(10, 2, 5), rng.normal(12, 5, 7), 0.05),
        ("medium", rng.normal(3.2, 2.5, 200), rng.normal(3.5, 2.5, 180), 0.05),
        ("unequal variances", rng.normal(100, 5, 40), rng.normal(103, 40, 400), 0.10),
        ("revenue", revenue(rng, 20_000, 0.05, 60), revenue(rng, 20_000, 0.055, 60), 0.05),
        ("large", rng.normal(50, 120, 100_000), rng.normal(51, 120, 100_000), 0.01),
    ]


WELCH = welch_samples()


@pytest.mark.parametrize(("label", "a", "b", "alpha"), WELCH, ids=[w[0] for w in WELCH])
def test_it_matches_scipy_on_welchs_t_test(label, a, b, alpha):
    r = welch_ttest(mean_arm("A", a), mean_arm("B", b), alpha=alpha)
    ref = stats.ttest_ind(b, a, equal_var=False)
    assert close(r.statistic, ref.statistic) and close(r.p_value, ref.pvalue)
    assert close(r.df, ref.df)
    ci = ref.confidence_interval(1 - alpha)
    assert close(r.absolute_low, ci.low) and close(r.absolute_high, ci.high)
    assert close(r.absolute_lift, b.mean() - a.mean())
    from_stats = stats.ttest_ind_from_stats(
        b.mean(), b.std(ddof=1), len(b), a.mean(), a.std(ddof=1), len(a), equal_var=False
    )
    assert close(r.p_value, from_stats.pvalue)


@pytest.mark.parametrize(("label", "a", "b", "alpha"), WELCH, ids=[w[0] for w in WELCH])
def test_it_matches_gbstats_on_the_relative_lift_of_means(label, a, b, alpha):
    r = welch_ttest(mean_arm("A", a), mean_arm("B", b), alpha=alpha)

    def stat(y):
        return SampleMeanStatistic(n=len(y), sum=float(y.sum()), sum_squares=float((y * y).sum()))

    g = gbstats_relative(stat(a), stat(b), alpha)
    assert close(r.lift, g.expected)
    assert close(r.lift_low, g.ci[0]) and close(r.lift_high, g.ci[1])


# --- CUPED ---------------------------------------------------------------------------------


def cuped_samples():
    rng = np.random.default_rng(11)
    out = []
    for n_a, n_b, rho, effect, alpha in [
        (8, 9, 0.7, 1.0, 0.05),
        (500, 500, 0.6, 0.3, 0.05),
        (3_000, 2_000, 0.9, 0.1, 0.10),
        (50_000, 50_000, 0.4, 0.05, 0.05),
    ]:
        xs, ys = [], []
        for n, lift in ((n_a, 0.0), (n_b, effect)):
            x = rng.normal(20, 5, n)
            noise = rng.normal(0, 5 * math.sqrt(1 / rho**2 - 1), n)
            xs.append(x)
            ys.append(10 + x + noise + lift)
        out.append((xs[0], ys[0], xs[1], ys[1], alpha))
    return out


@pytest.mark.parametrize(("xa", "ya", "xb", "yb", "alpha"), cuped_samples())
def test_it_estimates_the_cuped_lift_as_the_ols_arm_coefficient(xa, ya, xb, yb, alpha):
    r = cuped_ttest(mean_arm("A", ya, xa), mean_arm("B", yb, xb), alpha=alpha)
    arm = np.r_[np.zeros(len(ya)), np.ones(len(yb))]
    design = np.column_stack([np.ones(len(arm)), arm, np.r_[xa, xb]])
    ols = sm.OLS(np.r_[ya, yb], design).fit()
    assert close(r.absolute_lift, ols.params[1])
    assert close(r.theta, ols.params[2])
    # The standard errors differ in their assumptions (OLS: one residual variance, θ random;
    # CUPED: per-arm variances, θ fixed) but agree closely once the arms are not tiny.
    if len(ya) >= 500:
        assert r.standard_error == pytest.approx(ols.bse[1], rel=0.03)


@pytest.mark.parametrize(("xa", "ya", "xb", "yb", "alpha"), cuped_samples())
def test_it_tests_cuped_like_scipys_welch_test_on_adjusted_outcomes(xa, ya, xb, yb, alpha):
    r = cuped_ttest(mean_arm("A", ya, xa), mean_arm("B", yb, xb), alpha=alpha)
    arm = np.r_[np.zeros(len(ya)), np.ones(len(yb))]
    design = np.column_stack([np.ones(len(arm)), arm, np.r_[xa, xb]])
    theta = sm.OLS(np.r_[ya, yb], design).fit().params[2]
    za, zb = ya - theta * xa, yb - theta * xb
    ref = stats.ttest_ind(zb, za, equal_var=False)
    assert close(r.statistic, ref.statistic) and close(r.p_value, ref.pvalue)
    assert close(r.df, ref.df)
    ci = ref.confidence_interval(1 - alpha)
    assert close(r.absolute_low, ci.low) and close(r.absolute_high, ci.high)
    # adjusted means, centred on the pooled covariate mean, and their relative lift
    x_all = np.r_[xa, xb].mean()
    adj_a, adj_b = ya.mean() - theta * (xa.mean() - x_all), yb.mean() - theta * (xb.mean() - x_all)
    assert close(r.control_value, adj_a) and close(r.variant_value, adj_b)
    var_a, var_b = za.var(ddof=1) / len(za), zb.var(ddof=1) / len(zb)
    half = stats.t.isf(alpha / 2, ref.df) * math.sqrt(
        var_b / adj_a**2 + adj_b**2 * var_a / adj_a**4
    )
    assert close(r.lift, adj_b / adj_a - 1)
    assert close(r.lift_low, adj_b / adj_a - 1 - half)


def test_it_reduces_variance_by_about_the_squared_correlation():
    xa, ya, xb, yb, _ = cuped_samples()[3]  # ρ = 0.4 on 50 000 users per arm
    c = cuped_adjustment(mean_arm("A", ya, xa), mean_arm("B", yb, xb))
    rho = np.corrcoef(np.r_[xa, xb], np.r_[ya, yb])[0, 1]
    assert c.variance_reduction == pytest.approx(rho**2, abs=0.01)
    plain = welch_ttest(mean_arm("A", ya), mean_arm("B", yb))
    adjusted = cuped_ttest(mean_arm("A", ya, xa), mean_arm("B", yb, xb))
    assert adjusted.standard_error == pytest.approx(
        plain.standard_error * math.sqrt(1 - c.variance_reduction)
    )


def test_it_falls_back_to_welch_when_the_covariate_does_not_vary():
    ya, yb = np.array([1.0, 2.0, 4.0]), np.array([2.0, 3.0, 7.0, 8.0])
    a, b = mean_arm("A", ya, np.ones(3)), mean_arm("B", yb, np.ones(4))
    r = cuped_ttest(a, b)
    assert r.theta == 0.0
    assert close(r.p_value, stats.ttest_ind(yb, ya, equal_var=False).pvalue)


# --- ratio metrics -------------------------------------------------------------------------


def ratio_samples():
    rng = np.random.default_rng(5)
    out = []
    for n_a, n_b, value_b, alpha in [
        (6, 8, 25.0, 0.05),
        (800, 820, 22.0, 0.05),
        (20_000, 20_000, 20.6, 0.01),
    ]:
        arms = []
        for n, value in ((n_a, 20.0), (n_b, value_b)):
            sessions = rng.poisson(1.5, n) + 1.0
            spend = sessions * rng.binomial(1, 0.3, n) * rng.gamma(2.0, value / 0.6, n)
            arms.append((spend, sessions))
        out.append((*arms[0], *arms[1], alpha))
    return out


@pytest.mark.parametrize(("ya", "xa", "yb", "xb", "alpha"), ratio_samples())
def test_it_tests_ratios_like_scipy_on_the_linearised_values(ya, xa, yb, xb, alpha):
    r = ratio_ttest(ratio_arm("A", ya, xa), ratio_arm("B", yb, xb), alpha=alpha)

    def linearised(y, x):
        ratio = y.sum() / x.sum()
        return ratio + (y - ratio * x) / x.mean()  # mean R, variance of the delta method

    la, lb = linearised(ya, xa), linearised(yb, xb)
    ref = stats.ttest_ind(lb, la, equal_var=False)
    assert close(r.statistic, ref.statistic) and close(r.p_value, ref.pvalue)
    assert close(r.df, ref.df)
    ci = ref.confidence_interval(1 - alpha)
    assert close(r.absolute_low, ci.low) and close(r.absolute_high, ci.high)
    assert close(r.control_value, ya.sum() / xa.sum())
    assert close(r.variant_value, yb.sum() / xb.sum())


@pytest.mark.parametrize(("ya", "xa", "yb", "xb", "alpha"), ratio_samples())
def test_it_matches_gbstats_on_the_relative_lift_of_ratios(ya, xa, yb, xb, alpha):
    r = ratio_ttest(ratio_arm("A", ya, xa), ratio_arm("B", yb, xb), alpha=alpha)

    def stat(y, x):
        def mean_stat(v):
            return SampleMeanStatistic(n=len(v), sum=float(v.sum()), sum_squares=float(v @ v))

        return RatioStatistic(
            n=len(y), m_statistic=mean_stat(y), d_statistic=mean_stat(x),
            m_d_sum_of_products=float(x @ y),
        )  # fmt: skip

    g = gbstats_relative(stat(ya, xa), stat(yb, xb), alpha)
    assert close(r.lift, g.expected)
    assert close(r.lift_low, g.ci[0]) and close(r.lift_high, g.ci[1])


def test_its_ratio_standard_error_agrees_with_a_bootstrap():
    ya, xa, yb, xb, _ = ratio_samples()[1]
    r = ratio_ttest(ratio_arm("A", ya, xa), ratio_arm("B", yb, xb))
    rng = np.random.default_rng(3)
    draws = []
    for _ in range(2_000):
        ia, ib = rng.integers(0, len(ya), len(ya)), rng.integers(0, len(yb), len(yb))
        draws.append(yb[ib].sum() / xb[ib].sum() - ya[ia].sum() / xa[ia].sum())
    assert r.standard_error == pytest.approx(np.std(draws, ddof=1), rel=0.08)


# --- analyze ------------------------------------------------------------------------------


def test_it_picks_the_test_from_the_kind_of_arm():
    p = analyze(ProportionArm("A", 100, 10), ProportionArm("B", 100, 12))
    assert (p.metric, p.test) == ("proportion", "two-proportion z-test")
    a, b = MeanArm("A", 3, 6.0, 14.0), MeanArm("B", 3, 9.0, 29.0)
    assert analyze(a, b).test == "Welch t-test"
    ax, bx = (
        mean_arm("A", np.array([1.0, 2, 4]), np.array([1.0, 1, 3])),
        mean_arm("B", np.array([2.0, 2, 5]), np.array([0.0, 1, 2])),
    )
    assert analyze(ax, bx).test == "Welch t-test (CUPED)"
    assert analyze(ax, bx, cuped=False).test == "Welch t-test"
    ra, rb = RatioArm("A", 2, 30.0, 500.0, 3.0, 5.0, 50.0), RatioArm("B", 2, 5, 13, 3, 5, 8)
    assert analyze(ra, rb).metric == "ratio"
    assert analyze(ra, rb).control == "A" and analyze(ra, rb).variant == "B"


@pytest.mark.parametrize(
    ("control", "variant", "kwargs", "error", "message"),
    [
        (
            ProportionArm("A", 10, 1),
            MeanArm("B", 10, 1.0, 1.0),
            {},
            ValueError,
            r"control 'A' is a ProportionArm but variant 'B' is a MeanArm",
        ),
        (
            ProportionArm("A", 10, 1),
            ProportionArm("B", 10, 2),
            {"method": "bayes"},
            ValueError,
            r"unknown method 'bayes'; available: frequentist",
        ),
        (
            ProportionArm("A", 10, 1),
            ProportionArm("B", 10, 2),
            {"alpha": 1.5},
            ValueError,
            r"alpha must be strictly between 0 and 1",
        ),
        (
            MeanArm("A", 3, 6.0, 14.0, 1.0, 1.0, 2.0),
            MeanArm("B", 3, 6.0, 14.0),
            {},
            ValueError,
            r"only arm 'A' has pre-period sums",
        ),
        (
            MeanArm("A", 3, 6.0, 14.0),
            MeanArm("B", 3, 6.0, 14.0),
            {"cuped": True},
            ValueError,
            r"arm 'A' has no pre-period sums",
        ),
        (
            MeanArm("A", 1, 6.0, 36.0),
            MeanArm("B", 3, 6.0, 14.0),
            {},
            ValueError,
            r"arm 'A' has 1 user; a t-test needs at least 2",
        ),
        (
            MeanArm("A", 2, 6.0, 18.0),
            MeanArm("B", 3, 6.0, 12.0),
            {},
            ValueError,
            r"both have zero variance",
        ),
    ],
)
def test_it_explains_what_it_cannot_analyse(control, variant, kwargs, error, message):
    with pytest.raises(error, match=message):
        analyze(control, variant, **kwargs)


def test_it_rejects_an_unknown_kind_of_arm():
    with pytest.raises(TypeError, match="cannot analyse arms of type str"):
        analyze("A", "B")  # type: ignore[arg-type]


# --- properties ---------------------------------------------------------------------------

proportion_arms = st.integers(1, 100_000).flatmap(
    lambda n: st.tuples(st.just(n), st.integers(0, n))
)


@settings(max_examples=150, deadline=None)
@given(proportion_arms, proportion_arms, st.sampled_from([0.01, 0.05, 0.2]))
def test_it_keeps_proportion_outputs_coherent(a, b, alpha):
    r = analyze(ProportionArm("A", *a), ProportionArm("B", *b), alpha=alpha)
    assert 0 <= r.p_value <= 1
    assert r.significant == (r.p_value < alpha)
    assert r.absolute_low <= r.absolute_lift <= r.absolute_high
    if r.lift is not None:
        assert r.lift_low is not None and r.lift_high is not None
        assert r.lift_low <= r.lift <= r.lift_high


samples = st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=2, max_size=30).filter(
    lambda v: max(v) - min(v) > 1e-3
)


@settings(max_examples=100, deadline=None)
@given(samples, samples)
def test_it_keeps_welch_outputs_coherent_and_equal_to_scipy(a, b):
    ya, yb = np.array(a), np.array(b)
    r = analyze(mean_arm("A", ya), mean_arm("B", yb))
    assert 0 <= r.p_value <= 1
    assert r.absolute_low <= r.absolute_lift <= r.absolute_high
    if r.lift is not None:
        assert r.lift_low is not None and r.lift_high is not None
        assert r.lift_low <= r.lift <= r.lift_high
    ref = stats.ttest_ind(yb, ya, equal_var=False)
    assert r.p_value == pytest.approx(float(ref.pvalue), rel=1e-5, abs=1e-9)


def test_its_docstring_examples_run():
    result = doctest.testmod(frequentist_module)
    assert result.attempted > 0 and result.failed == 0


def test_the_package_docstring_example_runs():
    result = doctest.testmod(importlib.import_module("pilotage.models.experiments"))
    assert result.attempted > 0 and result.failed == 0
