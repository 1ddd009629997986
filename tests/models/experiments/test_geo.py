"""Geo tests: DiD and synthetic control recover injected lifts on simulated regional panels."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import optimize

from pilotage.models.experiments import geo as geo_module
from pilotage.models.experiments.geo import (
    GeoPanel,
    difference_in_differences,
    simplex_least_squares,
    synthetic_control,
)

N_UNITS, N_WEEKS, START, LIFT = 30, 52, 40, 8.0
N_SIMULATIONS = 150


def _panel(rng, lift=LIFT, n_treated=1, phi=0.3, n_units=N_UNITS):
    """Regions × weeks: region level + common seasonality and trend + AR(1) noise (sd 5).

    A lift is added to the first ``n_treated`` regions from week ``START`` on (about +8% of a
    region's ~100 weekly conversions).
    """
    level = rng.normal(100, 20, n_units)[:, None]
    weeks = np.arange(N_WEEKS)
    common = 10 * np.sin(2 * np.pi * weeks / 52) + 0.2 * weeks
    shocks = rng.normal(0, 5, (n_units, N_WEEKS))
    noise = np.zeros_like(shocks)
    noise[:, 0] = shocks[:, 0]
    for week in range(1, N_WEEKS):
        noise[:, week] = phi * noise[:, week - 1] + shocks[:, week]
    outcomes = level + common + noise
    outcomes[:n_treated, START:] += lift
    units = tuple(f"R{i:02d}" for i in range(n_units))
    return GeoPanel(units, outcomes, units[:n_treated], START)


@pytest.fixture(scope="module")
def simulations():
    """DiD and synthetic-control results on N_SIMULATIONS panels with a known lift."""
    rng = np.random.default_rng(2024)
    out = []
    for i in range(N_SIMULATIONS):
        panel = _panel(rng, n_treated=1 + i % 3)
        out.append(
            (
                difference_in_differences(panel),
                synthetic_control(panel),
                synthetic_control(panel, interval="normal"),
            )
        )
    return out


def _coverage(results):
    return np.mean([r.effect_low <= LIFT <= r.effect_high for r in results])


def test_it_recovers_the_injected_lift_within_the_did_interval(simulations):
    did = [d for d, _, _ in simulations]
    assert _coverage(did) >= 0.9
    assert np.mean([d.effect for d in did]) == pytest.approx(LIFT, abs=0.5)


def test_it_recovers_the_injected_lift_within_the_synthetic_control_interval(simulations):
    for results in ([s for _, s, _ in simulations], [n for _, _, n in simulations]):
        assert _coverage(results) >= 0.9
        assert np.mean([r.effect for r in results]) == pytest.approx(LIFT, abs=0.5)
        assert np.mean([math.isfinite(r.effect_high - r.effect_low) for r in results]) == 1


def test_it_gives_weights_that_are_non_negative_and_sum_to_one(simulations):
    for _, result, _ in simulations:
        weights = np.array(list(result.weights.values()))
        assert weights.min() >= 0
        assert weights.sum() == pytest.approx(1, abs=1e-12)
        assert "R00" not in result.weights  # the treated region is never its own donor
        assert len(result.weights) == len(result.placebo_effects)  # one placebo per control


def test_it_equals_ols_with_unit_and_week_fixed_effects():
    rng = np.random.default_rng(7)
    panel = _panel(rng, n_treated=4)
    units, weeks = np.meshgrid(np.arange(N_UNITS), np.arange(N_WEEKS), indexing="ij")
    treated_post = (units < 4) & (weeks >= START)
    design = np.column_stack(
        [
            treated_post.ravel().astype(float),
            (units.ravel()[:, None] == np.arange(N_UNITS)).astype(float),
            (weeks.ravel()[:, None] == np.arange(1, N_WEEKS)).astype(float),
        ]
    )
    ols = sm.OLS(panel.outcomes.ravel(), design).fit()
    result = difference_in_differences(panel)
    assert result.effect == pytest.approx(ols.params[0], abs=1e-8)


def test_it_takes_its_standard_error_from_the_unit_level_pre_post_changes():
    rng = np.random.default_rng(8)
    panel = _panel(rng, n_treated=3)
    y = panel.outcomes
    change = y[:, START:].mean(axis=1) - y[:, :START].mean(axis=1)
    treated = np.arange(N_UNITS) < 3
    ols = sm.OLS(change, sm.add_constant(treated.astype(float))).fit()
    result = difference_in_differences(panel)
    assert result.effect == pytest.approx(ols.params[1], abs=1e-10)
    assert result.standard_error == pytest.approx(ols.bse[1], rel=1e-10)
    assert result.p_value == pytest.approx(ols.pvalues[1], rel=1e-8)
    low, high = ols.conf_int()[1]
    assert (result.effect_low, result.effect_high) == pytest.approx((low, high), rel=1e-10)
    assert result.degrees_of_freedom == N_UNITS - 2
    assert result.incremental == pytest.approx(result.effect * 3 * (N_WEEKS - START))


def test_it_flags_non_parallel_trends_with_the_placebo_in_time():
    rng = np.random.default_rng(9)
    panel = _panel(rng, lift=0.0, n_treated=3)
    drifting = panel.outcomes.copy()
    drifting[:3] += 0.5 * np.arange(N_WEEKS)  # treated regions were already growing faster
    result = difference_in_differences(GeoPanel(panel.units, drifting, panel.treated, START))
    assert result.placebo_p_value < 0.01
    assert difference_in_differences(panel).placebo_p_value > 0.01


def test_it_does_not_find_effects_too_often_when_there_is_none():
    rng = np.random.default_rng(10)
    n = 150
    p_values = np.array(
        [
            (synthetic_control(p).p_value, difference_in_differences(p).p_value)
            for p in (_panel(rng, lift=0.0) for _ in range(n))
        ]
    )
    level = 0.1
    margin = 3 * math.sqrt(level * (1 - level) / n)
    assert np.all(np.mean(p_values <= level, axis=0) <= level + margin)
    assert np.all(np.mean(p_values <= 0.5, axis=0) >= 0.3)  # p-values spread over [0, 1]


def test_it_rebuilds_a_treated_region_that_is_a_mix_of_others_exactly():
    rng = np.random.default_rng(11)
    donors = 100 + rng.normal(0, 10, (6, N_WEEKS)).cumsum(axis=1)
    truth = np.array([0.5, 0.3, 0.2, 0, 0, 0])
    treated = truth @ donors
    treated[START:] += 12.0
    y = np.vstack([treated, donors])
    units = ("T", "A", "B", "C", "D", "E", "F")
    result = synthetic_control(GeoPanel(units, y, ("T",), START), intercept=False)
    assert list(result.weights.values()) == pytest.approx(list(truth), abs=1e-7)
    assert result.effect == pytest.approx(12.0, abs=1e-6)
    assert result.pre_rmse == pytest.approx(0, abs=1e-6)
    assert result.relative_effect == pytest.approx(12.0 / (truth @ donors[:, START:]).mean())


def test_it_solves_the_weights_as_well_as_a_general_constrained_optimiser():
    rng = np.random.default_rng(12)
    for _ in range(5):
        a = rng.normal(0, 1, (40, 12)) + rng.normal(0, 1, 12)
        b = rng.normal(0, 1, 40)
        ours = simplex_least_squares(a, b)
        reference = optimize.minimize(
            lambda w, a=a, b=b: np.sum((b - a @ w) ** 2),
            np.full(12, 1 / 12),
            method="SLSQP",
            bounds=[(0, None)] * 12,
            constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1}],
            options={"ftol": 1e-14, "maxiter": 500},
        )
        assert ours.min() >= 0 and ours.sum() == pytest.approx(1, abs=1e-12)
        assert np.sum((b - a @ ours) ** 2) <= reference.fun + 1e-8
        assert ours == pytest.approx(reference.x, abs=1e-4)


def test_it_returns_an_unbounded_rank_interval_with_too_few_controls():
    rng = np.random.default_rng(13)
    panel = _panel(rng, n_units=12)
    rank = synthetic_control(panel)
    normal = synthetic_control(panel, interval="normal")
    assert (rank.effect_low, rank.effect_high) == (-math.inf, math.inf)
    assert math.isfinite(normal.effect_low) and normal.effect_low < normal.effect_high


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"treated": ("Z",)}, "not in units"),
        ({"treated": ()}, "no treated unit"),
        ({"treatment_start": 1}, "at least two pre-periods"),
        ({"treatment_start": 6}, "one post-period"),
        ({"outcomes": np.ones((2, 6))}, "3 units"),
        ({"units": ("A", "A", "B")}, "distinct"),
    ],
)
def test_it_explains_a_malformed_panel(kwargs, message):
    base = {
        "units": ("A", "B", "C"),
        "outcomes": np.arange(18, dtype=float).reshape(3, 6),
        "treated": ("A",),
        "treatment_start": 4,
    }
    with pytest.raises(ValueError, match=message):
        GeoPanel(**(base | kwargs))


def test_it_keeps_the_panel_read_only():
    panel = GeoPanel(("A", "B", "C"), np.ones((3, 5)), ("A",), 3)
    with pytest.raises(ValueError):
        panel.outcomes[0, 0] = 2.0


def test_it_runs_its_docstring_examples():
    assert doctest.testmod(geo_module).failed == 0
