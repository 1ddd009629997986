"""Shifted-beta-geometric (sBG): retention of contracts and subscriptions.

Fader & Hardie (2007), "How to Project Customer Retention", *Journal of Interactive
Marketing* 21(1), 76–90. At the end of each period a customer still under contract cancels
with probability ``θ ~ Beta(α, β)``. With ``B`` the beta function::

    P(T = t) = B(α + 1, β + t − 1) / B(α, β)         (cancels in period t)
    S(t)     = B(α, β + t) / B(α, β)                  (still a customer after t periods)
    r(t)     = S(t) / S(t − 1) = (β + t − 1) / (α + β + t − 1)   (retention rate, rising in t)

Fitted by maximum likelihood on a cohort's survivor counts ``n₀, n₁, …, n_k`` (n₀ customers
at the start): ``LL = Σ_t (n_{t−1} − n_t) log P(T = t) + n_k log S(k)``. The paper's
7-year data give α 0.704, β 1.182 ("regular") and α 0.668, β 3.806 ("high end").

The discounted expected residual lifetime (DERL; Fader & Hardie 2010, "Customer-Base
Valuation in a Contractual Setting: The Perils of Ignoring Heterogeneity", *Marketing Science*
29(1), eq. 6) of a customer who has renewed n − 1 times, valued just before the n-th renewal
decision and counting that renewal's payment undiscounted, is::

    DERL = B(α, β + n) / B(α, β + n − 1) · ₂F₁(1, β + n; α + β + n; 1/(1 + d))

in payments (multiply by the margin per period for money).

>>> model = ShiftedBetaGeometric().fit([1000, 631, 468, 382, 326, 289, 262, 241])
>>> round(model.params_["alpha"], 3), round(model.params_["beta"], 3)
(0.704, 1.182)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.special import betaln, digamma, hyp2f1

from pilotage.models.clv._mle import dot, hessian, minimize_log, uncertainty


class ShiftedBetaGeometric:
    """The sBG retention model fitted on survivor counts (scikit-learn style).

    Learned: ``params_`` ({"alpha", "beta"}), ``log_likelihood_``, ``standard_errors_``,
    ``covariance_`` and 95% ``confidence_intervals_`` (observed information, log scale).
    """

    names = ("alpha", "beta")

    def fit(self, survivors: Sequence[float] | np.ndarray) -> ShiftedBetaGeometric:
        """Fit on ``survivors[t]``, the customers still active after t periods (t = 0…k)."""
        n = np.asarray(survivors, float)
        if n.ndim != 1 or len(n) < 2:
            raise ValueError("survivors needs the starting count and at least one period")
        if np.any(~np.isfinite(n) | (n < 0)) or np.any(np.diff(n) > 0) or n[0] <= 0:
            raise ValueError("survivors must be counts ≥ 0 that never increase, from n₀ > 0")
        lost = -np.diff(n)
        t = np.arange(1, len(n), dtype=float)
        last, total = n[-1], n[0]

        def objective(log_params: np.ndarray) -> tuple[float, np.ndarray]:
            a, b = np.exp(log_params)
            base = betaln(a, b)
            ll = dot(lost, betaln(a + 1, b + t - 1) - base) + last * (betaln(a, b + t[-1]) - base)
            d_base_a, d_base_b = digamma(a) - digamma(a + b), digamma(b) - digamma(a + b)
            d_p_a = digamma(a + 1) - digamma(a + b + t) - d_base_a
            d_p_b = digamma(b + t - 1) - digamma(a + b + t) - d_base_b
            d_s_a = digamma(a) - digamma(a + b + t[-1]) - d_base_a
            d_s_b = digamma(b + t[-1]) - digamma(a + b + t[-1]) - d_base_b
            grad = np.array([dot(lost, d_p_a) + last * d_s_a, dot(lost, d_p_b) + last * d_s_b])
            return float(-ll / total), -grad * np.array([a, b]) / total

        fit = minimize_log(objective, np.zeros(2), what="sBG")
        self.params_ = dict(zip(self.names, np.exp(fit.log_params).tolist(), strict=True))
        self.log_likelihood_ = -fit.value * total
        found = uncertainty(
            self.names, fit.log_params, hessian(lambda p: objective(p)[1], fit.log_params) * total
        )
        self.covariance_ = found.covariance
        self.standard_errors_ = found.standard_errors
        self.confidence_intervals_ = found.confidence_intervals
        return self

    def _ab(self) -> tuple[float, float]:
        return self.params_["alpha"], self.params_["beta"]

    def churn_probability(self, t: Sequence[float] | np.ndarray | float) -> np.ndarray:
        """P(T = t): the share of the starting cohort that cancels in period t ≥ 1."""
        a, b = self._ab()
        t = np.asarray(t, float)
        return np.exp(betaln(a + 1, b + t - 1) - betaln(a, b))

    def survival(self, t: Sequence[float] | np.ndarray | float) -> np.ndarray:
        """S(t): the share of the starting cohort still a customer after t periods."""
        a, b = self._ab()
        t = np.asarray(t, float)
        return np.exp(betaln(a, b + t) - betaln(a, b))

    def retention(self, t: Sequence[float] | np.ndarray | float) -> np.ndarray:
        """r(t) = S(t)/S(t−1): the share of period t−1's survivors who renew in period t."""
        a, b = self._ab()
        t = np.asarray(t, float)
        return (b + t - 1) / (a + b + t - 1)

    def discounted_expected_residual_lifetime(
        self, discount_rate: float, renewals: int | np.ndarray = 0
    ) -> np.ndarray:
        """DERL (in payments) of a customer who has made ``renewals`` renewals (n − 1 above)."""
        if discount_rate <= 0:
            raise ValueError("discount_rate must be > 0 (the sum diverges otherwise)")
        a, b = self._ab()
        n = np.asarray(renewals, float) + 1
        ratio = np.exp(betaln(a, b + n) - betaln(a, b + n - 1))
        return ratio * hyp2f1(1.0, b + n, a + b + n, 1.0 / (1.0 + discount_rate))
