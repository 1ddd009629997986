"""Email reports: Mailchimp (all campaigns, one campaign's report) and Brevo (per recipient)."""

from __future__ import annotations

import datetime as dt

import pytest

from pilotage.importers import Context, Rejected, importers, prepare
from pilotage.importers.reader import read_grid
from tests.importers.conftest import fixture_bytes

UTC = dt.UTC


def rows(prepared) -> list[dict]:
    return [
        {k: v for k, v in r.items() if k not in ("source", "import_id")}
        for r in prepared.tables["email_campaigns"].to_pylist()
    ]


MARCH_NEWSLETTER = {
    "sent_at": dt.datetime(2025, 3, 4, 9, 30, tzinfo=UTC),
    "campaign": "March newsletter",
    "recipients": 1751,
    "delivered": 1740,
    "unique_opens": 612,
    "unique_clicks": 140,
    "unsubscribes": 6,
    "bounces": 11,
}


def test_mailchimp_all_campaigns_export():
    name = "mailchimp_campaigns.csv"
    prepared = prepare(fixture_bytes(name), name)
    assert prepared.importer == "mailchimp"
    assert rows(prepared) == [
        MARCH_NEWSLETTER,
        {
            "sent_at": dt.datetime(2025, 3, 18, 16, 15, tzinfo=UTC),  # 04:15 pm
            "campaign": "Webinar invite",
            "recipients": 980,
            "delivered": 975,
            "unique_opens": 310,
            "unique_clicks": 72,
            "unsubscribes": 3,
            "bounces": 5,
        },
    ]


def test_mailchimp_send_dates_are_in_the_workspace_zone():
    name = "mailchimp_campaigns.csv"
    prepared = prepare(fixture_bytes(name), name, context=Context(timezone="Europe/Paris"))
    assert rows(prepared)[0]["sent_at"] == dt.datetime(2025, 3, 4, 8, 30, tzinfo=UTC)


def test_mailchimp_soft_and_hard_bounces_are_summed_without_a_total():
    data = (
        b"Title,Send Date,Total Recipients,Soft Bounces,Hard Bounces\n"
        b'"A","Mar 04, 2025 09:30 am",100,2,1\n'
        b'"B","Mar 05, 2025 09:30 am",100,,1\n'
    )
    got = rows(prepare(data, "mc.csv"))
    assert [(r["campaign"], r["bounces"], r["delivered"]) for r in got] == [
        ("A", 3, None),
        ("B", None, None),  # an unknown count is not 0
    ]


def test_mailchimp_single_campaign_report():
    name = "mailchimp_report.csv"
    prepared = prepare(fixture_bytes(name), name)
    assert prepared.importer == "mailchimp_report"
    assert rows(prepared) == [MARCH_NEWSLETTER]


def test_mailchimp_report_bad_value_is_located_by_line_and_label():
    data = fixture_bytes("mailchimp_report.csv").replace(b'"1,740"', b'"n/a"')
    with pytest.raises(Rejected) as caught:
        prepare(data, "report.csv")
    assert [(p.file, p.code, p.line, p.column, p.value) for p in caught.value.problems] == [
        ("report.csv", "integer", 8, "Successful Deliveries:", "n/a")
    ]


def test_brevo_per_recipient_export_is_counted_per_campaign():
    name = "brevo_campaign_recipients.csv"
    prepared = prepare(fixture_bytes(name), name)
    assert prepared.importer == "brevo"
    assert prepared.delimiter == ";"
    assert rows(prepared) == [
        {
            "sent_at": dt.datetime(2025, 3, 4, 9, 30, tzinfo=UTC),
            "campaign": "Newsletter mars",
            "recipients": 4,
            "delivered": 3,
            "unique_opens": 2,
            "unique_clicks": 1,
            "unsubscribes": 1,
            "bounces": 1,
        },
        {
            "sent_at": dt.datetime(2025, 3, 11, 14, 0, tzinfo=UTC),  # 11-03: day first
            "campaign": "Invitation salon",
            "recipients": 2,
            "delivered": 1,
            "unique_opens": 1,
            "unique_clicks": 1,
            "unsubscribes": 0,
            "bounces": 1,
        },
    ]
    assert prepared.details["date_order"] == "dmy (Brevo's DD-MM-YYYY)"


