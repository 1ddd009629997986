"""The action plan in and out of other tools: CSV/XLSX, iCalendar, task-tool imports."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils.translation import ngettext
from openpyxl import Workbook

from pilotage.execution import calendar as ical
from pilotage.execution import qqoqccp
from pilotage.importers.problems import Rejected
from pilotage.web.actions import services
from pilotage.web.actions.brief import answers_text
from pilotage.web.actions.models import Action, Partner, Status
from pilotage.web.workspaces.models import AuditAction, Workspace
from pilotage.web.workspaces.services import record

COLUMNS = (
    "id",
    "title",
    "status",
    "priority",
    "owner",
    "owner_kind",
    "pole",
    "deliverable",
    "channel",
    "market",
    "start",
    "end",
    "approach",
    "budget",
    "objective",
    "reason",
    "project",
    "depends_on",
    "missing_letters",
)
MONEY_COLUMNS = {"budget"}


def _cell(value):
    """Text a spreadsheet would run as a formula (=, +, -, @) is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def plan_rows(actions: list[Action], financial: bool) -> tuple[list[str], list[list]]:
    """One row per action; the budget only for members who see financial figures."""
    columns = [c for c in COLUMNS if financial or c not in MONEY_COLUMNS]
    rows = []
    for a in actions:
        values = {
            "id": a.pk,
            "title": a.title,
            "status": a.status,
            "priority": a.priority,
            "owner": services.owner_name(a),
            "owner_kind": a.owner_kind,
            "pole": a.pole,
            "deliverable": a.deliverable,
            "channel": a.channel,
            "market": a.market,
            "start": a.start.isoformat() if a.start else "",
            "end": a.end.isoformat() if a.end else "",
            "approach": a.approach,
            "budget": a.budget if a.budget is not None else "",
            "objective": a.objective.title if a.objective_id else "",
            "reason": a.reason,
            "project": a.project.name if a.project_id else "",
            "depends_on": " ".join(str(d.pk) for d in a.depends_on.all()),
            "missing_letters": " ".join(letter.name for letter in services.missing(a)),
        }
        rows.append([_cell(values[c]) for c in columns])
    return columns, rows


def plan_csv(actions: list[Action], financial: bool) -> bytes:
    columns, rows = plan_rows(actions, financial)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def plan_xlsx(actions: list[Action], financial: bool) -> bytes:
    columns, rows = plan_rows(actions, financial)
    book = Workbook()
    sheet = book.active
    sheet.title = "Actions"
    sheet.append(columns)
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


# -- iCalendar -----------------------------------------------------------------------------


def calendar_bytes(workspace: Workspace, actions: list[Action], url_of=None) -> bytes:
    """The deadlines and milestones of ``actions`` as an iCalendar feed.

    ``url_of(action)`` gives the absolute address of an action's page, shown in the events.
    """
    entries = []
    for a in actions:
        if a.status == Status.CANCELLED:
            continue
        url = url_of(a) if url_of else None
        if a.end:
            entries.append(
                ical.CalendarEntry(
                    kind="deadline",
                    id=a.pk,
                    title=a.title,
                    day=a.end,
                    description=answers_text(a)["quoi"],
                    url=url,
                    categories=(a.channel,) if a.channel else (),
                )
            )
        for m in a.milestones.all():
            entries.append(
                ical.CalendarEntry(
                    kind="milestone", id=m.pk, title=f"{a.title} · {m.name}", day=m.due, url=url
                )
            )
    return ical.build_calendar(
        entries, workspace_key=workspace.slug, name=f"{workspace.name} · Pilotage"
    )


# -- imports from task tools ---------------------------------------------------------------

TOOL_NAMES = {"asana": "Asana", "trello": "Trello", "monday": "Monday.com", "notion": "Notion"}
_SAFE = re.compile(r"^[0-9a-f]{64}\.(csv|xlsx|tsv|txt)$")


def keep_upload(home: Path, filename: str, content: bytes) -> Path:
    """Store an uploaded export under its content hash until it is imported."""
    suffix = Path(filename).suffix.lower().lstrip(".") or "csv"
    suffix = suffix if suffix in ("csv", "xlsx", "tsv", "txt") else "csv"
    folder = Path(home) / "action-imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(content).hexdigest()}.{suffix}"
    path.write_bytes(content)
    return path


