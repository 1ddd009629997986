"""GA4: the UI report download (comment blocks, several tables, totals) and BigQuery events."""

from __future__ import annotations

import datetime as dt

import pytest

from pilotage.importers import Context, Rejected, prepare
from pilotage.importers.sources.ga4 import CONVERSION_EVENTS
from tests.importers.conftest import fixture_bytes

MARCH_1 = dt.date(2025, 3, 1)


def rows(prepared, table: str) -> list[dict]:
    return [
        {k: v for k, v in r.items() if k not in ("source", "import_id")}
        for r in prepared.tables[table].to_pylist()
    ]


def traffic(date, channel, sessions, users, engaged, key_events, revenue, **extra) -> dict:
    return {
        "date": date,
        "channel": channel,
        "traffic_source": extra.get("traffic_source"),
        "medium": extra.get("medium"),
        "campaign": extra.get("campaign"),
        "sessions": sessions,
        "users": users,
        "engaged_sessions": engaged,
        "key_events": key_events,
        "revenue": revenue,
    }


def test_it_reads_the_detail_table_of_a_two_table_report_on_the_months_first_day():
    name = "ga4_traffic_acquisition.csv"
    prepared = prepare(fixture_bytes(name), name)
    assert prepared.importer == "ga4_report"
    assert prepared.header_line == 24  # after the time series and the second '#' block
    assert rows(prepared, "web_traffic") == [
        traffic(MARCH_1, "SEO/content", 7034, 5120, 4410, 210.0, 8450.5),
        traffic(MARCH_1, "Paid search", 3650, 2980, 2011, 145.0, 6120.0),
        traffic(MARCH_1, "Direct", 3105, 2410, 1790, 88.0, 3020.25),
        traffic(MARCH_1, "Email", 802, 640, 611, 52.0, 2210.0),
        traffic(MARCH_1, "Other", 131, 120, 20, 0.0, 0.0),  # Unassigned
    ]
    assert prepared.skipped == [(25, "total row 'Grand total'")]
    assert prepared.details["range_stored_on"] == "2025-03-01"
    assert prepared.details["date_range"] == ["2025-03-01", "2025-03-31"]


def test_a_range_over_two_months_without_date_is_refused():
    with pytest.raises(Rejected) as caught:
        prepare(fixture_bytes("ga4_two_months.csv"), "ga4_two_months.csv")
    [problem] = caught.value.problems
    assert (problem.file, problem.code, problem.line) == ("ga4_two_months.csv", "range_too_long", 9)
    assert "2025-03-15 – 2025-04-14" in problem.message()
    assert "one calendar month at a time" in problem.message()


def test_a_date_dimension_and_source_medium_fill_source_and_medium():
    data = (
        b"# Traffic acquisition: Session source / medium\n"
        b"# Start date: 20250301\n"
        b"# End date: 20250302\n"
        b"Date,Session source / medium,Sessions,Total users,Engaged sessions,Conversions\n"
        b"20250301,google / cpc,120,100,80,4\n"
        b"20250301,newsletter / email,40,38,30,1\n"
        b"20250302,(direct) / (none),55,50,20,0\n"
        b"20250302,blog.example / referral,9,9,7,\n"
    )
    prepared = prepare(data, "ga4_source_medium.csv")
    assert prepared.importer == "ga4_report"
    d1, d2 = dt.date(2025, 3, 1), dt.date(2025, 3, 2)
    assert rows(prepared, "web_traffic") == [
        traffic(d1, "Paid search", 120, 100, 80, 4.0, None, traffic_source="google", medium="cpc"),
        traffic(d1, "Email", 40, 38, 30, 1.0, None, traffic_source="newsletter", medium="email"),
        traffic(d2, "Direct", 55, 50, 20, 0.0, None, traffic_source="(direct)", medium="(none)"),
        traffic(
            d2, "Referral", 9, 9, 7, None, None, traffic_source="blog.example", medium="referral"
        ),
    ]


def test_a_one_day_report_is_dated_that_day_and_bad_cells_are_located():
    data = (
        b"# Start date: 20250310\n"
        b"# End date: 20250310\n"
        b"Session default channel group,Users,Sessions\n"
        b"Organic Search,12,15\n"
        b"Direct,many,4\n"
    )
    with pytest.raises(Rejected) as caught:
        prepare(data, "ga4_day.csv")
    assert [(p.code, p.line, p.column, p.value) for p in caught.value.problems] == [
        ("integer", 5, "Users", "many")
    ]
    ok = prepare(data.replace(b"many", b"3"), "ga4_day.csv")
    assert [(r["date"], r["channel"], r["users"]) for r in rows(ok, "web_traffic")] == [
        (dt.date(2025, 3, 10), "SEO/content", 12),
        (dt.date(2025, 3, 10), "Direct", 3),
    ]
    assert "range_stored_on" not in ok.details


def test_french_headers():
    data = (
        "# Date de début : 20250301\n"
        "# Date de fin : 20250331\n"
        "Groupe de canaux principal de la session (Groupe de canaux par défaut),Utilisateurs,"
        "Sessions,Sessions avec engagement,Événements clés,Revenu total\n"
        "Paid Search,10,12,8,2,99.5\n"
    ).encode()
    got = rows(prepare(data, "ga4_fr.csv"), "web_traffic")
    assert got == [traffic(MARCH_1, "Paid search", 12, 10, 8, 2.0, 99.5)]


# ---------------------------------------------------------------- BigQuery

UTC = dt.UTC


