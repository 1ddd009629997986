"""The action plan over the REST API: the documented shape, scoping by persona, QQOQCCP, audit."""

from __future__ import annotations

import pytest

from pilotage.web.actions.models import Action, Status
from pilotage.web.workspaces.models import AuditAction, AuditEvent, Membership
from pilotage.web.workspaces.services import create_token
from tests.web.actions.conftest import complete_fields

pytestmark = pytest.mark.django_db

PERSONAS = ["owner", "manager", "agency", "viewer", "outsider"]
KEYS = [
    "id",
    "title",
    "status",
    "priority",
    "owner",
    "owner_kind",
    "pole",
    "deliverable",
    "channel",
    "market",
    "start",
    "end",
    "approach",
    "budget",
    "objective",
    "reason",
    "project",
    "depends_on",
    "missing_letters",
]


class Api:
    """Requests to the actions endpoints with one persona's token."""

    def __init__(self, client, personas, persona: str):
        _, raw = create_token(getattr(personas, persona), "test")
        self.client, self.slug = client, personas.workspace.slug
        self.headers = {"Authorization": f"Bearer {raw}"}

    def url(self, action_id=None) -> str:
        base = f"/api/w/{self.slug}/actions"
        return base if action_id is None else f"{base}/{action_id}"

    def get(self, action_id=None, **params):
        return self.client.get(self.url(action_id), params, headers=self.headers)

    def post(self, body):
        return self.client.post(
            self.url(), body, content_type="application/json", headers=self.headers
        )

    def patch(self, action_id, body):
        return self.client.patch(
            self.url(action_id), body, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def as_persona(client, personas):
    return lambda persona: Api(client, personas, persona)


def _events(action_id) -> list[tuple[str, dict]]:
    return [
        (e.action, e.changes)
        for e in AuditEvent.objects.filter(
            object_type="actions.action", object_id=str(action_id)
        ).order_by("pk")
    ]


# reading


def test_it_lists_the_actions_in_the_documented_shape(as_persona, plan):
    plan["in_house"].depends_on.add(plan["outsourced"])
    response = as_persona("owner").get()
    assert response.status_code == 200, response.content
    rows = {r["title"]: r for r in response.json()}
    assert set(rows) == {"Trade-show stand", "Newsletter relaunch"}
    assert all(list(r) == KEYS for r in rows.values())
    stand = rows["Trade-show stand"]
    assert stand == {
        "id": plan["outsourced"].pk,
        "title": "Trade-show stand",
        "status": "planned",
        "priority": "normal",
        "owner": "Agence Lumière",
        "owner_kind": "agency",
        "pole": plan["outsourced"].pole,
        "deliverable": "Stand",
        "channel": "Trade shows",
        "market": "",
        "start": "2026-01-05",
        "end": "2026-03-20",
        "approach": "Agency",
        "budget": "45000.00",
        "objective": "40 SQL from trade shows",
        "reason": "",
        "project": None,
        "depends_on": [],
        "missing_letters": [],
    }
    newsletter = rows["Newsletter relaunch"]
    assert newsletter["owner"] == "manager" and newsletter["owner_kind"] == "in_house"
    assert newsletter["start"] is None and newsletter["budget"] == "3000.00"
    assert newsletter["depends_on"] == [plan["outsourced"].pk]
    assert newsletter["missing_letters"] == ["quoi", "quand", "comment", "pourquoi"]


def test_it_filters_the_list_by_status(as_persona, plan):
    response = as_persona("viewer").get(status="idea")
    assert [r["title"] for r in response.json()] == ["Newsletter relaunch"]


def test_it_shows_an_agency_member_only_their_actions_without_budgets(as_persona, plan):
    api = as_persona("agency")
    rows = api.get().json()
    assert [(r["title"], r["budget"]) for r in rows] == [("Trade-show stand", None)]
    assert api.get(plan["outsourced"].pk).json()["budget"] is None
    assert api.get(plan["in_house"].pk).status_code == 404


def test_it_shows_budgets_to_an_agency_member_granted_the_financials(as_persona, personas, plan):
    Membership.objects.filter(user=personas.agency).update(financials_granted=True)
    assert as_persona("agency").get().json()[0]["budget"] == "45000.00"


@pytest.mark.parametrize(
    ("persona", "outsourced", "in_house"),
    [
        ("owner", 200, 200),
        ("manager", 200, 200),
        ("agency", 200, 404),
        ("viewer", 200, 200),
        ("outsider", 404, 404),
    ],
)
def test_it_scopes_reading_one_action_by_persona(as_persona, plan, persona, outsourced, in_house):
    api = as_persona(persona)
    assert api.get(plan["outsourced"].pk).status_code == outsourced
    assert api.get(plan["in_house"].pk).status_code == in_house


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_scopes_the_list_by_persona(as_persona, plan, persona):
    assert as_persona(persona).get().status_code == (404 if persona == "outsider" else 200)


def test_it_answers_404_for_an_action_of_another_workspace(as_persona, personas, plan):
    foreign = Action.objects.create(workspace=personas.other, title="Boutique sale")
    assert as_persona("owner").get(foreign.pk).status_code == 404
    assert as_persona("owner").patch(foreign.pk, {"title": "Mine"}).status_code == 404
    assert Action.objects.get(pk=foreign.pk).title == "Boutique sale"


def test_it_refuses_requests_without_a_token(client, personas, plan):
    assert client.get(f"/api/w/{personas.workspace.slug}/actions").status_code == 401


# creating


@pytest.mark.parametrize(
    ("persona", "status"),
    [("owner", 201), ("manager", 201), ("agency", 403), ("viewer", 403), ("outsider", 404)],
)
def test_it_lets_only_owners_and_managers_create(as_persona, plan, persona, status):
    response = as_persona(persona).post({"title": "Webinar"})
    assert response.status_code == status, response.content
    assert Action.objects.filter(title="Webinar").exists() == (status == 201)


def test_it_creates_a_planned_action_answering_every_letter_and_audits_it(
    as_persona, personas, plan
):
    body = complete_fields(owner="manager", objective_id=plan["objective"].pk)
    body["depends_on"] = [plan["outsourced"].pk]
    del body["effort"]
    response = as_persona("manager").post(body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert list(data) == KEYS
    assert (data["status"], data["owner"], data["budget"]) == ("planned", "manager", "45000.00")
    assert data["missing_letters"] == [] and data["depends_on"] == [plan["outsourced"].pk]
    action = Action.objects.get(pk=data["id"])
    assert action.created_by == personas.manager and action.workspace == personas.workspace
    assert [a for a, _ in _events(action.pk)] == [AuditAction.CREATE]


def test_it_refuses_to_plan_an_action_missing_letters(as_persona, plan):
    response = as_persona("owner").post(
        {"title": "Webinar", "status": "planned", "owner": "manager", "channel": "Events"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["missing_letters"] == ["quoi", "quand", "comment", "combien", "pourquoi"]
    assert body["problems"][0] == {
        "code": "missing_letter",
        "letter": "quoi",
        "field": None,
        "message": "Quoi — what will be delivered? Describe the deliverable.",
    }
    # the company has objectives: a reason written out no longer answers Pourquoi
    assert "Pourquoi — which objective does it serve?" in body["detail"]
    assert not Action.objects.filter(title="Webinar").exists()
    assert not AuditEvent.objects.filter(summary="Webinar").exists()


def test_it_creates_an_idea_with_missing_letters(as_persona, plan):
    response = as_persona("owner").post({"title": "Webinar"})
    assert response.status_code == 201
    assert response.json()["status"] == "idea"
    assert response.json()["missing_letters"] == [
        "qui",
        "quoi",
        "ou",
        "quand",
        "comment",
        "combien",
        "pourquoi",
    ]


def test_it_answers_in_english_whatever_the_browser_language(as_persona, plan):
    api = as_persona("owner")
    api.headers["Accept-Language"] = "fr"
    body = api.post({"title": "Webinar", "status": "planned"}).json()
    assert body["problems"][0]["message"].startswith("Qui — who owns this action?")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"owner": "outsider"}, "owner"),  # a user, but not a member
        ({"partner": "Nobody & Co"}, "partner"),
        ({"depends_on": [999999]}, "depends_on"),
        ({"pole": "astrology"}, "pole"),
        ({"start": "2026-03-01", "end": "2026-02-01"}, "__all__"),
    ],
)
def test_it_refuses_values_naming_the_field(as_persona, plan, body, field):
    response = as_persona("owner").post({"title": "Webinar", **body})
    assert response.status_code == 422, response.content
    assert [p["field"] for p in response.json()["problems"]] == [field]
    assert not Action.objects.filter(title="Webinar").exists()


