"""Pilotage's MMM against PyMC-Marketing's on the same simulated markets: fit time and ROI
recovery (MAPE and 90%-interval coverage against the simulator's true ROI).

The peer runs in its own virtual environment (``make bench-pymc`` builds ``.venv-pymc`` and runs
this benchmark), through ``bench/peers/pymc_marketing_fit.py`` in a fresh process per market:
its time is the wall-clock time of that process (imports, model build, compilation and NUTS
sampling — what a user waits for), the baseline; Pilotage's is the wall-clock time of its fit
in this process, the candidate. By default four markets of ``mmm_markets`` (each company with
its demo budgets, and with re-planned, flighted budgets; seed 1; the B2B one is 156 weeks × 8
channels); ``PILOTAGE_PEER_MARKETS=one-seed`` runs the 16 scenarios with seed 1 (about 45
minutes on 2 cores), ``second-seed`` the 16 with seed 2, ``all`` all 32 markets.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
from mmm_markets import AXES, Scenario, market, scenarios

from pilotage.models.mmm import MarketingMixModel

ROOT = Path(__file__).resolve().parents[1]
PEER_PYTHON = ROOT / ".venv-pymc" / "bin" / "python"
PEER_SCRIPT = ROOT / "bench" / "peers" / "pymc_marketing_fit.py"
DEFAULT = [
    Scenario(company, collinearity, flighting, "demo", 1)
    for company in ("boutique", "industrie")
    for collinearity, flighting in (("demo", "demo"), ("replanned", "flighted"))
]


def _write_csv(path: Path, spend: dict, y: np.ndarray, dates: list) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", *spend, "y"])
        for i, day in enumerate(dates):
            writer.writerow([day.isoformat(), *(spend[c][i] for c in spend), y[i]])


def _score(estimates: dict, truth: dict) -> dict:
    errors, inside = [], []
    for name, r in estimates.items():
        true = truth[name]["roi"]
        errors.append(abs(r["roi"] - true) / true)
        inside.append(r["roi_low"] <= true <= r["roi_high"])
    return {"roi_mape": float(np.mean(errors)), "coverage_90": float(np.mean(inside))}


def mmm_peer() -> dict:
    if not PEER_PYTHON.exists():
        raise SystemExit("mmm_peer needs PyMC-Marketing: run `make bench-pymc`")
    which = os.environ.get("PILOTAGE_PEER_MARKETS", "default")
    chosen = {
        "default": DEFAULT,
        "one-seed": list(scenarios(seeds=(1,))),
        "second-seed": list(scenarios(seeds=(2,))),
        "all": list(scenarios()),
    }.get(which)
    if chosen is None:
        raise SystemExit(
            f"PILOTAGE_PEER_MARKETS={which!r}: choose default, one-seed, second-seed or all"
        )
    rows, ours_s, peer_s = [], 0.0, 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in chosen:
            simulated, spend, y, dates = market(scenario)
            truth = simulated.ground_truth["channels"]
            path = Path(tmp) / "weekly.csv"
            _write_csv(path, spend, y, dates)
            start = time.perf_counter()
            model = MarketingMixModel(holdout_weeks=0, **scenario.model_forms()).fit(
                spend, y, dates=dates
            )
            ours = time.perf_counter() - start
            start = time.perf_counter()
            done = subprocess.run(
                [str(PEER_PYTHON), str(PEER_SCRIPT), str(path), "--channels", ",".join(spend)],
                capture_output=True,
                text=True,
                check=True,
            )
            theirs = time.perf_counter() - start
            peer = json.loads(done.stdout.strip().splitlines()[-1])
            ours_s += ours
            peer_s += theirs
            rows.append(
                scenario.as_dict()
                | {
                    "weeks": len(y),
                    "channels": len(spend),
                    "pilotage_s": ours,
                    "peer_s": theirs,
                    "peer_sampling_s": peer["fit_s"],
                    "pilotage": _score(model.channel_results(), truth)
                    | {"converged": bool(model.converged_)},
                    "peer": _score(peer["channels"], truth) | peer["diagnostics"],
                    "roi": {
                        name: {
                            "true": truth[name]["roi"],
                            "pilotage": model.channel_results()[name]["roi"],
                            "peer": peer["channels"][name]["roi"],
                        }
                        for name in spend
                    },
                }
            )
    by_axis = {
        axis: {
            level: {
                who: float(np.mean([r[who]["roi_mape"] for r in rows if r[axis] == level]))
                for who in ("pilotage", "peer")
            }
            for level in levels
            if any(r[axis] == level for r in rows)
        }
        for axis, levels in AXES.items()
    }
    return {
        "name": "mmm_peer",
        "what": " ".join((__doc__ or "").split()),
        "markets": len(rows),
        "pilotage_roi_mape": float(np.mean([r["pilotage"]["roi_mape"] for r in rows])),
        "peer_roi_mape": float(np.mean([r["peer"]["roi_mape"] for r in rows])),
        "pilotage_coverage_90": float(np.mean([r["pilotage"]["coverage_90"] for r in rows])),
        "peer_coverage_90": float(np.mean([r["peer"]["coverage_90"] for r in rows])),
        "roi_mape_by_axis": by_axis,
        "pilotage_better_on": sum(r["pilotage"]["roi_mape"] <= r["peer"]["roi_mape"] for r in rows),
        "speedup": peer_s / ours_s,
        "baseline_s": peer_s,
        "candidate_s": ours_s,
        "ratio": ours_s / peer_s,
        "per_market": rows,
        "targets": {"speedup_at_least": 10, "roi_mape": "equal or better than the peer's"},
    }


def describe(result: dict) -> str:
    return (
        f"mmm_peer: {result['markets']} markets; Pilotage {result['candidate_s']:.0f} s vs "
        f"PyMC-Marketing {result['baseline_s']:.0f} s: {result['speedup']:.0f}× faster; ROI "
        f"MAPE {result['pilotage_roi_mape']:.0%} vs {result['peer_roi_mape']:.0%} (lower or "
        f"equal on {result['pilotage_better_on']} markets); 90% "
        f"coverage {result['pilotage_coverage_90']:.0%} vs {result['peer_coverage_90']:.0%}"
    )
