"""Owner load per ISO week: overload exactly where three actions overlap for a capacity of 2."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pilotage.execution.load import Assignment, overloads, weekly_load

D = dt.date


def three_overlapping() -> list[Assignment]:
    return [
        Assignment("A", "Claire", D(2025, 3, 3), D(2025, 3, 28)),  # W10–W13
        Assignment("B", "Claire", D(2025, 3, 10), D(2025, 3, 21)),  # W11–W12
        Assignment("C", "Claire", D(2025, 3, 12), D(2025, 4, 4)),  # W11–W14
        Assignment("D", "Julien", D(2025, 3, 3), D(2025, 4, 4)),
    ]


def test_it_flags_overload_in_exactly_the_overlapping_weeks():
    weeks = weekly_load(three_overlapping(), capacity=2)
    claire = [(w.label, w.load, w.actions, w.overloaded) for w in weeks if w.owner == "Claire"]
    assert claire == [
        ("2025-W10", Decimal(1), ("A",), False),
        ("2025-W11", Decimal(3), ("A", "B", "C"), True),
        ("2025-W12", Decimal(3), ("A", "B", "C"), True),
        ("2025-W13", Decimal(2), ("A", "C"), False),  # at capacity is full, not over
        ("2025-W14", Decimal(1), ("C",), False),
    ]
    over = overloads(three_overlapping(), capacity=2)
    assert [(w.owner, w.label, w.excess) for w in over] == [
        ("Claire", "2025-W11", Decimal(1)),
        ("Claire", "2025-W12", Decimal(1)),
    ]
    assert over[0].monday == D(2025, 3, 10)


def test_it_uses_each_owners_capacity():
    capacities = {"Claire": Decimal(3)}
    assert overloads(three_overlapping(), capacities) == []
    tight = overloads(three_overlapping(), capacities, default_capacity=Decimal("0.5"))
    assert {w.owner for w in tight} == {"Julien"}
    assert len(tight) == 5  # W10 to W14


def test_it_adds_shares_of_a_week_exactly():
    items = [
        Assignment(1, "Sofia", D(2025, 3, 3), D(2025, 3, 7), Decimal("0.1")),
        Assignment(2, "Sofia", D(2025, 3, 3), D(2025, 3, 7), Decimal("0.2")),
        Assignment(3, "Sofia", D(2025, 3, 3), D(2025, 3, 7), Decimal("0.7")),
    ]
    [week] = weekly_load(items)
    assert week.load == Decimal("1.0") and not week.overloaded


def test_it_prorates_by_working_days_when_asked():
    # Thursday to Tuesday: 2 working days in W10, 2 in W11
    item = Assignment(1, "Sofia", D(2025, 3, 6), D(2025, 3, 11), Decimal(1))
    assert [w.load for w in weekly_load([item])] == [Decimal(1), Decimal(1)]
    assert [w.load for w in weekly_load([item], prorate=True)] == [Decimal("0.4"), Decimal("0.4")]
    weekend = Assignment(2, "Sofia", D(2025, 3, 8), D(2025, 3, 9))
    assert weekly_load([weekend], prorate=True) == []


def test_it_names_iso_weeks_across_new_year():
    item = Assignment(1, "Sofia", D(2025, 12, 29), D(2026, 1, 2))
    [week] = weekly_load([item])
    assert (week.label, week.year, week.week, week.monday) == ("2026-W01", 2026, 1, D(2025, 12, 29))


def test_it_refuses_impossible_assignments():
    with pytest.raises(ValueError):
        Assignment(1, "Sofia", D(2025, 3, 9), D(2025, 3, 8))
    with pytest.raises(TypeError):
        Assignment(1, "Sofia", D(2025, 3, 8), D(2025, 3, 9), 0.5)  # type: ignore[arg-type]
