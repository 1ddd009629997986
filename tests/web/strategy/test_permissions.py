"""Strategy pages: members read, owners and managers edit, outsiders get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pilotage.web.strategy.models import PestelFactor

pytestmark = pytest.mark.django_db

PERSONAS = ["owner", "manager", "agency", "viewer", "outsider"]
PAGES = [
    "diagnostic",
    "swot",
    "segments",
    "targeting",
    "positioning",
    "objectives",
    "mix",
    "plan_document",
]
WRITE = {"owner": 302, "manager": 302, "agency": 403, "viewer": 403, "outsider": 404}


@pytest.mark.parametrize("view", PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_every_member_read_and_hides_the_workspace_from_outsiders(
    client, personas, view, persona
):
    client.force_login(getattr(personas, persona))
    response = client.get(reverse(view, args=[personas.workspace.slug]))
    assert response.status_code == (404 if persona == "outsider" else 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_owners_and_managers_write(client, personas, persona):
    client.force_login(getattr(personas, persona))
    data = {
        "form": "pestel",
        "year": 2026,
        "pestel-heading": "legal",
        "pestel-title": "AI Act",
        "pestel-impact": "-1",
        "pestel-likelihood": "4",
        "pestel-horizon": "short",
    }
    response = client.post(reverse("diagnostic", args=[personas.workspace.slug]), data)
    assert response.status_code == WRITE[persona]
    assert PestelFactor.objects.exists() == (WRITE[persona] == 302)


def test_it_hides_the_budget_of_the_plan_from_agency_members(client, personas):
    client.force_login(personas.agency)
    page = client.get(reverse("plan_document", args=[personas.workspace.slug]))
    assert page.context["plan"]["budget"] is None
