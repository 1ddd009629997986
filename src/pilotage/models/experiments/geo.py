"""Geo (market) tests: measuring a pilot run in some regions when people cannot be randomised.

A regional radio campaign or a trade-show pilot reaches whole regions, so the comparison is
between *treated* regions and the others, before and after the start. Two estimators are
offered, both on a balanced panel of one outcome per unit (region, market) and period (week):

- :func:`difference_in_differences` — the two-way fixed-effects estimate (unit and period
  effects), equal to the 2×2 difference of means on a balanced panel, with a standard error
  from the unit-level pre/post differences (robust to serial correlation; Bertrand, Duflo &
  Mullainathan 2004) and a placebo-in-time check of parallel trends;
- :func:`synthetic_control` — a weighted combination of control units that tracks the treated
  units before the start (Abadie, Diamond & Hainmueller 2010), optionally with an intercept
  (the de-meaned synthetic control of Doudchenko & Imbens 2016 and Ferman & Pinto 2021), and an
  interval and p-value from in-space placebos (each control refitted as if it had been treated).

Effects are per unit and period, in the outcome's unit (``effect``), relative to the
counterfactual level of the treated units (``relative_effect``), and summed over the treated
cells (``incremental``: the extra conversions or euros the pilot brought).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize, stats  # type: ignore[import-untyped, unused-ignore]

INTERVAL_METHODS = ("rank", "normal")


@dataclass(frozen=True, eq=False)
class GeoPanel:
    """One outcome per unit and period, some units treated from ``treatment_start`` on.

    ``outcomes[i, t]`` is unit ``units[i]`` in period ``t`` (rows: units, columns: periods in
    time order). ``treatment_start`` is the index of the first treated period: periods
    ``0 … treatment_start − 1`` are the pre-period. ``periods`` optionally labels the columns.
    The array is copied and made read-only.
    """

    units: tuple[str, ...]
    outcomes: np.ndarray
    treated: tuple[str, ...]
    treatment_start: int
    periods: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        units = tuple(str(u) for u in self.units)
        values = np.array(self.outcomes, dtype=float)
        if values.ndim != 2 or values.shape[0] != len(units):
            raise ValueError(
                f"outcomes must be a table of {len(units)} units × periods, got shape "
                f"{values.shape}; give one row per unit in the order of `units`"
            )
        if len(set(units)) != len(units):
            raise ValueError("units must be distinct; a unit name appears twice")
        if not np.all(np.isfinite(values)):
            raise ValueError("outcomes hold a missing or infinite value; fill or drop that unit")
        unknown = sorted(set(self.treated) - set(units))
        if unknown:
            raise ValueError(f"treated units {unknown} are not in units")
        if not self.treated:
            raise ValueError("no treated unit: name at least one unit in `treated`")
        if len(units) - len(set(self.treated)) < 2:
            raise ValueError("at least two control (untreated) units are needed")
        if not 2 <= self.treatment_start < values.shape[1]:
            raise ValueError(
                f"treatment_start={self.treatment_start} must leave at least two pre-periods "
                f"and one post-period in {values.shape[1]} periods"
            )
        if self.periods is not None and len(self.periods) != values.shape[1]:
            raise ValueError(f"{len(self.periods)} period labels for {values.shape[1]} periods")
        values.setflags(write=False)
        object.__setattr__(self, "units", units)
        object.__setattr__(self, "treated", tuple(str(u) for u in self.treated))
        object.__setattr__(self, "outcomes", values)

    @property
    def treated_mask(self) -> np.ndarray:
        """Boolean vector over ``units``: True for a treated unit."""
        return np.array([u in set(self.treated) for u in self.units])


@dataclass(frozen=True)
class DiDResult:
    """Difference-in-differences estimate of a geo test (see :func:`difference_in_differences`).

    ``effect`` and its interval are per treated unit and post-period, in the outcome's unit;
    ``relative_*`` divide them by ``counterfactual`` (the treated units' post-period mean had
    they not been treated); ``incremental`` is ``effect × treated units × post-periods``.
    ``placebo_effect`` / ``placebo_p_value`` repeat the estimate inside the pre-period with a
    fake start at ``placebo_start``: a small p-value there warns that trends were not parallel.
    """

    effect: float
    effect_low: float
    effect_high: float
    standard_error: float
    p_value: float
    degrees_of_freedom: int
    relative_effect: float
    relative_low: float
    relative_high: float
    counterfactual: float
    incremental: float
    placebo_start: int
    placebo_effect: float
    placebo_p_value: float
    confidence: float


@dataclass(frozen=True)
class SyntheticControlResult:
    """Synthetic-control estimate of a geo test (see :func:`synthetic_control`).

    ``weights`` maps each control unit to its weight (≥ 0, summing to 1); ``intercept`` is the
    constant level shift (0 without intercept); ``synthetic`` is the counterfactual path of the
    treated units over all periods. ``pre_rmse`` is the root-mean-square gap before the start.
    ``placebo_effects`` are the in-space placebo estimates, one per control unit.
    """

    effect: float
    effect_low: float
    effect_high: float
    p_value: float
    rmspe_ratio_p_value: float
    relative_effect: float
    relative_low: float
    relative_high: float
    counterfactual: float
    incremental: float
    weights: dict[str, float]
    intercept: float
    pre_rmse: float
    post_rmse: float
    synthetic: tuple[float, ...]
    placebo_effects: tuple[float, ...] = field(repr=False)
    interval_method: str
    confidence: float


def _did(pre: np.ndarray, post: np.ndarray, treated: np.ndarray) -> tuple[float, float, int]:
    """Effect, standard error and degrees of freedom of the collapsed 2×2 DiD."""
    d = post.mean(axis=1) - pre.mean(axis=1)
    d_t, d_c = d[treated], d[~treated]
    effect = float(d_t.mean() - d_c.mean())
    dof = len(d) - 2
    pooled = (((d_t - d_t.mean()) ** 2).sum() + ((d_c - d_c.mean()) ** 2).sum()) / dof
    se = math.sqrt(pooled * (1 / len(d_t) + 1 / len(d_c)))
    return effect, se, dof


def _two_sided_p(estimate: float, se: float, dof: int) -> float:
    if se == 0:
        return 0.0 if estimate != 0 else 1.0
    return float(2 * stats.t.sf(abs(estimate) / se, dof))


def difference_in_differences(
    panel: GeoPanel, *, alpha: float = 0.05, placebo_start: int | None = None
) -> DiDResult:
    """Difference-in-differences estimate of the pilot's effect, with a placebo-in-time check.

    With ``d_i = ȳ_i,post − ȳ_i,pre`` the change of unit ``i`` between its pre- and
    post-period means, ``T`` the ``n_T`` treated and ``C`` the ``n_C`` control units:

    .. math:: \\hat δ = \\bar d_T − \\bar d_C, \\qquad
              SE = s_p \\sqrt{1/n_T + 1/n_C}, \\qquad
              s_p^2 = \\frac{Σ_T (d_i − \\bar d_T)^2 + Σ_C (d_i − \\bar d_C)^2}{n_T + n_C − 2}

    On a balanced panel ``δ̂`` equals the OLS coefficient of the treated × post indicator in
    ``y_it = α_i + γ_t + δ D_it + ε_it`` (unit and period fixed effects). Collapsing each unit
    to one pre/post difference makes the standard error robust to serial correlation within a
    unit (Bertrand, Duflo & Mullainathan 2004); it assumes the differences share one variance
    across units and uses Student's t with ``n_T + n_C − 2`` degrees of freedom, so it works
    with a single treated region. The interval is ``δ̂ ± t_{1−α/2} SE``; the relative effect
    divides by the counterfactual ``ȳ_T,post − δ̂`` (taken as known). The placebo repeats the
    estimate on the pre-period only, with a fake start at ``placebo_start`` (default: its
    middle). Assumes parallel trends and no spill-over into control units.

    Examples
    --------
    >>> y = np.array([[10, 10, 15, 15], [8, 9, 9, 8], [12, 11, 12, 11]], dtype=float)
    >>> r = difference_in_differences(GeoPanel(("A", "B", "C"), y, ("A",), 2))
    >>> round(r.effect, 6), r.incremental
    (5.0, 10.0)
    """
    _check_alpha(alpha)
    y, start, treated = panel.outcomes, panel.treatment_start, panel.treated_mask
    effect, se, dof = _did(y[:, :start], y[:, start:], treated)
    half = float(stats.t.ppf(1 - alpha / 2, dof)) * se
    counterfactual = float(y[treated, start:].mean()) - effect
    placebo = start // 2 if placebo_start is None else placebo_start
    if not 1 <= placebo < start:
        raise ValueError(f"placebo_start={placebo} must fall inside the pre-period 1…{start - 1}")
    p_effect, p_se, p_dof = _did(y[:, :placebo], y[:, placebo:start], treated)
    low, high = effect - half, effect + half
    return DiDResult(
        effect=effect,
        effect_low=low,
        effect_high=high,
        standard_error=se,
        p_value=_two_sided_p(effect, se, dof),
        degrees_of_freedom=dof,
        relative_effect=_ratio(effect, counterfactual),
        relative_low=_ratio(low, counterfactual),
        relative_high=_ratio(high, counterfactual),
        counterfactual=counterfactual,
        incremental=effect * int(treated.sum()) * (y.shape[1] - start),
        placebo_start=placebo,
        placebo_effect=p_effect,
        placebo_p_value=_two_sided_p(p_effect, p_se, p_dof),
        confidence=1 - alpha,
    )


def simplex_least_squares(design: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Weights ``w ≥ 0`` with ``Σ w = 1`` minimising ``‖target − design · w‖²``.

    Solved as a non-negative least-squares problem on the system augmented with one row that
    enforces the sum, ``[design; M·1ᵀ] w ≈ [target; M]`` (Lawson–Hanson NNLS, with ``M`` a
    thousand times the scale of ``design`` so the sum is met to ~1e-6), then polished: on the
    support found, the equality-constrained least squares is solved exactly from its KKT
    system ``[2AᵀA 1; 1ᵀ 0][w; λ] = [2Aᵀb; 1]``. The polish is kept when its weights stay
    non-negative; otherwise the NNLS weights are rescaled to sum to 1.
    """
    a = np.asarray(design, dtype=float)
    b = np.asarray(target, dtype=float)
    n_weights = a.shape[1]
    big = 1e3 * max(float(np.linalg.norm(a)), 1.0)
    augmented = np.vstack([a, np.full((1, n_weights), big)])
    w = np.clip(optimize.nnls(augmented, np.append(b, big), maxiter=50 * n_weights)[0], 0, None)
    support = np.flatnonzero(w > 1e-12)
    if support.size == 0:
        return np.full(n_weights, 1.0 / n_weights)
    a_s = a[:, support]
    kkt = np.zeros((support.size + 1, support.size + 1))
    kkt[:-1, :-1] = 2 * a_s.T @ a_s
    kkt[:-1, -1] = kkt[-1, :-1] = 1.0
    rhs = np.append(2 * a_s.T @ b, 1.0)
    polished = np.linalg.lstsq(kkt, rhs, rcond=None)[0][:-1]
    out = np.zeros(n_weights)
    if np.all(polished >= -1e-12):
        out[support] = np.clip(polished, 0.0, None)
    else:
        out[support] = w[support]
    return out / out.sum()


