"""Every budget and target view with every persona.

Owners and managers edit, viewers read (403 on edits), agencies never see the company's money
(403 everywhere), outsiders get 404. Approving and choosing the baseline is the owner's call.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from pilotage.web.plans import services
from pilotage.web.plans.models import Budget, KpiTarget

pytestmark = pytest.mark.django_db

PERSONAS = ["owner", "manager", "agency", "viewer", "outsider"]
READ = {"owner": 200, "manager": 200, "agency": 403, "viewer": 200, "outsider": 404}
EDIT = {"owner": 302, "manager": 302, "agency": 403, "viewer": 403, "outsider": 404}
OWNER = {"owner": 302, "manager": 403, "agency": 403, "viewer": 403, "outsider": 404}


def _xlsx() -> io.BytesIO:
    wb = Workbook()
    wb.active.title = "Budget"
    wb.active.append(["Month", "Channel", "Planned"])
    wb.active.append(["janvier", "Email", "1 000,00"])
    data = io.BytesIO()
    wb.save(data)
    data.seek(0)
    data.name = "budget.xlsx"
    return data


READ_VIEWS = {
    "budget": lambda plan: [],
    "budget_export": lambda plan: [plan["approved"].pk],
    "targets": lambda plan: [],
}


@pytest.mark.parametrize("view", sorted(READ_VIEWS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_budgets_and_targets_to_roles_that_see_financials(
    client, personas, plan, view, persona
):
    client.force_login(getattr(personas, persona))
    url = reverse(view, args=[personas.workspace.slug, *READ_VIEWS[view](plan)])
    response = client.get(url)
    assert response.status_code == READ[persona]
    shown = {"budget": "Trade shows", "targets": "NPS", "budget_export": "xlsx"}[view]
    if response.status_code == 200:
        assert shown in (
            response.content.decode()
            if view != "budget_export"
            else response["Content-Disposition"]
        )
    else:
        assert "Trade shows" not in response.content.decode()
        assert "150" not in response.content.decode()


def _posts(plan):
    """view → (URL arguments, form data, files, a check that the change happened)."""
    return {
        "budget_create": ([], {"year": 2026, "name": "Plan 2026"}, lambda: _exists(2026)),
        "budget_upload": (
            [plan["draft"].pk],
            {"file": _xlsx()},
            lambda: plan["draft"].lines.filter(channel="Email").exists(),
        ),
        "budget_approve": ([plan["draft"].pk], {}, lambda: _status(plan["draft"]) == "approved"),
        "budget_baseline": (
            [plan["approved"].pk],
            {},
            lambda: _status(plan["approved"]) == "baseline",
        ),
        "target_add": (
            [],
            {
                "metric": "ltv_to_cac",
                "period_start": "2025-01-01",
                "period_end": "2025-12-31",
                "value": "3",
            },
            lambda: KpiTarget.objects.filter(metric="ltv_to_cac").exists(),
        ),
        "target_delete": (
            [plan["target"].pk],
            {},
            lambda: not KpiTarget.objects.filter(pk=plan["target"].pk).exists(),
        ),
    }


def _exists(year: int) -> bool:
    return Budget.objects.filter(year=year).exists()


def _status(budget: Budget) -> str:
    budget.refresh_from_db()
    return budget.status


POST_EXPECTED = {
    "budget_create": EDIT,
    "budget_upload": EDIT,
    "budget_approve": OWNER,
    "budget_baseline": OWNER,
    "target_add": EDIT,
    "target_delete": EDIT,
}


@pytest.mark.parametrize("view", sorted(POST_EXPECTED))
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_the_allowed_roles_change_budgets_and_targets(
    client, personas, plan, view, persona
):
    args, data, changed = _posts(plan)[view]
    client.force_login(getattr(personas, persona))
    response = client.post(reverse(view, args=[personas.workspace.slug, *args]), data)
    assert response.status_code == POST_EXPECTED[view][persona]
    assert changed() == (response.status_code == 302)


@pytest.mark.parametrize("view", sorted(POST_EXPECTED))
def test_it_answers_get_on_a_change_with_405(client, personas, plan, view):
    args = _posts(plan)[view][0]
    client.force_login(personas.owner)
    assert client.get(reverse(view, args=[personas.workspace.slug, *args])).status_code == 405


@pytest.mark.parametrize(
    "view", ["budget_export", "budget_upload", "budget_approve", "budget_baseline"]
)
def test_it_hides_another_workspaces_budget_behind_its_own_slug(client, personas, plan, view):
    """The outsider owns Boutique Demo: Industrie's budget id under Boutique's URL is a 404."""
    theirs = services.create_budget(personas.other, 2025, "Theirs")
    client.force_login(personas.outsider)
    ours = reverse(view, args=[personas.other.slug, plan["approved"].pk])
    method = client.get if view == "budget_export" else client.post
    assert method(ours).status_code == 404
    assert client.get(reverse("budget", args=[personas.other.slug])).status_code == 200
    page = client.get(reverse("budget", args=[personas.other.slug]), {"version": theirs.pk})
    assert "Theirs" in page.content.decode() and "Plan 2025" not in page.content.decode()


def test_it_answers_404_for_a_version_of_another_workspace_in_the_grid(client, personas, plan):
    client.force_login(personas.outsider)
    url = reverse("budget", args=[personas.other.slug])
    assert client.get(url, {"version": plan["approved"].pk}).status_code == 404


def test_it_hides_the_target_of_another_workspace(client, personas, plan):
    client.force_login(personas.outsider)
    url = reverse("target_delete", args=[personas.other.slug, plan["target"].pk])
    assert client.post(url).status_code == 404
    assert KpiTarget.objects.filter(pk=plan["target"].pk).exists()


@pytest.mark.parametrize("persona", PERSONAS[:4])
def test_it_links_the_budget_from_the_home_page_for_roles_that_see_financials(
    client, personas, persona
):
    client.force_login(getattr(personas, persona))
    page = client.get(reverse("home", args=[personas.workspace.slug])).content.decode()
    link = reverse("budget", args=[personas.workspace.slug])
    assert (f'href="{link}"' in page) == (persona != "agency")
