"""Variance and its decompositions, against hand-computed numbers and exact rational arithmetic.

Expected values are worked out by hand in the test, or computed independently with
``fractions.Fraction`` from the definition (the product, the ratio, the midpoint formula),
never by calling the code under test.
"""

from __future__ import annotations

import doctest
import importlib
import math
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.metrics.variance import (
    Decomposition,
    Direction,
    decompose_mix,
    decompose_product,
    decompose_ratio,
    variance,
)

variance_module = importlib.import_module("pilotage.metrics.variance")

# Drivers of marketing size, and any sign (refunds, margins), and the awkward exact values.
factor = st.one_of(
    st.floats(min_value=1e-3, max_value=1e6),
    st.floats(min_value=-1e6, max_value=1e6),
    st.sampled_from([0.0, -0.0, 1.0, -1.0]),
)
positive = st.floats(min_value=1e-3, max_value=1e6)
denominator = st.one_of(  # away from 0, so that a / b stays within floats
    st.floats(min_value=1e-3, max_value=1e6),
    st.floats(min_value=-1e6, max_value=-1e-3),
    st.sampled_from([1.0, -1.0]),
)
properties = settings(max_examples=150, deadline=None, database=None)


def adds_up(parts: list[float | None], total: Fraction) -> bool:
    """Σ parts equals the exact total, within 1e-9 × (largest of |total|, |part|) + 1e-9.

    The scale includes the parts: float parts that nearly cancel cannot sum more accurately
    than a few units in the last place of the largest.
    """
    values = [p for p in parts if p is not None]
    assert len(values) == len(parts), parts
    scale = max([abs(float(total))] + [abs(v) for v in values])
    return abs(Fraction(math.fsum(values)) - total) <= 1e-9 * scale + 1e-9


def close(value: float | None, expected: Fraction | float) -> bool:
    assert value is not None
    return math.isclose(value, float(expected), rel_tol=1e-12, abs_tol=1e-300)


def exact_product(values: Iterable[float]) -> Fraction:
    return math.prod((Fraction(v) for v in values), start=Fraction(1))


def split(pairs: list[tuple[float, float]]) -> tuple[dict[str, float], dict[str, float]]:
    """``(actual, plan)`` mappings from ``(actual, plan)`` pairs, named x0, x1, …"""
    actual = {f"x{i}": a for i, (a, _) in enumerate(pairs)}
    plan = {f"x{i}": p for i, (_, p) in enumerate(pairs)}
    return actual, plan


# --- variance ------------------------------------------------------------------------------


def test_it_compares_actual_with_plan_when_higher_is_better():
    v = variance(180, 200, Direction.HIGHER_IS_BETTER)
    assert (v.absolute, v.relative, v.favourable, v.note) == (-20.0, -0.1, False, None)
    assert variance(230, 200, "higher_is_better").favourable is True


def test_it_compares_actual_with_plan_when_lower_is_better():
    cac = variance(130.0, 100.0, Direction.LOWER_IS_BETTER)  # CAC 30% over plan
    assert cac.absolute == 30.0
    assert cac.relative == pytest.approx(0.3)
    assert cac.favourable is False
    assert variance(80.0, 100.0, "lower_is_better").favourable is True


def test_it_has_no_favourable_side_for_a_neutral_kpi():
    v = variance(120, 100, "neutral")
    assert (v.absolute, v.relative, v.favourable) == (20.0, 0.2, None)


def test_it_counts_hitting_the_plan_as_favourable():
    assert variance(100, 100, "higher_is_better").favourable is True
    assert variance(100, 100, "lower_is_better").favourable is True


def test_it_has_no_relative_variance_when_the_plan_is_zero():
    v = variance(5, 0, "higher_is_better")
    assert (v.absolute, v.relative, v.favourable) == (5.0, None, True)
    assert v.note == "n/a: the plan is 0, so there is no relative variance"


def test_it_keeps_the_sign_of_the_change_for_a_negative_plan():
    v = variance(-50, -100, "higher_is_better")  # a planned loss of 100, an actual loss of 50
    assert (v.absolute, v.relative, v.favourable) == (50.0, 0.5, True)


