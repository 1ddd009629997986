"""The budget-allocation pages in a real browser: charts drawn, a scenario applied."""

from __future__ import annotations

import pytest

from tests.web.conftest import PASSWORD
from tests.web.test_browser import CHROMIUM, browser_personas, page  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM, reason="Debian's chromium is not installed (.ci/run installs it)"
    ),
]


def test_the_model_page_draws_its_charts_and_a_scenario_becomes_a_draft_budget(
    fitted,  # created before Playwright starts
    page,  # noqa: F811
    live_server,
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/w/industrie-demo/")
    page.click("a >> text=Budget allocation")
    page.wait_for_url("**/w/industrie-demo/mmm/")
    assert page.locator("#roi-table tbody tr").count() == 8
    page.wait_for_selector("#roi-chart[data-rendered=true]")
    assert page.locator("#roi-chart svg .mark-symbol path").count() == 8
    page.wait_for_selector("#curves-chart[data-rendered=true]")
    assert page.locator("#curves-chart svg .mark-line path").count() == 8
    assert page.locator("#curves-chart svg .mark-area path").count() == 8
    page.wait_for_selector("#contributions-chart[data-rendered=true]")  # baseline + 8 channels
    assert page.locator("#contributions-chart svg .mark-area path").count() == 9
    assert page.locator("#contributions-chart svg .mark-line path").count() == 1

    page.click("a >> text=Plan a budget with this model")
    page.wait_for_url("**/mmm/scenarios/")
    page.wait_for_selector("#allocation-chart[data-rendered=true]")
    assert page.locator("#allocation-chart svg .mark-rect path").count() > 16
    page.wait_for_selector("#budget-curve-chart[data-rendered=true]")  # band, line, current
    assert page.locator("#budget-curve-chart svg .mark-area path").count() == 1
    assert page.locator("#budget-curve-chart svg .mark-line path").count() == 1
    assert page.locator("#budget-curve-chart svg .mark-rule.role-mark line").count() == 1
    page.click("#apply-recommended")
    page.wait_for_url("**/budget/?version=*")
    assert "(recommended)" in page.content()

    page.goto(f"{live_server.url}/w/industrie-demo/mmm/")
    page.click("#roi-priors-link")
    page.wait_for_url("**/mmm/expected-returns/")
    page.select_option("#id_channel", "Trade shows")
    page.fill("#id_low", "0.5")
    page.fill("#id_high", "3")
    page.fill("#id_source", "Debriefs of the 2025 fairs")
    page.click("#roi-prior-form button[type=submit]")
    page.wait_for_selector('#roi-priors tr[data-channel="Trade shows"]')
    assert "Debriefs of the 2025 fairs" in page.content()
    assert page.problems == []
