"""The budget curve: the optimum at several totals, and the extra outcome per extra €."""

from __future__ import annotations

import numpy as np
import pytest

from pilotage.allocation import budget_curve, optimize
from tests.allocation.hill import Hill, HillModel, grid_optimum

WEEKS = 12


def two_channels() -> HillModel:
    return HillModel(
        {
            "search": Hill(3000, 2000, 1.0, 0.3, pace=1500),
            "tv": Hill(9000, 15000, 1.0, 0.7, pace=2500),
        }
    )


def test_each_point_is_the_best_split_of_its_total():
    model = two_channels()
    current = sum(model.current_allocation(WEEKS).values())
    points = budget_curve(model, WEEKS, shares=(0.5, 1.0, 1.5, 0.75))
    assert [p.share for p in points] == [0.5, 0.75, 1.0, 1.5]  # sorted
    for p in points:
        assert p.total == pytest.approx(current * p.share, abs=0.01)
        assert sum(p.allocation.values()) == pytest.approx(p.total, abs=0.005)
        best = grid_optimum(model, p.total, WEEKS, {}, {}, 2001)
        assert p.expected.mean == pytest.approx(best, rel=0.005)
        assert p.expected.low <= p.expected.mean <= p.expected.high
    at_current = optimize(model, points[2].total, WEEKS)
    assert points[2].allocation == at_current.allocation


def test_the_extra_outcome_per_extra_euro_falls_as_the_budget_grows():
    model = two_channels()
    points = budget_curve(model, WEEKS)
    assert points[0].marginal is None
    marginals = [p.marginal for p in points[1:]]
    # the optimum of concave curves is concave in the total: each step returns less
    assert all(a.mean > b.mean for a, b in zip(marginals, marginals[1:], strict=False))
    for before, after in zip(points, points[1:], strict=False):
        slope = (after.expected.mean - before.expected.mean) / (after.total - before.total)
        assert after.marginal.mean == pytest.approx(slope)
        # draw by draw: the β spread of the draws gives an interval around it
        assert after.marginal.low < slope < after.marginal.high


def test_the_marginal_interval_comes_from_the_same_draws_at_both_totals():
    model = two_channels()
    low, high = budget_curve(model, WEEKS, shares=(1.0, 1.25))
    draws = (
        model.outcome_draws(high.allocation, WEEKS) - model.outcome_draws(low.allocation, WEEKS)
    ) / (high.total - low.total)
    assert (high.marginal.low, high.marginal.high) == tuple(np.quantile(draws, [0.05, 0.95]))


def test_it_passes_the_optimisers_settings_at_every_total():
    model = two_channels()
    points = budget_curve(model, WEEKS, shares=(0.5, 1.5), minimum={"tv": 20_000.0})
    assert all(p.allocation["tv"] >= 20_000.0 - 0.005 for p in points)


@pytest.mark.parametrize(
    ("shares", "current", "words"),
    [
        ((0.0, 1.0), None, "positive"),
        ((), None, "positive"),
        ((1.0,), {"search": 0.0, "tv": 0.0}, "spends nothing"),
    ],
)
def test_it_refuses_what_it_cannot_scale(shares, current, words):
    with pytest.raises(ValueError, match=words):
        budget_curve(two_channels(), WEEKS, shares=shares, current=current)


def test_it_keeps_the_optimisers_warnings_at_each_total():
    model = two_channels()
    low, high = budget_curve(model, WEEKS, shares=(1.0, 6.0))
    assert low.notes == ()  # the current pace is within what the model has seen
    assert high.notes  # six times the budget: weekly spend far beyond the spend seen
    english, french = high.warnings_in("en"), high.warnings_in("fr")
    assert english and french and english != french
    assert high.as_dict()["warnings"] == list(english)
    assert [n["code"] for n in high.as_dict()["notes"]] == [n.code for n in high.notes]
