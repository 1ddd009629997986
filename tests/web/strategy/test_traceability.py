"""Every objective traces back to the diagnosis; what an objective relies on is protected."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from pilotage.web.actions.models import Action
from pilotage.web.plans.models import KpiTarget
from pilotage.web.strategy.models import Objective, SwotItem, TowsOption
from pilotage.web.workspaces.models import AuditEvent
from tests.web.strategy.conftest import YEAR

pytestmark = pytest.mark.django_db


def _objective(client, personas, diagnosis, **extra):
    data = {
        "year": YEAR,
        "title": "120 SQL from reshoring plants",
        "metric": "leads",
        "target_value": "120",
        "deadline": "2026-12-31",
        "owner": personas.manager.pk,
        "tows_option": diagnosis["option"].pk,
    } | extra
    client.force_login(personas.owner)
    return client.post(reverse("objectives", args=[personas.workspace.slug]), data)


def test_it_turns_an_objective_into_a_kpi_target(client, personas, diagnosis):
    assert _objective(client, personas, diagnosis).status_code == 302
    objective = Objective.objects.get()
    target = objective.kpi_target
    assert (target.metric, target.value) == ("leads", Decimal("120.0000"))
    assert (target.period_start, target.period_end) == (dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    # changing the target value moves the KPI target; no second target is left behind
    _objective(client, personas, diagnosis, edit=objective.pk, target_value="150")
    assert KpiTarget.objects.get().value == Decimal("150.0000")


def test_it_shows_the_chain_from_swot_to_actions(client, personas, diagnosis):
    _objective(client, personas, diagnosis)
    objective = Objective.objects.get()
    Action.objects.create(
        workspace=personas.workspace, title="Reshoring webinar", objective=objective
    )
    page = client.get(reverse("objectives", args=[personas.workspace.slug]), {"year": YEAR})
    body = page.content.decode()
    chain = body[body.index('class="chain"') :]
    order = [
        "Expert engineers",
        "Factories coming back to France",
        "Offer engineering audits to reshoring plants",
        "120 SQL from reshoring plants",
        "Leads = 120",
        "Reshoring webinar",
    ]
    positions = [chain.index(text) for text in order]
    assert positions == sorted(positions)


def test_it_refuses_deleting_a_swot_item_an_objective_relies_on(client, personas, diagnosis):
    _objective(client, personas, diagnosis)
    strength = diagnosis["strength"]
    url = reverse("strategy_delete", args=[personas.workspace.slug, "swot", strength.pk])
    response = client.post(url, follow=True)
    assert SwotItem.objects.filter(pk=strength.pk).exists()
    assert "cannot be deleted" in response.content.decode()
    # the option too: the objective relies on it
    option = diagnosis["option"]
    client.post(reverse("strategy_delete", args=[personas.workspace.slug, "tows", option.pk]))
    assert TowsOption.objects.filter(pk=option.pk).exists()
    # an item nothing relies on goes, and the audit trail says who deleted it
    threat = diagnosis["threat"]
    client.post(reverse("strategy_delete", args=[personas.workspace.slug, "swot", threat.pk]))
    assert not SwotItem.objects.filter(pk=threat.pk).exists()
    event = AuditEvent.objects.get(action="delete", object_type="strategy.swotitem")
    assert event.actor == personas.owner and "Asian low-cost" in event.summary


def test_it_requires_an_objective_to_serve_a_tows_option(client, personas, diagnosis):
    response = _objective(client, personas, diagnosis, tows_option="")
    assert response.status_code == 400
    assert not Objective.objects.exists()


def test_it_lists_the_tows_pairs_without_an_option(client, personas, diagnosis):
    client.force_login(personas.viewer)
    page = client.get(reverse("swot", args=[personas.workspace.slug]), {"year": YEAR})
    quadrants = {q: uncovered for q, _pairs, uncovered in page.context["quadrants"]}
    # S × O has its option; S × T has none; no weakness yet
    assert quadrants == {"SO": 0, "ST": 1, "WO": 0, "WT": 0}


def test_it_keeps_opportunities_out_of_the_internal_audit(client, personas, diagnosis):
    client.force_login(personas.owner)
    response = client.post(
        reverse("swot", args=[personas.workspace.slug]),
        {
            "year": YEAR,
            "form": "swot",
            "swot-kind": "O",
            "swot-text": "New market",
            "swot-audit_sources": [diagnosis["audit"].pk],
        },
    )
    assert response.status_code == 400
    assert "come from PESTEL" in response.content.decode()


def test_it_refuses_deleting_a_segment_an_objective_targets(client, personas, diagnosis):
    from pilotage.web.strategy.models import Segment

    segment = Segment.objects.create(
        workspace=personas.workspace,
        year=YEAR,
        name="Key accounts",
        method="rules",
        targeted=True,
        rationale="Where we win",
    )
    _objective(client, personas, diagnosis, segment=segment.pk)
    url = reverse("strategy_delete", args=[personas.workspace.slug, "segment", segment.pk])
    response = client.post(url, follow=True)
    assert Segment.objects.filter(pk=segment.pk).exists()
    assert "cannot be deleted" in response.content.decode()
    Objective.objects.update(segment=None)
    client.post(url)
    assert not Segment.objects.filter(pk=segment.pk).exists()
