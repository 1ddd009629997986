"""Bootstrap intervals: deterministic, around the point estimate, per customer and in total."""

import numpy as np
import pytest

from pilotage.models.clv import BetaGeo, bootstrap_clv, fit_clv, from_columns
from tests.models.clv.conftest import LIFETIMES_WARNINGS

pytestmark = LIFETIMES_WARNINGS


@pytest.fixture(scope="module")
def summary(cdnow):
    n = len(cdnow["frequency"])
    return from_columns(
        np.arange(n),
        cdnow["frequency"],
        cdnow["recency"],
        cdnow["T"],
        cdnow["monetary_value"],
        freq="W",
    )


def test_it_is_deterministic_and_brackets_the_point_estimates(summary):
    first = bootstrap_clv(summary, n_boot=40, horizon_months=12, random_state=7)
    again = bootstrap_clv(summary, n_boot=40, horizon_months=12, random_state=7)
    assert first.params == again.params and np.array_equal(first.clv_low, again.clv_low)
    assert first.failed == 0 and first.level == 0.9
    point = fit_clv(summary, horizon_months=12)
    for model in ("bgnbd", "gamma_gamma"):
        for name in ("r", "alpha", "a", "b") if model == "bgnbd" else ("p", "q", "v"):
            low, high = first.params[name]
            assert low < point[model][name] < high
    clv = np.array([c["clv"] for c in point["customers"]])
    assert first.clv_low is not None and first.clv_high is not None
    inside = (first.clv_low <= clv) & (clv <= first.clv_high)
    assert inside.mean() > 0.95
    assert first.total_clv is not None
    assert first.total_clv[0] < clv.sum() < first.total_clv[1]


def test_its_parameter_intervals_agree_with_the_hessian(summary):
    """90% percentile intervals against 90% Wald intervals of log θ: same width within 35%."""
    result = bootstrap_clv(summary, n_boot=60, per_customer=False, random_state=3)
    bg = BetaGeo().fit(summary.frequency, summary.recency, summary.T)
    for name in ("r", "alpha"):
        low, high = bg.confidence_intervals_[name]  # 95%
        wald_90 = (np.log(high) - np.log(low)) * 1.645 / 1.96
        boot = np.log(result.params[name][1]) - np.log(result.params[name][0])
        assert boot == pytest.approx(wald_90, rel=0.35)
