"""What the data of the study markets can tell at best: the information bound of an ROI.

On the 32 markets of ``mmm_markets``, a regression that is **told the true response curves**
(each channel's daily adstock and saturation from ``ground_truth.json``, applied to its daily
spend and summed by week) and only has to learn how much of each curve is in the outcome,
beside the model's own baseline (intercept, trend, yearly Fourier terms): ordinary least
squares of the weekly outcome on those columns. Each channel's coefficient is 1 in truth, so
its standard error is the relative error of the ROI that the data leave even to an estimator
that knows everything but the scales — approximately the best an unbiased estimate can do (the
Cramér–Rao bound under the additive baseline and Gaussian noise it assumes; the simulator's
baseline is multiplicative and its noise counts). A biased estimator does better only with
knowledge that is not in the data (a prior, a lift test) that happens to be right.

Reported beside it, in the same run: the fitted model's ROI error and 90% coverage in bands of
that bound (where the data pin a return to ±10%, ±20%, …), and the share of the oracle's
achievable uplift (``allocation_capture``'s judge) captured by the plan of the informed
regression — the optimum of the true curves at the estimated scales, negative ones at zero —
against the model's cautious plan (the scenario planner's opening). The baseline of the timing
is the regressions, the candidate the model's fits.
"""

from __future__ import annotations

import copy
import math
import time

import numpy as np
from allocation_capture import VARIANTS, _recommend, oracle
from mmm_markets import WEEKS, market, scenarios, true_value
from tests.models.mmm.conftest import true_contributions

from pilotage.models.mmm import MarketingMixModel

# bands of the bound (relative standard error of an ROI) the model's error is reported in
BANDS = ((0.0, 0.1), (0.1, 0.2), (0.2, 0.4), (0.4, 1.0), (1.0, math.inf))
E_ABS_NORMAL = math.sqrt(2 / math.pi)  # E|Z| of a standard normal: expected APE per unit of sd


def informed_regression(baseline: np.ndarray, columns: np.ndarray, y: np.ndarray) -> tuple:
    """OLS of ``y`` on the baseline design and the true contribution columns.

    Returns the columns' coefficients and their standard errors (σ² (XᵀX)⁻¹, σ² from the
    residuals).
    """
    design = np.column_stack([baseline, columns])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    sigma2 = float(resid @ resid) / (len(y) - design.shape[1])
    cov = sigma2 * np.linalg.inv(design.T @ design)
    k = baseline.shape[1]
    return coef[k:], np.sqrt(np.diag(cov)[k:])


def _judged(truth: dict, allocation: dict, now: float, achievable: float) -> dict:
    """The plan's true uplift over current and its share of the oracle's (None when there is
    next to nothing to gain)."""
    got = true_value(truth, allocation)
    share = (got - now) / achievable if achievable > 1e-3 * now else None
    return {"uplift": got / now - 1, "capture": share}


