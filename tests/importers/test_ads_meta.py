"""Meta Ads Manager exports: BOM, languages, mojibake headers, summary row, daily breakdown."""

from __future__ import annotations

import datetime as dt

import pytest

from pilotage.importers import Context, Rejected, prepare
from tests.importers.conftest import fixture_bytes

D1, D2 = dt.date(2026, 9, 1), dt.date(2026, 9, 2)


def rows(prepared) -> list[dict]:
    return [
        {k: v for k, v in r.items() if k not in ("source", "import_id")}
        for r in prepared.tables["spend"].to_pylist()
    ]


def test_it_reads_the_english_daily_export_summed_per_day_and_campaign():
    prepared = prepare(fixture_bytes("meta_en_daily.csv"), "meta_en_daily.csv")
    assert prepared.importer == "meta_ads"
    assert (prepared.encoding, prepared.delimiter, prepared.header_line) == ("utf-8-sig", ",", 1)
    assert rows(prepared) == [
        {
            "date": D1,
            "channel": "Paid social",
            "campaign": "Prospecting Lookalike",
            "cost": 20.0,
            "currency": "EUR",
            "impressions": 5000,
            "clicks": 60,  # Link clicks, not Clicks (all)
            "platform_conversions": None,  # no Results on that row: not 0
            "platform_conversion_value": None,
        },
        {
            # two ads of one campaign; the zero-width space in one spelling is removed
            "date": D1,
            "channel": "Paid social",
            "campaign": "Rentrée 2026",
            "cost": 20.0,
            "currency": "EUR",
            "impressions": 3600,
            "clicks": 56,
            "platform_conversions": 4.0,
            "platform_conversion_value": 240.0,
        },
        {
            "date": D2,
            "channel": "Paid social",
            "campaign": "Rentrée 2026",
            "cost": 10.5,
            "currency": "EUR",
            "impressions": 2300,
            "clicks": 38,
            "platform_conversions": 2.0,
            "platform_conversion_value": 120.0,
        },
    ]
    assert prepared.skipped == [
        (6, "summary row (no campaign, ad set or ad name): totals of the rows")
    ]
    details = prepared.details
    assert details["currency"] == "EUR"
    assert details["conversions"] == "from 'Results' (actions:omni_purchase)"
    assert details["clicks_from"] == "Link clicks"


def test_it_reads_french_headers_and_decimal_commas_and_prefers_purchases_to_results():
    prepared = prepare(fixture_bytes("meta_fr.csv"), "meta_fr.csv")
    assert prepared.importer == "meta_ads"
    assert rows(prepared) == [
        {
            "date": D1,
            "channel": "Paid social",
            "campaign": "Notoriété marque",
            "cost": 25.0,
            "currency": "EUR",
            "impressions": 6000,
            "clicks": 30,
            "platform_conversions": None,
            "platform_conversion_value": None,
        },
        {
            "date": D1,
            "channel": "Paid social",
            "campaign": "Soldes d'été",
            "cost": 18.4,
            "currency": "EUR",
            "impressions": 1500,
            "clicks": 12,
            "platform_conversions": 1.0,
            "platform_conversion_value": 49.9,
        },
    ]
    assert prepared.details["conversions"] == "from 'Achats'"


def test_it_repairs_mojibake_headers_and_names():
    prepared = prepare(fixture_bytes("meta_fr_mojibake.csv"), "meta_fr_mojibake.csv")
    assert prepared.importer == "meta_ads"
    assert rows(prepared) == [
        {
            "date": D2,
            "channel": "Paid social",
            "campaign": "Soldes d'été",
            "cost": 21.3,
            "currency": "EUR",  # from "Montant dÃ©pensÃ© (EUR)"
            "impressions": 1700,
            "clicks": 14,
            "platform_conversions": None,
            "platform_conversion_value": None,
        }
    ]
    assert prepared.details["mojibake_repaired"] is True


