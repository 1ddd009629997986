"""The workspace's public holidays: owners choose the country and region, the change is
audited, a calendar that does not exist is refused naming the field, and the model's fit and
the retro-planning follow it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from pilotage.web.workspaces.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

EXPECTED = {"owner": 200, "manager": 403, "agency": 403, "viewer": 403, "outsider": 404}


def _url(slug):
    return reverse("holidays_settings", args=[slug])


def _get(client, url, language):
    client.cookies["django_language"] = language
    return client.get(url).content.decode()


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_only_owners_see_and_change_the_calendar(client, personas, persona):
    client.force_login(getattr(personas, persona))
    slug = personas.workspace.slug
    assert client.get(_url(slug)).status_code == EXPECTED[persona]
    response = client.post(_url(slug), {"country": "BE", "region": ""})
    assert response.status_code == (302 if persona == "owner" else EXPECTED[persona])
    personas.workspace.refresh_from_db()
    assert personas.workspace.country == ("BE" if persona == "owner" else "FR")


@time_machine.travel(dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC), tick=False)
def test_a_change_is_audited_and_the_next_holidays_are_listed(client, personas):
    client.force_login(personas.owner)
    slug = personas.workspace.slug
    response = client.post(_url(slug), {"country": "GB", "region": "eng"})
    assert response.status_code == 302 and response["Location"] == _url(slug)
    personas.workspace.refresh_from_db()
    assert (personas.workspace.country, personas.workspace.region) == ("GB", "ENG")
    [event] = AuditEvent.objects.filter(workspace=personas.workspace, action=AuditAction.UPDATE)
    assert event.actor == personas.owner
    assert event.changes == {"country": ["FR", "GB"], "region": ["", "ENG"]}
    page = _get(client, _url(slug), "en")
    assert "United Kingdom" in page
    assert "Monday 28 December 2026" in page  # Boxing Day moved off the Saturday
    assert "Monday 25 May 2026" not in page  # before today
    # saving the same calendar again records nothing
    client.post(_url(slug), {"country": "GB", "region": "ENG"})
    assert AuditEvent.objects.filter(workspace=personas.workspace, action="update").count() == 1


@pytest.mark.parametrize(
    ("data", "field", "named"),
    [
        ({"country": "XX", "region": ""}, "country", "XX"),
        ({"country": "FRA", "region": ""}, "country", "FRA"),  # an alias the calendars know
        ({"country": "CA", "region": "ZZ"}, "region", "QC"),
        ({"country": "", "region": "QC"}, "region", "country"),
    ],
)
def test_a_calendar_that_does_not_exist_is_refused_naming_the_field(
    client, personas, data, field, named
):
    client.force_login(personas.owner)
    client.cookies["django_language"] = "en"
    response = client.post(_url(personas.workspace.slug), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors and named in " ".join(form.errors[field])
    personas.workspace.refresh_from_db()
    assert (personas.workspace.country, personas.workspace.region) == ("FR", "")
    assert not AuditEvent.objects.filter(workspace=personas.workspace, action="update").exists()


def test_no_country_means_no_holidays_and_the_page_says_so_in_french(client, personas):
    client.force_login(personas.owner)
    slug = personas.workspace.slug
    client.post(_url(slug), {"country": "", "region": ""})
    personas.workspace.refresh_from_db()
    assert personas.workspace.country == "" and personas.workspace.public_holidays([2026]) == set()
    page = _get(client, _url(slug), "fr")
    assert "Aucun pays choisi" in page
    model_page = _get(client, reverse("mmm", args=[slug]), "fr")
    assert "Le prochain ajustement ne compte aucun jour férié" in model_page
    assert _url(slug) in model_page


def test_the_model_page_names_the_calendar_and_links_it_for_owners_only(client, personas):
    slug = personas.workspace.slug
    client.force_login(personas.owner)
    page = _get(client, reverse("mmm", args=[slug]), "fr")
    assert "Jours fériés que le prochain ajustement compte : France" in page
    assert _url(slug) in page
    client.force_login(personas.manager)
    page = _get(client, reverse("mmm", args=[slug]), "en")
    assert "Public holidays the next fit counts: France" in page and _url(slug) not in page


def test_a_region_is_taken_whatever_its_case_and_spelt_as_the_calendar_does(client, personas):
    client.force_login(personas.owner)
    slug = personas.workspace.slug
    assert client.post(_url(slug), {"country": "BE", "region": " flemish "}).status_code == 302
    personas.workspace.refresh_from_db()
    assert (personas.workspace.country, personas.workspace.region) == ("BE", "Flemish")
    assert client.post(_url(slug), {"country": "CH", "region": "stadt zurich"}).status_code == 302
    personas.workspace.refresh_from_db()
    assert personas.workspace.region == "Stadt Zurich"  # longer than a code: the field holds it


def test_the_countries_are_two_letter_codes_sorted_by_their_name_in_the_page_language(
    client, personas
):
    client.force_login(personas.owner)
    client.cookies["django_language"] = "fr"
    form = client.get(_url(personas.workspace.slug)).context["form"]
    codes = [code for code, _ in form.fields["country"].choices]
    assert codes[0] == "" and all(len(c) == 2 for c in codes[1:]) and "FRA" not in codes
    names = [label for _, label in form.fields["country"].choices[1:]]
    # États-Unis among the E's, not after Zimbabwe
    assert codes.index("US") < codes.index("FR") and names[-1].startswith("Zimbabwe")
