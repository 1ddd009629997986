"""MMM recovery study: on 20 simulated markets (both demo companies × 10 seeds: different
draws of noise, flighting and trade-show timing), how close the fitted ROI comes to the true
ROI (mean absolute percentage error over channels), how often the 90% interval holds the truth
(coverage), and the fit time. The baseline is the simulator's own run time for the same
markets, measured in the same run (ratios, not seconds, are comparable across machines).

The share of the oracle's achievable uplift the optimiser captures is ``allocation_capture``;
PyMC-Marketing on the same markets is not measured yet.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.models.mmm helpers

from tests.models.mmm.conftest import FORMS, weekly_aggregates  # noqa: E402

from pilotage.models.mmm import MarketingMixModel  # noqa: E402
from pilotage.simulate.companies import BOUTIQUE, INDUSTRIE  # noqa: E402
from pilotage.simulate.market import simulate  # noqa: E402

SEEDS = tuple(range(1, 11))


def mmm_recovery() -> dict:
    errors, inside, total = [], 0, 0
    fit_s, simulate_s = 0.0, 0.0
    markets = []
    for key, config in (("boutique", BOUTIQUE), ("industrie", INDUSTRIE)):
        for seed in SEEDS:
            start = time.perf_counter()
            market = simulate(config, seed)
            simulate_s += time.perf_counter() - start
            spend, y, dates = weekly_aggregates(market)
            start = time.perf_counter()
            model = MarketingMixModel(holdout_weeks=0, **FORMS[key]).fit(spend, y, dates=dates)
            fit_s += time.perf_counter() - start
            truth = market.ground_truth["channels"]
            market_errors = []
            for name, r in model.channel_results().items():
                true = truth[name]["roi"]
                market_errors.append(abs(r["roi"] - true) / true)
                inside += r["roi_low"] <= true <= r["roi_high"]
                total += 1
            errors.extend(market_errors)
            markets.append(
                {
                    "company": key,
                    "seed": seed,
                    "converged": bool(model.converged_),
                    "roi_mape": float(np.mean(market_errors)),
                }
            )
    return {
        "name": "mmm_recovery",
        "what": " ".join((__doc__ or "").split()),
        "markets": len(markets),
        "channels": total,
        "roi_mape": float(np.mean(errors)),
        "roi_median_ape": float(np.median(errors)),
        "coverage_90": inside / total,
        "converged": sum(m["converged"] for m in markets),
        "fit_s_per_market": fit_s / len(markets),
        "baseline_s": simulate_s,
        "candidate_s": fit_s,
        "ratio": fit_s / simulate_s,
        "per_market": markets,
        "targets": {"roi_mape_at_most": 0.2, "coverage_between": [0.85, 0.95]},
    }


def describe(result: dict) -> str:
    return (
        f"mmm_recovery: {result['markets']} markets, {result['channels']} channels: ROI MAPE "
        f"{result['roi_mape']:.0%} (median {result['roi_median_ape']:.0%}), 90% coverage "
        f"{result['coverage_90']:.0%}, {result['converged']}/{result['markets']} converged, "
        f"{result['fit_s_per_market']:.1f} s per fit ({result['ratio']:.2f}× the simulation time)"
    )
