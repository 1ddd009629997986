"""A response model with known curves, for the optimiser's tests.

Channel ``c`` spending ``w`` a week reaches the geometric-adstock steady state ``a = w / (1 − θ)``
and brings ``β · a^s / (a^s + K^s)`` a week (Hill saturation); the outcome over ``weeks`` weeks is
that times ``weeks``, summed over channels. Draws scale each β by ``1 + spread · z`` with ``z``
fixed standard-normal numbers per channel (the same on every call).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Hill:
    coef: float
    half: float
    shape: float = 1.0
    decay: float = 0.5
    spread: float = 0.1
    top: float = 10_000.0
    pace: float = 1_000.0

    def weekly(self, weekly_spend):
        a = np.asarray(weekly_spend, dtype=float) / (1 - self.decay)
        a_s = np.power(np.maximum(a, 0.0), self.shape)
        return self.coef * a_s / (a_s + self.half**self.shape)


@dataclass
class HillModel:
    curves: dict[str, Hill]
    seed: int = 0
    _z: dict[int, dict[str, np.ndarray]] = field(default_factory=dict, repr=False)

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(self.curves)

    def channel_outcome(self, channel: str, spend, weeks: int):
        """``f_c`` over the horizon, vectorised over ``spend`` (for the brute-force grids)."""
        return weeks * self.curves[channel].weekly(np.asarray(spend, dtype=float) / weeks)

    def outcome(self, allocation: Mapping[str, float], weeks: int) -> float:
        return float(
            sum(self.channel_outcome(c, allocation.get(c, 0.0), weeks) for c in self.curves)
        )

    def _draws(self, n: int) -> dict[str, np.ndarray]:
        if n not in self._z:
            rng = np.random.default_rng(self.seed)
            self._z[n] = {c: rng.standard_normal(n) for c in self.curves}
        return self._z[n]

    def outcome_draws(self, allocation: Mapping[str, float], weeks: int, n: int = 200):
        z = self._draws(n)
        return sum(
            (1 + h.spread * z[c]) * float(self.channel_outcome(c, allocation.get(c, 0.0), weeks))
            for c, h in self.curves.items()
        )

    def spend_range(self, channel: str) -> tuple[float, float]:
        return (0.0, self.curves[channel].top)

    def current_allocation(self, weeks: int) -> dict[str, float]:
        return {c: h.pace * weeks for c, h in self.curves.items()}


def grid_optimum(model: HillModel, total: float, weeks: int, low, high, points: int) -> float:
    """The best expected outcome on a regular grid of feasible allocations (2 or 3 channels)."""
    channels = model.channels
    lo = [low.get(c, 0.0) for c in channels]
    hi = [min(high.get(c, total), total) for c in channels]
    axes = [np.linspace(lo[i], hi[i], points) for i in range(len(channels) - 1)]
    mesh = np.meshgrid(*axes, indexing="ij")
    last = total - sum(mesh)
    ok = (last >= lo[-1] - 1e-9) & (last <= hi[-1] + 1e-9)
    value = sum(model.channel_outcome(c, m, weeks) for c, m in zip(channels, mesh, strict=False))
    value = value + model.channel_outcome(channels[-1], np.clip(last, 0, None), weeks)
    return float(np.max(np.where(ok, value, -np.inf)))