@pytest.mark.parametrize(
    ("actual", "plan", "note"),
    [
        (None, 200, "n/a: no actual"),
        (180, None, "n/a: no plan"),
        (None, None, "n/a: no actual and no plan"),
        (float("nan"), 200, "n/a: no actual"),
        (180, float("inf"), "n/a: no plan"),
    ],
)
def test_it_reports_missing_values_as_not_available(actual, plan, note):
    v = variance(actual, plan, "higher_is_better")
    assert (v.absolute, v.relative, v.favourable, v.note) == (None, None, None, note)


def test_it_accepts_decimal_amounts():
    v = variance(Decimal("1234.50"), Decimal("1000.00"), "higher_is_better")
    assert v.absolute == 234.5


def test_it_rejects_an_unknown_direction_and_lists_the_right_ones():
    with pytest.raises(ValueError, match="higher_is_better, lower_is_better, neutral"):
        variance(1, 2, "up")


# --- Decomposition -------------------------------------------------------------------------


def test_it_checks_that_parts_add_up_and_can_say_they_do_not():
    assert Decomposition(10.0, {"a": 4.0, "b": 6.0}, "shapley").check()
    wrong = Decomposition(10.0, {"a": 4.0, "b": 5.0}, "shapley")
    assert wrong.residual == 1.0
    assert not wrong.check()
    assert not Decomposition(None, {"a": None}, "shapley").check()


def test_it_does_not_let_the_parts_be_changed():
    d = decompose_product({"x": 2.0}, {"x": 1.0})
    with pytest.raises(TypeError):
        d.parts["x"] = 5.0


# --- products ------------------------------------------------------------------------------


def test_it_decomposes_the_worked_leads_example_by_hand():
    # plan 100 000 € × 0.002 leads/€ = 200 leads; actual 120 000 € × 0.0015 = 180 leads.
    d = decompose_product(
        actual={"spend": 120_000, "leads per euro": 0.0015},
        plan={"spend": 100_000, "leads per euro": 0.002},
    )
    assert d.method == "shapley"
    assert d.total == pytest.approx(-20, abs=1e-9)
    assert list(d.parts) == ["spend", "leads per euro"]
    assert d.parts["spend"] == pytest.approx(20_000 * (0.002 + 0.0015) / 2, abs=1e-9)  # 35
    assert d.parts["spend"] == pytest.approx(35, abs=1e-9)
    assert d.parts["leads per euro"] == pytest.approx(-0.0005 * (100_000 + 120_000) / 2)
    assert d.parts["leads per euro"] == pytest.approx(-55, abs=1e-9)
    assert d.check()


def test_it_decomposes_three_factors_by_hand():
    # revenue = customers × orders per customer × average order: 100×2×50 → 110×2×40.
    # Only two factors move, so it is the midpoint formula on them times the constant 2.
    d = decompose_product(
        {"customers": 110, "orders": 2, "basket": 40}, {"customers": 100, "orders": 2, "basket": 50}
    )
    assert d.total == 8_800 - 10_000
    assert d.parts["customers"] == pytest.approx(10 * 2 * (50 + 40) / 2)  # 900
    assert d.parts["orders"] == 0
    assert d.parts["basket"] == pytest.approx(-10 * 2 * (100 + 110) / 2)  # -2 100


@properties
@given(st.lists(st.tuples(factor, factor), min_size=1, max_size=6))
def test_it_splits_a_product_into_parts_that_add_up_to_the_change(pairs):
    actual, plan = split(pairs)
    exact = exact_product(actual.values()) - exact_product(plan.values())
    d = decompose_product(actual, plan)
    assert close(d.total, exact)
    assert adds_up(list(d.parts.values()), exact)
    assert d.check()


@properties
@given(factor, factor, factor, factor)
def test_it_gives_the_midpoint_formula_for_two_factors(x1_actual, x1_plan, x2_actual, x2_plan):
    d = decompose_product({"x1": x1_actual, "x2": x2_actual}, {"x1": x1_plan, "x2": x2_plan})
    a1, p1, a2, p2 = map(Fraction, (x1_actual, x1_plan, x2_actual, x2_plan))
    assert close(d.parts["x1"], (a1 - p1) * (p2 + a2) / 2)
    assert close(d.parts["x2"], (a2 - p2) * (p1 + a1) / 2)


