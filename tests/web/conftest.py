"""Personas and demo data for the web tests.

Four personas around the Industrie Demo workspace: its ``owner``, a ``manager`` (teammate), an
``agency`` member, a ``viewer``; and an ``outsider`` who owns another workspace only.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings

from pilotage.simulate import BOUTIQUE, INDUSTRIE
from pilotage.simulate.loader import load_company
from pilotage.warehouse import Warehouse
from pilotage.web.workspaces.models import Role, Workspace
from pilotage.web.workspaces.services import add_member, create_user, create_workspace

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="session")
def demo_warehouse() -> Warehouse:
    """Both demo companies in the test home's warehouse, loaded once per run."""
    warehouse = Warehouse(settings.PILOTAGE_WAREHOUSE_DIR)
    for company in (INDUSTRIE, BOUTIQUE):
        load_company(warehouse, company, seed=42)
    return warehouse


@dataclass
class Personas:
    workspace: Workspace
    other: Workspace
    owner: object
    manager: object
    agency: object
    viewer: object
    outsider: object

    def all(self) -> dict[str, object]:
        return {
            "owner": self.owner,
            "manager": self.manager,
            "agency": self.agency,
            "viewer": self.viewer,
            "outsider": self.outsider,
        }


@pytest.fixture
def personas(db, demo_warehouse) -> Personas:
    users = {
        name: create_user(name, PASSWORD)
        for name in Personas.__annotations__
        if name not in ("workspace", "other")
    }
    workspace = create_workspace(INDUSTRIE.name, slug=INDUSTRIE.slug, owner=users["owner"])
    add_member(workspace, users["manager"], Role.MANAGER)
    add_member(workspace, users["agency"], Role.AGENCY)
    add_member(workspace, users["viewer"], Role.VIEWER)
    other = create_workspace(BOUTIQUE.name, slug=BOUTIQUE.slug, owner=users["outsider"])
    return Personas(workspace=workspace, other=other, **users)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2's deliberate slowness is for production, not for creating test users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language_after_each_test():
    """The test client leaves the last request's language active in the thread (a server
    activates it per request); without this, a test ending on a French page turned the next
    test's command-line messages French."""
    yield
    from django.utils import translation

    translation.deactivate()
