"""The default curve against S-shaped truth: what fixing the Hill shape at 1 costs when the
market's real curves are S-shaped.

The model's default saturation is Michaelis–Menten (the Hill curve with its shape fixed at 1,
concave from the first euro). The 32 study markets have Hill curves of shape 1 (1.2 for one
channel), so there the default is nearly the true form. Here every Hill channel of the 16
seed-1 markets of ``mmm_markets`` is given shape ``S_SHAPE`` (2: almost no effect below a third
of the half-saturation spend), and each market is fitted twice: with the default curve
(misspecified) and with the free-shape Hill curve (the true family). Reported for both: ROI
error and 90% coverage against the simulator's truth, and the share of the oracle's achievable
uplift captured by the expected-outcome and the cautious recommendations (as in
``allocation_capture``). The baseline of the timing is the free-shape fits.
"""

from __future__ import annotations

import time

import numpy as np
from allocation_capture import _recommend, oracle
from mmm_markets import WEEKS, market, scenarios, true_value
from mmm_recovery import _score

from pilotage.models.mmm import MarketingMixModel

SETTINGS = {
    "mean": {},
    "cautious": {"objective": "uplift_quantile", "quantile": 0.1},
}


def _free_shape(forms: dict, channels: list[str]) -> dict:
    """The same forms with every channel not named otherwise on the free-shape Hill curve."""
    named = dict(forms.get("saturation", {}))
    return forms | {"saturation": {c: named.get(c, "hill") for c in channels}}


def mmm_s_curves() -> dict:
    rows, timing = [], {"default": 0.0, "free_shape": 0.0}
    for scenario in scenarios(seeds=(1,), curves="s_shaped"):
        simulated, spend, y, dates = market(scenario)
        truth = simulated.ground_truth
        forms = scenario.model_forms()
        row = scenario.as_dict()
        best = None  # the oracle: the same for both fits (same market, same current pace)
        for name, chosen in (("default", forms), ("free_shape", _free_shape(forms, list(spend)))):
            start = time.perf_counter()
            model = MarketingMixModel(holdout_weeks=0, **chosen).fit(spend, y, dates=dates)
            timing[name] += time.perf_counter() - start
            channels = _score(model, truth["channels"])
            row[name] = {
                "converged": bool(model.converged_),
                "roi_mape": float(np.mean([c["ape"] for c in channels])),
                "channels": channels,
            }
            current = model.current_allocation(WEEKS)
            total = sum(current.values())
            best = best or oracle(truth, list(current), total)
            now, top = true_value(truth, current), true_value(truth, best)
            row["achievable_uplift"] = (top - now) / now
            for setting, options in SETTINGS.items():
                got = true_value(truth, _recommend(model, total, current, options))
                row[name][f"{setting}_uplift"] = got / now - 1
                row[name][f"{setting}_capture"] = (
                    (got - now) / (top - now) if top - now > 1e-3 * now else None
                )
        rows.append(row)
    summary = {name: _summary(rows, name) for name in ("default", "free_shape")}
    return {
        "name": "mmm_s_curves",
        "what": " ".join((__doc__ or "").split()),
        "markets": len(rows),
        "achievable_uplift_mean": float(np.mean([r["achievable_uplift"] for r in rows])),
        **summary,
        "baseline_s": timing["free_shape"],
        "candidate_s": timing["default"],
        "ratio": timing["default"] / timing["free_shape"],
        "per_market": rows,
    }


def _summary(rows: list[dict], name: str) -> dict:
    channels = [c for r in rows for c in r[name]["channels"]]
    out = {
        "roi_mape": float(np.mean([c["ape"] for c in channels])),
        "coverage_90": float(np.mean([c["inside"] for c in channels])),
        "converged": sum(r[name]["converged"] for r in rows),
    }
    for setting in SETTINGS:
        captures = [r[name][f"{setting}_capture"] for r in rows]
        captures = [c for c in captures if c is not None]
        uplifts = [r[name][f"{setting}_uplift"] for r in rows]
        out[setting] = {
            "capture_median": float(np.median(captures)) if captures else None,
            "true_uplift_mean": float(np.mean(uplifts)),
            "worse_by_over_0_1pct": sum(u < -0.001 for u in uplifts),
            "true_uplift_min": float(np.min(uplifts)),
        }
    return out


def describe(result: dict) -> str:
    parts = []
    for name in ("default", "free_shape"):
        s = result[name]
        plans = ", ".join(
            f"{setting} median capture {_percent(p['capture_median'])} (true uplift "
            f"{p['true_uplift_mean']:+.1%}, worse on {p['worse_by_over_0_1pct']}, "
            f"worst {p['true_uplift_min']:+.1%})"
            for setting, p in ((k, s[k]) for k in SETTINGS)
        )
        parts.append(
            f"{name}: ROI MAPE {s['roi_mape']:.0%}, coverage {s['coverage_90']:.0%}, "
            f"{s['converged']}/{result['markets']} converged; {plans}"
        )
    return (
        f"mmm_s_curves: {result['markets']} markets with S-shaped truth (achievable uplift "
        f"{result['achievable_uplift_mean']:.1%}); " + "; ".join(parts)
    )


def _percent(value: float | None) -> str:
    return "n/a (nothing to gain)" if value is None else f"{value:.0%}"
