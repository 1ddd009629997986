"""The optimiser's answer: the allocation, what it is expected to bring, and against what."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from pilotage.allocation.messages import Message


@dataclass(frozen=True)
class Interval:
    """A predicted quantity: the model's expected value and a 90% interval over its draws."""

    mean: float
    low: float
    high: float

    @classmethod
    def from_draws(cls, mean: float, draws: np.ndarray) -> Interval:
        low, high = np.quantile(draws, [0.05, 0.95])
        return cls(float(mean), float(low), float(high))


@dataclass(frozen=True)
class Allocation:
    """A recommended split of the budget over ``weeks`` weeks.

    ``allocation`` is the total spend per channel over the horizon, in whole cents, adding up to
    ``total`` exactly. ``expected`` is the predicted media-driven outcome (mean, 5% and 95% over
    the posterior draws); ``current`` / ``current_expected`` the same for the current allocation;
    ``uplift`` = optimum − current, computed draw by draw. ``marginal_roi`` is the derivative of
    each channel's expected outcome per € at the optimum (equal across channels not held by a
    bound). ``bounds`` are the floors and ceilings the constraints put on each channel.
    ``kept_current`` is true when the optimiser found nothing better than the current mix
    rescaled to the total, which is then returned (see ``warnings``). ``chance_better`` is the
    share of the posterior draws in which the allocation beats that rescaled current mix.

    ``warnings`` are in English (the command line's JSON); ``notes`` are the same warnings as
    :class:`~pilotage.allocation.messages.Message` objects, and ``warnings_in("fr")`` renders
    them in another language.
    """

    allocation: dict[str, float]
    total: float
    weeks: int
    objective: str
    expected: Interval
    current: dict[str, float]
    current_expected: Interval
    uplift: Interval
    marginal_roi: dict[str, float]
    bounds: dict[str, tuple[float, float]]
    kept_current: bool
    chance_better: float = 0.0
    notes: tuple[Message, ...] = ()

    def weekly(self) -> dict[str, float]:
        """The recommended spend per week and channel."""
        return {c: x / self.weeks for c, x in self.allocation.items()}

    @property
    def warnings(self) -> tuple[str, ...]:
        """The notes in English (the command line's JSON)."""
        return self.warnings_in("en")

    def warnings_in(self, language: str = "en") -> tuple[str, ...]:
        """The warnings in ``language`` ("fr…" → French, anything else → English)."""
        return tuple(note.text(language) for note in self.notes)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON types only (tuples become lists; ``notes`` as ``{"code", "params"}``)."""
        data = asdict(self)
        data["bounds"] = {c: list(b) for c, b in self.bounds.items()}
        data["warnings"] = list(self.warnings)
        data["notes"] = [note.as_dict() for note in self.notes]
        return data