def mmm_information_bound() -> dict:
    markets, ols_s, fit_s = [], 0.0, 0.0
    for scenario in scenarios():
        simulated, spend, y, dates = market(scenario)
        truth = simulated.ground_truth
        start = time.perf_counter()
        model = MarketingMixModel(holdout_weeks=0, **scenario.model_forms()).fit(
            spend, y, dates=dates
        )
        current = model.current_allocation(WEEKS)
        cautious = _recommend(model, sum(current.values()), current, VARIANTS["cautious"])
        fit_s += time.perf_counter() - start
        start = time.perf_counter()
        weeks = len(y)
        daily = true_contributions(simulated)
        columns = np.column_stack(
            [daily[c][: weeks * 7].reshape(weeks, 7).sum(axis=1) for c in model.channels]
        )
        # the design the model's baseline was fitted with (intercept, trend, Fourier terms)
        coef, se = informed_regression(model._post.baseline, columns, np.asarray(y, float))
        ols_s += time.perf_counter() - start
        scaled = copy.deepcopy(truth)
        for name, b in zip(model.channels, coef, strict=True):
            scaled["channels"][name]["beta_units_per_day"] *= max(float(b), 0.0)
        total = sum(current.values())
        informed_plan = oracle(scaled, list(current), total)
        now = true_value(truth, current)
        achievable = true_value(truth, oracle(truth, list(current), total)) - now
        results = model.channel_results()
        channels = []
        for name, b, s in zip(model.channels, coef, se, strict=True):
            true_roi, r = truth["channels"][name]["roi"], results[name]
            channels.append(
                {
                    "channel": name,
                    "bound_relative_se": float(s),
                    "informed_ape": abs(float(b) - 1),
                    "model_ape": abs(r["roi"] - true_roi) / true_roi,
                    "model_inside_90": bool(r["roi_low"] <= true_roi <= r["roi_high"]),
                }
            )
        markets.append(
            scenario.as_dict()
            | {
                "channels": channels,
                "achievable_uplift": achievable / now,
                "informed": _judged(truth, informed_plan, now, achievable),
                "model_cautious": _judged(truth, cautious, now, achievable),
            }
        )
    rows = [c for m in markets for c in m["channels"]]
    se = np.array([c["bound_relative_se"] for c in rows])
    bands = []
    for low, high in BANDS:
        inside = [c for c in rows if low <= c["bound_relative_se"] < high]
        bands.append(
            {
                "bound_from": low,
                "bound_to": high if math.isfinite(high) else None,
                "channels": len(inside),
                "model_roi_mape": _mean([c["model_ape"] for c in inside]),
                "model_coverage_90": _mean([float(c["model_inside_90"]) for c in inside]),
                "informed_roi_mape": _mean([c["informed_ape"] for c in inside]),
            }
        )
    return {
        "name": "mmm_information_bound",
        "what": " ".join((__doc__ or "").split()),
        "markets": len(markets),
        "channels": len(rows),
        # the expected absolute error of an unbiased estimate at the bound, and what the
        # informed regression made on these draws
        "bound_expected_ape": float(np.mean(E_ABS_NORMAL * se)),
        "informed_roi_mape": float(np.mean([c["informed_ape"] for c in rows])),
        "bound_median_relative_se": float(np.median(se)),
        "share_within_20pct": float(np.mean(se < 0.2)),
        "model_roi_mape": float(np.mean([c["model_ape"] for c in rows])),
        "model_roi_mape_within_20pct": _mean(
            [c["model_ape"] for c in rows if c["bound_relative_se"] < 0.2]
        ),
        "bands": bands,
        "informed_plan": _plans(markets, "informed"),
        "model_cautious_plan": _plans(markets, "model_cautious"),
        "baseline_s": ols_s,
        "candidate_s": fit_s,
        "ratio": fit_s / ols_s,
        "per_market": markets,
    }


def _plans(markets: list[dict], key: str) -> dict:
    captures = [m[key]["capture"] for m in markets if m[key]["capture"] is not None]
    return {
        "capture_median": float(np.median(captures)),
        # rounding a kept split to cents moves its true value by ~1e-9: not a loss
        "worse_by_over_0_1pct": sum(m[key]["uplift"] < -0.001 for m in markets),
        "true_uplift_min": min(m[key]["uplift"] for m in markets),
    }


def _mean(values: list[float]) -> float | None:
    return float(np.mean(values)) if values else None


def _upper(bound: float | None) -> str:
    return "" if bound is None else f"{bound:.0%}"


def describe(result: dict) -> str:
    bands = "; ".join(
        f"bound {b['bound_from']:.0%}–{_upper(b['bound_to'])}: "
        f"{b['channels']} channels, model MAPE {b['model_roi_mape']:.0%}, coverage "
        f"{b['model_coverage_90']:.0%}"
        for b in result["bands"]
        if b["channels"]
    )
    return (
        f"mmm_information_bound: {result['markets']} markets, {result['channels']} channel ROIs. "
        f"Told the true curves, an unbiased estimate's expected error is "
        f"{result['bound_expected_ape']:.0%} (made {result['informed_roi_mape']:.0%}); the data "
        f"pin {result['share_within_20pct']:.0%} of the returns to ±20%. Model MAPE "
        f"{result['model_roi_mape']:.0%} overall, {result['model_roi_mape_within_20pct']:.0%} "
        f"where the data pin the return to ±20%. By band — {bands}. Capture of the achievable "
        f"uplift: {_plan(result['informed_plan'])} for the plan of the true curves at the "
        f"scales the data give; {_plan(result['model_cautious_plan'])} for the model's "
        "cautious plan"
    )


def _plan(summary: dict) -> str:
    return (
        f"median {summary['capture_median']:.0%}, worse than current by over 0.1% on "
        f"{summary['worse_by_over_0_1pct']} (worst {summary['true_uplift_min']:+.1%})"
    )