@properties
@given(st.lists(st.tuples(factor, factor), min_size=3, max_size=3))
def test_it_gives_the_closed_form_for_three_factors(pairs):
    # φ_a = Δa × [(b0 c0 + b1 c1) / 3 + (b0 c1 + b1 c0) / 6], and alike for b and c.
    actual, plan = split(pairs)
    d = decompose_product(actual, plan)
    for i in range(3):
        (a1, a0), (b1, b0), (c1, c0) = (tuple(map(Fraction, pairs[(i + k) % 3])) for k in range(3))
        expected = (a1 - a0) * ((b0 * c0 + b1 * c1) / 3 + (b0 * c1 + b1 * c0) / 6)
        assert close(d.parts[f"x{i}"], expected)


@properties
@given(st.lists(st.tuples(factor, factor), min_size=2, max_size=6), st.data())
def test_it_does_not_depend_on_the_order_of_the_factors(pairs, data):
    actual, plan = split(pairs)
    order = data.draw(st.permutations(list(actual)))
    shuffled = decompose_product({n: actual[n] for n in order}, {n: plan[n] for n in order})
    assert list(shuffled.parts) == order
    assert dict(shuffled.parts) == dict(decompose_product(actual, plan).parts)


@properties
@given(st.lists(st.tuples(factor, factor), min_size=1, max_size=5), factor)
def test_it_gives_nothing_to_a_factor_that_did_not_change(pairs, constant):
    actual, plan = split(pairs)
    d = decompose_product({**actual, "same": constant}, {**plan, "same": constant})
    assert d.parts["same"] == 0


def test_it_reports_a_missing_factor_instead_of_raising():
    d = decompose_product({"spend": 120_000, "rate": None}, {"spend": 100_000, "rate": 0.002})
    assert d.total is None
    assert dict(d.parts) == {"spend": None, "rate": None}
    assert d.note == "n/a: no value for rate"


def test_it_rejects_factors_that_do_not_match():
    with pytest.raises(ValueError, match="same factors"):
        decompose_product({"spend": 1.0}, {"budget": 1.0})
    with pytest.raises(ValueError, match="at least one"):
        decompose_product({}, {})
    with pytest.raises(ValueError, match="at most 12"):
        decompose_product(
            dict.fromkeys(map(str, range(13)), 1.0), dict.fromkeys(map(str, range(13)), 1.0)
        )
    with pytest.raises(ValueError, match="'shapley', 'lmdi'"):
        decompose_product({"x": 1.0}, {"x": 2.0}, method="laspeyres")


# --- LMDI ----------------------------------------------------------------------------------


def test_it_decomposes_the_worked_leads_example_with_lmdi():
    d = decompose_product(
        actual={"spend": 120_000, "leads per euro": 0.0015},
        plan={"spend": 100_000, "leads per euro": 0.002},
        method="lmdi",
    )
    log_mean = (180 - 200) / math.log(180 / 200)  # 189.82…
    assert d.method == "lmdi"
    assert d.parts["spend"] == pytest.approx(log_mean * math.log(1.2))  # 34.61
    assert d.parts["spend"] == pytest.approx(34.609, abs=1e-3)
    assert d.parts["leads per euro"] == pytest.approx(log_mean * math.log(0.75))  # -54.61
    assert d.check()


def test_it_weighs_lmdi_by_the_level_when_the_product_does_not_change():
    d = decompose_product({"spend": 200, "rate": 1}, {"spend": 100, "rate": 2}, method="lmdi")
    assert d.total == 0
    assert d.parts["spend"] == pytest.approx(200 * math.log(2))  # L(200, 200) = 200
    assert d.parts["rate"] == pytest.approx(-200 * math.log(2))


@properties
@given(
    st.lists(st.tuples(positive, positive), min_size=1, max_size=6),
    st.sampled_from([1, -1]),
)
def test_it_makes_lmdi_parts_add_up_and_agree_in_sign_with_shapley(pairs, sign):
    # Factors keep their sign (all positive, or the first one negative on both sides).
    pairs[0] = (sign * pairs[0][0], sign * pairs[0][1])
    actual, plan = split(pairs)
    exact = exact_product(actual.values()) - exact_product(plan.values())
    lmdi = decompose_product(actual, plan, method="lmdi")
    shapley = decompose_product(actual, plan)
    assert lmdi.method == "lmdi"
    assert adds_up(list(lmdi.parts.values()), exact)
    for name in actual:
        assert math.copysign(1, lmdi.parts[name]) == math.copysign(1, shapley.parts[name]) or (
            lmdi.parts[name] == shapley.parts[name] == 0
        )


