"""The shifted-beta-geometric model against Fader & Hardie (2007)'s published estimates."""

import numpy as np
import pytest

from pilotage.models.clv import ShiftedBetaGeometric

# "How to Project Customer Retention", Journal of Interactive Marketing 21(1), 2007: survivors
# of 1,000 customers over years 0–7, and the published maximum likelihood estimates.
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491]


@pytest.mark.parametrize(
    ("survivors", "alpha", "beta"), [(REGULAR, 0.704, 1.182), (HIGH_END, 0.668, 3.806)]
)
def test_it_reproduces_the_papers_estimates(survivors, alpha, beta):
    model = ShiftedBetaGeometric().fit(survivors)
    assert round(model.params_["alpha"], 3) == alpha
    assert round(model.params_["beta"], 3) == beta
    low, high = model.confidence_intervals_["alpha"]
    assert low < alpha < high


def test_it_gives_survival_retention_and_churn_that_agree():
    model = ShiftedBetaGeometric().fit(REGULAR)
    t = np.arange(1, 13)
    survival = model.survival(np.arange(0, 13))
    assert survival[0] == pytest.approx(1.0)
    np.testing.assert_allclose(model.retention(t), survival[1:] / survival[:-1], rtol=1e-12)
    np.testing.assert_allclose(model.churn_probability(t), -np.diff(survival), rtol=1e-12)
    assert np.all(np.diff(model.retention(t)) > 0)  # heterogeneity: retention rises
    # the paper's 12-year projection for regular customers (≈ 170 of 1,000 left)
    assert survival[12] * 1000 == pytest.approx(170, abs=1)


@pytest.mark.parametrize("renewals", [0, 1, 4])
def test_its_derl_equals_the_discounted_sum_it_stands_for(renewals):
    model = ShiftedBetaGeometric().fit(HIGH_END)
    d, n = 0.1, renewals + 1
    t = np.arange(n, 4000)
    brute = np.sum(model.survival(t) / model.survival(n - 1) / (1 + d) ** (t - n))
    assert model.discounted_expected_residual_lifetime(d, renewals) == pytest.approx(brute)


def test_it_refuses_counts_that_grow():
    with pytest.raises(ValueError, match="never increase"):
        ShiftedBetaGeometric().fit([100, 80, 90])
