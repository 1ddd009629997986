"""The ``pilotage`` command: help, version, workspaces, users and the idempotent demo."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json

import click
import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model

from pilotage.cli import main
from pilotage.web.workspaces.models import AuditAction, AuditEvent, Membership, Role, Workspace
from pilotage.web.workspaces.services import warehouse
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db

DEMO_LOGINS = ("demo", "demo-manager", "demo-agency", "demo-viewer")


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


COMMANDS = [((), main), *_commands(main)]


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_it_has_the_expected_command_tree():
    names = sorted(" ".join(path) for path, _ in COMMANDS)
    assert names == [
        "",
        "actions",
        "actions export",
        "actions import",
        "actions list",
        "attribution",
        "budget",
        "budget curve",
        "budget optimize",
        "clv",
        "clv fit",
        "demo",
        "experiment",
        "experiment analyze",
        "experiment plan",
        "import",
        "kpi",
        "manage",
        "mmm",
        "mmm fit",
        "serve",
        "token",
        "token create",
        "undo-import",
        "user",
        "user create",
        "workspace",
        "workspace create",
        "workspace list",
    ]


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(p) or "pilotage" for p, _ in COMMANDS]
)
def test_it_prints_help_naming_every_option(path, command):
    result = run(*path, "--help")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: ")
    assert "--help" in result.output
    for param in command.params:
        if isinstance(param, click.Option):
            for opt in (*param.opts, *param.secondary_opts):
                assert opt in result.output, f"{' '.join(path)} --help does not mention {opt}"
    if isinstance(command, click.Group):
        for sub in command.commands:
            assert sub in result.output


def test_it_prints_the_installed_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"pilotage, version {importlib.metadata.version('pilotage')}"


# workspace create


def test_it_creates_a_workspace_with_its_settings_owner_and_audit_events():
    owner = get_user_model().objects.create_user("claire", password=PASSWORD)
    result = run(
        "workspace",
        "create",
        "Acme Industries",
        "--currency",
        "chf",
        "--locale",
        "en",
        "--fiscal-year-start",
        "4",
        "--owner",
        "claire",
    )
    assert result.exit_code == 0, result.output
    assert "Acme Industries (acme-industries)" in result.output
    ws = Workspace.objects.get(slug="acme-industries")
    assert (ws.name, ws.currency, ws.locale, ws.fiscal_year_start_month) == (
        "Acme Industries",
        "CHF",
        "en",
        4,
    )
    assert (ws.country, ws.region) == ("", "")  # English, no country named: no holidays
    membership = Membership.objects.get(workspace=ws)
    assert (membership.user, membership.role) == (owner, Role.OWNER)
    events = {(e.action, e.object_type) for e in AuditEvent.objects.filter(workspace=ws)}
    assert events == {
        (AuditAction.CREATE, "workspaces.workspace"),
        (AuditAction.CREATE, "workspaces.membership"),
    }


def test_it_refuses_an_invalid_currency_naming_the_field():
    result = run("workspace", "create", "Acme", "--currency", "EURO")
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "currency" in result.output
    assert "ISO 4217" in result.output
    assert not Workspace.objects.exists()
    assert not AuditEvent.objects.exists()


def test_it_takes_the_country_and_region_of_the_public_holidays():
    result = run(
        "workspace", "create", "Acme", "--locale", "fr", "--country", "ca", "--region", "qc"
    )
    assert result.exit_code == 0, result.output
    ws = Workspace.objects.get(slug="acme")
    assert (ws.country, ws.region) == ("CA", "QC")
    assert dt.date(2026, 6, 24) in ws.public_holidays([2026])  # la Fête nationale du Québec
    assert run("workspace", "create", "Acme FR").exit_code == 0
    assert Workspace.objects.get(slug="acme-fr").country == "FR"  # French-speaking: France's


@pytest.mark.parametrize(
    ("options", "field", "named"),
    [
        (["--country", "XX"], "country", "XX"),
        (["--country", "CA", "--region", "ZZ"], "region", "QC"),
        (["--country", "", "--region", "QC"], "region", "country"),
    ],
)
def test_it_refuses_a_calendar_it_does_not_know_naming_the_field(options, field, named):
    result = run("workspace", "create", "Acme", *options)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert f"{field}:" in result.output and named in result.output
    assert not Workspace.objects.exists()


def test_it_refuses_an_unknown_owner():
    result = run("workspace", "create", "Acme", "--owner", "nobody")
    assert result.exit_code != 0
    assert "--owner" in result.output
    assert "'nobody'" in result.output
    assert not Workspace.objects.exists()


def test_it_refuses_a_fiscal_year_start_outside_the_calendar():
    result = run("workspace", "create", "Acme", "--fiscal-year-start", "13")
    assert result.exit_code == 2
    assert "--fiscal-year-start" in result.output
    assert not Workspace.objects.exists()


# workspace list


def test_it_lists_workspaces_as_json_with_member_counts(personas):
    result = run("workspace", "list", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows == [
        {
            "name": "Boutique Demo",
            "slug": "boutique-demo",
            "currency": "EUR",
            "locale": "fr",
            "country": "FR",
            "region": "",
            "fiscal_year_start_month": 1,
            "members": 1,
        },
        {
            "name": "Industrie Demo",
            "slug": "industrie-demo",
            "currency": "EUR",
            "locale": "fr",
            "country": "FR",
            "region": "",
            "fiscal_year_start_month": 1,
            "members": 4,
        },
    ]


def test_it_lists_workspaces_as_text(personas):
    result = run("workspace", "list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert lines[0].split()[0] == "boutique-demo" and lines[0].endswith("EUR  1 members")
    assert lines[1].split()[0] == "industrie-demo" and lines[1].endswith("EUR  4 members")
    assert "Industrie Demo" in lines[1]


def test_it_says_how_to_create_a_workspace_when_there_is_none():
    result = run("workspace", "list")
    assert result.exit_code == 0
    assert "pilotage workspace create NAME" in result.output
    assert json.loads(run("workspace", "list", "--json").output) == []


# user create


@pytest.mark.parametrize("ref", ["Industrie Demo", "industrie demo", "industrie-demo"])
def test_it_creates_a_user_in_a_workspace_given_by_name_or_slug(personas, ref):
    result = run(
        "user", "create", "lucie", "--password", PASSWORD, "--workspace", ref, "--role", "agency"
    )
    assert result.exit_code == 0, result.output
    assert "Created user lucie, agency of Industrie Demo." in result.output
    lucie = get_user_model().objects.get(username="lucie")
    assert lucie.check_password(PASSWORD)
    assert not lucie.is_staff
    assert [(m.workspace, m.role) for m in Membership.objects.filter(user=lucie)] == [
        (personas.workspace, Role.AGENCY)
    ]


def test_it_creates_a_superuser_without_a_workspace():
    result = run("user", "create", "root", "--password", PASSWORD, "--superuser")
    assert result.exit_code == 0, result.output
    root = get_user_model().objects.get(username="root")
    assert root.is_staff and root.is_superuser
    assert not Membership.objects.filter(user=root).exists()


def test_it_refuses_an_unknown_workspace_naming_the_option(personas):
    users = get_user_model().objects.count()
    result = run("user", "create", "lucie", "--password", PASSWORD, "--workspace", "Nowhere")
    assert result.exit_code == 2
    assert "--workspace" in result.output
    assert "'Nowhere'" in result.output
    assert get_user_model().objects.count() == users


def test_it_refuses_a_weak_password():
    result = run("user", "create", "lucie", "--password", "123")
    assert result.exit_code == 2
    assert "--password" in result.output
    assert "too short" in result.output
    assert not get_user_model().objects.filter(username="lucie").exists()


def test_it_refuses_a_password_too_similar_to_the_username():
    result = run("user", "create", "jean-dupont-marketing", "--password", "jean-dupont-marketing")
    assert result.exit_code == 2
    assert "too similar to the username" in result.output
    assert not get_user_model().objects.filter(username="jean-dupont-marketing").exists()


def test_it_refuses_a_duplicate_username(personas):
    result = run(
        "user", "create", "manager", "--password", PASSWORD, "--workspace", "boutique-demo"
    )
    assert result.exit_code == 1
    assert "a user named 'manager' already exists" in result.output
    assert not Membership.objects.filter(user=personas.manager, workspace=personas.other).exists()


# demo


def _snapshot() -> dict:
    return {
        "workspaces": Workspace.objects.count(),
        "memberships": Membership.objects.count(),
        "users": get_user_model().objects.count(),
        "audit events": AuditEvent.objects.count(),
        "tables": {
            slug: warehouse().versions(slug) for slug in ("industrie-demo", "boutique-demo")
        },
    }


def test_it_loads_the_demo_once_and_changes_nothing_the_second_time(settings, tmp_path):
    # A fresh warehouse, so that the first run really writes and the second has to skip.
    settings.PILOTAGE_WAREHOUSE_DIR = tmp_path / "warehouse"

    first = run("demo", "--no-serve")
    assert first.exit_code == 0, first.output
    after_first = _snapshot()
    assert after_first["workspaces"] == 2
    assert after_first["users"] == len(DEMO_LOGINS)
    # demo and demo-viewer in both companies, the two others in Industrie only
    assert after_first["memberships"] == 6
    assert all(v is not None for v in after_first["tables"]["industrie-demo"].values())
    assert "already loaded" not in first.output
    assert "Industrie Demo (industrie-demo): wrote deals, email_campaigns, leads" in first.output

    second = run("demo", "--no-serve")
    assert second.exit_code == 0, second.output
    assert _snapshot() == after_first
    assert "Industrie Demo (industrie-demo): already loaded" in second.output
    assert "Boutique Demo (boutique-demo): already loaded" in second.output
    for output in (first.output, second.output):
        assert "password: pilotage-demo" in output
        logins = [line.split()[0] for line in output.splitlines() if line.startswith("  demo")]
        assert logins == list(DEMO_LOGINS)
    user = get_user_model().objects.get(username="demo-agency")
    assert user.check_password("pilotage-demo")
    assert Membership.objects.get(user=user).role == Role.AGENCY


def test_it_lists_the_kpis_with_their_formulas():
    result = run("kpi", "--metric", "list")
    assert result.exit_code == 0, result.output
    assert "cac" in result.output and "Marketing cost / new customers" in result.output


def test_it_computes_kpis_for_a_workspace_named_by_name(personas):
    result = run(
        "kpi",
        "--workspace",
        "Industrie Demo",
        "--metric",
        "cac,new_customers",
        "--by",
        "channel",
        "--from",
        "2025-01",
        "--to",
        "2025-12",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["query"]["start"] == "2025-01-01" and data["query"]["end"] == "2025-12-31"
    by_channel = {r["channel"]: r for r in data["rows"]}
    paid = by_channel["Paid search"]
    assert paid["cac"] == pytest.approx(
        _spend("industrie-demo", "Paid search", 2025) / paid["new_customers"]
    )


def _spend(slug, channel, year):
    import pyarrow.compute as pc

    from pilotage.web.workspaces.services import warehouse

    spend = warehouse().read(slug, "spend")
    mask = pc.and_(pc.equal(spend["channel"], channel), pc.equal(pc.year(spend["date"]), year))
    return pc.sum(spend.filter(mask)["cost"]).as_py()


def test_it_explains_why_a_kpi_query_cannot_be_answered(personas):
    result = run(
        "kpi",
        "--workspace",
        "industrie-demo",
        "--metric",
        "nps",
        "--by",
        "channel",
        "--from",
        "2025-01",
        "--to",
        "2025-12",
    )
    assert result.exit_code == 2
    assert "nps cannot be split or filtered by channel" in result.output
    result = run(
        "kpi",
        "--workspace",
        "industrie-demo",
        "--metric",
        "cac",
        "--from",
        "2025-13",
        "--to",
        "2025-12",
    )
    assert result.exit_code == 2 and "expected YYYY-MM or YYYY-MM-DD" in result.output


def test_it_creates_an_api_token_shown_once(personas):
    from pilotage.web.workspaces.models import ApiToken

    result = run("token", "create", "owner", "--name", "notebook")
    assert result.exit_code == 0, result.output
    raw = result.output.strip()
    token = ApiToken.objects.get(user=personas.owner)
    assert token.name == "notebook" and raw not in token.digest and len(raw) > 30
