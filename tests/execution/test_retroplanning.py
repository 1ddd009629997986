"""Retro-planning: dates from a deadline computed by hand, in calendar and working days."""

from __future__ import annotations

import datetime as dt

import pytest

from pilotage.execution.retroplanning import (
    TEMPLATES,
    MilestonePlan,
    Step,
    Template,
    check_dependencies,
    easter,
    french_holidays,
    is_working_day,
    plan_backwards,
    replan,
    shift,
)

D = dt.date
VIVATECH = D(2025, 6, 11)  # a Wednesday


def dates(plan: list[MilestonePlan]) -> dict[str, tuple[dt.date, dt.date]]:
    return {m.key: (m.start, m.due) for m in plan}


def test_it_plans_a_trade_show_back_from_its_opening_day():
    plan = plan_backwards(TEMPLATES["trade_show"], VIVATECH)
    # by hand: Feb 11 → Jun 11 is 28 + 31 + 30 + 31 = 120 days
    assert dates(plan) == {
        "book_stand": (D(2025, 2, 11), D(2025, 2, 11)),  # J−120
        "brief_agency": (D(2025, 3, 13), D(2025, 3, 13)),  # J−90
        "design": (D(2025, 3, 15), D(2025, 4, 12)),  # J−88 → J−60
        "print": (D(2025, 4, 28), D(2025, 5, 12)),  # J−44 → J−30
        "logistics": (D(2025, 5, 18), D(2025, 5, 28)),  # J−24 → J−14
        "trade_show": (D(2025, 6, 11), D(2025, 6, 11)),  # J0
        "follow_up": (D(2025, 6, 11), D(2025, 6, 18)),  # J0 → J+7
    }
    assert plan[0].name("en") == "Book the stand"
    assert plan[0].name("fr") == "Réserver le stand"
    assert check_dependencies(plan) == []


def test_it_counts_working_days_and_skips_weekends_and_holidays():
    # an email sent on Tuesday 13 May 2025; Easter Monday (21 April), 1 and 8 May are off
    holidays = french_holidays(2025)
    plan = plan_backwards(
        TEMPLATES["email_campaign"], D(2025, 5, 13), business_days=True, holidays=holidays
    )
    assert dates(plan) == {
        "brief": (D(2025, 4, 9), D(2025, 4, 9)),  # 21 working days before
        "copy": (D(2025, 4, 11), D(2025, 4, 18)),  # −19 → −14
        "design": (D(2025, 4, 22), D(2025, 4, 29)),  # −13 → −8 (21 April is off)
        "segment": (D(2025, 4, 25), D(2025, 4, 30)),  # −10 → −7
        "proof": (D(2025, 5, 5), D(2025, 5, 7)),  # −5 → −3 (8 May is off)
        "send": (D(2025, 5, 13), D(2025, 5, 13)),
        "results": (D(2025, 5, 22), D(2025, 5, 22)),  # 7 working days after
    }
    for m in plan:
        assert is_working_day(m.start, holidays) and is_working_day(m.due, holidays)
    assert all(m.business_days for m in plan)


def test_it_counts_calendar_days_unless_asked():
    plan = plan_backwards(TEMPLATES["email_campaign"], D(2025, 5, 13))
    assert dates(plan)["brief"] == (D(2025, 4, 22), D(2025, 4, 22))


def test_it_never_moves_the_deadline_itself():
    saturday = D(2025, 6, 14)
    plan = plan_backwards(TEMPLATES["trade_show"], saturday, business_days=True)
    by_key = {m.key: m for m in plan}
    assert by_key["trade_show"].due == saturday
    assert by_key["logistics"].due.weekday() < 5
    assert by_key["follow_up"].start == saturday  # starts on J0, not the Friday before
    assert check_dependencies(plan) == []


@pytest.mark.parametrize("key", sorted(TEMPLATES))
@pytest.mark.parametrize("business_days", [False, True])
@pytest.mark.parametrize("deadline", [D(2025, 6, 11), D(2025, 6, 14), D(2025, 12, 25)])
def test_it_ships_templates_that_respect_their_dependencies(key, business_days, deadline):
    holidays = french_holidays(2025, 2026)
    template = TEMPLATES[key]
    plan = plan_backwards(template, deadline, business_days=business_days, holidays=holidays)
    assert [m.key for m in plan] == [s.key for s in template.steps]
    assert check_dependencies(plan) == []
    assert template.name("fr") and all(m.name("fr") and m.name("en") for m in plan)
    assert any(m.due == deadline for m in plan)  # a step on J0
    if business_days:
        off_days = [m for m in plan if m.due != deadline and not is_working_day(m.due, holidays)]
        assert off_days == []


