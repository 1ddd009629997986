"""The budget optimiser against known Hill curves: constraints, brute force, safety net."""

from __future__ import annotations

import importlib
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilotage.allocation import AllocationError, optimize
from tests.allocation.hill import Hill, HillModel, grid_optimum

WEEKS = 12
optimize_module = importlib.import_module("pilotage.allocation.optimize")


def three_channels(**changes) -> HillModel:
    curves = {
        "search": Hill(3000, 2000, 1.0, 0.3, pace=1500),
        "social": Hill(5000, 6000, 0.8, 0.6, pace=1000),
        "tv": Hill(9000, 15000, 1.0, 0.7, pace=2500),
    }
    for name, hill in changes.items():
        curves[name] = hill
    return HillModel(curves)


def cents(amounts: dict[str, float]) -> dict[str, int]:
    return {c: round(x * 100) for c, x in amounts.items()}


@pytest.mark.parametrize("total", [100_000.0, 12_345.67, 99_999.999, 0.05, 0.0])
def test_it_spends_the_total_to_the_cent(total):
    result = optimize(three_channels(), total, WEEKS)
    assert sum(cents(result.allocation).values()) == round(total * 100)
    assert all(x == round(x, 2) for x in result.allocation.values())


def test_it_keeps_a_booked_amount_and_the_bounds():
    result = optimize(
        three_channels(),
        80_000,
        WEEKS,
        minimum={"tv": 30_000.5, "search": 10_000},
        maximum={"tv": 30_000.5, "social": 5_000},
    )
    assert result.allocation["tv"] == 30_000.5
    assert result.allocation["search"] >= 10_000
    assert result.allocation["social"] <= 5_000
    assert sum(cents(result.allocation).values()) == 8_000_000
    assert result.bounds["tv"] == (30_000.5, 30_000.5)


def test_it_keeps_each_channel_within_the_ramp_limit():
    current = {"search": 20_000.0, "social": 10_000.0, "tv": 30_000.0}
    result = optimize(three_channels(), 60_000, WEEKS, current=current, max_change=0.2)
    for c, now in current.items():
        assert abs(result.allocation[c] - now) <= 0.2 * now + 1e-9
    assert sum(cents(result.allocation).values()) == 6_000_000
    # the ramp binds: search would get far less without it
    assert result.allocation["search"] == 16_000
    assert optimize(three_channels(), 60_000, WEEKS, current=current).allocation["search"] < 15_000


TWO_CHANNEL_CASES = [
    ({"a": Hill(3000, 2000, 1.0, 0.3), "b": Hill(5000, 6000, 0.8, 0.6)}, 50_000, {}, {}),
    ({"a": Hill(800, 500, 0.6, 0.1), "b": Hill(20000, 40000, 1.0, 0.8)}, 200_000, {}, {}),
    ({"a": Hill(3000, 2000, 1.0, 0.3), "b": Hill(3000, 2000, 1.0, 0.3)}, 30_000, {}, {}),
    ({"a": Hill(3000, 2000, 1.0, 0.3), "b": Hill(5000, 6000, 0.8, 0.6)}, 50_000, {"a": 30_000}, {}),
    ({"a": Hill(3000, 2000, 1.0, 0.3), "b": Hill(9000, 6000, 0.9, 0.6)}, 50_000, {}, {"b": 20_000}),
]


@pytest.mark.parametrize(("curves", "total", "low", "high"), TWO_CHANNEL_CASES)
def test_it_is_within_half_a_percent_of_brute_force_on_two_channels(curves, total, low, high):
    model = HillModel(curves)
    result = optimize(model, total, WEEKS, minimum=low, maximum=high)
    best = grid_optimum(model, total, WEEKS, low, high, points=200_001)
    assert result.expected.mean >= best * (1 - 0.005)
    # in fact as good as the grid, to its resolution
    assert result.expected.mean >= best * (1 - 1e-6)


THREE_CHANNEL_CASES = [
    (100_000, {}, {}),
    (20_000, {}, {}),
    (400_000, {"search": 50_000}, {"tv": 150_000}),
    (100_000, {"social": 40_000}, {"search": 10_000}),
]


@pytest.mark.parametrize(("total", "low", "high"), THREE_CHANNEL_CASES)
def test_it_is_within_half_a_percent_of_brute_force_on_three_channels(total, low, high):
    model = three_channels()
    result = optimize(model, total, WEEKS, minimum=low, maximum=high)
    best = grid_optimum(model, total, WEEKS, low, high, points=1_501)
    assert result.expected.mean >= best * (1 - 0.005)
    assert result.expected.mean >= best * (1 - 1e-5)


