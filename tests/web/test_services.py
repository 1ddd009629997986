"""Workspace services and models: validation, memberships, roles and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from pilotage.web.workspaces.models import AuditAction, AuditEvent, Membership, Role, Workspace
from pilotage.web.workspaces.services import (
    NotFound,
    add_member,
    create_workspace,
    find_workspace,
    record,
)
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def claire():
    return get_user_model().objects.create_user("claire.martin", password=PASSWORD)


@pytest.fixture
def paul():
    return get_user_model().objects.create_user("paul.durand", password=PASSWORD)


# create_workspace


def test_it_derives_the_slug_from_the_name():
    ws = create_workspace("Acme Industries")
    assert ws.slug == "acme-industries"
    assert Workspace.objects.get(pk=ws.pk).name == "Acme Industries"


def test_it_derives_an_ascii_slug_from_an_accented_name():
    assert create_workspace("Société Générale d'Éclairage").slug == "societe-generale-declairage"


def test_it_derives_a_slug_that_fits_from_a_long_name():
    name = "Compagnie Générale des Établissements Industriels de la Vallée du Rhône"
    ws = create_workspace(name)
    assert ws.name == name
    assert ws.slug.startswith("compagnie-generale-des-etablissements")
    assert len(ws.slug) <= 60


def test_it_upper_cases_the_currency():
    assert create_workspace("Acme", currency="usd").currency == "USD"


@pytest.mark.parametrize("currency", ["EURO", "E1R", "EU"])
def test_it_refuses_a_currency_that_is_not_an_iso_code(currency):
    with pytest.raises(ValidationError) as caught:
        create_workspace("Acme", currency=currency)
    assert "currency" in caught.value.message_dict
    assert not Workspace.objects.exists()
    assert not AuditEvent.objects.exists()


def test_it_refuses_a_fiscal_year_starting_in_month_13():
    with pytest.raises(ValidationError) as caught:
        create_workspace("Acme", fiscal_year_start_month=13)
    assert list(caught.value.message_dict) == ["fiscal_year_start_month"]


def test_it_refuses_a_duplicate_slug():
    create_workspace("Acme Industries")
    with pytest.raises(ValidationError) as caught:
        create_workspace("ACME industries!", slug="acme-industries")
    assert list(caught.value.message_dict) == ["slug"]
    assert Workspace.objects.count() == 1


def test_it_refuses_a_name_that_differs_only_by_punctuation_through_its_derived_slug():
    create_workspace("Acme Industries")
    with pytest.raises(ValidationError) as caught:
        create_workspace("Acme-Industries")
    assert "slug" in caught.value.message_dict


def test_it_records_the_creation_and_the_owner_in_the_audit_trail(claire, paul):
    ws = create_workspace("Acme", owner=claire, actor=paul)
    events = list(AuditEvent.objects.filter(workspace=ws).order_by("id"))
    assert [(e.action, e.object_type, e.actor) for e in events] == [
        (AuditAction.CREATE, "workspaces.workspace", paul),
        (AuditAction.CREATE, "workspaces.membership", paul),
    ]
    assert events[0].object_id == str(ws.pk)
    assert events[0].summary == "Acme"
    assert Membership.objects.get(workspace=ws).user == claire


# add_member


def test_it_adds_a_member_once_when_given_the_same_role_twice(claire):
    ws = create_workspace("Acme")
    first = add_member(ws, claire, Role.MANAGER)
    second = add_member(ws, claire, Role.MANAGER)
    assert first.pk == second.pk
    assert Membership.objects.filter(workspace=ws, user=claire).count() == 1
    assert AuditEvent.objects.filter(object_type="workspaces.membership").count() == 1


def test_it_records_a_role_change_with_the_old_and_new_role(claire, paul):
    ws = create_workspace("Acme")
    membership = add_member(ws, claire, Role.AGENCY)
    add_member(ws, claire, Role.MANAGER, actor=paul)
    membership.refresh_from_db()
    assert membership.role == Role.MANAGER
    change = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert change.changes == {"role": ["agency", "manager"]}
    assert change.actor == paul
    assert change.workspace == ws
    assert change.object_type == "workspaces.membership"
    assert change.object_id == str(membership.pk)


def test_it_refuses_an_unknown_role(claire):
    ws = create_workspace("Acme")
    with pytest.raises(ValidationError):
        add_member(ws, claire, "boss")
    assert not Membership.objects.exists()


# find_workspace


def test_it_finds_a_workspace_by_slug_or_by_name_in_any_case():
    acme = create_workspace("Acme Industries", slug="acme")
    create_workspace("Other Company")
    assert find_workspace("acme") == acme
    assert find_workspace("Acme Industries") == acme
    assert find_workspace("ACME INDUSTRIES") == acme
    assert find_workspace("acme industries") == acme


def test_it_says_which_workspace_it_could_not_find():
    create_workspace("Acme Industries", slug="acme")
    with pytest.raises(NotFound, match="no workspace named 'Acme' "):
        find_workspace("Acme")


# roles


@pytest.mark.parametrize(
    ("role", "sees_financials", "can_edit"),
    [
        (Role.OWNER, True, True),
        (Role.MANAGER, True, True),
        (Role.AGENCY, False, False),
        (Role.VIEWER, True, False),
    ],
)
def test_it_grants_financials_and_editing_per_role(role, sees_financials, can_edit):
    membership = Membership(role=role)
    assert membership.sees_financials is sees_financials
    assert membership.can_edit is can_edit


def test_it_gives_each_persona_the_rights_of_its_role(personas):
    rights = {
        m.user.username: (m.sees_financials, m.can_edit)
        for m in Membership.objects.filter(workspace=personas.workspace).select_related("user")
    }
    assert rights == {
        "owner": (True, True),
        "manager": (True, True),
        "agency": (False, False),
        "viewer": (True, False),
    }


# audit events


def test_it_names_the_object_type_in_the_readers_language(claire):
    ws = create_workspace("Acme", owner=claire)
    by_type = {e.object_type: e for e in AuditEvent.objects.filter(workspace=ws)}
    workspace_event = by_type["workspaces.workspace"]
    membership_event = by_type["workspaces.membership"]
    with translation.override("en"):
        assert workspace_event.object_type_display == "workspace"
        assert membership_event.object_type_display == "membership"
    with translation.override("fr"):
        assert workspace_event.object_type_display == "espace de travail"
        assert membership_event.object_type_display == "appartenance"


def test_it_shows_an_object_type_that_is_not_a_model_as_recorded():
    event = record(None, None, AuditAction.LOAD, {"tables": ["spend"]})
    assert event.object_type == "dict"
    assert event.object_type_display == "dict"
    event.object_type = "nosuchapp.nosuchmodel"
    assert event.object_type_display == "nosuchapp.nosuchmodel"


def test_it_shows_the_audit_trail_newest_first_with_actor_names(client, personas, claire, paul):
    newcomer = get_user_model().objects.create_user("newcomer", password=PASSWORD)
    with time_machine.travel(dt.datetime(2030, 1, 10, 9, 0, tzinfo=dt.UTC), tick=False):
        add_member(personas.workspace, newcomer, Role.AGENCY, actor=claire)
    with time_machine.travel(dt.datetime(2030, 2, 10, 9, 0, tzinfo=dt.UTC), tick=False):
        add_member(personas.workspace, newcomer, Role.MANAGER, actor=paul)
    client.force_login(personas.owner)
    response = client.get(reverse("audit", args=[personas.workspace.slug]))
    assert response.status_code == 200

    events = list(response.context["events"])
    stamps = [e.at for e in events]
    assert stamps == sorted(stamps, reverse=True)
    assert [(e.actor, e.action) for e in events[:2]] == [
        (paul, AuditAction.UPDATE),
        (claire, AuditAction.CREATE),
    ]
    assert all(e.workspace == personas.workspace for e in events)
    assert len(events) == AuditEvent.objects.filter(workspace=personas.workspace).count()

    page = response.content.decode()
    assert page.index("paul.durand") < page.index("claire.martin")
    assert "(role: agency → manager)" in page
    assert "system" in page  # events of the fixture have no actor
    assert personas.other.name not in page
