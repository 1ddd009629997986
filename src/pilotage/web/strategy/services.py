"""Strategy services: saves with the audit trail, protected deletes, traceability, charts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, ProtectedError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pilotage import charts
from pilotage.strategy import tows
from pilotage.web.plans import services as plans
from pilotage.web.strategy.models import (
    AuditItem,
    Objective,
    PestelFactor,
    PestelHeading,
    SwotItem,
    TowsOption,
)
from pilotage.web.workspaces.models import AuditAction, Role, Workspace
from pilotage.web.workspaces.services import record


def language() -> str:
    return "fr" if (get_language() or "en").startswith("fr") else "en"


def plan_year(request: HttpRequest) -> int:
    """The plan year asked for (``?year=``), else the current year."""
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def may_edit(request: HttpRequest) -> bool:
    return request.membership.role in (Role.OWNER, Role.MANAGER)


@transaction.atomic
def save(form: Any, actor: AbstractBaseUser, workspace: Workspace, /, **values: Any) -> Model:
    """Save a model form (with ``values`` set on the instance), recorded in the audit trail."""
    created = form.instance.pk is None
    for name, value in values.items():
        setattr(form.instance, name, value)
    changes = {name: [None, str(form.cleaned_data.get(name))] for name in form.changed_data}
    obj = form.save()
    record(workspace, actor, AuditAction.CREATE if created else AuditAction.UPDATE, obj, changes)
    return obj


@transaction.atomic
def delete(obj: Model, actor: AbstractBaseUser, workspace: Workspace) -> None:
    """Delete ``obj`` unless something relies on it; the refusal names what does."""
    summary = str(obj)
    try:
        with transaction.atomic():
            obj.delete()
    except ProtectedError as refused:
        users = sorted({str(o) for o in refused.protected_objects})
        raise ValidationError(
            _("“%(item)s” cannot be deleted: %(users)s rely on it. Change those first.")
            % {"item": summary, "users": "; ".join(f"“{u}”" for u in users)}
        ) from refused
    record(workspace, actor, AuditAction.DELETE, obj, {"deleted": [summary, None]})


# -- diagnostic ----------------------------------------------------------------------------


def pestel_matrix(factors: list[PestelFactor]) -> dict | None:
    """The scored PESTEL matrix: likelihood × impact, one point per factor."""
    if not factors:
        return None
    headings = dict(PestelHeading.choices)
    rows = [
        {
            "factor": f.title,
            "heading": str(headings[f.heading]),
            "impact": f.impact,
            "likelihood": f.likelihood,
            "score": f.score,
        }
        for f in factors
    ]
    return charts.scored_matrix(
        rows,
        x="likelihood",
        y="impact",
        x_title=_("Likelihood"),
        y_title=_("Impact"),
        color="heading",
        color_title=_("Heading"),
        label="factor",
        x_domain=[1, 5],
        y_domain=[-3, 3],
    )


def audit_with_last_year(workspace: Workspace, year: int) -> list[dict]:
    """This year's audit items, each with last year's score of the same capability."""
    last = {
        (i.area, i.title.casefold()): i.score
        for i in AuditItem.objects.filter(workspace=workspace, year=year - 1)
    }
    return [
        {"item": i, "last": last.get((i.area, i.title.casefold()))}
        for i in AuditItem.objects.filter(workspace=workspace, year=year)
    ]


def tows_pairs(workspace: Workspace, year: int) -> tuple[dict[str, list], dict[str, int]]:
    items = SwotItem.objects.filter(workspace=workspace, year=year)
    options = TowsOption.objects.filter(workspace=workspace, year=year)
    quadrants = tows.pairs(
        [tows.Item(i.pk, i.kind, i.text) for i in items],
        [(o.pk, o.internal_id, o.external_id) for o in options],
    )
    return quadrants, tows.uncovered(quadrants)


# -- objectives ----------------------------------------------------------------------------


def year_start(workspace: Workspace, year: int) -> dt.date:
    return dt.date(year, workspace.fiscal_year_start_month, 1)


@transaction.atomic
def save_objective(form: Any, actor: AbstractBaseUser, workspace: Workspace, year: int):
    """Save an objective and write its KPI target (plan year's start → deadline)."""
    objective: Objective = save(form, actor, workspace, workspace=workspace, year=year)
    start = year_start(workspace, year)
    target, _changed = plans.set_target(
        workspace,
        objective.metric,
        min(start, objective.deadline),
        objective.deadline,
        objective.target_value,
        actor=actor,
    )
    old = objective.kpi_target
    if objective.kpi_target_id != target.pk:
        objective.kpi_target = target
        objective.save(update_fields=["kpi_target"])
        if old is not None and not Objective.objects.filter(kpi_target=old).exists():
            plans.delete_target(old, actor=actor)
    return objective


def chain(objective: Objective) -> list[dict]:
    """The objective's trace: SWOT items → TOWS option → objective → KPI target → actions."""
    steps: list[dict] = []
    option = objective.tows_option
    if option is not None:
        for item in (option.internal, option.external):
            steps.append({"kind": item.get_kind_display(), "text": item.text})
        steps.append({"kind": _("TOWS option") + f" ({option.quadrant})", "text": option.text})
    steps.append({"kind": _("Objective"), "text": objective.title})
    if objective.kpi_target_id:
        t = objective.kpi_target
        steps.append(
            {
                "kind": _("KPI target"),
                "text": f"{t.metric_label} = {t.value.normalize():f} "
                f"({t.period_start:%Y-%m-%d} → {t.period_end:%Y-%m-%d})",
            }
        )
    for action in objective.actions.all():
        steps.append({"kind": _("Action"), "text": action.title})
    return steps


@transaction.atomic
def save_targeting(segment: Any, data: dict, actor: AbstractBaseUser) -> None:
    """Record a segment's scores and the decision to target it or not, with the reason."""
    from pilotage.strategy import targeting

    before = (dict(segment.scores), segment.targeted, segment.rationale)
    segment.scores = {k: int(data[k]) for k in targeting.CRITERIA}
    segment.targeted = bool(data["targeted"])
    segment.rationale = data["rationale"].strip()
    segment.save(update_fields=["scores", "targeted", "rationale"])
    after = (segment.scores, segment.targeted, segment.rationale)
    if after != before:
        record(
            segment.workspace,
            actor,
            AuditAction.UPDATE,
            segment,
            {"targeting": [str(before), str(after)]},
        )