def _fit_synthetic(
    target: np.ndarray, donors: np.ndarray, start: int, intercept: bool
) -> tuple[np.ndarray, float, np.ndarray]:
    """Weights, intercept and synthetic path of one target series from donor rows."""
    pre_t, pre_d = target[:start], donors[:, :start]
    if intercept:
        w = simplex_least_squares(
            (pre_d - pre_d.mean(axis=1, keepdims=True)).T, pre_t - pre_t.mean()
        )
        c = float(pre_t.mean() - w @ pre_d.mean(axis=1))
    else:
        w, c = simplex_least_squares(pre_d.T, pre_t), 0.0
    return w, c, c + w @ donors


def _gap_summary(target: np.ndarray, path: np.ndarray, start: int) -> tuple[float, float, float]:
    """Mean post-period gap, pre-period RMSE and post-period RMSE."""
    gap = target - path
    pre_rmse = float(np.sqrt(np.mean(gap[:start] ** 2)))
    return float(gap[start:].mean()), pre_rmse, float(np.sqrt(np.mean(gap[start:] ** 2)))


def synthetic_control(
    panel: GeoPanel,
    *,
    alpha: float = 0.05,
    intercept: bool = True,
    interval: str = "rank",
) -> SyntheticControlResult:
    """Synthetic-control estimate of the pilot's effect with an in-space placebo interval.

    The treated units are averaged into one series ``y_t``; the ``J`` control units ``x_jt``
    are the donors. The weights solve, on the pre-period ``t < t₀``,

    .. math:: \\min_{w ≥ 0,\\ Σ_j w_j = 1}\\ Σ_{t<t_0} \\big(y_t − c − Σ_j w_j x_{jt}\\big)^2

    where the intercept ``c`` is free when ``intercept`` is True (the de-meaned synthetic
    control: it matches the shape of the series, not its level, so a region larger than every
    donor can still be matched) and 0 otherwise (Abadie et al. 2010). See
    :func:`simplex_least_squares` for the solver. The synthetic series is
    ``ŷ_t = c + Σ_j w_j x_jt``, and the effect is the mean post-period gap
    ``τ̂ = mean_{t≥t₀}(y_t − ŷ_t)``; ``pre_rmse = √mean_{t<t₀}(y_t − ŷ_t)²``.

    Inference uses in-space placebos: each control unit ``j`` in turn plays the treated one,
    fitted from the other controls, giving ``τ_j`` — draws of the estimator's error when there
    is no effect. With ``interval="rank"`` (distribution-free; exchangeable errors):

    .. math:: p = \\frac{1 + \\#\\{j : |τ_j| ≥ |\\hat τ|\\}}{J + 1}, \\qquad
              \\hat τ ± |τ|_{(k)},\\ k = ⌈(1 − α)(J + 1)⌉

    (``|τ|_(k)`` the k-th smallest ``|τ_j|``; the interval inverts the test and covers with
    probability ≥ 1 − α; it is unbounded when ``J < 1/α − 1``, e.g. fewer than 19 controls at
    α = 0.05). With ``interval="normal"`` the placebo effects are taken as draws of a normal
    error with mean 0 and variance ``s² = Σ_j τ_j² / J``, so ``(τ̂ − τ)/s`` follows Student's
    t with ``J`` degrees of freedom: the interval is ``τ̂ ± t_{1−α/2, J} s`` and ``p`` the
    t-test of ``τ̂ / s`` — finite with few controls, at the price of that assumption.
    ``rmspe_ratio_p_value`` is Abadie et al.'s rank of the post/pre RMSE ratio among all
    units (it discounts placebos that fit badly before the start). When several units are
    treated, their average is smoother than any single placebo, which makes both intervals
    conservative.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> y = 100 + rng.normal(0, 1, (25, 20)) + np.sin(np.arange(20))
    >>> y[0, 15:] += 10
    >>> r = synthetic_control(GeoPanel(tuple("ABCDEFGHIJKLMNOPQRSTUVWXY"), y, ("A",), 15))
    >>> r.effect_low < 10 < r.effect_high, round(sum(r.weights.values()), 12)
    (True, 1.0)
    """
    _check_alpha(alpha)
    if interval not in INTERVAL_METHODS:
        raise ValueError(f"interval={interval!r}: choose one of {', '.join(INTERVAL_METHODS)}")
    y, start, treated = panel.outcomes, panel.treatment_start, panel.treated_mask
    target, donors = y[treated].mean(axis=0), y[~treated]
    weights, c, path = _fit_synthetic(target, donors, start, intercept)
    effect, pre_rmse, post_rmse = _gap_summary(target, path, start)

    n_donors = donors.shape[0]
    placebo = np.empty(n_donors)
    ratios = np.empty(n_donors)
    for j in range(n_donors):
        others = np.delete(donors, j, axis=0)
        _, _, p_path = _fit_synthetic(donors[j], others, start, intercept)
        placebo[j], p_pre, p_post = _gap_summary(donors[j], p_path, start)
        ratios[j] = p_post / p_pre if p_pre > 0 else math.inf
    ratio = post_rmse / pre_rmse if pre_rmse > 0 else math.inf
    rmspe_p = (1 + int(np.sum(ratios >= ratio))) / (n_donors + 1)

    low, high, p_value = _placebo_interval(effect, placebo, alpha, interval)
    counterfactual = float(path[start:].mean())
    controls = [u for u, t in zip(panel.units, treated, strict=True) if not t]
    return SyntheticControlResult(
        effect=effect,
        effect_low=low,
        effect_high=high,
        p_value=p_value,
        rmspe_ratio_p_value=rmspe_p,
        relative_effect=_ratio(effect, counterfactual),
        relative_low=_ratio(low, counterfactual),
        relative_high=_ratio(high, counterfactual),
        counterfactual=counterfactual,
        incremental=effect * int(treated.sum()) * (y.shape[1] - start),
        weights={u: float(w) for u, w in zip(controls, weights, strict=True)},
        intercept=c,
        pre_rmse=pre_rmse,
        post_rmse=post_rmse,
        synthetic=tuple(float(v) for v in path),
        placebo_effects=tuple(float(v) for v in placebo),
        interval_method=interval,
        confidence=1 - alpha,
    )


def _placebo_interval(
    effect: float, placebo: np.ndarray, alpha: float, method: str
) -> tuple[float, float, float]:
    """Interval bounds and p-value from the placebo effects (see :func:`synthetic_control`)."""
    n = placebo.size
    if method == "rank":
        p_value = (1 + int(np.sum(np.abs(placebo) >= abs(effect)))) / (n + 1)
        k = math.ceil((1 - alpha) * (n + 1) - 1e-9)  # guard 0.95 × 20 = 19.000…01
        if k > n:
            return -math.inf, math.inf, p_value
        half = float(np.sort(np.abs(placebo))[k - 1])
        return effect - half, effect + half, p_value
    scale = math.sqrt(float(np.mean(placebo**2)))
    half = float(stats.t.ppf(1 - alpha / 2, n)) * scale
    return effect - half, effect + half, _two_sided_p(effect, scale, n)


def _ratio(value: float, base: float) -> float:
    return value / base if base != 0 else math.nan


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha={alpha} must lie strictly between 0 and 1 (e.g. 0.05)")


__all__ = [
    "DiDResult",
    "GeoPanel",
    "SyntheticControlResult",
    "difference_in_differences",
    "simplex_least_squares",
    "synthetic_control",
]
