"""Per-arm summary statistics: properties against numpy on raw data, and validation."""

from __future__ import annotations

import dataclasses
import doctest
import importlib
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.models.experiments.inputs import MeanArm, ProportionArm, RatioArm

inputs_module = importlib.import_module("pilotage.models.experiments.inputs")


def mean_arm(y: np.ndarray, x: np.ndarray | None = None, name: str = "A") -> MeanArm:
    if x is None:
        return MeanArm(name, len(y), float(y.sum()), float((y * y).sum()))
    return MeanArm(
        name, len(y), float(y.sum()), float((y * y).sum()),
        float(x.sum()), float((x * x).sum()), float((x * y).sum()),
    )  # fmt: skip


def ratio_arm(y: np.ndarray, x: np.ndarray, name: str = "A") -> RatioArm:
    return RatioArm(
        name, len(y), float(y.sum()), float((y * y).sum()),
        float(x.sum()), float((x * x).sum()), float((x * y).sum()),
    )  # fmt: skip


# --- properties ---------------------------------------------------------------------------


@pytest.mark.parametrize(("users", "conversions"), [(2, 1), (30, 0), (1000, 40), (50_000, 50_000)])
def test_it_gives_a_proportion_the_sample_variance_of_its_zero_one_outcomes(users, conversions):
    outcomes = np.r_[np.ones(conversions), np.zeros(users - conversions)]
    arm = ProportionArm("A", users, conversions)
    assert arm.mean == pytest.approx(outcomes.mean(), abs=1e-15)
    assert arm.variance == pytest.approx(np.var(outcomes, ddof=1), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("n", [2, 5, 400, 20_000])
def test_it_gives_a_mean_arm_the_n_minus_1_moments_of_numpy(n):
    rng = np.random.default_rng(n)
    x = rng.gamma(2.0, 30.0, n)
    y = 0.6 * x + rng.normal(10, 25, n)
    arm = mean_arm(y, x)
    assert arm.mean == pytest.approx(y.mean(), rel=1e-12)
    assert arm.variance == pytest.approx(np.var(y, ddof=1), rel=1e-9)
    assert arm.pre_mean == pytest.approx(x.mean(), rel=1e-12)
    assert arm.pre_variance == pytest.approx(np.var(x, ddof=1), rel=1e-9)
    assert arm.covariance == pytest.approx(np.cov(y, x, ddof=1)[0, 1], rel=1e-9)
    assert arm.has_covariate


def test_it_leaves_the_covariate_empty_without_pre_period_sums():
    arm = MeanArm("A", 10, 20.0, 50.0)
    assert not arm.has_covariate
    assert (arm.pre_mean, arm.pre_variance, arm.covariance) == (None, None, None)


@pytest.mark.parametrize("n", [2, 50, 5_000])
def test_it_gives_a_ratio_arm_the_variance_of_its_linearised_values(n):
    rng = np.random.default_rng(100 + n)
    sessions = rng.poisson(2.0, n) + 1.0
    revenue = sessions * rng.gamma(1.5, 20.0, n) * rng.binomial(1, 0.3, n)
    arm = ratio_arm(revenue, sessions)
    ratio = revenue.sum() / sessions.sum()
    linearised = (revenue - ratio * sessions) / sessions.mean()
    assert arm.ratio == pytest.approx(ratio, rel=1e-12)
    assert arm.mean == arm.ratio
    assert arm.numerator_mean == pytest.approx(revenue.mean(), rel=1e-12)
    assert arm.denominator_mean == pytest.approx(sessions.mean(), rel=1e-12)
    assert arm.numerator_variance == pytest.approx(np.var(revenue, ddof=1), rel=1e-9)
    assert arm.denominator_variance == pytest.approx(np.var(sessions, ddof=1), rel=1e-9)
    assert arm.covariance == pytest.approx(np.cov(revenue, sessions)[0, 1], rel=1e-9)
    assert arm.variance == pytest.approx(np.var(linearised, ddof=1), rel=1e-8)
    assert arm.ratio_variance == pytest.approx(np.var(linearised, ddof=1) / n, rel=1e-8)


def test_it_computes_the_ratio_example_by_hand():
    # Two users: revenue 10 over 1 session, 20 over 2 sessions; R = 30/3 = 10 and every
    # user sits exactly on the ratio, so the linearised variance is 0.
    arm = RatioArm("A", 2, 30.0, 500.0, 3.0, 5.0, 50.0)
    assert arm.ratio == 10.0
    assert arm.variance == pytest.approx(0.0, abs=1e-12)


def test_it_returns_nan_variances_for_a_single_user():
    assert math.isnan(ProportionArm("A", 1, 1).variance)
    assert math.isnan(MeanArm("A", 1, 3.0, 9.0).variance)
    assert math.isnan(RatioArm("A", 1, 3.0, 9.0, 1.0, 1.0, 3.0).variance)


def test_it_stores_whole_float_counts_as_ints():
    arm = ProportionArm("A", 1200.0, 48.0)
    assert (arm.users, arm.conversions) == (1200, 48)
    assert isinstance(arm.users, int) and isinstance(arm.conversions, int)
    assert isinstance(MeanArm("A", np.int64(3), 3, 5).users, int)


def test_it_tolerates_rounding_in_a_zero_variance_sum_of_squares():
    # 0.1 repeated: Σy² falls a hair below (Σy)²/n in floating point.
    y = np.full(7, 0.1)
    arm = MeanArm("A", 7, float(y.sum()), float((y * y).sum()))
    assert arm.variance == pytest.approx(0.0, abs=1e-15)
    assert arm.variance >= 0


def test_it_is_frozen():
    arm = ProportionArm("A", 10, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        arm.users = 11  # type: ignore[misc]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(-1e4, 1e4, allow_nan=False, allow_subnormal=False),
            st.floats(-1e4, 1e4, allow_nan=False, allow_subnormal=False),
        ),
        min_size=2,
        max_size=40,
    )
)
def test_it_accepts_any_real_data_and_keeps_variances_non_negative(pairs):
    y, x = (np.array(v) for v in zip(*pairs, strict=True))
    arm = mean_arm(y, x)
    assert arm.variance >= 0 and arm.pre_variance is not None and arm.pre_variance >= 0
    scale = max(1.0, float(np.mean(y * y)))
    assert arm.variance == pytest.approx(np.var(y, ddof=1), rel=1e-6, abs=1e-9 * scale)


