"""Summary statistics of one experiment arm: what a test needs, without the raw rows.

Each arm is a frozen dataclass of sums over its randomisation units (users, leads, accounts):

- :class:`ProportionArm` — ``users`` and how many of them ``conversions``;
- :class:`MeanArm` — ``users``, ``sum`` = Σ yᵢ and ``sum_squares`` = Σ yᵢ² of a per-user
  value (revenue, pages viewed), with optional pre-period sums Σ xᵢ, Σ xᵢ², Σ yᵢxᵢ of a
  covariate measured before the test (for CUPED);
- :class:`RatioArm` — a ratio of two per-user sums, Σ yᵢ / Σ xᵢ (revenue per session, clicks
  per impression), with Σ yᵢ, Σ yᵢ², Σ xᵢ, Σ xᵢ², Σ yᵢxᵢ.

Variances use the **n − 1 convention** (the unbiased sample variance, as ``numpy.var(ddof=1)``,
``statistics.variance`` and GrowthBook)::

    s² = (Σ yᵢ² − (Σ yᵢ)² / n) / (n − 1)        s_xy = (Σ yᵢxᵢ − Σ yᵢ Σ xᵢ / n) / (n − 1)

so a proportion's ``variance`` is n p̂(1 − p̂)/(n − 1), the sample variance of its 0/1 values;
the two-proportion z-test itself uses the binomial p̂(1 − p̂)/n for the variance of p̂
(see :mod:`pilotage.models.experiments.frequentist`). With a single user the sample variance is
undefined and the properties return NaN.

Validation happens on construction and raises :class:`ValueError` saying which field of which
arm is wrong. Counts given as whole floats (``1200.0``, as read from a CSV) are stored as ints.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

# Sums of squares computed in floating point can fall a hair below (Σy)²/n; that much rounding
# is tolerated (and the variance clipped to 0), anything more is a data error.
_ROUNDING = 1e-9


def _count(arm: object, field: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{_where(arm, field)} must be a whole number, got {value!r}")
    if isinstance(value, numbers.Integral):
        return int(value)
    number = float(value)
    if not number.is_integer():
        raise ValueError(f"{_where(arm, field)} must be a whole number, got {value!r}")
    return int(number)


def _real(arm: object, field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{_where(arm, field)} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{_where(arm, field)} must be a finite number, got {value!r}")
    return number


def _where(arm: object, field: str) -> str:
    name = getattr(arm, "name", "")
    return f"arm {name!r}: {field}" if isinstance(name, str) and name else field


def _check_name(arm: object) -> None:
    name = getattr(arm, "name", None)
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"an arm needs a non-empty name, got {name!r}")


def _check_users(arm: object, users: object) -> int:
    n = _count(arm, "users", users)
    if n <= 0:
        raise ValueError(f"{_where(arm, 'users')} must be > 0, got {n}")
    return n


def _centred(n: int, total: float, squares: float) -> float:
    """Σ (yᵢ − ȳ)² = Σ yᵢ² − (Σ yᵢ)²/n, clipped at 0 against rounding."""
    return max(squares - total * total / n, 0.0)


def _check_squares(arm: object, n: int, total: float, squares: float, fields: str) -> None:
    deficit = total * total / n - squares
    if deficit > _ROUNDING * max(1.0, abs(squares)):
        raise ValueError(
            f"{_where(arm, fields)} give a negative variance: a sum of squares must be at "
            f"least (sum)²/users = {total * total / n:.6g}, got {squares:.6g}; check that the "
            "column holds the sum of squared values, not the square of the sum"
        )


def _check_products(
    arm: object, n: int, sums: tuple[float, float, float, float], products: float, field: str
) -> None:
    """Cauchy–Schwarz: |Σ(yᵢ − ȳ)(xᵢ − x̄)| ≤ √(Σ(yᵢ − ȳ)² Σ(xᵢ − x̄)²)."""
    y, yy, x, xx = sums
    cross = products - y * x / n
    bound = math.sqrt(_centred(n, y, yy) * _centred(n, x, xx))
    if abs(cross) > bound + _ROUNDING * max(1.0, abs(products), bound):
        raise ValueError(
            f"{_where(arm, field)} = {products:.6g} is inconsistent with the sums of squares "
            "(the implied correlation is outside [-1, 1]); check that it is Σ yᵢxᵢ over the "
            "same users"
        )


def _variance(n: int, total: float, squares: float) -> float:
    return _centred(n, total, squares) / (n - 1) if n > 1 else math.nan


def _covariance(n: int, y: float, x: float, products: float) -> float:
    return (products - y * x / n) / (n - 1) if n > 1 else math.nan


@dataclass(frozen=True)
class ProportionArm:
    """An arm measured by a conversion rate: ``conversions`` of ``users`` converted.

    ``mean`` is p̂ = conversions / users; ``variance`` is the sample variance of the 0/1
    outcomes, n p̂(1 − p̂)/(n − 1) (NaN for one user).

    Examples
    --------
    >>> arm = ProportionArm("A", users=1000, conversions=40)
    >>> arm.mean
    0.04
    >>> round(arm.variance, 6)  # 1000 × 0.04 × 0.96 / 999
    0.038438
    """

    name: str
    users: int
    conversions: int

    def __post_init__(self) -> None:
        _check_name(self)
        n = _check_users(self, self.users)
        c = _count(self, "conversions", self.conversions)
        if not 0 <= c <= n:
            raise ValueError(
                f"{_where(self, 'conversions')} must be between 0 and users ({n}), got {c}"
            )
        object.__setattr__(self, "users", n)
        object.__setattr__(self, "conversions", c)

    @property
    def mean(self) -> float:
        """The conversion rate p̂ = conversions / users."""
        return self.conversions / self.users

    @property
    def variance(self) -> float:
        """Sample variance of the 0/1 outcomes (n − 1 convention): n p̂(1 − p̂)/(n − 1)."""
        return _variance(self.users, self.conversions, self.conversions)


@dataclass(frozen=True)
class MeanArm:
    """An arm measured by the mean of a per-user value y, with an optional covariate x.

    ``sum`` = Σ yᵢ and ``sum_squares`` = Σ yᵢ² over the arm's users. For CUPED, give all three
    pre-period sums or none: ``pre_sum`` = Σ xᵢ, ``pre_sum_squares`` = Σ xᵢ², ``sum_products``
    = Σ yᵢxᵢ, where xᵢ is the same user's value before the test (0 for users not seen then).

    Examples
    --------
    >>> arm = MeanArm("A", users=4, sum=10.0, sum_squares=30.0)  # y = 1, 2, 3, 4
    >>> arm.mean, round(arm.variance, 6)
    (2.5, 1.666667)
    """

    name: str
    users: int
    sum: float
    sum_squares: float
    pre_sum: float | None = None
    pre_sum_squares: float | None = None
    sum_products: float | None = None

    def __post_init__(self) -> None:
        _check_name(self)
        n = _check_users(self, self.users)
        object.__setattr__(self, "users", n)
        y = _real(self, "sum", self.sum)
        yy = _real(self, "sum_squares", self.sum_squares)
        _check_squares(self, n, y, yy, "sum and sum_squares")
        object.__setattr__(self, "sum", y)
        object.__setattr__(self, "sum_squares", yy)
        pre = (self.pre_sum, self.pre_sum_squares, self.sum_products)
        if all(v is None for v in pre):
            return
        if any(v is None for v in pre):
            raise ValueError(
                f"{_where(self, 'pre-period sums')}: give pre_sum, pre_sum_squares and "
                "sum_products together (all three are needed for CUPED), or none of them"
            )
        x = _real(self, "pre_sum", self.pre_sum)
        xx = _real(self, "pre_sum_squares", self.pre_sum_squares)
        xy = _real(self, "sum_products", self.sum_products)
        _check_squares(self, n, x, xx, "pre_sum and pre_sum_squares")
        _check_products(self, n, (y, yy, x, xx), xy, "sum_products")
        object.__setattr__(self, "pre_sum", x)
        object.__setattr__(self, "pre_sum_squares", xx)
        object.__setattr__(self, "sum_products", xy)

    @property
    def has_covariate(self) -> bool:
        """True when the pre-period sums for CUPED are given."""
        return self.sum_products is not None

    @property
    def mean(self) -> float:
        """ȳ = Σ yᵢ / n."""
        return self.sum / self.users

    @property
    def variance(self) -> float:
        """s²_y = (Σ yᵢ² − (Σ yᵢ)²/n)/(n − 1); NaN for one user."""
        return _variance(self.users, self.sum, self.sum_squares)

    @property
    def pre_mean(self) -> float | None:
        """x̄ = Σ xᵢ / n, or None without a covariate."""
        return None if self.pre_sum is None else self.pre_sum / self.users

    @property
    def pre_variance(self) -> float | None:
        """s²_x = (Σ xᵢ² − (Σ xᵢ)²/n)/(n − 1), or None without a covariate."""
        if self.pre_sum is None or self.pre_sum_squares is None:
            return None
        return _variance(self.users, self.pre_sum, self.pre_sum_squares)

    @property
    def covariance(self) -> float | None:
        """s_xy = (Σ yᵢxᵢ − Σ yᵢ Σ xᵢ / n)/(n − 1), or None without a covariate."""
        if self.pre_sum is None or self.sum_products is None:
            return None
        return _covariance(self.users, self.sum, self.pre_sum, self.sum_products)


@dataclass(frozen=True)
class RatioArm:
    """An arm measured by a ratio of sums R = Σ yᵢ / Σ xᵢ over its users.

    The user is the randomisation unit; yᵢ and xᵢ are per-user totals (e.g. revenue and
    sessions, so R is revenue per session; or orders and visits). ``denominator_sum`` must be
    positive. ``ratio_variance`` is the delta-method variance of R̂ (see the property).

    Examples
    --------
    >>> arm = RatioArm("A", 2, numerator_sum=30.0, numerator_sum_squares=500.0,
    ...                denominator_sum=3.0, denominator_sum_squares=5.0, sum_products=50.0)
    >>> arm.ratio  # revenue 10 and 20 over 1 and 2 sessions
    10.0
    """

    name: str
    users: int
    numerator_sum: float
    numerator_sum_squares: float
    denominator_sum: float
    denominator_sum_squares: float
    sum_products: float

    def __post_init__(self) -> None:
        _check_name(self)
        n = _check_users(self, self.users)
        object.__setattr__(self, "users", n)
        fields = (
            "numerator_sum",
            "numerator_sum_squares",
            "denominator_sum",
            "denominator_sum_squares",
            "sum_products",
        )
        y, yy, x, xx, xy = (_real(self, f, getattr(self, f)) for f in fields)
        _check_squares(self, n, y, yy, "numerator_sum and numerator_sum_squares")
        _check_squares(self, n, x, xx, "denominator_sum and denominator_sum_squares")
        if x <= 0:
            raise ValueError(
                f"{_where(self, 'denominator_sum')} must be > 0 for the ratio to exist, got {x}"
            )
        _check_products(self, n, (y, yy, x, xx), xy, "sum_products")
        for f, v in zip(fields, (y, yy, x, xx, xy), strict=True):
            object.__setattr__(self, f, v)

    @property
    def ratio(self) -> float:
        """R̂ = Σ yᵢ / Σ xᵢ = ȳ / x̄."""
        return self.numerator_sum / self.denominator_sum

    mean = ratio

    @property
    def numerator_mean(self) -> float:
        """ȳ = Σ yᵢ / n."""
        return self.numerator_sum / self.users

    @property
    def denominator_mean(self) -> float:
        """x̄ = Σ xᵢ / n."""
        return self.denominator_sum / self.users

    @property
    def numerator_variance(self) -> float:
        """s²_y (n − 1 convention)."""
        return _variance(self.users, self.numerator_sum, self.numerator_sum_squares)

    @property
    def denominator_variance(self) -> float:
        """s²_x (n − 1 convention)."""
        return _variance(self.users, self.denominator_sum, self.denominator_sum_squares)

    @property
    def covariance(self) -> float:
        """s_xy = (Σ yᵢxᵢ − Σ yᵢ Σ xᵢ / n)/(n − 1)."""
        return _covariance(self.users, self.numerator_sum, self.denominator_sum, self.sum_products)

    @property
    def variance(self) -> float:
        """Per-user variance of the linearised ratio, s²_y/x̄² − 2 ȳ s_xy/x̄³ + ȳ² s²_x/x̄⁴.

        It is the sample variance of eᵢ = (yᵢ − R̂ xᵢ)/x̄, the first-order (delta-method)
        influence of user i on R̂, so that Var(R̂) ≈ ``variance / users``.
        """
        if self.users < 2:
            return math.nan
        x_bar, y_bar = self.denominator_mean, self.numerator_mean
        value = (
            self.numerator_variance / x_bar**2
            - 2 * y_bar * self.covariance / x_bar**3
            + y_bar**2 * self.denominator_variance / x_bar**4
        )
        return max(value, 0.0)  # a sum of squares; only rounding can make it negative

    @property
    def ratio_variance(self) -> float:
        """Delta-method variance of R̂: Var(R̂) ≈ ``variance`` / n."""
        return self.variance / self.users


Arm = ProportionArm | MeanArm | RatioArm
