"""What every task import shares: detection, mappings, statuses, all-or-nothing rejection."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pilotage.execution.qqoqccp import Status
from pilotage.execution.task_imports import (
    FIELDS,
    TOOLS,
    VOCABULARY,
    parse_money,
    read_tasks,
    split_range,
)
from pilotage.importers.problems import Rejected
from pilotage.importers.values import ValueProblem

FIXTURE_OF = {
    "asana": "asana_marketing_plan.csv",
    "trello": "trello_product_launch.csv",
    "monday": "monday_marketing_board.csv",
    "notion": "notion_tasks.csv",
}


def rejected(data: bytes, name: str = "tasks.csv", **options) -> list[tuple]:
    with pytest.raises(Rejected) as caught:
        read_tasks(data, name, **options)
    return [(p.code, p.line, p.column, p.value) for p in caught.value.problems]


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_it_detects_each_tool_from_its_header(tool, export):
    assert set(TOOLS) == set(FIXTURE_OF)
    reader = TOOLS[tool]
    assert reader.label and "title" in reader.preset
    assert set(reader.preset) <= set(FIELDS)
    result = read_tasks(export(FIXTURE_OF[tool]), FIXTURE_OF[tool])
    assert result.tool == tool
    assert read_tasks(export(FIXTURE_OF[tool]), "x.csv", tool=tool).drafts == result.drafts


def test_it_rejects_every_bad_row_with_file_line_and_column(export):
    with pytest.raises(Rejected) as caught:
        read_tasks(export("asana_bad_rows.csv"), "asana_bad_rows.csv")
    found = [(p.line, p.column, p.code, p.value, p.expected) for p in caught.value.problems]
    assert found == [
        (3, "Name", "required", "", ""),
        (4, "Assignee Email", "email", "claire.dubois(at)example.com", ""),
        (5, "Due Date", "end_before_start", "2025-02-17", "2025-03-14"),
        (6, "Due Date", "date", "next friday", "2026-03-31"),
        (7, "Budget", "number", "douze cents", ""),
        (8, "Budget", "negative", "-50.00", ""),
        (9, "Task ID", "duplicate_key", "1", "2"),
    ]
    english = caught.value.render("en")
    assert english[0] == "asana_bad_rows.csv, line 3, column 'Name': a value is required here"
    assert english[2] == (
        "asana_bad_rows.csv, line 5, column 'Due Date': the end (2025-02-17) is before the "
        "start (2025-03-14)"
    )
    assert caught.value.render("fr")[1] == (
        "asana_bad_rows.csv, ligne 4, colonne 'Assignee Email': adresse e-mail attendue, par ex. "
        "nom@exemple.fr ; trouvé 'claire.dubois(at)example.com'"
    )
    assert caught.value.problems[3].as_dict("fr")["message"] == (
        "date attendue, par ex. 2026-03-31 ; trouvé 'next friday'"
    )


def test_it_refuses_dates_that_read_both_ways_unless_told():
    data = "Name,Status,Assignee,Date\nBrief,Done,Claire,01/02/2025 → 03/02/2025\n".encode()
    assert rejected(data) == [("ambiguous_dates", 2, "Date", "01/02/2025")]
    [draft] = read_tasks(data, "tasks.csv", date_order="dmy").drafts
    assert (draft.start, draft.end) == (dt.date(2025, 2, 1), dt.date(2025, 2, 3))
    [draft] = read_tasks(data, "tasks.csv", date_order="mdy").drafts
    assert (draft.start, draft.end) == (dt.date(2025, 1, 2), dt.date(2025, 3, 2))


def test_it_refuses_two_currencies_in_one_file():
    data = "Name,Assignee,Budget\nA,Claire,€100.00\nB,Claire,$200.00\n".encode()
    assert rejected(data, tool="notion") == [("mixed_currency", 3, "Budget", "EUR, USD")]


def test_it_takes_a_currency_from_the_header():
    data = b"Name,Assignee,Budget (CHF)\nA,Claire,1200.50\n"
    [draft] = read_tasks(data, "t.csv", tool="notion").drafts
    assert (draft.budget, draft.currency) == (Decimal("1200.50"), "CHF")


def test_it_lets_the_user_map_columns(export):
    data = (
        b"Task ID,Name,Assignee,Due Date,Co\xc3\xbbt estim\xc3\xa9,Phase\n"
        b"1,Stand,Claire,2025-03-01,1 200,50,Todo\n"
    )
    data = data.replace(b"1 200,50", b'"1 200,50"')
    result = read_tasks(data, "t.csv", mapping={"budget": "Coût estimé", "status": "Phase"})
    [draft] = result.drafts
    assert (draft.budget, draft.status) == (Decimal("1200.50"), Status.PLANNED)
    assert result.columns["budget"] == "Coût estimé"
    # None drops a preset column: the due date is not read
    result = read_tasks(data, "t.csv", mapping={"end": None})
    assert result.drafts[0].end is None and "due" not in result.columns


def test_it_names_a_mapped_column_the_file_lacks():
    data = b"Task ID,Name,Assignee\n1,Stand,Claire\n"
    assert rejected(data, mapping={"budget": "Cost estimate"}) == [("missing_column", 0, "", "")]
    with pytest.raises(Rejected) as caught:
        read_tasks(data, "t.csv", mapping={"budget": "Cost estimate"})
    assert caught.value.problems[0].expected == "Cost estimate"


def test_it_refuses_a_mapping_to_an_unknown_field():
    assert rejected(b"Task ID,Name\n1,A\n", mapping={"priority": "Priority"}) == [
        ("unknown_field", 0, "", "priority")
    ]


def test_it_maps_the_users_status_words(export):
    result = read_tasks(
        export("notion_tasks.csv"),
        "tasks.csv",
        statuses={"Waiting for legal": "in_progress", "done": "cancelled"},
    )
    assert [d.status for d in result.drafts][:1] == [Status.CANCELLED]
    assert result.drafts[4].status == Status.IN_PROGRESS
    assert [w.code for w in result.warnings] == ["unresolved_dependency"]
    assert rejected(export("notion_tasks.csv"), statuses={"Done": "finished"}) == [
        ("choice", 0, "", "finished")
    ]


def test_it_knows_status_words_in_english_and_french():
    assert VOCABULARY["working on it"] == Status.IN_PROGRESS
    assert VOCABULARY["a faire"] == Status.PLANNED
    assert VOCABULARY["termine"] == Status.DONE
    assert VOCABULARY["won t do"] == Status.CANCELLED
    assert VOCABULARY["backlog"] == Status.IDEA


def test_it_explains_an_unknown_status_in_both_languages(export):
    result = read_tasks(export("notion_tasks.csv"), "tasks.csv")
    warning = result.warnings[0]
    assert warning.render() == (
        "tasks.csv, line 6, column 'Status': 'Waiting for legal' is not a status Pilotage "
        "knows, so the action is imported as an idea; expected one of idea, planned, "
        "in_progress, done, cancelled, or map the value to a status"
    )
    assert warning.message("fr").startswith(
        "'Waiting for legal' n'est pas un statut connu de Pilotage : l'action est importée "
        "comme idée"
    )


def test_it_refuses_a_file_of_no_known_tool():
    assert rejected(b"Name,Status,Date\nA,Done,2025-01-01\n") == [("unknown_tool", 0, "", "")]


def test_it_refuses_to_guess_between_tools_that_fit_equally():
    data = b"Name,Person,Status,Created time\nA,Claire,Done,2025-01-01\n"
    assert rejected(data) == [("ambiguous_tool", 0, "", "Monday.com, Notion")]
    [draft] = read_tasks(data, "t.csv", tool="monday").drafts
    assert (draft.owner_name, draft.status) == ("Claire", Status.DONE)


def test_it_refuses_an_unknown_tool_a_file_without_names_or_rows():
    assert rejected(b"Task ID,Name\n1,A\n", tool="jira") == [("unknown_tool_name", 0, "", "jira")]
    assert rejected(b"", tool="asana") == [("empty_file", 0, "", "")]
    assert rejected(b"Task ID,Section/Column,Assignee\n1,To do,Claire\n", tool="asana") == [
        ("missing_column", 0, "", "")
    ]
    assert rejected(b"Task ID,Name,Assignee\n", tool="asana") == [("no_rows", 1, "", "")]
    assert rejected(b"Task ID,Name\n1,A\n", date_order="ymd") == [("choice", 0, "", "ymd")]
    assert rejected(b"Task ID,Name,Assignee\n1,A,Claire,extra\n2,B,Bob\n") == [
        ("too_many_cells", 2, "", "4")
    ]
    assert rejected(b"Task ID,Name\n1,A\n", timezone="Mars/Olympus") == [
        ("unknown_timezone", 0, "", "Mars/Olympus")
    ]


def test_it_reads_money_as_decimals_never_floats():
    assert parse_money("€1,200.50", None) == (Decimal("1200.50"), "EUR")
    assert parse_money("1 200,50 €", None) == (Decimal("1200.50"), "EUR")
    assert parse_money("1.200", "comma") == (Decimal("1200"), None)
    assert parse_money(0.1, None) == (Decimal("0.1"), None)
    assert parse_money("", None) == (None, None)
    with pytest.raises(ValueProblem):
        parse_money("1,200", None)  # thousands or decimals? the file must say
    with pytest.raises(ValueProblem):
        parse_money("12%", None)


def test_it_splits_date_ranges():
    assert split_range("March 1, 2025 → March 15, 2025") == ("March 1, 2025", "March 15, 2025")
    assert split_range("2025-03-01 - 2025-03-15") == ("2025-03-01", "2025-03-15")
    assert split_range("2025-03-01") is None
