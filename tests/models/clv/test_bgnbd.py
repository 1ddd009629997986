"""BG/NBD against the published CDNOW estimates and lifetimes' BetaGeoFitter."""

import numpy as np
import pytest

from pilotage.models.clv import BetaGeo
from pilotage.models.clv.bgnbd import _Data
from tests.models.clv.conftest import LIFETIMES_WARNINGS, relative

pytestmark = LIFETIMES_WARNINGS

# Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", CDNOW, weeks.
PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


@pytest.fixture(scope="module")
def model(cdnow):
    return BetaGeo().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])


def _rfm(cdnow):
    return cdnow["frequency"], cdnow["recency"], cdnow["T"]


def test_it_finds_the_published_cdnow_estimates(model):
    assert {k: round(v, 3) for k, v in model.params_.items()} == PUBLISHED
    assert model.log_likelihood_ == pytest.approx(-9582.4, abs=0.05)


def test_it_reports_intervals_that_hold_the_estimates(model):
    for name, (low, high) in model.confidence_intervals_.items():
        assert low < model.params_[name] < high
        assert model.standard_errors_[name] > 0
    # the Hessian's standard error of r, by hand from the published fit: ≈ 0.0126
    assert model.standard_errors_["r"] == pytest.approx(0.01256, rel=0.01)


def test_it_matches_lifetimes_predictions(model, cdnow, lifetimes_fits):
    reference, _ = lifetimes_fits
    assert relative(list(model.params_.values()), reference.params_.to_numpy()) < 1e-5
    x, tx, age = _rfm(cdnow)
    for t in (10, 39):
        ours = model.expected_purchases(t, x, tx, age)
        theirs = reference.conditional_expected_number_of_purchases_up_to_time(t, x, tx, age)
        assert relative(ours, theirs) < 1e-4
        assert (
            relative(
                model.expected_purchases_new(t),
                reference.expected_number_of_purchases_up_to_time(t),
            )
            < 1e-4
        )
    alive = model.probability_alive(x, tx, age)
    assert relative(alive, reference.conditional_probability_alive(x, tx, age)) < 1e-4


def test_it_penalizes_like_lifetimes(cdnow):
    from lifetimes import BetaGeoFitter

    ours = BetaGeo(penalizer_coef=0.1).fit(*_rfm(cdnow)).params_
    theirs = BetaGeoFitter(penalizer_coef=0.1).fit(*_rfm(cdnow)).params_
    assert relative(list(ours.values()), theirs.to_numpy()) < 1e-4


def test_its_gradient_is_the_derivative_of_its_likelihood(cdnow):
    x, tx, age = _rfm(cdnow)
    data = _Data(x, tx, age, np.ones(len(x)), 1 / age.max(), 0.05)
    point = np.log([0.3, 5.0, 0.9, 2.1])
    _, gradient = data.objective(point)
    h = 1e-6
    numeric = [
        (data.objective(point + e)[0] - data.objective(point - e)[0]) / (2 * h)
        for e in np.eye(4) * h
    ]
    np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-8)


def test_weights_are_the_same_as_repeated_rows(cdnow):
    x, tx, age = (v[:400] for v in _rfm(cdnow))
    weights = np.arange(400) % 3
    weighted = BetaGeo().fit(x, tx, age, weights=weights).params_
    repeated = BetaGeo().fit(*(np.repeat(v, weights) for v in (x, tx, age))).params_
    assert relative(list(weighted.values()), list(repeated.values())) < 1e-6


def test_it_refuses_impossible_histories():
    with pytest.raises(ValueError, match="row 2: recency must not exceed T"):
        BetaGeo().fit([1, 2], [3.0, 9.0], [5.0, 8.0])
    with pytest.raises(ValueError, match="whole number"):
        BetaGeo().fit([1.5], [3.0], [5.0])
