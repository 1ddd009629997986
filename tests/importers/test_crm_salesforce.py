"""Salesforce report exports: leads, opportunities, campaign influence; locales and footers."""

from __future__ import annotations

import datetime as dt

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


def test_it_reads_a_us_leads_report_in_windows_1252_and_drops_the_footer():
    name = "salesforce_leads_en_us.csv"
    prepared = prepare(fixture_bytes(name), name)
    assert prepared.encoding == "cp1252"
    assert [line for line, _ in prepared.skipped] == [7, 9, 10]  # totals, confidential, ©
    assert rows(name, "leads", "salesforce_leads") == [
        lead(
            lead_id="00Q5g000001AbcD",
            created_at=at(2026, 3, 15),
            channel="Trade shows",
            campaign="Salon Industrie 2026",
            industry="Manufacturing",
            region="Île-de-France",
            country="France",
            opportunity_at=at(2026, 4, 2),  # 4/2 read month-first like the export's 3/15
        ),
        lead(
            lead_id="00Q5g000001AbcE",
            created_at=at(2026, 3, 20),
            channel="Other",  # "Web" matches no rule of the default taxonomy
            industry="Retail",
            region="MO",
            country="United States",
        ),
        lead(
            lead_id="00Q5g000001AbcF",
            created_at=at(2026, 4, 1),
            channel="Distributors/partners",  # "Partner Referral": the partner* rule comes first
            industry="Engineering",
            region="Bavaria",
            country="Germany",
        ),
        lead(
            lead_id="00Q5g000001AbcG",
            created_at=at(2026, 4, 3),
            channel="Other",
            industry="Technology",
            country="Portugal",
            # converted without an opportunity (Converted Opportunity is empty)
        ),
    ]


def test_it_reads_the_accented_company_name_of_a_windows_1252_file():
    name = "salesforce_leads_en_us.csv"
    prepared = prepare(fixture_bytes(name), name)
    assert prepared.tables["leads"].column("region").to_pylist()[0] == "Île-de-France"


def test_it_reads_a_french_opportunities_report_with_a_currency_column():
    got = rows("salesforce_opportunities_fr.csv", "deals", "salesforce_opportunities")
    assert got == [
        {
            "deal_id": "0065g00000XyZ01",
            "lead_id": None,
            "account_id": "Acme SA",
            "created_at": at(2026, 1, 10),
            "closed_at": at(2026, 2, 28),
            "stage": "Fermée gagnée",
            "status": "won",
            "amount": 12500.0,
            "currency": "EUR",
            "channel": "Trade shows",  # lead source "Salon"
            "pipeline": None,
        },
        {
            "deal_id": "0065g00000XyZ02",
            "lead_id": None,
            "account_id": "Globex SARL",
            "created_at": at(2026, 2, 5),
            "closed_at": at(2026, 3, 15),
            "stage": "Fermée perdue",
            "status": "lost",
            "amount": 3200.5,
            "currency": "EUR",
            "channel": "Other",
            "pipeline": None,
        },
        {
            "deal_id": "0065g00000XyZ03",
            "lead_id": None,
            "account_id": "Initech",
            "created_at": at(2026, 3, 1),
            "closed_at": None,
            "stage": "Proposition/Devis",
            "status": "open",
            "amount": None,
            "currency": "EUR",
            "channel": None,
            "pipeline": None,
        },
    ]


def test_it_reads_prefixed_labels_currency_prefixes_and_status_from_the_stage():
    data = (
        b'"Opportunity: Opportunity ID","Opportunity: Opportunity Name",'
        b'"Account Name: Account Name","Stage","Amount","Created Date","Close Date"\n'
        b'"006A","Big deal","Acme","Closed Won","USD 10,000.00","1/5/2026","2/27/2026"\n'
        b'"006B","Small deal","Acme","Closed Lost","USD 950.00","1/6/2026","3/2/2026"\n'
        b'"006C","Open deal","Acme","Prospecting","","1/7/2026","6/30/2026"\n'
        b'""\n"Grand Totals (3 records)"\n'
    )
    prepared = prepare(data, "report1642777476321.csv")
    assert prepared.importer == "salesforce_opportunities"
    deals = prepared.tables["deals"].to_pylist()
    assert [
        (d["deal_id"], d["status"], d["amount"], d["currency"], d["closed_at"]) for d in deals
    ] == [
        ("006A", "won", 10000.0, "USD", at(2026, 2, 27)),
        ("006B", "lost", 950.0, "USD", at(2026, 3, 2)),
        ("006C", "open", None, "USD", None),
    ]
    assert [d["created_at"] for d in deals] == [at(2026, 1, 5), at(2026, 1, 6), at(2026, 1, 7)]


def test_it_reads_day_first_dotted_dates():
    data = (
        b'"Opportunity ID","Opportunity Name","Stage","Amount","Created Date","Close Date"\n'
        b'"006A","Deal","Closed Won","1.200,00","03.02.2026","25.02.2026"\n'
    )
    prepared = prepare(data, "report.csv", context=Context(currency="EUR"))
    [deal] = prepared.tables["deals"].to_pylist()
    assert (deal["created_at"], deal["closed_at"], deal["amount"]) == (
        at(2026, 2, 3),
        at(2026, 2, 25),
        1200.0,
    )


