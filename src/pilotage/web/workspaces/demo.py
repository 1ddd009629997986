"""The demo: two simulated companies, a demo login per role, loaded idempotently."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from pilotage.simulate import COMPANIES
from pilotage.simulate.loader import load_company
from pilotage.web.plans.demo import load_demo_plan
from pilotage.web.workspaces.models import AuditAction, Role, Workspace
from pilotage.web.workspaces.services import add_member, record, warehouse

DEMO_PASSWORD = "pilotage-demo"
# (username, role in each demo company): the owner sees both companies (a fractional CMO).
DEMO_USERS = {
    "demo": {"industrie-demo": Role.OWNER, "boutique-demo": Role.OWNER},
    "demo-manager": {"industrie-demo": Role.MANAGER},
    "demo-agency": {"industrie-demo": Role.AGENCY},
    "demo-viewer": {"industrie-demo": Role.VIEWER, "boutique-demo": Role.VIEWER},
}


@dataclass(frozen=True)
class DemoResult:
    workspaces: list[Workspace]
    created_users: list[str]
    tables_written: dict[str, list[str]]
    budgets_created: dict[str, list[str]] = field(default_factory=dict)


def load_demo(seed: int = 42, *, migrate: bool = True) -> DemoResult:
    """Migrate, create the demo companies and users, load their warehouse tables.

    Running it again changes nothing: workspaces and users are looked up by slug and username,
    each table holds one demo batch that is not rewritten when already complete, and each
    year's "Plan <year>" budget (with its targets) is created only when missing.
    """
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    workspaces, written = [], {}
    with transaction.atomic():
        for config in COMPANIES.values():
            workspace, created = Workspace.objects.get_or_create(
                slug=config.slug,
                defaults={
                    "name": config.name,
                    "currency": config.currency,
                    "locale": config.locale,
                    "fiscal_year_start_month": config.fiscal_year_start_month,
                },
            )
            if created:
                record(workspace, None, AuditAction.CREATE, workspace)
            workspaces.append(workspace)
        created_users = _demo_users({w.slug: w for w in workspaces})
    for workspace in workspaces:
        changed = load_company(warehouse(), COMPANIES[workspace.slug], seed)
        written[workspace.slug] = [table for table, wrote in changed.items() if wrote]
        if written[workspace.slug]:
            record(
                workspace, None, AuditAction.LOAD, workspace, {"tables": written[workspace.slug]}
            )
    budgets = {w.slug: [str(b) for b in load_demo_plan(w)] for w in workspaces}
    return DemoResult(workspaces, created_users, written, budgets)


def _demo_users(by_slug: dict[str, Workspace]) -> list[str]:
    user_model = get_user_model()
    created_users = []
    for username, roles in DEMO_USERS.items():
        user, created = user_model.objects.get_or_create(username=username)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            created_users.append(username)
        for slug, role in roles.items():
            add_member(by_slug[slug], user, role)
    return created_users
