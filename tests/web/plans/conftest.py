"""A workspace with a draft budget; budgets and a target in the personas' workspace."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from pilotage.web.plans import services
from pilotage.web.plans.models import Budget
from pilotage.web.plans.services import create_budget
from pilotage.web.workspaces.models import Workspace
from pilotage.web.workspaces.services import create_workspace
from tests.web.conftest import PASSWORD


@pytest.fixture
def claire():
    return get_user_model().objects.create_user("claire.martin", password=PASSWORD)


@pytest.fixture
def acme(db) -> Workspace:
    return create_workspace("Acme")


@pytest.fixture
def budget(acme) -> Budget:
    return create_budget(acme, 2025, "Plan 2025")


@pytest.fixture
def plan(personas):
    """An approved budget with one line, a draft, and a target, in Industrie Demo."""
    approved = services.create_budget(personas.workspace, 2025, "Plan 2025")
    services.set_line(approved, 1, "Trade shows", planned="150000", actual="152000")
    services.approve(approved)
    draft = services.create_budget(personas.workspace, 2025, "Reforecast")
    target, _ = services.set_target(
        personas.workspace, "nps", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "40"
    )
    return {"approved": approved, "draft": draft, "target": target}
