"""Frequentist tests of a variant against the control, from per-arm summary statistics.

Every test reports the absolute lift Δ = B − A with its confidence interval, the relative lift
B/A − 1 with its interval, and the two-sided p-value of H₀: Δ = 0 (A is the control, B the
variant; "confidence" is 1 − α, 95 % with the default α = 0.05):

- **proportions** — two-proportion z-test. The test uses the *pooled* standard error
  SE₀ = √(p̄(1 − p̄)(1/n_A + 1/n_B)), p̄ = (c_A + c_B)/(n_A + n_B), the variance under H₀
  (statsmodels ``proportions_ztest``, ``test_proportions_2indep(method="score",
  correction=False)``); the interval uses the *unpooled* SE₁ = √(p_A(1 − p_A)/n_A +
  p_B(1 − p_B)/n_B), since it must hold when Δ ≠ 0 (Wald interval, statsmodels
  ``confint_proportions_2indep(method="wald")``). When both arms convert at 0 % (or both at
  100 %) there is no evidence of a difference: z = 0, p = 1.
- **means** — Welch's t-test: SE = √(s²_A/n_A + s²_B/n_B), t = Δ/SE, Welch–Satterthwaite
  degrees of freedom ν = SE⁴ / ((s²_A/n_A)²/(n_A − 1) + (s²_B/n_B)²/(n_B − 1)), interval
  Δ ± t_{ν, 1−α/2} SE (scipy ``ttest_ind_from_stats(equal_var=False)``).
- **CUPED** — the same Welch test on yᵢ − θ xᵢ, with x a pre-period covariate and θ its
  pooled within-arm regression slope (:func:`cuped_adjustment`).
- **ratio metrics** — R = Σy/Σx per arm, Welch's test on the delta-method linearisation
  Var(R̂) ≈ s²_e/n, s²_e = s²_y/x̄² − 2ȳ s_xy/x̄³ + ȳ² s²_x/x̄⁴ (:class:`RatioArm`).

**Relative lift by the delta method.** With independent arms, the first-order Taylor
expansion of f(A, B) = B/A (∂f/∂B = 1/A, ∂f/∂A = −B/A²) gives::

    Var(B̂/Â) ≈ Var(B̂)/A² + B² Var(Â)/A⁴

where Var(Â) is the variance of the arm's estimate (p(1 − p)/n, s²/n, …). The interval is
B/A − 1 ± c √Var(B̂/Â) with the critical value c of the absolute interval (z_{1−α/2} for the
z-test, t_{ν, 1−α/2} for Welch's tests), as GrowthBook does. The relative lift is None when the
control's value is 0. The p-value is that of the absolute difference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from scipy import stats  # type: ignore[import-untyped, unused-ignore]

from pilotage.models.experiments.inputs import Arm, MeanArm, ProportionArm, RatioArm

METHODS = ("frequentist",)
Metric = Literal["proportion", "mean", "ratio"]


@dataclass(frozen=True)
class Result:
    """One variant against the control.

    ``lift`` is the relative lift B/A − 1 and [``lift_low``, ``lift_high``] its 1 − α interval
    (None when the control's value is 0); ``absolute_lift`` is B − A with its interval
    [``absolute_low``, ``absolute_high``]. ``p_value`` is two-sided; ``significant`` is
    ``p_value < alpha``. ``statistic`` is z (``df`` None) or Welch's t with ``df`` degrees of
    freedom; ``standard_error`` is the one of the interval of ``absolute_lift``.
    ``control_value`` and ``variant_value`` are the rates, means (CUPED-adjusted when ``theta``
    is set) or ratios compared.

    Near the threshold the relative interval can include 0 while ``p_value < alpha``: it also
    carries the uncertainty of the control's value in the denominator (the B²/A⁴ term), so it
    is wider than the absolute test. The verdict follows ``p_value`` (and the absolute
    interval, which agrees with it up to pooled/unpooled SE for proportions).
    """

    control: str
    variant: str
    metric: Metric
    test: str
    alpha: float
    control_value: float
    variant_value: float
    lift: float | None
    lift_low: float | None
    lift_high: float | None
    absolute_lift: float
    absolute_low: float
    absolute_high: float
    p_value: float
    significant: bool
    statistic: float
    df: float | None
    standard_error: float
    theta: float | None = None


@dataclass(frozen=True)
class Cuped:
    """CUPED adjustment of two arms (see :func:`cuped_adjustment`).

    ``*_mean`` are the adjusted means, ``*_variance`` the per-user variances of y − θx;
    ``variance_reduction`` is the share of the variance of Δ removed, 1 − Var_cuped/Var_raw.
    """

    theta: float
    control_mean: float
    variant_mean: float
    control_variance: float
    variant_variance: float
    variance_reduction: float


def two_proportion_ztest(
    control: ProportionArm, variant: ProportionArm, *, alpha: float = 0.05
) -> Result:
    """Two-proportion z-test: pooled SE for the test, unpooled SE for the interval.

    z = (p_B − p_A) / √(p̄(1 − p̄)(1/n_A + 1/n_B)), p = 2 Φ(−|z|);
    Δ ± z_{1−α/2} √(p_A(1 − p_A)/n_A + p_B(1 − p_B)/n_B); relative lift by the delta method
    with Var(p̂) = p(1 − p)/n (module docstring).

    Examples
    --------
    >>> r = two_proportion_ztest(ProportionArm("A", 10_000, 400), ProportionArm("B", 10_000, 460))
    >>> round(r.lift, 3), round(r.p_value, 4), r.significant
    (0.15, 0.0365, True)
    """
    _check_alpha(alpha)
    n_a, n_b = control.users, variant.users
    p_a, p_b = control.mean, variant.mean
    pooled = (control.conversions + variant.conversions) / (n_a + n_b)
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    z = (p_b - p_a) / se0 if se0 > 0 else 0.0
    var_a, var_b = p_a * (1 - p_a) / n_a, p_b * (1 - p_b) / n_b
    critical = float(stats.norm.isf(alpha / 2))
    return _result(
        "proportion", "two-proportion z-test", control.name, variant.name, alpha,
        (p_a, var_a), (p_b, var_b), z, None, 2 * float(stats.norm.sf(abs(z))), critical,
    )  # fmt: skip


def welch_ttest(control: MeanArm, variant: MeanArm, *, alpha: float = 0.05) -> Result:
    """Welch's unequal-variance t-test on two means from their sums.

    t = (ȳ_B − ȳ_A) / √(s²_A/n_A + s²_B/n_B) with Welch–Satterthwaite ν (module docstring),
    p = 2 P(T_ν > |t|), Δ ± t_{ν,1−α/2} SE; relative lift by the delta method with
    Var(ȳ) = s²/n.

    Examples
    --------
    >>> a = MeanArm("A", users=5, sum=10.0, sum_squares=30.0)   # 0 1 2 3 4
    >>> b = MeanArm("B", users=5, sum=20.0, sum_squares=90.0)   # 2 3 4 5 6
    >>> r = welch_ttest(a, b)
    >>> r.absolute_lift, round(r.statistic, 4), r.df
    (2.0, 2.0, 8.0)
    """
    _check_alpha(alpha)
    _check_two_users(control, variant)
    return _welch(
        "mean", "Welch t-test", control, variant, alpha,
        (control.mean, control.variance), (variant.mean, variant.variance),
    )  # fmt: skip


def cuped_adjustment(control: MeanArm, variant: MeanArm) -> Cuped:
    """CUPED: adjust each user's outcome y by a pre-period covariate x, y − θ(x − x̄).

    θ is the pooled within-arm slope, with sums centred in each arm::

        θ = Σ_arms (Σ yᵢxᵢ − Σ yᵢ Σ xᵢ / n) / Σ_arms (Σ xᵢ² − (Σ xᵢ)² / n)

    the coefficient of x in the regression y ~ arm + x, so that the adjusted difference
    (ȳ_B − ȳ_A) − θ(x̄_B − x̄_A) is the regression's arm coefficient. (GrowthBook centres the
    sums on both arms together instead, which gives almost the same θ.) Per arm, the adjusted
    mean is ȳ − θ(x̄ − x̄_all), x̄_all the mean of x over both arms, and the per-user variance
    s²_y − 2θ s_xy + θ² s²_x. θ is 0 when x does not vary within the arms. θ and x̄_all are
    treated as known: their sampling error is O(1/n) and is ignored, as in Deng et al. (2013).

    Examples
    --------
    >>> a = MeanArm("A", 3, sum=6.0, sum_squares=14.0, pre_sum=6.0, pre_sum_squares=14.0,
    ...             sum_products=14.0)  # y = x = 1, 2, 3
    >>> b = MeanArm("B", 3, sum=12.0, sum_squares=50.0, pre_sum=9.0, pre_sum_squares=29.0,
    ...             sum_products=38.0)  # x = 2, 3, 4; y = x + 1
    >>> c = cuped_adjustment(a, b)
    >>> c.theta, c.variant_mean - c.control_mean, c.variance_reduction
    (1.0, 1.0, 1.0)
    """
    for arm in (control, variant):
        if not arm.has_covariate:
            raise ValueError(
                f"arm {arm.name!r} has no pre-period sums (pre_sum, pre_sum_squares, "
                "sum_products); CUPED needs them in every arm"
            )
    _check_two_users(control, variant)
    cross = sum(_centred_products(arm) for arm in (control, variant))
    spread = sum(_centred_squares(arm) for arm in (control, variant))
    theta = cross / spread if spread > 0 else 0.0
    x_all = (_pre(control)[0] + _pre(variant)[0]) / (control.users + variant.users)

    def adjusted(arm: MeanArm) -> tuple[float, float]:
        x_sum, x_var, cov = _pre(arm)
        mean = arm.mean - theta * (x_sum / arm.users - x_all)
        return mean, max(arm.variance - 2 * theta * cov + theta**2 * x_var, 0.0)

    (m_a, v_a), (m_b, v_b) = adjusted(control), adjusted(variant)
    raw = control.variance / control.users + variant.variance / variant.users
    kept = v_a / control.users + v_b / variant.users
    return Cuped(theta, m_a, m_b, v_a, v_b, 1 - kept / raw if raw > 0 else 0.0)


def cuped_ttest(control: MeanArm, variant: MeanArm, *, alpha: float = 0.05) -> Result:
    """Welch's t-test on CUPED-adjusted outcomes (:func:`cuped_adjustment`).

    Δ = (ȳ_B − ȳ_A) − θ(x̄_B − x̄_A), SE = √(v_A/n_A + v_B/n_B) with v = s²_y − 2θ s_xy +
    θ² s²_x, Welch ν from v_A, v_B; relative lift on the adjusted means by the delta method.
    Identical to scipy's Welch test on the per-user values yᵢ − θ xᵢ.
    """
    _check_alpha(alpha)
    c = cuped_adjustment(control, variant)
    return _welch(
        "mean", "Welch t-test (CUPED)", control, variant, alpha,
        (c.control_mean, c.control_variance), (c.variant_mean, c.variant_variance), c.theta,
    )  # fmt: skip


def ratio_ttest(control: RatioArm, variant: RatioArm, *, alpha: float = 0.05) -> Result:
    """Welch's t-test on ratio metrics R = Σy/Σx by the delta method.

    Per arm Var(R̂) ≈ s²_e/n with s²_e = s²_y/x̄² − 2ȳ s_xy/x̄³ + ȳ² s²_x/x̄⁴ (the sample
    variance of the linearised values eᵢ = (yᵢ − R̂xᵢ)/x̄); t = (R_B − R_A)/√(Var_A + Var_B),
    Welch ν with s²_e and n; relative lift by the delta method.
    """
    _check_alpha(alpha)
    _check_two_users(control, variant)
    return _welch(
        "ratio", "Welch t-test (delta method)", control, variant, alpha,
        (control.ratio, control.variance), (variant.ratio, variant.variance),
    )  # fmt: skip


def analyze(
    control: Arm,
    variant: Arm,
    method: str = "frequentist",
    alpha: float = 0.05,
    *,
    cuped: bool | None = None,
) -> Result:
    """Test one variant against the control with the test that fits the arms' kind.

    :class:`ProportionArm` → :func:`two_proportion_ztest`; :class:`MeanArm` →
    :func:`welch_ttest`, or :func:`cuped_ttest` when both arms carry pre-period sums (force
    either way with ``cuped``); :class:`RatioArm` → :func:`ratio_ttest`.

    Examples
    --------
    >>> r = analyze(ProportionArm("A", 8_000, 320), ProportionArm("B", 8_000, 400))
    >>> f"{r.lift:+.0%} ({r.lift_low:+.0%} to {r.lift_high:+.0%}), p = {r.p_value:.4f}"
    '+25% (+7% to +43%), p = 0.0023'
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; available: {', '.join(METHODS)}")
    if type(control) is not type(variant):
        raise ValueError(
            f"control {control.name!r} is a {type(control).__name__} but variant "
            f"{variant.name!r} is a {type(variant).__name__}; compare arms of the same kind"
        )
    if isinstance(control, ProportionArm) and isinstance(variant, ProportionArm):
        return two_proportion_ztest(control, variant, alpha=alpha)
    if isinstance(control, RatioArm) and isinstance(variant, RatioArm):
        return ratio_ttest(control, variant, alpha=alpha)
    if isinstance(control, MeanArm) and isinstance(variant, MeanArm):
        if cuped is None:
            if control.has_covariate != variant.has_covariate:
                with_x = control if control.has_covariate else variant
                raise ValueError(
                    f"only arm {with_x.name!r} has pre-period sums; give them for every arm "
                    "(CUPED) or for none"
                )
            cuped = control.has_covariate
        test = cuped_ttest if cuped else welch_ttest
        return test(control, variant, alpha=alpha)
    raise TypeError(f"cannot analyse arms of type {type(control).__name__}")


