"""Variance analysis: actual against plan, and which drivers the difference comes from.

A variance is ``actual − plan`` (:func:`variance`). A *decomposition* splits it into the part
each driver explains, and the parts add up to the total:

- :func:`decompose_product` — a KPI that is a product of drivers: leads = spend × leads per
  euro, revenue = customers × average deal;
- :func:`decompose_ratio` — a KPI that is a ratio: CAC = cost / new customers;
- :func:`decompose_mix` — a total over segments, leads = Σ_c spend_c × rate_c, split into
  volume, mix and rate effects.

The default method is the Shapley decomposition: order-independent, exact for any number of
factors, and defined for zeros and sign changes. It is computed in exact rational arithmetic
(every float is a fraction) and each part is rounded once at the end, so the parts are the
correctly rounded exact values and add up to the total to within a few units in the last place.
The log-mean Divisia index (LMDI-I) is available for products and ratios.

Arguments come in the order of :func:`variance`: actual first, then plan (or: the current
period, then the base period). Pacing and landing estimates are in
:mod:`pilotage.metrics.pacing`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

METHODS = ("shapley", "lmdi")
MAX_FACTORS = 12  # Shapley costs 2^n products


class Direction(StrEnum):
    """Which way a KPI is good; the same words as ``Kpi.direction`` in the KPI definitions."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class Variance:
    """Actual against plan for one KPI.

    ``absolute`` is ``actual − plan``; ``relative`` is ``absolute / |plan|`` (None when the
    plan is 0); ``favourable`` is None for a neutral KPI or a missing value; ``note`` says why a
    figure is missing ("n/a: …").
    """

    actual: float | None
    plan: float | None
    direction: Direction
    absolute: float | None
    relative: float | None
    favourable: bool | None
    note: str | None = None


def variance(actual: float | None, plan: float | None, direction: Direction | str) -> Variance:
    """Compare an actual with its plan.

    .. math:: Δ = actual − plan, \\qquad δ = Δ / |plan|

    Dividing by ``|plan|`` keeps the sign of ``δ`` that of ``Δ`` when the plan is negative (a
    planned loss). ``δ`` is None when the plan is 0. The variance is favourable when ``Δ ≥ 0``
    for a KPI where higher is better and ``Δ ≤ 0`` where lower is better (hitting the plan
    exactly is not adverse). None, NaN and infinite values are missing: every figure is then
    None and ``note`` says which value is missing.

    Examples
    --------
    >>> v = variance(180, 200, "higher_is_better")
    >>> v.absolute, v.relative, v.favourable
    (-20.0, -0.1, False)
    >>> variance(95.0, 120.0, Direction.LOWER_IS_BETTER).favourable  # CAC under plan
    True
    >>> variance(5, 0, "neutral").note
    'n/a: the plan is 0, so there is no relative variance'
    >>> variance(None, 200, "higher_is_better").note
    'n/a: no actual'
    """
    direction = _direction(direction)
    a, p = _number(actual), _number(plan)
    if a is None or p is None:
        note = "n/a: no actual and no plan" if a is None and p is None else None
        note = note or ("n/a: no actual" if a is None else "n/a: no plan")
        return Variance(a, p, direction, None, None, None, note)
    absolute = a - p
    relative = absolute / abs(p) if p != 0 else None
    note = None if p != 0 else "n/a: the plan is 0, so there is no relative variance"
    favourable = {
        Direction.HIGHER_IS_BETTER: absolute >= 0,
        Direction.LOWER_IS_BETTER: absolute <= 0,
        Direction.NEUTRAL: None,
    }[direction]
    return Variance(a, p, direction, absolute, relative, favourable, note)


