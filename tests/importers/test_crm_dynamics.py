"""Dynamics 365 "Export to Excel": leads and opportunities views, EN and FR labels."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from pilotage.importers import Context, Rejected, prepare
from tests.importers.conftest import fixture_bytes


def at(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


def rows(name: str, table: str, importer: str, **context) -> list[dict]:
    prepared = prepare(fixture_bytes(name), name, context=Context(**context))
    assert prepared.importer == importer
    return [
        {k: v for k, v in r.items() if k not in ("source", "import_id")}
        for r in prepared.tables[table].to_pylist()
    ]


def workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def lead(**values) -> dict:
    fields = (
        "channel",
        "campaign",
        "industry",
        "company_size",
        "region",
        "country",
        "mql_at",
        "sql_at",
        "opportunity_at",
        "customer_at",
        "disqualified_at",
    )
    return {"lead_id": values.pop("lead_id"), "created_at": values.pop("created_at")} | {
        **dict.fromkeys(fields),
        **values,
    }


def test_it_reads_a_leads_view_keyed_by_the_hidden_guid_in_local_time():
    got = rows("dynamics_leads.xlsx", "leads", "dynamics_leads", timezone="Europe/Paris")
    assert got == [
        lead(
            lead_id="7d5f0c1e-1a2b-4c3d-8e9f-000000000001",
            created_at=at(2026, 3, 1, 8, 30),  # 09:30 in Paris
            channel="Trade shows",
            industry="Manufacturing",
            region="Auvergne-Rhône-Alpes",
            country="France",
        ),
        lead(
            lead_id="7d5f0c1e-1a2b-4c3d-8e9f-000000000002",
            created_at=at(2026, 3, 5, 13, 0),
            channel="Other",  # "Web"
            industry="Consulting",
            region="Hessen",
            country="Germany",
        ),
        lead(
            lead_id="7d5f0c1e-1a2b-4c3d-8e9f-000000000003",
            created_at=at(2026, 3, 7, 10, 15),
            channel="Referral",  # "Employee Referral"
            country="United Kingdom",
        ),
    ]


def test_it_reads_an_opportunities_view():
    got = rows("dynamics_opportunities.xlsx", "deals", "dynamics_opportunities")
    assert got == [
        {
            "deal_id": "a1b2c3d4-0000-4000-8000-000000000001",
            "lead_id": None,
            "account_id": "Durand Industries",
            "created_at": at(2026, 3, 2, 10, 0),
            "closed_at": at(2026, 4, 15),
            "stage": "Won",  # no pipeline phase column: the status reason
            "status": "won",
            "amount": 24000.0,  # won: the actual revenue
            "currency": "EUR",  # "Euro"
            "channel": None,
            "pipeline": None,
        },
        {
            "deal_id": "a1b2c3d4-0000-4000-8000-000000000002",
            "lead_id": None,
            "account_id": "Klein AG",
            "created_at": at(2026, 3, 6, 9, 0),
            "closed_at": None,
            "stage": "In Progress",
            "status": "open",
            "amount": 12000.0,
            "currency": "EUR",
            "channel": None,
            "pipeline": None,
        },
        {
            "deal_id": "a1b2c3d4-0000-4000-8000-000000000003",
            "lead_id": None,
            "account_id": "Patel Ltd",
            "created_at": at(2026, 3, 8, 16, 30),
            "closed_at": at(2026, 4, 20),
            "stage": "Out-Sold",
            "status": "lost",
            "amount": 8000.0,  # not won: the estimated revenue
            "currency": "EUR",
            "channel": None,
            "pipeline": None,
        },
    ]


def test_it_reads_french_labels():
    got = rows("dynamics_opportunities_fr.xlsx", "deals", "dynamics_opportunities")
    assert [
        (d["deal_id"], d["status"], d["stage"], d["amount"], d["currency"], d["closed_at"])
        for d in got
    ] == [
        ("c0ffee00-0000-4000-8000-000000000001", "won", "Gagné", 15500.0, "EUR", at(2026, 2, 27)),
        ("c0ffee00-0000-4000-8000-000000000002", "open", "En cours", 9000.0, "EUR", None),
    ]
    assert [d["created_at"] for d in got] == [at(2026, 1, 12, 9, 0), at(2026, 2, 3, 8, 0)]


def test_it_refuses_a_view_without_created_on():
    data = workbook(
        [
            ["(Do Not Modify) Lead", "(Do Not Modify) Row Checksum", "Name", "Topic"],
            ["g-1", "x", "Ann", "Pumps"],
        ]
    )
    with pytest.raises(Rejected) as caught:
        prepare(data, "leads.xlsx")
    [problem] = caught.value.problems
    assert (problem.file, problem.code, problem.expected) == (
        "leads.xlsx",
        "missing_column",
        "Created On",
    )


def test_it_refuses_a_duplicated_guid_with_its_row_and_column():
    created = dt.datetime(2026, 3, 1, 9, 0)
    data = workbook(
        [
            ["(Do Not Modify) Lead", "(Do Not Modify) Row Checksum", "Name", "Created On"],
            ["g-1", "x", "Ann", created],
            ["g-1", "y", "Bob", created],
        ]
    )
    with pytest.raises(Rejected) as caught:
        prepare(data, "leads.xlsx")
    [problem] = caught.value.problems
    assert (problem.code, problem.line, problem.column, problem.value) == (
        "duplicate_key",
        3,
        "(Do Not Modify) Lead",
        "g-1",
    )


def test_it_refuses_an_unknown_opportunity_status():
    created = dt.datetime(2026, 3, 1, 9, 0)
    data = workbook(
        [
            ["(Do Not Modify) Opportunity", "Topic", "Status", "Created On", "Currency"],
            ["o-1", "Deal", "Maybe", created, "EUR"],
        ]
    )
    with pytest.raises(Rejected) as caught:
        prepare(data, "opps.xlsx")
    [problem] = caught.value.problems
    assert (problem.code, problem.line, problem.column, problem.value) == (
        "choice",
        2,
        "Status",
        "Maybe",
    )
