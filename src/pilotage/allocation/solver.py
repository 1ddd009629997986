"""The numerical core: equal marginal returns, the quantile search, projection and cents.

**Expected outcome.** For ``max Σ f_c(x_c)`` subject to ``Σ x_c = T`` and ``l_c ≤ x_c ≤ u_c``
with each ``f_c`` concave, the Karush–Kuhn–Tucker conditions are necessary and sufficient: there
is a multiplier λ (the marginal return of the last euro) with ``f_c'(x_c) = λ`` for every channel
strictly between its bounds, ``f_c'(l_c) ≤ λ`` for a channel at its floor and ``f_c'(u_c) ≥ λ``
at its ceiling. For a given λ each channel's spend ``x_c(λ)`` is found by a root search on
``f_c' = λ`` within its bounds; ``Σ x_c(λ)`` falls as λ rises, so a second root search finds the λ
that spends exactly ``T``. Both searches are Brent's method to ~1e-12 relative.

**Cautious quantile.** The lower quantile of the total over posterior draws is not separable, so
it is maximised by SLSQP (the sum as an equality, the bounds as box constraints) from several
starting points, each result projected back onto the constraints exactly; the best one wins.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy.optimize import brentq, minimize

from pilotage.allocation.response import ChannelCurves

Vector = dict[str, float]


def equalise_marginal_returns(
    curves: ChannelCurves, low: Vector, high: Vector, total: float
) -> Vector:
    """The allocation maximising ``Σ f_c`` under the total and bounds (concave ``f_c``)."""
    channels = curves.channels
    tol = 1e-12 * max(total, 1.0)
    if sum(high.values()) - total <= tol:
        return dict(high)
    if total - sum(low.values()) <= tol:
        return dict(low)
    slope_low = {c: curves.marginal(c, low[c]) for c in channels}
    slope_high = {c: curves.marginal(c, high[c]) for c in channels}

    def spend_at(c: str, lam: float) -> float:
        if high[c] <= low[c] or slope_low[c] <= lam:
            return low[c]
        if slope_high[c] >= lam:
            return high[c]
        return float(
            brentq(lambda x: curves.marginal(c, x) - lam, low[c], high[c], xtol=tol, rtol=1e-14)
        )

    def excess(lam: float) -> float:
        return sum(spend_at(c, lam) for c in channels) - total

    lam_low = min(slope_high.values())
    lam_high = max(slope_low.values())
    lam_low, lam_high = min(lam_low, lam_high), max(lam_low, lam_high)
    pad = 1e-9 * max(abs(lam_high), 1e-300)
    lam_low, lam_high = lam_low - pad, lam_high + pad
    if excess(lam_low) <= 0:
        lam = lam_low
    elif excess(lam_high) >= 0:
        lam = lam_high
    else:
        lam = float(brentq(excess, lam_low, lam_high, xtol=1e-15 * lam_high, rtol=1e-14))
    spend = {c: spend_at(c, lam) for c in channels}
    order = sorted(channels, key=lambda c: -curves.marginal(c, spend[c]))
    return absorb(spend, low, high, total, order)


def absorb(spend: Vector, low: Vector, high: Vector, total: float, order: Sequence[str]) -> Vector:
    """Move the residual ``total − Σ spend`` onto channels with room, in ``order`` for adding
    (reversed for removing); bounds are kept."""
    spend = {c: min(max(spend[c], low[c]), high[c]) for c in spend}
    residual = total - sum(spend.values())
    for c in order if residual > 0 else reversed(order):
        room = high[c] - spend[c] if residual > 0 else low[c] - spend[c]
        step = min(residual, room) if residual > 0 else max(residual, room)
        spend[c] += step
        residual -= step
        if residual == 0:
            break
    return spend


def _bisect(fn: Callable[[float], float], target: float, a: float, b: float) -> float:
    """The ``t`` in ``[a, b]`` where the non-decreasing ``fn`` reaches ``target``."""
    for _ in range(200):
        mid = 0.5 * (a + b)
        if fn(mid) < target:
            a = mid
        else:
            b = mid
        if b - a <= 1e-15 * max(abs(a), abs(b), 1.0):
            break
    return b


def fit_to_total(spend: Vector, low: Vector, high: Vector, total: float) -> Vector:
    """``spend`` rescaled to ``total`` and clipped to the bounds (the current mix at this budget).

    Proportional when the channels with spend can absorb the total; otherwise the same amount is
    added to every channel (the Euclidean projection onto the constraints)."""
    channels = list(spend)
    x = np.array([max(spend[c], 0.0) for c in channels])
    lo = np.array([low[c] for c in channels])
    hi = np.array([high[c] for c in channels])
    reach = float(np.where(x > 0, hi, lo).sum())
    if x.sum() > 0 and reach >= total:
        top = float(np.max(hi / np.where(x > 0, x, np.inf))) + 1.0
        s = _bisect(lambda s: float(np.clip(s * x, lo, hi).sum()), total, 0.0, top)
        result = np.clip(s * x, lo, hi)
    else:
        span = float(hi.max() + total + 1.0)
        t = _bisect(lambda t: float(np.clip(x + t, lo, hi).sum()), total, -span, span)
        result = np.clip(x + t, lo, hi)
    fitted = dict(zip(channels, (float(v) for v in result), strict=True))
    return absorb(fitted, low, high, total, channels)


def round_to_cents(
    spend: Vector,
    low_cents: dict[str, int],
    high_cents: dict[str, int],
    total_cents: int,
    order: Sequence[str],
) -> dict[str, int]:
    """Whole cents adding up to ``total_cents`` within the bounds.

    Each amount is rounded to the nearest cent; the remainder (a few cents) goes to the channel
    with the highest marginal return that has room (first in ``order``) and, if it is negative,
    comes from the one with the lowest."""
    cents = {c: min(max(round(spend[c] * 100), low_cents[c]), high_cents[c]) for c in spend}
    remainder = total_cents - sum(cents.values())
    for c in order if remainder > 0 else reversed(order):
        if remainder == 0:
            break
        room = high_cents[c] - cents[c] if remainder > 0 else low_cents[c] - cents[c]
        step = min(remainder, room) if remainder > 0 else max(remainder, room)
        cents[c] += step
        remainder -= step
    if remainder != 0:  # impossible once the bounds were checked; a bug if it happens
        raise AssertionError(f"{remainder} cents left after rounding")
    return cents


def maximise(
    objective: Callable[[Vector], float],
    starts: Sequence[Vector],
    low: Vector,
    high: Vector,
    total: float,
) -> Vector:
    """The best feasible point SLSQP reaches from ``starts`` (each projected back exactly)."""
    channels = list(low)
    lo = np.array([low[c] for c in channels]) / max(total, 1.0)
    hi = np.array([high[c] for c in channels]) / max(total, 1.0)
    share = total / max(total, 1.0)
    scale = max(max(abs(objective(s)) for s in starts), 1e-9)

    def as_spend(y: np.ndarray) -> Vector:
        return {c: float(v) * max(total, 1.0) for c, v in zip(channels, y, strict=True)}

    best, best_value = dict(starts[0]), objective(starts[0])
    for start in starts:
        y0 = np.array([start[c] for c in channels]) / max(total, 1.0)
        found = minimize(
            lambda y: -objective(as_spend(np.clip(y, lo, hi))) / scale,
            y0,
            method="SLSQP",
            bounds=list(zip(lo, hi, strict=True)),
            constraints=[{"type": "eq", "fun": lambda y: float(np.sum(y)) - share}],
            options={"maxiter": 200, "ftol": 1e-12},
        )
        for candidate in (start, fit_to_total(as_spend(found.x), low, high, total)):
            value = objective(candidate)
            if value > best_value:
                best, best_value = dict(candidate), value
    return best


def grid_search(
    curves: ChannelCurves, low: Vector, high: Vector, total: float, steps: int = 400
) -> Vector:
    """The best split on a grid of ``steps`` equal slices of the free budget, by dynamic
    programming over channels (global on the grid, whatever the curves' shapes) — a starting
    point for the local search when a curve is S-shaped."""
    channels = list(low)
    free = total - sum(low.values())
    if free <= 0:
        return dict(low)
    unit = free / steps
    best = np.zeros(steps + 1)
    best[1:] = -np.inf
    choices = []
    for c in channels:
        most = min(steps, int((high[c] - low[c]) / unit + 1e-9))
        gain = np.array([curves.value(c, low[c] + k * unit) for k in range(most + 1)])
        # table[j, k]: best with j slices used so far when channel c takes k of them
        used = np.arange(steps + 1)[:, None]
        taken = np.arange(most + 1)[None, :]
        table = np.where(
            used >= taken, best[np.clip(used - taken, 0, None)] + gain[None, :], -np.inf
        )
        choices.append(np.argmax(table, axis=1))
        best = np.max(table, axis=1)
    reached = int(np.max(np.nonzero(np.isfinite(best))[0]))
    spend, left = {}, reached
    for c, choice in zip(reversed(channels), reversed(choices), strict=True):
        spend[c] = low[c] + int(choice[left]) * unit
        left -= int(choice[left])
    spend = {c: spend[c] for c in channels}
    order = sorted(channels, key=lambda c: -curves.marginal(c, spend[c]))
    return absorb(spend, low, high, total, order)
