"""Bayesian A/B analysis on summary statistics: chance to win, expected loss, credible interval.

The model is GrowthBook's "effect" Bayesian engine (``gbstats`` 0.8.0,
``EffectBayesianABTest``), re-implemented so that the same summary statistics give the same
numbers (the tests check it against ``gbstats`` itself):

1. **Likelihood** — the lift of the variant B over the control A is approximately normal
   (central limit theorem), ``Δ̂ ~ N(Δ, v)``, with, for the relative lift,

   .. math:: Δ̂ = \\frac{\\bar y_B − \\bar y_A}{\\bar y_A}, \\qquad
             v = \\frac{s_B^2}{\\bar y_A^2 n_B} + \\frac{s_A^2 \\bar y_B^2}{\\bar y_A^4 n_A}

   (delta method), and for the absolute lift ``Δ̂ = ȳ_B − ȳ_A``, ``v = s²_A/n_A + s²_B/n_B``.
   See :func:`lift_distribution` and :func:`arm_moments` for ``ȳ`` and ``s²`` per metric type.
2. **Prior** — ``Δ ~ N(μ₀, σ₀²)`` when :class:`GaussianPrior` is ``proper``; otherwise flat
   (improper), the default, which makes the posterior the likelihood.
3. **Posterior** — normal, by conjugacy:

   .. math:: \\frac{1}{σ_*^2} = \\frac1v + \\frac{[proper]}{σ_0^2}, \\qquad
             μ_* = σ_*^2 \\Big(\\frac{Δ̂}{v} + \\frac{μ_0}{σ_0^2}\\Big)\\ \\text{(proper)},
             \\quad μ_* = Δ̂\\ \\text{(flat)}

From ``Δ | data ~ N(μ*, σ*²)`` come the chance to win ``P(Δ > 0) = Φ(μ*/σ*)``, the equal-tailed
credible interval ``μ* ± z_{1−α/2} σ*``, and the expected losses (risk)

.. math:: \\text{risk}_B = E[\\max(−Δ, 0)] = σ_* φ(μ_*/σ_*) − μ_* Φ(−μ_*/σ_*), \\qquad
          \\text{risk}_A = E[\\max(Δ, 0)] = σ_* φ(μ_*/σ_*) + μ_* Φ(μ_*/σ_*)

— what is lost on average, in lift units, by shipping B (or keeping A) if it is the worse arm.
For a metric where lower is better (``inverse``), the chance to win is ``P(Δ < 0)`` and the two
risks swap. Sequential monitoring reuses :func:`lift_distribution`
(:mod:`pilotage.models.experiments.sequential`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, TypeVar

import numpy as np
from scipy.stats import norm  # type: ignore[import-untyped, unused-ignore]

from pilotage.models.experiments.inputs import Arm, MeanArm, ProportionArm, RatioArm

DifferenceType = Literal["relative", "absolute"]
DIFFERENCE_TYPES = ("relative", "absolute")
Numeric = TypeVar("Numeric", float, np.ndarray)


@dataclass(frozen=True)
class GaussianPrior:
    """A normal prior ``N(mean, variance)`` on the lift, used only when ``proper`` is True.

    ``scale`` says whether ``mean`` and ``variance`` are stated on the relative lift (0.1 is
    +10%) or the absolute one (in the metric's unit); a prior on the other scale is converted
    with the control's mean ``ȳ_A``: relative = absolute / |ȳ_A|, variance / ȳ_A². The default
    is GrowthBook's: flat (improper), so the data alone speak. A marketer's "a lift beyond ±30%
    would surprise me" (95% of the prior within ±30%) is ``GaussianPrior(0.0, 0.15**2, True)``.
    """

    mean: float = 0.0
    variance: float = 1.0
    proper: bool = False
    scale: DifferenceType = "relative"

    def __post_init__(self) -> None:
        if self.scale not in DIFFERENCE_TYPES:
            raise ValueError(f"prior scale {self.scale!r}: choose 'relative' or 'absolute'")
        if self.proper and not self.variance > 0:
            raise ValueError(f"a proper prior needs a variance > 0, got {self.variance}")


@dataclass(frozen=True)
class ArmMoments:
    """What the normal approximation needs from one arm (see :func:`arm_moments`).

    ``mean`` is the (CUPED-adjusted) mean, ``unadjusted_mean`` the plain one, ``variance`` the
    per-user variance of the (adjusted) metric and ``users`` the arm's size.
    """

    mean: float
    unadjusted_mean: float
    variance: float
    users: int


@dataclass(frozen=True)
class LiftDistribution:
    """The normal approximation ``Δ̂ ~ N(estimate, variance)`` of the lift (both arms' users)."""

    estimate: float
    variance: float
    users: int
    difference_type: DifferenceType
    cuped: bool


@dataclass(frozen=True)
class BayesianResult:
    """Posterior summary of one variant against the control (see :func:`bayesian_test`).

    ``lift`` is the posterior mean of the lift (relative: 0.12 is +12%), ``lift_low`` /
    ``lift_high`` its credible interval at level ``credible_level``; ``chance_to_win`` is the
    posterior probability that the variant is better; ``risk`` the expected loss of choosing
    the variant and ``risk_control`` that of keeping the control, in lift units. ``prior`` is
    the prior as applied, on the lift's scale.
    """

    control: str
    variant: str
    difference_type: DifferenceType
    lift: float
    lift_stddev: float
    lift_low: float
    lift_high: float
    credible_level: float
    chance_to_win: float
    risk: float
    risk_control: float
    prior: GaussianPrior
    inverse: bool
    cuped: bool


def _cuped_theta(a: Arm, b: Arm) -> float:
    """θ = Cov(y, x) / Var(x) on both arms pooled (GrowthBook's ``compute_theta``).

    0 (no adjustment) unless both arms are means with pre-period sums, and 0 when the pooled
    variance of ``x`` or ``y`` is 0.
    """
    if not (isinstance(a, MeanArm) and isinstance(b, MeanArm)):
        return 0.0
    if not (a.has_covariate and b.has_covariate):
        return 0.0
    n = a.users + b.users
    y, yy = a.sum + b.sum, a.sum_squares + b.sum_squares
    x = (a.pre_sum or 0.0) + (b.pre_sum or 0.0)
    xx = (a.pre_sum_squares or 0.0) + (b.pre_sum_squares or 0.0)
    xy = (a.sum_products or 0.0) + (b.sum_products or 0.0)
    var_x = (xx - x * x / n) / (n - 1)
    var_y = (yy - y * y / n) / (n - 1)
    if var_x <= 0 or var_y <= 0:
        return 0.0
    return ((xy - y * x / n) / (n - 1)) / var_x


def arm_moments(arm: Arm, theta: float = 0.0) -> ArmMoments:
    """Mean and per-user variance of an arm's metric, as GrowthBook computes them.

    - proportion: ``ȳ = p̂``, ``s² = p̂(1 − p̂)`` (binomial, n convention, as ``gbstats``);
    - mean: ``ȳ = Σy/n``, ``s² = (Σy² − (Σy)²/n)/(n − 1)``; with CUPED (``theta ≠ 0``) the
      adjusted mean is ``ȳ − θ x̄`` and ``s² = s²_y + θ² s²_x − 2θ s_xy``;
    - ratio ``R̂ = Σy/Σx``: ``s² = s²_y/x̄² − 2 ȳ s_xy/x̄³ + ȳ² s²_x/x̄⁴`` (delta method).
    """
    if isinstance(arm, ProportionArm):
        p = arm.mean
        return ArmMoments(p, p, p * (1 - p), arm.users)
    if isinstance(arm, RatioArm):
        return ArmMoments(arm.ratio, arm.ratio, arm.variance, arm.users)
    if theta == 0.0:
        return ArmMoments(arm.mean, arm.mean, arm.variance, arm.users)
    pre_mean, pre_var, cov = arm.pre_mean, arm.pre_variance, arm.covariance
    if pre_mean is None or pre_var is None or cov is None:
        raise ValueError(f"arm {arm.name!r} has no pre-period sums for CUPED")
    variance = arm.variance + theta**2 * pre_var - 2 * theta * cov
    return ArmMoments(arm.mean - theta * pre_mean, arm.mean, variance, arm.users)


def lift_distribution(
    control: Arm,
    variant: Arm,
    *,
    difference_type: DifferenceType = "relative",
    cuped: bool = True,
) -> LiftDistribution:
    """Normal approximation of the lift of ``variant`` over ``control`` from summary statistics.

    Relative: ``Δ̂ = (ȳ_B − ȳ_A)/ȳ⁰_A`` and ``v = s²_B/(ȳ⁰_A² n_B) + s²_A ȳ⁰_B²/(ȳ⁰_A⁴ n_A)``
    where ``ȳ`` are the (CUPED-adjusted) means and ``ȳ⁰`` the unadjusted ones; absolute:
    ``Δ̂ = ȳ_B − ȳ_A``, ``v = s²_A/n_A + s²_B/n_B`` (:func:`arm_moments`). CUPED applies when
    both arms are :class:`MeanArm` with pre-period sums and ``cuped`` is True, with one ``θ``
    from both arms pooled. Raises ``ValueError`` when the arms are of different types, when a
    variance is 0 (nothing varies: no inference possible), or for a relative lift over a
    control mean of 0.

    Examples
    --------
    >>> d = lift_distribution(ProportionArm("A", 1000, 40), ProportionArm("B", 1000, 50))
    >>> round(d.estimate, 6), round(d.variance, 6)
    (0.25, 0.067188)
    """
    if type(control) is not type(variant):
        raise ValueError(
            f"arms {control.name!r} and {variant.name!r} are of different metric types "
            f"({type(control).__name__}, {type(variant).__name__}); give both the same columns"
        )
    if difference_type not in DIFFERENCE_TYPES:
        raise ValueError(f"difference_type={difference_type!r}: choose 'relative' or 'absolute'")
    theta = _cuped_theta(control, variant) if cuped else 0.0
    a, b = arm_moments(control, theta), arm_moments(variant, theta)
    if not (a.variance > 0 and b.variance > 0):
        raise ValueError(
            f"the metric does not vary in arm {(control if not a.variance > 0 else variant).name!r}"
            " (variance 0 or undefined: no conversion yet, every user converted, or a single "
            "user): no inference possible yet"
        )
    if difference_type == "relative" and (a.mean == 0 or a.unadjusted_mean == 0):
        raise ValueError(
            f"the control {control.name!r} has a mean of 0: a relative lift is undefined; "
            "wait for conversions or use difference_type='absolute'"
        )
    estimate, variance = lift_from_moments(
        (a.mean, a.unadjusted_mean, a.variance, a.users),
        (b.mean, b.unadjusted_mean, b.variance, b.users),
        relative=difference_type == "relative",
    )
    estimate, variance = float(estimate), float(variance)
    return LiftDistribution(estimate, variance, a.users + b.users, difference_type, theta != 0.0)


def lift_from_moments(
    control: tuple[Numeric, Numeric, Numeric, Numeric],
    variant: tuple[Numeric, Numeric, Numeric, Numeric],
    *,
    relative: bool = True,
) -> tuple[Numeric, Numeric]:
    """Lift estimate and its variance from each arm's ``(mean, unadjusted_mean, s², n)``.

    The formulas of :func:`lift_distribution`, on numbers or numpy arrays alike (vectorised
    simulations of many experiments at once): relative
    ``((ȳ_B − ȳ_A)/ȳ⁰_A, s²_B/(ȳ⁰_A² n_B) + s²_A ȳ⁰_B²/(ȳ⁰_A⁴ n_A))``, absolute
    ``(ȳ_B − ȳ_A, s²_A/n_A + s²_B/n_B)``.
    """
    mean_a, base_a, var_a, n_a = control
    mean_b, base_b, var_b, n_b = variant
    if not relative:
        return mean_b - mean_a, var_a / n_a + var_b / n_b
    estimate = (mean_b - mean_a) / base_a
    variance = var_b / (base_a**2 * n_b) + var_a * base_b**2 / (base_a**4 * n_a)
    return estimate, variance


def expected_losses(mean: float, stddev: float) -> tuple[float, float]:
    """Expected losses ``(E[max(−Δ, 0)], E[max(Δ, 0)])`` for ``Δ ~ N(mean, stddev²)``.

    .. math:: E[\\max(−Δ, 0)] = σ φ(μ/σ) − μ Φ(−μ/σ), \\qquad
              E[\\max(Δ, 0)] = σ φ(μ/σ) + μ Φ(μ/σ)

    The first is the risk of choosing the variant, the second that of keeping the control.

    Examples
    --------
    >>> [round(x, 6) for x in expected_losses(0.0, 1.0)]  # both σ/√(2π)
    [0.398942, 0.398942]
    """
    z = mean / stddev
    density = stddev * float(norm.pdf(z))
    return density - mean * float(norm.cdf(-z)), density + mean * float(norm.cdf(z))


def bayesian_test(
    control: Arm,
    variant: Arm,
    *,
    prior: GaussianPrior | None = None,
    difference_type: DifferenceType = "relative",
    alpha: float = 0.05,
    inverse: bool = False,
    cuped: bool = True,
) -> BayesianResult:
    """Chance to win, expected loss and credible interval of ``variant`` against ``control``.

    Implements the model of the module docstring (GrowthBook's effect engine): the normal
    likelihood of :func:`lift_distribution` times ``prior`` (flat by default) gives the
    posterior ``N(μ*, σ*²)``; then ``chance_to_win = Φ(μ*/σ*)`` (``Φ(−μ*/σ*)`` when
    ``inverse``, i.e. lower is better), the credible interval ``μ* ± z_{1−α/2} σ*`` and the
    risks of :func:`expected_losses` (swapped when ``inverse``). A prior stated on the other
    scale than ``difference_type`` is converted with the control's unadjusted mean.

    Examples
    --------
    >>> r = bayesian_test(ProportionArm("A", 1000, 40), ProportionArm("B", 1000, 50))
    >>> round(r.lift, 4), round(r.chance_to_win, 4), round(r.risk, 4)
    (0.25, 0.8326, 0.0231)
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha={alpha} must lie strictly between 0 and 1 (e.g. 0.05)")
    prior = GaussianPrior() if prior is None else prior
    dist = lift_distribution(control, variant, difference_type=difference_type, cuped=cuped)
    prior = _rescaled_prior(prior, difference_type, arm_moments(control).unadjusted_mean)
    if prior.proper:
        precision = 1 / dist.variance + 1 / prior.variance
        mean = (dist.estimate / dist.variance + prior.mean / prior.variance) / precision
    else:
        precision, mean = 1 / dist.variance, dist.estimate
    stddev = math.sqrt(1 / precision)
    win = float(norm.sf(0.0, mean, stddev))
    loss_variant, loss_control = expected_losses(mean, stddev)
    if inverse:
        win, loss_variant, loss_control = 1 - win, loss_control, loss_variant
    low, high = (float(q) for q in norm.ppf([alpha / 2, 1 - alpha / 2], mean, stddev))
    return BayesianResult(
        control=control.name,
        variant=variant.name,
        difference_type=difference_type,
        lift=mean,
        lift_stddev=stddev,
        lift_low=low,
        lift_high=high,
        credible_level=1 - alpha,
        chance_to_win=win,
        risk=loss_variant,
        risk_control=loss_control,
        prior=prior,
        inverse=inverse,
        cuped=dist.cuped,
    )


def _rescaled_prior(prior: GaussianPrior, to: DifferenceType, control_mean: float) -> GaussianPrior:
    """The prior on the scale ``to`` (relative = absolute / |ȳ_A|, as GrowthBook)."""
    if prior.scale == to:
        return prior
    if control_mean == 0:
        raise ValueError("a prior cannot change scale when the control's mean is 0")
    factor = abs(control_mean) if to == "absolute" else 1 / abs(control_mean)
    return GaussianPrior(prior.mean * factor, prior.variance * factor**2, prior.proper, to)


__all__ = [
    "ArmMoments",
    "BayesianResult",
    "GaussianPrior",
    "LiftDistribution",
    "arm_moments",
    "bayesian_test",
    "expected_losses",
    "lift_distribution",
    "lift_from_moments",
]