def relative_lift(
    control: tuple[float, float], variant: tuple[float, float], critical: float
) -> tuple[float, float, float] | None:
    """Relative lift B/A − 1 and its interval by the delta method.

    ``control`` and ``variant`` are (estimate, variance of the estimate);
    Var(B/A) ≈ Var(B)/A² + B² Var(A)/A⁴; interval ± ``critical`` × √Var. None when A = 0.

    Examples
    --------
    >>> [round(v, 4) for v in relative_lift((0.04, 3.6e-6), (0.05, 3.6e-6), 1.96)]
    [0.25, 0.1012, 0.3988]
    """
    (a, var_a), (b, var_b) = control, variant
    if a == 0:
        return None
    lift = b / a - 1
    half = critical * math.sqrt(var_b / a**2 + b**2 * var_a / a**4)
    return lift, lift - half, lift + half


def _welch(
    metric: Metric,
    test: str,
    control: Arm,
    variant: Arm,
    alpha: float,
    a: tuple[float, float],
    b: tuple[float, float],
    theta: float | None = None,
) -> Result:
    """Welch's test from (estimate, per-user variance) of each arm."""
    n_a, n_b = control.users, variant.users
    var_a, var_b = a[1] / n_a, b[1] / n_b
    se = math.sqrt(var_a + var_b)
    if se == 0:
        raise ValueError(
            f"{test}: arms {control.name!r} and {variant.name!r} both have zero variance, so "
            "there is no noise to test against; check the sums of squares"
        )
    df = se**4 / (var_a**2 / (n_a - 1) + var_b**2 / (n_b - 1))
    t = (b[0] - a[0]) / se
    return _result(
        metric, test, control.name, variant.name, alpha, (a[0], var_a), (b[0], var_b), t, df,
        2 * float(stats.t.sf(abs(t), df)), float(stats.t.isf(alpha / 2, df)), theta,
    )  # fmt: skip