@dataclass(frozen=True, repr=False)
class Decomposition:
    """A total change and the parts of it each driver explains.

    ``parts`` maps driver names to their parts, in the order the drivers were given; a part is
    None when the decomposition is undefined (``note`` says why). ``method`` is the method
    actually used (``"shapley"`` or ``"lmdi"``). ``by_segment`` holds, for a mix
    decomposition, the same parts for each segment.
    """

    total: float | None
    parts: Mapping[str, float | None]
    method: str
    note: str | None = None
    by_segment: Mapping[str, Decomposition] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parts", MappingProxyType(dict(self.parts)))
        object.__setattr__(self, "by_segment", MappingProxyType(dict(self.by_segment)))

    def __repr__(self) -> str:
        note = f", note={self.note!r}" if self.note else ""
        return (
            f"Decomposition(total={self.total!r}, parts={dict(self.parts)!r}, "
            f"method={self.method!r}{note})"
        )

    @property
    def residual(self) -> float | None:
        """``total − Σ parts`` (summed with :func:`math.fsum`); None when a figure is missing."""
        values = list(self.parts.values())
        if self.total is None or any(v is None for v in values):
            return None
        return self.total - math.fsum(v for v in values if v is not None)

    def check(self, rel_tol: float = 1e-9, abs_tol: float = 1e-9) -> bool:
        """Whether the parts add up to the total.

        True when ``|total − Σ parts| ≤ rel_tol × max(|total|, max |part|) + abs_tol``. The
        scale includes the parts because when large parts nearly cancel, floats cannot sum them
        more accurately than a few units in the last place of the largest. False when a figure
        is missing.
        """
        residual = self.residual
        if residual is None or self.total is None:
            return False
        scale = max([abs(self.total)] + [abs(v) for v in self.parts.values() if v is not None])
        return abs(residual) <= rel_tol * scale + abs_tol


def decompose_product(
    actual: Mapping[str, float | None],
    plan: Mapping[str, float | None],
    *,
    method: str = "shapley",
) -> Decomposition:
    """Split the change of ``y = x_1 × x_2 × … × x_n`` into one part per factor.

    **Shapley** (default). The part of factor ``i`` is the change in ``y`` when ``x_i`` is
    switched from plan to actual, averaged over the ``n!`` orders of switching the factors:

    .. math:: φ_i = \\sum_{S ⊆ N∖\\{i\\}} \\frac{|S|!\\,(n-|S|-1)!}{n!}
              \\left[y(S ∪ \\{i\\}) - y(S)\\right]

    where ``y(S)`` has the factors in ``S`` at actual and the others at plan. The parts add up
    to ``y_actual − y_plan`` for any ``n`` and any values (zeros and sign changes included),
    do not depend on the order the factors are listed in, and a factor that did not change gets
    0. For two factors it is the midpoint formula ``φ_1 = Δx_1 (x_2^plan + x_2^actual) / 2``.
    Cost is ``2^n`` exact products, so at most 12 factors.

    **LMDI** (``method="lmdi"``, log-mean Divisia index I):

    .. math:: φ_i = L(y_{actual}, y_{plan}) \\ln(x_i^{actual} / x_i^{plan}),
              \\qquad L(a, b) = (a - b) / \\ln(a / b), \\quad L(a, a) = a

    The parts add up because the logarithms of the factor ratios sum to that of ``y``. The
    logarithms need every factor non-zero and of the same sign in plan and actual; otherwise
    the Shapley decomposition is used and ``note`` says so (rather than the literature's
    substitution of a small value for zero, which makes the parts depend on that value).

    Missing factors (None, NaN) give None for the total and every part.

    Examples
    --------
    >>> d = decompose_product(
    ...     actual={"spend": 120_000, "leads per euro": 0.0015},
    ...     plan={"spend": 100_000, "leads per euro": 0.002},
    ... )
    >>> d
    Decomposition(total=-20.0, parts={'spend': 35.0, 'leads per euro': -55.0}, method='shapley')
    >>> d.check()
    True
    """
    _check_method(method)
    if list(actual) == [] or set(actual) != set(plan):
        raise ValueError(
            "actual and plan must name the same factors, at least one; got "
            f"{sorted(actual)} and {sorted(plan)}"
        )
    names = list(actual)
    if len(names) > MAX_FACTORS:
        raise ValueError(f"at most {MAX_FACTORS} factors can be decomposed, got {len(names)}")
    after = [_number(actual[n]) for n in names]
    before = [_number(plan[n]) for n in names]
    missing = [n for n, a, b in zip(names, after, before, strict=True) if a is None or b is None]
    if missing:
        return _unavailable(names, method, f"n/a: no value for {', '.join(missing)}")
    return _decompose(names, _fractions(after), _fractions(before), method)