def test_it_refuses_a_negative_budget_by_schema(as_persona, plan):
    response = as_persona("owner").post({"title": "Webinar", "budget": "-1"})
    assert response.status_code == 422
    assert not Action.objects.filter(title="Webinar").exists()


# changing


def test_it_updates_only_the_fields_given_and_audits_the_change(as_persona, personas, plan):
    action = plan["in_house"]
    response = as_persona("manager").patch(action.pk, {"deliverable": "Monthly newsletter"})
    assert response.status_code == 200, response.content
    assert response.json()["missing_letters"] == ["quand", "comment", "pourquoi"]
    action.refresh_from_db()
    assert (action.deliverable, action.channel, action.budget) == (
        "Monthly newsletter",
        "Email",
        3000,
    )
    [(kind, changes)] = _events(action.pk)
    assert kind == AuditAction.UPDATE
    assert changes == {"deliverable": ["", "Monthly newsletter"]}


def test_it_plans_an_idea_once_every_letter_is_given(as_persona, plan):
    action = plan["in_house"]
    body = {
        "status": "planned",
        "deliverable": "Monthly newsletter",
        "start": "2026-02-01",
        "end": "2026-06-30",
        "approach": "In-house, with the CRM",
        "reason": "Reactivate dormant customers",
    }
    refused = as_persona("owner").patch(action.pk, body)
    assert refused.status_code == 422  # the company has objectives: the reason is not enough
    assert refused.json()["missing_letters"] == ["pourquoi"]
    body["objective_id"] = plan["objective"].pk
    response = as_persona("owner").patch(action.pk, body)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "planned"
    action.refresh_from_db()
    assert action.status == Status.PLANNED
    changes = [c for _, c in _events(action.pk)]
    assert any(c.get("status") == ["idea", "planned"] for c in changes)
    assert any("approach" in c for c in changes)


