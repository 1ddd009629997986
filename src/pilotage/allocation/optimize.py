"""``optimize``: the budget split that maximises the predicted outcome under the constraints.

See ``docs/allocation.md`` for what is optimised, the constraints, the extrapolation guard and
how exactness is checked.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal

import numpy as np

from pilotage.allocation.constraints import AllocationError, build_bounds, money, to_cents
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


def optimize(
    model: ResponseModel,
    total: float,
    weeks: int,
    *,
    minimum: Mapping[str, float] | None = None,
    maximum: Mapping[str, float] | None = None,
    current: Mapping[str, float] | None = None,
    max_change: float | None = None,
    objective: Literal["mean", "quantile"] = "mean",
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
    objective : ``"mean"`` maximises the expected outcome, ``"quantile"`` the ``quantile``
        (e.g. 0.1: the outcome reached in 90% of the posterior draws) — a cautious plan.
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
        raise AllocationError(
            f"confidence is {confidence}; it must lie between 0 and 1 (e.g. 0.9 for 90%)."
        )
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
    warnings = list(bounds.warnings)
    current = {c: float(given.get(c, 0.0)) for c in channels}
    low = {c: bounds.low[c] / 100 for c in channels}
    high = {c: bounds.high[c] / 100 for c in channels}
    curves = ChannelCurves(model, weeks, scale=total)

    def score(spend: Vector) -> float:
        if objective == "mean":
            return model.outcome(spend, weeks)
        return float(np.quantile(model.outcome_draws(spend, weeks, DRAWS), quantile))

    def in_cents(spend: Vector) -> Vector:
        order = sorted(channels, key=lambda c: -curves.marginal(c, spend[c]))
        cents = round_to_cents(spend, bounds.low, bounds.high, total_cents, order)
        return {c: cents[c] / 100 for c in channels}

    best = equalise_marginal_returns(curves, low, high, total)
    bent = [c for c in channels if not curves.is_concave(c, low[c], high[c])]
    reference = in_cents(fit_to_total(current, low, high, total))
    if bent:
        warnings.append(
            f"The response curve of {', '.join(bent)} is not concave (S-shaped) on the allowed "
            "range: equal marginal returns may not be the best split, so a grid search over "
            "all splits and a local search were run too."
        )
    starts = [best, reference]
    if bent:
        starts.insert(0, grid_search(curves, low, high, total))
    if objective == "quantile" or bent:
        best = maximise(score, starts, low, high, total)
    best = in_cents(best)

    kept_current = score(best) < score(reference)
    if kept_current:
        best = reference
        warnings.append(
            "No allocation predicted better than the current mix was found under these "
            "constraints, so the current mix (rescaled to the total) is kept."
        )
    elif confidence is not None:
        step = _confident_step(model, weeks, reference, best, confidence)
        if step < 1:
            moved = {c: reference[c] + step * (best[c] - reference[c]) for c in channels}
            best = in_cents(moved) if step > 0 else reference
            kept_current = step == 0
            warnings.append(_confidence_note(step, confidence))
    if guard == "warn":
        warnings.extend(_extrapolation_warnings(model, best, weeks, guard_factor))

    best_draws = model.outcome_draws(best, weeks, DRAWS)
    current_draws = model.outcome_draws(current, weeks, DRAWS)
    best_mean, current_mean = model.outcome(best, weeks), model.outcome(current, weeks)
    reference_draws = model.outcome_draws(reference, weeks, DRAWS)
    return Allocation(
        allocation=best,
        total=total,
        weeks=weeks,
        objective=objective if objective == "mean" else f"quantile {quantile:g}",
        expected=Interval.from_draws(best_mean, best_draws),
        current=current,
        current_expected=Interval.from_draws(current_mean, current_draws),
        uplift=Interval.from_draws(best_mean - current_mean, best_draws - current_draws),
        marginal_roi={c: curves.marginal(c, best[c]) for c in channels},
        bounds=bounds.euros(),
        warnings=tuple(warnings),
        kept_current=kept_current,
        chance_better=float(np.mean(best_draws > reference_draws)),
    )


STEPS = 20  # the confidence rule moves back towards the current split by 1/STEPS of the way


def _confident_step(
    model: ResponseModel, weeks: int, reference: Vector, best: Vector, confidence: float
) -> float:
    """The largest share ``t`` of the way from ``reference`` to ``best`` (in steps of 1/STEPS)
    whose split beats ``reference`` in at least ``confidence`` of the draws; 0 if none does."""
    base = model.outcome_draws(reference, weeks, DRAWS)
    for k in range(STEPS, 0, -1):
        t = k / STEPS
        spend = {c: reference[c] + t * (best[c] - reference[c]) for c in reference}
        if np.mean(model.outcome_draws(spend, weeks, DRAWS) > base) >= confidence:
            return t
    return 0.0


def _confidence_note(step: float, confidence: float) -> str:
    if step == 0:
        return (
            f"No change to the current mix beats it in {confidence:.0%} of the model's draws, "
            "so the current mix (rescaled to the total) is kept: the model is not sure enough "
            "of any move (run a test, or lower the confidence)."
        )
    return (
        f"The best split beats the current one in fewer than {confidence:.0%} of the model's "
        f"draws, so the recommendation goes {step:.0%} of the way to it, where it does."
    )


def _check_settings(total, weeks, max_change, objective, quantile, guard, guard_factor, channels):
    if not channels:
        raise AllocationError("The model has no channels to allocate the budget to.")
    if not math.isfinite(total) or total < 0:
        raise AllocationError(f"The total budget is {total}; it must be a non-negative amount.")
    if int(weeks) != weeks or weeks < 1:
        raise AllocationError(f"The horizon is {weeks} weeks; it must be a whole number ≥ 1.")
    if max_change is not None and not (max_change >= 0 and math.isfinite(max_change)):
        raise AllocationError(
            f"max_change is {max_change}; it must be a fraction ≥ 0 (0.2 for ±20%)."
        )
    if objective not in ("mean", "quantile"):
        raise AllocationError(f"objective is {objective!r}; use 'mean' or 'quantile'.")
    if not 0 < quantile < 1:
        raise AllocationError(f"quantile is {quantile}; it must lie between 0 and 1 (e.g. 0.1).")
    if guard not in ("warn", "cap"):
        raise AllocationError(f"guard is {guard!r}; use 'warn' or 'cap'.")
    if not guard_factor > 0:
        raise AllocationError(f"guard_factor is {guard_factor}; it must be positive (e.g. 1.5).")


def _extrapolation_warnings(
    model: ResponseModel, spend: Vector, weeks: int, factor: float
) -> list[str]:
    found = []
    for c, amount in spend.items():
        top = float(model.spend_range(c)[1])
        weekly = amount / weeks
        if weekly > factor * top + 0.005:
            ratio = f"{weekly / top:.1f}× the" if top > 0 else "above the"
            found.append(
                f"{c}: {money(weekly)} a week is {ratio} highest weekly spend in the data "
                f"({money(top)}); the model extrapolates there, so treat its prediction with "
                "caution (guard='cap' forbids it)."
            )
    return found
