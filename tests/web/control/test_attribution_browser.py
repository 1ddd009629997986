"""The attribution comparison page in a real browser, in English and in French."""

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


@pytest.mark.parametrize(
    ("language", "heading", "influenced"),
    [
        ("en", "Attributed conversions by channel and model", "Influenced pipeline"),
        ("fr", "Conversions attribuées par canal et par modèle", "Pipeline influencé"),
    ],
)
def test_the_comparison_page_draws_every_model(
    page,  # noqa: F811
    live_server,
    language,
    heading,
    influenced,
):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/w/industrie-demo/control/attribution/?period=2025")
    assert page.locator("h2", has_text=heading).count() == 1
    page.wait_for_selector("#attribution-chart[data-rendered=true]")
    assert page.locator("#attribution-chart svg .mark-rect path").count() > 10
    header = page.locator("#attribution-table thead").text_content()
    assert influenced in header and "Markov" in header and "Shapley" in header
    assert page.locator("#attribution-table tbody tr").count() >= 5
    assert page.problems == []
