"""The action form: QQOQCCP blocks leaving the idea status, letter by letter, in EN and FR."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import translation

from pilotage.web.actions.models import Action, Status
from pilotage.web.workspaces.models import AuditEvent
from tests.web.actions.conftest import complete_fields

pytestmark = pytest.mark.django_db

# the form fields that answer each letter, emptied to leave the letter unanswered
UNANSWER = {
    "qui": {"owner": "", "partner": ""},
    "quoi": {"deliverable": ""},
    "ou": {"channel": "", "market": ""},
    "quand": {"end": ""},
    "comment": {"approach": ""},
    "combien": {"budget": ""},
    "pourquoi": {"objective": "", "reason": ""},
}
MESSAGES = {
    "en": {
        "qui": "Qui — who owns this action?",
        "quoi": "Quoi — what",
        "ou": "Où — where",
        "quand": "Quand — when",
        "comment": "Comment — how",
        "combien": "Combien — how much",
        "pourquoi": "Pourquoi — why",
    },
    "fr": {
        "qui": "Qui — qui porte cette action ?",
        "quoi": "Quoi — ",
        "ou": "Où — ",
        "quand": "Quand — ",
        "comment": "Comment — ",
        "combien": "Combien — ",
        "pourquoi": "Pourquoi — ",
    },
}


def _post(client, personas, data, language):
    client.force_login(personas.owner)
    client.cookies["django_language"] = language
    return client.post(reverse("action_new", args=[personas.workspace.slug]), data)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("letter", sorted(UNANSWER))
def test_it_blocks_planning_an_action_that_misses_a_letter(client, personas, letter, language):
    data = complete_fields(**({"owner": personas.manager.pk} | UNANSWER[letter]))
    response = _post(client, personas, data, language)
    assert response.status_code == 200  # the form again, not a redirect
    page = response.content.decode()
    assert MESSAGES[language][letter] in page
    # only that letter is named
    for other, message in MESSAGES[language].items():
        if other != letter:
            assert f"<li>{message}" not in page
    assert not Action.objects.filter(workspace=personas.workspace).exists()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_it_keeps_an_incomplete_action_as_an_idea(client, personas, language):
    data = {"title": "Podcast", "status": "idea", "priority": "normal", "effort": "0.5"}
    response = _post(client, personas, data, language)
    assert response.status_code == 302
    action = Action.objects.get(title="Podcast")
    assert action.status == Status.IDEA
    detail = client.get(response["Location"]).content.decode()
    with translation.override(language):
        expected = "Qui — qui porte" if language == "fr" else "Qui — who owns"
    assert expected in detail


def test_it_plans_a_complete_action_and_records_it(client, personas):
    data = complete_fields(owner=personas.manager.pk)
    response = _post(client, personas, data, "en")
    assert response.status_code == 302
    action = Action.objects.get(workspace=personas.workspace)
    assert action.status == Status.PLANNED and action.owner == personas.manager
    event = AuditEvent.objects.get(object_type="actions.action", action="create")
    assert event.actor == personas.owner and event.object_id == str(action.pk)


def test_it_refuses_a_status_change_that_would_leave_a_letter_unanswered(client, personas, plan):
    client.force_login(personas.owner)
    action = plan["in_house"]  # an idea with no deliverable, dates, approach or reason
    url = reverse("action_status", args=[personas.workspace.slug, action.pk])
    response = client.post(url, {"status": "planned"}, follow=True)
    action.refresh_from_db()
    assert action.status == Status.IDEA
    page = response.content.decode()
    for name in ("Quoi", "Quand", "Comment", "Pourquoi"):
        assert f"{name} — " in page
    assert "Qui — " not in page and "Combien — " not in page


def test_it_refuses_going_back_from_done(client, personas, plan):
    client.force_login(personas.owner)
    action = plan["outsourced"]
    url = reverse("action_status", args=[personas.workspace.slug, action.pk])
    client.post(url, {"status": "done"})
    action.refresh_from_db()
    assert action.status == Status.DONE
    response = client.post(url, {"status": "planned"}, follow=True)
    action.refresh_from_db()
    assert action.status == Status.DONE
    assert "cannot go from Done to Planned" in response.content.decode()


def test_it_records_each_changed_field_in_the_audit_trail(client, personas, plan):
    client.force_login(personas.owner)
    action = plan["outsourced"]
    data = complete_fields(
        title=action.title,
        partner=plan["partner"].pk,
        objective=plan["objective"].pk,
        budget="47000.00",
    )
    url = reverse("action_edit", args=[personas.workspace.slug, action.pk])
    assert client.post(url, data).status_code == 302
    event = AuditEvent.objects.filter(object_type="actions.action", action="update").get()
    assert event.changes["budget"] == ["45000.00", "47000.00"]
    assert "title" not in event.changes


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Link one of the company's objectives."),
        ("fr", "Reliez-la à l'un des objectifs de l'entreprise."),
    ],
)
def test_it_wants_an_objective_once_the_company_has_objectives(
    client, personas, plan, language, message
):
    # plan: the company has an objective now; a reason alone no longer answers Pourquoi
    data = complete_fields(owner=personas.manager.pk)
    response = _post(client, personas, data, language)
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    data["objective"] = plan["objective"].pk
    assert _post(client, personas, data, language).status_code == 302
