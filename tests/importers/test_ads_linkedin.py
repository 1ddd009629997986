"""LinkedIn Campaign Manager exports: preamble, UTF-8 comma and UTF-16LE tab, US dates, Total."""

from __future__ import annotations

import datetime as dt

import pytest

from pilotage.importers import Context, Rejected, prepare
from tests.importers.conftest import fixture_bytes


def rows(prepared) -> list[dict]:
    return [
        {k: v for k, v in r.items() if k not in ("source", "import_id")}
        for r in prepared.tables["spend"].to_pylist()
    ]


def test_it_reads_the_utf8_comma_report_after_its_preamble():
    prepared = prepare(fixture_bytes("linkedin_en.csv"), "linkedin_en.csv")
    assert prepared.importer == "linkedin_ads"
    assert (prepared.encoding, prepared.delimiter, prepared.header_line) == ("utf-8", ",", 6)
    assert rows(prepared) == [
        {
            "date": dt.date(2026, 9, 1),
            "channel": "Paid social",
            "campaign": "DACH Engineers - Sponsored Content",
            "cost": 84.2,
            "currency": "EUR",
            "impressions": 3120,
            "clicks": 21,
            "platform_conversions": 2.0,
            "platform_conversion_value": 150.0,
        },
        {
            "date": dt.date(2026, 9, 1),
            "channel": "Paid social",
            "campaign": "FR Decision Makers - Lead Gen",
            "cost": 120.55,
            "currency": "EUR",
            "impressions": 4410,
            "clicks": 33,
            "platform_conversions": 0.0,
            "platform_conversion_value": 0.0,
        },
        {
            "date": dt.date(2026, 9, 2),
            "channel": "Paid social",
            "campaign": "DACH Engineers - Sponsored Content",
            "cost": 79.9,
            "currency": "EUR",
            "impressions": 2980,
            "clicks": 18,
            "platform_conversions": None,
            "platform_conversion_value": None,
        },
    ]
    assert prepared.skipped == [(10, "total row 'Total'")]
    # 9/1/2026 fits both orders: LinkedIn's US order is used, and said
    assert prepared.details["date_order"] == "mdy (LinkedIn's M/D/YYYY)"


def test_it_reads_the_utf16_tab_report_and_in_utc_is_not_a_currency():
    prepared = prepare(fixture_bytes("linkedin_utf16.csv"), "linkedin_utf16.csv")
    assert prepared.importer == "linkedin_ads"
    assert (prepared.encoding, prepared.delimiter, prepared.header_line) == (
        "utf-16-le",
        "\t",
        6,
    )
    assert rows(prepared) == [
        {
            "date": dt.date(2026, 9, 14),
            "channel": "Paid social",
            "campaign": "US Plant Managers - Sponsored Content",
            "cost": 1204.75,
            "currency": "USD",
            "impressions": 88210,
            "clicks": 402,
            "platform_conversions": 7.0,
            "platform_conversion_value": 2450.0,
        },
        {
            "date": dt.date(2026, 9, 14),
            "channel": "Paid social",
            "campaign": "US Plant Managers - Text Ads",
            "cost": 45.1,
            "currency": "USD",
            "impressions": 12480,
            "clicks": 19,
            "platform_conversions": 1.0,
            "platform_conversion_value": 350.0,
        },
    ]
    assert prepared.details["date_order"] == "mdy (proven by 9/14/2026)"


def test_the_users_date_order_wins():
    data = b"Start Date (in UTC),Campaign Name,Currency,Total Spent\n3/4/2026,Brand,EUR,10.00\n"
    got = rows(prepare(data, "li.csv", context=Context(date_order="dmy")))
    assert [r["date"] for r in got] == [dt.date(2026, 4, 3)]


def test_bad_cells_and_a_mixed_currency_are_reported():
    data = (
        b"Campaign Performance Report (in UTC)\n"
        b"Report Start: 9/1/2026\n"
        b"\n"
        b"Start Date (in UTC),Campaign Name,Currency,Total Spent,Impressions\n"
        b"9/1/2026,Brand,EUR,ten,100\n"
        b"9/1/2026,,EUR,5.00,100\n"
        b"9/2/2026,Brand,USD,6.00,100\n"
    )
    with pytest.raises(Rejected) as caught:
        prepare(data, "li_bad.csv")
    assert [(p.file, p.code, p.line, p.column, p.value) for p in caught.value.problems] == [
        ("li_bad.csv", "mixed_currency", 0, "", "EUR, USD"),  # the whole file: listed first
        ("li_bad.csv", "number", 5, "Total Spent", "ten"),
        ("li_bad.csv", "required", 6, "Campaign Name", ""),
    ]


def test_rows_spanning_several_days_are_refused():
    data = (
        b"Start Date (in UTC),End Date (in UTC),Campaign Name,Currency,Total Spent\n"
        b"9/1/2026,9/30/2026,Brand,EUR,300.00\n"
    )
    with pytest.raises(Rejected) as caught:
        prepare(data, "li_month.csv")
    [problem] = caught.value.problems
    assert (problem.code, problem.line, problem.column) == ("not_daily", 2, "End Date (in UTC)")
    assert "Daily" in problem.message()
