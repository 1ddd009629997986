"""The targeting scorecard: attractiveness of a segment × the company's ability to win it.

Each criterion is scored 1 (poor) to 5 (excellent) — for competitive intensity, 5 means little
competition — and weighted; an axis is the weighted mean of its criteria:

    attractiveness = Σ wᵢ·sᵢ / Σ wᵢ over size, growth, margin, accessibility, competition
    ability        = Σ wⱼ·sⱼ / Σ wⱼ over fit with strengths, share of wallet, references

Both axes run from 1 to 5; the matrix splits them at 3 into *priority* (both ≥ 3),
*build the capability* (attractive, weak ability), *opportunistic* (able, less attractive) and
*avoid*. Size, growth and margin can be suggested from the segments' profiles: each segment's
rank among the segments, spread over 1–5.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ATTRACTIVENESS = ("size", "growth", "margin", "accessibility", "competition")
ABILITY = ("fit", "share_of_wallet", "references")
CRITERIA = ATTRACTIVENESS + ABILITY
DEFAULT_WEIGHTS: dict[str, float] = {
    "size": 2,
    "growth": 2,
    "margin": 2,
    "accessibility": 1,
    "competition": 1,
    "fit": 2,
    "share_of_wallet": 1,
    "references": 1,
}
MIDPOINT = 3.0


@dataclass(frozen=True)
class Position:
    segment: str
    attractiveness: float
    ability: float

    @property
    def quadrant(self) -> str:
        """priority, build, opportunistic or avoid."""
        attractive, able = self.attractiveness >= MIDPOINT, self.ability >= MIDPOINT
        if attractive and able:
            return "priority"
        if attractive:
            return "build"
        if able:
            return "opportunistic"
        return "avoid"


def check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Every criterion's weight (missing ones take the default); refuses negative weights
    and an axis whose weights are all zero."""
    merged = {k: float(weights.get(k, DEFAULT_WEIGHTS[k])) for k in CRITERIA}
    for key, value in merged.items():
        if value < 0:
            raise ValueError(f"the weight of {key} is negative ({value})")
    for axis in (ATTRACTIVENESS, ABILITY):
        if sum(merged[k] for k in axis) == 0:
            raise ValueError(f"the weights of {', '.join(axis)} are all zero")
    return merged


def _axis(scores: Mapping[str, float], weights: Mapping[str, float], keys: Sequence[str]) -> float:
    total = sum(weights[k] for k in keys)
    for key in keys:
        if not 1 <= scores[key] <= 5:
            raise ValueError(f"the score of {key} must be from 1 to 5, got {scores[key]}")
    return sum(weights[k] * scores[k] for k in keys) / total


def position(segment: str, scores: Mapping[str, float], weights: Mapping[str, float]) -> Position:
    """Where ``segment`` stands on the matrix, from its criterion scores."""
    missing = [k for k in CRITERIA if k not in scores]
    if missing:
        raise ValueError(f"{segment}: no score for {', '.join(missing)}")
    w = check_weights(weights)
    return Position(segment, _axis(scores, w, ATTRACTIVENESS), _axis(scores, w, ABILITY))


def rank_scores(values: Mapping[str, float | None]) -> dict[str, int]:
    """Each segment's value spread over 1–5 by rank (ties share the lower rank's score).

    With n segments the k-th smallest (0-based) scores ``1 + round(4·k/(n−1))`` (halves to
    even, as Python rounds); one segment scores 3; a segment without a value scores 3
    (unknown is neither good nor bad).

    >>> rank_scores({"a": 10, "b": 30, "c": 20})
    {'a': 1, 'b': 5, 'c': 3}
    """
    known = sorted((v, k) for k, v in values.items() if v is not None)
    scores = dict.fromkeys(values, 3)
    n = len(known)
    if n < 2:
        return scores
    for value, key in known:
        first = next(i for i, (v, _) in enumerate(known) if v == value)
        scores[key] = 1 + round(4 * first / (n - 1))
    return scores
