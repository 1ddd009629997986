"""One fit of the Industrie demo model per test run, stored as fit rows by the tests."""

from __future__ import annotations

import pytest
from django.utils import timezone

from pilotage.simulate import INDUSTRIE
from pilotage.web.imports.models import JobStatus
from pilotage.web.mmm import services
from pilotage.web.mmm.models import MmmFit
from pilotage.web.workspaces.models import Workspace


@pytest.fixture(scope="session")
def industrie_fit(demo_warehouse) -> tuple[dict, dict]:
    """(model JSON, results JSON) of the Industrie demo's revenue model (~2 s, once)."""
    # an unsaved workspace as the demo loader creates it (a session fixture has no database)
    workspace = Workspace(slug=INDUSTRIE.slug, locale=INDUSTRIE.locale, currency=INDUSTRIE.currency)
    return services.fit_model(workspace, "revenue", lambda done, step: None)


@pytest.fixture
def fitted(personas, industrie_fit) -> MmmFit:
    """A finished, converged fit of the Industrie Demo workspace."""
    model, results = industrie_fit
    assert results["diagnostics"]["converged"]
    return MmmFit.objects.create(
        workspace=personas.workspace,
        target="revenue",
        status=JobStatus.DONE,
        progress=100,
        step="done",
        created_by=personas.owner,
        finished_at=timezone.now(),
        model=model,
        results=results,
    )