@pytest.mark.parametrize(("before", "after"), [(0.0, 5.0), (5.0, 0.0), (-2.0, 3.0)])
def test_it_falls_back_to_shapley_when_lmdi_meets_a_zero_or_a_sign_change(before, after):
    d = decompose_product({"x": after, "y": 3.0}, {"x": before, "y": 2.0}, method="lmdi")
    assert d.method == "shapley"
    assert d.note is not None and "LMDI" in d.note
    assert d.parts["x"] == pytest.approx((after - before) * (2.0 + 3.0) / 2)
    assert d.check()


# --- ratios --------------------------------------------------------------------------------


def test_it_splits_cac_into_cost_and_customer_effects_by_hand():
    # CAC plan 50 000 € / 100 = 500 €, actual 66 000 € / 120 = 550 €.
    d = decompose_ratio((66_000, 120), (50_000, 100), names=("cost", "new customers"))
    assert d.total == pytest.approx(50)
    assert d.parts["cost"] == pytest.approx(16_000 / 2 * (1 / 100 + 1 / 120))  # +146.67
    assert d.parts["new customers"] == pytest.approx(116_000 / 2 * (1 / 120 - 1 / 100))  # -96.67
    assert d.check()


def test_it_splits_cac_with_lmdi_by_hand():
    d = decompose_ratio((66_000, 120), (50_000, 100), names=("cost", "customers"), method="lmdi")
    log_mean = 50 / math.log(550 / 500)
    assert d.parts["cost"] == pytest.approx(log_mean * math.log(66_000 / 50_000))
    assert d.parts["customers"] == pytest.approx(-log_mean * math.log(120 / 100))


@properties
@given(factor, denominator, factor, denominator)
def test_it_splits_a_ratio_into_parts_that_add_up_to_the_change(a1, b1, a0, b0):
    d = decompose_ratio((a1, b1), (a0, b0))
    A1, B1, A0, B0 = map(Fraction, (a1, b1, a0, b0))
    exact = A1 / B1 - A0 / B0
    assert adds_up(list(d.parts.values()), exact)
    assert close(d.parts["numerator"], (A1 - A0) / 2 * (1 / B0 + 1 / B1))
    assert close(d.parts["denominator"], (A0 + A1) / 2 * (1 / B1 - 1 / B0))


@pytest.mark.parametrize(
    ("actual", "plan", "note"),
    [
        ((66_000, 0), (50_000, 100), "n/a: new customers is 0 in the actual, so the ratio"),
        ((66_000, 120), (50_000, 0), "n/a: new customers is 0 in the plan, so the ratio"),
        ((None, 120), (50_000, 100), "n/a: no cost in the actual"),
    ],
)
@pytest.mark.parametrize("method", ["shapley", "lmdi"])
def test_it_reports_an_undefined_ratio_instead_of_raising(actual, plan, note, method):
    d = decompose_ratio(actual, plan, names=("cost", "new customers"), method=method)
    assert d.total is None
    assert dict(d.parts) == {"cost": None, "new customers": None}
    assert d.note is not None and d.note.startswith(note)


# --- mix -----------------------------------------------------------------------------------


def test_it_splits_a_channel_shift_into_volume_and_mix_by_hand():
    # Plan: search 60 000 € at 0.0025 (150 leads) + social 40 000 € at 0.00125 (50) = 200.
    # Actual: search 90 000 € (225) + social 30 000 € (37.5) = 262.5, same rates.
    # Shares: search 0.6 → 0.75, social 0.4 → 0.25; total spend 100 000 → 120 000.
    d = decompose_mix(
        actual={"search": (90_000, 0.0025), "social": (30_000, 0.00125)},
        plan={"search": (60_000, 0.0025), "social": (40_000, 0.00125)},
    )
    search_volume = 20_000 * (0.6 + 0.75) / 2 * 0.0025  # 33.75
    social_volume = 20_000 * (0.4 + 0.25) / 2 * 0.00125  # 8.125
    search_mix = 0.15 * (100_000 + 120_000) / 2 * 0.0025  # 41.25
    social_mix = -0.15 * (100_000 + 120_000) / 2 * 0.00125  # -20.625
    assert d.total == pytest.approx(62.5)
    assert d.parts["volume"] == pytest.approx(search_volume + social_volume)  # 41.875
    assert d.parts["mix"] == pytest.approx(search_mix + social_mix)  # 20.625
    assert d.parts["rate"] == pytest.approx(0, abs=1e-12)
    assert d.by_segment["search"].parts["mix"] == pytest.approx(41.25)
    assert d.by_segment["social"].total == pytest.approx(37.5 - 50)
    assert d.check()


