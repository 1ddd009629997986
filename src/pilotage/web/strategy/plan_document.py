"""The annual marketing plan as one document: diagnostic → choices → objectives → mix → budget.

``plan_data`` gathers it once, in the reader's language; the HTML page and the Typst PDF are
two renderings of the same data, so they never disagree.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pilotage.documents import render_pdf
from pilotage.web.actions.models import Action, Status
from pilotage.web.plans.models import TARGET_METRICS, Budget, BudgetStatus
from pilotage.web.strategy import services
from pilotage.web.strategy.models import (
    AuditItem,
    MixDecision,
    MixLever,
    Objective,
    PestelFactor,
    Positioning,
    Segment,
    SwotItem,
    SwotKind,
    TowsOption,
)
from pilotage.web.workspaces.models import Workspace


def _money(amount: Decimal | None, currency: str) -> str:
    if amount is None:
        return "—"
    return f"{formats.number_format(amount, 0, use_l10n=True, force_grouping=True)} {currency}"


def _statement(p: Positioning) -> str:
    return _(
        "For %(target)s who %(need)s, %(brand)s is the %(category)s that %(benefit)s, "
        "unlike %(competitor)s, because %(proof)s."
    ) % {
        "target": p.segment.name,
        "need": p.need,
        "brand": p.brand,
        "category": p.category,
        "benefit": p.benefit,
        "competitor": p.competitor,
        "proof": p.proof,
    }


def _budget(workspace: Workspace, year: int) -> dict:
    """The year's baseline budget (else the latest approved, else the latest draft) by channel."""
    budgets = Budget.objects.filter(workspace=workspace, year=year)
    chosen = (
        budgets.filter(status=BudgetStatus.BASELINE).first()
        or budgets.filter(status=BudgetStatus.APPROVED).order_by("-approved_at").first()
        or budgets.order_by("-created_at").first()
    )
    actions = Action.objects.filter(workspace=workspace).exclude(status=Status.CANCELLED)
    in_year = actions.filter(start__year=year)
    planned_actions = in_year.aggregate(total=Sum("budget"))["total"]
    currency = workspace.currency
    if chosen is None:
        return {
            "version": None,
            "rows": [],
            "total": "—",
            "actions": _money(planned_actions, currency),
        }
    rows = chosen.lines.values("channel").annotate(planned=Sum("planned")).order_by("-planned")
    total = sum((r["planned"] for r in rows), Decimal(0))
    return {
        "version": f"{chosen.name} ({chosen.get_status_display()})",
        "rows": [
            {
                "channel": r["channel"],
                "planned": _money(r["planned"], currency),
                "share": f"{(r['planned'] / total * 100) if total else 0:.0f} %",
            }
            for r in rows
        ],
        "total": _money(total, currency),
        "actions": _money(planned_actions, currency),
    }


def plan_data(workspace: Workspace, year: int, *, financial: bool = True) -> dict:
    """Everything the plan document shows, as plain JSON-ready values."""
    factors = PestelFactor.objects.filter(workspace=workspace, year=year)
    swot = SwotItem.objects.filter(workspace=workspace, year=year)
    segments = list(Segment.objects.filter(workspace=workspace, year=year))
    objectives = (
        Objective.objects.filter(workspace=workspace, year=year)
        .select_related("kpi_target", "tows_option__internal", "tows_option__external", "owner")
        .prefetch_related("actions")
    )
    positionings = Positioning.objects.filter(segment__in=segments).select_related("segment")
    kinds = dict(SwotKind.choices)
    levers = dict(MixLever.choices)
    date = lambda d: formats.date_format(d, "DATE_FORMAT") if d else "—"  # noqa: E731
    return {
        "lang": services.language(),
        "company": workspace.name,
        "year": year,
        "generated": date(timezone.localdate()),
        "labels": {
            "title": _("Marketing plan %(year)s") % {"year": year},
            "on_a_page": _("Strategy on a page"),
            "diagnostic": _("1. Diagnostic"),
            "pestel": _("Environment (PESTEL)"),
            "audit": _("Internal audit"),
            "swot": _("SWOT"),
            "choices": _("2. Choices"),
            "targets": _("Target segments"),
            "not_targeted": _("Not targeted, on purpose"),
            "positioning": _("Positioning"),
            "objectives": _("3. Objectives"),
            "mix": _("4. Marketing mix"),
            "budget": _("5. Budget"),
            "tows": _("TOWS option"),
            "kpi": _("KPI"),
            "deadline": _("deadline"),
            "channel": _("Channel"),
            "planned": _("Planned"),
            "share": _("Share"),
            "total": _("Total"),
            "version": _("Budget version"),
            "actions_total": _("Budget of this year's actions"),
            "none": _("Nothing recorded yet."),
        },
        "pestel": [
            {
                "heading": f.get_heading_display(),
                "title": f.title,
                "score": f.score,
                "impact": f.impact,
                "likelihood": f.likelihood,
            }
            for f in sorted(factors, key=lambda f: -abs(f.score))
        ],
        "audit": [
            {"area": i.get_area_display(), "title": i.title, "score": i.score}
            for i in AuditItem.objects.filter(workspace=workspace, year=year)
        ],
        "swot": [
            {"kind": str(kinds[k]), "items": [i.text for i in swot if i.kind == k]}
            for k in ("S", "W", "O", "T")
        ],
        "targets": [{"name": s.name, "why": s.rationale} for s in segments if s.targeted],
        "not_targeted": [
            {"name": s.name, "why": s.rationale or "—"} for s in segments if not s.targeted
        ],
        "positioning": [_statement(p) for p in positionings],
        "objectives": [
            {
                "title": o.title,
                "kpi": str(TARGET_METRICS[o.metric].label)
                if o.metric in TARGET_METRICS
                else o.metric,
                "target": formats.number_format(o.target_value.normalize(), use_l10n=True),
                "deadline": date(o.deadline),
                "option": o.tows_option.text if o.tows_option_id else "—",
                "quadrant": o.tows_option.quadrant if o.tows_option_id else "",
                "actions": [a.title for a in o.actions.all()],
            }
            for o in objectives
        ],
        "mix": [
            {
                "segment": s.name,
                "levers": [
                    {
                        "lever": str(levers[d.lever]),
                        "decision": d.decision,
                        "customer": d.customer_view,
                    }
                    for d in MixDecision.objects.filter(segment=s)
                ],
            }
            for s in segments
            if s.targeted
        ],
        "options": len(TowsOption.objects.filter(workspace=workspace, year=year)),
        "budget": _budget(workspace, year) if financial else None,
    }


def plan_pdf(
    workspace: Workspace, year: int, *, one_page: bool = False, financial: bool = True
) -> bytes:
    data = plan_data(workspace, year, financial=financial)
    return render_pdf("plan_on_a_page" if one_page else "plan", data)
