"""Notion's database CSV export: ranges with →, formatted numbers, relations, day-first dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pilotage.execution.qqoqccp import Status
from pilotage.execution.task_imports import read_tasks

D = dt.date


def test_it_reads_every_page_of_a_notion_export(export):
    result = read_tasks(export("notion_tasks.csv"), "Tasks 1a2b.csv")
    assert (result.tool, result.encoding) == ("notion", "utf-8-sig")
    assert result.columns["title"] == "Name"  # the byte-order mark is not part of the name
    rows = [
        (d.line, d.title, d.status, d.source_status, d.start, d.end, d.budget, d.currency)
        for d in result.drafts
    ]
    assert rows == [
        (2, "Brief the agency", Status.DONE, "Done",
         D(2025, 1, 6), D(2025, 1, 17), Decimal("1200.00"), "EUR"),
        (3, "Design the stand", Status.IN_PROGRESS, "In progress",
         D(2025, 2, 3), D(2025, 3, 14), Decimal("8400.50"), "EUR"),
        (4, "Follow up the leads", Status.PLANNED, "Not started",
         None, D(2025, 6, 18), None, None),
        (5, "Customer podcast", Status.PLANNED, None, None, None, None, None),
        (6, "Partner webinar", Status.IDEA, "Waiting for legal",
         D(2025, 3, 3), D(2025, 3, 3), Decimal("450"), "EUR"),
    ]  # fmt: skip
    brief, design, follow, podcast, _ = result.drafts
    assert brief.section == "Vivatech 2025"  # the relation's address is dropped
    assert brief.tags == ("Events", "Agency")
    assert design.members == ("Studio Graphik", "Claire Dubois")
    assert design.depends_on == (brief.external_id,)
    assert follow.depends_on == (design.external_id,)
    assert (follow.owner_name, follow.owner_email) == (None, "julien.martin@example.com")
    assert podcast.section is None and podcast.tags == ("Content",)
    assert all(d.external_id.startswith("notion:h:") and d.source_id is None for d in result.drafts)
    assert [(w.code, w.line, w.value) for w in result.warnings] == [
        ("unknown_status", 6, "Waiting for legal"),
        ("unresolved_dependency", 4, "Press day"),
    ]


def test_it_reads_day_first_dates_and_french_numbers(export):
    result = read_tasks(export("notion_dmy.csv"), "Tâches.csv")
    assert (result.tool, result.delimiter) == ("notion", ";")
    rows = [(d.title, d.status, d.start, d.end, d.budget, d.tags) for d in result.drafts]
    assert rows == [
        ("Réserver le lieu", Status.DONE, D(2025, 1, 6), D(2025, 1, 17), Decimal("1200.00"),
         ("Événement",)),
        ("Invitations", Status.IN_PROGRESS, D(2025, 2, 3), D(2025, 3, 14), Decimal("450.50"),
         ("Emailing", "Événement")),
        ("Relance", Status.PLANNED, None, D(2025, 4, 2), None, ("Emailing",)),
    ]  # fmt: skip


def test_it_gives_the_same_keys_whatever_the_row_order(export):
    data = export("notion_tasks.csv")
    header, *rows = data.decode("utf-8-sig").splitlines()
    shuffled = "\n".join([header, *reversed(rows)]).encode()
    first = {d.title: d.external_id for d in read_tasks(data, "a.csv").drafts}
    second = {d.title: d.external_id for d in read_tasks(shuffled, "b.csv").drafts}
    assert first == second
