"""Markov attribution on 1,000,000 journeys against the ChannelAttribution package.

Journeys over 5–12 channels, 1–10 touches, aggregated into a paths table (the input both
tools take). Pilotage solves the absorbing chain exactly; ChannelAttribution estimates the same
removal effects by simulating walks (``nsim_start``), so the comparison raises its simulation
count and lifts its walk-length cap (``max_step``, which otherwise cuts cycles such as
a > b > a short), and expects agreement within about 1% on the larger channels. Both run in
this process, one after the other, on the same paths; ``ratio`` = our time / its time (target
≤ 0.5, i.e. at least 2× faster).

ChannelAttribution is a bench-only dependency (GPL-3, compiled from source in 5–8 minutes):
``make bench-peers`` installs it; without it this benchmark reports that it was skipped.
"""

from __future__ import annotations

import time
from collections import Counter

import numpy as np

from pilotage.models.attribution import PathRow, attribute_paths

JOURNEYS = 1_000_000
NSIM = 20_000_000


def journeys(n: int = JOURNEYS, seed: int = 11) -> list[PathRow]:
    """``n`` journeys aggregated by path: channel popularity and conversion odds differ."""
    rng = np.random.default_rng(seed)
    channels = [f"ch{i:02d}" for i in range(12)]
    popularity = rng.dirichlet(np.full(12, 1.5))
    lift = rng.uniform(0.5, 2.0, 12)
    conversions: Counter[tuple[str, ...]] = Counter()
    nulls: Counter[tuple[str, ...]] = Counter()
    values: Counter[tuple[str, ...]] = Counter()
    lengths = rng.integers(1, 11, n)
    picks = rng.choice(12, size=int(lengths.sum()), p=popularity)
    odds = rng.random(n)
    start = 0
    for i, length in enumerate(lengths):
        touches = picks[start : start + length]
        start += length
        path = tuple(channels[c] for c in touches)
        chance = 0.03 * float(np.mean(lift[touches])) * (1 + 0.05 * length)
        if odds[i] < chance:
            conversions[path] += 1
            values[path] += 100.0
        else:
            nulls[path] += 1
    keys = set(conversions) | set(nulls)
    return [PathRow(k, conversions[k], values[k], nulls[k]) for k in sorted(keys)]


def markov_attribution(n: int = JOURNEYS) -> dict:
    rows = journeys(n)
    start = time.perf_counter()
    ours = attribute_paths(rows, "markov")
    ours_s = time.perf_counter() - start
    result = {
        "name": "markov_attribution",
        "what": " ".join((__doc__ or "").split()[:40]),
        "journeys": n,
        "paths": len(rows),
        "candidate_s": ours_s,
    }
    try:
        import pandas as pd
        from ChannelAttribution import markov_model
    except ImportError:
        return result | {"skipped": "ChannelAttribution is not installed (make bench-peers)"}
    frame = pd.DataFrame(
        {
            "path": [" > ".join(r.path) for r in rows],
            "total_conversions": [r.conversions for r in rows],
            "total_conversion_value": [r.value for r in rows],
            "total_null": [r.nulls for r in rows],
        }
    )
    start = time.perf_counter()
    theirs = markov_model(
        frame,
        "path",
        "total_conversions",
        var_value="total_conversion_value",
        var_null="total_null",
        order=1,
        nsim_start=NSIM,
        max_step=1000,  # its default cap cuts cycles short: the one convention difference
        verbose=False,
    )
    theirs_s = time.perf_counter() - start
    table = theirs["result"] if isinstance(theirs, dict) else theirs
    their_conv = dict(zip(table["channel_name"], table["total_conversions"], strict=True))
    total = sum(their_conv.values())
    differences = {
        c: abs(ours["channels"][c]["conversions"] - their_conv[c]) / their_conv[c]
        for c in their_conv
        if their_conv[c] >= 0.05 * total
    }
    return result | {
        "baseline_s": theirs_s,
        "ratio": ours_s / theirs_s,
        "max_relative_difference_large_channels": max(differences.values()),
        "targets": {"ratio_at_most": 0.5, "difference_at_most": 0.01},
    }


def describe(result: dict) -> str:
    if "skipped" in result:
        return (
            f"markov_attribution: ours {result['candidate_s']:.2f} s on {result['journeys']:,} "
            f"journeys ({result['paths']:,} paths); {result['skipped']}"
        )
    return (
        f"markov_attribution: {result['journeys']:,} journeys ({result['paths']:,} paths) in "
        f"{result['candidate_s']:.2f} s vs ChannelAttribution {result['baseline_s']:.2f} s, "
        f"ratio {result['ratio']:.3f}; largest difference on channels ≥ 5% "
        f"{result['max_relative_difference_large_channels']:.2%}"
    )