def test_bigquery_events_become_one_visit_per_session_plus_conversions():
    name = "ga4_bigquery_events.csv"
    prepared = prepare(fixture_bytes(name), name)
    assert prepared.importer == "ga4_bigquery"
    assert CONVERSION_EVENTS == ("purchase", "generate_lead")
    a, b, c = "1234567890.1740818400", "987654321.1740820000", "555000111.1740909990"
    assert rows(prepared, "touchpoints") == [
        {
            "journey_id": a,
            "occurred_at": dt.datetime(2025, 3, 1, 8, 40, 2, 123456, tzinfo=UTC),
            "channel": "Paid search",  # default channel group "Paid Search"
            "campaign": "brand-fr",
            "interaction": "visit",
            "converted": False,
            "conversion_value": None,
        },
        {
            "journey_id": a,
            "occurred_at": dt.datetime(2025, 3, 1, 8, 41, 59, 1, tzinfo=UTC),
            "channel": "Paid search",
            "campaign": "brand-fr",
            "interaction": "conversion",  # generate_lead
            "converted": True,
            "conversion_value": None,
        },
        {
            "journey_id": b,
            "occurred_at": dt.datetime(2025, 3, 1, 9, 6, 41, tzinfo=UTC),
            "channel": "SEO/content",
            "campaign": None,  # (organic) is no campaign
            "interaction": "visit",
            "converted": False,
            "conversion_value": None,
        },
        {
            # a second session with no session_start: its first event (the purchase) anchors it
            "journey_id": b,
            "occurred_at": dt.datetime(2025, 3, 2, 9, 0, 2, tzinfo=UTC),
            "channel": "Direct",
            "campaign": None,
            "interaction": "visit",
            "converted": False,
            "conversion_value": None,
        },
        {
            "journey_id": b,
            "occurred_at": dt.datetime(2025, 3, 2, 9, 0, 2, tzinfo=UTC),
            "channel": "Direct",
            "campaign": None,
            "interaction": "conversion",
            "converted": True,
            "conversion_value": 249.0,
        },
        {
            "journey_id": c,
            "occurred_at": dt.datetime(2025, 3, 2, 10, 6, 40, tzinfo=UTC),
            "channel": "Paid search",
            "campaign": None,
            "interaction": "visit",
            "converted": False,
            "conversion_value": None,
        },
    ]
    assert prepared.details["sessions"] == 4
    assert prepared.details["channel_from"] == {"default_channel_group": 4}


def test_bigquery_timestamps_are_not_shifted_by_the_workspace_time_zone():
    name = "ga4_bigquery_events.csv"
    prepared = prepare(fixture_bytes(name), name, context=Context(timezone="Europe/Paris"))
    first = rows(prepared, "touchpoints")[0]
    assert first["occurred_at"] == dt.datetime(2025, 3, 1, 8, 40, 2, 123456, tzinfo=UTC)


def test_bigquery_cascade_without_channel_group_and_json_records():
    data = (
        b"event_timestamp,event_name,user_pseudo_id,event_params,traffic_source,"
        b"collected_traffic_source.manual_source,collected_traffic_source.manual_medium,"
        b"ecommerce.purchase_revenue,ecommerce.transaction_id\n"
        b'1740818402000000,session_start,u1,"[{""key"": ""ga_session_id"", ""value"": '
        b'{""int_value"": 11}}]","{""name"": ""spring"", ""medium"": ""email"", '
        b'""source"": ""newsletter""}",linkedin.com,cpc,,\n'
        b'1740818500000000,purchase,u1,"[{""key"": ""ga_session_id"", ""value"": '
        b'{""int_value"": 11}}]","{""name"": ""spring"", ""medium"": ""email"", '
        b'""source"": ""newsletter""}",,,80.5,T-1\n'
        b'1740818600000000,purchase,u1,"[{""key"": ""ga_session_id"", ""value"": '
        b'{""int_value"": 11}}]","{""name"": ""spring"", ""medium"": ""email"", '
        b'""source"": ""newsletter""}",,,80.5,T-1\n'
        b'1740900000000000,page_view,u2,"[{""key"": ""ga_session_id"", ""value"": '
        b'{""int_value"": 12}}]","{""name"": ""spring"", ""medium"": ""email"", '
        b'""source"": ""newsletter""}",,,,\n'
    )
    prepared = prepare(data, "bq.csv")
    assert prepared.importer == "ga4_bigquery"
    got = [
        (r["journey_id"], r["channel"], r["campaign"], r["interaction"], r["conversion_value"])
        for r in rows(prepared, "touchpoints")
    ]
    assert got == [
        # collected manual source/medium comes before the user's first-touch traffic_source
        ("u1", "Paid social", "spring", "visit", None),
        ("u1", "Paid social", "spring", "conversion", 80.5),
        # only the first-touch traffic_source is known
        ("u2", "Email", "spring", "visit", None),
    ]
    assert prepared.skipped == [(4, "transaction T-1 seen before")]
    assert prepared.details["channel_from"] == {
        "collected_source_medium": 1,
        "first_user_traffic_source": 1,
    }


def test_bigquery_without_a_session_id_is_refused_with_the_column_named():
    data = b"event_timestamp,event_name,user_pseudo_id\n1740818402000000,session_start,u1\n"
    with pytest.raises(Rejected) as caught:
        prepare(data, "bq.csv")
    assert [(p.code, p.expected) for p in caught.value.problems] == [
        ("missing_column", "ga_session_id")
    ]


def test_bigquery_bad_timestamp_is_located():
    data = (
        b"event_timestamp,event_name,user_pseudo_id,ga_session_id\n"
        b"1740818402000000,session_start,u1,1\n"
        b"yesterday,page_view,u1,1\n"
    )
    with pytest.raises(Rejected) as caught:
        prepare(data, "bq.csv")
    assert [(p.code, p.line, p.column, p.value) for p in caught.value.problems] == [
        ("date", 3, "event_timestamp", "yesterday")
    ]
