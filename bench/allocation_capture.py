"""Oracle capture: how much of the achievable uplift the MMM + optimiser recommendation gets.

On simulated markets (both demo companies × seeds), the model is fitted on the data, then the
optimiser (``pilotage.allocation.optimize``) splits the current total over the next 13 weeks.
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

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.models.mmm helpers

from tests.models.mmm.conftest import FORMS, weekly_aggregates  # noqa: E402

from pilotage.allocation import optimize  # noqa: E402
from pilotage.models.mmm import MarketingMixModel  # noqa: E402
from pilotage.simulate.companies import BOUTIQUE, INDUSTRIE  # noqa: E402
from pilotage.simulate.market import simulate  # noqa: E402
from pilotage.simulate.media import saturate  # noqa: E402

SEEDS = (1, 2, 3, 4, 5)
WEEKS = 13
GRID = 400
# the optimiser's settings compared: expected outcome, cautious (10% quantile), 30% ramp limit
VARIANTS = {
    "mean": {},
    "cautious": {"objective": "quantile", "quantile": 0.1},
    "ramp_30": {"max_change": 0.3},
}


def true_value(truth: dict, allocation: dict[str, float], weeks: int = WEEKS) -> float:
    """The simulator's steady-state revenue of ``allocation`` (total spend per channel)."""
    value = truth["outcome"]["value_per_unit"]
    total = 0.0
    for channel, spend in allocation.items():
        t = truth["channels"][channel]
        daily = max(spend, 0.0) / (7 * weeks)
        sat = t["saturation"]
        response = float(saturate(np.array([daily]), sat["form"], **sat["params"])[0])
        total += 7 * weeks * t["beta_units_per_day"] * response * value
    return total


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
    for key, config in (("boutique", BOUTIQUE), ("industrie", INDUSTRIE)):
        for seed in SEEDS:
            market = simulate(config, seed)
            truth = market.ground_truth
            spend, y, dates = weekly_aggregates(market)
            start = time.perf_counter()
            model = MarketingMixModel(holdout_weeks=0, **FORMS[key]).fit(spend, y, dates=dates)
            current = model.current_allocation(WEEKS)
            total = sum(current.values())
            recommended = {
                name: optimize(model, total, WEEKS, current=current, **settings).allocation
                for name, settings in VARIANTS.items()
            }
            model_s += time.perf_counter() - start
            start = time.perf_counter()
            best = oracle(truth, list(current), total)
            oracle_s += time.perf_counter() - start
            now, top = true_value(truth, current), true_value(truth, best)
            achievable = top - now
            row = {
                "company": key,
                "seed": seed,
                "converged": bool(model.converged_),
                "current": now,
                "oracle": top,
                "achievable_uplift": achievable / now,
            }
            for name, allocation in recommended.items():
                got = true_value(truth, allocation)
                row[f"{name}_uplift"] = got / now - 1
                row[f"{name}_capture"] = (
                    (got - now) / achievable if achievable > 1e-3 * now else None
                )
            markets.append(row)
    summary = {}
    for name in VARIANTS:
        captures = [m[f"{name}_capture"] for m in markets if m[f"{name}_capture"] is not None]
        uplifts = [m[f"{name}_uplift"] for m in markets]
        summary[name] = {
            "capture_median": float(np.median(captures)) if captures else None,
            "capture_mean": float(np.mean(captures)) if captures else None,
            "true_uplift_mean": float(np.mean(uplifts)),
            "worse_than_current": sum(u < 0 for u in uplifts),
        }
    return {
        "name": "allocation_capture",
        "what": " ".join((__doc__ or "").split()),
        "markets": len(markets),
        "achievable_uplift_mean": float(np.mean([m["achievable_uplift"] for m in markets])),
        "variants": summary,
        "baseline_s": oracle_s,
        "candidate_s": model_s,
        "ratio": model_s / oracle_s,
        "per_market": markets,
    }


def describe(result: dict) -> str:
    parts = [
        f"{name}: median capture {v['capture_median']:.0%}, true uplift "
        f"{v['true_uplift_mean']:+.1%}, worse than current on {v['worse_than_current']}"
        for name, v in result["variants"].items()
        if v["capture_median"] is not None
    ]
    return (
        f"allocation_capture: {result['markets']} markets, achievable uplift "
        f"{result['achievable_uplift_mean']:.1%} on average; " + "; ".join(parts)
    )
