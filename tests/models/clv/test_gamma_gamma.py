"""Gamma-Gamma and CLV against lifetimes' GammaGammaFitter on CDNOW."""

import numpy as np
import pytest

from pilotage.models.clv import BetaGeo, GammaGamma
from pilotage.models.clv.gamma_gamma import _Data
from tests.models.clv.conftest import LIFETIMES_WARNINGS, relative

pytestmark = LIFETIMES_WARNINGS


@pytest.fixture(scope="module")
def models(cdnow):
    bg = BetaGeo().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    return bg, GammaGamma().fit(cdnow["frequency"], cdnow["monetary_value"])


def test_it_finds_lifetimes_parameters(models, lifetimes_fits):
    _, gg = models
    _, reference = lifetimes_fits
    assert relative(list(gg.params_.values()), reference.params_.to_numpy()) < 1e-3
    # and Fader & Hardie's note 025: p 6.25, q 3.74, v 15.44
    assert [round(v, 2) for v in gg.params_.values()] == [6.25, 3.74, 15.45]
    assert gg.n_customers_ == 946


def test_it_matches_the_conditional_expected_value(models, lifetimes_fits, cdnow):
    _, gg = models
    _, reference = lifetimes_fits
    x, m = cdnow["frequency"], cdnow["monetary_value"]
    ours = gg.conditional_expected_value(x, m)
    assert relative(ours, reference.conditional_expected_average_profit(x, m)) < 1e-4
    assert ours[x == 0] == pytest.approx(gg.params_["p"] * gg.params_["v"] / (gg.params_["q"] - 1))


@pytest.mark.parametrize("months", [12, 36])
def test_it_matches_lifetimes_customer_lifetime_value(models, lifetimes_fits, cdnow, months):
    import pandas as pd

    bg, gg = models
    bg_ref, gg_ref = lifetimes_fits
    columns = ("frequency", "recency", "T", "monetary_value")
    x, tx, age, m = (cdnow[k] for k in columns)
    ours = gg.customer_lifetime_value(
        bg, x, tx, age, m, horizon_months=months, monthly_discount_rate=0.01, freq="W"
    )
    theirs = gg_ref.customer_lifetime_value(
        bg_ref, *(pd.Series(cdnow[k]) for k in columns), time=months, discount_rate=0.01, freq="W"
    )
    assert relative(ours, theirs.to_numpy()) < 1e-4


def test_its_gradient_is_the_derivative_of_its_likelihood(cdnow):
    repeat = cdnow["frequency"] > 0
    x, m = cdnow["frequency"][repeat], cdnow["monetary_value"][repeat]
    data = _Data(x, m, np.ones(len(x)), 0.01)
    point = np.log([5.0, 3.0, 12.0])
    _, gradient = data.objective(point)
    h = 1e-6
    numeric = [
        (data.objective(point + e)[0] - data.objective(point - e)[0]) / (2 * h)
        for e in np.eye(3) * h
    ]
    np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-8)


def test_it_needs_repeat_buyers_with_positive_values():
    with pytest.raises(ValueError, match="no customer with a repeat purchase"):
        GammaGamma().fit([0, 0], [0.0, 0.0])
    with pytest.raises(ValueError, match="row 2: monetary_value must be > 0"):
        GammaGamma().fit([1, 2], [10.0, 0.0])