def test_it_refuses_to_plan_an_incomplete_idea_and_changes_nothing(as_persona, plan):
    action = plan["in_house"]
    response = as_persona("owner").patch(action.pk, {"status": "planned", "market": "France"})
    assert response.status_code == 422
    assert response.json()["missing_letters"] == ["quoi", "quand", "comment", "pourquoi"]
    action.refresh_from_db()
    assert (action.status, action.market) == (Status.IDEA, "")
    assert _events(action.pk) == []


def test_it_refuses_to_remove_a_letter_from_a_planned_action(as_persona, plan):
    action = plan["outsourced"]
    response = as_persona("owner").patch(action.pk, {"partner": None})
    assert response.status_code == 422
    assert response.json()["missing_letters"] == ["qui"]
    action.refresh_from_db()
    assert action.partner is not None


def test_it_refuses_a_move_the_workflow_forbids(as_persona, plan):
    action = plan["outsourced"]
    Action.objects.filter(pk=action.pk).update(status=Status.DONE)
    response = as_persona("owner").patch(action.pk, {"status": "planned"})
    assert response.status_code == 422
    body = response.json()
    assert body["missing_letters"] == []
    assert body["problems"][0]["code"] == "transition"
    assert "cannot go from Done to Planned" in body["problems"][0]["message"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("owner", 200), ("manager", 200), ("agency", 200), ("viewer", 403), ("outsider", 404)],
)
def test_it_scopes_status_changes_by_persona(as_persona, plan, persona, status):
    action = plan["outsourced"]
    response = as_persona(persona).patch(action.pk, {"status": "in_progress"})
    assert response.status_code == status, response.content
    action.refresh_from_db()
    assert action.status == (Status.IN_PROGRESS if status == 200 else Status.PLANNED)


def test_it_lets_the_agency_member_change_only_the_status(as_persona, personas, plan):
    api, action = as_persona("agency"), plan["outsourced"]
    assert api.patch(action.pk, {"title": "Ours now"}).status_code == 403
    assert api.patch(action.pk, {"status": "done", "budget": "1"}).status_code == 403
    response = api.patch(action.pk, {"status": "done"})
    assert response.status_code == 200
    assert response.json()["status"] == "done" and response.json()["budget"] is None
    action.refresh_from_db()
    assert (action.status, action.title, action.budget) == (Status.DONE, "Trade-show stand", 45000)
    [(kind, changes)] = _events(action.pk)
    assert kind == AuditAction.UPDATE and changes == {"status": ["planned", "done"]}
    event = AuditEvent.objects.get(object_type="actions.action", object_id=str(action.pk))
    assert event.actor == personas.agency
    assert api.patch(plan["in_house"].pk, {"status": "cancelled"}).status_code == 404


def test_it_publishes_the_actions_endpoints_in_the_openapi_schema(client, personas):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert set(paths["/api/w/{slug}/actions"]) == {"get", "post"}
    assert set(paths["/api/w/{slug}/actions/{action_id}"]) == {"get", "patch"}
