"""Every action-plan page with every persona; agency members see only their actions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pilotage.web.actions.models import Action, CalendarFeed, Status
from pilotage.web.workspaces.models import AuditEvent

pytestmark = pytest.mark.django_db

PERSONAS = ["owner", "manager", "agency", "viewer", "outsider"]
ALL = dict.fromkeys(PERSONAS[:4], 200) | {"outsider": 404}
EDITORS = {"owner": 200, "manager": 200, "agency": 403, "viewer": 403, "outsider": 404}
FINANCIAL = {"owner": 200, "manager": 200, "agency": 403, "viewer": 200, "outsider": 404}
PAGES = {
    "actions": ALL,
    "gantt": ALL,
    "action_calendar": ALL,
    "owner_load": {"owner": 200, "manager": 200, "agency": 403, "viewer": 200, "outsider": 404},
    "action_money": FINANCIAL,
    "projects": FINANCIAL,
    "partners": EDITORS,
    "action_new": EDITORS,
    "action_import": EDITORS,
}


@pytest.mark.parametrize("view", sorted(PAGES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_scopes_the_plan_pages_by_role(client, personas, plan, view, persona):
    client.force_login(getattr(personas, persona))
    response = client.get(reverse(view, args=[personas.workspace.slug]))
    assert response.status_code == PAGES[view][persona]


@pytest.mark.parametrize(
    ("persona", "outsourced", "in_house"),
    [
        ("owner", 200, 200),
        ("viewer", 200, 200),
        ("agency", 200, 404),
        ("outsider", 404, 404),
    ],
)
def test_it_shows_an_agency_member_only_the_actions_assigned_to_them(
    client, personas, plan, persona, outsourced, in_house
):
    client.force_login(getattr(personas, persona))
    slug = personas.workspace.slug
    for action, expected in ((plan["outsourced"], outsourced), (plan["in_house"], in_house)):
        assert client.get(reverse("action", args=[slug, action.pk])).status_code == expected
        brief = client.get(reverse("action_brief", args=[slug, action.pk]))
        assert brief.status_code == expected


def test_it_lists_exports_and_calendars_only_the_agency_members_actions(client, personas, plan):
    client.force_login(personas.agency)
    slug = personas.workspace.slug
    listed = client.get(reverse("actions", args=[slug])).content.decode()
    assert "Trade-show stand" in listed and "Newsletter relaunch" not in listed
    assert "45" not in listed.split('id="actions"')[1]  # no budget column for agencies
    exported = client.get(reverse("actions_export", args=[slug, "csv"])).content.decode()
    assert "Trade-show stand" in exported and "Newsletter" not in exported
    assert "budget" not in exported.splitlines()[0]
    client.get(reverse("action_calendar", args=[slug]))
    token = CalendarFeed.objects.get(user=personas.agency).token
    client.logout()
    feed = client.get(reverse("calendar_feed", args=[token])).content.decode()
    assert "Trade-show stand" in feed and "Newsletter" not in feed


def test_it_lets_the_agency_member_change_the_status_and_the_owner_see_it(client, personas, plan):
    action = plan["outsourced"]
    client.force_login(personas.agency)
    slug = personas.workspace.slug
    client.post(reverse("action_status", args=[slug, action.pk]), {"status": "in_progress"})
    action.refresh_from_db()
    assert action.status == Status.IN_PROGRESS
    event = AuditEvent.objects.get(object_type="actions.action", action="update")
    assert event.actor == personas.agency and event.changes["status"] == [
        "planned",
        "in_progress",
    ]
    # the agency member may not change what they are not assigned, nor edit the action
    other = plan["in_house"]
    response = client.post(reverse("action_status", args=[slug, other.pk]), {"status": "cancelled"})
    assert response.status_code == 404
    assert client.get(reverse("action_edit", args=[slug, action.pk])).status_code == 403
    client.force_login(personas.owner)
    audit = client.get(reverse("audit", args=[slug])).content.decode()
    assert "Trade-show stand" in audit and "agency" in audit


def test_it_refuses_viewers_a_status_change(client, personas, plan):
    client.force_login(personas.viewer)
    action = plan["outsourced"]
    url = reverse("action_status", args=[personas.workspace.slug, action.pk])
    assert client.post(url, {"status": "cancelled"}).status_code == 403
    assert Action.objects.get(pk=action.pk).status == Status.PLANNED


def test_it_answers_404_for_an_unknown_calendar_token(client, personas):
    assert client.get(reverse("calendar_feed", args=["nope"])).status_code == 404


def test_it_stops_the_calendar_feed_of_a_member_who_left(client, personas, plan):
    client.force_login(personas.agency)
    client.get(reverse("action_calendar", args=[personas.workspace.slug]))
    token = CalendarFeed.objects.get(user=personas.agency).token
    personas.agency.memberships.all().delete()
    assert client.get(reverse("calendar_feed", args=[token])).status_code == 404


def test_it_lists_many_actions_with_a_bounded_number_of_queries(
    client, personas, plan, django_assert_max_num_queries
):
    """Whether the company has objectives (what answers Pourquoi) is not asked per action."""
    for i in range(30):
        Action.objects.create(workspace=personas.workspace, title=f"Action {i}", reason="why")
    client.force_login(personas.owner)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("actions", args=[personas.workspace.slug]))
    assert len(page.context["rows"]) == 32