def _result(
    metric: Metric,
    test: str,
    control: str,
    variant: str,
    alpha: float,
    a: tuple[float, float],
    b: tuple[float, float],
    statistic: float,
    df: float | None,
    p_value: float,
    critical: float,
    theta: float | None = None,
) -> Result:
    """Assemble a result from (estimate, variance of the estimate) of each arm."""
    delta = b[0] - a[0]
    se = math.sqrt(a[1] + b[1])
    relative = relative_lift(a, b, critical)
    lift, low, high = relative if relative is not None else (None, None, None)
    p_value = min(max(p_value, 0.0), 1.0)
    return Result(
        control, variant, metric, test, alpha, a[0], b[0], lift, low, high, delta,
        delta - critical * se, delta + critical * se, p_value, p_value < alpha, statistic, df,
        se, theta,
    )  # fmt: skip


def _pre(arm: MeanArm) -> tuple[float, float, float]:
    """(Σx, s²_x, s_xy) of an arm known to carry a covariate."""
    x_sum, x_var, cov = arm.pre_sum, arm.pre_variance, arm.covariance
    assert x_sum is not None and x_var is not None and cov is not None
    return x_sum, x_var, cov


def _centred_products(arm: MeanArm) -> float:
    assert arm.pre_sum is not None and arm.sum_products is not None
    return arm.sum_products - arm.sum * arm.pre_sum / arm.users


def _centred_squares(arm: MeanArm) -> float:
    assert arm.pre_sum is not None and arm.pre_sum_squares is not None
    return max(arm.pre_sum_squares - arm.pre_sum**2 / arm.users, 0.0)


def _check_two_users(control: Arm, variant: Arm) -> None:
    for arm in (control, variant):
        if arm.users < 2:
            raise ValueError(
                f"arm {arm.name!r} has {arm.users} user; a t-test needs at least 2 per arm "
                "to estimate the variance"
            )


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be strictly between 0 and 1, got {alpha}")