def test_it_reports_a_user_offset_that_breaks_a_dependency():
    plan = plan_backwards(TEMPLATES["trade_show"], VIVATECH, offsets={"print": -50})
    by_key = {m.key: m for m in plan}
    assert (by_key["print"].start, by_key["print"].due) == (D(2025, 4, 8), D(2025, 4, 22))
    [violation] = check_dependencies(plan)
    assert (violation.key, violation.depends_on) == ("print", "design")
    assert (violation.start, violation.dependency_due, violation.days_short) == (
        D(2025, 4, 8),
        D(2025, 4, 12),
        4,
    )
    assert violation.message() == (
        "'print' starts on 2025-04-08, before 'design' it depends on is due (2025-04-12): "
        "4 day(s) too early"
    )
    assert "avant l'échéance de « design »" in violation.message("fr")


def test_it_keeps_pinned_dates_and_reports_what_they_break():
    plan = plan_backwards(
        TEMPLATES["trade_show"], VIVATECH, pinned={"brief_agency": D(2025, 3, 20)}
    )
    by_key = {m.key: m for m in plan}
    assert by_key["brief_agency"].pinned and by_key["brief_agency"].due == D(2025, 3, 20)
    assert not by_key["design"].pinned
    assert [(v.key, v.depends_on) for v in check_dependencies(plan)] == [("design", "brief_agency")]


def test_it_replans_a_moved_deadline_keeping_pinned_dates_and_edited_offsets():
    plan = plan_backwards(
        TEMPLATES["trade_show"],
        VIVATECH,
        offsets={"print": -35},
        pinned={"book_stand": D(2025, 1, 15)},
    )
    moved = replan(plan, VIVATECH + dt.timedelta(days=7))
    by_key = {m.key: m for m in moved}
    assert by_key["book_stand"].due == D(2025, 1, 15)  # pinned: kept
    assert by_key["brief_agency"].due == D(2025, 3, 20)  # J−90 of 18 June
    assert by_key["print"].due == D(2025, 5, 14)  # the edited J−35 of 18 June
    assert by_key["trade_show"].due == D(2025, 6, 18)
    # re-planning the same deadline gives the same plan
    assert replan(plan, VIVATECH) == plan


def test_it_replans_in_the_unit_the_plan_was_made_in():
    plan = plan_backwards(TEMPLATES["webinar"], D(2025, 3, 20), business_days=True)
    moved = replan(plan, D(2025, 3, 27))
    assert all(m.business_days for m in moved)
    assert {m.key: m.due for m in moved}["rehearsal"] == D(2025, 3, 26)


def test_it_refuses_an_override_of_an_unknown_step():
    with pytest.raises(KeyError):
        plan_backwards(TEMPLATES["webinar"], VIVATECH, offsets={"keynote": -3})


def test_it_refuses_a_template_whose_step_depends_on_a_later_one():
    with pytest.raises(ValueError, match="not an earlier step"):
        Template(
            "bad",
            "Bad",
            "Mauvais",
            (Step("a", "A", "A", -5, depends_on=("b",)), Step("b", "B", "B", -3)),
        )


def test_it_moves_by_working_days():
    friday = D(2025, 3, 7)
    assert shift(friday, 1, business_days=True) == D(2025, 3, 10)
    assert shift(D(2025, 3, 10), -1, business_days=True) == friday
    assert shift(D(2025, 3, 8), -1, business_days=True) == friday  # from a Saturday
    assert shift(friday, 0, business_days=True) == friday
    assert shift(friday, 3) == D(2025, 3, 10)


def test_it_knows_easter_and_the_french_holidays():
    assert [easter(y) for y in (2024, 2025, 2026)] == [
        D(2024, 3, 31),
        D(2025, 4, 20),
        D(2026, 4, 5),
    ]
    holidays = french_holidays(2025)
    assert len(holidays) == 11
    assert {D(2025, 4, 21), D(2025, 5, 29), D(2025, 6, 9), D(2025, 7, 14)} <= holidays
