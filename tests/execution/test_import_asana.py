"""Asana's project CSV export, read value by value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pilotage.execution.qqoqccp import Status
from pilotage.execution.task_imports import read_tasks

D = dt.date


def test_it_reads_every_task_of_an_asana_export(export):
    result = read_tasks(export("asana_marketing_plan.csv"), "asana_marketing_plan.csv")
    assert result.tool == "asana"
    assert (result.header_line, result.encoding, result.delimiter) == (1, "utf-8", ",")
    assert result.skipped == []
    rows = [
        (d.line, d.external_id, d.title, d.status, d.section, d.start, d.end, d.budget)
        for d in result.drafts
    ]
    assert rows == [
        (2, "asana:1209876543210001", "Book the stand at Vivatech", Status.DONE, "Trade shows",
         D(2025, 1, 6), D(2025, 1, 17), Decimal("12500.00")),
        (3, "asana:1209876543210002", "Brief the stand agency", Status.PLANNED, "Trade shows",
         D(2025, 2, 3), D(2025, 2, 14), None),
        (5, "asana:1209876543210003", "Design the stand and printed material",
         Status.IN_PROGRESS, "In progress", D(2025, 2, 17), D(2025, 3, 14), Decimal("8400.50")),
        (6, "asana:1209876543210004", "Print the brochures", Status.PLANNED, "To do",
         None, D(2025, 4, 11), Decimal("3200")),
        (7, "asana:1209876543210005", "LinkedIn sponsored posts before the show", Status.IDEA,
         "Ideas", D(2025, 5, 5), D(2025, 5, 30), None),
        (8, "asana:1209876543210006", "April newsletter", Status.PLANNED, "Email",
         D(2025, 4, 1), D(2025, 4, 8), None),
    ]  # fmt: skip
    first, brief, design, prints, linkedin, _ = result.drafts
    assert (first.owner_name, first.owner_email) == ("Claire Dubois", "claire.dubois@example.com")
    assert first.tags == ("events", "salon")
    assert first.description == "Stand of 40 m² in hall 1"
    assert first.source_id == "1209876543210001" and first.source_status is None
    assert brief.description == "Brief: message, visuals, demo corner.\nSend the brand book."
    assert brief.depends_on == ("asana:1209876543210001",)
    assert design.depends_on == ("asana:1209876543210002",)
    assert (design.owner_name, design.owner_email) == (
        "Studio Graphik",
        "hello@studio-graphik.example",
    )
    assert prints.parent == "Design the stand and printed material"
    assert (prints.owner_name, prints.owner_email, prints.members) == (None, None, ())
    assert prints.description == "5,000 copies, A5"
    assert linkedin.depends_on == ()


def test_it_warns_of_a_dependency_outside_the_file(export):
    result = read_tasks(export("asana_marketing_plan.csv"), "plan.csv")
    [warning] = result.warnings
    assert (warning.code, warning.line, warning.column, warning.value) == (
        "unresolved_dependency",
        7,
        "Blocked By (Dependencies)",
        "9999999999999999",
    )
    assert warning.render() == (
        "plan.csv, line 7, column 'Blocked By (Dependencies)': depends on '9999999999999999', "
        "which is not a task of this file; the dependency is left out"
    )


def test_it_gives_qqoqccp_answers_of_a_draft(export):
    draft = read_tasks(export("asana_marketing_plan.csv"), "plan.csv").drafts[0]
    answers = draft.answers()
    assert (answers.owner, answers.start, answers.end, answers.budget) == (
        "Claire Dubois",
        D(2025, 1, 6),
        D(2025, 1, 17),
        Decimal("12500.00"),
    )
