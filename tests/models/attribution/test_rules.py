"""Rule-based attribution models against hand-computed paths, and the model registry."""

from __future__ import annotations

import json

import pytest

from pilotage.models.attribution import (
    MODELS,
    Journey,
    PathRow,
    attribute_paths,
    get_model,
)

# 4 conversions worth 140; the null path only lists "c" with no credit.
ROWS = [
    PathRow(("a", "b", "c"), 2, 100.0, 1),
    PathRow(("a",), 1, 30.0, 0),
    PathRow(("b", "Direct"), 1, 10.0, 2),
    PathRow(("c",), 0, 0.0, 5),
]


def credit(model: str, rows=ROWS, **params) -> dict[str, tuple[float, float]]:
    result = get_model(model, **params).attribute(rows)
    return {c: (x.conversions, x.value) for c, x in result.channels.items()}


def approx(expected: dict[str, tuple[float, float]]):
    return pytest.approx({c: pytest.approx(v) for c, v in expected.items()})


def test_it_gives_everything_to_the_first_touch():
    assert credit("first_touch") == approx(
        {"Direct": (0, 0), "a": (3, 130), "b": (1, 10), "c": (0, 0)}
    )


def test_it_gives_everything_to_the_last_touch():
    assert credit("last_touch") == approx(
        {"Direct": (1, 10), "a": (1, 30), "b": (0, 0), "c": (2, 100)}
    )


def test_it_skips_direct_for_last_non_direct():
    assert credit("last_non_direct") == approx(
        {"Direct": (0, 0), "a": (1, 30), "b": (1, 10), "c": (2, 100)}
    )


def test_it_keeps_direct_when_the_path_is_only_direct():
    rows = [PathRow(("Direct", "(direct)"), 1, 5.0), PathRow(("direct", "a", "DIRECT"), 1, 5.0)]
    assert credit("last_non_direct", rows) == approx(
        {"(direct)": (1, 5), "DIRECT": (0, 0), "Direct": (0, 0), "a": (1, 5), "direct": (0, 0)}
    )


def test_it_splits_equally_for_linear():
    # a: 2/3 (path 1) + 1 (path 2); b: 2/3 + 1/2; c: 2/3; Direct: 1/2.
    assert credit("linear") == approx(
        {
            "Direct": (1 / 2, 5),
            "a": (5 / 3, 100 / 3 + 30),
            "b": (7 / 6, 100 / 3 + 5),
            "c": (2 / 3, 100 / 3),
        }
    )


def test_it_decays_by_position_when_paths_have_no_times():
    # Half-life 1 step: path 1 weights 1/4, 1/2, 1 → 1/7, 2/7, 4/7; path 3: 1/3, 2/3.
    assert credit("time_decay", half_life=1) == approx(
        {
            "Direct": (2 / 3, 20 / 3),
            "a": (2 / 7 + 1, 100 / 7 + 30),
            "b": (4 / 7 + 1 / 3, 200 / 7 + 10 / 3),
            "c": (8 / 7, 400 / 7),
        }
    )


def test_it_decays_by_days_before_the_conversion():
    journey = Journey(("a", "b", "c"), True, 70.0, times=(100.0, 107.0, 114.0))
    # 14 and 7 days before the conversion with a 7-day half-life: 1/4, 1/2, 1.
    assert credit("time_decay", [journey], half_life=7) == approx(
        {"a": (1 / 7, 10), "b": (2 / 7, 20), "c": (4 / 7, 40)}
    )


def test_it_refuses_a_non_positive_half_life():
    with pytest.raises(ValueError, match="half_life"):
        credit("time_decay", half_life=0)


def test_it_gives_40_20_40_for_position_based():
    # Path 1: 0.4/0.2/0.4 of 2; path 2: all of 1; path 3: 50/50 of 1.
    assert credit("position_based") == approx(
        {"Direct": (0.5, 5), "a": (1.8, 70), "b": (0.9, 25), "c": (0.8, 40)}
    )


