"""The customer value page in a real browser, in English and in French."""

from __future__ import annotations

import pytest

from pilotage.web.workspaces.models import Role
from pilotage.web.workspaces.services import add_member
from tests.web.conftest import PASSWORD
from tests.web.test_browser import CHROMIUM, page  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM, reason="Debian's chromium is not installed (.ci/run installs it)"
    ),
]


@pytest.fixture
def browser_personas(personas):
    """The owner also owns the B2C demo company (created before Playwright starts)."""
    add_member(personas.other, personas.owner, Role.OWNER)
    return personas


@pytest.mark.parametrize(
    ("language", "heading", "ratio_title"),
    [
        ("en", "Lifetime value by channel against CAC", "Predictive LTV"),
        ("fr", "Valeur vie client par canal face au CAC", "LTV prédictive"),
    ],
)
def test_the_customer_value_page_draws_its_charts(
    page,  # noqa: F811
    live_server,
    language,
    heading,
    ratio_title,
):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/w/boutique-demo/customers/", timeout=60_000)
    assert page.locator("h2", has_text=heading).count() == 1
    for chart in ("ratio-chart", "distribution-chart"):
        page.wait_for_selector(f"#{chart}[data-rendered=true]")
        assert page.locator(f"#{chart} svg .mark-rect path").count() > 5
    assert ratio_title in page.locator("#ratio-chart svg").text_content()
    assert page.locator("#at-risk tbody tr").count() == 50
    assert page.problems == []