def test_it_reads_spanish_headers():
    data = (
        "Inicio del informe,Fin del informe,Nombre de la campaña,Importe gastado (EUR),"
        "Impresiones,Clics en el enlace\n"
        "2026-09-03,2026-09-03,Rebajas,14.50,2100,19\n"
    ).encode()
    prepared = prepare(data, "meta_es.csv")
    assert prepared.importer == "meta_ads"
    assert rows(prepared) == [
        {
            "date": dt.date(2026, 9, 3),
            "channel": "Paid social",
            "campaign": "Rebajas",
            "cost": 14.5,
            "currency": "EUR",
            "impressions": 2100,
            "clicks": 19,
            "platform_conversions": None,
            "platform_conversion_value": None,
        }
    ]


def test_results_of_different_indicators_are_not_summed():
    data = (
        b"Reporting starts,Reporting ends,Campaign name,Results,Result indicator,"
        b"Amount spent (USD)\n"
        b"2026-09-01,2026-09-01,Leads FR,4,actions:offsite_conversion.fb_pixel_lead,30.00\n"
        b"2026-09-01,2026-09-01,Reach DE,9000,reach,12.00\n"
    )
    prepared = prepare(data, "meta.csv")
    assert [(r["campaign"], r["platform_conversions"], r["currency"]) for r in rows(prepared)] == [
        ("Leads FR", None, "USD"),
        ("Reach DE", None, "USD"),
    ]
    assert prepared.details["conversions"].startswith("not stored: the Results count different")
    assert "reach" in prepared.details["conversions"]


def test_it_refuses_range_totals_and_says_how_to_export_by_day():
    data = (
        b"Reporting starts,Reporting ends,Campaign name,Amount spent (EUR),Impressions\n"
        b"2026-09-01,2026-09-30,Soldes,310.00,40000\n"
        b"2026-09-01,2026-09-30,Marque,95.00,12000\n"
    )
    with pytest.raises(Rejected) as caught:
        prepare(data, "meta_month.csv")
    problems = caught.value.problems
    assert [(p.file, p.code, p.line, p.column) for p in problems] == [
        ("meta_month.csv", "not_daily", 2, "Reporting ends"),
        ("meta_month.csv", "not_daily", 3, "Reporting ends"),
    ]
    assert "Breakdown → By time → Day" in problems[0].message()
    assert "2026-09-01 – 2026-09-30" in problems[0].message("fr")


def test_a_single_day_export_without_breakdown_is_accepted():
    data = (
        b"Reporting starts,Reporting ends,Campaign name,Amount spent (EUR)\n"
        b"2026-09-05,2026-09-05,Soldes,31.00\n"
    )
    assert [(r["date"], r["cost"]) for r in rows(prepare(data, "m.csv"))] == [
        (dt.date(2026, 9, 5), 31.0)
    ]


def test_bad_cells_are_reported_with_line_and_column():
    data = (
        "\ufeffReporting starts,Reporting ends,Campaign name,Amount spent (EUR),Link clicks\n"
        "2026-09-01,2026-09-01,Soldes,abc,12\n"
        "2026-09-01,2026-09-01,,5.00,3\n"  # no name at all: a summary row, dropped
        "2026-09-02,2026-09-02,Soldes,4.00,1.5\n"
    ).encode()
    with pytest.raises(Rejected) as caught:
        prepare(data, "meta_bad.csv")
    assert [(p.code, p.line, p.column, p.value) for p in caught.value.problems] == [
        ("number", 2, "Amount spent (EUR)", "abc"),
        ("integer", 4, "Link clicks", "1.5"),
    ]


def test_a_missing_spend_column_is_named():
    data = b"Reporting starts,Reporting ends,Campaign name,Impressions\n2026-09-01,2026-09-01,A,1\n"
    with pytest.raises(Rejected) as caught:
        prepare(data, "meta.csv", source="meta_ads")
    assert [(p.code, p.expected) for p in caught.value.problems] == [
        ("missing_column", "Amount spent")
    ]


def test_the_workspace_currency_is_used_only_when_the_file_has_none():
    data = (
        b"Reporting starts,Reporting ends,Ad set name,Amount spent\n"
        b"2026-09-01,2026-09-01,LAL 1%,12.00\n"
    )
    prepared = prepare(data, "m.csv", context=Context(currency="CHF"))
    assert [(r["campaign"], r["currency"]) for r in rows(prepared)] == [("LAL 1%", "CHF")]
    assert prepared.details["campaign_from"] == "Ad set name"
