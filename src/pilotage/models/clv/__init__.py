"""Customer lifetime value: repeat-buying, spend and retention models (no Django).

- :mod:`~pilotage.models.clv.summary` — the customer summary (frequency, recency, T,
  monetary value) of transactions or of a canonical ``orders`` table, with lifetimes'
  conventions;
- :mod:`~pilotage.models.clv.bgnbd` — :class:`BetaGeo` (BG/NBD), the default purchase model;
  :mod:`~pilotage.models.clv.pareto_nbd` — :class:`ParetoNBD`, the option;
- :mod:`~pilotage.models.clv.gamma_gamma` — :class:`GammaGamma` spend per transaction and
  :func:`customer_lifetime_value`;
- :mod:`~pilotage.models.clv.sbg` — :class:`ShiftedBetaGeometric` for subscription retention;
- :mod:`~pilotage.models.clv.bootstrap` — intervals by resampling customers.

:func:`fit_clv` is the one call behind ``pilotage clv fit``. Units, conventions and the
references the tests check are in docs/clv.md.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pilotage.models.clv._mle import ConvergenceError
from pilotage.models.clv.bgnbd import BetaGeo
from pilotage.models.clv.bootstrap import BootstrapResult, bootstrap_clv
from pilotage.models.clv.gamma_gamma import PERIODS_PER_MONTH, GammaGamma, customer_lifetime_value
from pilotage.models.clv.pareto_nbd import ParetoNBD
from pilotage.models.clv.sbg import ShiftedBetaGeometric
from pilotage.models.clv.summary import (
    SUMMARY_COLUMNS,
    CustomerSummary,
    from_columns,
    summarize,
    summarize_orders,
)

__all__ = [
    "PERIODS_PER_MONTH",
    "SUMMARY_COLUMNS",
    "BetaGeo",
    "BootstrapResult",
    "ConvergenceError",
    "CustomerSummary",
    "GammaGamma",
    "ParetoNBD",
    "ShiftedBetaGeometric",
    "bootstrap_clv",
    "customer_lifetime_value",
    "fit_clv",
    "from_columns",
    "summarize",
    "summarize_orders",
]


def _intervals(found: dict[str, tuple[float, float]]) -> dict[str, list[float]]:
    return {k: [low, high] for k, (low, high) in found.items()}


def fit_clv(
    summary: CustomerSummary,
    horizon_months: int = 36,
    monthly_discount_rate: float = 0.01,
    freq: str | None = None,
    *,
    penalizer_coef: float = 0.0,
) -> dict[str, Any]:
    """Fit BG/NBD and Gamma-Gamma on ``summary`` and value every customer.

    ``freq`` is the summary's period ("W" weeks or "D" days; default: the summary's own).
    Returns the JSON shape of ``pilotage clv fit``: ``{"bgnbd": {"r", "alpha", "a", "b",
    "loglik", "confidence_intervals"}, "gamma_gamma": {"p", "q", "v", "loglik",
    "confidence_intervals"}, "customers": [{"customer_id", "expected_purchases" (over the
    horizon), "probability_alive", "expected_average_value", "clv"}]}``; intervals are 95%,
    from the observed information. Raises :class:`ConvergenceError` when the data cannot
    identify the models (too few customers or repeat purchases: a small ``penalizer_coef``
    such as 0.001 helps).
    """
    freq = freq or summary.freq
    if freq not in PERIODS_PER_MONTH:
        raise ValueError(f"freq must be one of {', '.join(PERIODS_PER_MONTH)}, not {freq!r}")
    x, tx, age, m = summary.frequency, summary.recency, summary.T, summary.monetary_value
    bg = BetaGeo(penalizer_coef).fit(x, tx, age)
    gg = GammaGamma(penalizer_coef).fit(x, m)
    horizon = horizon_months * PERIODS_PER_MONTH[freq]
    purchases = bg.expected_purchases(horizon, x, tx, age)
    alive = bg.probability_alive(x, tx, age)
    value = gg.conditional_expected_value(x, m)
    clv = gg.customer_lifetime_value(
        bg,
        x,
        tx,
        age,
        m,
        horizon_months=horizon_months,
        monthly_discount_rate=monthly_discount_rate,
        freq=freq,
    )
    found = np.concatenate([np.atleast_1d(purchases), alive, value, clv])
    if not np.all(np.isfinite(found)) or not np.all(np.isfinite(list(bg.params_.values()))):
        raise ConvergenceError(
            f"the data ({len(x)} customers, {int(np.sum(x > 0))} with repeat purchases) do not "
            "identify BG/NBD + Gamma-Gamma: the estimates run off to extreme values"
        )
    customers = [
        {
            "customer_id": str(c),
            "expected_purchases": float(e),
            "probability_alive": float(p),
            "expected_average_value": float(v),
            "clv": float(c_),
        }
        for c, e, p, v, c_ in zip(
            summary.customer_id.tolist(),
            np.broadcast_to(purchases, x.shape),
            alive,
            value,
            clv,
            strict=True,
        )
    ]
    return {
        "bgnbd": {
            **bg.params_,
            "loglik": bg.log_likelihood_,
            "confidence_intervals": _intervals(bg.confidence_intervals_),
        },
        "gamma_gamma": {
            **gg.params_,
            "loglik": gg.log_likelihood_,
            "confidence_intervals": _intervals(gg.confidence_intervals_),
        },
        "customers": customers,
    }
