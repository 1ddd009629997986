"""Pilotage's MMM on PyMC-Marketing's published example data, against the generator's truth
and against PyMC-Marketing itself (``make bench-pymc``).

The data (``tests/models/mmm/data/pymc_marketing_mmm_example.csv``, Apache-2.0) and its ground
truth (the notebook's published parameters applied to the CSV's spend) are described in
``tests/models/mmm/published.py``. Pilotage is fitted with the generator's forms (geometric
adstock, logistic saturation; the two events as controls) and with its defaults (Hill
saturation); the peer with its example's model (``bench/peers/pymc_marketing_fit.py``:
geometric adstock over 8 weeks, logistic saturation, the events and a trend as controls, NUTS
through nutpie, 2 × 1,000 draws), in a fresh process whose wall-clock time is the baseline.
"""

from __future__ import annotations

import math
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import json  # noqa: E402

from tests.models.mmm.published import CHANNELS, CSV, EVENTS, L_MAX, load, truth  # noqa: E402

from pilotage.models.mmm import MarketingMixModel  # noqa: E402

PEER_PYTHON = ROOT / ".venv-pymc" / "bin" / "python"
PEER_SCRIPT = ROOT / "bench" / "peers" / "pymc_marketing_fit.py"


def _ours(saturation: str) -> tuple[dict, float]:
    table = load()
    start = time.perf_counter()
    model = MarketingMixModel(saturation=saturation, holdout_weeks=0).fit(
        table["spend"], table["y"], dates=table["dates"], controls=table["controls"]
    )
    seconds = time.perf_counter() - start
    results = model.channel_results()
    out = {}
    for name in CHANNELS:
        r = results[name]
        out[name] = {
            "roi": r["roi"],
            "roi_low": r["roi_low"],
            "roi_high": r["roi_high"],
            "contribution_share": r["contribution_share"],
            # geometric decay from the half-life (at the posterior mode): α^h = 1/2
            "adstock_alpha": 0.5 ** (1 / r["half_life_weeks"]),
            # weekly spend at 80% of the curve's maximum, as a logistic λ: tanh(λx/2) = 0.8
            "saturation_lam": 2 * math.atanh(0.8) / r["saturation_weekly_spend"],
        }
    return {"channels": out, "converged": bool(model.converged_)}, seconds


def _peer() -> tuple[dict, float]:
    start = time.perf_counter()
    done = subprocess.run(
        [
            str(PEER_PYTHON),
            str(PEER_SCRIPT),
            str(CSV),
            "--channels",
            ",".join(CHANNELS),
            "--controls",
            ",".join(EVENTS),
            "--date-column",
            "date_week",
            "--l-max",
            str(L_MAX),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1]), time.perf_counter() - start


def _errors(estimate: dict, true: dict) -> dict:
    return {
        name: {
            "roi_error": estimate["channels"][name]["roi"] / true[name]["roi"] - 1,
            "inside_90": estimate["channels"][name]["roi_low"]
            <= true[name]["roi"]
            <= estimate["channels"][name]["roi_high"],
        }
        for name in CHANNELS
    }


def mmm_published() -> dict:
    if not PEER_PYTHON.exists():
        raise SystemExit("mmm_published needs PyMC-Marketing: run `make bench-pymc`")
    true = truth()
    logistic, ours_s = _ours("logistic")
    hill, _ = _ours("hill")
    peer, peer_s = _peer()
    return {
        "name": "mmm_published",
        "what": " ".join((__doc__ or "").split()),
        "truth": true,
        "pilotage": logistic | {"errors": _errors(logistic, true)},
        "pilotage_default_hill": hill | {"errors": _errors(hill, true)},
        "peer": peer | {"errors": _errors(peer, true)},
        "baseline_s": peer_s,
        "candidate_s": ours_s,
        "ratio": ours_s / peer_s,
        "speedup": peer_s / ours_s,
    }


def describe(result: dict) -> str:
    def line(who: str) -> str:
        return ", ".join(
            f"{name} {result[who]['channels'][name]['roi']:,.0f} "
            f"({result[who]['channels'][name]['roi_low']:,.0f}–"
            f"{result[who]['channels'][name]['roi_high']:,.0f})"
            for name in CHANNELS
        )

    true = ", ".join(f"{n} {result['truth'][n]['roi']:,.0f}" for n in CHANNELS)
    return (
        f"mmm_published: true ROI {true}; Pilotage {line('pilotage')} in "
        f"{result['candidate_s']:.1f} s; PyMC-Marketing {line('peer')} in "
        f"{result['baseline_s']:.0f} s ({result['speedup']:.0f}× longer); Pilotage with its "
        f"default Hill curves {line('pilotage_default_hill')}"
    )
