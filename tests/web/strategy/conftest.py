"""A diagnostic for the Industrie Demo workspace: PESTEL, audit, SWOT, a TOWS option."""

from __future__ import annotations

import pytest

from pilotage.web.strategy.models import AuditItem, PestelFactor, SwotItem, TowsOption

YEAR = 2026


@pytest.fixture
def diagnosis(personas):
    ws = personas.workspace
    factor = PestelFactor.objects.create(
        workspace=ws,
        year=YEAR,
        heading="economic",
        title="Reshoring subsidies",
        impact=2,
        likelihood=4,
        horizon="medium",
    )
    audit = AuditItem.objects.create(
        workspace=ws, year=YEAR, area="skills", title="Application engineers", score=5
    )
    strength = SwotItem.objects.create(workspace=ws, year=YEAR, kind="S", text="Expert engineers")
    strength.audit_sources.add(audit)
    opportunity = SwotItem.objects.create(
        workspace=ws, year=YEAR, kind="O", text="Factories coming back to France"
    )
    opportunity.pestel_sources.add(factor)
    threat = SwotItem.objects.create(workspace=ws, year=YEAR, kind="T", text="Asian low-cost")
    option = TowsOption.objects.create(
        workspace=ws,
        year=YEAR,
        internal=strength,
        external=opportunity,
        text="Offer engineering audits to reshoring plants",
    )
    return {
        "factor": factor,
        "audit": audit,
        "strength": strength,
        "opportunity": opportunity,
        "threat": threat,
        "option": option,
    }