def test_it_splits_the_middle_share_over_middle_touches():
    journey = Journey(("a", "b", "c", "d", "e"), True, 100.0)
    assert credit("position_based", [journey]) == approx(
        {
            "a": (0.4, 40),
            "b": (0.2 / 3, 20 / 3),
            "c": (0.2 / 3, 20 / 3),
            "d": (0.2 / 3, 20 / 3),
            "e": (0.4, 40),
        }
    )


def test_it_gives_30_30_30_10_for_w_shaped():
    journey = Journey(("a", "b", "c", "d", "e"), True, 100.0, lead_index=1, opportunity_index=3)
    assert credit("w_shaped", [journey]) == approx(
        {"a": (0.3, 30), "b": (0.3, 30), "c": (0.05, 5), "d": (0.3, 30), "e": (0.05, 5)}
    )


def test_it_adds_the_shares_of_milestones_on_the_same_touch():
    journey = Journey(("a", "b", "c", "d"), True, 1.0, lead_index=0, opportunity_index=2)
    assert credit("w_shaped", [journey]) == approx(
        {"a": (0.6, 0.6), "b": (0.05, 0.05), "c": (0.3, 0.3), "d": (0.05, 0.05)}
    )


def test_it_rescales_w_shaped_when_milestones_are_unknown():
    # First touch 0.3, the others 0.1 / 2 each; rescaled by 1 / 0.4.
    assert credit("w_shaped", [PathRow(("a", "b", "c"), 4, 8.0)]) == approx(
        {"a": (3, 6), "b": (0.5, 1), "c": (0.5, 1)}
    )


def test_it_drops_the_rest_share_when_every_touch_is_a_milestone():
    journey = Journey(("a", "b"), True, 3.0, lead_index=0, opportunity_index=1)
    assert credit("w_shaped", [journey]) == approx({"a": (2 / 3, 2), "b": (1 / 3, 1)})


@pytest.mark.parametrize("model", sorted(MODELS))
def test_it_distributes_exactly_the_totals_under_every_model(model):
    result = get_model(model).attribute(ROWS)
    assert sorted(result.channels) == ["Direct", "a", "b", "c"]
    assert (result.total_conversions, result.total_value) == (4, 140)
    assert sum(c.conversions for c in result.channels.values()) == pytest.approx(4)
    assert sum(c.value for c in result.channels.values()) == pytest.approx(140)
    assert sum(c.share for c in result.channels.values()) == pytest.approx(1)
    assert all(c.conversions >= -1e-12 for c in result.channels.values())


@pytest.mark.parametrize("model", sorted(MODELS))
def test_it_gives_a_lone_channel_everything_under_every_model(model):
    result = get_model(model).attribute([PathRow(("a", "a"), 3, 9.0, 2), PathRow(("a",), 1, 1.0)])
    assert result.channels["a"].conversions == pytest.approx(4)
    assert result.channels["a"].value == pytest.approx(10)
    assert result.channels["a"].share == pytest.approx(1)


def test_it_returns_the_cli_json_shape(tmp_path):
    file = tmp_path / "paths.csv"
    file.write_text("path,total_conversions,total_conversion_value,total_null\na;b,2,20,1\n")
    result = attribute_paths(file, "first_touch", separator=";")
    assert json.loads(json.dumps(result))["channels"] == {
        "a": {"conversions": 2.0, "value": 20.0, "share": 1.0},
        "b": {"conversions": 0.0, "value": 0.0, "share": 0.0},
    }
    assert "removal_effects" not in result
    assert set(attribute_paths(file, "markov", order=2, separator=";")["removal_effects"]) == {
        "a",
        "b",
    }


def test_it_names_the_known_models_for_an_unknown_one():
    with pytest.raises(ValueError, match="unknown attribution model 'u_shaped'.*first_touch"):
        attribute_paths(ROWS, "u_shaped")


def test_it_refuses_an_order_for_other_models_than_markov():
    with pytest.raises(ValueError, match="markov model only"):
        attribute_paths(ROWS, "linear", order=2)


def test_it_passes_model_settings_through():
    result = attribute_paths(ROWS, "time_decay", half_life=1)
    assert result["channels"]["c"]["conversions"] == pytest.approx(8 / 7)
