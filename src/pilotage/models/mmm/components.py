"""Adstock (carry-over) and saturation (diminishing returns) forms, looked up by name.

Each form is a small class: the names of its parameters, a normal prior on each parameter in
the unconstrained space where the optimiser works (log or logit), the transform back to the
natural scale, and the curve itself. Spend is measured in weeks and in units of the channel's
*scale* (its mean weekly spend over the fit period), so priors mean the same for every channel.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
from scipy.special import expit


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


class Adstock:
    """Normalised carry-over weights ``w[0..max_lag-1]`` (they sum to 1, so total spend is kept)."""

    name: ClassVar[str]
    params: ClassVar[tuple[str, ...]]
    prior: ClassVar[tuple[tuple[float, float], ...]]  # (mean, sd) of each unconstrained value

    def transform(self, z: np.ndarray) -> dict[str, float]:
        raise NotImplementedError

    def weights(self, values: Mapping[str, float], max_lag: int) -> np.ndarray:
        raise NotImplementedError

    def half_life(self, values: Mapping[str, float], max_lag: int) -> float:
        """Weeks until half of a euro's effect has been delivered (median lag of the weights)."""
        cumulative = np.cumsum(self.weights(values, max_lag))
        return float(np.searchsorted(cumulative, 0.5))

    def apply(self, spend: np.ndarray, values: Mapping[str, float], max_lag: int) -> np.ndarray:
        """``a[t] = sum_l w[l] * spend[t-l]``."""
        return np.convolve(spend, self.weights(values, max_lag))[: len(spend)]


class GeometricAdstock(Adstock):
    """``w[l] ∝ decay**l``; prior logit(decay) ~ N(0, 1.5) — anything from none to slow decay."""

    name = "geometric"
    params = ("decay",)
    prior = ((0.0, 1.5),)

    def transform(self, z: np.ndarray) -> dict[str, float]:
        return {"decay": _sigmoid(float(z[0]))}

    def weights(self, values: Mapping[str, float], max_lag: int) -> np.ndarray:
        w = values["decay"] ** np.arange(max_lag, dtype=float)
        return w / w.sum()

    def half_life(self, values: Mapping[str, float], max_lag: int) -> float:
        """``log(0.5) / log(decay)`` weeks (0 when nothing carries over)."""
        decay = values["decay"]
        return 0.0 if decay <= 1e-12 else math.log(0.5) / math.log(decay)


class DelayedAdstock(Adstock):
    """Delayed peak ``w[l] ∝ decay**((l - peak)**2)`` (a catalogue mailed today is read later).

    Priors: logit(decay) ~ N(0, 1.5), log(peak weeks) ~ N(log 1.5, 0.6).
    """

    name = "delayed"
    params = ("decay", "peak")
    prior = ((0.0, 1.5), (math.log(1.5), 0.6))

    def transform(self, z: np.ndarray) -> dict[str, float]:
        return {"decay": _sigmoid(float(z[0])), "peak": math.exp(float(z[1]))}

    def weights(self, values: Mapping[str, float], max_lag: int) -> np.ndarray:
        lags = np.arange(max_lag, dtype=float)
        w = np.exp(math.log(max(values["decay"], 1e-300)) * (lags - values["peak"]) ** 2)
        total = w.sum()
        return w / total if total > 0 else np.eye(max_lag)[min(int(values["peak"]), max_lag - 1)]


class Saturation:
    """A curve from 0 at no spend towards 1, on spend in units of the channel's scale."""

    name: ClassVar[str]
    params: ClassVar[tuple[str, ...]]
    prior: ClassVar[tuple[tuple[float, float], ...]]

    def transform(self, z: np.ndarray) -> dict[str, float]:
        raise NotImplementedError

    def __call__(self, x: np.ndarray, values: Mapping[str, Any]) -> np.ndarray:
        raise NotImplementedError

    def derivative(self, x: np.ndarray, values: Mapping[str, float]) -> np.ndarray:
        raise NotImplementedError

    def level(self, fraction: float, values: Mapping[str, float]) -> float:
        """The scaled spend where the curve reaches ``fraction`` of its maximum."""
        raise NotImplementedError


