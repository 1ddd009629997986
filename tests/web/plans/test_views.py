"""The budget and target pages: the grid and its totals, forms, messages, French."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse

from pilotage.web.plans import services
from pilotage.web.plans.models import Budget, BudgetStatus, KpiTarget

pytestmark = pytest.mark.django_db


def _status(budget: Budget) -> str:
    budget.refresh_from_db()
    return budget.status


def test_it_shows_edit_controls_to_editors_and_owner_only_buttons_to_owners(client, personas, plan):
    url = reverse("budget", args=[personas.workspace.slug])
    version = {"version": plan["draft"].pk}
    pages = {}
    for persona in ("owner", "manager", "viewer"):
        client.force_login(getattr(personas, persona))
        pages[persona] = client.get(url, version).content.decode()
    upload = reverse("budget_upload", args=[personas.workspace.slug, plan["draft"].pk])
    approve = reverse("budget_approve", args=[personas.workspace.slug, plan["draft"].pk])
    assert [upload in pages[p] for p in pages] == [True, True, False]
    assert [approve in pages[p] for p in pages] == [True, False, False]


def test_it_shows_the_grid_with_row_and_column_totals(client, personas, plan):
    plan["approved"].status = "draft"  # planned amounts change only in a draft
    plan["approved"].save()
    services.set_line(plan["approved"], 3, "Trade shows", planned="50000", committed="10000")
    services.set_line(plan["approved"], 3, "Email", planned="1000.40")
    client.force_login(personas.viewer)
    url = reverse("budget", args=[personas.workspace.slug])
    page = client.get(url, {"version": plan["approved"].pk, "measure": "available"})
    table = page.context["table"]
    assert [(channel, total) for channel, _cells, total in table.rows] == [
        ("Email", D("1000.40")),
        ("Trade shows", D(150000 - 152000 + 40000)),
    ]
    assert table.month_totals[0] == -2000 and table.month_totals[2] == D("41000.40")
    assert table.total == D("39000.40")
    html = page.content.decode()
    assert "€39,000" in html and "-€2,000" in html


def test_it_reports_an_approval_the_budgets_state_does_not_allow(client, personas, plan):
    client.force_login(personas.owner)
    url = reverse("budget_approve", args=[personas.workspace.slug, plan["approved"].pk])
    page = client.post(url, follow=True)
    assert "Only a draft can be approved" in page.content.decode()
    assert _status(plan["approved"]) == BudgetStatus.APPROVED


def test_it_shows_a_target_form_error_and_saves_nothing(client, personas, plan):
    client.force_login(personas.manager)
    data = {"metric": "cac", "period_start": "2025-12-31", "period_end": "2025-01-01"}
    data |= {"dimension": "channel", "value": "400"}
    response = client.post(reverse("target_add", args=[personas.workspace.slug]), data)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"period_end", "dimension_value"}
    assert not KpiTarget.objects.filter(metric="cac").exists()


def test_it_refuses_a_duplicate_version_name_on_the_page(client, personas, plan):
    client.force_login(personas.owner)
    url = reverse("budget_create", args=[personas.workspace.slug])
    response = client.post(url, {"year": 2025, "name": "Plan 2025"})
    assert response.status_code == 400
    errors = response.context["create_form"].non_field_errors()
    assert errors == ["This company already has a budget version with this name for this year."]
    assert Budget.objects.filter(name="Plan 2025").count() == 1


def test_it_shows_the_budget_page_in_french(client, personas, plan):
    client.force_login(personas.owner)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    page = client.get(reverse("budget", args=[personas.workspace.slug])).content.decode()
    assert "Prévu" in page and "Disponible" in page and "janv." in page
    assert "150\u202f000\xa0€" in page
    targets = client.get(reverse("targets", args=[personas.workspace.slug])).content.decode()
    assert "Objectifs KPI" in targets and "≥ 40" in targets


def test_it_shows_the_latest_years_baseline_by_default(client, personas, plan):
    services.make_baseline(plan["approved"])
    newer = services.create_budget(personas.workspace, 2026, "Draft 2026")
    client.force_login(personas.viewer)
    url = reverse("budget", args=[personas.workspace.slug])
    assert client.get(url).context["budget"] == newer
    newer.delete()
    assert client.get(url).context["budget"] == plan["approved"]


def test_it_registers_budgets_and_targets_in_the_admin(client, plan, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", password="x-Long-enough-42")
    client.force_login(admin)
    for url in (
        "/admin/plans/budget/",
        f"/admin/plans/budget/{plan['approved'].pk}/change/",
        "/admin/plans/kpitarget/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert (
        "Trade shows"
        in client.get(f"/admin/plans/budget/{plan['approved'].pk}/change/").content.decode()
    )


def test_it_keeps_the_planned_amounts_of_an_approved_budget(personas, plan):
    with pytest.raises(services.BudgetError, match="is approved"):
        services.set_line(plan["approved"], 1, "Trade shows", planned="1")
    services.set_line(plan["approved"], 1, "Trade shows", actual="160000")  # actuals move on
    draft = services.reforecast(plan["approved"])
    assert draft.status == "draft" and draft.name == "Reforecast 2025"
    assert services.budget_totals(draft).total.planned == D("150000")
    services.set_line(draft, 1, "Trade shows", planned="140000")
