"""Designing a test: how many users, how many days, and what effect they can detect.

The formula is the two-sided two-sample **z-test power** of statsmodels' ``NormalIndPower``
with equal arms (``ratio=1``), applied to a standardised effect size ``e``::

    power(n) = Φ(e √(n/2) − z) + Φ(−e √(n/2) − z),      z = Φ⁻¹(1 − α/2)

where n is the number of users per arm. Both tails count, as in statsmodels, so the solution
is not the textbook closed form n = 2 (z + z_β)² / e² (which drops the far tail, of order
Φ(−2z − z_β) ≈ 10⁻⁶, and so asks for slightly more users). Writing u = e √(n/2), the power
depends only on u; :func:`required_users_per_arm` solves ``power(u) = target`` for u* with
Brent's method to machine precision, then n = 2 (u*/e)², and :func:`detectable_effect_size`
inverts it: e = u* √(2/n).

Effect sizes:

- proportions — Cohen's h = 2 asin √p₂ − 2 asin √p₁ (statsmodels
  ``proportion_effectsize(p2, p1)``), the variance-stabilising arcsine scale;
- means — Cohen's d = δ / σ with the same σ in both arms (``NormalIndPower`` with d). The
  t-test version (statsmodels ``TTestIndPower``, noncentral t with 2n − 2 degrees of freedom)
  asks for about one more user per arm; with the hundreds of users per arm a marketing test
  needs, the difference is negligible.

Conventions: ``mde`` is relative to the baseline by default (0.1 = +10 %, 4 % → 4.4 %), or
absolute with ``relative=False`` (0.004 = 4 % → 4.4 %). Traffic is split equally between the
``arms`` (the control is one of them); ``daily_traffic`` counts the eligible users per day
entering the test, all arms together, so ``days = ⌈users_per_arm × arms / daily_traffic⌉``.
Each variant is compared with the control at level α; with ``bonferroni=True`` and k arms,
each of the k − 1 comparisons uses α/(k − 1), which keeps the family-wise error ≤ α whatever
the correlation between comparisons (conservative; the Holm adjustment used at analysis time,
:func:`pilotage.models.experiments.corrections.holm`, is never less powerful).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from scipy import optimize, stats  # type: ignore[import-untyped, unused-ignore]

Metric = Literal["proportion", "mean"]


@dataclass(frozen=True)
class Plan:
    """The users and days a test needs to detect ``mde`` with the given power.

    ``target`` is the variant's value the test is sized for (baseline + ``mde_absolute``);
    ``mde_relative`` is None for a mean whose baseline is 0. ``users_per_arm_exact`` is the
    fractional solution (what statsmodels returns); ``users_per_arm`` rounds it up. ``days`` is
    None without ``daily_traffic``. ``comparison_alpha`` is α, or α/(arms − 1) with Bonferroni.
    """

    metric: Metric
    baseline: float
    sd: float | None
    target: float
    mde_absolute: float
    mde_relative: float | None
    effect_size: float
    alpha: float
    comparison_alpha: float
    power: float
    arms: int
    users_per_arm_exact: float
    users_per_arm: int
    total_users: int
    daily_traffic: float | None
    days_exact: float | None
    days: int | None


@dataclass(frozen=True)
class Detectable:
    """The smallest increase a test of ``users_per_arm`` users per arm detects with ``power``.

    ``days`` is set when the question was asked in days of traffic. ``mde_relative`` is None
    for a mean whose baseline is 0.
    """

    metric: Metric
    baseline: float
    sd: float | None
    users_per_arm: float
    days: float | None
    effect_size: float
    target: float
    mde_absolute: float
    mde_relative: float | None
    alpha: float
    comparison_alpha: float
    power: float
    arms: int


def cohens_h(baseline: float, target: float) -> float:
    """Cohen's h between two proportions: h = 2 asin √p₂ − 2 asin √p₁.

    Equal to statsmodels ``proportion_effectsize(target, baseline)``.

    Examples
    --------
    >>> round(cohens_h(0.5, 0.6), 6)
    0.201358
    """
    _check_rate("baseline", baseline, closed=True)
    _check_rate("target", target, closed=True)
    return 2 * math.asin(math.sqrt(target)) - 2 * math.asin(math.sqrt(baseline))


def achieved_power(effect_size: float, users_per_arm: float, *, alpha: float = 0.05) -> float:
    """Power of the two-sided z-test: Φ(e √(n/2) − z) + Φ(−e √(n/2) − z), z = Φ⁻¹(1 − α/2).

    Equal to statsmodels ``NormalIndPower().power(effect_size, nobs1=n, alpha=alpha)``.

    Examples
    --------
    >>> round(achieved_power(0.2, 393, alpha=0.05), 4)
    0.8006
    """
    _check_open("alpha", alpha)
    if not users_per_arm > 0:
        raise ValueError(f"users_per_arm must be > 0, got {users_per_arm}")
    z = stats.norm.isf(alpha / 2)
    u = abs(effect_size) * math.sqrt(users_per_arm / 2)
    return float(stats.norm.sf(z - u) + stats.norm.cdf(-u - z))


def required_users_per_arm(effect_size: float, *, alpha: float = 0.05, power: float = 0.8) -> float:
    """Users per arm (fractional) for a two-sided z-test to reach ``power``: n = 2 (u*/e)².

    u* solves Φ(u − z) + Φ(−u − z) = power (module docstring). Equal to statsmodels
    ``NormalIndPower().solve_power(effect_size, alpha=alpha, power=power, ratio=1)``.

    Examples
    --------
    >>> round(required_users_per_arm(0.2), 2)  # a "small" effect in Cohen's scale
    392.44
    """
    if effect_size == 0 or not math.isfinite(effect_size):
        raise ValueError(f"effect_size must be finite and non-zero, got {effect_size}")
    return 2 * (_noncentrality(alpha, power) / effect_size) ** 2


def detectable_effect_size(
    users_per_arm: float, *, alpha: float = 0.05, power: float = 0.8
) -> float:
    """Smallest standardised effect the test detects with ``power``: e = u* √(2/n).

    Examples
    --------
    >>> round(detectable_effect_size(392.443), 4)
    0.2
    """
    if not users_per_arm > 0 or not math.isfinite(users_per_arm):
        raise ValueError(f"users_per_arm must be a positive number, got {users_per_arm}")
    return _noncentrality(alpha, power) * math.sqrt(2 / users_per_arm)


def plan_proportion(
    baseline: float,
    mde: float,
    *,
    relative: bool = True,
    daily_traffic: float | None = None,
    arms: int = 2,
    power: float = 0.8,
    alpha: float = 0.05,
    bonferroni: bool = False,
) -> Plan:
    """Users per arm and days to detect a change of a conversion rate, with Cohen's h.

    p₂ = p₁ (1 + mde) (relative) or p₁ + mde (absolute); h = 2 asin √p₂ − 2 asin √p₁;
    n = 2 (u*/h)² with u* from the module docstring.

    Examples
    --------
    >>> plan = plan_proportion(0.04, 0.1, daily_traffic=800)  # 4 % → 4.4 %
    >>> plan.users_per_arm, plan.days
    (39455, 99)
    """
    _check_rate("baseline", baseline)
    target = baseline * (1 + mde) if relative else baseline + mde
    if mde == 0 or not 0 <= target <= 1:
        raise ValueError(
            f"mde must move the baseline rate {baseline:g} to another rate in [0, 1]; "
            f"mde={mde:g} ({'relative' if relative else 'absolute'}) gives {target:g}"
        )
    return _plan(
        "proportion", baseline, None, target, cohens_h(baseline, target),
        daily_traffic, arms, power, alpha, bonferroni,
    )  # fmt: skip


def plan_mean(
    mean: float,
    sd: float,
    mde: float,
    *,
    relative: bool = True,
    daily_traffic: float | None = None,
    arms: int = 2,
    power: float = 0.8,
    alpha: float = 0.05,
    bonferroni: bool = False,
) -> Plan:
    """Users per arm and days to detect a change of a mean, with Cohen's d.

    δ = mean × mde (relative) or mde (absolute); d = δ / sd; n = 2 (u*/d)².

    Examples
    --------
    >>> plan_mean(50.0, 120.0, 0.05).users_per_arm  # +5 % on a 50 € basket, σ = 120 €
    36168
    """
    _check_finite("mean", mean)
    _check_sd(sd)
    if relative and mean == 0:
        raise ValueError("a relative mde needs a non-zero mean; give relative=False")
    delta = mean * mde if relative else mde
    if delta == 0 or not math.isfinite(delta):
        raise ValueError(f"mde must be finite and non-zero, got {mde}")
    return _plan(
        "mean", mean, sd, mean + delta, delta / sd, daily_traffic, arms, power, alpha, bonferroni
    )


def mde_proportion(
    baseline: float,
    *,
    users_per_arm: float | None = None,
    days: float | None = None,
    daily_traffic: float | None = None,
    arms: int = 2,
    power: float = 0.8,
    alpha: float = 0.05,
    bonferroni: bool = False,
) -> Detectable:
    """Smallest increase of a conversion rate detectable with ``users_per_arm`` users per arm,
    or in ``days`` of ``daily_traffic`` (then users_per_arm = days × daily_traffic / arms).

    h = u* √(2/n), then p₂ = sin²(asin √p₁ + h/2). Raises :class:`ValueError` when even
    p₂ = 100 % is out of reach.

    Examples
    --------
    >>> d = mde_proportion(0.04, days=15, daily_traffic=800)  # what can 15 days detect?
    >>> round(d.mde_relative, 3), round(d.target, 4)
    (0.266, 0.0506)
    """
    _check_rate("baseline", baseline)
    n, days = _users(users_per_arm, days, daily_traffic, arms)
    comparison_alpha = _comparison_alpha(alpha, arms, bonferroni)
    h = detectable_effect_size(n, alpha=comparison_alpha, power=power)
    angle = math.asin(math.sqrt(baseline)) + h / 2
    if angle > math.pi / 2:
        raise ValueError(
            f"{n:,.0f} users per arm cannot detect any increase from {baseline:.4g} at "
            f"power {power:g}, even to 100 %; more users (or days) are needed"
        )
    target = math.sin(angle) ** 2
    return Detectable(
        "proportion", baseline, None, n, days, h, target, target - baseline,
        target / baseline - 1, alpha, comparison_alpha, power, arms,
    )  # fmt: skip


def mde_mean(
    mean: float,
    sd: float,
    *,
    users_per_arm: float | None = None,
    days: float | None = None,
    daily_traffic: float | None = None,
    arms: int = 2,
    power: float = 0.8,
    alpha: float = 0.05,
    bonferroni: bool = False,
) -> Detectable:
    """Smallest change of a mean detectable with ``users_per_arm`` users per arm (or in
    ``days`` of ``daily_traffic``): δ = sd × u* √(2/n), relative δ / mean.

    Examples
    --------
    >>> round(mde_mean(50.0, 120.0, users_per_arm=10_000).mde_relative, 4)
    0.0951
    """
    _check_finite("mean", mean)
    _check_sd(sd)
    n, days = _users(users_per_arm, days, daily_traffic, arms)
    comparison_alpha = _comparison_alpha(alpha, arms, bonferroni)
    d = detectable_effect_size(n, alpha=comparison_alpha, power=power)
    delta = d * sd
    relative = delta / mean if mean != 0 else None
    return Detectable(
        "mean", mean, sd, n, days, d, mean + delta, delta, relative,
        alpha, comparison_alpha, power, arms,
    )  # fmt: skip


def _plan(
    metric: Metric,
    baseline: float,
    sd: float | None,
    target: float,
    effect_size: float,
    daily_traffic: float | None,
    arms: int,
    power: float,
    alpha: float,
    bonferroni: bool,
) -> Plan:
    comparison_alpha = _comparison_alpha(alpha, arms, bonferroni)
    exact = required_users_per_arm(effect_size, alpha=comparison_alpha, power=power)
    # Rounding noise must not add a user when the exact answer is a whole number.
    users = max(1, math.ceil(exact * (1 - 1e-12)))
    days_exact = days = None
    if daily_traffic is not None:
        _check_traffic(daily_traffic)
        days_exact = users * arms / daily_traffic
        days = math.ceil(days_exact * (1 - 1e-12))
    delta = target - baseline
    return Plan(
        metric, baseline, sd, target, delta, delta / baseline if baseline != 0 else None,
        effect_size, alpha, comparison_alpha, power, arms, exact, users, users * arms,
        daily_traffic, days_exact, days,
    )  # fmt: skip


@lru_cache(maxsize=256)
def _noncentrality(alpha: float, power: float) -> float:
    """u* with Φ(u − z) + Φ(−u − z) = power, z = Φ⁻¹(1 − α/2)."""
    _check_open("alpha", alpha)
    _check_open("power", power)
    if power <= alpha:
        raise ValueError(f"power ({power:g}) must be greater than alpha ({alpha:g})")
    z = float(stats.norm.isf(alpha / 2))

    def excess(u: float) -> float:
        return float(stats.norm.sf(z - u) + stats.norm.cdf(-u - z)) - power

    # The closed form z + z_β drops the far tail, so it overshoots: the root lies below.
    upper = z + float(stats.norm.ppf(power))
    if excess(upper) <= 0:
        return upper
    return float(optimize.brentq(excess, 0.0, upper, xtol=1e-15))


def _comparison_alpha(alpha: float, arms: int, bonferroni: bool) -> float:
    _check_open("alpha", alpha)
    if isinstance(arms, bool) or not isinstance(arms, int) or arms < 2:
        raise ValueError(f"arms must be a whole number ≥ 2 (control included), got {arms!r}")
    return alpha / (arms - 1) if bonferroni else alpha


def _users(
    users_per_arm: float | None, days: float | None, daily_traffic: float | None, arms: int
) -> tuple[float, float | None]:
    if users_per_arm is not None:
        if days is not None or daily_traffic is not None:
            raise ValueError("give users_per_arm, or days and daily_traffic, not both")
        return users_per_arm, None
    if days is None or daily_traffic is None:
        raise ValueError("give users_per_arm, or both days and daily_traffic")
    if not days > 0 or not math.isfinite(days):
        raise ValueError(f"days must be a positive number, got {days}")
    _check_traffic(daily_traffic)
    if isinstance(arms, bool) or not isinstance(arms, int) or arms < 2:
        raise ValueError(f"arms must be a whole number ≥ 2 (control included), got {arms!r}")
    return days * daily_traffic / arms, days


def _check_open(name: str, value: float) -> None:
    if not 0 < value < 1:
        raise ValueError(f"{name} must be strictly between 0 and 1, got {value}")


def _check_rate(name: str, value: float, *, closed: bool = False) -> None:
    ok = 0 <= value <= 1 if closed else 0 < value < 1
    if not ok:
        bounds = "between 0 and 1" if closed else "strictly between 0 and 1"
        raise ValueError(f"{name} must be a rate {bounds} (0.04 for 4 %), got {value}")


def _check_finite(name: str, value: float) -> None:
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")


def _check_sd(sd: float) -> None:
    if not sd > 0 or not math.isfinite(sd):
        raise ValueError(f"sd must be a positive standard deviation, got {sd}")


def _check_traffic(daily_traffic: float) -> None:
    if not daily_traffic > 0 or not math.isfinite(daily_traffic):
        raise ValueError(f"daily_traffic must be a positive number of users, got {daily_traffic}")