def decompose_ratio(
    actual: tuple[float | None, float | None],
    plan: tuple[float | None, float | None],
    *,
    names: tuple[str, str] = ("numerator", "denominator"),
    method: str = "shapley",
) -> Decomposition:
    """Split the change of a ratio ``y = a / b`` into a numerator and a denominator effect.

    ``actual`` and ``plan`` are ``(a, b)`` pairs. The ratio is the product ``a × (1/b)``,
    decomposed as in :func:`decompose_product`; with Shapley this is

    .. math:: φ_a = \\frac{Δa}{2}\\left(\\frac{1}{b^{plan}} + \\frac{1}{b^{actual}}\\right),
              \\qquad φ_b = \\frac{a^{plan} + a^{actual}}{2}
              \\left(\\frac{1}{b^{actual}} - \\frac{1}{b^{plan}}\\right)

    When ``b`` is 0 on either side the ratio is undefined there: the total and both parts are
    None and ``note`` says which side.

    Examples
    --------
    CAC = cost / new customers, 50 000 € / 100 planned, 66 000 € / 120 actual:

    >>> d = decompose_ratio((66_000, 120), (50_000, 100), names=("cost", "new customers"))
    >>> d.total, d.parts["cost"], d.parts["new customers"]
    (50.0, 146.66666666666666, -96.66666666666667)
    >>> decompose_ratio((66_000, 120), (50_000, 0)).note
    'n/a: denominator is 0 in the plan, so the ratio is undefined'
    """
    _check_method(method)
    factors: dict[str, list[Fraction]] = {}
    for side, pair in (("actual", actual), ("plan", plan)):
        values = [_number(v) for v in pair]
        for name, value in zip(names, values, strict=True):
            if value is None:
                return _unavailable(names, method, f"n/a: no {name} in the {side}")
        if values[1] == 0:
            note = f"n/a: {names[1]} is 0 in the {side}, so the ratio is undefined"
            return _unavailable(names, method, note)
        numerator, denominator = _fractions(values)
        factors[side] = [numerator, 1 / denominator]
    return _decompose(names, factors["actual"], factors["plan"], method)


def decompose_mix(
    actual: Mapping[str, tuple[float | None, float | None]],
    plan: Mapping[str, tuple[float | None, float | None]],
    *,
    names: tuple[str, str, str] = ("volume", "mix", "rate"),
) -> Decomposition:
    """Split the change of a total over segments into volume, mix and rate effects.

    ``actual`` and ``plan`` map each segment to ``(volume, rate)``: spend and leads per euro
    by channel, say. With ``V = Σ_c volume_c`` and shares ``s_c = volume_c / V``, the total is

    .. math:: y = \\sum_c V \\, s_c \\, r_c

    Each segment's term is decomposed over its three factors ``V``, ``s_c`` and ``r_c`` with
    Shapley (:func:`decompose_product`) and the parts are summed over segments: the volume
    effect is what the change of total volume explains, the mix effect what the shift of
    shares between segments explains, the rate effect what the segments' own rates explain.
    ``by_segment`` gives the three parts for each segment.

    A segment missing on one side has volume 0 there. A rate may be None where the volume is
    0 (a channel without spend); it then takes the other side's rate, so a new or dropped
    segment has no rate effect. When the total volume of one side is 0, that side takes the
    other side's shares (there is no mix to compare). The decomposition is undefined (None
    parts) when a segment with volume has no rate, or when volumes cancel out to a zero total.

    Examples
    --------
    >>> d = decompose_mix(
    ...     actual={"search": (90_000, 0.0025), "social": (30_000, 0.00125)},
    ...     plan={"search": (60_000, 0.0025), "social": (40_000, 0.00125)},
    ... )
    >>> d.total, dict(d.parts)
    (62.5, {'volume': 41.875, 'mix': 20.625, 'rate': 0.0})
    >>> d.by_segment["social"].parts["mix"]
    -20.625
    """
    segments = list(actual) + [s for s in plan if s not in actual]
    volumes: dict[str, dict[str, Fraction]] = {}
    rates: dict[str, dict[str, float | None]] = {}
    for side, data in (("actual", actual), ("plan", plan)):
        volumes[side], rates[side] = {}, {}
        for s in segments:
            volume, rate = (_number(v) for v in data.get(s, (0.0, None)))
            if volume is None or (rate is None and volume != 0):
                what = "volume" if volume is None else "rate"
                return _unavailable(names, "shapley", f"n/a: no {what} for {s} in the {side}")
            volumes[side][s], rates[side][s] = Fraction(volume), rate
        if sum(volumes[side].values()) == 0 and any(volumes[side].values()):
            note = f"n/a: the {side} volumes cancel out to 0, so the segments have no shares"
            return _unavailable(names, "shapley", note)
    after = _mix_factors(volumes["actual"], rates["actual"], volumes["plan"], rates["plan"])
    before = _mix_factors(volumes["plan"], rates["plan"], volumes["actual"], rates["actual"])
    parts = {s: _shapley(after[s], before[s]) for s in segments}
    by_segment = {s: _result(names, after[s], before[s], parts[s], "shapley") for s in segments}
    total = sum((math.prod(after[s]) - math.prod(before[s]) for s in segments), Fraction(0))
    sums = (sum((parts[s][k] for s in segments), Fraction(0)) for k in range(3))
    return Decomposition(
        float(total),
        dict(zip(names, map(float, sums), strict=True)),
        "shapley",
        by_segment=by_segment,
    )


