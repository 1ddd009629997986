"""Markov removal-effect attribution: hand-solved chains and a Monte-Carlo check of the solve."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.models.attribution import Journey, Markov, PathRow
from pilotage.models.attribution import markov as markov_module

# start → a (2/3), b (1/3); a → b (1/2), null (1/2); b → conversion (1).
# P(conv) = 2/3 · 1/2 + 1/3 = 2/3. Without a: 1/3, so RE_a = 1 − (1/3)/(2/3) = 1/2.
# Without b: 0, so RE_b = 1. Two conversions: a gets 2 · 0.5/1.5 = 2/3, b gets 4/3.
HAND = [PathRow(("a", "b"), 1, 30.0, 0), PathRow(("a",), 0, 0.0, 1), PathRow(("b",), 1, 10.0, 0)]


def test_it_solves_a_small_chain_by_hand():
    result = Markov().attribute(HAND)
    assert result.removal_effects == pytest.approx({"a": 0.5, "b": 1.0})
    assert result.channels["a"].conversions == pytest.approx(2 / 3)
    assert result.channels["b"].conversions == pytest.approx(4 / 3)
    assert result.channels["a"].share == pytest.approx(1 / 3)


def test_it_returns_the_transition_matrix():
    transitions = Markov().attribute(HAND).transitions
    assert transitions is not None
    assert transitions.states == ("(start)", "a", "b", "(conversion)", "(null)")
    assert {(a, b): p for a, b, p in transitions.rows()} == pytest.approx(
        {
            ("(start)", "a"): 2 / 3,
            ("(start)", "b"): 1 / 3,
            ("a", "b"): 1 / 2,
            ("a", "(null)"): 1 / 2,
            ("b", "(conversion)"): 1.0,
        }
    )


def test_it_splits_value_by_the_value_removal_effect():
    # b's mean value after it is (30 + 10) / 2 = 20, so E[value] = 2/3 · 20 = 40/3.
    # Without a: 1/3 · 20 → RE 1/2; without b: 0 → RE 1. Value 40 split 1 : 2.
    result = Markov().attribute(HAND)
    assert result.value_removal_effects == pytest.approx({"a": 0.5, "b": 1.0})
    assert result.channels["a"].value == pytest.approx(40 / 3)
    assert result.channels["b"].value == pytest.approx(80 / 3)


def test_it_uses_only_converting_journeys_without_nulls():
    # start → a (1/2), b (1/2); a → b; b → conversion: P(conv) = 1.
    # Without a: 1/2 → RE 1/2; without b: 0 → RE 1.
    result = Markov(include_nulls=False).attribute(
        HAND + [PathRow(("c",), 0, 0.0, 50)]  # c is only on null paths: no effect
    )
    assert result.removal_effects == pytest.approx({"a": 0.5, "b": 1.0, "c": 0.0})
    assert result.channels["c"].conversions == 0
    assert result.transitions is not None
    assert "(null)" not in {to for _, to, _ in result.transitions.rows()}


def test_it_remembers_the_previous_channel_at_order_2():
    # a > c converts, b > c does not. Order 1 cannot tell which c: P(conv) = 1/2 and removing
    # a or b halves it (RE 1/2 each, a = b = 1/4). Order 2 knows (a, c) converts and (b, c)
    # does not: RE_a = 1, RE_b = 0, RE_c = 1, so a = c = 1/2 and b = 0.
    rows = [PathRow(("a", "c"), 1, 0.0, 0), PathRow(("b", "c"), 0, 0.0, 1)]
    first = Markov(order=1).attribute(rows)
    second = Markov(order=2).attribute(rows)
    assert first.removal_effects == pytest.approx({"a": 0.5, "b": 0.5, "c": 1.0})
    assert {c: x.conversions for c, x in first.channels.items()} == pytest.approx(
        {"a": 0.25, "b": 0.25, "c": 0.5}
    )
    assert second.removal_effects == pytest.approx({"a": 1.0, "b": 0.0, "c": 1.0})
    assert {c: x.conversions for c, x in second.channels.items()} == pytest.approx(
        {"a": 0.5, "b": 0.0, "c": 0.5}
    )
    assert second.transitions is not None
    assert second.transitions.states[:5] == ("(start)", "a", "a > c", "b", "b > c")


def test_it_keeps_repeated_touches_unless_asked_to_collapse_them():
    rows = [PathRow(("a", "a", "b"), 2, 0.0, 1), PathRow(("b", "a"), 1, 0.0, 3)]
    collapsed = [PathRow(("a", "b"), 2, 0.0, 1), PathRow(("b", "a"), 1, 0.0, 3)]
    # At order 1 self-loops change no absorption probability.
    assert Markov().attribute(rows).removal_effects == pytest.approx(
        Markov().attribute(collapsed).removal_effects
    )
    kept = Markov(order=2).attribute(rows).transitions
    assert kept is not None and "a > a" in kept.states
    merged = Markov(order=2, collapse_repeats=True).attribute(rows)
    assert merged.removal_effects == Markov(order=2).attribute(collapsed).removal_effects


def test_it_gives_a_lone_channel_everything():
    result = Markov(order=3).attribute([PathRow(("a",), 3, 30.0, 5), Journey(("a", "a"), True, 1)])
    assert result.removal_effects == {"a": 1.0}
    assert result.channels["a"].conversions == pytest.approx(4)
    assert result.channels["a"].value == pytest.approx(31)


def test_it_gives_nothing_when_nothing_converts():
    result = Markov().attribute([PathRow(("a", "b"), 0, 0.0, 4)])
    assert result.removal_effects == {"a": 0.0, "b": 0.0}
    assert result.channels["a"].share == 0


def test_it_refuses_an_order_above_3():
    with pytest.raises(ValueError, match="order must be 1, 2 or 3"):
        Markov(order=4).attribute(HAND)


channel = st.sampled_from("abcde")
path_rows = st.lists(
    st.builds(
        PathRow,
        st.lists(channel, min_size=1, max_size=6).map(tuple),
        st.integers(0, 20).map(float),
        st.integers(0, 100).map(float),
        st.integers(0, 20).map(float),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(rows=path_rows, order=st.integers(1, 3), include_nulls=st.booleans())
def test_it_keeps_removal_effects_between_0_and_1_and_attributes_all(rows, order, include_nulls):
    result = Markov(order=order, include_nulls=include_nulls).attribute(rows)
    assert result.removal_effects is not None
    assert all(0.0 <= e <= 1.0 for e in result.removal_effects.values())
    total = sum(r.conversions for r in rows)
    attributed = sum(c.conversions for c in result.channels.values())
    if sum(result.removal_effects.values()) > 0:
        assert attributed == pytest.approx(total)
    assert result.transitions is not None
    if len(result.transitions.states) > 3:  # at least one journey: every transient row sums to 1
        rows_sum = result.transitions.probabilities.sum(axis=1)[:-2]
        assert rows_sum == pytest.approx(np.ones_like(rows_sum))


def _simulate(probabilities: np.ndarray, removed: np.ndarray, walks: int, rng) -> float:
    """Share of walks from (start) absorbed in (conversion); removed states act as (null)."""
    n = probabilities.shape[0]
    conversion, null = n - 2, n - 1
    cumulative = np.cumsum(probabilities, axis=1)
    state = np.zeros(walks, dtype=int)
    active = np.ones(walks, dtype=bool)
    for _ in range(1_000):
        if not active.any():
            break
        index = np.flatnonzero(active)
        u = rng.random(index.size)
        step = (u[:, None] > cumulative[state[index]]).sum(axis=1)
        step = np.minimum(step, n - 1)
        step[removed[step]] = null
        state[index] = step
        active[index] = (step != conversion) & (step != null)
    return float(np.mean(state == conversion))


def test_it_agrees_with_a_monte_carlo_simulation_of_the_same_chain():
    rng = np.random.default_rng(7)
    rows = [
        PathRow(
            tuple(rng.choice(list("abcd"), size=rng.integers(1, 6)).tolist()),
            float(rng.integers(0, 5)),
            0.0,
            float(rng.integers(0, 15)),
        )
        for _ in range(40)
    ]
    result = Markov().attribute(rows)
    assert result.transitions is not None and result.removal_effects is not None
    states = result.transitions.states
    matrix = result.transitions.probabilities
    walks = 200_000
    none = np.zeros(len(states), dtype=bool)
    p = _simulate(matrix, none, walks, rng)
    for c, effect in result.removal_effects.items():
        p_c = _simulate(matrix, np.array([s == c for s in states]), walks, rng)
        ratio = p_c / p
        # Delta-method standard error of the ratio of two independent proportions.
        se = ratio * np.sqrt((1 - p_c) / (p_c * walks) + (1 - p) / (p * walks))
        assert abs((1 - ratio) - effect) < 4 * se + 1e-9, c


def test_it_runs_the_docstring_examples():
    result = doctest.testmod(markov_module)
    assert result.failed == 0 and result.attempted > 0
