"""The brief of an outsourced action: its QQOQCCP, objective, KPIs and milestones, as a PDF."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pilotage.documents import render_pdf
from pilotage.execution import qqoqccp
from pilotage.web.actions import services
from pilotage.web.actions.models import Action
from pilotage.web.plans.models import TARGET_METRICS


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else "—"


def _money(action: Action) -> str:
    if action.budget is None:
        return "—"
    return f"{formats.number_format(action.budget, 2, use_l10n=True, force_grouping=True)} " + (
        action.workspace.currency
    )


def answers_text(action: Action) -> dict[str, str]:
    """Each letter's answer as one line of text, in the UI language."""
    where = " · ".join(part for part in (action.channel, action.market) if part)
    who = services.owner_name(action)
    if action.pole:
        who = f"{who} ({action.get_pole_display()})" if who else action.get_pole_display()
    why = action.objective.title if action.objective_id else ""
    if action.reason:
        why = f"{why} — {action.reason}" if why else action.reason
    return {
        "qui": who or "—",
        "quoi": action.deliverable or "—",
        "ou": where or "—",
        "quand": f"{_date(action.start)} → {_date(action.end)}",
        "comment": action.approach or "—",
        "combien": _money(action),
        "pourquoi": why or "—",
    }


def brief_data(action: Action) -> dict:
    language = services.language()
    text = answers_text(action)
    objective = action.objective
    kpis = []
    if objective is not None:
        known = TARGET_METRICS.get(objective.metric)
        kpis.append(str(known.label) if known else objective.metric)
    return {
        "lang": language,
        "title": action.title,
        "company": action.workspace.name,
        "generated": _date(timezone.localdate()),
        "labels": {
            "brief": _("Agency brief"),
            "milestones": _("Milestones"),
            "objective": _("Objective"),
            "kpi": _("KPI"),
            "target": _("target"),
            "deadline": _("deadline"),
            "kpis": _("KPIs to report"),
            "links": _("Links"),
        },
        "letters": [
            {
                "name": letter.name,
                "question": letter.question(language),
                "answer": text[letter.code],
            }
            for letter in qqoqccp.LETTERS
        ],
        "milestones": [{"due": _date(m.due), "name": m.name} for m in action.milestones.all()],
        "objective": (
            {
                "title": objective.title,
                "metric": kpis[0],
                "target": formats.number_format(objective.target_value, use_l10n=True),
                "deadline": _date(objective.deadline),
            }
            if objective is not None
            else None
        ),
        "kpis": kpis,
        "links": action.link_list,
    }


def brief_pdf(action: Action) -> bytes:
    return render_pdf("brief", brief_data(action))
