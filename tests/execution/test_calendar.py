"""The iCalendar feed parses back with icalendar, with stable UIDs and all-day dates."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from pilotage.execution.calendar import CalendarEntry, build_calendar, event_uid, from_milestones
from pilotage.execution.retroplanning import TEMPLATES, plan_backwards

STAMP = dt.datetime(2025, 1, 10, 9, 30, tzinfo=dt.UTC)


def entries() -> list[CalendarEntry]:
    plan = plan_backwards(TEMPLATES["trade_show"], dt.date(2025, 6, 11))
    milestones = from_milestones(
        42, "Vivatech 2025", plan, url="https://pilotage.example/w/acme/actions/42"
    )
    deadline = CalendarEntry(
        "action",
        42,
        "Vivatech 2025 — end",
        dt.date(2025, 6, 11),
        last_day=dt.date(2025, 6, 14),
        description="Owner: Claire Dubois\nBudget: 25,000.00 EUR",
        categories=("Events",),
    )
    return [*milestones, deadline]


def test_it_builds_a_feed_that_parses_back_with_the_same_events():
    data = build_calendar(entries(), workspace_key="acme", name="Acme — action plan", stamp=STAMP)
    assert isinstance(data, bytes) and data.startswith(b"BEGIN:VCALENDAR\r\n")
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["X-WR-CALNAME"]) == "Acme — action plan"
    assert str(calendar["VERSION"]) == "2.0"
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == 8
    book = events[event_uid("acme", "milestone", "42/book_stand")]
    assert str(book["SUMMARY"]) == "Vivatech 2025 · Book the stand"
    assert book.decoded("DTSTART") == dt.date(2025, 2, 11)
    assert book.decoded("DTEND") == dt.date(2025, 2, 12)  # exclusive: the day after
    assert book.decoded("DTSTAMP") == STAMP
    assert str(book["URL"]) == "https://pilotage.example/w/acme/actions/42"
    show = events[event_uid("acme", "action", 42)]
    assert (show.decoded("DTSTART"), show.decoded("DTEND")) == (
        dt.date(2025, 6, 11),
        dt.date(2025, 6, 15),
    )
    assert str(show["DESCRIPTION"]) == "Owner: Claire Dubois\nBudget: 25,000.00 EUR"
    assert "URL" not in show
    dates = sorted((e.decoded("DTSTART"), str(e["SUMMARY"])) for e in events.values())
    assert dates[0] == (dt.date(2025, 2, 11), "Vivatech 2025 · Book the stand")
    assert dates[-1] == (dt.date(2025, 6, 18), "Vivatech 2025 · Follow up the leads")


def test_it_gives_the_same_uids_when_generated_again():
    first = build_calendar(entries(), workspace_key="acme", name="Plan", stamp=STAMP)
    again = build_calendar(entries(), workspace_key="acme", name="Plan", stamp=STAMP)
    assert first == again
    later = build_calendar(entries(), workspace_key="acme", name="Plan")

    def uids(data: bytes) -> set[str]:
        return {str(e["UID"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}

    assert uids(first) == uids(later)
    other = build_calendar(entries(), workspace_key="globex", name="Plan", stamp=STAMP)
    assert uids(first).isdisjoint(uids(other))
    assert event_uid("acme", "milestone", 7) == event_uid("acme", "milestone", "7")


def test_it_refuses_two_entries_with_one_identity():
    twice = [CalendarEntry("milestone", 1, "A", dt.date(2025, 1, 1))] * 2
    with pytest.raises(ValueError, match="two calendar entries"):
        build_calendar(twice, workspace_key="acme", name="Plan", stamp=STAMP)


def test_it_keeps_entries_all_day():
    with pytest.raises(TypeError):
        CalendarEntry("milestone", 1, "A", dt.datetime(2025, 1, 1, 9))
    with pytest.raises(ValueError):
        CalendarEntry("milestone", 1, "A", dt.date(2025, 1, 2), last_day=dt.date(2025, 1, 1))
    with pytest.raises(ValueError, match="aware"):
        build_calendar([], workspace_key="acme", name="Plan", stamp=dt.datetime(2025, 1, 1))