def test_it_equalises_marginal_returns_across_unconstrained_channels():
    result = optimize(three_channels(), 100_000, WEEKS, maximum={"search": 5_000})
    free = [result.marginal_roi[c] for c in ("social", "tv")]
    assert free[0] == pytest.approx(free[1], rel=1e-4)
    # the capped channel would still earn more per € than the others
    assert result.marginal_roi["search"] > free[0]


hills = st.builds(
    Hill,
    coef=st.floats(100, 50_000),
    half=st.floats(100, 50_000),
    shape=st.floats(0.5, 1.0),
    decay=st.floats(0.0, 0.9),
    spread=st.floats(0.0, 0.6),
    pace=st.integers(0, 500_000).map(lambda c: c / 100),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    curves=st.lists(hills, min_size=1, max_size=4),
    seed=st.integers(0, 10),
    slack=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 2)), min_size=4, max_size=4),
    objective=st.sampled_from(["mean", "quantile"]),
)
def test_it_never_recommends_worse_than_the_current_allocation(curves, seed, slack, objective):
    model = HillModel({f"c{i}": h for i, h in enumerate(curves)}, seed=seed)
    current = {c: round(x, 2) for c, x in model.current_allocation(WEEKS).items()}
    total = round(sum(current.values()), 2)
    # bounds that the current allocation meets
    low = {c: round(x * slack[i][0], 2) for i, (c, x) in enumerate(current.items())}
    high = {c: round(x * (1 + slack[i][1]), 2) for i, (c, x) in enumerate(current.items())}
    result = optimize(
        model, total, WEEKS, minimum=low, maximum=high, current=current, objective=objective
    )
    assert sum(cents(result.allocation).values()) == round(total * 100)
    for c, x in result.allocation.items():
        assert low[c] <= x <= high[c]
    if objective == "mean":
        assert result.expected.mean >= model.outcome(current, WEEKS)
    else:

        def q(spend):
            return np.quantile(model.outcome_draws(spend, WEEKS), 0.1)

        assert q(result.allocation) >= q(current)


def test_it_keeps_the_current_mix_when_the_search_fails(monkeypatch):
    model = three_channels()

    def broken(curves, low, high, total):
        return {"search": total, "social": 0.0, "tv": 0.0}

    monkeypatch.setattr(optimize_module, "equalise_marginal_returns", broken)
    result = optimize(model, 100_000, WEEKS)
    assert result.kept_current
    assert "current mix" in result.warnings[-1]
    current = model.current_allocation(WEEKS)
    share = {c: x / sum(current.values()) for c, x in current.items()}
    assert result.allocation == pytest.approx({c: 100_000 * s for c, s in share.items()}, abs=0.01)
    assert sum(cents(result.allocation).values()) == 10_000_000


def test_it_warns_about_spend_far_beyond_the_data():
    model = three_channels(tv=Hill(90000, 15000, 1.0, 0.7, top=1_000))
    result = optimize(model, 200_000, WEEKS)
    assert result.allocation["tv"] / WEEKS > 1.5 * 1_000
    (warning,) = result.warnings
    assert warning.startswith("tv:") and "highest weekly spend in the data (1,000.00)" in warning


def test_it_caps_spend_far_beyond_the_data_when_asked():
    model = three_channels(tv=Hill(90000, 15000, 1.0, 0.7, top=1_000))
    result = optimize(model, 200_000, WEEKS, guard="cap", guard_factor=1.5)
    assert result.allocation["tv"] == 1.5 * 1_000 * WEEKS
    assert result.warnings == ()
    assert sum(cents(result.allocation).values()) == 20_000_000


def test_it_keeps_a_booked_minimum_above_the_cap_with_a_warning():
    model = three_channels(tv=Hill(90000, 15000, 1.0, 0.7, top=1_000))
    result = optimize(model, 200_000, WEEKS, minimum={"tv": 50_000}, guard="cap")
    assert result.allocation["tv"] >= 50_000
    assert "extrapolation cap for tv" in result.warnings[0]


