"""Bootstrap intervals for BG/NBD + Gamma-Gamma: parameters, CLV per customer and in total.

Customers are resampled with replacement (a replicate is a vector of how many times each
summary row was drawn, passed to the fits as weights, so no data is copied); both models are
refitted from the point estimate (a warm start: a few iterations each) and the CLV of every
original customer is recomputed with the replicate's parameters. Intervals are percentiles of
the replicates (90% by default). Deterministic given ``random_state``.

Distinct (frequency, recency, T, monetary value) rows are valued once, which keeps a
replicate's CLV cheap on large customer bases.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pilotage.models.clv._mle import ConvergenceError
from pilotage.models.clv.bgnbd import BetaGeo
from pilotage.models.clv.gamma_gamma import GammaGamma
from pilotage.models.clv.summary import CustomerSummary


@dataclass(frozen=True)
class BootstrapResult:
    """Percentile intervals at ``level`` from ``n_boot`` replicates (``failed`` did not fit).

    ``params`` maps r, alpha, a, b, p, q, v to (low, high); ``clv_low``/``clv_high`` are per
    customer, in the summary's order; ``total_clv`` is the interval of the sum over customers;
    ``draws`` holds every replicate's parameters (and ``total_clv``) for further use.
    """

    level: float
    n_boot: int
    failed: int
    params: dict[str, tuple[float, float]]
    clv_low: np.ndarray | None
    clv_high: np.ndarray | None
    total_clv: tuple[float, float] | None
    draws: dict[str, np.ndarray]


def bootstrap_clv(
    summary: CustomerSummary,
    *,
    n_boot: int = 200,
    level: float = 0.90,
    horizon_months: int = 36,
    monthly_discount_rate: float = 0.01,
    freq: str | None = None,
    per_customer: bool = True,
    penalizer_coef: float = 0.0,
    random_state: int | np.random.Generator | None = None,
) -> BootstrapResult:
    """Bootstrap the BG/NBD + Gamma-Gamma fit of ``summary`` (see the module docstring).

    ``per_customer=False`` skips the CLV (parameters only, faster); ``freq`` defaults to the
    summary's period.
    """
    if n_boot < 1 or not 0 < level < 1:
        raise ValueError("n_boot must be ≥ 1 and level between 0 and 1")
    rng = np.random.default_rng(random_state)
    freq = freq or summary.freq
    x, tx, age, m = summary.frequency, summary.recency, summary.T, summary.monetary_value
    bg = BetaGeo(penalizer_coef, compute_intervals=False).fit(x, tx, age)
    gg = GammaGamma(penalizer_coef, compute_intervals=False).fit(x, m)
    rows, where = np.unique(np.c_[x, tx, age, m], axis=0, return_inverse=True)
    where = where.ravel()
    n = len(x)
    names = (*BetaGeo.names, *GammaGamma.names)
    draws: dict[str, list[float]] = {k: [] for k in (*names, "total_clv")}
    clvs: list[np.ndarray] = []
    failed = 0
    for _ in range(n_boot):
        weights = np.bincount(rng.integers(0, n, n), minlength=n).astype(float)
        try:
            bg_b = BetaGeo(penalizer_coef, compute_intervals=False).fit(
                x, tx, age, weights=weights, initial_params=bg.params_
            )
            gg_b = GammaGamma(penalizer_coef, compute_intervals=False).fit(
                x, m, weights=weights, initial_params=gg.params_
            )
        except (ConvergenceError, ValueError):
            failed += 1
            continue
        for key, value in (*bg_b.params_.items(), *gg_b.params_.items()):
            draws[key].append(value)
        if per_customer:
            clv = gg_b.customer_lifetime_value(
                bg_b,
                rows[:, 0],
                rows[:, 1],
                rows[:, 2],
                rows[:, 3],
                horizon_months=horizon_months,
                monthly_discount_rate=monthly_discount_rate,
                freq=freq,
            )
            clvs.append(clv)
            draws["total_clv"].append(float(clv[where].sum()))
    if failed == n_boot:
        raise ConvergenceError("bootstrap: no replicate could be fitted")
    tails = (50 * (1 - level), 50 * (1 + level))
    params = {k: tuple(float(v) for v in np.percentile(draws[k], tails)) for k in names}
    clv_low = clv_high = None
    total = None
    if per_customer:
        low, high = np.percentile(np.array(clvs), tails, axis=0)
        clv_low, clv_high = low[where], high[where]
        total_low, total_high = np.percentile(draws["total_clv"], tails)
        total = (float(total_low), float(total_high))
    return BootstrapResult(
        level,
        n_boot,
        failed,
        params,  # type: ignore[arg-type]
        clv_low,
        clv_high,
        total,
        {k: np.array(v) for k, v in draws.items()},
    )