class HillSaturation(Saturation):
    """Hill ``x**s / (x**s + K**s)``: ½ at ``x = K``.

    ``K`` (``half_saturation``) is a multiple of the channel's mean weekly spend, prior
    log K ~ N(0, 0.7); shape ``s`` prior log s ~ N(log 1.2, 0.4).
    """

    name = "hill"
    params = ("half_saturation", "shape")
    prior = ((0.0, 0.7), (math.log(1.2), 0.4))

    def transform(self, z: np.ndarray) -> dict[str, float]:
        return {"half_saturation": math.exp(float(z[0])), "shape": math.exp(float(z[1]))}

    def __call__(self, x: np.ndarray, values: Mapping[str, Any]) -> np.ndarray:
        """The curve at ``x``; parameters may be arrays (one per posterior draw) that broadcast."""
        k, s = values["half_saturation"], values["shape"]
        x = np.asarray(x, dtype=float)
        safe = np.maximum(x, 1e-300)
        return np.where(x > 0, expit(s * (np.log(safe) - np.log(k))), 0.0)

    def derivative(self, x: np.ndarray, values: Mapping[str, float]) -> np.ndarray:
        k, s = values["half_saturation"], values["shape"]
        x = np.maximum(np.asarray(x, dtype=float), 1e-12)
        level = expit(s * (np.log(x) - math.log(k)))
        return s * level * (1 - level) / x

    def level(self, fraction: float, values: Mapping[str, float]) -> float:
        """``K * (f / (1 - f))**(1/s)``."""
        k, s = values["half_saturation"], values["shape"]
        return k * (fraction / (1 - fraction)) ** (1 / s)


class MichaelisMentenSaturation(Saturation):
    """Michaelis–Menten ``x / (x + K)``: the Hill curve with its shape fixed at 1.

    Concave from the first euro (each extra euro returns less than the one before), ½ at
    ``x = K``; prior log K ~ N(0, 0.7), as the Hill curve's. The default: an S-shaped curve's
    low-spend part is rarely identified by weekly data, and a wrongly convex fit invites the
    optimiser to pour money where the data have nothing to say (Meridian's default too:
    its media Hill slope is fixed at 1).
    """

    name = "michaelis_menten"
    params = ("half_saturation",)
    prior = ((0.0, 0.7),)

    def transform(self, z: np.ndarray) -> dict[str, float]:
        return {"half_saturation": math.exp(float(z[0]))}

    def __call__(self, x: np.ndarray, values: Mapping[str, Any]) -> np.ndarray:
        """The curve at ``x``; ``K`` may be an array (one per posterior draw) that broadcasts."""
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        return x / (x + values["half_saturation"])

    def derivative(self, x: np.ndarray, values: Mapping[str, float]) -> np.ndarray:
        k = values["half_saturation"]
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        return k / (x + k) ** 2

    def level(self, fraction: float, values: Mapping[str, float]) -> float:
        """``K f / (1 - f)``."""
        return values["half_saturation"] * fraction / (1 - fraction)


class LogisticSaturation(Saturation):
    """Logistic ``(1 - exp(-x/r)) / (1 + exp(-x/r)) = tanh(x / 2r)``; prior log r ~ N(0, 0.7)."""

    name = "logistic"
    params = ("scale_ratio",)
    prior = ((0.0, 0.7),)

    def transform(self, z: np.ndarray) -> dict[str, float]:
        return {"scale_ratio": math.exp(float(z[0]))}

    def __call__(self, x: np.ndarray, values: Mapping[str, Any]) -> np.ndarray:
        return np.tanh(np.maximum(x, 0.0) / (2 * values["scale_ratio"]))

    def derivative(self, x: np.ndarray, values: Mapping[str, float]) -> np.ndarray:
        r = values["scale_ratio"]
        return (1 - np.tanh(np.maximum(x, 0.0) / (2 * r)) ** 2) / (2 * r)

    def level(self, fraction: float, values: Mapping[str, float]) -> float:
        """``2 r atanh(f)``."""
        return 2 * values["scale_ratio"] * math.atanh(fraction)


# the forms a channel gets unless it is given another (see docs/mmm.md for why these)
DEFAULT_ADSTOCK = "geometric"
DEFAULT_SATURATION = "michaelis_menten"

ADSTOCKS: dict[str, Adstock] = {a.name: a for a in (GeometricAdstock(), DelayedAdstock())}
SATURATIONS: dict[str, Saturation] = {
    s.name: s for s in (HillSaturation(), MichaelisMentenSaturation(), LogisticSaturation())
}


def adstock_form(name: str) -> Adstock:
    try:
        return ADSTOCKS[name]
    except KeyError:
        raise ValueError(f"unknown adstock {name!r}; choose from {', '.join(ADSTOCKS)}") from None


def saturation_form(name: str) -> Saturation:
    try:
        return SATURATIONS[name]
    except KeyError:
        known = ", ".join(SATURATIONS)
        raise ValueError(f"unknown saturation {name!r}; choose from {known}") from None