def test_brevo_snake_case_headers_and_missing_columns_give_null_counts():
    data = (
        b"campaign_name;send_date;email_id;delivered_date;open_date\n"
        b"Promo;16-12-2025 10:00:00;a@example.fr;16-12-2025 10:00:02;\n"
        b"Promo;16-12-2025 10:00:00;b@example.fr;16-12-2025 10:00:02;16-12-2025 12:00:00\n"
    )
    prepared = prepare(data, "campaign-[9]-promo.csv")
    assert prepared.importer == "brevo"
    assert rows(prepared) == [
        {
            "sent_at": dt.datetime(2025, 12, 16, 10, 0, tzinfo=UTC),
            "campaign": "Promo",
            "recipients": 2,
            "delivered": 2,
            "unique_opens": 1,
            "unique_clicks": None,
            "unsubscribes": None,
            "bounces": None,
        }
    ]
    assert "bounces" in prepared.details


def test_brevo_bad_date_is_located():
    data = fixture_bytes("brevo_campaign_recipients.csv").replace(
        b"05-03-2025 08:01:00", b"le 5 mars"
    )
    with pytest.raises(Rejected) as caught:
        prepare(data, "brevo.csv")
    assert [(p.code, p.line, p.column, p.value) for p in caught.value.problems] == [
        ("date", 5, "Open Date", "le 5 mars")
    ]


def test_brevo_campaign_list_export():
    data = (
        b"Campaign name;Sent date;Sent;Delivered;Opened;Clicked;Unsubscribed;"
        b"Hard bounces;Soft bounces\n"
        b"Newsletter mars;04-03-2025 09:30;1 200;1 188;530;71;4;7;5\n"
    )
    prepared = prepare(data, "brevo_stats.csv")
    assert prepared.importer == "brevo_campaigns"
    assert rows(prepared) == [
        {
            "sent_at": dt.datetime(2025, 3, 4, 9, 30, tzinfo=UTC),
            "campaign": "Newsletter mars",
            "recipients": 1200,
            "delivered": 1188,
            "unique_opens": 530,
            "unique_clicks": 71,
            "unsubscribes": 4,
            "bounces": 12,
        }
    ]


# the exports of this file and of test_ads_*, test_web_analytics and test_surveys: each one
# must fit its importer and no other, so that detection never depends on a close score
EXPECTED_IMPORTER = {
    "meta_en_daily.csv": "meta_ads",
    "meta_fr.csv": "meta_ads",
    "meta_fr_mojibake.csv": "meta_ads",
    "linkedin_en.csv": "linkedin_ads",
    "linkedin_utf16.csv": "linkedin_ads",
    "ga4_traffic_acquisition.csv": "ga4_report",
    "ga4_two_months.csv": "ga4_report",
    "ga4_bigquery_events.csv": "ga4_bigquery",
    "typeform_nps.csv": "typeform",
    "surveymonkey_nps.csv": "surveymonkey",
    "delighted_responses.csv": "delighted",
    "mailchimp_campaigns.csv": "mailchimp",
    "mailchimp_report.csv": "mailchimp_report",
    "brevo_campaign_recipients.csv": "brevo",
}


@pytest.mark.parametrize("name", sorted(EXPECTED_IMPORTER))
def test_each_export_fits_one_importer_only(name):
    grid = read_grid(fixture_bytes(name), name)
    fits = sorted(n for n, imp in importers().items() if imp.score(grid) > 0)
    assert fits == [EXPECTED_IMPORTER[name]]
