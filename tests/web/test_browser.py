"""The real thing in a real browser: Debian's Chromium driven by Playwright.

Playwright never downloads a browser here: it launches the system's ``chromium``.
"""

from __future__ import annotations

import os
import shutil

import pytest

from pilotage.web.workspaces.models import Role
from pilotage.web.workspaces.services import add_member
from tests.web.conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM, reason="Debian's chromium is not installed (.ci/run installs it)"
    ),
]


@pytest.fixture
def browser_personas(personas):
    """The personas, the owner also a viewer of the other company (two to switch between).

    Created before Playwright starts: once its event loop runs in this thread, Django would
    open a second, never-closed database connection for any query made here.
    """
    add_member(personas.other, personas.owner, Role.VIEWER)
    return personas


@pytest.fixture
def page(live_server, browser_personas):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test makes no ORM call
    # while it runs (the data is set up before), so Django's async guard can stand down.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page = context.new_page()
        page.problems = []
        page.on(
            "console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}")
        )
        page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
        page.set_default_timeout(20_000)
        yield page
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _charts_rendered(page, *chart_ids: str) -> None:
    for chart_id in chart_ids:
        page.wait_for_selector(f"#{chart_id}-chart[data-rendered=true]")
        bars = page.locator(f"#{chart_id}-chart svg .mark-rect path").count()
        assert bars > 10, f"{chart_id}: only {bars} bars drawn"


def test_it_logs_in_switches_company_and_language_and_draws_the_charts(page, live_server):
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("article.company").count() == 2

    page.click("article.company a >> text=Industrie Demo")
    page.wait_for_url("**/w/industrie-demo/")
    _charts_rendered(page, "spend", "demand")
    assert page.locator("#demand-chart").locator("text=Leads").count() > 0

    page.select_option("#workspace-switcher", label="Boutique Demo")
    page.wait_for_url("**/w/boutique-demo/")
    _charts_rendered(page, "spend", "demand")
    assert page.locator("h2", has_text="New customers by month").count() == 1

    page.select_option("#language-switcher", "fr")
    page.wait_for_selector("html[lang=fr]")
    _charts_rendered(page, "spend", "demand")
    assert page.locator("h2", has_text="Dépenses par canal").count() == 1
    axis_labels = page.locator("#spend-chart svg").text_content()
    assert "janv." in axis_labels  # months in French on the chart axis

    page.select_option("#period", "2025")  # htmx swaps the panel in place
    page.wait_for_selector("#panel >> text=31 décembre 2025")
    _charts_rendered(page, "spend", "demand")

    assert page.problems == []


def test_it_shows_agency_members_no_spend_chart(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "agency")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/w/industrie-demo/")
    _charts_rendered(page, "demand")
    assert page.locator("#spend-chart").count() == 0
    assert page.problems == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_it_renders_the_control_dashboard_drills_down_and_exports(page, live_server, language):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    for slug in ("industrie-demo", "boutique-demo"):
        page.goto(f"{live_server.url}/w/{slug}/control/?period=2025")
        assert page.locator(f"html[lang={language}]").count() == 1
        assert page.locator(".scorecard .tile").count() >= 5
        page.wait_for_selector("#trend-chart[data-rendered=true]")
        assert page.locator("#trend-chart svg .mark-line path").count() > 0
    title = "Coûts marketing" if language == "fr" else "Marketing cost"
    assert page.locator("#channel-table th", has_text=title).count() == 1

    # the export downloads the same numbers as the table on the page
    cost_on_page = float(
        page.locator(
            "#channel-table tr[data-channel='Paid search'] td[data-metric=marketing_cost]"
        ).get_attribute("data-value")
    )
    with page.expect_download() as download:
        page.click("a.export >> text=CSV")
    import csv

    with open(download.value.path(), encoding="utf-8") as f:
        exported = {row["channel"]: row for row in csv.DictReader(f)}
    assert float(exported["Paid search"]["marketing_cost"]) == pytest.approx(cost_on_page)

    page.click("#channel-table a >> text=Paid search")
    page.wait_for_selector("#drill-spend tbody tr")
    assert page.locator("#drill-spend tbody tr").count() > 10
    assert page.problems == []


def test_it_runs_a_pilot_from_design_to_industrialisation(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/w/industrie-demo/pilots/new/")
    fields = {
        "name": "Webinar format court",
        "we_believe": "30-minute webinars",
        "will": "raise registrations",
        "because": "buyers have little time",
        "channel": "Webinars",
        "objective": "+15% registrations",
        "metric": "registration rate",
        "baseline": "0.04",
        "mde": "0.1",
        "daily_traffic": "1600",
    }
    for name, value in fields.items():
        page.fill(f"#id_{name}", value)
    page.click("#pilot-form button[type=submit]")
    page.wait_for_selector("#power")
    assert "39,455" in page.locator("#power").inner_text()
    page.click("#start")
    page.fill("#id_day", "2026-11-10")
    for field, value in {
        "users_A": "12000",
        "conversions_A": "480",
        "users_B": "12000",
        "conversions_B": "600",
    }.items():
        page.fill(f"#id_{field}", value)
    page.click("#result-form button[type=submit]")
    page.wait_for_selector("#verdict")
    assert "Variant B raises registration rate by 25%" in page.locator("#verdict").inner_text()

    page.select_option("#language-switcher", "fr")
    page.wait_for_selector("html[lang=fr]")
    assert "La variante B augmente registration rate de 25" in page.locator("#verdict").inner_text()

    page.select_option("#id_decision", "industrialise")
    page.fill("#id_rationale", "Gain net sur les inscriptions")
    page.fill("#id_budget_amount", "9000")
    page.fill("#id_budget_month", "12")
    page.click("#decision-form button[type=submit]")
    page.wait_for_selector("#decision")
    assert "Industrialiser" in page.locator("#decision").inner_text()
    page.goto(f"{live_server.url}/w/industrie-demo/budget/")
    grid = page.locator("body").inner_text()
    assert "9 000" in grid.replace("\u202f", " ").replace("\xa0", " ")  # the new planned money
    assert page.problems == []
