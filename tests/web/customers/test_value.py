"""The customer value page: predictive LTV against CAC, the at-risk list and its export."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from pilotage.web.customers.views import customer_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def boutique_owner(personas):
    from pilotage.web.workspaces.models import Role
    from pilotage.web.workspaces.services import add_member

    add_member(personas.other, personas.owner, Role.OWNER)
    return personas


@pytest.mark.parametrize(
    ("persona", "status"), [("owner", 200), ("agency", 403), ("outsider", 404)]
)
def test_who_sees_customer_value(client, personas, persona, status):
    client.force_login(getattr(personas, persona))
    assert (
        client.get(reverse("customer_value", args=[personas.workspace.slug])).status_code == status
    )


def test_the_b2c_demo_gets_predictive_ltv_against_cac(client, boutique_owner):
    client.force_login(boutique_owner.owner)
    slug = boutique_owner.other.slug
    page = client.get(reverse("customer_value", args=[slug]))
    assert page.status_code == 200
    found = page.context["value"]
    assert found.problem is None and found.basis == "margin"
    # every customer: LTV = value to date + a non-negative expected future value
    assert all(r["ltv"] >= r["value_to_date"] - 1e-9 for r in found.rows)
    assert found.future_interval[0] <= found.future_total <= found.future_interval[1]
    channels = {g["channel"]: g for g in found.by_channel}
    assert set(channels) >= {"Paid search", "Paid social", "Email", "Affiliates"}
    for g in channels.values():
        assert g["ltv_low"] <= g["ltv"] <= g["ltv_high"]
        if g["cac"]:
            assert g["ratio"] == pytest.approx(g["ltv"] / g["cac"])
    # the predictive value adds what customers will still buy: above the value to date
    assert all(g["ltv"] > g["value_to_date"] for g in channels.values())
    assert 'id="ratio-chart"' in page.content.decode()
    rule = page.context["ratio_chart"]["layer"][1]["data"]["values"][0]
    assert rule["threshold"] == 3.0
    bars = page.context["ratio_chart"]["layer"][0]["data"]["values"]
    assert {b["label"] for b in bars} == {c for c, g in channels.items() if g["cac"]}


def test_the_at_risk_list_is_the_valuable_customers_least_likely_to_buy_again(
    client, boutique_owner
):
    client.force_login(boutique_owner.owner)
    slug = boutique_owner.other.slug
    found = customer_value(boutique_owner.other)
    threshold = sorted(r["value_to_date"] for r in found.rows)[int(0.8 * len(found.rows))]
    assert found.at_risk and all(r["value_to_date"] >= threshold - 1e-6 for r in found.at_risk)
    alive = [r["probability_alive"] for r in found.at_risk]
    assert alive == sorted(alive)
    export = client.get(reverse("customers_at_risk_csv", args=[slug]))
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert [r["customer_id"] for r in rows] == [r["customer_id"] for r in found.at_risk]


def test_orders_the_model_cannot_fit_are_said_not_hidden(client, personas):
    """Industrie's accounts reorder like clockwork: BG/NBD finds no lapse, so no prediction."""
    client.force_login(personas.owner)
    page = client.get(reverse("customer_value", args=[personas.workspace.slug]))
    assert page.status_code == 200
    found = page.context["value"]
    assert found.problem == "no_fit"
    assert found.rows == [] and found.by_channel == []
    assert 'id="no-model"' in page.content.decode()
