"""Bayesian A/B analysis: agreement with GrowthBook's gbstats engine, and the posterior itself."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from gbstats.bayesian.tests import EffectBayesianABTest, EffectBayesianConfig
from gbstats.bayesian.tests import GaussianPrior as GbPrior
from gbstats.models.statistics import (
    ProportionStatistic,
    RatioStatistic,
    RegressionAdjustedStatistic,
    SampleMeanStatistic,
)

from pilotage.models.experiments import bayesian as bayesian_module
from pilotage.models.experiments.bayesian import (
    GaussianPrior,
    bayesian_test,
    expected_losses,
    lift_distribution,
)
from pilotage.models.experiments.inputs import MeanArm, ProportionArm, RatioArm


def _gb_stat(arm):
    """The gbstats statistic holding the same summary statistics as one of our arms."""
    if isinstance(arm, ProportionArm):
        return ProportionStatistic(n=arm.users, sum=arm.conversions)
    if isinstance(arm, RatioArm):
        return RatioStatistic(
            n=arm.users,
            m_statistic=SampleMeanStatistic(
                n=arm.users, sum=arm.numerator_sum, sum_squares=arm.numerator_sum_squares
            ),
            d_statistic=SampleMeanStatistic(
                n=arm.users, sum=arm.denominator_sum, sum_squares=arm.denominator_sum_squares
            ),
            m_d_sum_of_products=arm.sum_products,
        )
    post = SampleMeanStatistic(n=arm.users, sum=arm.sum, sum_squares=arm.sum_squares)
    if not arm.has_covariate:
        return post
    return RegressionAdjustedStatistic(
        n=arm.users,
        post_statistic=post,
        pre_statistic=SampleMeanStatistic(
            n=arm.users, sum=arm.pre_sum, sum_squares=arm.pre_sum_squares
        ),
        post_pre_sum_of_products=arm.sum_products,
        theta=0,
    )


def _mean_arm(name, n, mean, sd, pre=None):
    """A MeanArm with the given mean and standard deviation (and a covariate x: mean, sd, ρ)."""
    total, squares = n * mean, (n - 1) * sd**2 + n * mean**2
    if pre is None:
        return MeanArm(name, n, total, squares)
    x_mean, x_sd, rho = pre
    x_total, x_squares = n * x_mean, (n - 1) * x_sd**2 + n * x_mean**2
    products = (n - 1) * rho * sd * x_sd + n * mean * x_mean
    return MeanArm(name, n, total, squares, x_total, x_squares, products)


CASES = {
    "proportion, small, positive": (ProportionArm("A", 1000, 40), ProportionArm("B", 1000, 50), {}),
    "proportion, large, negative": (
        ProportionArm("A", 120_000, 4_800),
        ProportionArm("B", 119_500, 4_500),
        {},
    ),
    "proportion, tiny sample": (ProportionArm("A", 60, 9), ProportionArm("B", 55, 13), {}),
    "proportion, proper relative prior": (
        ProportionArm("A", 3_000, 95),
        ProportionArm("B", 3_050, 121),
        {"prior": GaussianPrior(0.0, 0.3**2, proper=True)},
    ),
    "proportion, proper prior stated in absolute terms": (
        ProportionArm("A", 3_000, 95),
        ProportionArm("B", 3_050, 121),
        {"prior": GaussianPrior(0.002, 0.01**2, proper=True, scale="absolute")},
    ),
    "proportion, absolute lift, lower is better": (
        ProportionArm("A", 8_000, 640),
        ProportionArm("B", 8_100, 590),
        {"difference_type": "absolute", "inverse": True},
    ),
    "mean (revenue per visitor), small": (
        _mean_arm("A", 40, 52.0, 30.0),
        _mean_arm("B", 38, 61.0, 35.0),
        {},
    ),
    "mean, large, negative": (
        _mean_arm("A", 50_000, 12.4, 40.0),
        _mean_arm("B", 50_300, 12.1, 41.0),
        {},
    ),
    "mean, absolute lift with a relative prior": (
        _mean_arm("A", 900, 3.2, 2.5),
        _mean_arm("B", 880, 3.5, 2.7),
        {"difference_type": "absolute", "prior": GaussianPrior(0.05, 0.2**2, proper=True)},
    ),
    "mean with CUPED covariate": (
        _mean_arm("A", 2_000, 50.0, 20.0, pre=(48.0, 19.0, 0.7)),
        _mean_arm("B", 2_050, 52.0, 21.0, pre=(48.5, 19.5, 0.7)),
        {},
    ),
    "ratio (revenue per session)": (
        RatioArm("A", 1_000, 5_200.0, 60_000.0, 2_500.0, 8_000.0, 14_000.0),
        RatioArm("B", 1_000, 5_600.0, 70_000.0, 2_450.0, 7_800.0, 15_000.0),
        {},
    ),
}


def _gbstats(control, variant, options):
    config = {}
    prior = options.get("prior")
    if prior is not None:
        config["prior_effect"] = GbPrior(prior.mean, prior.variance, prior.proper)
        config["prior_type"] = prior.scale
    for key in ("difference_type", "inverse"):
        if key in options:
            config[key] = options[key]
    test = EffectBayesianABTest(
        _gb_stat(control), _gb_stat(variant), EffectBayesianConfig(**config)
    )
    return test.compute_result()


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_it_agrees_with_gbstats(case):
    control, variant, options = CASES[case]
    ours = bayesian_test(control, variant, **options)
    theirs = _gbstats(control, variant, options)
    assert theirs.error_message is None
    # The acceptance bar is 1e-6 on the lift and interval, 1e-4 on chance to win and risk; the
    # re-implementation is the same arithmetic, so it is held to far tighter tolerances.
    assert ours.lift == pytest.approx(theirs.expected, abs=1e-10)
    assert ours.lift_stddev == pytest.approx(theirs.uplift.stddev, abs=1e-10)
    assert ours.lift_low == pytest.approx(theirs.ci[0], abs=1e-10)
    assert ours.lift_high == pytest.approx(theirs.ci[1], abs=1e-10)
    assert ours.chance_to_win == pytest.approx(theirs.chance_to_win, abs=1e-9)
    assert ours.risk_control == pytest.approx(theirs.risk[0], abs=1e-9)
    assert ours.risk == pytest.approx(theirs.risk[1], abs=1e-9)
    assert ours.difference_type == theirs.risk_type


def test_it_covers_negative_lifts_and_both_metric_kinds_in_the_reference_cases():
    results = [bayesian_test(c, v, **o) for c, v, o in CASES.values()]
    assert any(r.lift < 0 for r in results) and any(r.lift > 0 for r in results)
    assert {type(c).__name__ for c, _, _ in CASES.values()} == {
        "ProportionArm",
        "MeanArm",
        "RatioArm",
    }
    assert len(CASES) >= 8


def test_it_matches_a_monte_carlo_draw_of_the_same_normal_posterior():
    result = bayesian_test(ProportionArm("A", 4_000, 160), ProportionArm("B", 4_000, 182))
    rng = np.random.default_rng(20240611)
    draws = rng.normal(result.lift, result.lift_stddev, 1_000_000)
    win = np.mean(draws > 0)
    assert abs(result.chance_to_win - win) < 4 * math.sqrt(win * (1 - win) / draws.size)
    for risk, losses in ((result.risk, np.maximum(-draws, 0)), (result.risk_control, draws)):
        losses = np.maximum(losses, 0)
        assert abs(risk - losses.mean()) < 4 * losses.std() / math.sqrt(draws.size)
    low, high = np.quantile(draws, [0.025, 0.975])
    # A 2.5% quantile of 10⁶ draws has a standard error of about 0.003 σ.
    assert result.lift_low == pytest.approx(low, abs=0.015 * result.lift_stddev)
    assert result.lift_high == pytest.approx(high, abs=0.015 * result.lift_stddev)


def test_it_computes_the_relative_lift_and_its_delta_method_variance_by_hand():
    dist = lift_distribution(ProportionArm("A", 1000, 40), ProportionArm("B", 800, 48))
    pa, pb = 0.04, 0.06
    variance = pb * (1 - pb) / (pa**2 * 800) + pa * (1 - pa) * pb**2 / (pa**4 * 1000)
    assert dist.estimate == pytest.approx(0.5, abs=1e-12)
    assert dist.variance == pytest.approx(variance, rel=1e-12)
    assert dist.users == 1800


def test_it_shrinks_the_lift_towards_a_proper_prior():
    control, variant = ProportionArm("A", 800, 30), ProportionArm("B", 800, 45)
    flat = bayesian_test(control, variant)
    sceptical = bayesian_test(control, variant, prior=GaussianPrior(0.0, 0.1**2, proper=True))
    assert 0 < sceptical.lift < flat.lift
    assert sceptical.lift_stddev < flat.lift_stddev
    assert sceptical.chance_to_win < flat.chance_to_win
    precision = 1 / flat.lift_stddev**2 + 1 / 0.01
    assert sceptical.lift == pytest.approx(flat.lift / flat.lift_stddev**2 / precision)


def test_it_ignores_an_improper_prior_whatever_its_mean():
    control, variant = ProportionArm("A", 800, 30), ProportionArm("B", 800, 45)
    assert bayesian_test(control, variant, prior=GaussianPrior(5.0, 0.01)).lift == pytest.approx(
        bayesian_test(control, variant).lift
    )


def test_it_swaps_chance_and_risks_when_lower_is_better():
    control, variant = ProportionArm("A", 5_000, 300), ProportionArm("B", 5_000, 260)
    up = bayesian_test(control, variant)
    down = bayesian_test(control, variant, inverse=True)
    assert down.chance_to_win == pytest.approx(1 - up.chance_to_win)
    assert (down.risk, down.risk_control) == (up.risk_control, up.risk)
    assert down.chance_to_win > 0.9 and down.risk < down.risk_control


def test_it_gives_expected_losses_in_closed_form():
    # E[max(Δ, 0)] − E[max(−Δ, 0)] = E[Δ] for any normal.
    for mean, sd in ((0.1, 0.05), (-0.3, 0.2), (0.0, 1.0), (2.0, 0.1)):
        loss_variant, loss_control = expected_losses(mean, sd)
        assert loss_control - loss_variant == pytest.approx(mean, abs=1e-12)
        assert loss_variant >= 0 and loss_control >= 0
    assert expected_losses(0.0, 2.0)[0] == pytest.approx(2.0 / math.sqrt(2 * math.pi))


def test_it_reports_the_prior_as_applied_on_the_lift_scale():
    control, variant = ProportionArm("A", 1_000, 50), ProportionArm("B", 1_000, 60)
    prior = GaussianPrior(0.005, 0.01**2, proper=True, scale="absolute")
    result = bayesian_test(control, variant, prior=prior)
    assert result.prior.scale == "relative"
    assert result.prior.mean == pytest.approx(0.1)  # 0.005 / 0.05
    assert result.prior.variance == pytest.approx(0.04)  # 0.01² / 0.05²


def test_it_uses_cuped_only_when_both_arms_have_a_covariate():
    a = _mean_arm("A", 2_000, 50.0, 20.0, pre=(48.0, 19.0, 0.7))
    b = _mean_arm("B", 2_050, 52.0, 21.0, pre=(48.5, 19.5, 0.7))
    plain_b = _mean_arm("B", 2_050, 52.0, 21.0)
    assert bayesian_test(a, b).cuped
    assert not bayesian_test(a, b, cuped=False).cuped
    assert not bayesian_test(a, plain_b).cuped
    assert bayesian_test(a, b).lift_stddev < bayesian_test(a, b, cuped=False).lift_stddev


@pytest.mark.parametrize(
    ("control", "variant", "message"),
    [
        (ProportionArm("A", 100, 0), ProportionArm("B", 100, 3), "does not vary"),
        (ProportionArm("A", 100, 4), _mean_arm("B", 100, 1.0, 1.0), "different metric types"),
        (_mean_arm("A", 100, 0.0, 1.0), _mean_arm("B", 100, 1.0, 1.0), "mean of 0"),
    ],
)
def test_it_explains_why_it_cannot_analyse(control, variant, message):
    with pytest.raises(ValueError, match=message):
        bayesian_test(control, variant)


def test_it_rejects_an_alpha_outside_zero_one():
    with pytest.raises(ValueError, match="alpha"):
        bayesian_test(ProportionArm("A", 100, 4), ProportionArm("B", 100, 5), alpha=1.5)


def test_it_runs_its_docstring_examples():
    assert doctest.testmod(bayesian_module).failed == 0
