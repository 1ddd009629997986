"""Media response components: adstock (carry-over) and saturation (diminishing returns).

Small pure functions looked up by name, so the ground truth can say which form and which
parameters produced the data, and a model can be checked against exactly that.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def geometric_weights(decay: float, max_lag: int) -> np.ndarray:
    """Normalised geometric carry-over weights.

    ``w[l] = decay**l / sum_k decay**k`` for ``l = 0 … max_lag-1``: a euro spent today keeps
    acting for ``max_lag`` days with a half-life of ``log(0.5)/log(decay)`` days, and the weights
    sum to 1 so adstock preserves total spend.
    """
    if not 0 <= decay < 1:
        raise ValueError(f"geometric decay must be in [0, 1), got {decay}")
    lags = np.arange(max_lag, dtype=float)
    weights = decay**lags
    return weights / weights.sum()


def delayed_weights(decay: float, peak: float, max_lag: int) -> np.ndarray:
    """Normalised delayed-peak carry-over weights.

    ``w[l] = decay**((l - peak)**2) / sum_k decay**((k - peak)**2)``: the effect peaks ``peak``
    days after the spend (a catalogue mailed today is read next week).
    """
    if not 0 < decay < 1:
        raise ValueError(f"delayed decay must be in (0, 1), got {decay}")
    lags = np.arange(max_lag, dtype=float)
    weights = decay ** ((lags - peak) ** 2)
    return weights / weights.sum()


ADSTOCKS: dict[str, Callable[..., np.ndarray]] = {
    "geometric": geometric_weights,
    "delayed": delayed_weights,
}


def adstock(spend: np.ndarray, form: str, **params: float) -> np.ndarray:
    """Carry spend over time: ``a[t] = sum_l w[l] * spend[t-l]`` with the weights of ``form``."""
    weights = ADSTOCKS[form](**params)
    return np.convolve(np.asarray(spend, dtype=float), weights)[: len(spend)]


def hill(x: np.ndarray, half_saturation: float, shape: float) -> np.ndarray:
    """Hill saturation ``x**s / (x**s + K**s)``: 0 at 0, ½ at ``K``, tends to 1."""
    x = np.asarray(x, dtype=float)
    xs = np.power(x, shape)
    return xs / (xs + half_saturation**shape)


def logistic(x: np.ndarray, lam: float) -> np.ndarray:
    """Logistic saturation ``(1 - exp(-lam x)) / (1 + exp(-lam x))``: 0 at 0, tends to 1."""
    e = np.exp(-lam * np.asarray(x, dtype=float))
    return (1 - e) / (1 + e)


SATURATIONS: dict[str, Callable[..., np.ndarray]] = {"hill": hill, "logistic": logistic}


def saturate(x: np.ndarray, form: str, **params: float) -> np.ndarray:
    """Apply the saturation curve named ``form``."""
    return SATURATIONS[form](x, **params)
