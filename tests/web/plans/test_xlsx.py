"""The XLSX budget template: round trip, idempotent and all-or-nothing import, clear errors."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from pilotage.web.plans import services, xlsx
from pilotage.web.plans.models import Pole
from pilotage.web.plans.services import Line, create_budget, set_line
from pilotage.web.plans.xlsx import BudgetFileError, import_budget, read_budget_file
from pilotage.web.workspaces.models import AuditEvent

pytestmark = pytest.mark.django_db

D = Decimal
HEADER = ["Month", "Channel", "Pole", "Planned", "Committed", "Actual"]


def workbook(*rows, header=HEADER, sheet="Budget") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if header:
        ws.append(header)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD = [
    (1, "Trade shows", "", 150000, 0, 0),
    (2, "Paid search", "Acquisition & Performance", 12000.5, 3000, 8000),
    (2, "SEO/content", "Brand & Content", "2 500,00", None, "1 234,56 €"),
]


def _lines(budget) -> list[Line]:
    return sorted(services.lines_of(budget), key=lambda line: line.key)


def _problems(name: str, data: bytes) -> list[str]:
    with pytest.raises(BudgetFileError) as caught:
        read_budget_file(name, data)
    return [str(p) for p in caught.value.problems]


@pytest.fixture
def filled(budget):
    set_line(budget, 1, "Trade shows", planned="150000", committed="148000.5")
    set_line(
        budget, 1, "Paid search", Pole.ACQUISITION_PERFORMANCE, planned="9000", actual="9312.07"
    )
    set_line(budget, 12, "Print catalogue", Pole.BRAND_CONTENT, planned="40000.10")
    set_line(budget, 12, "Print catalogue", planned="0.01", actual="0.99")
    return budget


# export → import


@pytest.mark.parametrize("language", ["en", "fr"])
def test_it_imports_its_own_export_into_identical_lines(filled, language):
    with translation.override(language):
        data = xlsx.export_budget(filled)
    copy = create_budget(filled.workspace, 2025, "Copy")
    change = import_budget(copy, "export.xlsx", data)
    assert change.created == 4
    assert _lines(copy) == _lines(filled)


def test_it_exports_one_sheet_with_a_header_and_a_totals_row(filled):
    with translation.override("fr"):
        data = xlsx.export_budget(filled)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Budget"]
    rows = list(wb["Budget"].iter_rows(values_only=True))
    assert rows[0] == ("Mois", "Canal", "Pôle", "Prévu", "Engagé", "Réel")
    assert rows[1] == (1, "Paid search", "Acquisition & Performance", 9000, 0, 9312.07)
    assert rows[-1] == ("Total", None, None, "=SUM(D2:D5)", "=SUM(E2:E5)", "=SUM(F2:F5)")
    assert len(rows) == 6


def test_it_changes_nothing_when_its_own_export_is_imported_back(filled):
    data = xlsx.export_budget(filled)
    before, events = _lines(filled), AuditEvent.objects.count()
    change = import_budget(filled, "export.xlsx", data)
    assert not change.changed and change.unchanged == 4
    assert _lines(filled) == before
    assert AuditEvent.objects.count() == events


# import


def test_it_imports_the_same_file_twice_without_changing_anything_the_second_time(budget):
    data = workbook(*GOOD)
    first = import_budget(budget, "budget.xlsx", data)
    assert (first.created, first.updated, first.deleted) == (3, 0, 0)
    lines, events = _lines(budget), AuditEvent.objects.count()
    second = import_budget(budget, "budget.xlsx", data)
    assert not second.changed
    assert _lines(budget) == lines
    assert AuditEvent.objects.count() == events
    assert lines == [
        Line(1, "Trade shows", "", D("150000.00"), D("0.00"), D("0.00")),
        Line(2, "Paid search", "acquisition_performance", D("12000.50"), D("3000.00"), D("8000")),
        Line(2, "SEO/content", "brand_content", D("2500.00"), D("0.00"), D("1234.56")),
    ]


def test_it_replaces_the_versions_lines_with_the_files(filled):
    import_budget(filled, "budget.xlsx", workbook(*GOOD[:2]))
    assert [line.key for line in _lines(filled)] == [
        (1, "Trade shows", ""),
        (2, "Paid search", "acquisition_performance"),
    ]


def test_it_imports_nothing_from_a_file_with_one_bad_row_among_good_ones(filled):
    before, events = _lines(filled), AuditEvent.objects.count()
    rows = [
        *GOOD,
        (3, "Email", "", 100, 0, 0),
        (4, "Email", "", "abc", 0, 0),
        (5, "Email", "", 1, 0, 0),
    ]
    with pytest.raises(BudgetFileError) as caught:
        import_budget(filled, "budget.xlsx", workbook(*rows))
    assert [str(p) for p in caught.value.problems] == [
        "budget.xlsx, sheet Budget, row 6, column D: expected an amount ≥ 0, got 'abc'"
    ]
    assert _lines(filled) == before
    assert AuditEvent.objects.count() == events


def test_it_lists_every_problem_with_file_sheet_row_and_column(budget):
    rows = [
        (13, "Email", "", 1, 0, 0),
        (1, "", "", 1, 0, 0),
        (1, "Email", "Sales", 1, 0, 0),
        (1, "Email", "", 1, -5, "12,345"),
        (2, "Email", "", 1, 0, 0),
        (2, "Email", "", 2, 0, 0),
    ]
    assert _problems("plan.xlsx", workbook(*rows)) == [
        "plan.xlsx, sheet Budget, row 2, column A: expected a month, 1 to 12 or its name "
        "(January, janvier…), got '13'",
        "plan.xlsx, sheet Budget, row 3, column B: expected a channel name of 1 to 100 "
        "characters, got ''",
        "plan.xlsx, sheet Budget, row 4, column C: expected a pole (Brand & Content, "
        "Acquisition & Performance, Product & Data) or an empty cell, got 'Sales'",
        "plan.xlsx, sheet Budget, row 5, column E: expected an amount ≥ 0, got '-5'",
        "plan.xlsx, sheet Budget, row 5, column F: expected an amount ≥ 0, got '12,345'",
        "plan.xlsx, sheet Budget, row 7, column B: expected one row per month, channel and "
        "pole; row 6 is the same",
    ]


def test_it_names_the_problems_in_french_when_the_interface_is_french(budget):
    rows = [(1, "Email", "", 1, 0, 0), ("treizième", "Email", "", "abc", 0, 0)]
    with translation.override("fr"):
        problems = _problems("budget.xlsx", workbook(*rows))
    assert problems == [
        "budget.xlsx, feuille Budget, ligne 3, colonne A : attendu un mois, de 1 à 12 ou son nom "
        "(January, janvier…), reçu « treizième »",
        "budget.xlsx, feuille Budget, ligne 3, colonne D : attendu un montant ≥ 0, reçu « abc »",
    ]


def test_it_reports_the_real_column_letter_when_columns_are_reordered(budget):
    header = ["Channel", "Notes", "Planned", "Month"]
    data = workbook(("Email", "x", "abc", 1), header=header)
    assert _problems("b.xlsx", data) == [
        "b.xlsx, sheet Budget, row 2, column C: expected an amount ≥ 0, got 'abc'"
    ]


@pytest.mark.parametrize(
    ("cell", "month"),
    [
        ("janvier", 1),
        ("February", 2),
        ("mars", 3),
        ("Avril", 4),
        ("MAI", 5),
        ("juin", 6),
        ("Jul", 7),
        ("août", 8),
        ("aout", 8),
        ("Sept", 9),
        ("oct.", 10),
        ("November", 11),
        ("déc.", 12),
        ("décembre", 12),
        (3, 3),
        (4.0, 4),
        ("10", 10),
        (dt.datetime(2025, 6, 1), 6),
    ],
)
def test_it_reads_months_as_numbers_or_names_in_french_or_english(cell, month):
    [line] = read_budget_file("b.xlsx", workbook((cell, "Email", "", 1, 0, 0)))
    assert line.month == month


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1 234,50", "1234.50"),
        ("1 234,50 €", "1234.50"),
        ("1\u202f234,5\xa0€", "1234.50"),
        ("€1,234.50", "1234.50"),
        ("1234", "1234.00"),
        ("0,07", "0.07"),
        ("EUR 99", "99.00"),
        (1234.5, "1234.50"),
        (0.1 + 0.2, "0.30"),
        (7, "7.00"),
        (None, "0.00"),
        ("", "0.00"),
    ],
)
def test_it_reads_amounts_as_numbers_or_french_formatted_text(cell, expected):
    [line] = read_budget_file("b.xlsx", workbook((1, "Email", "", cell, 0, 0)))
    assert line.planned == D(expected)


@pytest.mark.parametrize("cell", ["abc", "-1", "1,234", "12.345", "1 2 3,4,5", True, "1e5"])
def test_it_refuses_what_is_not_an_amount(cell):
    problems = _problems("b.xlsx", workbook((1, "Email", "", cell, 0, 0)))
    assert problems == [
        f"b.xlsx, sheet Budget, row 2, column D: expected an amount ≥ 0, got '{cell}'"
    ]


@pytest.mark.parametrize("label", ["Total", "TOTAL", " total "])
def test_it_ignores_the_totals_row(label):
    rows = [
        (1, "Email", "", 100, 0, 0),
        (label, None, None, 100, 0, "oops"),
        (2, "Email", "", 5, 0, 0),
    ]
    lines = read_budget_file("b.xlsx", workbook(*rows))
    assert [line.month for line in lines] == [1, 2]


def test_it_skips_empty_rows_and_accepts_french_headings_and_missing_optional_columns():
    data = workbook((), ("mars", "Webinaires", "1 000"), header=["Mois", "Canal", "Prévu"])
    assert read_budget_file("b.xlsx", data) == [Line(3, "Webinaires", planned=D("1000.00"))]


def test_it_refuses_a_file_that_is_not_an_xlsx_workbook():
    assert _problems("budget.csv", b"month,channel,planned\n1,Email,10\n") == [
        "budget.csv: expected an Excel workbook (.xlsx), got a “.csv” file"
    ]
    assert _problems("budget.xlsx", b"month,channel,planned\n1,Email,10\n") == [
        "budget.xlsx: expected an Excel workbook (.xlsx); this file cannot be read as one"
    ]
    with translation.override("fr"):
        assert _problems("budget.xls", b"\xd0\xcf\x11\xe0") == [
            "budget.xls : attendu un classeur Excel (.xlsx), reçu un fichier « .xls »"
        ]


def test_it_refuses_a_workbook_without_a_budget_sheet_or_headings():
    assert _problems("b.xlsx", workbook((1, "Email", "", 1, 0, 0), sheet="Feuil1")) == [
        "b.xlsx: expected a sheet named Budget (found: Feuil1)"
    ]
    assert _problems("b.xlsx", workbook(header=["Mois", "Canal"])) == [
        "b.xlsx, sheet Budget, row 1: expected the column headings Month, Channel, Pole, "
        "Planned, Committed, Actual (missing: Planned)"
    ]
    assert _problems("b.xlsx", workbook(header=None)) == [
        "b.xlsx, sheet Budget: the sheet is empty: expected a header row and budget lines"
    ]
    assert _problems("b.xlsx", workbook()) == [
        "b.xlsx, sheet Budget: expected at least one budget line under the header row"
    ]


# the upload page


def test_it_shows_every_problem_of_an_uploaded_file_and_imports_nothing(client, personas):
    budget = create_budget(personas.workspace, 2025, "Plan 2025")
    client.force_login(personas.manager)
    url = reverse("budget_upload", args=[personas.workspace.slug, budget.pk])
    bad = io.BytesIO(workbook((1, "Email", "", "abc", 0, 0)))
    bad.name = "budget.xlsx"
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert response.context["problems"] == [
        "budget.xlsx, sheet Budget, row 2, column D: expected an amount ≥ 0, got 'abc'"
    ]
    assert "row 2, column D" in response.content.decode()
    assert not budget.lines.exists()
    good = io.BytesIO(workbook(*GOOD))
    good.name = "budget.xlsx"
    response = client.post(url, {"file": good}, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"?version={budget.pk}")
    assert "3 lines added" in response.content.decode()
    assert budget.lines.count() == 3


def test_it_refuses_a_file_with_too_many_rows(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)
    rows = [(m, "Email", "", 1, 0, 0) for m in range(1, 6)]
    assert _problems("b.xlsx", workbook(*rows)) == ["b.xlsx, sheet Budget: expected at most 3 rows"]
    assert len(read_budget_file("b.xlsx", workbook(*rows[:3], ("Total",)))) == 3


def test_it_lists_the_first_problems_and_counts_the_others(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_PROBLEMS", 2)
    rows = [(m, "Email", "", "x", 0, 0) for m in range(1, 6)]
    problems = _problems("b.xlsx", workbook(*rows))
    assert len(problems) == 3
    assert problems[0].startswith("b.xlsx, sheet Budget, row 2, column D:")
    assert problems[-1] == "b.xlsx, sheet Budget: and 3 more problems"
