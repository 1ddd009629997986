"""Costs beyond media: entered by editors, read by the fully loaded KPIs of the control layer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pilotage.metrics import MetricQuery, run
from pilotage.web.control.scorecard import source_for
from pilotage.web.plans.models import RecurringCost
from pilotage.web.workspaces.models import AuditEvent

pytestmark = pytest.mark.django_db

STATUS = {"owner": 200, "manager": 200, "agency": 403, "viewer": 200, "outsider": 404}
WRITE = {"owner": 302, "manager": 302, "agency": 403, "viewer": 403, "outsider": 404}
COST = {"kind": "payroll", "label": "Marketing team", "monthly": "31000", "start": "2025-01-01"}


@pytest.mark.parametrize("persona", sorted(STATUS))
def test_it_lets_editors_enter_costs_and_others_read_them(client, personas, persona):
    client.force_login(getattr(personas, persona))
    url = reverse("recurring_costs", args=[personas.workspace.slug])
    assert client.get(url).status_code == STATUS[persona]
    assert client.post(url, COST).status_code == WRITE[persona]
    assert RecurringCost.objects.exists() == (WRITE[persona] == 302)


def test_it_adds_the_payroll_and_sales_cost_to_the_fully_loaded_kpis(client, personas):
    client.force_login(personas.owner)
    url = reverse("recurring_costs", args=[personas.workspace.slug])
    client.post(url, COST)
    client.post(
        url,
        COST | {"kind": "sales", "label": "Sales team", "monthly": "62000", "end": "2025-12-31"},
    )
    assert AuditEvent.objects.filter(object_type="plans.recurringcost").count() == 2
    march = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    metrics = ("marketing_cost", "marketing_cost_fully_loaded", "new_customers", "cac_fully_loaded")
    row = run(MetricQuery(metrics, *march), source_for(personas.workspace)).rows[0]
    assert row["marketing_cost_fully_loaded"] == pytest.approx(row["marketing_cost"] + 31000)
    assert row["cac_fully_loaded"] == pytest.approx(
        (row["marketing_cost"] + 31000 + 62000) / row["new_customers"]
    )
    # the sales cost ended with 2025: January 2026 carries the payroll only
    january = (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    later = run(MetricQuery(metrics, *january), source_for(personas.workspace)).rows[0]
    assert later["cac_fully_loaded"] == pytest.approx(
        (later["marketing_cost"] + 31000) / later["new_customers"]
    )
    bad = client.post(url, COST | {"start": "2025-05-01", "end": "2025-04-01"})
    assert bad.status_code == 400
