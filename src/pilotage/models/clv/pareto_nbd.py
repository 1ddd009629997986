"""Pareto/NBD: the original "counting your customers" model (an option to BG/NBD).

Schmittlein, Morrison & Colombo (1987); likelihood in the closed form of Fader, Hardie & Lee
(2005), "A Note on Implementing the Pareto/NBD Model in MATLAB" (brucehardie.com/notes/008).
While alive a customer buys at rate ``λ ~ Gamma(r, α)``; their lifetime is exponential with
rate ``μ ~ Gamma(s, β)``. With x, tₓ, T as for BG/NBD::

    L = Γ(r+x) αʳ βˢ / Γ(r) · [ 1 / ((α+T)^(r+x) (β+T)^s) + s/(r+s+x) · A₀ ]

where ``A₀`` is a difference of two Gauss hypergeometric terms (note 008, eqs. 19–20). That
difference loses precision when tₓ is close to T, so it is computed as
``log A₀ = ℓ₁ + log(1 − e^(ℓ₂−ℓ₁))`` and mixed with the first term by log-sum-exp.
On CDNOW (weeks) the published estimates are r 0.553, α 10.578, s 0.606, β 11.669.

The fit is slower than BG/NBD's (hypergeometric functions, numerical gradient).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.special import expit, gammaln, hyp2f1

from pilotage.models.clv._mle import (
    as_weights,
    dot,
    group_rows,
    hessian,
    minimize_log,
    uncertainty,
)
from pilotage.models.clv.bgnbd import ArrayLike, transaction_inputs


def _log_a0(
    r: float, alpha: float, s: float, beta: float, x: np.ndarray, tx: np.ndarray, age: np.ndarray
) -> np.ndarray:
    """log A₀ of note 008 (−inf when tₓ = T, where A₀ = 0)."""
    rsx = r + s + x
    second: float | np.ndarray
    if alpha >= beta:
        low, high, second = beta, alpha, s + 1
    else:
        low, high, second = alpha, beta, r + x
    gap = high - low
    with np.errstate(divide="ignore", invalid="ignore"):
        l1 = np.log(hyp2f1(rsx, second, rsx + 1, gap / (high + tx))) - rsx * np.log(high + tx)
        l2 = np.log(hyp2f1(rsx, second, rsx + 1, gap / (high + age))) - rsx * np.log(high + age)
        return l1 + np.log(-np.expm1(np.minimum(l2 - l1, 0.0)))


def _log_likelihood(
    log_params: np.ndarray, x: np.ndarray, tx: np.ndarray, age: np.ndarray
) -> np.ndarray:
    r, alpha, s, beta = np.exp(log_params)
    head = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    first = -(r + x) * np.log(alpha + age) - s * np.log(beta + age)
    second = np.log(s) - np.log(r + s + x) + _log_a0(r, alpha, s, beta, x, tx, age)
    return head + np.logaddexp(first, second)


class ParetoNBD:
    """Pareto/NBD fitted by maximum likelihood (scikit-learn style).

    ``compute_intervals=False`` skips the Hessian (the bootstrap's refits).
    ``penalizer_coef`` adds ``c · (r² + (α/max T)² + s² + (β/max T)²)`` to the mean negative
    log-likelihood per customer (lifetimes' rescaled-time convention). Learned: ``params_``
    ({"r", "alpha", "s", "beta"}), ``log_likelihood_``, ``standard_errors_``, ``covariance_``,
    95% ``confidence_intervals_`` and ``n_customers_``.
    """

    names = ("r", "alpha", "s", "beta")

    def __init__(self, penalizer_coef: float = 0.0, *, compute_intervals: bool = True) -> None:
        self.penalizer_coef = penalizer_coef
        self.compute_intervals = compute_intervals

    def fit(
        self,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
        *,
        weights: Sequence[float] | np.ndarray | None = None,
        initial_params: dict[str, float] | None = None,
    ) -> ParetoNBD:
        """Fit on customers' ``frequency``, ``recency`` and ``T`` (weights: customers per row).

        The gradient is by central differences (the hypergeometric terms have no cheap
        derivative); customers are first grouped by identical (x, tₓ, T)."""
        if self.penalizer_coef < 0:
            raise ValueError("penalizer_coef must be ≥ 0")
        x, tx, age = transaction_inputs(frequency, recency, T)
        (x, tx, age), w = group_rows((x, tx, age), as_weights(weights, len(x)))
        total = w.sum()
        scale = np.array([1.0, 1.0 / age.max(), 1.0, 1.0 / age.max()])
        penalizer = self.penalizer_coef

        def value(log_params: np.ndarray) -> float:
            ll = dot(w, _log_likelihood(log_params, x, tx, age))
            return float(-ll / total + penalizer * np.sum((np.exp(log_params) * scale) ** 2))

        def objective(log_params: np.ndarray) -> tuple[float, np.ndarray]:
            h = 1e-6
            steps = np.eye(4) * h
            grad = np.array(
                [(value(log_params + e) - value(log_params - e)) / (2 * h) for e in steps]
            )
            return value(log_params), grad

        if initial_params is None:
            mean_age = max(float(np.average(age, weights=w)), 1e-3)
            start = np.log([1.0, mean_age, 1.0, mean_age])
        else:
            start = np.log([initial_params[k] for k in self.names])
        fit = minimize_log(objective, start, what="Pareto/NBD")
        self.params_ = dict(zip(self.names, np.exp(fit.log_params).tolist(), strict=True))
        self.log_likelihood_ = float(dot(w, _log_likelihood(fit.log_params, x, tx, age)))
        self.n_customers_ = float(total)
        if self.compute_intervals:
            hess = hessian(lambda p: objective(p)[1], fit.log_params) * total
            found = uncertainty(self.names, fit.log_params, hess)
            self.covariance_ = found.covariance
            self.standard_errors_ = found.standard_errors
            self.confidence_intervals_ = found.confidence_intervals
        return self

    def _log_params(self) -> np.ndarray:
        return np.log([self.params_[k] for k in self.names])

    def expected_purchases_new(self, t: ArrayLike) -> np.ndarray:
        """Expected purchases in ``(0, t]`` of a customer just acquired (note 008, eq. 27)."""
        r, alpha, s, beta = (self.params_[k] for k in self.names)
        t = np.asarray(t, float)
        return r * beta / (alpha * (s - 1)) * (1 - (beta / (beta + t)) ** (s - 1))

    def expected_purchases(
        self, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> np.ndarray:
        """Expected purchases in the next ``t`` periods given each history (eq. 41)."""
        r, alpha, s, beta = (self.params_[k] for k in self.names)
        x = np.asarray(frequency, float)
        tx, age, t = np.asarray(recency, float), np.asarray(T, float), np.asarray(t, float)
        ll = _log_likelihood(self._log_params(), x, tx, age)
        first = (
            gammaln(r + x)
            - gammaln(r)
            + r * np.log(alpha)
            + s * np.log(beta)
            - (r + x) * np.log(alpha + age)
            - s * np.log(beta + age)
        )
        second = np.log(r + x) + np.log(beta + age) - np.log(alpha + age)
        with np.errstate(divide="ignore"):
            third = np.log((1 - ((beta + age) / (beta + age + t)) ** (s - 1)) / (s - 1))
        return np.exp(first + second + third - ll)

    def probability_alive(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> np.ndarray:
        """P(alive at T | x, tₓ, T) (note 008, eqs. 36–37)."""
        r, alpha, s, beta = (self.params_[k] for k in self.names)
        x = np.asarray(frequency, float)
        tx, age = np.asarray(recency, float), np.asarray(T, float)
        log_a0 = _log_a0(r, alpha, s, beta, x, tx, age)
        odds = (
            np.log(s)
            - np.log(r + s + x)
            + (r + x) * np.log(alpha + age)
            + s * np.log(beta + age)
            + log_a0
        )
        return np.atleast_1d(expit(-odds))
