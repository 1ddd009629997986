"""The response interface the optimiser works on, and per-channel views of it.

A marketing-mix model (``pilotage.models.mmm``) exposes it; so can anything else that predicts
the media-driven outcome of a budget split (a test double, a scenario model). Amounts are total
spend over the horizon: ``allocation[c] / weeks`` is the weekly spend of channel ``c`` at steady
state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import numpy as np


class ResponseModel(Protocol):
    """What the optimiser needs from a model.

    Each channel's outcome is increasing and concave in its spend, and channels add up:
    ``outcome(x) = Σ_c f_c(x_c)``. ``outcome_draws`` returns the same quantity for ``n``
    posterior draws, deterministically (the same draws on every call, in the same order), so
    that two allocations can be compared draw by draw.
    """

    @property
    def channels(self) -> tuple[str, ...]: ...

    def outcome(self, allocation: Mapping[str, float], weeks: int) -> float: ...

    def outcome_draws(
        self, allocation: Mapping[str, float], weeks: int, n: int = 200
    ) -> np.ndarray: ...

    def spend_range(self, channel: str) -> tuple[float, float]: ...

    def current_allocation(self, weeks: int) -> dict[str, float]: ...


class ChannelCurves:
    """Each channel's own expected outcome ``f_c(x)`` and its derivative, from ``outcome``.

    Because channels add up, ``f_c(x) = outcome(x on c, 0 elsewhere) − outcome(0)``, and the
    derivative of the total outcome with respect to ``x_c`` is ``f_c'(x_c)`` whatever the other
    channels spend. Derivatives are central differences with a step of ``1e-7 × scale`` (one-sided
    and second-order at 0), accurate to about 1e-8 relative on smooth curves.
    """

    def __init__(self, model: ResponseModel, weeks: int, scale: float) -> None:
        self.model = model
        self.weeks = weeks
        self.channels = tuple(model.channels)
        self.step = 1e-7 * max(scale, 1.0)
        self._zero = {c: 0.0 for c in self.channels}
        self._base = model.outcome(self._zero, weeks)

    def value(self, channel: str, spend: float) -> float:
        """``f_c(spend)``: the channel's expected outcome over the horizon."""
        return self.model.outcome({**self._zero, channel: spend}, self.weeks) - self._base

    def marginal(self, channel: str, spend: float) -> float:
        """``f_c'(spend)``: extra outcome per extra € of the channel's total spend."""
        h = self.step
        if spend < h:
            x = max(spend, 0.0)
            f0, f1, f2 = (self.value(channel, x + k * h) for k in range(3))
            return (-3.0 * f0 + 4.0 * f1 - f2) / (2.0 * h)
        return (self.value(channel, spend + h) - self.value(channel, spend - h)) / (2.0 * h)

    def is_concave(self, channel: str, low: float, high: float, points: int = 33) -> bool:
        """Whether the channel's marginal return never rises on ``[low, high]`` (a grid check)."""
        if high <= low:
            return True
        grid = np.linspace(low, high, points)
        slopes = np.array([self.marginal(channel, float(x)) for x in grid])
        rises = np.diff(slopes)
        return bool(np.all(rises <= 1e-6 * max(float(np.max(np.abs(slopes))), 1e-300)))
