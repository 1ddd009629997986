"""``optimize``: the budget split that maximises the predicted outcome under the constraints.

See ``docs/allocation.md`` for what is optimised, the constraints, the extrapolation guard and
how exactness is checked.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal

import numpy as np

from pilotage.allocation.constraints import AllocationError, build_bounds, to_cents
from pilotage.allocation.messages import Amount, Message, Share
from pilotage.allocation.response import ChannelCurves, ResponseModel
from pilotage.allocation.result import Allocation, Interval
from pilotage.allocation.solver import (
    Vector,
    equalise_marginal_returns,
    fit_to_total,
    grid_search,
    maximise,
    round_to_cents,
)

DRAWS = 200
OBJECTIVES = ("mean", "quantile", "uplift_quantile")


def optimize(
    model: ResponseModel,
    total: float,
    weeks: int,
    *,
    minimum: Mapping[str, float] | None = None,
    maximum: Mapping[str, float] | None = None,
    current: Mapping[str, float] | None = None,
    max_change: float | None = None,
    objective: Literal["mean", "quantile", "uplift_quantile"] = "mean",
    quantile: float = 0.1,
    guard: Literal["warn", "cap"] = "warn",
    guard_factor: float = 1.5,
    confidence: float | None = None,
) -> Allocation:
    """Split ``total`` (€ over ``weeks`` weeks) over the model's channels for the best outcome.

    Parameters
    ----------
    model : ResponseModel
        Predicts the media-driven outcome of an allocation (``pilotage.allocation.response``).
    total, weeks : the budget over the horizon, and the horizon in weeks.
    minimum, maximum : per-channel bounds on the total spend (min = max for a booked amount).
    current : the current allocation over the horizon; the model's recent pace by default.
    max_change : ramp limit, ``|new − current| ≤ max_change × current`` per channel.
    objective : ``"mean"`` maximises the expected outcome; ``"uplift_quantile"`` the
        ``quantile`` of the gain over the current split (rescaled to the total), draw by draw
        (0.1: the gain reached in 90% of the posterior draws) — a cautious plan that moves
        money only where the draws agree, so it is never predicted worse than the current split
        in more than that share of them; ``"quantile"`` the ``quantile`` of the outcome itself
        (which the uncertainty of every channel's level dominates; measured worse than
        ``"uplift_quantile"`` in docs/allocation.md).
    guard, guard_factor : weekly spend above ``guard_factor ×`` the highest weekly spend in the
        fit data is listed in ``warnings`` (``"warn"``) or forbidden (``"cap"``).
    confidence : when set (e.g. 0.9), the split must beat the current one (rescaled to the
        total) in at least that share of the posterior draws: an optimum that does not is moved
        back towards the current split, by steps of 5% of the way, until it does; if none does,
        the current split is kept. It trades expected uplift for the odds of any uplift.

    Raises
    ------
    AllocationError
        When the constraints contradict each other or the total (the message names them).
    """
    channels = tuple(model.channels)
    _check_settings(total, weeks, max_change, objective, quantile, guard, guard_factor, channels)
    if confidence is not None and not 0 < confidence < 1:
        raise AllocationError(Message("bad_confidence", {"value": confidence}))
    total_cents = to_cents(total)
    total = total_cents / 100
    weeks = int(weeks)
    given = model.current_allocation(weeks) if current is None else current
    bounds = build_bounds(
        model,
        total_cents,
        weeks,
        minimum=minimum,
        maximum=maximum,
        current=given,
        max_change=max_change,
        guard=guard,
        guard_factor=guard_factor,
    )
    notes = list(bounds.notes)
    current = {c: float(given.get(c, 0.0)) for c in channels}
    low = {c: bounds.low[c] / 100 for c in channels}
    high = {c: bounds.high[c] / 100 for c in channels}
    curves = ChannelCurves(model, weeks, scale=total)

    def in_cents(spend: Vector) -> Vector:
        order = sorted(channels, key=lambda c: -curves.marginal(c, spend[c]))
        cents = round_to_cents(spend, bounds.low, bounds.high, total_cents, order)
        return {c: cents[c] / 100 for c in channels}

    # the current mix rescaled to the total: what a recommendation must beat
    reference = in_cents(fit_to_total(current, low, high, total))
    reference_draws = model.outcome_draws(reference, weeks, DRAWS)

    def score(spend: Vector) -> float:
        if objective == "mean":
            return model.outcome(spend, weeks)
        draws = model.outcome_draws(spend, weeks, DRAWS)
        if objective == "uplift_quantile":  # paired: what the draws agree on about the change
            return float(np.quantile(draws - reference_draws, quantile))
        return float(np.quantile(draws, quantile))

    best = equalise_marginal_returns(curves, low, high, total)
    bent = [c for c in channels if not curves.is_concave(c, low[c], high[c])]
    if bent:
        notes.append(Message("not_concave", {"channels": ", ".join(bent)}))
    starts = [best, reference]
    if bent:
        starts.insert(0, grid_search(curves, low, high, total))
    if objective == "uplift_quantile":
        # the gain's quantile is flat at the current split (0 in every draw) and often negative
        # at the expected-outcome optimum: start from the best point of the way between them
        way = [_between(reference, best, k / STEPS) for k in range(1, STEPS)]
        starts.insert(0, max([reference, *way], key=score))
    if objective != "mean" or bent:
        best = maximise(score, starts, low, high, total)
    best = in_cents(best)

    best_score = score(best)
    kept_current = best_score < score(reference)
    if objective == "uplift_quantile" and not kept_current and best_score <= 0:
        # no move gains in (1 − quantile) of the draws: the cautious answer is no change
        kept_current, best = True, reference
        notes.append(Message("cautious_kept", {"share": Share(1 - quantile)}))
    elif kept_current or (
        objective == "uplift_quantile"
        and model.outcome(best, weeks) < model.outcome(reference, weeks)
    ):
        # a cautious optimum is also never expected to do worse than the current split
        kept_current, best = True, reference
        notes.append(Message("kept_current"))
    elif confidence is not None:
        step = _confident_step(model, weeks, reference, reference_draws, best, confidence)
        if step < 1:
            best = in_cents(_between(reference, best, step)) if step > 0 else reference
            kept_current = step == 0
            notes.append(_confidence_note(step, confidence))
    if guard == "warn":
        notes.extend(_extrapolation_warnings(model, best, weeks, guard_factor))

    best_draws = model.outcome_draws(best, weeks, DRAWS)
    current_draws = model.outcome_draws(current, weeks, DRAWS)
    best_mean, current_mean = model.outcome(best, weeks), model.outcome(current, weeks)
    return Allocation(
        allocation=best,
        total=total,
        weeks=weeks,
        objective=objective if objective == "mean" else f"{objective} {quantile:g}",
        expected=Interval.from_draws(best_mean, best_draws),
        current=current,
        current_expected=Interval.from_draws(current_mean, current_draws),
        uplift=Interval.from_draws(best_mean - current_mean, best_draws - current_draws),
        marginal_roi={c: curves.marginal(c, best[c]) for c in channels},
        bounds=bounds.euros(),
        kept_current=kept_current,
        chance_better=float(np.mean(best_draws > reference_draws)),
        notes=tuple(notes),
    )


STEPS = 20  # the confidence rule moves back towards the current split by 1/STEPS of the way


def _between(start: Vector, end: Vector, t: float) -> Vector:
    """The split ``t`` of the way from ``start`` to ``end`` (it keeps every constraint: the
    bounds and the total are convex)."""
    return {c: start[c] + t * (end[c] - start[c]) for c in start}


def _confident_step(
    model: ResponseModel,
    weeks: int,
    reference: Vector,
    reference_draws: np.ndarray,
    best: Vector,
    confidence: float,
) -> float:
    """The largest share ``t`` of the way from ``reference`` to ``best`` (in steps of 1/STEPS)
    whose split beats ``reference`` in at least ``confidence`` of the draws; 0 if none does."""
    for k in range(STEPS, 0, -1):
        spend = _between(reference, best, k / STEPS)
        if np.mean(model.outcome_draws(spend, weeks, DRAWS) > reference_draws) >= confidence:
            return k / STEPS
    return 0.0


def _confidence_note(step: float, confidence: float) -> Message:
    if step == 0:
        return Message("confidence_kept", {"confidence": Share(confidence)})
    return Message("confidence_partial", {"confidence": Share(confidence), "step": Share(step)})


def _check_settings(total, weeks, max_change, objective, quantile, guard, guard_factor, channels):
    if not channels:
        raise AllocationError(Message("no_channels"))
    if not math.isfinite(total) or total < 0:
        raise AllocationError(Message("bad_total", {"value": total}))
    if int(weeks) != weeks or weeks < 1:
        raise AllocationError(Message("bad_weeks", {"value": weeks}))
    if max_change is not None and not (max_change >= 0 and math.isfinite(max_change)):
        raise AllocationError(Message("bad_max_change", {"value": max_change}))
    if objective not in OBJECTIVES:
        raise AllocationError(Message("bad_objective", {"value": objective}))
    if not 0 < quantile < 1:
        raise AllocationError(Message("bad_quantile", {"value": quantile}))
    if guard not in ("warn", "cap"):
        raise AllocationError(Message("bad_guard", {"value": guard}))
    if not guard_factor > 0:
        raise AllocationError(Message("bad_guard_factor", {"value": guard_factor}))


def _extrapolation_warnings(
    model: ResponseModel, spend: Vector, weeks: int, factor: float
) -> list[Message]:
    found = []
    for c, amount in spend.items():
        top = float(model.spend_range(c)[1])
        weekly = amount / weeks
        if weekly > factor * top + 0.005:
            where = {"channel": c, "weekly": Amount(weekly), "top": Amount(top)}
            if top > 0:
                found.append(Message("extrapolation", {**where, "ratio": weekly / top}))
            else:
                found.append(Message("extrapolation_no_data", where))
    return found