def stored_upload(home: Path, name: str) -> Path:
    if not _SAFE.match(name):
        raise FileNotFoundError(name)
    path = Path(home) / "action-imports" / name
    if not path.is_file():
        raise FileNotFoundError(name)
    return path


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _read(path: Path, filename: str, tool: str | None):
    from pilotage.execution import task_imports  # loads the importers: only when asked

    return task_imports.read_tasks(path.read_bytes(), filename, tool=tool)


def preview(path: Path, filename: str, tool: str | None) -> dict:
    language = services.language()
    try:
        result = _read(path, filename, tool)
    except Rejected as rejected:
        return {"problems": rejected.render(language)}
    return {
        "drafts": result.drafts,
        "warnings": [w.render(language) for w in result.warnings],
        "tool": result.tool,
        "tool_name": TOOL_NAMES.get(result.tool, result.tool),
        "filename": filename,
    }


def _owner(workspace: Workspace, draft):
    """The member or partner the tool's assignee names (by email, then name), if any."""
    users = get_user_model().objects.filter(memberships__workspace=workspace)
    if draft.owner_email:
        user = users.filter(email__iexact=draft.owner_email).first()
        if user:
            return user, None
    name = (draft.owner_name or "").strip()
    if name:
        first, _space, last = name.partition(" ")
        user = users.filter(
            Q(username__iexact=name) | Q(first_name__iexact=first, last_name__iexact=last)
        ).first()
        if user:
            return user, None
        partner = Partner.objects.filter(workspace=workspace, name__iexact=name).first()
        if partner:
            return None, partner
    return None, None


@transaction.atomic
def import_file(
    workspace: Workspace,
    path: Path,
    filename: str,
    tool: str | None,
    actor: AbstractBaseUser,
) -> Outcome:
    """Import every task of the export, or none: one transaction, keyed by the tool's task id.

    A task already imported (same tool and task id) is updated; importing the same file again
    changes nothing. Tasks whose answers do not complete QQOQCCP come in as ideas whatever
    their status in the tool (the warning says how many).
    """
    language = services.language()
    try:
        result = _read(path, filename, tool)
    except Rejected as rejected:
        return Outcome(problems=rejected.render(language))
    outcome = Outcome(warnings=[w.render(language) for w in result.warnings])
    demoted = 0
    by_key: dict[str, Action] = {}
    for draft in result.drafts:
        owner, partner = _owner(workspace, draft)
        existing = Action.objects.filter(workspace=workspace, external_id=draft.external_id).first()
        action = existing or Action(workspace=workspace, external_id=draft.external_id)
        before = services.snapshot(action) if existing else None
        action.title = draft.title[:200]
        action.owner, action.partner = owner, partner
        action.start, action.end = draft.start, draft.end
        if action.start and action.end and action.end < action.start:
            action.start = action.end
        if draft.description and not action.approach:
            action.approach = draft.description
        if draft.budget is not None:
            action.budget = draft.budget.quantize(Decimal("0.01"))
        status = draft.status
        if status != Status.IDEA and qqoqccp.check_transition(
            Status.IDEA, status, services.answers_of(action)
        ):
            status, demoted = Status.IDEA, demoted + 1
        if existing is None or existing.status == Status.IDEA:
            action.status = status
        if existing is not None and services.snapshot(action) == before:
            outcome.unchanged += 1
        else:
            services.save(action, actor, before)
            if existing is None:
                outcome.created += 1
            else:
                outcome.updated += 1
        by_key[draft.external_id] = action
    for draft in result.drafts:
        prerequisites = [by_key[k] for k in draft.depends_on if k in by_key]
        if prerequisites:
            by_key[draft.external_id].depends_on.add(*prerequisites)
    if demoted:
        outcome.warnings.append(
            ngettext(
                "%(n)s task does not yet answer every QQOQCCP letter and came in as an idea.",
                "%(n)s tasks do not yet answer every QQOQCCP letter and came in as ideas.",
                demoted,
            )
            % {"n": demoted}
        )
    record(
        workspace,
        actor,
        AuditAction.LOAD,
        workspace,
        {"action_import": [filename, f"{outcome.created}+{outcome.updated}"]},
    )
    return outcome
