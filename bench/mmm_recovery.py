"""MMM recovery study: on 32 simulated markets (``mmm_markets``: both demo companies × demo or
re-planned budgets × demo or flighted patterns × demo or noisy demand × 2 seeds), how close the
fitted ROI comes to the true ROI (absolute percentage error per channel), how often the 90%
interval holds the truth (coverage), convergence and fit time — overall and per level of each
axis, so it shows which data the model can read and which it cannot. Each market is fitted
twice: on its data alone, and **calibrated** with one lift test per channel that is not
event-driven (``mmm_markets.lift_tests``: +30% for four weeks, true effect ± 25% standard
error). The baseline of the timing is the simulator's own run time for the same markets,
measured in the same run.

The share of the oracle's achievable uplift captured is ``allocation_capture``; PyMC-Marketing
on the same markets is ``mmm_peer`` (``make bench-pymc``).
"""

from __future__ import annotations

import time

import numpy as np
from mmm_markets import AXES, lift_tests, market, scenarios

from pilotage.models.mmm import MarketingMixModel


def _summary(rows: list[dict], key: str = "channels") -> dict:
    errors = [c["ape"] for r in rows for c in r[key]]
    errors_mode = [c["ape_mode"] for r in rows for c in r[key]]
    inside = [c["inside"] for r in rows for c in r[key]]
    weak = [c["ape"] for r in rows for c in r[key] if c["weakly_identified"]]
    others = [c["ape"] for r in rows for c in r[key] if not c["weakly_identified"]]
    return {
        # channels the fit flags as barely informed by the data (diagnostics()), and the rest
        "weakly_identified": len(weak),
        "roi_mape_weakly_identified": float(np.mean(weak)) if weak else None,
        "roi_mape_others": float(np.mean(others)) if others else None,
        "markets": len(rows),
        "roi_mape": float(np.mean(errors)),
        "roi_median_ape": float(np.median(errors)),
        "roi_mape_of_posterior_mode": float(np.mean(errors_mode)),
        "coverage_90": float(np.mean(inside)),
        "converged": sum(
            r["converged" if key == "channels" else "calibrated_converged"] for r in rows
        ),
    }


def _score(model: MarketingMixModel, truth: dict) -> list[dict]:
    rows = []
    vague = {c["channel"] for c in model.diagnostics()["weakly_identified"]}
    for name, r in model.channel_results().items():
        true = truth[name]["roi"]
        rows.append(
            {
                "channel": name,
                "true_roi": true,
                "roi": r["roi"],
                "roi_mode": r["roi_mode"],
                "roi_low": r["roi_low"],
                "roi_high": r["roi_high"],
                "ape": abs(r["roi"] - true) / true,
                "ape_mode": abs(r["roi_mode"] - true) / true,
                "inside": bool(r["roi_low"] <= true <= r["roi_high"]),
                "weakly_identified": name in vague,
            }
        )
    return rows


def mmm_recovery() -> dict:
    fit_s, simulate_s = 0.0, 0.0
    markets = []
    for scenario in scenarios():
        start = time.perf_counter()
        simulated, spend, y, dates = market(scenario)
        simulate_s += time.perf_counter() - start
        truth = simulated.ground_truth
        start = time.perf_counter()
        model = MarketingMixModel(holdout_weeks=0, **scenario.model_forms()).fit(
            spend, y, dates=dates
        )
        fit_s += time.perf_counter() - start
        tests = lift_tests(scenario, truth, spend)
        calibrated = MarketingMixModel(
            holdout_weeks=0, lift_tests=tests, **scenario.model_forms()
        ).fit(spend, y, dates=dates)
        channels = _score(model, truth["channels"])
        markets.append(
            scenario.as_dict()
            | {
                "converged": bool(model.converged_),
                "roi_mape": float(np.mean([c["ape"] for c in channels])),
                "channels": channels,
                "lift_tests": len(tests),
                "calibrated_converged": bool(calibrated.converged_),
                "calibrated": _score(calibrated, truth["channels"]),
            }
        )
    by_axis = {
        axis: {level: _summary([m for m in markets if m[axis] == level]) for level in levels}
        for axis, levels in AXES.items()
    }
    by_company = {
        company: _summary([m for m in markets if m["company"] == company])
        for company in sorted({m["company"] for m in markets})
    }
    return {
        "name": "mmm_recovery",
        "what": " ".join((__doc__ or "").split()),
        **_summary(markets),
        "channels": sum(len(m["channels"]) for m in markets),
        "by_axis": by_axis,
        "by_company": by_company,
        "calibrated": _summary(markets, "calibrated"),
        "fit_s_per_market": fit_s / len(markets),
        "baseline_s": simulate_s,
        "candidate_s": fit_s,
        "ratio": fit_s / simulate_s,
        "per_market": markets,
        "targets": {"roi_mape_at_most": 0.2, "coverage_between": [0.85, 0.95]},
    }


def describe(result: dict) -> str:
    levels = "; ".join(
        f"{axis} {level}: MAPE {s['roi_mape']:.0%}, coverage {s['coverage_90']:.0%}"
        for axis, by_level in result["by_axis"].items()
        for level, s in by_level.items()
    )
    return (
        f"mmm_recovery: {result['markets']} markets, {result['channels']} channels: ROI MAPE "
        f"{result['roi_mape']:.0%} (median {result['roi_median_ape']:.0%}), 90% coverage "
        f"{result['coverage_90']:.0%}, {result['converged']}/{result['markets']} converged, "
        f"{result['fit_s_per_market']:.1f} s per fit ({result['ratio']:.2f}× the simulation "
        f"time). Calibrated with lift tests: MAPE {result['calibrated']['roi_mape']:.0%}, "
        f"coverage {result['calibrated']['coverage_90']:.0%}. Barely informed by the data "
        f"(weakly_identified): {result['weakly_identified']} channels, MAPE "
        f"{result['roi_mape_weakly_identified'] or 0:.0%} vs {result['roi_mape_others']:.0%} "
        f"for the others. By axis — {levels}"
    )
