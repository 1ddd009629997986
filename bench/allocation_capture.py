"""Oracle capture: how much of the achievable uplift the MMM + optimiser recommendation gets.

On the 32 simulated markets of ``mmm_markets`` (both demo companies × demo or re-planned budgets
× demo or flighted patterns × demo or noisy demand × 2 seeds), the model is fitted, then the
optimiser (``pilotage.allocation.optimize``) splits the current total over the next 13 weeks
under several settings (``VARIANTS``), and again on the model calibrated with one lift test per
channel that is not event-driven (``CALIBRATED``).
The **truth** judges the allocations: the simulator's own response of each channel
(``ground_truth.json``: daily adstock, saturation and scale β), at the steady weekly pace the
optimiser assumes — an allocation ``x_c`` over ``W`` weeks is a daily spend ``s_c = x_c / 7W``,
whose steady adstock is ``s_c`` (the carry-over weights sum to 1), worth
``7W · β_c · sat_c(s_c) · value per unit``. The **oracle** maximises that truth under the same
total, by dynamic programming on a grid of 1/400 of the total (no concavity assumed: the
simulator's Hill curves may be S-shaped). Capture = (truth(recommended) − truth(current)) /
(truth(oracle) − truth(current)). The baseline of the timing is the oracle's own search.
"""

from __future__ import annotations

import time

import numpy as np
from mmm_markets import AXES, WEEKS, lift_tests, market, scenarios, true_value

from pilotage.allocation import optimize
from pilotage.models.mmm import MarketingMixModel

GRID = 400
# the optimiser's settings compared: the expected outcome (over the posterior draws), the
# outcome at the posterior mode (plugging in the most likely parameters, as before
# 2026-11-27), the 10% quantile of the outcome, the 90% confidence rule, a 30% ramp limit,
# both (the scenario planner's opening until 2026-11-27), and the 10% quantile of the gain over
# the current split, draw by draw (``cautious``: the planner's opening since); and those two
# with the extrapolation cap (``guard="cap"``, 1.5 × the highest weekly spend seen); the
# cautious plan at the 5% and 20% quantiles too (how much the 10% default matters)
VARIANTS = {
    "mean": {},
    "mode": {"at_mode": True},
    "outcome_q10": {"objective": "quantile", "quantile": 0.1},
    "confident_90": {"confidence": 0.9},
    "ramp_30": {"max_change": 0.3},
    "ramp_30_confident_90": {"max_change": 0.3, "confidence": 0.9},
    "cautious": {"objective": "uplift_quantile", "quantile": 0.1},
    "cautious_ramp_30": {"objective": "uplift_quantile", "quantile": 0.1, "max_change": 0.3},
    "cautious_q05": {"objective": "uplift_quantile", "quantile": 0.05},
    "cautious_q20": {"objective": "uplift_quantile", "quantile": 0.2},
    "mean_cap": {"guard": "cap"},
    "cautious_cap": {"objective": "uplift_quantile", "quantile": 0.1, "guard": "cap"},
}
# settings run on the model calibrated with one lift test per channel that is not
# event-driven (``mmm_markets.lift_tests``): what running experiments is worth to the decision
CALIBRATED = {
    "calibrated_mean": "mean",
    "calibrated_ramp_30_confident_90": "ramp_30_confident_90",
    "calibrated_cautious": "cautious",
    "calibrated_mean_cap": "mean_cap",
    "calibrated_cautious_cap": "cautious_cap",
}


class AtMode:
    """The model's response interface, with the outcome at the posterior mode."""

    def __init__(self, model: MarketingMixModel) -> None:
        self.model = model
        self.channels = model.channels
        self.outcome = model.outcome_at_mode
        self.outcome_draws = model.outcome_draws
        self.spend_range = model.spend_range
        self.current_allocation = model.current_allocation


def _recommend(model: MarketingMixModel, total: float, current: dict, settings: dict) -> dict:
    settings = dict(settings)
    view = AtMode(model) if settings.pop("at_mode", False) else model
    return optimize(view, total, WEEKS, current=current, **settings).allocation


