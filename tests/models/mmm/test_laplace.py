"""The Laplace approximation checked against the exact posterior and against known truth."""

import math

import numpy as np
import pytest
from scipy import stats
from scipy.special import logsumexp

from pilotage.models.mmm import MarketingMixModel
from pilotage.models.mmm.mcmc import sample
from tests.models.mmm.conftest import synthetic


@pytest.fixture(scope="module")
def tiny():
    """One channel, 52 weeks, 9 parameters, and its exact posterior two ways: Metropolis chains
    (``mcmc.sample``), and 20,000 importance draws from a multivariate t with the chains' mean
    and covariance (a proposal that covers the tails: one built around the Laplace Gaussian
    instead, as this check first did, misses the left tail of the weak channel's log ROI and
    reported a mean of −0.21 and an sd of 0.56 where both exact methods give −0.34 and 0.78)."""
    spend, y, _ = synthetic(3, weeks=52, noise=0.08)
    model = MarketingMixModel(holdout_weeks=0, fourier_order=1).fit({"tv": spend["tv"]}, y)
    chains = sample(model._post.log_density, model.params_, model.covariance_, thin=20, seed=3)
    rng = np.random.default_rng(0)
    centre, spread = chains.pooled.mean(axis=0), np.cov(chains.pooled.T)
    proposal = stats.multivariate_t(centre, spread * 1.3**2, df=4)
    draws = proposal.rvs(20_000, random_state=rng)
    log_w = np.array([model._post.log_density(z) for z in draws]) - proposal.logpdf(draws)
    return model, chains, draws, log_w


def _weighted(draws, log_w, i):
    w = np.exp(log_w - log_w.max())
    w /= w.sum()
    mean = float(w @ draws[:, i])
    return mean, float(np.sqrt(w @ (draws[:, i] - mean) ** 2)), float(1 / np.sum(w**2))


def test_the_two_exact_methods_agree_on_the_tiny_case(tiny):
    model, chains, draws, log_w = tiny
    i = model._post.channel_slices()[0].start  # log ROI
    is_mean, is_sd, ess = _weighted(draws, log_w, i)
    assert ess > 1000 and np.all(chains.r_hat() < 1.05) and chains.ess()[i] > 400
    x = chains.pooled[:, i]
    assert x.mean() == pytest.approx(is_mean, abs=0.15 * is_sd)
    assert x.std() == pytest.approx(is_sd, rel=0.1)


def test_laplace_against_the_exact_posterior_on_the_tiny_case(tiny):
    """Measured: exact log ROI mean −0.34, sd 0.78 (90%: −1.73 to 0.83); Laplace mode 0.02,
    sd 0.70. The weak channel's posterior is skewed: the mode sits ~0.4 sd above the mean, and
    the Laplace sd is ~10% narrower than the exact one. log σ's mode sits ~0.6 sd below its mean
    (the mode ignores the degrees of freedom the fit uses); the baseline's and the curve's
    parameters agree within 0.2 sd, their sds within 6%. The check pins that, with slack."""
    model, _, draws, log_w = tiny
    i = model._post.channel_slices()[0].start
    exact_mean, exact_sd, _ = _weighted(draws, log_w, i)
    laplace_sd = float(np.sqrt(model.covariance_[i, i]))
    assert 0.2 * exact_sd < model.params_[i] - exact_mean < 0.7 * exact_sd
    assert laplace_sd == pytest.approx(exact_sd, rel=0.2)
    log_sigma = model._post.n_linear
    mean, sd, _ = _weighted(draws, log_w, log_sigma)
    assert -0.9 * sd < model.params_[log_sigma] - mean < -0.3 * sd
    for j in set(range(len(model.params_))) - {i, log_sigma}:
        mean, sd, _ = _weighted(draws, log_w, j)
        assert model.params_[j] == pytest.approx(mean, abs=0.35 * sd), j
        assert np.sqrt(model.covariance_[j, j]) == pytest.approx(sd, rel=0.15), j


def test_its_log_evidence_matches_the_importance_sampling_estimate(tiny):
    """log p(y) = log E_q[p(y, θ)/q(θ)], with the priors' normalising constants (the likelihood's
    −n/2 log 2π is left out of both). Measured: Laplace 78.90, importance sampling 79.1 (the
    exact posterior's heavier tail holds a little more mass than the Gaussian's)."""
    model, _, _, log_w = tiny
    _, sd = model._post.priors()
    constant = -float(np.log(sd).sum()) - len(sd) / 2 * math.log(2 * math.pi)
    estimate = float(logsumexp(log_w + constant) - math.log(len(log_w)))
    assert model.log_evidence_ == pytest.approx(estimate, abs=0.4)


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
