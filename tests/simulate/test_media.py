"""Adstock and saturation forms: every registered form keeps the simulator's promises."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.simulate import media

# Typical parameters for each registered adstock form. A form added to the registry without an
# entry here makes test_it_has_example_parameters_for_every_adstock_form fail.
ADSTOCK_EXAMPLES: dict[str, list[dict[str, float]]] = {
    "geometric": [
        {"decay": 0.0, "max_lag": 1},
        {"decay": 0.5, "max_lag": 14},
        {"decay": 0.93, "max_lag": 120},
    ],
    "delayed": [
        {"decay": 0.97, "peak": 10.0, "max_lag": 60},
        {"decay": 0.5, "peak": 0.0, "max_lag": 8},
        {"decay": 0.9, "peak": 3.5, "max_lag": 30},
    ],
}

SATURATION_EXAMPLES: dict[str, list[dict[str, float]]] = {
    "hill": [
        {"half_saturation": 100.0, "shape": 1.0},
        {"half_saturation": 2500.0, "shape": 1.2},
        {"half_saturation": 3.0, "shape": 0.5},
        {"half_saturation": 50.0, "shape": 3.0},
    ],
    "logistic": [{"lam": 0.001}, {"lam": 0.5}],
}


def test_it_has_example_parameters_for_every_adstock_form():
    assert set(ADSTOCK_EXAMPLES) == set(media.ADSTOCKS)


def test_it_has_example_parameters_for_every_saturation_form():
    assert set(SATURATION_EXAMPLES) == set(media.SATURATIONS)


@pytest.mark.parametrize("form", sorted(media.ADSTOCKS))
def test_it_gives_adstock_weights_that_are_non_negative_and_sum_to_one(form):
    for params in ADSTOCK_EXAMPLES[form]:
        weights = media.ADSTOCKS[form](**params)
        assert weights.shape == (params["max_lag"],)
        assert np.all(weights >= 0)
        assert weights.sum() == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize("form", sorted(media.ADSTOCKS))
def test_it_preserves_total_spend_when_the_series_ends_with_max_lag_zeros(form):
    rng = np.random.default_rng(3)
    for params in ADSTOCK_EXAMPLES[form]:
        max_lag = int(params["max_lag"])
        spend = np.concatenate([rng.gamma(2.0, 500.0, 200), np.zeros(max_lag)])
        carried = media.adstock(spend, form, **params)
        assert carried.shape == spend.shape
        assert carried.sum() == pytest.approx(spend.sum(), rel=1e-12)


@pytest.mark.parametrize("form", sorted(media.ADSTOCKS))
def test_it_does_not_carry_spend_backwards_in_time(form):
    for params in ADSTOCK_EXAMPLES[form]:
        spend = np.zeros(300)
        spend[150] = 1000.0
        carried = media.adstock(spend, form, **params)
        assert np.all(carried[:150] == 0)
        weights = media.ADSTOCKS[form](**params)
        # a single euro-pulse is spread exactly along the weights
        np.testing.assert_allclose(carried[150 : 150 + len(weights)], 1000.0 * weights)


def test_it_makes_geometric_weights_decay_by_the_decay_factor():
    weights = media.geometric_weights(decay=0.7, max_lag=30)
    np.testing.assert_allclose(weights[1:] / weights[:-1], 0.7)


def test_it_peaks_delayed_weights_at_the_peak_lag():
    weights = media.delayed_weights(decay=0.9, peak=6.0, max_lag=30)
    assert int(np.argmax(weights)) == 6
    assert np.all(np.diff(weights[:7]) > 0)
    assert np.all(np.diff(weights[6:]) < 0)


@pytest.mark.parametrize(
    ("form", "params"),
    [
        ("geometric", {"decay": 1.0, "max_lag": 10}),
        ("geometric", {"decay": -0.1, "max_lag": 10}),
        ("delayed", {"decay": 0.0, "peak": 2.0, "max_lag": 10}),
        ("delayed", {"decay": 1.0, "peak": 2.0, "max_lag": 10}),
    ],
)
def test_it_rejects_a_decay_outside_its_range(form, params):
    with pytest.raises(ValueError, match="decay"):
        media.ADSTOCKS[form](**params)


@settings(max_examples=60, deadline=None)
@given(
    decay=st.floats(min_value=0.0, max_value=0.99),
    max_lag=st.integers(min_value=1, max_value=90),
    spend=st.lists(st.floats(min_value=0.0, max_value=1e6), min_size=1, max_size=60),
)
def test_it_preserves_any_geometric_adstocked_total(decay, max_lag, spend):
    series = np.concatenate([np.asarray(spend), np.zeros(max_lag)])
    carried = media.adstock(series, "geometric", decay=decay, max_lag=max_lag)
    assert carried.sum() == pytest.approx(series.sum(), rel=1e-9, abs=1e-6)
    assert np.all(carried >= 0)


def _scale(params: dict[str, float]) -> float:
    """The spend level where a curve bends: K for Hill, 1/lam for logistic."""
    return params["half_saturation"] if "half_saturation" in params else 1.0 / params["lam"]


@pytest.mark.parametrize("form", sorted(media.SATURATIONS))
def test_it_saturates_monotonically_from_zero_towards_one(form):
    for params in SATURATION_EXAMPLES[form]:
        x = _scale(params) * np.concatenate([[0.0], np.geomspace(1e-3, 30, 400)])
        y = media.saturate(x, form, **params)
        assert y[0] == 0.0
        assert np.all(np.diff(y) > 0)
        assert np.all(y < 1.0)
        assert y[-1] > 0.5  # and it does approach 1


@pytest.mark.parametrize("params", SATURATION_EXAMPLES["hill"])
def test_it_makes_hill_equal_one_half_at_the_half_saturation_point(params):
    k = params["half_saturation"]
    assert media.hill(np.array([k]), **params)[0] == pytest.approx(0.5, rel=1e-12)
    assert (
        media.hill(np.array([k / 2]), **params)[0]
        < 0.5
        < media.hill(np.array([2 * k]), **params)[0]
    )


def test_it_computes_hill_as_x_to_the_s_over_x_to_the_s_plus_k_to_the_s():
    # 2**2 / (2**2 + 4**2) = 4 / 20
    assert media.hill(np.array([2.0]), half_saturation=4.0, shape=2.0)[0] == pytest.approx(0.2)


def test_it_makes_logistic_the_hyperbolic_tangent_of_half_lambda_x():
    x = np.linspace(0, 50, 101)
    np.testing.assert_allclose(media.logistic(x, lam=0.3), np.tanh(0.3 * x / 2), rtol=1e-12)
    # ½ is reached at x = ln(3) / lam
    assert media.logistic(np.array([np.log(3) / 0.3]), lam=0.3)[0] == pytest.approx(0.5)
