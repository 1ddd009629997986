"""Google Ads downloads: both CSV flavours, three UI languages, totals, '--', workbooks."""

from __future__ import annotations

import datetime as dt

import pytest

from pilotage.importers import Context, Rejected, prepare
from tests.importers.conftest import fixture_bytes

D1, D2 = dt.date(2026, 9, 1), dt.date(2026, 9, 2)


def rows(name: str, **context) -> list[dict]:
    prepared = prepare(fixture_bytes(name), name, context=Context(**context))
    assert prepared.importer == "google_ads"
    return [
        {k: v for k, v in r.items() if k not in ("source", "import_id")}
        for r in prepared.tables["spend"].to_pylist()
    ]


def test_utf16_tab_excel_csv_with_totals_rows():
    prepared = prepare(fixture_bytes("google_ads_en_excel.csv"), "google_ads_en_excel.csv")
    assert (prepared.encoding, prepared.delimiter, prepared.header_line) == ("utf-16-le", "\t", 3)
    assert [line for line, _ in prepared.skipped] == [7, 8]  # Total: Campaigns, Total: Account
    assert rows("google_ads_en_excel.csv") == [
        {
            "date": D1,
            "channel": "Paid search",
            "campaign": "Brand FR",
            "cost": 41.20,
            "currency": "EUR",
            "impressions": 1204,
            "clicks": 37,
            "platform_conversions": 2.5,
            "platform_conversion_value": 250.0,
        },
        {
            "date": D1,
            "channel": "Paid search",
            "campaign": "Total Store - Shopping",  # a campaign named "Total …" survives
            "cost": 1020.50,
            "currency": "EUR",
            "impressions": 10400,
            "clicks": 310,
            "platform_conversions": 12.0,
            "platform_conversion_value": 1840.0,
        },
        {
            "date": D2,
            "channel": "Paid search",
            "campaign": "Brand FR",
            "cost": 39.80,
            "currency": "EUR",
            "impressions": 1150,
            "clicks": 35,
            "platform_conversions": None,  # "--" is not reported, never 0
            "platform_conversion_value": None,
        },
    ]
    # the spend is the campaigns' spend, not doubled by the totals
    assert round(sum(r["cost"] for r in rows("google_ads_en_excel.csv")), 2) == 1101.50


def test_french_ui_with_decimal_commas_and_narrow_spaces():
    got = rows("google_ads_fr.csv")
    assert [(r["campaign"], r["date"], r["cost"], r["impressions"]) for r in got] == [
        ("Marque FR", D1, 41.20, 1204),
        ("Total Store - Shopping", D1, 1020.50, 10400),
        ("Marque FR", D2, 39.80, 1150),
    ]
    assert [r["platform_conversion_value"] for r in got] == [250.0, 1840.0, None]


def test_german_semicolons_dot_thousands_and_device_segments_summed():
    prepared = prepare(fixture_bytes("google_ads_de.csv"), "google_ads_de.csv")
    assert (prepared.encoding, prepared.delimiter) == ("cp1252", ";")
    got = rows("google_ads_de.csv")
    assert len(got) == 1  # two device rows of one campaign-day
    assert got[0]["cost"] == pytest.approx(1335.00)
    assert (got[0]["impressions"], got[0]["clicks"]) == (14000, 400)


def test_a_workbook_renamed_csv_is_read_as_a_workbook():
    prepared = prepare(fixture_bytes("google_ads_renamed_xlsx.csv"), "report.csv")
    assert prepared.kind == "xlsx"
    got = rows("google_ads_renamed_xlsx.csv")
    assert got == [
        {
            "date": D1,
            "channel": "Paid search",
            "campaign": "Brand FR",
            "cost": 41.2,
            "currency": "USD",
            "impressions": 1204,
            "clicks": 37,
            "platform_conversions": None,
            "platform_conversion_value": None,
        }
    ]


def test_without_a_currency_column_the_workspace_currency_is_asked_for():
    text = "Campaign report\nSeptember 1, 2026 - September 1, 2026\nDay,Campaign,Cost,Impr.\n"
    text += "2026-09-01,Brand,12.50,100\n"
    with pytest.raises(Rejected) as caught:
        prepare(text.encode(), "nocurrency.csv")
    assert caught.value.problems[0].code == "no_currency"
    assert prepare(text.encode(), "nocurrency.csv", context=Context(currency="EUR")).tables[
        "spend"
    ].column("currency").to_pylist() == ["EUR"]


def test_two_currencies_in_one_file_are_refused():
    text = (
        "Day,Campaign,Currency code,Cost,Impr.\n2026-09-01,A,EUR,1.50,1\n2026-09-01,B,USD,2.50,1\n"
    )
    with pytest.raises(Rejected) as caught:
        prepare(text.encode(), "two.csv")
    assert [p.code for p in caught.value.problems] == ["mixed_currency"]
    assert "EUR, USD" in caught.value.problems[0].message()


def test_bad_cells_are_all_reported_with_line_and_column():
    text = (
        "Campaign report\nSeptember 1, 2026 - September 2, 2026\n"
        "Day,Campaign,Currency code,Cost,Impr.\n"
        "2026-09-01,A,EUR,1.50,10\n"
        "2026-09-31,B,EUR,abc,10\n"
        "2026-09-02,C,EUR,2.50,ten\n"
    )
    with pytest.raises(Rejected) as caught:
        prepare(text.encode(), "bad.csv")
    found = {(p.line, p.column, p.code) for p in caught.value.problems}
    assert found == {
        (5, "Day", "date"),
        (5, "Cost", "number"),
        (6, "Impr.", "integer"),
    }
    french = caught.value.render("fr")
    assert any(line.startswith("bad.csv, ligne 5, colonne 'Cost'") for line in french)


def test_ambiguous_thousands_in_an_undecided_file_are_refused_not_guessed():
    text = 'Day,Campaign,Currency code,Cost,Impr.\n2026-09-01,A,EUR,"1,234",10\n'
    with pytest.raises(Rejected) as caught:
        prepare(text.encode(), "amb.csv")
    assert [(p.code, p.line, p.column) for p in caught.value.problems] == [
        ("ambiguous_number", 2, "Cost")
    ]


def test_the_summary_says_what_was_decided():
    text = (
        "Day,Campaign,Currency code,Cost,Impr.\n"
        '13/09/2026,A,EUR,"1,50",10\n'
        '02/09/2026,B,EUR,"2,50",10\n'
    )
    summary = prepare(text.encode(), "fr.csv").summary()
    assert summary["details"]["date_orders"] == {"Day": "dmy"}
    assert summary["currencies"] == ["EUR"]
    assert (summary["encoding"], summary["delimiter"]) == ("utf-8", ",")