def oracle(truth: dict, channels: list[str], budget: float) -> dict[str, float]:
    """The split of ``budget`` with the highest true value, on a grid of ``budget / GRID``."""
    step = budget / GRID
    grid = np.arange(GRID + 1) * step
    # value[c][k]: channel c's true value at k grid steps
    values = [np.array([true_value(truth, {c: x}) for x in grid]) for c in channels]
    best = values[0].copy()  # best[k]: best value of the channels so far using k steps
    choices = []
    for v in values[1:]:
        # combined[k] = max_j best[k - j] + v[j]
        table = np.full((GRID + 1, GRID + 1), -np.inf)
        for j in range(GRID + 1):
            table[j:, j] = best[: GRID + 1 - j] + v[j]
        choices.append(np.argmax(table, axis=1))
        best = table.max(axis=1)
    split, k = {}, GRID
    for c, choice in zip(reversed(channels[1:]), reversed(choices), strict=True):
        j = int(choice[k])
        split[c] = j * step
        k -= j
    split[channels[0]] = k * step
    return split


def allocation_capture() -> dict:
    markets, oracle_s, model_s = [], 0.0, 0.0
    for scenario in scenarios():
        simulated, spend, y, dates = market(scenario)
        truth = simulated.ground_truth
        start = time.perf_counter()
        model = MarketingMixModel(holdout_weeks=0, **scenario.model_forms()).fit(
            spend, y, dates=dates
        )
        current = model.current_allocation(WEEKS)
        total = sum(current.values())
        recommended = {
            name: _recommend(model, total, current, settings) for name, settings in VARIANTS.items()
        }
        calibrated = MarketingMixModel(
            holdout_weeks=0, lift_tests=lift_tests(scenario, truth, spend), **scenario.model_forms()
        ).fit(spend, y, dates=dates)
        for name, plain in CALIBRATED.items():
            recommended[name] = _recommend(calibrated, total, current, VARIANTS[plain])
        model_s += time.perf_counter() - start
        start = time.perf_counter()
        best = oracle(truth, list(current), total)
        oracle_s += time.perf_counter() - start
        now, top = true_value(truth, current), true_value(truth, best)
        achievable = top - now
        row = scenario.as_dict() | {
            "converged": bool(model.converged_),
            "current": now,
            "oracle": top,
            "achievable_uplift": achievable / now,
        }
        for name, allocation in recommended.items():
            got = true_value(truth, allocation)
            row[f"{name}_uplift"] = got / now - 1
            row[f"{name}_capture"] = (got - now) / achievable if achievable > 1e-3 * now else None
        markets.append(row)
    names = [*VARIANTS, *CALIBRATED]
    summary = {name: _variant(markets, name) for name in names}
    by_axis = {
        axis: {
            level: {
                name: _variant([m for m in markets if m[axis] == level], name) for name in names
            }
            for level in levels
        }
        for axis, levels in AXES.items()
    }
    return {
        "name": "allocation_capture",
        "what": " ".join((__doc__ or "").split()),
        "markets": len(markets),
        "achievable_uplift_mean": float(np.mean([m["achievable_uplift"] for m in markets])),
        "variants": summary,
        "by_axis": by_axis,
        "baseline_s": oracle_s,
        "candidate_s": model_s,
        "ratio": model_s / oracle_s,
        "per_market": markets,
        "targets": {"capture_median_at_least": 0.9, "capture_never_below": 0.0},
    }


def _variant(markets: list[dict], name: str) -> dict:
    captures = [m[f"{name}_capture"] for m in markets if m[f"{name}_capture"] is not None]
    uplifts = [m[f"{name}_uplift"] for m in markets]
    return {
        "capture_median": float(np.median(captures)) if captures else None,
        "capture_mean": float(np.mean(captures)) if captures else None,
        "capture_min": float(np.min(captures)) if captures else None,
        "true_uplift_mean": float(np.mean(uplifts)),
        "worse_than_current": sum(u < 0 for u in uplifts),
        # rounding a kept current mix to whole cents moves its true value by ~1e-9: not a loss
        "worse_by_over_0_1pct": sum(u < -0.001 for u in uplifts),
        "true_uplift_min": float(np.min(uplifts)),
    }


def describe(result: dict) -> str:
    parts = [
        f"{name}: median capture {v['capture_median']:.0%}, true uplift "
        f"{v['true_uplift_mean']:+.1%}, worse than current by over 0.1% on "
        f"{v['worse_by_over_0_1pct']} (worst {v['true_uplift_min']:+.1%})"
        for name, v in result["variants"].items()
        if v["capture_median"] is not None
    ]
    return (
        f"allocation_capture: {result['markets']} markets, achievable uplift "
        f"{result['achievable_uplift_mean']:.1%} on average; " + "; ".join(parts)
    )
