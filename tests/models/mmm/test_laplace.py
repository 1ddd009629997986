"""The Laplace approximation checked against the exact posterior and against known truth."""

import math

import numpy as np
import pytest
from scipy import stats
from scipy.special import logsumexp

from pilotage.models.mmm import MarketingMixModel
from tests.models.mmm.conftest import synthetic


@pytest.fixture(scope="module")
def tiny():
    """One channel, 52 weeks, 9 parameters: 20,000 importance draws of the exact posterior
    (a multivariate t around the Laplace Gaussian) and their log weights."""
    spend, y, _ = synthetic(3, weeks=52, noise=0.08)
    model = MarketingMixModel(holdout_weeks=0, fourier_order=1).fit({"tv": spend["tv"]}, y)
    rng = np.random.default_rng(0)
    proposal = stats.multivariate_t(model.params_, model.covariance_ * 1.2**2, df=5)
    draws = proposal.rvs(20_000, random_state=rng)
    log_w = np.array([model._post.log_density(z) for z in draws]) - proposal.logpdf(draws)
    return model, draws, log_w


def test_it_matches_importance_sampling_of_the_exact_posterior_on_a_tiny_case(tiny):
    model, draws, log_w = tiny
    mode = model.params_
    w = np.exp(log_w - log_w.max())
    w /= w.sum()
    assert 1 / np.sum(w**2) > 500  # enough effective draws for the check to mean something
    i = model._post.channel_slices()[0].start  # log ROI
    exact_mean = float(w @ draws[:, i])
    exact_sd = float(np.sqrt(w @ (draws[:, i] - exact_mean) ** 2))
    laplace_sd = float(np.sqrt(model.covariance_[i, i]))
    # Measured: exact mean -0.21, sd 0.56; Laplace mode 0.02, sd 0.71. The posterior of a weak
    # channel's ROI is skewed: the mode sits ~0.4 sd above the mean and the Laplace interval is
    # ~25% wider than the exact one (conservative). The check pins that, with some slack.
    assert mode[i] == pytest.approx(exact_mean, abs=0.5 * exact_sd)
    assert laplace_sd == pytest.approx(exact_sd, rel=0.35)


def test_its_log_evidence_matches_the_importance_sampling_estimate(tiny):
    """log p(y) = log E_q[p(y, θ)/q(θ)], with the priors' normalising constants (the likelihood's
    −n/2 log 2π is left out of both). Measured: Laplace 78.90, importance sampling 78.96 (and
    78.83 vs 78.82 with a logistic curve)."""
    model, _, log_w = tiny
    _, sd = model._post.priors()
    constant = -float(np.log(sd).sum()) - len(sd) / 2 * math.log(2 * math.pi)
    estimate = float(logsumexp(log_w + constant) - math.log(len(log_w)))
    assert model.log_evidence_ == pytest.approx(estimate, abs=0.3)


@pytest.mark.slow
def test_it_covers_the_true_roi_at_about_the_stated_rate():
    hits = []
    for seed in range(8):
        spend, y, roi = synthetic(seed)
        results = MarketingMixModel(holdout_weeks=0, random_state=seed).fit(spend, y)
        for name, r in results.channel_results().items():
            hits.append(r["roi_low"] <= roi[name] <= r["roi_high"])
    # 16 intervals at 90%: fewer than 12 inside would happen with probability < 2%.
    assert sum(hits) >= 12, hits
