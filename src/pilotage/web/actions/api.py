"""The action plan over the REST API: list, read, create and change actions.

Scoped as the rest of the API (``pilotage.web.api``): a non-member gets 404; owners and
managers create and edit; viewers read; an agency member reads the actions assigned to them
(others are 404) and may change only their status. The budget is null for members who do not
see financial figures. Every change goes through ``services.save`` / ``services.change_status``
and so into the audit trail. Messages are in English: this is an API for programs.

``action_json`` is the documented shape, shared with ``pilotage actions list --json``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import translation
from ninja import Field, Router, Schema
from ninja import Status as Reply
from ninja.errors import HttpError

from pilotage.execution import qqoqccp
from pilotage.web.actions import services
from pilotage.web.actions.models import Action, Partner, Project, Status
from pilotage.web.strategy.models import Objective
from pilotage.web.workspaces.models import Membership, Role

router = Router(tags=["actions"])

StatusCode = Literal["idea", "planned", "in_progress", "done", "cancelled"]
TEXT_FIELDS = ("title", "pole", "deliverable", "channel", "market", "approach", "reason")


def action_json(action: Action, financial: bool) -> dict[str, Any]:
    """One action in the documented JSON shape (the budget only for ``financial`` readers)."""
    return {
        "id": action.pk,
        "title": action.title,
        "status": action.status,
        "priority": action.priority,
        "owner": services.owner_name(action) or None,
        "owner_kind": action.owner_kind,
        "pole": action.pole,
        "deliverable": action.deliverable,
        "channel": action.channel,
        "market": action.market,
        "start": action.start.isoformat() if action.start else None,
        "end": action.end.isoformat() if action.end else None,
        "approach": action.approach,
        "budget": str(action.budget) if financial and action.budget is not None else None,
        "objective": action.objective.title if action.objective_id else None,
        "reason": action.reason,
        "project": action.project.name if action.project_id else None,
        "depends_on": sorted(d.pk for d in action.depends_on.all()),
        "missing_letters": [letter.code for letter in services.missing(action)],
    }


class ActionOut(Schema):
    id: int
    title: str
    status: str
    priority: str
    owner: str | None
    owner_kind: str
    pole: str
    deliverable: str
    channel: str
    market: str
    start: dt.date | None
    end: dt.date | None
    approach: str
    budget: str | None = Field(description="A decimal in the workspace's currency, as text.")
    objective: str | None
    reason: str
    project: str | None
    depends_on: list[int]
    missing_letters: list[str] = Field(description="QQOQCCP letter codes: qui, quoi, ou, …")


class ActionPatch(Schema):
    """The fields to change; those left out keep their value, null clears one."""

    title: str | None = Field(None, min_length=1, max_length=200)
    status: StatusCode | None = None
    priority: Literal["high", "normal", "low"] | None = None
    owner: str | None = Field(None, description="Username of a member of the workspace.")
    partner: str | None = Field(None, description="Name of an agency or freelancer.")
    pole: str | None = None
    deliverable: str | None = None
    channel: str | None = None
    market: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    approach: str | None = None
    budget: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    objective_id: int | None = None
    reason: str | None = None
    project_id: int | None = None
    depends_on: list[int] | None = Field(None, description="Ids of prerequisite actions.")


class ActionIn(ActionPatch):
    title: str = Field(min_length=1, max_length=200)  # type: ignore[assignment]
    status: StatusCode = "idea"  # type: ignore[assignment]
    priority: Literal["high", "normal", "low"] = "normal"  # type: ignore[assignment]


class ProblemOut(Schema):
    code: str = Field(description="missing_letter, transition or invalid.")
    letter: str | None = None
    field: str | None = None
    message: str


class RefusalOut(Schema):
    detail: str
    missing_letters: list[str]
    problems: list[ProblemOut]


class Refused(Exception):
    def __init__(self, problems: list[dict[str, Any]]) -> None:
        self.problems = problems

    def body(self) -> dict[str, Any]:
        letters = [p["letter"] for p in self.problems if p.get("letter")]
        detail = "The action was not saved: " + " ".join(p["message"] for p in self.problems)
        return {"detail": detail, "missing_letters": letters, "problems": self.problems}


def _membership(request: HttpRequest, slug: str) -> Membership:
    found = (
        Membership.objects.select_related("workspace", "user")
        .filter(user=request.auth, workspace__slug=slug)
        .first()
    )
    if found is None:
        raise Http404("No such workspace")
    return found


def _action(membership: Membership, action_id: int) -> Action:
    found = services.visible_to(membership).prefetch_related("depends_on").filter(pk=action_id)
    if not found:
        raise Http404("No such action")
    return found[0]


def _invalid(field: str, message: str) -> dict[str, Any]:
    return {"code": "invalid", "letter": None, "field": field, "message": message}


def _related(action: Action, data: dict[str, Any]) -> list[Action] | None:
    """Set the fields that name other rows; ``Refused`` when one is not in the workspace."""
    ws, problems = action.workspace, []
    lookups = {
        "owner": (get_user_model().objects.filter(memberships__workspace=ws), "username"),
        "partner": (Partner.objects.filter(workspace=ws), "name"),
        "objective_id": (Objective.objects.filter(workspace=ws), "pk"),
        "project_id": (Project.objects.filter(workspace=ws), "pk"),
    }
    for name, (rows, key) in lookups.items():
        if name in data:
            value = data[name]
            found = rows.filter(**{key: value}).first() if value not in (None, "") else None
            if value not in (None, "") and found is None:
                problems.append(_invalid(name, f"Nothing in this workspace matches {value!r}."))
            setattr(action, name.removesuffix("_id"), found)
    prerequisites = None
    if data.get("depends_on") is not None:
        ids = set(data["depends_on"])
        prerequisites = list(
            Action.objects.filter(workspace=ws, pk__in=ids).exclude(pk=action.pk or 0)
        )
        if len(prerequisites) != len(ids):
            unknown = sorted(ids - {a.pk for a in prerequisites})
            problems.append(
                _invalid("depends_on", f"No other action of this workspace has the ids {unknown}.")
            )
    if problems:
        raise Refused(problems)
    return prerequisites


def _apply(action: Action, data: dict[str, Any], actor: Any) -> Action:
    """Change ``action`` as ``data`` says and save it, or raise ``Refused`` (nothing saved)."""
    before = services.snapshot(action) if action.pk else None
    was = action.status if action.pk else Status.IDEA
    target = data.get("status") or action.status
    prerequisites = _related(action, data)
    for name in ("priority", "start", "end", "budget", *TEXT_FIELDS):
        if name in data and (name != "title" or data[name] is not None):
            value = data[name]
            setattr(action, name, "" if value is None and name in TEXT_FIELDS else value)
    problems = qqoqccp.check_transition(was, target, services.answers_of(action))
    if problems:
        with translation.override("en"):
            messages = [services.problem_message(p, action.workspace) for p in problems]
        raise Refused(
            [
                {"code": p.code, "letter": p.letter, "field": None, "message": message}
                for p, message in zip(problems, messages, strict=True)
            ]
        )
    try:
        with transaction.atomic(), translation.override("en"):
            if action.pk is None:
                action.status = target
                services.save(action, actor)
            elif services.snapshot(action) != before:
                services.save(action, actor, before)
            if action.status != target:
                services.change_status(action, target, actor)
            if prerequisites is not None:
                action.depends_on.set(prerequisites)
    except ValidationError as exc:
        by_field = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        raise Refused(
            [_invalid(field or "status", " ".join(msgs)) for field, msgs in by_field.items()]
        ) from exc
    return action


@router.get("/w/{slug}/actions", response=list[ActionOut])
def action_list(
    request: HttpRequest, slug: str, status: StatusCode | None = None
) -> list[dict[str, Any]]:
    """The actions the member sees (an agency member: those assigned to them)."""
    membership = _membership(request, slug)
    actions = services.visible_to(membership).prefetch_related("depends_on")
    if status:
        actions = actions.filter(status=status)
    return [action_json(a, membership.sees_financials) for a in actions]


@router.get("/w/{slug}/actions/{action_id}", response=ActionOut)
def action_detail(request: HttpRequest, slug: str, action_id: int) -> dict[str, Any]:
    membership = _membership(request, slug)
    return action_json(_action(membership, action_id), membership.sees_financials)


@router.post("/w/{slug}/actions", response={201: ActionOut, 422: RefusalOut})
def action_create(request: HttpRequest, slug: str, body: ActionIn) -> Reply:
    """Create an action (owners and managers). Leaving *idea* needs the seven QQOQCCP letters."""
    membership = _membership(request, slug)
    if not services.may_edit(membership):
        raise HttpError(403, "Only owners and managers create actions")
    action = Action(workspace=membership.workspace)
    try:
        _apply(action, body.dict(), request.auth)
    except Refused as refused:
        return Reply(422, refused.body())
    action = _action(membership, action.pk)
    return Reply(201, action_json(action, membership.sees_financials))


@router.patch("/w/{slug}/actions/{action_id}", response={200: ActionOut, 422: RefusalOut})
def action_update(request: HttpRequest, slug: str, action_id: int, body: ActionPatch) -> Reply:
    """Change some fields (owners and managers), or only the status (the assigned agency)."""
    membership = _membership(request, slug)
    action = _action(membership, action_id)
    data = body.dict(exclude_unset=True)
    agency_may = membership.role == Role.AGENCY and set(data) <= {"status"}
    if not (services.may_edit(membership) or agency_may):
        raise HttpError(403, "Only owners and managers change actions; agency members, the status")
    try:
        _apply(action, data, request.auth)
    except Refused as refused:
        return Reply(422, refused.body())
    return Reply(200, action_json(_action(membership, action_id), membership.sees_financials))
