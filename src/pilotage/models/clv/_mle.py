"""Maximum likelihood helpers shared by the CLV models: optimiser, Hessian, intervals.

Every model is fitted on the log of its (positive) parameters, minimising the mean negative
log-likelihood per customer (plus an optional penalty) with scipy's BFGS and the analytic
gradient. (L-BFGS-B reaches the same optimum, but with 3–4 parameters its per-iteration
overhead dominates: its C core calls LAPACK, whose OpenBLAS threads made a CDNOW fit 2–15×
slower on a busy machine; the log scale leaves no bounds for it to handle.) Uncertainty
comes from the observed information: the Hessian of the *total* negative log-likelihood in
log-parameters, by central differences of the analytic gradient. Intervals are computed on the
log scale and mapped back, so they stay positive and are asymmetric like the likelihood.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import ndtri

Objective = Callable[[np.ndarray], tuple[float, np.ndarray]]


class ConvergenceError(RuntimeError):
    """The optimiser stopped without reaching a maximum of the likelihood."""


@dataclass(frozen=True)
class Fit:
    """The optimum of an objective: log-parameters, objective value and iterations used."""

    log_params: np.ndarray
    value: float
    iterations: int


def minimize_log(objective: Objective, start: np.ndarray, *, what: str) -> Fit:
    """Minimise ``objective`` (value and gradient in log-parameters) from ``start``."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        result = minimize(
            objective, start, jac=True, method="BFGS", options={"maxiter": 2000, "gtol": 1e-9}
        )
    if not np.all(np.isfinite(result.x)) or not np.isfinite(result.fun):
        raise ConvergenceError(f"{what}: the fit diverged ({result.message})")
    # BFGS reports a "precision loss" when the objective is flat to machine precision at the
    # optimum (gradient ~1e-8 per customer); only a large gradient means failure.
    if not result.success and np.max(np.abs(result.jac)) > 1e-5:
        raise ConvergenceError(f"{what}: the fit did not converge ({result.message})")
    return Fit(np.asarray(result.x, dtype=float), float(result.fun), int(result.nit))


def hessian(gradient: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> np.ndarray:
    """Symmetrised central-difference Jacobian of ``gradient`` at ``x``."""
    k = len(x)
    h = 1e-5 * np.maximum(1.0, np.abs(x))
    out = np.empty((k, k))
    for i in range(k):
        step = np.zeros(k)
        step[i] = h[i]
        out[:, i] = (gradient(x + step) - gradient(x - step)) / (2 * h[i])
    return (out + out.T) / 2


@dataclass(frozen=True)
class Uncertainty:
    """Standard errors (natural scale, delta method), covariance and 95% intervals."""

    covariance: dict[str, dict[str, float]]
    standard_errors: dict[str, float]
    confidence_intervals: dict[str, tuple[float, float]]


def uncertainty(
    names: Sequence[str], log_params: np.ndarray, total_hessian: np.ndarray, level: float = 0.95
) -> Uncertainty:
    """Intervals from the observed information (the Hessian of the total negative
    log-likelihood in log-parameters): ``exp(log θ ± z·se(log θ))``."""
    try:
        cov_log = np.linalg.inv(total_hessian)
    except np.linalg.LinAlgError:
        cov_log = np.full_like(total_hessian, np.nan)
    theta = np.exp(log_params)
    cov = cov_log * np.outer(theta, theta)
    se_log = np.sqrt(np.where(np.diag(cov_log) > 0, np.diag(cov_log), np.nan))
    z = float(ndtri(0.5 + level / 2))
    low, high = np.exp(log_params - z * se_log), np.exp(log_params + z * se_log)
    return Uncertainty(
        {a: {b: float(cov[i, j]) for j, b in enumerate(names)} for i, a in enumerate(names)},
        {a: float(theta[i] * se_log[i]) for i, a in enumerate(names)},
        {a: (float(low[i]), float(high[i])) for i, a in enumerate(names)},
    )


def as_weights(weights: Sequence[float] | np.ndarray | None, n: int) -> np.ndarray:
    """Customer weights (how many customers each row stands for), 1 by default."""
    if weights is None:
        return np.ones(n)
    w = np.asarray(weights, dtype=float)
    if w.shape != (n,) or np.any(~np.isfinite(w) | (w < 0)) or w.sum() <= 0:
        raise ValueError(f"weights must be {n} finite numbers ≥ 0, not all 0")
    return w


def dot(a: np.ndarray, b: np.ndarray) -> float:
    """Σ aᵢbᵢ without BLAS: ``np.dot`` on long vectors can be 20× slower on a loaded machine
    (BLAS threads competing for cores), and these sums are memory-bound anyway."""
    return float(np.einsum("i,i->", a, b))


def group_rows(columns: Sequence[np.ndarray], w: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Identical rows of ``columns`` merged, their weights summed (rows with weight 0 dropped).

    The likelihoods are sums over customers, so customers with the same history need to be
    evaluated once: CDNOW's 2,357 customers have 1,016 distinct (x, tₓ, T).
    """
    keep = w > 0
    columns, w = [c[keep] for c in columns], w[keep]
    order = np.lexsort(columns[::-1])
    columns, w = [c[order] for c in columns], w[order]
    changed = np.zeros(len(w), dtype=bool)
    changed[0] = True
    for c in columns:
        changed[1:] |= c[1:] != c[:-1]
    starts = np.flatnonzero(changed)
    return [c[starts] for c in columns], np.add.reduceat(w, starts)
