"""The action plan in a real browser, in French: create, see on the Gantt, hand to an agency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pilotage.web.actions.models import Action, Status
from tests.web.conftest import PASSWORD
from tests.web.test_browser import CHROMIUM, browser_personas, page  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM, reason="Debian's chromium is not installed (.ci/run installs it)"
    ),
]


@pytest.fixture
def in_house(browser_personas):  # noqa: F811
    """An action the agency must not see (made before the browser starts)."""
    return Action.objects.create(
        workspace=browser_personas.workspace,
        title="Refonte du site",
        status=Status.IDEA,
        owner=browser_personas.manager,
        channel="SEO/content",
        budget=Decimal("9000.00"),
        start=dt.date(2026, 2, 1),
        end=dt.date(2026, 4, 30),
    )


def _login(browser, live_server, username):
    browser.goto(f"{live_server.url}/accounts/login/")
    browser.fill("#id_username", username)
    browser.fill("#id_password", PASSWORD)
    browser.click("button[type=submit]")
    browser.wait_for_url(f"{live_server.url}/")


def test_an_action_goes_from_the_owner_to_the_agency_and_back(
    in_house,  # first: made before Playwright's loop runs in this thread
    page,  # noqa: F811
    live_server,
    browser_personas,  # noqa: F811
):
    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    base = f"{live_server.url}/w/industrie-demo/actions"
    agency_id = str(browser_personas.agency.pk)
    _login(page, live_server, "owner")
    page.goto(f"{base}/new/")
    assert page.locator("legend", has_text="Pourquoi — quel objectif sert-elle ?").count() == 1
    # first without a budget: the form names the missing letter, in French
    page.fill("#id_title", "Stand au salon Global Industrie")
    page.select_option("#id_status", "planned")
    page.select_option("#id_owner", agency_id)
    page.select_option("#id_pole", "acquisition_performance")
    page.fill("#id_deliverable", "Stand de 48 m² et 3 000 brochures")
    page.select_option("#id_channel", "Trade shows")
    page.fill("#id_market", "France")
    page.fill("#id_start", "2026-01-05")
    page.fill("#id_end", "2026-03-27")
    page.fill("#id_approach", "L'agence conçoit, nos ingénieurs animent")
    page.fill("#id_reason", "Générer 150 leads qualifiés")
    page.click("#action-form button[type=submit]")
    page.wait_for_selector("#letter-combien .errorlist")
    assert "Combien — " in page.locator("#letter-combien").text_content()
    assert page.url.endswith("/actions/new/")  # not saved: the form again (no ORM call here,
    # Playwright's loop runs in this thread: see browser_personas)
    page.fill("#id_budget", "52000")
    page.click("#action-form button[type=submit]")
    page.wait_for_selector("#qqoqccp")
    assert "Planifiée" in page.locator(".pagehead .meta").text_content()

    page.goto(f"{base}/timeline/")
    page.wait_for_selector("#gantt-chart[data-rendered=true]")
    chart = page.locator("#gantt-chart svg").text_content()
    assert "Stand au salon Global Industrie" in chart and "Refonte du site" in chart
    page.context.clear_cookies()

    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    _login(page, live_server, "agency")
    page.goto(f"{base}/")
    rows = page.locator("#actions tbody tr")
    assert rows.count() == 1 and "Stand au salon" in rows.first.text_content()
    assert "52" not in page.locator("#actions").text_content()  # no money for agencies
    page.click("#actions a")
    page.select_option("#id_status", "in_progress")
    page.click("#status-form button[type=submit]")
    page.wait_for_selector(".messages li")
    assert "En cours" in page.locator(".pagehead .meta").text_content()
    page.context.clear_cookies()

    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    _login(page, live_server, "owner")
    page.goto(f"{live_server.url}/w/industrie-demo/audit/")
    audit = page.locator("main").text_content()
    assert "agency" in audit and "Stand au salon Global Industrie" in audit
    assert page.problems == []
