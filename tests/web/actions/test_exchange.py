"""The plan out: CSV/XLSX export, the iCalendar feed (parsed by icalendar), the brief PDF."""

from __future__ import annotations

import csv
import datetime as dt
import io

import icalendar
import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from pilotage.web.actions import services
from pilotage.web.actions.models import CalendarFeed, Milestone

pytestmark = pytest.mark.django_db


def test_it_exports_the_plan_as_csv_and_xlsx_with_the_same_rows(client, personas, plan):
    client.force_login(personas.owner)
    slug = personas.workspace.slug
    raw = client.get(reverse("actions_export", args=[slug, "csv"])).content
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel opens UTF-8 as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    by_title = {r["title"]: r for r in rows}
    stand = by_title["Trade-show stand"]
    assert stand["owner"] == "Agence Lumière" and stand["owner_kind"] == "agency"
    assert stand["budget"] == "45000.00" and stand["missing_letters"] == ""
    assert by_title["Newsletter relaunch"]["missing_letters"] == "Quoi Quand Comment Pourquoi"
    book = load_workbook(
        io.BytesIO(client.get(reverse("actions_export", args=[slug, "xlsx"])).content)
    )
    sheet = book["Actions"]
    header = [c.value for c in sheet[1]]
    xlsx_rows = [
        dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)
    ]
    assert {r["title"] for r in xlsx_rows} == set(by_title)
    assert next(r for r in xlsx_rows if r["title"] == "Trade-show stand")["budget"] == 45000


def test_it_quotes_cells_a_spreadsheet_would_run_as_formulas(client, personas, plan):
    action = plan["in_house"]
    action.title = '=HYPERLINK("http://evil")'
    action.save()
    client.force_login(personas.owner)
    raw = client.get(reverse("actions_export", args=[personas.workspace.slug, "csv"])).content
    assert "'=HYPERLINK" in raw.decode("utf-8-sig")


def test_it_serves_an_icalendar_feed_that_icalendar_parses(client, personas, plan):
    action = plan["outsourced"]
    services.retro_plan(action, "trade_show", dt.date(2026, 3, 17), personas.owner)
    client.force_login(personas.owner)
    client.get(reverse("action_calendar", args=[personas.workspace.slug]))
    token = CalendarFeed.objects.get(user=personas.owner).token
    client.logout()
    response = client.get(reverse("calendar_feed", args=[token]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert events["Trade-show stand"].decoded("DTSTART") == dt.date(2026, 3, 20)
    milestones = Milestone.objects.filter(action=action)
    assert milestones.count() >= 5
    for m in milestones:
        event = events[f"Trade-show stand · {m.name}"]
        assert event.decoded("DTSTART") == m.due
        assert event.decoded("DTEND") == m.due + dt.timedelta(days=1)
    # the same feed again: the same UIDs (calendar apps update instead of duplicating)
    again = icalendar.Calendar.from_ical(client.get(reverse("calendar_feed", args=[token])).content)
    assert sorted(str(e["UID"]) for e in again.walk("VEVENT")) == sorted(
        str(e["UID"]) for e in calendar.walk("VEVENT")
    )
    assert "Newsletter" not in response.content.decode()  # no end date: no deadline


def test_it_renews_the_calendar_address_and_the_old_one_stops(client, personas, plan):
    client.force_login(personas.owner)
    url = reverse("action_calendar", args=[personas.workspace.slug])
    client.get(url)
    old = CalendarFeed.objects.get(user=personas.owner).token
    client.post(url)
    new = CalendarFeed.objects.get(user=personas.owner).token
    assert new != old
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[new])).status_code == 200


@pytest.mark.parametrize(
    ("language", "heading", "letter"),
    [("en", "Agency brief", "who owns this action?"), ("fr", "Brief agence", "qui porte")],
)
def test_it_writes_the_agency_brief_as_a_pdf(client, personas, plan, language, heading, letter):
    action = plan["outsourced"]
    services.retro_plan(action, "trade_show", dt.date(2026, 3, 17), personas.owner)
    client.force_login(personas.agency)
    client.cookies["django_language"] = language
    response = client.get(reverse("action_brief", args=[personas.workspace.slug, action.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in (
        heading,
        "Trade-show stand",
        "Agence Lumière",
        letter,
        "Pourquoi",
        "40 SQL from trade shows",
        "Industrie Demo",
    ):
        assert expected in text, expected
    assert "45" in text  # its own budget: the agency needs it to deliver
