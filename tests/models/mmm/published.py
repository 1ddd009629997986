"""PyMC-Marketing's published MMM example (``data/mmm_example.csv`` of pymc-labs/pymc-marketing,
Apache-2.0; see data/README.md) and its ground truth.

The example's notebook generates the data: 179 weeks from 2018-04-02, two channels ``x1`` and
``x2`` (spend in arbitrary units between 0 and 1), each through a geometric adstock normalised
over 8 weeks (α = 0.4 and 0.2) and a logistic saturation ``(1 − e^(−λx)) / (1 + e^(−λx))``
(λ = 4 and 3), times β = 3 and 2; plus an intercept, a trend, a yearly seasonality, two one-week
events and Gaussian noise; the CSV's outcome is 1,000 × that sum. The truth below applies those
published parameters to the CSV's own spend columns.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pilotage.models.mmm import read_weekly_csv

CSV = Path(__file__).parent / "data" / "pymc_marketing_mmm_example.csv"
CHANNELS = ("x1", "x2")
EVENTS = ("event_1", "event_2")
AMPLITUDE = 1000.0
ALPHA = {"x1": 0.4, "x2": 0.2}
LAM = {"x1": 4.0, "x2": 3.0}
BETA = {"x1": 3.0, "x2": 2.0}
L_MAX = 8


def load() -> dict:
    """The weekly table as ``read_weekly_csv`` reads it (channels x1, x2; controls: events)."""
    return read_weekly_csv(CSV, "date_week", "y", list(CHANNELS), list(EVENTS))


def true_contributions(spend: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each channel's weekly contribution in the CSV's outcome units."""
    out = {}
    for name in CHANNELS:
        x = np.asarray(spend[name], dtype=float)
        weights = ALPHA[name] ** np.arange(L_MAX)
        carried = np.convolve(x, weights / weights.sum())[: len(x)]
        saturated = (1 - np.exp(-LAM[name] * carried)) / (1 + np.exp(-LAM[name] * carried))
        out[name] = AMPLITUDE * BETA[name] * saturated
    return out


def truth() -> dict[str, dict[str, float]]:
    """Per channel: true ROI (contribution over the weeks / spend), contribution share of the
    outcome, adstock α and saturation λ (per unit of spend)."""
    table = load()
    contributions = true_contributions(table["spend"])
    total = float(np.sum(table["y"]))
    return {
        name: {
            "roi": float(contributions[name].sum() / table["spend"][name].sum()),
            "contribution_share": float(contributions[name].sum() / total),
            "adstock_alpha": ALPHA[name],
            "saturation_lam": LAM[name],
        }
        for name in CHANNELS
    }
