"""The demo: two simulated companies, a demo login per role, loaded idempotently."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from pilotage.simulate import COMPANIES
from pilotage.simulate.config import CompanyConfig
from pilotage.simulate.exports import DEMO_RULES, write_exports
from pilotage.simulate.market import import_id, simulate
from pilotage.web.plans.demo import load_demo_plan
from pilotage.web.strategy.demo import load_demo_strategy
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
    plans_created: list[str] = field(default_factory=list)


def load_demo(seed: int = 42, *, migrate: bool = True) -> DemoResult:
    """Migrate, create the demo companies and users, load their warehouse tables.

    The companies' data goes through the importers, from the export files of their tools (see
    ``_import_company``). Running it again changes nothing: workspaces and users are looked up by
    slug and username, imported files are recognised by their hash, and each year's
    "Plan <year>" budget (with its targets) is created only when missing.
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
        written[workspace.slug] = _import_company(workspace, COMPANIES[workspace.slug], seed)
        if written[workspace.slug]:
            record(
                workspace, None, AuditAction.LOAD, workspace, {"tables": written[workspace.slug]}
            )
    budgets = {w.slug: [str(b) for b in load_demo_plan(w)] for w in workspaces}
    plans = [w.slug for w in workspaces if load_demo_strategy(w)]
    return DemoResult(workspaces, created_users, written, budgets, plans)


def _import_company(workspace: Workspace, config: CompanyConfig, seed: int) -> list[str]:
    """Load a demo company the way a customer loads theirs: its tools' export files (written
    by the simulator under ``PILOTAGE_HOME/demo-exports/<slug>/``) through the importers, with
    the channel rules that map the tools' labels onto the demo's channels. Returns the tables
    that changed. Nothing is read again when the imports of this simulation are all there."""
    from pilotage.web.imports.models import ChannelRule, ImportRecord, ImportStatus
    from pilotage.web.imports.services import run_import

    store = warehouse()
    truth = store.root / config.slug / "_demo" / "ground_truth.json"
    marker = store.root / config.slug / "_demo" / "imported.json"
    batch = import_id(config, seed)
    live = set(
        ImportRecord.objects.filter(workspace=workspace)
        .exclude(status=ImportStatus.UNDONE)
        .values_list("sha256", flat=True)
    )
    if truth.exists() and marker.exists():
        done = json.loads(marker.read_text())
        if done.get("import_id") == batch and set(done.get("files", [])) <= live:
            return []
    market = simulate(config, seed)
    for position, rule in enumerate(DEMO_RULES[config.slug]):
        ChannelRule.objects.get_or_create(workspace=workspace, position=position, **rule)
    folder = Path(settings.PILOTAGE_HOME) / "demo-exports" / config.slug
    if folder.exists():
        shutil.rmtree(folder)
    paths = write_exports(market, folder)
    files = [(p.name, p.read_bytes()) for p in paths]
    # an earlier demo loaded straight into the tables (or by an older simulator) goes first
    for table in market.tables:
        for old in store.batches(config.slug, table):
            if old.startswith(f"demo-{config.slug}-"):
                store.undo(config.slug, table, old)
    records = run_import(workspace, files, None)
    market.write_ground_truth(truth.parent)
    marker.write_text(
        json.dumps({"import_id": batch, "files": sorted(r.sha256 for r in records)}) + "\n"
    )
    changed = {t for r in records if r.status == ImportStatus.COMMITTED for t in r.tables}
    return sorted(changed)


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
