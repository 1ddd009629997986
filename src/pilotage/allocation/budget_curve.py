"""What a bigger or smaller total budget would bring: the optimum at several totals.

The planner answers "how should this budget be split?"; a marketing director also asks "should
the budget be bigger?". :func:`budget_curve` runs :func:`~pilotage.allocation.optimize` at
several shares of the current total (each split the best for its total, under the same
settings) and gives, for each, the expected media-driven outcome and — from the previous, smaller
total — the extra outcome per extra €, both with their 90% interval over the posterior draws
(the difference is taken draw by draw, so the uncertainty the two totals share cancels). When
the extra € brings back less than it costs — in revenue, or in whatever margin the outcome is
counted in — growing the budget no longer pays for itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pilotage.allocation.messages import Message
from pilotage.allocation.optimize import optimize
from pilotage.allocation.response import ResponseModel
from pilotage.allocation.result import Interval

DEFAULT_SHARES = (0.5, 0.625, 0.75, 0.875, 1.0, 1.125, 1.25, 1.375, 1.5)


@dataclass(frozen=True)
class CurvePoint:
    """The best split of one total and what it is expected to bring.

    ``share`` is the total as a share of the current one; ``expected`` the media-driven
    outcome over the horizon; ``marginal`` the extra outcome per extra € from the previous
    point (``None`` at the first); ``notes`` the optimiser's warnings for that total (spend far
    beyond what the model has seen, a kept current mix).
    """

    total: float
    share: float
    allocation: dict[str, float]
    expected: Interval
    marginal: Interval | None
    notes: tuple[Message, ...] = ()

    def warnings_in(self, language: str = "en") -> tuple[str, ...]:
        """The warnings in ``language`` ("fr…" → French, anything else → English)."""
        return tuple(note.text(language) for note in self.notes)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON types; ``warnings`` in English, ``notes`` as ``{"code", "params"}``."""
        marginal = None if self.marginal is None else vars(self.marginal)
        return {
            "total": self.total,
            "share": self.share,
            "allocation": self.allocation,
            "expected": vars(self.expected),
            "marginal": marginal,
            "warnings": list(self.warnings_in("en")),
            "notes": [note.as_dict() for note in self.notes],
        }


def budget_curve(
    model: ResponseModel,
    weeks: int,
    *,
    shares: Sequence[float] = DEFAULT_SHARES,
    current: Mapping[str, float] | None = None,
    **settings: Any,
) -> list[CurvePoint]:
    """The optimum at each share of the current total over ``weeks`` weeks.

    ``settings`` are :func:`~pilotage.allocation.optimize`'s (objective, bounds, ramp limit,
    guard…), the same at every total; the current split is the model's recent pace unless
    given. Raises ``ValueError`` when the current split spends nothing or a share is not
    positive.
    """
    current = dict(model.current_allocation(weeks) if current is None else current)
    base = sum(current.values())
    if not base > 0:
        raise ValueError("the current split spends nothing: there is no budget to scale")
    ordered = sorted(set(float(s) for s in shares))
    if not ordered or ordered[0] <= 0:
        raise ValueError(f"budget shares must be positive, got {list(shares)}")
    points: list[CurvePoint] = []
    previous: tuple[float, np.ndarray] | None = None
    for share in ordered:
        total = round(base * share, 2)
        plan = optimize(model, total, weeks, current=current, **settings)
        draws = model.outcome_draws(plan.allocation, weeks)
        marginal = None
        if previous is not None and total > previous[0]:
            step = (draws - previous[1]) / (total - previous[0])
            mean = (plan.expected.mean - points[-1].expected.mean) / (total - previous[0])
            marginal = Interval.from_draws(mean, step)
        points.append(
            CurvePoint(total, share, plan.allocation, plan.expected, marginal, plan.notes)
        )
        previous = (total, draws)
    return points
