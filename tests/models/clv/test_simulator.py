"""Recovery of the simulator's true BG/NBD and Gamma-Gamma parameters (Boutique Demo).

The simulator's time unit is the year (``ground_truth["customer_value"]["time_unit"]``): a
customer's purchase rate λ ~ Gamma(r, α) is per year, so a fit in days has α_days = 365.25 α.
Its order values are Gamma(p, ν) with ν ~ Gamma(q, γ): Gamma-Gamma's v is the truth's γ, and
the model's monetary value (mean of the repeat purchases) is what the simulator draws from.

Findings written into the tests below:

- With exact timestamps (years), the true r, α, a, b all lie in the 95% intervals.
- With the daily summary, purchases on the same day count once (lifetimes' convention), which
  drops ~1% of repeat purchases and biases α up by ~3% (0.518 for 0.5): outside its tight 95%
  interval (70,678 customers), so α is checked within 5% there.
- Gamma-Gamma: seed 42 draws an unusual sample (p 5.61, q 4.11, v 44.7 for 6, 4 and 40: 2.9,
  2.4 and 3.3 standard errors off; its repeat orders average 80.6 € for a true mean of 80);
  seeds 1–4 cover the truth at 95% (seed 1 is checked). Synthetic values drawn for seed 42's
  customers recover the truth, so this is sampling, not a convention difference; on seed 42
  the mean order value p·v/(q−1) is checked within 1%.
"""

import numpy as np
import pytest

from pilotage.models.clv import BetaGeo, GammaGamma, bootstrap_clv, summarize_orders
from pilotage.simulate import BOUTIQUE, simulate

pytestmark = pytest.mark.slow

DAYS_PER_YEAR = 365.25
END = "2026-09-30"


@pytest.fixture(scope="module")
def market():
    return simulate(BOUTIQUE, seed=42)


def _exact_summary(orders):
    """frequency, recency and T in years from the exact order times (no periods)."""
    ids = np.asarray(orders["customer_id"].to_numpy(zero_copy_only=False))
    micros = orders["ordered_at"].to_numpy().astype("datetime64[us]").astype(np.int64)
    years = micros / 86_400e6 / DAYS_PER_YEAR
    end = np.datetime64("2026-10-01", "us").astype(np.int64) / 86_400e6 / DAYS_PER_YEAR
    _, code = np.unique(ids, return_inverse=True)
    first = np.full(code.max() + 1, np.inf)
    last = np.full(code.max() + 1, -np.inf)
    np.minimum.at(first, code, years)
    np.maximum.at(last, code, years)
    return np.bincount(code) - 1.0, last - first, end - first


def test_bgnbd_recovers_the_truth_in_continuous_time(market):
    truth = market.ground_truth["customer_value"]
    assert truth["time_unit"] == "year"
    model = BetaGeo().fit(*_exact_summary(market.tables["orders"]))
    for name in ("r", "alpha", "a", "b"):
        low, high = model.confidence_intervals_[name]
        assert low < truth[name] < high, (name, low, high)


def test_bgnbd_on_the_daily_summary_within_the_discretisation_bias(market):
    truth = market.ground_truth["customer_value"]
    summary = summarize_orders(market.tables["orders"], freq="D", observation_end=END)
    assert len(summary) == 70_678
    model = BetaGeo().fit(summary.frequency, summary.recency, summary.T)
    for name in ("r", "a", "b"):
        low, high = model.confidence_intervals_[name]
        assert low < truth[name] < high, (name, low, high)
    assert model.params_["alpha"] / DAYS_PER_YEAR == pytest.approx(truth["alpha"], rel=0.05)


def test_gamma_gamma_recovers_the_mean_order_value(market):
    truth = market.ground_truth["customer_value"]
    summary = summarize_orders(market.tables["orders"], freq="D", observation_end=END)
    result = bootstrap_clv(summary, n_boot=20, level=0.95, per_customer=False, random_state=1)
    draws = result.draws
    mean_value = draws["p"] * draws["v"] / (draws["q"] - 1)
    # this sample's repeat orders average 80.6 €: the estimate follows the data, not the truth
    repeat = summary.frequency > 0
    sample_mean = np.average(summary.monetary_value[repeat], weights=summary.frequency[repeat])
    assert np.median(mean_value) == pytest.approx(sample_mean, rel=0.01)
    assert np.median(mean_value) == pytest.approx(truth["mean_order_value"], rel=0.01)


def test_gamma_gamma_covers_the_truth_on_another_seed():
    market = simulate(BOUTIQUE, seed=1)
    truth = market.ground_truth["customer_value"]
    summary = summarize_orders(market.tables["orders"], freq="D", observation_end=END)
    model = GammaGamma().fit(summary.frequency, summary.monetary_value)
    for name, true in (("p", truth["p"]), ("q", truth["q"]), ("v", truth["gamma"])):
        low, high = model.confidence_intervals_[name]
        assert low < true < high, (name, low, high)
