"""An action plan around the personas: a partner with the agency persona's account."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pilotage.web.actions.models import Action, Partner, PartnerKind, Status
from pilotage.web.plans.models import Pole
from pilotage.web.strategy.models import Objective


def complete_fields(**overrides) -> dict:
    """Form data answering all seven letters."""
    data = {
        "title": "Stand at Global Industrie",
        "status": "planned",
        "priority": "normal",
        "pole": Pole.ACQUISITION_PERFORMANCE,
        "deliverable": "A 36 m² stand and 2,000 brochures",
        "channel": "Trade shows",
        "market": "France",
        "start": "2026-01-05",
        "end": "2026-03-20",
        "approach": "Agency designs, in-house sales staff the stand",
        "budget": "45000.00",
        "reason": "Win 40 qualified leads in the machining segment",
        "effort": "0.50",
    }
    data.update(overrides)
    return data


@pytest.fixture
def plan(personas):
    """Two actions: one owned by the agency partner, one in-house; an objective."""
    workspace = personas.workspace
    partner = Partner.objects.create(
        workspace=workspace,
        name="Agence Lumière",
        kind=PartnerKind.AGENCY,
        account=personas.agency,
    )
    objective = Objective.objects.create(
        workspace=workspace,
        year=2026,
        title="40 SQL from trade shows",
        metric="leads",
        target_value=Decimal(40),
        deadline=dt.date(2026, 6, 30),
    )
    outsourced = Action.objects.create(
        workspace=workspace,
        title="Trade-show stand",
        status=Status.PLANNED,
        partner=partner,
        pole=Pole.ACQUISITION_PERFORMANCE,
        deliverable="Stand",
        channel="Trade shows",
        start=dt.date(2026, 1, 5),
        end=dt.date(2026, 3, 20),
        approach="Agency",
        budget=Decimal("45000.00"),
        objective=objective,
    )
    in_house = Action.objects.create(
        workspace=workspace,
        title="Newsletter relaunch",
        status=Status.IDEA,
        owner=personas.manager,
        pole=Pole.BRAND_CONTENT,
        channel="Email",
        budget=Decimal("3000.00"),
    )
    return {
        "partner": partner,
        "objective": objective,
        "outsourced": outsourced,
        "in_house": in_house,
    }
