"""The REST API: token and session auth, workspace scoping, the same numbers as the runner."""

from __future__ import annotations

import datetime as dt

import pytest

from pilotage.metrics import MetricQuery, WarehouseSource, run
from pilotage.web.workspaces.models import ApiToken
from pilotage.web.workspaces.services import create_token, warehouse

pytestmark = pytest.mark.django_db

BODY = {
    "metrics": ["cac", "romi"],
    "start": "2025-01-01",
    "end": "2025-12-31",
    "dimensions": ["channel"],
}


def _post(client, slug, body, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(f"/api/w/{slug}/kpi", body, content_type="application/json", headers=headers)


def test_it_answers_a_kpi_query_with_the_runners_numbers(client, personas):
    _, raw = create_token(personas.owner, "test")
    response = _post(client, personas.workspace.slug, BODY, raw)
    assert response.status_code == 200, response.content
    data = response.json()
    expected = run(
        MetricQuery(("cac", "romi"), dt.date(2025, 1, 1), dt.date(2025, 12, 31), ("channel",)),
        WarehouseSource(warehouse(), personas.workspace.slug, "EUR"),
    )
    assert data["keys"] == ["channel"]
    assert {r["channel"]: r["cac"] for r in data["rows"]} == pytest.approx(
        {r["channel"]: r["cac"] for r in expected.rows}
    )
    assert data["metrics"]["cac"]["direction"] == "lower_is_better"
    assert ApiToken.objects.get(user=personas.owner).last_used_at is not None


@pytest.mark.parametrize(
    ("persona", "status"),
    [("owner", 200), ("manager", 200), ("viewer", 200), ("agency", 403), ("outsider", 404)],
)
def test_it_scopes_the_kpi_endpoint_by_membership_and_role(client, personas, persona, status):
    _, raw = create_token(getattr(personas, persona), "test")
    assert _post(client, personas.workspace.slug, BODY, raw).status_code == status


def test_it_refuses_requests_without_valid_credentials(client, personas):
    assert _post(client, personas.workspace.slug, BODY).status_code == 401
    assert _post(client, personas.workspace.slug, BODY, "not-a-token").status_code == 401


def test_it_accepts_the_browser_session(client, personas):
    client.force_login(personas.viewer)
    response = client.get("/api/workspaces")
    assert response.status_code == 200
    assert [w["slug"] for w in response.json()] == [personas.workspace.slug]


def test_it_explains_an_impossible_query(client, personas):
    _, raw = create_token(personas.owner, "test")
    body = BODY | {"metrics": ["nps"]}
    response = _post(client, personas.workspace.slug, body, raw)
    assert response.status_code == 422
    assert "nps cannot be split or filtered by channel" in response.json()["detail"]


def test_it_publishes_an_openapi_schema(client, personas):
    schema = client.get("/api/openapi.json").json()
    assert "/api/w/{slug}/kpi" in schema["paths"]
    assert schema["info"]["title"] == "Pilotage API"


def test_it_keeps_only_a_digest_of_the_token(personas):
    token, raw = create_token(personas.owner, "test")
    assert raw not in token.digest and len(token.digest) == 64