def test_it_keeps_one_influence_model_and_dates_touches_by_campaign_start():
    name = "salesforce_campaign_influence.csv"
    prepared = prepare(fixture_bytes(name), name)
    assert prepared.details["model"] == "Primary Campaign Source"
    assert [line for line, _ in prepared.skipped] == [2, 7, 9, 10]  # First Touch row, footer
    assert rows(name, "touchpoints", "salesforce_campaign_influence") == [
        {
            "journey_id": "0065g00000XyZ01",
            "occurred_at": at(2026, 3, 2),
            "channel": "Webinars",
            "campaign": "Spring Webinar",
            "interaction": "campaign_influence",
            "converted": True,
            "conversion_value": 6000.0,
        },
        {
            "journey_id": "0065g00000XyZ01",
            "occurred_at": at(2026, 3, 28),  # no start date: the close date
            "channel": "Trade shows",
            "campaign": "Trade Expo 2026",
            "interaction": "campaign_influence",
            "converted": True,
            "conversion_value": 4000.0,
        },
        {
            "journey_id": "0065g00000XyZ02",
            "occurred_at": at(2026, 1, 15),
            "channel": "Other",
            "campaign": "Google Search Q1",
            "interaction": "campaign_influence",
            "converted": False,
            "conversion_value": None,  # not won: no conversion value
        },
    ]


def test_it_keeps_the_first_model_when_primary_campaign_source_is_absent():
    data = (
        b'"Campaign Name","Opportunity Name","Stage","Close Date","Model Name","Revenue Share"\n'
        b'"C1","Opp 1","Closed Won","2026-03-01","Even Distribution","500.00"\n'
        b'"C1","Opp 1","Closed Won","2026-03-01","Last Touch","1000.00"\n'
    )
    prepared = prepare(data, "influence.csv")
    assert prepared.importer == "salesforce_campaign_influence"
    assert prepared.details["model"] == "Even Distribution"
    [touch] = prepared.tables["touchpoints"].to_pylist()
    assert (touch["journey_id"], touch["conversion_value"]) == ("Opp 1", 500.0)


def test_it_refuses_leads_without_lead_id_because_upserts_need_a_key():
    data = (
        b'"Lead Owner","Company / Account","Lead Source","Lead Status","Create Date"\n'
        b'"Jane","Acme","Web","Open - Not Contacted","3/15/2026"\n'
    )
    with pytest.raises(Rejected) as caught:
        prepare(data, "report.csv")
    [problem] = caught.value.problems
    assert (problem.file, problem.code) == ("report.csv", "missing_column")
    assert problem.expected.startswith("Lead ID (")
    assert "Lead ID" in problem.render("fr")


def test_it_refuses_opportunities_without_opportunity_id():
    data = (
        b'"Opportunity Name","Account Name","Stage","Amount","Created Date","Close Date"\n'
        b'"Deal","Acme","Prospecting","10.00","2026-01-01","2026-02-01"\n'
    )
    with pytest.raises(Rejected) as caught:
        prepare(data, "report.csv", context=Context(currency="EUR"))
    [problem] = caught.value.problems
    assert (problem.code, problem.expected.split(" (")[0]) == ("missing_column", "Opportunity ID")


def test_it_refuses_an_export_whose_dates_all_read_both_ways():
    data = (
        b'"Lead ID","Lead Source","Lead Status","Create Date","Converted Date"\n'
        b'"00Q1","Web","Open","3/4/2026",""\n'
        b'"00Q2","Web","Open","5/6/2026","6/7/2026"\n'
    )
    with pytest.raises(Rejected) as caught:
        prepare(data, "leads.csv")
    problems = [(p.file, p.code, p.column) for p in caught.value.problems]
    assert problems == [
        ("leads.csv", "ambiguous_dates", "Create Date"),
        ("leads.csv", "ambiguous_dates", "Converted Date"),
    ]


def test_it_accepts_the_users_date_order_for_an_ambiguous_export():
    data = b'"Lead ID","Lead Source","Lead Status","Create Date"\n"00Q1","Web","Open","3/4/2026"\n'
    prepared = prepare(data, "leads.csv", context=Context(date_order="dmy"))
    assert prepared.tables["leads"].column("created_at").to_pylist() == [at(2026, 4, 3)]


def test_it_refuses_a_duplicated_opportunity_with_its_line():
    data = (
        b'"Opportunity ID","Opportunity Name","Stage","Created Date","Close Date"\n'
        b'"006A","Deal","Prospecting","2026-01-01","2026-02-01"\n'
        b'"006B","Deal 2","Prospecting","2026-01-01","2026-02-01"\n'
        b'"006A","Deal","Prospecting","2026-01-01","2026-02-01"\n'
    )
    with pytest.raises(Rejected) as caught:
        prepare(data, "opps.csv", context=Context(currency="EUR"))
    [problem] = caught.value.problems
    assert (problem.file, problem.code, problem.line, problem.column, problem.value) == (
        "opps.csv",
        "duplicate_key",
        4,
        "Opportunity ID",
        "006A",
    )


def test_it_refuses_mixed_currencies_in_one_report():
    data = (
        b'"Opportunity ID","Opportunity Name","Stage","Amount Currency","Amount","Created Date",'
        b'"Close Date"\n'
        b'"006A","A","Prospecting","EUR","10.00","2026-01-01","2026-02-01"\n'
        b'"006B","B","Prospecting","USD","20.00","2026-01-01","2026-02-01"\n'
    )
    with pytest.raises(Rejected) as caught:
        prepare(data, "opps.csv")
    assert [(p.code, p.value) for p in caught.value.problems] == [("mixed_currency", "EUR, USD")]
