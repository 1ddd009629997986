"""The reference sampler against distributions whose moments are known."""

import numpy as np
import pytest
from scipy import stats

from pilotage.models.mmm.mcmc import sample


def test_it_recovers_a_correlated_gaussian_from_a_wrong_proposal_shape():
    mean = np.array([1.0, -2.0, 0.5])
    cov = np.array([[1.0, 0.8, 0.0], [0.8, 1.0, 0.2], [0.0, 0.2, 0.25]])
    target = stats.multivariate_normal(mean, cov)
    chains = sample(target.logpdf, mean, np.eye(3), draws=2000, thin=10, warmup=10_000, seed=1)
    pooled = chains.pooled
    assert pooled.mean(axis=0) == pytest.approx(mean, abs=0.1)
    assert np.cov(pooled.T) == pytest.approx(cov, abs=0.12)
    assert np.all(chains.r_hat() < 1.05)
    assert np.all(chains.ess() > 300)
    assert np.all((chains.acceptance > 0.15) & (chains.acceptance < 0.5))


def test_it_follows_a_skewed_target_that_a_gaussian_around_the_mode_misses():
    # log X ~ N(0, 1) sampled in x > 0 through z = log x: the density of z is Gaussian,
    # but ask for X's: mode exp(-1), mean exp(0.5), median 1
    def log_density(z):
        return float(stats.norm.logpdf(z[0]))

    chains = sample(log_density, np.array([0.0]), np.eye(1), draws=3000, thin=10, seed=2)
    x = np.exp(chains.pooled[:, 0])
    assert np.median(x) == pytest.approx(1.0, rel=0.1)
    assert x.mean() == pytest.approx(np.exp(0.5), rel=0.12)
    assert np.quantile(x, 0.95) == pytest.approx(np.exp(1.6449), rel=0.15)
