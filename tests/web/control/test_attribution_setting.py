"""The workspace's attribution setting: owners choose the model, it is audited, and the control
page's CAC by channel follows it while the blended CAC does not move."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from pilotage.metrics.query import ATTRIBUTIONS
from pilotage.web.workspaces.models import AuditAction, AuditEvent, Workspace
from tests.web.conftest import PASSWORD
from tests.web.test_browser import CHROMIUM, browser_personas, page  # noqa: F401 (fixtures)

EXPECTED = {"owner": 200, "manager": 403, "agency": 403, "viewer": 403, "outsider": 404}


def _settings(slug):
    return reverse("control_settings", args=[slug])


def _channel_cac(client, slug):
    response = client.get(reverse("control", args=[slug]), {"period": "2025"})
    assert response.status_code == 200
    cac = {r["channel"]: r["cac"] for r in response.context["table_rows"]}
    [tile] = [t for t in response.context["tiles"] if t.metric == "cac"]
    return cac, tile.value, response


def test_it_offers_every_model_of_the_metrics_layer():
    choices = [value for value, _ in Workspace._meta.get_field("attribution_model").choices]
    assert tuple(choices) == ATTRIBUTIONS
    assert Workspace._meta.get_field("attribution_model").default == "first_touch"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_it_lets_only_owners_see_and_change_the_setting(client, personas, persona):
    client.force_login(getattr(personas, persona))
    slug = personas.workspace.slug
    assert client.get(_settings(slug)).status_code == EXPECTED[persona]
    response = client.post(_settings(slug), {"attribution_model": "linear"})
    assert response.status_code == (302 if persona == "owner" else EXPECTED[persona])
    personas.workspace.refresh_from_db()
    expected = "linear" if persona == "owner" else "first_touch"
    assert personas.workspace.attribution_model == expected


@pytest.mark.django_db
def test_it_records_the_change_in_the_audit_trail(client, personas):
    client.force_login(personas.owner)
    slug = personas.workspace.slug
    response = client.post(_settings(slug), {"attribution_model": "time_decay"})
    assert response.status_code == 302
    assert response["Location"] == reverse("control", args=[slug])
    event = AuditEvent.objects.filter(workspace=personas.workspace).first()
    assert event.actor == personas.owner
    assert event.action == AuditAction.UPDATE
    assert event.object_type == "workspaces.workspace"
    assert event.changes == {"attribution_model": ["first_touch", "time_decay"]}
    # saving the same model again changes nothing and records nothing
    count = AuditEvent.objects.count()
    client.post(_settings(slug), {"attribution_model": "time_decay"})
    assert AuditEvent.objects.count() == count


@pytest.mark.django_db
def test_it_refuses_an_unknown_model(client, personas):
    client.force_login(personas.owner)
    response = client.post(_settings(personas.workspace.slug), {"attribution_model": "markov"})
    assert response.status_code == 400
    assert response.context["form"].errors["attribution_model"]
    personas.workspace.refresh_from_db()
    assert personas.workspace.attribution_model == "first_touch"


@pytest.mark.django_db
def test_it_changes_cac_by_channel_but_not_the_blended_cac(client, personas):
    client.force_login(personas.owner)
    slug = personas.workspace.slug
    first, blended_first, page_first = _channel_cac(client, slug)
    assert page_first.context["attribution_model"] == "first_touch"
    assert "first touch attribution" in page_first.content.decode()

    client.post(_settings(slug), {"attribution_model": "linear"})
    linear, blended_linear, page_linear = _channel_cac(client, slug)
    assert "linear attribution" in page_linear.content.decode()
    assert blended_linear == blended_first
    changed = [c for c in first if first[c] and linear.get(c) and first[c] != linear[c]]
    assert len(changed) >= 3, (first, linear)
    # Email nurturing gets credit for the journeys it nurtured: a much lower CAC
    assert linear["Email nurturing"] < first["Email nurturing"] / 2


@pytest.mark.django_db
def test_it_exports_the_channel_table_under_the_workspaces_model(client, personas):
    client.force_login(personas.owner)
    slug = personas.workspace.slug
    client.post(_settings(slug), {"attribution_model": "position_based"})
    on_page, _, _ = _channel_cac(client, slug)
    response = client.get(
        reverse("control_export", args=[slug, "channels", "csv"]), {"period": "2025"}
    )
    rows = {r["channel"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    for channel, cac in on_page.items():
        assert (
            (rows[channel]["cac"] == "")
            if cac is None
            else float(rows[channel]["cac"]) == (pytest.approx(cac))
        )


@pytest.mark.django_db
def test_it_names_the_model_on_the_comparison_page(client, personas):
    client.force_login(personas.owner)
    slug = personas.workspace.slug
    client.post(_settings(slug), {"attribution_model": "last_touch"})
    response = client.get(reverse("control_attribution", args=[slug]), {"period": "2025"})
    assert 'id="kpi-attribution" data-model="last_touch"' in response.content.decode()


def test_it_shows_fractional_customers_with_one_decimal():
    from django.utils import translation

    from pilotage.web.control.templatetags.control import kpi_value

    with translation.override("fr"):
        assert kpi_value(56.625, "new_customers", "EUR") == "56,6"
        assert kpi_value(195.00000000001, "new_customers", "EUR") == "195"


# --- in a real browser ------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not CHROMIUM, reason="Debian's chromium is not installed (.ci/run installs it)")
@pytest.mark.parametrize(
    ("language", "first", "linear"),
    [
        ("en", "first touch attribution", "linear attribution"),
        ("fr", "attribution premier contact", "attribution linéaire"),
    ],
)
def test_it_lets_an_owner_switch_the_model_in_a_browser(page, live_server, language, first, linear):  # noqa: F811
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/w/industrie-demo/control/?period=2025")
    assert page.locator(f"html[lang={language}]").count() == 1
    cac_header = page.locator("#channel-table th[data-metric=cac]")
    assert first in cac_header.inner_text()
    cell = "#channel-table tr[data-channel='Email nurturing'] td[data-metric=cac]"
    before = float(page.locator(cell).get_attribute("data-value"))
    blended = page.locator(".tile[data-metric=cac] .value").inner_text()

    page.click("#attribution-model a")
    page.wait_for_url("**/control/settings/")
    page.check("#attribution-settings input[value=linear]")
    page.click("#attribution-settings button[type=submit]")
    page.wait_for_url("**/w/industrie-demo/control/")
    page.goto(f"{live_server.url}/w/industrie-demo/control/?period=2025")
    assert linear in page.locator("#channel-table th[data-metric=cac]").inner_text()
    assert page.locator("#attribution-model").get_attribute("data-model") == "linear"
    after = float(page.locator(cell).get_attribute("data-value"))
    assert after < before / 2
    assert page.locator(".tile[data-metric=cac] .value").inner_text() == blended
    assert page.problems == []
