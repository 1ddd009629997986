"""Shapley attribution: hand-computed games, efficiency and symmetry, and the sampled estimate."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.models.attribution import PathRow, Shapley
from pilotage.models.attribution import shapley as shapley_module


def credit(rows, **params) -> dict[str, float]:
    return {c: x.conversions for c, x in Shapley(**params).attribute(rows).channels.items()}


def closed_form(rows) -> dict[str, float]:
    """Each path's conversions split equally over its distinct channels (unanimity games)."""
    result: dict[str, float] = {}
    for row in rows:
        for c in set(row.path):
            result[c] = result.get(c, 0.0) + row.conversions / len(set(row.path))
    return result


def test_it_computes_two_channels_by_hand():
    # v(a) = 1, v(b) = 0, v(ab) = 3: φ_a = ½(1 − 0) + ½(3 − 0) = 2, φ_b = ½(0 − 0) + ½(3 − 1) = 1.
    assert credit([PathRow(("a", "b"), 2), PathRow(("a",), 1, 0.0, 9)]) == pytest.approx(
        {"a": 2, "b": 1}
    )


def test_it_computes_three_channels_by_hand():
    # v: a 1, b 0, c 0, ab 3, ac 1, bc 3, abc 12 (order and repeats do not matter).
    # φ_a = ⅓(1 − 0) + ⅙(3 − 0) + ⅙(1 − 0) + ⅓(12 − 3) = 4
    # φ_b = ⅓(0 − 0) + ⅙(3 − 1) + ⅙(3 − 0) + ⅓(12 − 1) = 4.5
    # φ_c = ⅓(0 − 0) + ⅙(1 − 1) + ⅙(3 − 0) + ⅓(12 − 3) = 3.5
    rows = [
        PathRow(("a",), 1, 10.0),
        PathRow(("b", "a", "b"), 2, 0.0),
        PathRow(("c", "b"), 3, 30.0),
        PathRow(("a", "b", "c"), 6, 60.0),
    ]
    result = Shapley().attribute(rows)
    assert {c: x.conversions for c, x in result.channels.items()} == pytest.approx(
        {"a": 4, "b": 4.5, "c": 3.5}
    )
    # The value game: v(a) = 10, v(bc) = 30, v(abc) = 100 → a 30, b 35, c 35.
    assert {c: x.value for c, x in result.channels.items()} == pytest.approx(
        {"a": 30, "b": 35, "c": 35}
    )
    assert result.channels["b"].share == pytest.approx(4.5 / 12)


channel = st.sampled_from("abcdefgh")
path_rows = st.lists(
    st.builds(
        PathRow,
        st.lists(channel, min_size=1, max_size=5).map(tuple),
        st.integers(0, 30).map(float),
        st.floats(0, 1000),
    ),
    min_size=1,
    max_size=15,
)


@settings(max_examples=60, deadline=None)
@given(rows=path_rows)
def test_it_is_efficient(rows):
    result = Shapley().attribute(rows)
    total = sum(r.conversions for r in rows)
    assert sum(c.conversions for c in result.channels.values()) == pytest.approx(total)
    assert sum(c.value for c in result.channels.values()) == pytest.approx(
        sum(r.value for r in rows), abs=1e-6
    )
    if total > 0:
        assert sum(c.share for c in result.channels.values()) == pytest.approx(1)


@settings(max_examples=60, deadline=None)
@given(rows=path_rows, pair=st.lists(channel, min_size=2, max_size=2, unique=True))
def test_it_is_symmetric(rows, pair):
    # Adding every path's mirror image (i ↔ j swapped) makes i and j interchangeable players.
    i, j = pair
    swap = {i: j, j: i}
    mirrored = rows + [
        PathRow(tuple(swap.get(c, c) for c in r.path), r.conversions, r.value) for r in rows
    ]
    result = credit(mirrored)
    assert result.get(i, 0.0) == pytest.approx(result.get(j, 0.0))


@settings(max_examples=30, deadline=None)
@given(rows=path_rows)
def test_it_matches_the_closed_form_of_the_game(rows):
    expected = closed_form(rows)
    assert credit(rows) == pytest.approx({c: expected.get(c, 0.0) for c in credit(rows)})


def _many_channel_rows() -> list[PathRow]:
    rng = np.random.default_rng(3)
    names = [f"ch{k:02d}" for k in range(15)]
    return [
        PathRow(
            tuple(rng.choice(names, size=rng.integers(1, 5)).tolist()),
            float(rng.integers(1, 10)),
            float(rng.integers(0, 500)),
        )
        for _ in range(60)
    ]


def test_it_samples_orders_above_12_channels_and_stays_efficient():
    rows = _many_channel_rows()
    assert len({c for r in rows for c in r.path}) > 12
    sampled = credit(rows, n_permutations=4000, random_state=1)
    assert sum(sampled.values()) == pytest.approx(sum(r.conversions for r in rows))
    expected = closed_form(rows)
    for c, value in sampled.items():
        assert value == pytest.approx(expected[c], abs=0.05 * sum(expected.values()) / 15), c


def test_it_is_deterministic_given_random_state():
    rows = _many_channel_rows()
    assert credit(rows, random_state=5) == credit(rows, random_state=5)
    assert credit(rows, random_state=5) != credit(rows, random_state=6)


def test_it_agrees_with_sampling_when_exact_enumeration_is_switched_off():
    rows = [PathRow(("a", "b"), 2, 0.0), PathRow(("a",), 1, 0.0), PathRow(("b", "c"), 3, 0.0)]
    sampled = credit(rows, max_exact=0, n_permutations=20_000, random_state=0)
    assert sampled == pytest.approx(credit(rows), abs=0.05)


def test_it_ignores_null_paths():
    assert credit([PathRow(("a",), 2), PathRow(("b",), 0, 0.0, 100)]) == {"a": 2.0, "b": 0.0}


def test_it_runs_the_docstring_examples():
    result = doctest.testmod(shapley_module)
    assert result.failed == 0 and result.attempted > 0
