"""The action plan as an iCalendar feed (RFC 5545) that calendar apps subscribe to.

Every entry becomes an all-day ``VEVENT`` (``DTSTART;VALUE=DATE``, and ``DTEND`` the day
after the last day, as RFC 5545 makes it exclusive). Its ``UID`` is derived from the workspace
key, the entry's kind and its id only — not from its title or date — so generating the feed
again gives the same UIDs and a calendar app updates its events instead of duplicating them.
``DTSTAMP`` is the generation time (pass ``stamp`` for a byte-identical feed). The calendar's
name is ``X-WR-CALNAME`` (and ``NAME``, RFC 7986).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar

from pilotage.execution.retroplanning import MilestonePlan

__all__ = ["CalendarEntry", "build_calendar", "event_uid", "from_milestones"]

PRODID = "-//Pilotage//Action plan//EN"
# a fixed namespace: UIDs must not change between versions of Pilotage
NAMESPACE = uuid.UUID("6f1c1d8e-3c8a-4b4e-9a51-0c9a4c1f5e27")


@dataclass(frozen=True)
class CalendarEntry:
    """One all-day event: a milestone, an action's deadline, …

    ``kind`` and ``id`` identify it within the workspace (``("milestone", 42)``);
    ``last_day`` is inclusive (None: a one-day event).
    """

    kind: str
    id: int | str
    title: str
    day: dt.date
    last_day: dt.date | None = None
    description: str = ""
    url: str | None = None
    categories: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.day, dt.datetime) or isinstance(self.last_day, dt.datetime):
            raise TypeError("calendar entries are all-day: give dates, not datetimes")
        if self.last_day is not None and self.last_day < self.day:
            raise ValueError(f"{self.kind} {self.id}: last day {self.last_day} before {self.day}")


def event_uid(workspace_key: str, kind: str, id: int | str) -> str:
    """A stable UID: the same workspace, kind and id always give the same one."""
    return f"{uuid.uuid5(NAMESPACE, f'{workspace_key}/{kind}/{id}')}@pilotage"


def from_milestones(
    action_id: int | str,
    action_title: str,
    milestones: Iterable[MilestonePlan],
    *,
    language: str = "en",
    url: str | None = None,
) -> list[CalendarEntry]:
    """One entry per planned milestone, on its due date ("Trade show 2025 · Print")."""
    return [
        CalendarEntry(
            kind="milestone",
            id=f"{action_id}/{m.key}",
            title=f"{action_title} · {m.name(language)}",
            day=m.due,
            description=action_title,
            url=url,
        )
        for m in milestones
    ]


def build_calendar(
    entries: Iterable[CalendarEntry],
    *,
    workspace_key: str,
    name: str,
    stamp: dt.datetime | None = None,
    description: str = "",
) -> bytes:
    """The iCalendar file of ``entries`` (bytes, CRLF line ends, UTF-8).

    Two entries with the same kind and id are refused (``ValueError``): their UIDs would clash.
    """
    stamp = stamp or dt.datetime.now(dt.UTC)
    if stamp.tzinfo is None:
        raise ValueError("stamp must be timezone-aware (DTSTAMP is in UTC)")
    stamp = stamp.astimezone(dt.UTC).replace(microsecond=0)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    if description:
        calendar.add("x-wr-caldesc", description)
    calendar.add("x-published-ttl", "PT1H")  # how often subscribers should refresh
    seen: set[str] = set()
    for entry in sorted(entries, key=lambda e: (e.day, e.kind, str(e.id))):
        uid = event_uid(workspace_key, entry.kind, entry.id)
        if uid in seen:
            raise ValueError(f"two calendar entries are {entry.kind} {entry.id}")
        seen.add(uid)
        event = icalendar.Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)
        event.add("dtend", (entry.last_day or entry.day) + dt.timedelta(days=1))
        event.add("summary", entry.title)
        if entry.description:
            event.add("description", entry.description)
        if entry.url:
            event.add("url", entry.url)
        if entry.categories:
            event.add("categories", list(entry.categories))
        event.add("transp", "TRANSPARENT")  # a deadline does not make anybody busy
        calendar.add_component(event)
    return calendar.to_ical()