def _mix_factors(
    volumes: Mapping[str, Fraction],
    rates: Mapping[str, float | None],
    other_volumes: Mapping[str, Fraction],
    other_rates: Mapping[str, float | None],
) -> dict[str, list[Fraction]]:
    """``[V, s_c, r_c]`` for each segment of one side, borrowing what it lacks from the other."""
    total = sum(volumes.values(), Fraction(0))
    # A side without volume has no shares: it takes the other side's, so that the change shows
    # as volume and rate effects rather than as mix.
    shares_of = volumes if total != 0 else other_volumes
    shares_total = sum(shares_of.values(), Fraction(0))
    factors = {}
    for s, rate in rates.items():
        share = shares_of[s] / shares_total if shares_total != 0 else Fraction(0)
        rate = rate if rate is not None else other_rates[s]
        factors[s] = [total, share, Fraction(rate if rate is not None else 0)]
    return factors


def _decompose(
    names: Sequence[str], after: list[Fraction], before: list[Fraction], method: str
) -> Decomposition:
    note = None
    if method == "lmdi":
        lmdi = _lmdi(after, before)
        if lmdi is not None:
            total = float(math.prod(after) - math.prod(before))
            return Decomposition(total, dict(zip(names, lmdi, strict=True)), "lmdi")
        note = (
            "LMDI needs every factor non-zero and of the same sign in plan and actual; "
            "the Shapley decomposition is used instead"
        )
    parts = _shapley(after, before)
    return _result(names, after, before, parts, "shapley", note)


def _result(
    names: Sequence[str],
    after: list[Fraction],
    before: list[Fraction],
    parts: list[Fraction],
    method: str,
    note: str | None = None,
) -> Decomposition:
    total = float(math.prod(after) - math.prod(before))
    return Decomposition(
        total, {n: float(p) for n, p in zip(names, parts, strict=True)}, method, note
    )


def _shapley(after: Sequence[Fraction], before: Sequence[Fraction]) -> list[Fraction]:
    """Exact Shapley values of the factors of a product (formula in decompose_product)."""
    n = len(after)
    value = [
        math.prod((after[j] if mask >> j & 1 else before[j] for j in range(n)), start=Fraction(1))
        for mask in range(1 << n)
    ]
    weight = [
        Fraction(math.factorial(k) * math.factorial(n - k - 1), math.factorial(n)) for k in range(n)
    ]
    parts = []
    for i in range(n):
        bit = 1 << i
        terms = (
            weight[mask.bit_count()] * (value[mask | bit] - value[mask])
            for mask in range(1 << n)
            if not mask & bit
        )
        parts.append(sum(terms, start=Fraction(0)))
    return parts


def _lmdi(after: Sequence[Fraction], before: Sequence[Fraction]) -> list[float] | None:
    """LMDI-I parts, or None when a factor is zero or changes sign."""
    if any(a == 0 or b == 0 or (a > 0) != (b > 0) for a, b in zip(after, before, strict=True)):
        return None
    y1 = math.prod(after, start=Fraction(1))
    y0 = math.prod(before, start=Fraction(1))
    growth = _log_ratio(y1 / y0)
    weight = float(y0) if growth == 0 else float(y1 - y0) / growth
    return [weight * _log_ratio(a / b) for a, b in zip(after, before, strict=True)]


def _log_ratio(ratio: Fraction) -> float:
    """``ln(ratio)`` for a positive exact ratio, accurate also when it is close to 1."""
    if Fraction(1, 2) <= ratio <= 2:
        return math.log1p(float(ratio - 1))
    return math.log(ratio.numerator) - math.log(ratio.denominator)


def _unavailable(names: Sequence[str], method: str, note: str) -> Decomposition:
    return Decomposition(None, dict.fromkeys(names), method, note)


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown decomposition method {method!r}; use one of {METHODS}")


def _direction(value: Direction | str) -> Direction:
    try:
        return Direction(value)
    except ValueError:
        choices = ", ".join(d.value for d in Direction)
        raise ValueError(f"unknown direction {value!r}; use one of {choices}") from None


def _number(value: float | None) -> float | None:
    """``value`` as a float, or None when it is missing (None, NaN or infinite)."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _fractions(values: Sequence[float | None]) -> list[Fraction]:
    """Exact fractions of values already checked to be present."""
    assert None not in values, values
    return [Fraction(v) for v in values if v is not None]