@pytest.mark.parametrize(
    ("settings_", "words"),
    [
        (
            {"minimum": {"search": 60_000, "tv": 50_000}},
            ["floors add up to 110,000.00", "minimum 60,000.00 for search"],
        ),
        (
            {"maximum": {"search": 1, "social": 2, "tv": 3}},
            ["ceilings add up to 6.00", "maximum 3.00 for tv"],
        ),
        ({"minimum": {"tv": 5}, "maximum": {"tv": 4}}, ["tv: its minimum 5.00 is above"]),
        ({"minimum": {"radio": 5}}, ["unknown channel(s) radio"]),
        ({"current": {"radio": 5}}, ["current names unknown channel(s) radio"]),
        ({"maximum": {"tv": -1}}, ["maximum for tv is -1"]),
        (
            {"current": {"search": 1000, "social": 1000, "tv": 1000}, "max_change": 0.5},
            ["ramp limit for search: at most ±50% of its current 1,000.00", "ceilings"],
        ),
        (
            {
                "current": {"search": 1000, "social": 0, "tv": 0},
                "max_change": 0.1,
                "minimum": {"search": 2000},
            },
            ["search: the ramp limit", "minimum 2,000.00 rules out"],
        ),
        ({"guard": "cap", "guard_factor": 0.01}, ["extrapolation cap for tv", "guard='warn'"]),
        ({"objective": "median"}, ["objective is 'median'"]),
    ],
)
def test_it_explains_infeasible_constraints(settings_, words):
    with pytest.raises(AllocationError) as error:
        optimize(three_channels(), 100_000, WEEKS, **settings_)
    for word in words:
        assert word in str(error.value)


def test_the_quantile_objective_is_more_cautious():
    # same mean curve shape; "bold" earns 5% more on average but its effect is very uncertain
    model = HillModel(
        {
            "safe": Hill(10_000, 5000, 1.0, 0.5, spread=0.05),
            "bold": Hill(10_500, 5000, 1.0, 0.5, spread=0.8),
        },
        seed=3,
    )
    bold = optimize(model, 100_000, WEEKS)
    careful = optimize(model, 100_000, WEEKS, objective="quantile", quantile=0.1)
    assert careful.allocation["safe"] > bold.allocation["safe"] + 5_000
    assert careful.objective == "quantile 0.1"

    def spread(result):
        return np.std(model.outcome_draws(result.allocation, WEEKS))

    def q10(result):
        return np.quantile(model.outcome_draws(result.allocation, WEEKS), 0.1)

    assert spread(careful) < spread(bold)
    assert q10(careful) > q10(bold)
    assert careful.expected.mean < bold.expected.mean


def test_it_reports_uplift_draw_by_draw_and_as_json():
    model = three_channels()
    result = optimize(model, 60_000, WEEKS)
    current = model.current_allocation(WEEKS)
    assert result.current == current
    assert result.uplift.mean == pytest.approx(
        model.outcome(result.allocation, WEEKS) - model.outcome(current, WEEKS)
    )
    difference = model.outcome_draws(result.allocation, WEEKS) - model.outcome_draws(current, WEEKS)
    assert result.uplift.low == pytest.approx(np.quantile(difference, 0.05))
    assert result.uplift.low > 0
    data = json.loads(json.dumps(result.as_dict()))
    assert data["allocation"] == result.allocation
    assert set(data) >= {"expected", "current_expected", "uplift", "marginal_roi", "warnings"}


def test_it_searches_further_on_s_shaped_curves():
    model = HillModel({"a": Hill(3000, 2000, 3.0, 0.3), "b": Hill(5000, 6000, 2.5, 0.6)})
    result = optimize(model, 30_000, WEEKS)
    assert "not concave" in result.warnings[0]
    best = grid_optimum(model, 30_000, WEEKS, {}, {}, points=100_001)
    assert result.expected.mean >= best * (1 - 0.005)


def _safe_and_bold(spread: float = 0.6, edge: float = 10_500) -> HillModel:
    # "bold" spends little now and earns more on average than "safe", but its effect is very
    # uncertain: the optimum moves most of the money to it, which some draws regret
    return HillModel(
        {
            "safe": Hill(10_000, 5000, 1.0, 0.5, spread=0.05, pace=7_000),
            "bold": Hill(edge, 5000, 1.0, 0.5, spread=spread, pace=500),
        },
        seed=3,
    )


def _chance_better(model, allocation, current) -> float:
    return float(
        np.mean(model.outcome_draws(allocation, WEEKS) > model.outcome_draws(current, WEEKS))
    )


