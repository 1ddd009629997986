"""The Laplace approximation checked against the exact posterior and against known truth."""

import numpy as np
import pytest
from scipy import stats

from pilotage.models.mmm import MarketingMixModel
from tests.models.mmm.conftest import synthetic


def test_it_matches_importance_sampling_of_the_exact_posterior_on_a_tiny_case():
    spend, y, _ = synthetic(3, weeks=52, noise=0.08)
    model = MarketingMixModel(holdout_weeks=0, fourier_order=1).fit({"tv": spend["tv"]}, y)
    rng = np.random.default_rng(0)
    mode, cov = model.params_, model.covariance_ * 1.2**2
    proposal = stats.multivariate_t(mode, cov, df=5)
    draws = proposal.rvs(20_000, random_state=rng)
    log_w = np.array([model._post.log_density(z) for z in draws]) - proposal.logpdf(draws)
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