def test_it_gives_a_single_channel_no_mix_effect():
    d = decompose_mix({"search": (120_000, 0.0015)}, {"search": (100_000, 0.002)})
    assert d.parts["volume"] == pytest.approx(35)  # the worked leads example
    assert d.parts["mix"] == 0
    assert d.parts["rate"] == pytest.approx(-55)


def test_it_treats_a_new_channel_as_volume_and_mix_without_rate_effect():
    # Video is new: 20 000 € at 0.001 (20 leads); search unchanged at 200 leads.
    # Shares: search 1 → 5/6, video 0 → 1/6; total spend 100 000 → 120 000.
    d = decompose_mix(
        actual={"search": (100_000, 0.002), "video": (20_000, 0.001)},
        plan={"search": (100_000, 0.002)},
    )
    volume = 20_000 * (1 + 5 / 6) / 2 * 0.002 + 20_000 * (0 + 1 / 6) / 2 * 0.001
    mix = (5 / 6 - 1) * 110_000 * 0.002 + (1 / 6) * 110_000 * 0.001
    assert d.total == pytest.approx(20)
    assert d.parts["volume"] == pytest.approx(volume)  # 38.33
    assert d.parts["mix"] == pytest.approx(mix)  # -18.33
    assert d.parts["rate"] == 0
    assert list(d.by_segment) == ["search", "video"]


def test_it_decomposes_a_mix_against_an_empty_plan():
    d = decompose_mix({"search": (1_000, 0.01), "social": (3_000, 0.02)}, {})
    assert d.total == pytest.approx(70)
    assert dict(d.parts) == pytest.approx({"volume": 70, "mix": 0, "rate": 0})


@pytest.mark.parametrize(
    ("actual", "note"),
    [
        ({"search": (1_000, None)}, "n/a: no rate for search in the actual"),
        ({"search": (None, 0.01)}, "n/a: no volume for search in the actual"),
        ({"search": (5, 0.01), "refunds": (-5, 0.01)}, "n/a: the actual volumes cancel out"),
    ],
)
def test_it_reports_an_undefined_mix_instead_of_raising(actual, note):
    d = decompose_mix(actual, {"search": (1_000, 0.01)})
    assert d.total is None
    assert set(d.parts.values()) == {None}
    assert d.note is not None and d.note.startswith(note)


segment = st.tuples(
    st.one_of(st.floats(min_value=0, max_value=1e6), st.just(0.0)),
    st.one_of(factor, st.none()),
)
segments = st.dictionaries(st.sampled_from("abcdef"), segment, max_size=6)


@properties
@given(segments, segments)
def test_it_splits_a_mix_into_parts_that_add_up_to_the_change(actual, plan):
    # A rate may be missing only where there is no volume.
    actual = {s: (v, r if r is not None or v == 0 else 1.0) for s, (v, r) in actual.items()}
    plan = {s: (v, r if r is not None or v == 0 else 1.0) for s, (v, r) in plan.items()}

    def leads(data: dict, s: str) -> Fraction:
        volume, rate = data.get(s, (0.0, None))
        return Fraction(volume) * Fraction(rate or 0)

    names = set(actual) | set(plan)
    exact = sum((leads(actual, s) - leads(plan, s) for s in names), Fraction(0))
    d = decompose_mix(actual, plan)
    assert adds_up(list(d.parts.values()), exact)
    assert set(d.by_segment) == names
    for s, part in d.by_segment.items():
        assert adds_up(list(part.parts.values()), leads(actual, s) - leads(plan, s))
    for name in ("volume", "mix", "rate"):
        overall = d.parts[name]
        assert overall is not None
        assert adds_up([p.parts[name] for p in d.by_segment.values()], Fraction(overall))


def test_it_runs_the_examples_in_the_docstrings():
    result = doctest.testmod(variance_module)
    assert result.attempted >= 10
    assert result.failed == 0
