"""The Laplace approximation against the exact posterior on realistic markets.

On four markets of ``mmm_markets`` (each demo company with its demo budgets, and with
re-planned, flighted budgets; seed 1 — the markets ``mmm_peer`` uses by default), the model's
posterior is also sampled exactly by the reference sampler (``pilotage.models.mmm.mcmc``:
adaptive random-walk Metropolis, 2 chains) and the channel ROIs compared: posterior mean and
90% interval from Laplace's draws against those of the chains, and both against the
simulator's true ROI (absolute percentage error, coverage). The baseline of the timing is the
Laplace fit; the candidate, the chains — the ratio says what exactness would cost. About ten
minutes on 2 cores: run it by name (``python bench/run.py mmm_laplace_check``).
"""

from __future__ import annotations

import time

import numpy as np
from mmm_markets import Scenario, market

from pilotage.models.mmm import MarketingMixModel
from pilotage.models.mmm.mcmc import sample

MARKETS = [
    Scenario(company, collinearity, flighting, "demo", 1)
    for company in ("boutique", "industrie")
    for collinearity, flighting in (("demo", "demo"), ("replanned", "flighted"))
]
DRAWS, THIN, WARMUP = 1000, 250, 50_000


def _one(scenario: Scenario) -> dict:
    simulated, spend, y, dates = market(scenario)
    truth = simulated.ground_truth["channels"]
    start = time.perf_counter()
    model = MarketingMixModel(holdout_weeks=0, **scenario.model_forms()).fit(spend, y, dates=dates)
    laplace_s = time.perf_counter() - start
    start = time.perf_counter()
    post = model._post
    chains = sample(
        post.log_density, model.params_, model.covariance_, draws=DRAWS, thin=THIN, warmup=WARMUP
    )
    mcmc_s = time.perf_counter() - start
    positions = [sl.start for sl in post.channel_slices()]  # log ROI of each channel
    rois = np.exp(chains.pooled[:, positions])
    laplace = model.channel_results()
    channels = []
    for j, name in enumerate(model.channels):
        exact = rois[:, j]
        low, high = np.quantile(exact, [0.05, 0.95])
        true = truth[name]["roi"]
        r = laplace[name]
        channels.append(
            {
                "channel": name,
                "true_roi": true,
                "laplace": {"roi": r["roi"], "low": r["roi_low"], "high": r["roi_high"]},
                "mcmc": {"roi": float(exact.mean()), "low": float(low), "high": float(high)},
                "width_ratio": (r["roi_high"] - r["roi_low"]) / float(high - low),
                "mean_shift_in_sd": (r["roi"] - float(exact.mean())) / float(exact.std()),
                "ape": {
                    "laplace": abs(r["roi"] - true) / true,
                    "mcmc": abs(float(exact.mean()) - true) / true,
                },
                "inside": {
                    "laplace": bool(r["roi_low"] <= true <= r["roi_high"]),
                    "mcmc": bool(low <= true <= high),
                },
            }
        )
    return scenario.as_dict() | {
        "laplace_s": laplace_s,
        "mcmc_s": mcmc_s,
        "r_hat_max": float(chains.r_hat().max()),
        "ess_min_log_roi": float(chains.ess()[positions].min()),
        "acceptance": chains.acceptance.tolist(),
        "channels": channels,
    }


def mmm_laplace_check() -> dict:
    rows = [_one(s) for s in MARKETS]
    channels = [c for r in rows for c in r["channels"]]

    def mean(path: tuple[str, str]) -> float:
        return float(np.mean([c[path[0]][path[1]] for c in channels]))

    laplace_s = sum(r["laplace_s"] for r in rows)
    mcmc_s = sum(r["mcmc_s"] for r in rows)
    return {
        "name": "mmm_laplace_check",
        "what": " ".join((__doc__ or "").split()),
        "markets": len(rows),
        "channels": len(channels),
        "roi_mape": {"laplace": mean(("ape", "laplace")), "mcmc": mean(("ape", "mcmc"))},
        "coverage_90": {"laplace": mean(("inside", "laplace")), "mcmc": mean(("inside", "mcmc"))},
        "interval_width_ratio_median": float(np.median([c["width_ratio"] for c in channels])),
        "mean_shift_in_sd_median": float(np.median([c["mean_shift_in_sd"] for c in channels])),
        "r_hat_max": max(r["r_hat_max"] for r in rows),
        "ess_min_log_roi": min(r["ess_min_log_roi"] for r in rows),
        "baseline_s": laplace_s,
        "candidate_s": mcmc_s,
        "ratio": mcmc_s / laplace_s,
        "per_market": rows,
    }


def describe(result: dict) -> str:
    return (
        f"mmm_laplace_check: {result['markets']} markets, {result['channels']} channels; ROI "
        f"MAPE Laplace {result['roi_mape']['laplace']:.0%} vs exact posterior "
        f"{result['roi_mape']['mcmc']:.0%}; 90% coverage {result['coverage_90']['laplace']:.0%} "
        f"vs {result['coverage_90']['mcmc']:.0%}; Laplace intervals "
        f"{result['interval_width_ratio_median']:.2f}× the exact width (median), means "
        f"{result['mean_shift_in_sd_median']:+.2f} sd off; chains R̂ ≤ {result['r_hat_max']:.2f}, "
        f"ESS ≥ {result['ess_min_log_roi']:.0f}; sampling cost {result['ratio']:.0f}× the fit"
    )
