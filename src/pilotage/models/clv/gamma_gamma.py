"""Gamma-Gamma: the spend per transaction, and the customer lifetime value it leads to.

Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis",
*Journal of Marketing Research* 42(4); Fader & Hardie (2013), "The Gamma-Gamma Model of
Monetary Value" (brucehardie.com/notes/025). Each transaction of a customer is worth
``z ~ Gamma(p, ν)`` (shape p, rate ν), and ``ν ~ Gamma(q, v)`` across customers. Fitted on the
customers with at least one repeat purchase, on x = frequency and m̄ = monetary_value (the mean
of the repeat purchases), with the likelihood of note 025's eq. (1a)::

    L = Γ(px + q) / (Γ(px) Γ(q)) · v^q · m̄^(px−1) · x^(px) / (v + x m̄)^(px+q)

The expected spend per transaction of a customer is a weighted mean of the population mean
``p v / (q − 1)`` and the customer's own m̄ (their eq. 5), see
:meth:`GammaGamma.conditional_expected_value`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
from scipy.special import digamma, gammaln

from pilotage.models.clv._mle import as_weights, dot, hessian, minimize_log, uncertainty

ArrayLike = Sequence[float] | np.ndarray | float

# Periods of the summary's unit per month, exactly as lifetimes' ``_customer_lifetime_value``.
PERIODS_PER_MONTH = {"W": 4.345, "M": 1.0, "D": 30.0, "H": 30.0 * 24}


class TransactionModel(Protocol):
    """What CLV needs of a purchase model (BG/NBD or Pareto/NBD)."""

    def expected_purchases(
        self, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> np.ndarray: ...


class GammaGamma:
    """The Gamma-Gamma spend model fitted by maximum likelihood (scikit-learn style).

    ``compute_intervals=False`` skips the Hessian (the bootstrap's refits).
    ``penalizer_coef`` adds ``c · (p² + q² + v²)`` to the mean negative log-likelihood per
    customer, as lifetimes' ``GammaGammaFitter``. Learned: ``params_`` ({"p", "q", "v"}),
    ``log_likelihood_``, ``standard_errors_``, ``covariance_``, 95% ``confidence_intervals_``
    (observed information, log scale) and ``n_customers_`` (those with frequency > 0).
    """

    names = ("p", "q", "v")

    def __init__(self, penalizer_coef: float = 0.0, *, compute_intervals: bool = True) -> None:
        self.penalizer_coef = penalizer_coef
        self.compute_intervals = compute_intervals

    def fit(
        self,
        frequency: ArrayLike,
        monetary_value: ArrayLike,
        *,
        weights: Sequence[float] | np.ndarray | None = None,
        initial_params: dict[str, float] | None = None,
    ) -> GammaGamma:
        """Fit on the customers with ``frequency > 0`` (the others carry no spend data)."""
        if self.penalizer_coef < 0:
            raise ValueError("penalizer_coef must be ≥ 0")
        x = np.atleast_1d(np.asarray(frequency, float))
        m = np.atleast_1d(np.asarray(monetary_value, float))
        if x.shape != m.shape:
            raise ValueError("frequency and monetary_value differ in length")
        w = as_weights(weights, len(x))
        keep = (x > 0) & (w > 0)
        x, m, w = x[keep], m[keep], w[keep]
        if not len(x):
            raise ValueError("no customer with a repeat purchase: the spend model needs some")
        bad = ~np.isfinite(m) | (m <= 0)
        if bad.any():
            row = int(np.flatnonzero(keep)[np.argmax(bad)])
            raise ValueError(f"row {row + 1}: monetary_value must be > 0 when frequency > 0")
        data = _Data(x, m, w, self.penalizer_coef)
        if initial_params is None:
            start = np.log([1.0, 1.0, float(np.average(m, weights=w))])
        else:
            start = np.log([initial_params[k] for k in self.names])
        fit = minimize_log(data.objective, start, what="Gamma-Gamma")
        self.params_ = dict(zip(self.names, np.exp(fit.log_params).tolist(), strict=True))
        self.log_likelihood_ = data.log_likelihood(fit.log_params)
        self.n_customers_ = float(w.sum())
        if self.compute_intervals:
            total = hessian(lambda p: data.objective(p)[1], fit.log_params) * w.sum()
            found = uncertainty(self.names, fit.log_params, total)
            self.covariance_ = found.covariance
            self.standard_errors_ = found.standard_errors
            self.confidence_intervals_ = found.confidence_intervals
        return self

    def conditional_expected_value(
        self, frequency: ArrayLike, monetary_value: ArrayLike
    ) -> np.ndarray:
        """E(Z | x, m̄): ``(1 − w) p v / (q − 1) + w m̄`` with ``w = p x / (p x + q − 1)``;
        the population mean for customers without repeat purchases."""
        p, q, v = self.params_["p"], self.params_["q"], self.params_["v"]
        x = np.asarray(frequency, float)
        weight = p * x / (p * x + q - 1)
        return (1 - weight) * (v * p / (q - 1)) + weight * np.asarray(monetary_value, float)

    def customer_lifetime_value(
        self,
        transaction_model: TransactionModel,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
        monetary_value: ArrayLike,
        horizon_months: int = 36,
        monthly_discount_rate: float = 0.01,
        freq: str = "W",
    ) -> np.ndarray:
        """Discounted expected spend over ``horizon_months`` (lifetimes' definition).

        Month k (1…horizon) contributes ``E(Z | x, m̄) · (N(k·f) − N((k−1)·f)) / (1 + d)^k``
        where ``N(t)`` is the model's expected purchases in the next t periods and ``f`` the
        periods per month of ``freq`` (W 4.345, D 30, M 1, H 720).
        """
        return customer_lifetime_value(
            transaction_model,
            frequency,
            recency,
            T,
            self.conditional_expected_value(frequency, monetary_value),
            horizon_months=horizon_months,
            monthly_discount_rate=monthly_discount_rate,
            freq=freq,
        )


def customer_lifetime_value(
    transaction_model: TransactionModel,
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,
    value_per_purchase: ArrayLike,
    *,
    horizon_months: int = 36,
    monthly_discount_rate: float = 0.01,
    freq: str = "W",
) -> np.ndarray:
    """Σ_k value · (N(k f) − N((k−1) f)) / (1 + d)^k over months k = 1…horizon (see above)."""
    if freq not in PERIODS_PER_MONTH:
        raise ValueError(f"freq must be one of {', '.join(PERIODS_PER_MONTH)}, not {freq!r}")
    if horizon_months < 0 or monthly_discount_rate <= -1:
        raise ValueError("horizon_months must be ≥ 0 and monthly_discount_rate > −1")
    factor = PERIODS_PER_MONTH[freq]
    x, tx, age, value = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(v, float)) for v in (frequency, recency, T, value_per_purchase))
    )
    months = np.arange(horizon_months + 1, dtype=float)[:, None]
    cumulative = transaction_model.expected_purchases(months * factor, x, tx, age)
    cumulative = np.where(months == 0, 0.0, cumulative)
    per_month = np.diff(cumulative, axis=0)
    discount = (1 + monthly_discount_rate) ** months[1:]
    return np.asarray((value * per_month / discount).sum(axis=0))


class _Data:
    """The spend data and the mean negative log-likelihood (with its gradient) of one fit.

    Gamma functions depend on a customer only through x (a small integer): they are computed
    once per distinct x; the terms linear in p are summed once for all.
    """

    def __init__(self, x: np.ndarray, m: np.ndarray, w: np.ndarray, penalizer: float) -> None:
        self.x, self.w, self.total, self.xm = x, w, w.sum(), x * m
        self.xs, where = np.unique(x, return_inverse=True)
        self.wx = np.bincount(where, weights=w)
        self.sum_log_m = float(dot(w, np.log(m)))
        self.sum_x_log_xm = float(dot(w, x * np.log(self.xm)))
        self.penalizer = penalizer

    def _log_likelihood(self, p: float, q: float, v: float) -> tuple[float, np.ndarray]:
        pxs = p * self.xs
        log_xm_v = np.log(self.xm + v)
        ll = (
            dot(self.wx, gammaln(pxs + q) - gammaln(pxs))
            + self.total * (q * np.log(v) - gammaln(q))
            + p * self.sum_x_log_xm
            - self.sum_log_m
            - dot(self.w, (p * self.x + q) * log_xm_v)
        )
        return float(ll), log_xm_v

    def log_likelihood(self, log_params: np.ndarray) -> float:
        p, q, v = np.exp(log_params)
        return self._log_likelihood(p, q, v)[0]

    def objective(self, log_params: np.ndarray) -> tuple[float, np.ndarray]:
        p, q, v = theta = np.exp(log_params)
        ll, log_xm_v = self._log_likelihood(p, q, v)
        xs, wx, w = self.xs, self.wx, self.w
        psi = digamma(p * xs + q)
        d_p = dot(wx * xs, psi - digamma(p * xs)) + self.sum_x_log_xm - dot(w * self.x, log_xm_v)
        d_q = dot(wx, psi) - dot(w, log_xm_v) + self.total * (np.log(v) - digamma(q))
        d_v = self.total * q / v - dot(w, (p * self.x + q) / (self.xm + v))
        value = -ll / self.total + self.penalizer * np.sum(theta**2)
        gradient = -np.array([d_p, d_q, d_v]) * theta / self.total + 2 * self.penalizer * theta**2
        return float(value), gradient
