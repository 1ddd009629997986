"""Fitting BG/NBD + Gamma-Gamma on CDNOW (2,357 customers), against lifetimes 0.11.3.

Both fit the same summary with a penalizer of 0 and reach the same estimates; the baseline
is lifetimes' ``BetaGeoFitter().fit`` followed by ``GammaGammaFitter().fit`` (autograd
gradients, BFGS), the candidate Pilotage's ``BetaGeo().fit`` and ``GammaGamma().fit``
(analytic gradients, BFGS, Hessian intervals included). Timed in turn, best of 7; the
target is a ratio ≤ 0.1 (at least 10× faster).
"""

from __future__ import annotations

import warnings

from timing import best_of_each

from pilotage.models.clv import BetaGeo, GammaGamma


def clv_fit(repeat: int = 7) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lifetimes under pandas 3: deprecation notices
        from lifetimes import BetaGeoFitter, GammaGammaFitter
        from lifetimes.datasets import load_cdnow_summary_data_with_monetary_value

        data = load_cdnow_summary_data_with_monetary_value()
    x, tx, age = (data[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    m = data["monetary_value"].to_numpy(dtype=float)
    repeat_buyers = x > 0
    fitted: dict[str, dict] = {}

    def baseline() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bg = BetaGeoFitter().fit(x, tx, age)
            gg = GammaGammaFitter().fit(x[repeat_buyers], m[repeat_buyers])
        fitted["lifetimes"] = {**bg.params_.to_dict(), **gg.params_.to_dict()}

    def candidate() -> None:
        bg = BetaGeo().fit(x, tx, age)
        gg = GammaGamma().fit(x, m)
        fitted["pilotage"] = {**bg.params_, **gg.params_}

    times = best_of_each({"baseline": baseline, "candidate": candidate}, repeat, warmup=1)
    ours, theirs = fitted["pilotage"], fitted["lifetimes"]
    return {
        "name": "clv_fit",
        "what": " ".join((__doc__ or "").split()),
        "customers": len(x),
        "baseline_s": times["baseline"],
        "candidate_s": times["candidate"],
        "ratio": times["candidate"] / times["baseline"],
        "speedup": times["baseline"] / times["candidate"],
        "params": ours,
        "max_relative_difference": max(abs(ours[k] / theirs[k] - 1) for k in ours),
        "targets": {"ratio_at_most": 0.1},
    }


def describe(result: dict) -> str:
    return (
        f"clv_fit: BG/NBD + Gamma-Gamma on CDNOW ({result['customers']:,} customers) in "
        f"{result['candidate_s'] * 1000:.1f} ms vs lifetimes {result['baseline_s'] * 1000:.1f} ms"
        f": ratio {result['ratio']:.3f} ({result['speedup']:.0f}× faster); estimates agree to "
        f"{result['max_relative_difference']:.1e}"
    )
