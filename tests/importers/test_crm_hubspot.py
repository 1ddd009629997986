"""HubSpot contacts and deals exports: labels in EN and FR, internal values, lifecycle dates."""

from __future__ import annotations

import datetime as dt

import pytest

from pilotage.importers import Context, Rejected, prepare
from tests.importers.conftest import fixture_bytes

UTC = dt.UTC


def at(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


def rows(name: str, table: str, importer: str, **context) -> list[dict]:
    prepared = prepare(fixture_bytes(name), name, context=Context(**context))
    assert prepared.importer == importer
    return [
        {k: v for k, v in r.items() if k not in ("source", "import_id")}
        for r in prepared.tables[table].to_pylist()
    ]


def lead(**values) -> dict:
    empty = dict.fromkeys(
        (
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
    )
    return {"lead_id": values.pop("lead_id"), "created_at": values.pop("created_at")} | {
        **empty,
        **values,
    }


def test_it_reads_new_labels_with_bom_quotes_and_a_repeated_column():
    prepared = prepare(fixture_bytes("hubspot_contacts_en.csv"), "hubspot_contacts_en.csv")
    assert (prepared.encoding, prepared.delimiter) == ("utf-8-sig", ",")
    assert rows("hubspot_contacts_en.csv", "leads", "hubspot_contacts") == [
        lead(
            lead_id="4711",
            created_at=at(2026, 1, 5, 9, 30),
            channel="Paid search",
            campaign="spring_sale_fr",  # paid search: drill-down 1 is the utm_campaign
            industry="Manufacturing",
            company_size="50",
            region="Bavaria",
            country="Germany",
            mql_at=at(2026, 1, 10, 14, 0),
            sql_at=at(2026, 1, 20, 8, 15),
            opportunity_at=at(2026, 2, 2, 10, 0),
            customer_at=at(2026, 3, 15, 16, 45),
        ),
        lead(
            lead_id="4712",
            created_at=at(2026, 2, 11, 17, 5),
            channel="Organic social",
            campaign="webinar_march",  # organic social: drill-down 2 is the utm_campaign
            industry="Software",
            company_size="200",
            region="Île-de-France",
            country="France",
            mql_at=at(2026, 2, 12, 9, 0),
        ),
        lead(
            lead_id="4713",
            created_at=at(2026, 3, 1, 8, 0),
            channel="Other",  # offline sources: drill-downs are the origin, not a campaign
            country="Italy",
        ),
        lead(
            lead_id="4714",
            created_at=at(2026, 3, 2, 11, 20),
            industry="Retail",
            company_size="1000",
            country="United Kingdom",
        ),
    ]


def test_it_emits_nps_survey_responses_for_contacts_with_a_rating():
    name = "hubspot_contacts_en.csv"
    assert rows(name, "survey_responses", "hubspot_contacts") == [
        {
            "responded_at": at(2026, 4, 1, 12, 0),
            "respondent_id": "4711",
            "score": 9,
            "comment": "Great support",
            "segment": None,
        },
        {
            "responded_at": at(2026, 3, 20, 10, 30),
            "respondent_id": "4713",
            "score": 6,
            "comment": None,
            "segment": None,
        },
    ]
    prepared = prepare(fixture_bytes(name), name)
    # 4714 has a rating (7) but no survey date: skipped, with its line
    assert [line for line, _ in prepared.skipped] == [5]


def test_it_reads_french_labels_semicolons_and_day_first_dates_in_local_time():
    name = "hubspot_contacts_fr.csv"
    got = rows(name, "leads", "hubspot_contacts", timezone="Europe/Paris")
    assert got == [
        lead(
            lead_id="9001",
            created_at=at(2026, 3, 15, 13, 32),  # 14:32 in Paris, winter time
            channel="Paid search",  # "Recherche payante"
            campaign="brand_fr",
            industry="Commerce de détail",
            company_size="25",
            region="Occitanie",
            country="France",
            # 03/04 alone is ambiguous: the export's 15/03 settles day-first for every column
            mql_at=at(2026, 4, 3, 8, 0),
            # "Date entered Client" is empty: the old "Date de conversion en client" is used
            customer_at=at(2026, 4, 18, 9, 0),
        ),
        lead(
            lead_id="9002",
            created_at=at(2026, 4, 2, 7, 15),  # 09:15 in Paris, summer time
            channel="Email",
            campaign="newsletter_avril",
            industry="Industrie",
            region="Bretagne",
            country="France",
            mql_at=at(2026, 4, 5, 14, 20),
        ),
        lead(
            lead_id="9003",
            created_at=at(2026, 4, 1, 6, 0),
            channel="Direct",
            industry="Services",
            company_size="200",
            country="Belgique",
            customer_at=at(2026, 5, 2, 6, 0),
        ),
    ]


def test_it_reads_internal_names_and_values():
    got = rows("hubspot_contacts_internal.csv", "leads", "hubspot_contacts")
    assert got == [
        lead(
            lead_id="501",
            created_at=at(2026, 5, 4, 10, 0),
            channel="Paid social",  # PAID_SOCIAL
            campaign="retargeting_q2",
            industry="COMPUTER_SOFTWARE",
            company_size="120",
            region="CA",
            country="United States",
            mql_at=at(2026, 5, 5, 10, 0),
            sql_at=at(2026, 5, 10, 12, 30),
        ),
        lead(
            lead_id="502",
            created_at=at(2026, 1, 1, 0, 0),  # epoch milliseconds 1767225600000
            channel="SEO/content",  # ORGANIC_SEARCH
            industry="MACHINERY",
            company_size="15",
            country="Canada",
            customer_at=at(2026, 2, 1, 9, 0),  # from hs_lifecyclestage_customer_date
        ),
        lead(
            lead_id="503",
            created_at=at(2026, 5, 6, 15, 45),
            channel="Email",
            campaign="q2_webinar_invite",
            country="France",
            mql_at=at(2026, 5, 7, 8, 0),
        ),
    ]


def test_it_reads_deals_with_status_from_the_stage_and_first_associated_ids():
    got = rows("hubspot_deals_en.csv", "deals", "hubspot_deals", currency="USD")
    assert got == [
        {
            "deal_id": "9101",
            "lead_id": "4711",
            "account_id": "7001",
            "created_at": at(2026, 1, 15, 10, 0),
            "closed_at": at(2026, 3, 31, 17, 0),
            "stage": "Closed Won",
            "status": "won",
            "amount": 15000.0,
            "currency": "EUR",  # the file's Currency column wins over the context
            "channel": "Paid search",
            "pipeline": "Sales Pipeline",
        },
        {
            "deal_id": "9102",
            "lead_id": "4713",
            "account_id": None,
            "created_at": at(2026, 2, 1, 9, 0),
            "closed_at": at(2026, 4, 10, 12, 0),
            "stage": "Closed Lost",
            "status": "lost",
            "amount": 1250.5,
            "currency": "EUR",
            "channel": "SEO/content",
            "pipeline": "Sales Pipeline",
        },
        {
            "deal_id": "9103",
            "lead_id": None,
            "account_id": "7002",
            "created_at": at(2026, 3, 5, 14, 20),
            "closed_at": None,  # an open deal's close date is only expected
            "stage": "Contract Sent",
            "status": "open",
            "amount": None,
            "currency": "EUR",
            "channel": None,
            "pipeline": "Sales Pipeline",
        },
        {
            "deal_id": "9104",
            "lead_id": None,
            "account_id": None,
            "created_at": at(2026, 2, 20, 8, 0),
            "closed_at": at(2026, 4, 2, 10, 30),  # no Close Date: Date entered "Closed Won"
            "stage": "Closed Won",
            "status": "won",
            "amount": 8000.0,
            "currency": "EUR",
            "channel": "Referral",
            "pipeline": "Sales Pipeline",
        },
    ]


def test_it_reads_localized_deal_stages():
    data = (
        '"ID de fiche d\'informations","Nom de la transaction","Phase de la transaction",'
        '"Montant","Date de création","Date de fermeture"\n'
        '"1","A","Conclue gagnée","100","2026-01-01 10:00","2026-02-01 10:00"\n'
        '"2","B","Conclue perdue","200","2026-01-02 10:00","2026-02-02 10:00"\n'
        '"3","C","Rendez-vous programmé","300","2026-01-03 10:00","2026-02-03 10:00"\n'
    ).encode()
    prepared = prepare(data, "transactions.csv", context=Context(currency="EUR"))
    assert prepared.importer == "hubspot_deals"
    deals = prepared.tables["deals"].to_pylist()
    assert [(d["status"], d["closed_at"]) for d in deals] == [
        ("won", at(2026, 2, 1, 10, 0)),
        ("lost", at(2026, 2, 2, 10, 0)),
        ("open", None),
    ]
    assert [d["currency"] for d in deals] == ["EUR"] * 3


def test_it_refuses_a_duplicated_record_id_with_file_line_and_column():
    data = (
        b'"Record ID","Email","Create Date","Original Source"\n'
        b'"1","a@example.com","2026-01-01 10:00","Direct Traffic"\n'
        b'"1","b@example.com","2026-01-02 10:00","Direct Traffic"\n'
    )
    with pytest.raises(Rejected) as caught:
        prepare(data, "contacts.csv")
    [problem] = caught.value.problems
    assert (problem.file, problem.code, problem.line, problem.column) == (
        "contacts.csv",
        "duplicate_key",
        3,
        "Record ID",
    )
    assert (problem.value, problem.expected) == ("1", "2")


def test_it_refuses_a_contacts_file_without_create_date():
    data = b'"Record ID","Email","Lifecycle Stage"\n"1","a@example.com","Lead"\n'
    with pytest.raises(Rejected) as caught:
        prepare(data, "contacts.csv")
    [problem] = caught.value.problems
    assert (problem.file, problem.code, problem.expected) == (
        "contacts.csv",
        "missing_column",
        "Create Date",
    )


def test_it_reports_a_bad_date_cell_with_its_line_and_column():
    data = (
        b'"Record ID","Email","Create Date"\n'
        b'"1","a@example.com","2026-01-01 10:00"\n'
        b'"2","b@example.com","yesterday"\n'
    )
    with pytest.raises(Rejected) as caught:
        prepare(data, "contacts.csv")
    assert [(p.code, p.line, p.column, p.value) for p in caught.value.problems] == [
        ("date", 3, "Create Date", "yesterday"),  # once: not also "required"
    ]


def test_it_refuses_deals_without_any_currency():
    data = (
        b'"Record ID","Deal Name","Deal Stage","Amount","Create Date"\n'
        b'"1","A","Closed Won","100","2026-01-01 10:00"\n'
    )
    with pytest.raises(Rejected) as caught:
        prepare(data, "deals.csv")
    assert [p.code for p in caught.value.problems] == ["no_currency"]