# --- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"users": 0, "conversions": 0}, r"arm 'A': users must be > 0, got 0"),
        ({"users": -5, "conversions": 0}, r"users must be > 0"),
        ({"users": 10.5, "conversions": 1}, r"users must be a whole number"),
        ({"users": True, "conversions": 1}, r"users must be a whole number"),
        ({"users": "100", "conversions": 1}, r"users must be a whole number"),
        ({"users": 10, "conversions": 11}, r"conversions must be between 0 and users \(10\)"),
        ({"users": 10, "conversions": -1}, r"conversions must be between 0 and users"),
        ({"users": 10, "conversions": 1.5}, r"conversions must be a whole number"),
    ],
)
def test_it_rejects_impossible_proportion_counts(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ProportionArm("A", **kwargs)


@pytest.mark.parametrize("name", ["", "   ", None, 3])
def test_it_requires_a_name(name):
    with pytest.raises(ValueError, match="non-empty name"):
        ProportionArm(name, 10, 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((10, 100.0, 999.0), r"arm 'A': sum and sum_squares give a negative variance"),
        ((10, math.nan, 100.0), r"sum must be a finite number"),
        ((10, 1.0, math.inf), r"sum_squares must be a finite number"),
        ((10, 1.0, 2.0, 1.0), r"give pre_sum, pre_sum_squares and sum_products together"),
        ((10, 1.0, 2.0, None, None, 3.0), r"together"),
        ((4, 10.0, 30.0, 10.0, 20.0, 25.0), r"pre_sum and pre_sum_squares give a negative"),
        ((4, 10.0, 30.0, 10.0, 30.0, 40.0), r"sum_products = 40 is inconsistent"),
    ],
)
def test_it_rejects_inconsistent_mean_sums(args, message):
    with pytest.raises(ValueError, match=message):
        MeanArm("A", *args)


def test_it_accepts_perfectly_correlated_pre_period_sums():
    # y = x = 1, 2, 3, 4: Σyx equals the Cauchy–Schwarz bound exactly.
    arm = MeanArm("A", 4, 10.0, 30.0, 10.0, 30.0, 30.0)
    assert arm.covariance == pytest.approx(arm.variance)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((10, 5.0, 10.0, 0.0, 0.0, 0.0), r"denominator_sum must be > 0 for the ratio to exist"),
        ((10, 5.0, 1.0, 10.0, 20.0, 5.0), r"numerator_sum and numerator_sum_squares give a"),
        ((10, 5.0, 10.0, 10.0, 5.0, 5.0), r"denominator_sum and denominator_sum_squares give"),
        ((2, 30.0, 500.0, 3.0, 5.0, 80.0), r"sum_products = 80 is inconsistent"),
        ((2, 30.0, 500.0, 3.0, 5.0, math.nan), r"sum_products must be a finite number"),
    ],
)
def test_it_rejects_inconsistent_ratio_sums(args, message):
    with pytest.raises(ValueError, match=message):
        RatioArm("A", *args)


def test_its_docstring_examples_run():
    result = doctest.testmod(inputs_module)
    assert result.attempted > 0 and result.failed == 0
