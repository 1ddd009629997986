"""The targeting scorecard as pages show it: labels, data-based suggestions, the matrix chart."""

from __future__ import annotations

from django.utils.translation import gettext as _

from pilotage import charts
from pilotage.strategy import targeting
from pilotage.web.strategy.models import Segment


def criteria_labels() -> dict[str, str]:
    return {
        "size": _("Size"),
        "growth": _("Growth"),
        "margin": _("Margin"),
        "accessibility": _("Accessibility"),
        "competition": _("Competitive intensity (5 = little)"),
        "fit": _("Fit with our strengths"),
        "share_of_wallet": _("Share of wallet"),
        "references": _("References"),
    }


def _profile_value(segment: Segment, key: str) -> float | None:
    value = (segment.profile or {}).get(key)
    return float(value) if isinstance(value, int | float) else None


def suggested_scores(segments: list[Segment]) -> dict[int, dict[str, int]]:
    """Size, growth and margin scored 1–5 by the segments' rank on their data profile."""
    by_key = {
        "size": "customers",
        "growth": "growth",
        "margin": "margin_per_customer",
    }
    suggestions: dict[int, dict[str, int]] = {s.pk: {} for s in segments}
    for criterion, key in by_key.items():
        ranks = targeting.rank_scores({str(s.pk): _profile_value(s, key) for s in segments})
        for s in segments:
            suggestions[s.pk][criterion] = ranks[str(s.pk)]
    return suggestions


def positions(segments: list[Segment], weights: dict[str, float]) -> list[targeting.Position]:
    return [
        targeting.position(s.name, s.scores, weights)
        for s in segments
        if all(k in s.scores for k in targeting.CRITERIA)
    ]


def matrix(segments: list[Segment], weights: dict[str, float]) -> dict | None:
    placed = positions(segments, weights)
    if not placed:
        return None
    targeted = {s.name for s in segments if s.targeted}
    rows = [
        {
            "segment": p.segment,
            "attractiveness": round(p.attractiveness, 2),
            "ability": round(p.ability, 2),
            "choice": _("Target") if p.segment in targeted else _("Not targeted"),
        }
        for p in placed
    ]
    return charts.scored_matrix(
        rows,
        x="ability",
        y="attractiveness",
        x_title=_("Ability to win"),
        y_title=_("Attractiveness"),
        label="segment",
        color="choice",
        color_title=_("Decision"),
        x_domain=[1, 5],
        y_domain=[1, 5],
    )