def test_the_confidence_rule_moves_only_as_far_as_the_draws_agree():
    model = _safe_and_bold()
    current = model.current_allocation(WEEKS)
    total = sum(current.values())
    bold = optimize(model, total, WEEKS)
    assert _chance_better(model, bold.allocation, current) < 0.9  # the rule has work to do
    sure = optimize(model, total, WEEKS, confidence=0.9)
    assert _chance_better(model, sure.allocation, current) >= 0.9
    assert sure.chance_better == pytest.approx(_chance_better(model, sure.allocation, current))
    assert sure.chance_better >= 0.9 > bold.chance_better
    # part of the way from the current split towards the optimum, the total to the cent
    assert current["bold"] < sure.allocation["bold"] < bold.allocation["bold"]
    assert sum(cents(sure.allocation).values()) == round(total * 100)
    assert not sure.kept_current
    assert "of the way" in sure.warnings[-1]
    assert sure.uplift.mean > 0


def test_the_confidence_rule_keeps_the_current_mix_when_no_move_is_sure_enough():
    model = _safe_and_bold(spread=3.0, edge=10_200)
    current = model.current_allocation(WEEKS)
    total = sum(current.values())
    assert optimize(model, total, WEEKS).allocation != current
    kept = optimize(model, total, WEEKS, confidence=0.99)
    assert kept.kept_current
    assert kept.allocation == pytest.approx(current)
    assert "not sure enough" in kept.warnings[-1]


def test_the_confidence_rule_changes_nothing_when_the_optimum_is_sure():
    model = three_channels()
    plain = optimize(model, 60_000, WEEKS)
    assert plain.chance_better >= 0.95
    assert optimize(model, 60_000, WEEKS, confidence=0.9).allocation == plain.allocation


@pytest.mark.parametrize("confidence", [0.0, 1.0, 1.5, -0.2])
def test_the_confidence_must_be_a_share(confidence):
    with pytest.raises(AllocationError, match="confidence"):
        optimize(three_channels(), 60_000, WEEKS, confidence=confidence)


def _gain_quantile(model, allocation, current, q: float = 0.1) -> float:
    gain = model.outcome_draws(allocation, WEEKS) - model.outcome_draws(current, WEEKS)
    return float(np.quantile(gain, q))


def test_the_cautious_objective_maximises_the_gain_most_draws_agree_on():
    model = _safe_and_bold()
    current = model.current_allocation(WEEKS)
    total = sum(current.values())
    careful = optimize(model, total, WEEKS, objective="uplift_quantile", quantile=0.1)
    assert careful.objective == "uplift_quantile 0.1"
    assert sum(cents(careful.allocation).values()) == round(total * 100)
    # brute force over every split of the two channels, to the euro
    grid = np.arange(0, total + 1, 1.0)
    best = max(_gain_quantile(model, {"safe": total - b, "bold": b}, current) for b in grid)
    found = _gain_quantile(model, careful.allocation, current)
    assert best > 0 and found >= best - 0.005 * abs(best)
    # it moves towards the bolder channel, less far than the expected-outcome optimum does
    bold = optimize(model, total, WEEKS)
    assert current["bold"] < careful.allocation["bold"] < bold.allocation["bold"]
    assert _gain_quantile(model, bold.allocation, current) < found
    assert careful.chance_better >= 0.9 and not careful.kept_current


def test_the_cautious_objective_finds_moves_off_the_line_to_the_optimum():
    """The best sure move need not lie between the current split and the expected optimum."""
    model = HillModel(
        {
            "wild": Hill(30_000, 5000, 1.0, 0.5, spread=2.0, pace=3_000),  # best on average
            "steady": Hill(12_000, 5000, 1.0, 0.5, spread=0.02, pace=1_000),
            "tired": Hill(3_000, 2000, 1.0, 0.5, spread=0.02, pace=4_000),
        },
        seed=5,
    )
    current = model.current_allocation(WEEKS)
    total = sum(current.values())
    careful = optimize(model, total, WEEKS, objective="uplift_quantile")
    # the sure move is from the tired channel to the steady one, whatever "wild" does
    assert careful.allocation["steady"] > current["steady"] + 1_000
    assert careful.allocation["tired"] < current["tired"] - 1_000
    assert _gain_quantile(model, careful.allocation, current) > 0


def test_the_cautious_objective_keeps_the_current_mix_when_the_draws_agree_on_nothing():
    model = _safe_and_bold(spread=3.0, edge=10_200)
    current = model.current_allocation(WEEKS)
    total = sum(current.values())
    kept = optimize(model, total, WEEKS, objective="uplift_quantile", quantile=0.01)
    assert kept.kept_current and kept.allocation == pytest.approx(current)
    assert "not sure enough of any move" in kept.warnings[-1]
    assert "99" in kept.warnings[-1]
