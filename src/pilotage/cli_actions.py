"""``pilotage actions``: the action plan from the command line (list, export, import).

The command runs with the server's rights: it sees every action of the workspace, budgets
included. Django is set up inside the commands, never at import.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pilotage.cli_options import language_option

STATUSES = ("idea", "planned", "in_progress", "done", "cancelled")
TOOLS = ("asana", "trello", "monday", "notion")


def _setup(workspace_ref: str):
    """Django, then the workspace given by name or slug."""
    from pilotage.cli import _django, _workspace

    _django()
    return _workspace(workspace_ref)


def _actions(ws, status: str | None = None) -> list:
    from pilotage.web.actions.models import Action

    actions = Action.objects.filter(workspace=ws).select_related(
        "owner", "partner", "objective", "project"
    )
    if status:
        actions = actions.filter(status=status)
    return list(actions.prefetch_related("depends_on").order_by("start", "title", "pk"))


@click.group()
def actions() -> None:
    """The action plan: list, export and import actions (see docs/actions.md)."""


@actions.command("list")
@click.option("--workspace", "workspace_ref", required=True, help="Workspace name or slug.")
@click.option("--status", type=click.Choice(STATUSES), help="Only the actions in this status.")
@click.option("--json", "as_json", is_flag=True, help="Print the documented JSON shape.")
def actions_list(workspace_ref: str, status: str | None, as_json: bool) -> None:
    """List the workspace's actions with the QQOQCCP letters they still miss.

    JSON: [{"id", "title", "status", "priority", "owner", "owner_kind", "pole",
    "deliverable", "channel", "market", "start", "end", "approach", "budget", "objective",
    "reason", "project", "depends_on": [id…], "missing_letters": ["quoi"…]}] — dates ISO or
    null, budget a decimal as text or null.
    """
    ws = _setup(workspace_ref)
    from pilotage.web.actions.api import action_json

    rows = [action_json(a, financial=True) for a in _actions(ws, status)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(f"No action in {ws.name} yet.")
        return
    click.echo(
        f"{'id':>5}  {'status':<11}  {'title':<36}  {'owner':<20}  {'start':<10}  {'end':<10}"
        f"  {'budget':>12}  missing"
    )
    for row in rows:
        click.echo(
            f"{row['id']:>5}  {row['status']:<11}  {_cut(row['title'], 36):<36}  "
            f"{_cut(row['owner'] or '-', 20):<20}  {row['start'] or '-':<10}  "
            f"{row['end'] or '-':<10}  {row['budget'] or '-':>12}  "
            f"{' '.join(row['missing_letters']) or '-'}"
        )


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@actions.command("export")
@click.option("--workspace", "workspace_ref", required=True, help="Workspace name or slug.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx"]),
    default="csv",
    show_default=True,
    help="The file's format (the same columns as the web app's export).",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file (required for xlsx); CSV goes to standard output without it.",
)
def actions_export(workspace_ref: str, fmt: str, output: str | None) -> None:
    """Export the action plan as CSV or XLSX, budgets included."""
    if fmt == "xlsx" and not output:
        raise click.UsageError("--format xlsx needs --output FILE (a workbook is not text)")
    ws = _setup(workspace_ref)
    from pilotage.web.actions import exchange

    write = exchange.plan_xlsx if fmt == "xlsx" else exchange.plan_csv
    data = write(_actions(ws), True)
    if output:
        Path(output).write_bytes(data)
        click.echo(f"Wrote {output}.", err=True)
        return
    # the byte-order mark is for Excel; a pipe gets plain UTF-8
    click.echo(data.decode("utf-8-sig"), nl=False)


@actions.command("import")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--workspace", "workspace_ref", required=True, help="Workspace name or slug.")
@click.option(
    "--tool", type=click.Choice(TOOLS), help="The tool the export comes from (default: detect)."
)
@click.option(
    "--as",
    "username",
    help="Username recorded in the audit trail (an owner or manager; default: the first owner).",
)
@language_option("Language of the problems and warnings.")
@click.option("--json", "as_json", is_flag=True, help="Print the documented JSON shape.")
def actions_import(
    path: str,
    workspace_ref: str,
    tool: str | None,
    username: str | None,
    language: str,
    as_json: bool,
) -> None:
    """Import an Asana, Trello, Monday.com or Notion CSV export as actions, all or nothing.

    Importing the same file again changes nothing (tasks are matched by the tool's id). A file
    with a problem writes nothing; its problems (file, line, column) go to standard error and
    the command exits with status 1. JSON: {"created", "updated", "unchanged", "warnings": […],
    "problems": […]}.
    """
    ws = _setup(workspace_ref)
    from django.utils import translation

    from pilotage.web.actions import exchange

    actor = _actor(ws, username)
    with translation.override(language):
        outcome = exchange.import_file(ws, Path(path), Path(path).name, tool, actor)
    report = {
        "created": outcome.created,
        "updated": outcome.updated,
        "unchanged": outcome.unchanged,
        "warnings": outcome.warnings,
        "problems": outcome.problems,
    }
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    if outcome.problems:
        if not as_json:
            for problem in outcome.problems:
                click.echo(problem, err=True)
            click.echo(
                "Nothing was imported." if language == "en" else "Rien n'a été importé.", err=True
            )
        sys.exit(1)
    if as_json:
        return
    click.echo(
        f"{Path(path).name}: {outcome.created} created, {outcome.updated} updated, "
        f"{outcome.unchanged} unchanged"
    )
    for warning in outcome.warnings:
        click.echo(f"warning: {warning}", err=True)


def _actor(ws, username: str | None):
    """The member the audit trail names: ``--as``, else the workspace's first owner."""
    from pilotage.web.workspaces.models import EDITOR_ROLES, Membership, Role

    members = Membership.objects.filter(workspace=ws).select_related("user")
    if username is None:
        first = members.filter(role=Role.OWNER).order_by("created_at", "pk").first()
        return first.user if first else None
    found = members.filter(user__username=username, role__in=EDITOR_ROLES).first()
    if found is None:
        raise click.BadParameter(
            f"{username!r} is not an owner or manager of {ws.name}", param_hint="--as"
        )
    return found.user
