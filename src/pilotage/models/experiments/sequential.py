"""Sequential monitoring: a p-value and an interval that stay valid when people look every day.

Why it exists: a fixed-horizon test (z-test, Welch) controls its false-positive rate α only
if it is read **once**, at the planned end. A marketer who checks a 15-day pilot every morning
and stops at the first "significant" day runs 15 tests, and the chance that at least one of
them crosses the line by luck is several times α (the tests of this module simulate it: about
20% instead of 5% with 15 daily looks). The methods here are *always valid*: the probability
that the p-value ever drops below α, or that the interval ever misses the true lift, at any
look chosen after seeing the data, stays ≤ α.

The method is the normal-mixture sequential probability ratio test (mSPRT; Robbins 1970,
Johari, Koomen, Pekelis & Walsh 2017/2022) in its asymptotic form (Waudby-Smith, Arnold, Wu,
Howard & Ramdas 2023, eq. 9 and 155, after Howard, Ramdas, McAuliffe & Sekhon 2021), which is
also GrowthBook's "sequential testing" (``gbstats`` ``SequentialTwoSidedTTest``; the tests check
the numbers agree). At a look with ``N`` users in both arms, lift estimate ``Δ̂`` with variance
``v`` (:func:`pilotage.models.experiments.bayesian.lift_distribution`, relative or absolute),
write ``s² = N v`` for the per-user variance and ``Z² = (Δ̂ − Δ₀)² / v``. Mixing the likelihood
ratio of ``Δ = Δ₀ + θ s`` against ``Δ₀`` over a normal ``θ ~ N(0, ρ²)`` gives

.. math:: Λ_N = \\frac{1}{\\sqrt{Nρ^2 + 1}} \\exp\\Big(\\frac{ρ^2 N Z^2}{2 (Nρ^2 + 1)}\\Big),

a nonnegative martingale under ``Δ = Δ₀`` with ``E Λ = 1``, so by Ville's inequality
``P(∃N: Λ_N ≥ 1/α) ≤ α``. Hence the always-valid p-value ``p_N = min(1, 1/Λ_N)`` and, inverting
``Λ_N < 1/α`` in ``Δ₀``, the confidence sequence

.. math:: Δ̂ ± s \\sqrt{\\frac{2 (Nρ^2 + 1)}{N^2 ρ^2} \\ln\\frac{\\sqrt{Nρ^2 + 1}}{α}}.

**Tuning parameter.** ``ρ²`` is the variance of the mixing distribution over the standardised
effect (lift per user in units of ``s``). The boundary is tightest near ``N*`` users when

.. math:: ρ^2 = \\frac{−2 \\ln α + \\ln(1 − 2 \\ln α)}{N^*}

(Howard et al. 2021, eq. 161 of Waudby-Smith et al.): set ``expected_users = N*`` to the total
users the pilot is planned to reach (both arms over its duration). GrowthBook's default is
5,000. The guarantee holds for any ``N*``; a poor choice only costs power.

Since the p-value and interval hold at every look simultaneously, the running minimum of the
p-values and the running intersection of the intervals are valid too; pass the previous look's
result as ``previous`` to :func:`sequential_test` to use them. The validity is asymptotic: the
lift estimate must be close to normal at each look (a few dozen conversions per arm).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

import numpy as np

from pilotage.models.experiments.bayesian import DifferenceType, lift_distribution
from pilotage.models.experiments.inputs import Arm

Numeric = TypeVar("Numeric", float, np.ndarray)
DEFAULT_EXPECTED_USERS = 5000  # GrowthBook's default tuning parameter


class Decision(StrEnum):
    """What to do after a look."""

    WIN = "stop: variant wins"
    LOSE = "stop: variant loses"
    CONTINUE = "continue"


@dataclass(frozen=True)
class SequentialResult:
    """One look of a sequential test of ``variant`` against ``control``.

    ``lift`` is the current estimate and ``lift_low`` / ``lift_high`` the confidence sequence
    (level ``1 − alpha``) at this look, intersected with the earlier ones when a ``previous``
    look was given; ``p_value`` is the always-valid p-value (the running minimum likewise) and
    ``decision`` says whether to stop. ``users`` is the total in both arms; ``mixing_variance``
    is ``ρ²``, set from ``expected_users``.
    """

    control: str
    variant: str
    difference_type: DifferenceType
    lift: float
    lift_low: float
    lift_high: float
    p_value: float
    decision: Decision
    users: int
    alpha: float
    expected_users: int
    mixing_variance: float
    inverse: bool
    cuped: bool


def mixing_variance(expected_users: float, alpha: float) -> float:
    """Variance ``ρ²`` of the normal mixing distribution, tightest at ``expected_users`` users.

    .. math:: ρ^2 = \\frac{−2 \\ln α + \\ln(1 − 2 \\ln α)}{N^*}

    Examples
    --------
    >>> round(mixing_variance(5000, 0.05), 8)  # GrowthBook's default
    0.00158723
    """
    if not expected_users > 0:
        raise ValueError(f"expected_users={expected_users} must be > 0 (planned users, both arms)")
    _check_alpha(alpha)
    return (-2 * math.log(alpha) + math.log(1 - 2 * math.log(alpha))) / expected_users


def confidence_sequence_half_width(
    variance: Numeric, users: Numeric, *, alpha: float = 0.05, expected_users: float
) -> Numeric:
    """Half-width of the normal-mixture confidence sequence at a look (numbers or arrays).

    .. math:: h_N = \\sqrt{v \\, \\frac{2 (Nρ^2 + 1)}{Nρ^2} \\ln\\frac{\\sqrt{Nρ^2 + 1}}{α}}

    with ``v`` the variance of the lift estimate and ``N`` the users in both arms (the
    ``s√(2(Nρ²+1)/(N²ρ²) …)`` of the module docstring, with ``s² = N v``).
    """
    rho2 = mixing_variance(expected_users, alpha)
    n_rho2 = users * rho2
    return np.sqrt(variance * 2 * (n_rho2 + 1) / n_rho2 * np.log(np.sqrt(n_rho2 + 1) / alpha))


def always_valid_p_value(
    estimate: Numeric,
    variance: Numeric,
    users: Numeric,
    *,
    alpha: float = 0.05,
    expected_users: float,
    null: float = 0.0,
) -> Numeric:
    """Always-valid p-value ``min(1, 1/Λ_N)`` of the mixture SPRT (numbers or arrays).

    .. math:: \\ln Λ_N = \\frac{ρ^2 N Z^2}{2 (Nρ^2 + 1)} − \\tfrac12 \\ln(Nρ^2 + 1),
              \\qquad Z^2 = \\frac{(Δ̂ − Δ_0)^2}{v}

    computed in log space (no overflow for large ``Z``). ``alpha`` enters only through the
    tuning of ``ρ²`` (:func:`mixing_variance`), as in GrowthBook.

    Examples
    --------
    >>> p = always_valid_p_value(0.2, 0.004, 24_000, expected_users=24_000)
    >>> round(float(p), 4)
    0.0352
    """
    rho2 = mixing_variance(expected_users, alpha)
    n_rho2 = users * rho2
    z2 = (estimate - null) ** 2 / variance
    log_lr = n_rho2 * z2 / (2 * (n_rho2 + 1)) - 0.5 * np.log(n_rho2 + 1)
    return np.exp(-np.maximum(log_lr, 0.0))


def sequential_test(
    control: Arm,
    variant: Arm,
    *,
    alpha: float = 0.05,
    expected_users: int = DEFAULT_EXPECTED_USERS,
    difference_type: DifferenceType = "relative",
    inverse: bool = False,
    cuped: bool = True,
    previous: SequentialResult | None = None,
) -> SequentialResult:
    """Look at a running test: always-valid p-value, confidence sequence, and a decision.

    ``control`` and ``variant`` hold the **cumulative** summary statistics since the start. The
    lift and its variance come from :func:`~pilotage.models.experiments.bayesian.lift_distribution`
    (relative by default, CUPED when pre-period sums are given), the interval from
    :func:`confidence_sequence_half_width` and the p-value from :func:`always_valid_p_value`.
    With ``previous`` (the result of the last look) the p-value is the running minimum and the
    interval the running intersection. The decision is "stop: variant wins" when the interval
    lies above 0 (below 0 when ``inverse``, i.e. lower is better), "stop: variant loses" when it
    lies on the other side, "continue" otherwise — equivalently, stop when ``p ≤ α``.

    Examples
    --------
    >>> from pilotage.models.experiments.inputs import ProportionArm
    >>> a, b = ProportionArm("A", 12_000, 480), ProportionArm("B", 12_000, 600)
    >>> r = sequential_test(a, b, expected_users=24_000)
    >>> round(r.lift, 3), r.p_value < 0.05, r.decision.value
    (0.25, True, 'stop: variant wins')
    """
    dist = lift_distribution(control, variant, difference_type=difference_type, cuped=cuped)
    half = float(
        confidence_sequence_half_width(
            dist.variance, float(dist.users), alpha=alpha, expected_users=expected_users
        )
    )
    p_value = float(
        always_valid_p_value(
            dist.estimate,
            dist.variance,
            float(dist.users),
            alpha=alpha,
            expected_users=expected_users,
        )
    )
    low, high = dist.estimate - half, dist.estimate + half
    if previous is not None:
        _check_previous(
            previous, (control.name, variant.name, difference_type, alpha, expected_users)
        )
        p_value = min(p_value, previous.p_value)
        # An empty intersection can only happen on the ≤ α event the sequence guards against.
        if max(low, previous.lift_low) <= min(high, previous.lift_high):
            low, high = max(low, previous.lift_low), min(high, previous.lift_high)
    return SequentialResult(
        control=control.name,
        variant=variant.name,
        difference_type=difference_type,
        lift=dist.estimate,
        lift_low=low,
        lift_high=high,
        p_value=p_value,
        decision=_decide(low, high, inverse),
        users=dist.users,
        alpha=alpha,
        expected_users=expected_users,
        mixing_variance=mixing_variance(expected_users, alpha),
        inverse=inverse,
        cuped=dist.cuped,
    )


def _decide(low: float, high: float, inverse: bool) -> Decision:
    if low > 0:
        return Decision.LOSE if inverse else Decision.WIN
    if high < 0:
        return Decision.WIN if inverse else Decision.LOSE
    return Decision.CONTINUE


def _check_previous(previous: SequentialResult, same: tuple[str, str, str, float, int]) -> None:
    seen = (
        previous.control,
        previous.variant,
        previous.difference_type,
        previous.alpha,
        previous.expected_users,
    )
    if seen != same:
        raise ValueError(
            "the previous look is of another test: (control, variant, difference type, alpha, "
            f"expected users) were {seen}, now {same}; pass the result of this test's last look"
        )


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha={alpha} must lie strictly between 0 and 1 (e.g. 0.05)")


__all__ = [
    "DEFAULT_EXPECTED_USERS",
    "Decision",
    "SequentialResult",
    "always_valid_p_value",
    "confidence_sequence_half_width",
    "mixing_variance",
    "sequential_test",
]
