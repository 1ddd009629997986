"""Partial pooling of the channels' ROIs: channels without a stated prior share a learned level."""

import json
import math

import numpy as np
import pytest

from pilotage.models.mmm import MarketingMixModel
from pilotage.models.mmm._posterior import lognormal_from_interval, pooled_prior
from tests.models.mmm.conftest import synthetic

DEFAULT = (0.2, 8.0)


def test_each_pooled_channel_keeps_the_default_prior_and_borrows_from_the_others():
    (mean, pool_sd), spread = pooled_prior(*DEFAULT, 0.25)
    prior_mean, prior_sd = lognormal_from_interval(*DEFAULT)
    # drawn as the model states it: a shared level, then each channel around it
    rng = np.random.default_rng(0)
    level = rng.normal(mean, pool_sd, 200_000)
    rois = level[:, None] + rng.normal(0, spread, (200_000, 2))
    assert rois.mean(axis=0) == pytest.approx([prior_mean] * 2, abs=0.01)
    assert rois.std(axis=0) == pytest.approx([prior_sd] * 2, rel=0.01)
    assert np.corrcoef(rois.T)[0, 1] == pytest.approx(0.25, abs=0.01)
    # the 90% interval of one channel is still the stated default
    assert np.exp(np.quantile(rois[:, 0], [0.05, 0.95])) == pytest.approx(DEFAULT, rel=0.03)


def test_it_refuses_a_pooling_outside_0_to_1():
    spend, y, _ = synthetic(0, weeks=60)
    with pytest.raises(ValueError, match=r"roi_pooling must be in \[0, 1\)"):
        MarketingMixModel(holdout_weeks=0, roi_pooling=1.0).fit(spend, y)


def test_only_channels_without_a_stated_prior_share_the_level():
    spend, y, _ = synthetic(1, weeks=60)
    spend = {**spend, "radio": np.roll(spend["search"], 5) * 0.5}
    model = MarketingMixModel(holdout_weeks=0, n_draws=50, roi_priors={"tv": (1.0, 2.0)}).fit(
        spend, y
    )
    post = model._post
    assert post.pool is not None
    assert [c.pooled for c in post.channels] == [False, True, True]
    assert post.channels[0].roi_prior == lognormal_from_interval(1.0, 2.0)
    # the pooled channels' prior is centred on the learned level, which sits among their ROIs
    level = math.log(post.unpack(model.params_)["roi_pool"])
    logs = [model.params_[sl.start] for sl in post.channel_slices()[1:]]
    assert min(logs) - 0.5 < level < max(logs) + 0.5
    # with a single channel left on the default prior there is nothing to pool
    alone = MarketingMixModel(
        holdout_weeks=0, n_draws=50, roi_priors={"tv": (1.0, 2.0), "radio": (0.5, 1.5)}
    ).fit(spend, y)
    assert alone._post.pool is None
    assert len(alone.params_) == len(model.params_) - 1


def test_the_level_enters_the_posterior_only_through_the_pooled_priors():
    spend, y, _ = synthetic(2, weeks=60)
    model = MarketingMixModel(holdout_weeks=0, n_draws=50).fit(spend, y)
    post, z = model._post, model.params_.copy()
    (mean, pool_sd), spread = pooled_prior(*DEFAULT, model.roi_pooling)
    rois = [z[sl.start] for sl in post.channel_slices()]

    def prior(level: float) -> float:
        around = sum(((r - level) / spread) ** 2 for r in rois)
        return -0.5 * ((level - mean) / pool_sd) ** 2 - 0.5 * around

    position = post.n_linear + 1
    before = post.log_density(z)
    level = z[position]
    z[position] += 0.3
    assert post.log_density(z) - before == pytest.approx(prior(level + 0.3) - prior(level))


def test_a_model_saved_before_pooling_existed_loads_unpooled(tmp_path):
    spend, y, _ = synthetic(0, weeks=60)
    model = MarketingMixModel(holdout_weeks=0, n_draws=50, roi_pooling=0.0).fit(spend, y)
    path = tmp_path / "old.json"
    model.save(path)
    doc = json.loads(path.read_text())
    del doc["settings"]["roi_pooling"]  # what files written by earlier versions hold
    path.write_text(json.dumps(doc))
    loaded = MarketingMixModel.load(path)
    assert loaded.roi_pooling == 0.0 and loaded._post.pool is None
    allocation = model.current_allocation(4)
    assert loaded.outcome(allocation, 4) == pytest.approx(model.outcome(allocation, 4))
