"""SRM check against scipy's chi-square, p-value adjustments against statsmodels' multipletests,
guardrails against one-sided tests of statsmodels and scipy."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats import proportion as sm_proportion
from statsmodels.stats.multitest import multipletests

from pilotage.models.experiments.corrections import (
    SRM_THRESHOLD,
    adjust_p_values,
    benjamini_hochberg,
    guardrail_check,
    holm,
    srm_check,
)
from pilotage.models.experiments.inputs import MeanArm, ProportionArm

corrections_module = importlib.import_module("pilotage.models.experiments.corrections")

# --- sample-ratio mismatch ----------------------------------------------------------------

SPLITS = [
    ([5_023, 4_977], None),
    ([10_000, 10_600], None),
    ([3_000, 7_100], [0.3, 0.7]),
    ([2_950, 7_400], [30, 70]),  # weights need not sum to 1
    ([1_000, 1_020, 940], None),
    ([12, 30], None),  # a tiny pilot
    ([250_000, 251_800, 249_100, 250_400], [1, 1, 1, 1]),
]


@pytest.mark.parametrize(("users", "split"), SPLITS)
def test_it_matches_scipys_chi_square_goodness_of_fit(users, split):
    check = srm_check(users, split)
    weights = np.ones(len(users)) if split is None else np.asarray(split, float)
    expected = sum(users) * weights / weights.sum()
    ref = stats.chisquare(users, expected)
    assert check.statistic == pytest.approx(ref.statistic, rel=1e-9)
    assert check.p_value == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-300)
    assert check.expected == pytest.approx(tuple(expected))
    assert check.ok == (ref.pvalue >= 0.001)


def test_it_flags_a_mismatch_and_explains_it_in_english_and_french():
    check = srm_check([ProportionArm("Control", 10_000, 400), ProportionArm("New", 10_600, 450)])
    assert not check.ok and check.threshold == SRM_THRESHOLD == 0.001
    assert check.names == ("Control", "New") and check.observed == (10_000, 10_600)
    assert check.message == check.message_en == check.message_in("en")
    assert check.message_en.startswith("Sample ratio mismatch: the arms received Control 10,000")
    assert "expected 10,300 / 10,300" in check.message_en
    assert "less than once in 1,000 tests (p < 0.0001)" in check.message_en
    assert "Do not decide on these results" in check.message_en
    assert check.message_in("fr-FR") == check.message_fr
    assert check.message_fr.startswith("Déséquilibre de répartition (SRM)")
    assert "Control 10\u202f000 / New 10\u202f600" in check.message_fr
    assert "50\u202f% / 50\u202f%" in check.message_fr and "p < 0,0001" in check.message_fr
    assert "Ne décidez pas sur ces résultats" in check.message_fr


def test_it_reports_a_healthy_split_plainly():
    check = srm_check([3_000, 7_100], [0.3, 0.7], names=["A", "B"])
    assert check.ok
    assert check.message_en == (
        "Sample ratio OK: A 3,000 / B 7,100 users is consistent with the planned 30% / 70% "
        "split (p = 0.5148)."
    )
    assert check.message_fr.startswith("Répartition conforme : A 3\u202f000 / B 7\u202f100")
    assert "(p = 0,5148)" in check.message_fr


def test_it_uses_the_threshold_it_is_given():
    users = [10_000, 10_300]  # p ≈ 0.036
    assert srm_check(users).ok
    strict = srm_check(users, threshold=0.05)
    assert not strict.ok and "less than once in 20 tests" in strict.message_en


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (([100],), {}, r"at least 2 arms, got 1"),
        (([100, -1],), {}, r"non-negative counts; arm 2 has -1"),
        (([100, 10.5],), {}, r"whole numbers; arm 2 has 10.5"),
        (([0, 0],), {}, r"no users in any arm yet"),
        (([100, 100], [1, 1, 1]), {}, r"split has 3 weights for 2 arms"),
        (([100, 100], [1, 0]), {}, r"split weights must be positive"),
        (([100, 100],), {"names": ["A"]}, r"1 names for 2 arms"),
        (([100, 100],), {"threshold": 0}, r"threshold must be strictly between 0 and 1"),
    ],
)
def test_it_rejects_impossible_splits(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        srm_check(*args, **kwargs)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 10**6), min_size=2, max_size=6).filter(lambda v: sum(v) > 0))
def test_it_returns_a_probability(users):
    check = srm_check(users)
    assert 0 <= check.p_value <= 1 and check.ok == (check.p_value >= 0.001)


# --- multiple comparisons -----------------------------------------------------------------

P_LISTS = [
    [0.04],
    [0.01, 0.04, 0.03],
    [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216],
    [0.02, 0.02, 0.02, 0.5],  # ties
    [0.0, 1.0, 0.3, 0.3],
    [0.9, 0.8, 0.95],
]


@pytest.mark.parametrize("p", P_LISTS)
def test_it_adjusts_p_values_like_statsmodels_holm(p):
    assert holm(p) == pytest.approx(tuple(multipletests(p, method="holm")[1]), abs=1e-12)
    assert adjust_p_values(p) == holm(p)


@pytest.mark.parametrize("p", P_LISTS)
def test_it_adjusts_p_values_like_statsmodels_benjamini_hochberg(p):
    expected = tuple(multipletests(p, method="fdr_bh")[1])
    assert benjamini_hochberg(p) == pytest.approx(expected, abs=1e-12)
    assert adjust_p_values(p, "bh") == benjamini_hochberg(p)


def test_it_returns_nothing_for_no_p_values():
    assert holm([]) == () and benjamini_hochberg([]) == ()


@pytest.mark.parametrize(
    ("p", "method", "message"),
    [
        ([0.1, 1.2], "holm", r"p-values must lie in \[0, 1\]; value 2 is 1.2"),
        ([float("nan")], "bh", r"value 1 is nan"),
        ([0.1], "bonferroni", r"unknown correction 'bonferroni'; choose 'holm' or 'bh'"),
    ],
)
def test_it_rejects_invalid_p_values_and_methods(p, method, message):
    with pytest.raises(ValueError, match=message):
        adjust_p_values(p, method)


p_values = st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=25)


@settings(max_examples=150, deadline=None)
@given(p_values)
def test_it_never_adjusts_below_the_raw_p_value_nor_above_one(p):
    for adjusted in (holm(p), benjamini_hochberg(p)):
        assert all(raw <= adj <= 1 for raw, adj in zip(p, adjusted, strict=True))
    # FDR control is never stricter than family-wise control
    assert all(bh <= h for bh, h in zip(benjamini_hochberg(p), holm(p), strict=True))


@settings(max_examples=150, deadline=None)
@given(p_values)
def test_it_keeps_the_order_of_the_raw_p_values(p):
    for adjusted in (holm(p), benjamini_hochberg(p)):
        for i in range(len(p)):
            for j in range(len(p)):
                if p[i] <= p[j]:
                    assert adjusted[i] <= adjusted[j]


# --- guardrails ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ca", "na", "cb", "nb", "direction", "alternative"),
    [
        (50, 5_000, 75, 5_000, "lower_is_better", "larger"),  # unsubscribes rise: harm
        (50, 5_000, 45, 5_000, "lower_is_better", "larger"),
        (400, 10_000, 360, 10_000, "higher_is_better", "smaller"),  # conversions fall: harm
        (400, 10_000, 430, 10_000, "higher_is_better", "smaller"),
    ],
)
def test_it_tests_a_proportion_guardrail_one_sided_like_statsmodels(
    ca, na, cb, nb, direction, alternative
):
    g = guardrail_check(
        ProportionArm("A", na, ca), ProportionArm("B", nb, cb), metric="m", direction=direction
    )
    _, p = sm_proportion.proportions_ztest([cb, ca], [nb, na], alternative=alternative)
    assert g.p_value == pytest.approx(p, rel=1e-9)
    assert g.failed == (p < 0.05)
    assert g.result.p_value == pytest.approx(sm_proportion.proportions_ztest([cb, ca], [nb, na])[1])


@pytest.mark.parametrize(
    ("direction", "alternative", "mean_b"),
    [("higher_is_better", "less", 2.8), ("lower_is_better", "greater", 3.4)],
)
def test_it_tests_a_mean_guardrail_one_sided_like_scipy(direction, alternative, mean_b):
    rng = np.random.default_rng(9)
    a, b = rng.normal(3.1, 1.5, 300), rng.normal(mean_b, 1.8, 280)
    arm_a = MeanArm("A", 300, float(a.sum()), float(a @ a))
    arm_b = MeanArm("B", 280, float(b.sum()), float(b @ b))
    g = guardrail_check(arm_a, arm_b, metric="pages per visit", direction=direction, alpha=0.01)
    ref = stats.ttest_ind(b, a, equal_var=False, alternative=alternative)
    assert g.p_value == pytest.approx(ref.pvalue, rel=1e-6)
    assert g.failed == (ref.pvalue < 0.01) and g.alpha == 0.01


def test_it_explains_a_failed_guardrail_in_english_and_french():
    g = guardrail_check(
        ProportionArm("A", 5_000, 50),
        ProportionArm("B", 5_000, 75),
        metric="unsubscribe rate",
        direction="lower_is_better",
    )
    assert g.failed and g.metric == "unsubscribe rate"
    assert g.message_en == (
        "Guardrail unsubscribe rate failed: variant B harms it (+50.0%, one-sided p = 0.0122 "
        "< 0.05). Do not industrialise B as it stands."
    )
    assert "la variante B le dégrade (+50,0\u202f%, test unilatéral p = 0,0122 < 0,05)" in (
        g.message_fr
    )
    ok = guardrail_check(
        ProportionArm("A", 5_000, 50), ProportionArm("B", 5_000, 45), metric="unsubscribe rate",
        direction="lower_is_better",
    )  # fmt: skip
    assert not ok.failed and "holds" in ok.message_en and "respecté" in ok.message_fr


def test_it_rejects_an_unknown_guardrail_direction():
    with pytest.raises(ValueError, match="direction must be 'higher_is_better' or"):
        guardrail_check(
            ProportionArm("A", 10, 1), ProportionArm("B", 10, 2), metric="m", direction="up"
        )  # type: ignore[arg-type]


def test_its_docstring_examples_run():
    result = doctest.testmod(corrections_module)
    assert result.attempted > 0 and result.failed == 0
