"""Every view with every persona: members see what their role allows, outsiders get 404."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# view name → expected status per persona
WORKSPACE_VIEWS = {
    "home": {"owner": 200, "manager": 200, "agency": 200, "viewer": 200, "outsider": 404},
    "panel": {"owner": 200, "manager": 200, "agency": 200, "viewer": 200, "outsider": 404},
    "audit": {"owner": 200, "manager": 200, "agency": 403, "viewer": 403, "outsider": 404},
}
PERSONAS = ["owner", "manager", "agency", "viewer", "outsider"]


@pytest.mark.parametrize("view", sorted(WORKSPACE_VIEWS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_scopes_workspace_views_by_membership_and_role(client, personas, view, persona):
    client.force_login(getattr(personas, persona))
    response = client.get(reverse(view, args=[personas.workspace.slug]))
    assert response.status_code == WORKSPACE_VIEWS[view][persona]


@pytest.mark.parametrize("view", sorted(WORKSPACE_VIEWS))
def test_it_answers_404_for_a_workspace_that_does_not_exist(client, personas, view):
    client.force_login(personas.owner)
    assert client.get(reverse(view, args=["no-such-company"])).status_code == 404


@pytest.mark.parametrize("view", sorted(WORKSPACE_VIEWS))
def test_it_sends_anonymous_visitors_to_the_login_page(client, personas, view):
    url = reverse(view, args=[personas.workspace.slug])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lists_only_the_personas_own_workspaces_in_the_portfolio(client, personas, persona):
    client.force_login(getattr(personas, persona))
    response = client.get(reverse("portfolio"))
    assert response.status_code == 200
    shown = {card.membership.workspace.slug for card in response.context["cards"]}
    expected = {personas.other.slug} if persona == "outsider" else {personas.workspace.slug}
    assert shown == expected
    hidden = personas.workspace if persona == "outsider" else personas.other
    assert hidden.name not in response.content.decode()


def test_it_hides_financial_figures_from_agency_members(client, personas):
    client.force_login(personas.agency)
    page = client.get(reverse("home", args=[personas.workspace.slug]))
    assert [c["id"] for c in page.context["charts"]] == ["demand"]
    portfolio = client.get(reverse("portfolio")).content.decode()
    assert "Marketing spend" not in portfolio and "Revenue" not in portfolio


@pytest.mark.parametrize("persona", ["owner", "manager", "viewer"])
def test_it_shows_spend_to_roles_that_see_financials(client, personas, persona):
    client.force_login(getattr(personas, persona))
    page = client.get(reverse("home", args=[personas.workspace.slug]))
    assert [c["id"] for c in page.context["charts"]] == ["spend", "demand"]


def test_it_keeps_the_admin_for_staff_only(client, personas):
    client.force_login(personas.owner)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
