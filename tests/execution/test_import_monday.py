"""Monday.com's board export: groups, repeated headers, subitems and summary rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl

from pilotage.execution.qqoqccp import Status
from pilotage.execution.task_imports import read_tasks

D = dt.date


def test_it_reads_every_item_of_a_monday_board(export):
    result = read_tasks(export("monday_marketing_board.csv"), "monday.csv")
    assert (result.tool, result.board, result.header_line) == ("monday", "Marketing plan 2025", 3)
    assert result.skipped == [
        (6, "subitems header"),
        (7, "subitem"),
        (8, "subitem"),
        (10, "group summary"),
        (17, "group summary"),
    ]
    rows = [
        (d.line, d.title, d.section, d.status, d.source_status, d.start, d.end, d.budget)
        for d in result.drafts
    ]
    assert rows == [
        (4, "Vivatech trade show", "Q2 Events", Status.IN_PROGRESS, "Working on it",
         D(2025, 3, 1), D(2025, 6, 11), Decimal("12500")),
        (5, "Partner webinar", "Q2 Events", Status.DONE, "Done",
         D(2025, 4, 1), D(2025, 4, 24), Decimal("900")),
        (9, "Customer seminar", "Q2 Events", Status.PLANNED, None,
         D(2025, 9, 15), D(2025, 9, 18), None),
        (14, "LinkedIn campaign", "Q2 Digital", Status.IN_PROGRESS, "Stuck",
         D(2025, 5, 5), D(2025, 5, 30), Decimal("4000.50")),
        (15, "SEO audit", "Q2 Digital", Status.IDEA, "Waiting for legal",
         None, D(2025, 6, 30), None),
        # a name starting with "#" is an item, not a comment line
        (16, "#SummerLaunch contest", "Q2 Digital", Status.PLANNED, None,
         D(2025, 7, 1), D(2025, 7, 31), Decimal("750")),
    ]  # fmt: skip
    show, webinar, seminar, linkedin, _, contest = result.drafts
    assert show.tags == ("Events", "Trade show") and show.description == "Stand of 40 m²"
    assert webinar.members == ("Julien Martin", "Sofia Rossi")
    assert seminar.depends_on == (show.external_id,)
    assert contest.depends_on == (linkedin.external_id,)
    assert all(d.external_id.startswith("monday:h:") for d in result.drafts)
    [warning] = result.warnings
    assert (warning.code, warning.line, warning.column, warning.value) == (
        "unknown_status",
        15,
        "Status",
        "Waiting for legal",
    )


def test_it_reads_a_french_board_saved_by_excel_with_semicolons(export):
    result = read_tasks(export("monday_board_fr.csv"), "tableau.csv")
    assert (result.tool, result.encoding, result.delimiter) == ("monday", "cp1252", ";")
    assert result.board == "Plan marketing 2025"
    rows = [(d.line, d.title, d.section, d.status, d.start, d.end, d.budget) for d in result.drafts]
    assert rows == [
        (4, "Salon Vivatech", "Salons", Status.IN_PROGRESS,
         D(2025, 3, 1), D(2025, 6, 11), Decimal("12500.00")),
        (5, "Séminaire clients", "Salons", Status.DONE,
         D(2025, 1, 13), D(2025, 1, 15), Decimal("3200.50")),
        (9, "Campagne LinkedIn", "Digital", Status.IN_PROGRESS,
         D(2025, 5, 5), D(2025, 5, 30), Decimal("4000.00")),
    ]  # fmt: skip
    assert result.warnings == []


def test_it_reads_the_excel_workbook_itself(export):
    text = export("monday_marketing_board.csv").decode()
    book = openpyxl.Workbook()
    sheet = book.active
    for row in csv.reader(io.StringIO(text)):
        cells: list[object] = []
        for i, cell in enumerate(row):
            if i == 4 and len(cell) == 10:  # the Date column holds real dates in a workbook
                cells.append(dt.datetime.fromisoformat(cell))
            elif i == 5 and cell[:1].isdigit():
                cells.append(float(cell))
            else:
                cells.append(cell or None)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    from_csv = read_tasks(export("monday_marketing_board.csv"), "monday.csv")
    from_xlsx = read_tasks(buffer.getvalue(), "monday.xlsx")
    assert from_xlsx.tool == "monday"

    def key(draft):
        return (draft.line, draft.title, draft.section, draft.status, draft.start, draft.end)

    assert [key(d) for d in from_xlsx.drafts] == [key(d) for d in from_csv.drafts]
    assert [d.budget for d in from_xlsx.drafts] == [
        Decimal("12500.0"),
        Decimal("900.0"),
        None,
        Decimal("4000.5"),
        None,
        Decimal("750.0"),
    ]
