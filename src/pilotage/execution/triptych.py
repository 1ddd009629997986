"""The project triptych: cost, delay and quality, each green, amber or red, and overall.

- **Cost**: cost ÷ budget, where cost is what the project will cost (actual + committed, or a
  forecast at completion). Green up to ``cost_amber_above`` (100 %), amber up to
  ``cost_red_above`` (110 %), red beyond. A zero budget is green at zero cost, red otherwise.
- **Delay**: forecast end − planned end, in calendar days (negative: early). Green up to
  ``delay_amber_above`` (0 days late), amber up to ``delay_red_above`` (14), red beyond.
- **Quality**: the share of acceptance criteria met — green from ``criteria_green_from``
  (80 %), amber from ``criteria_amber_from`` (60 %), red below — and, when a satisfaction
  score (0–10) is given, that score: green from 7, amber from 5, red below. Quality is the
  worse of the two. With no criteria and no score, quality is *not assessed*.
- **Overall** is the worst of the three (a project is as late as its latest dimension): one
  red makes it red. Quality not assessed is left out (cost and delay always are).

Every rating carries the sentence stating the rule applied, in English and French:
"Red because cost is 118% of budget (amber above 100%, red above 110%)".
Thresholds are data (``Thresholds``); boundaries belong to the better colour (exactly 110 %
is amber, exactly 80 % of criteria is green).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum

__all__ = ["Assessment", "ProjectFacts", "ProjectStatus", "Rating", "Thresholds", "assess"]

HUNDRED = Decimal(100)


class Rating(IntEnum):
    """Ordered from best to worst, so the overall rating is ``max``."""

    NOT_ASSESSED = 0
    GREEN = 1
    AMBER = 2
    RED = 3

    @property
    def code(self) -> str:
        return self.name.lower()

    def label(self, language: str = "en") -> str:
        english, french = _LABELS[self]
        return french if language.startswith("fr") else english


_LABELS = {
    Rating.NOT_ASSESSED: ("Not assessed", "Non évalué"),
    Rating.GREEN: ("Green", "Vert"),
    Rating.AMBER: ("Amber", "Orange"),
    Rating.RED: ("Red", "Rouge"),
}


@dataclass(frozen=True)
class Thresholds:
    """Where each colour starts. Ratios are fractions (1.10 is 110 %)."""

    cost_amber_above: Decimal = Decimal("1.00")
    cost_red_above: Decimal = Decimal("1.10")
    delay_amber_above: int = 0
    delay_red_above: int = 14
    criteria_green_from: Decimal = Decimal("0.80")
    criteria_amber_from: Decimal = Decimal("0.60")
    satisfaction_green_from: Decimal = Decimal(7)
    satisfaction_amber_from: Decimal = Decimal(5)


@dataclass(frozen=True)
class ProjectFacts:
    """What the triptych is judged on."""

    budget: Decimal
    cost: Decimal
    planned_end: dt.date
    forecast_end: dt.date
    criteria_total: int = 0
    criteria_met: int = 0
    satisfaction: Decimal | int | None = None

    def __post_init__(self) -> None:
        for name in ("budget", "cost", "satisfaction"):
            if isinstance(getattr(self, name), float):
                raise TypeError(f"{name}: give a Decimal or an int, not a float")
        if not 0 <= self.criteria_met <= self.criteria_total:
            raise ValueError(
                f"criteria met ({self.criteria_met}) must be between 0 and the number of "
                f"criteria ({self.criteria_total})"
            )
        if self.satisfaction is not None and not 0 <= self.satisfaction <= 10:
            raise ValueError(f"satisfaction must be from 0 to 10, got {self.satisfaction}")


@dataclass(frozen=True)
class Assessment:
    """One dimension's rating, the measured value and the sentence explaining it."""

    dimension: str  # "cost", "delay", "quality" or "overall"
    rating: Rating
    value: Decimal | int | None
    english: str
    french: str

    def sentence(self, language: str = "en") -> str:
        return self.french if language.startswith("fr") else self.english


@dataclass(frozen=True)
class ProjectStatus:
    cost: Assessment
    delay: Assessment
    quality: Assessment
    overall: Assessment
    parts: tuple[Assessment, ...] = field(default=(), compare=False)  # criteria, satisfaction


def _percent(ratio: Decimal, language: str = "en") -> str:
    """118 %, 110.5 % — no more than one decimal; the separator follows the language."""
    value = (ratio * HUNDRED).quantize(Decimal("0.1"))
    text = f"{value:f}".removesuffix(".0")
    if language.startswith("fr"):
        return text.replace(".", ",") + " %"
    return text + "%"


def _because(rating: Rating) -> tuple[str, str]:
    return f"{rating.label('en')} because", f"{rating.label('fr')} car"


def _cost(facts: ProjectFacts, t: Thresholds) -> Assessment:
    budget, cost = Decimal(facts.budget), Decimal(facts.cost)
    limits_en = (
        f"amber above {_percent(t.cost_amber_above)}, red above {_percent(t.cost_red_above)}"
    )
    limits_fr = (
        f"orange au-delà de {_percent(t.cost_amber_above, 'fr')}, "
        f"rouge au-delà de {_percent(t.cost_red_above, 'fr')}"
    )
    if budget <= 0:
        rating = Rating.GREEN if cost <= 0 else Rating.RED
        en, fr = _because(rating)
        return Assessment(
            "cost",
            rating,
            None,
            f"{en} the budget is zero and the cost is {cost} ({limits_en})",
            f"{fr} le budget est nul et le coût vaut {cost} ({limits_fr})",
        )
    ratio = cost / budget
    if ratio > t.cost_red_above:
        rating = Rating.RED
    elif ratio > t.cost_amber_above:
        rating = Rating.AMBER
    else:
        rating = Rating.GREEN
    en, fr = _because(rating)
    return Assessment(
        "cost",
        rating,
        ratio,
        f"{en} cost is {_percent(ratio)} of budget ({limits_en})",
        f"{fr} le coût atteint {_percent(ratio, 'fr')} du budget ({limits_fr})",
    )


def _days(n: int, french: bool) -> str:
    # French puts 0 and 1 in the singular, English only 1
    plural = abs(n) > 1 if french else abs(n) != 1
    return f"{n} {'jour' if french else 'day'}" + ("s" if plural else "")


def _delay(facts: ProjectFacts, t: Thresholds) -> Assessment:
    late = (facts.forecast_end - facts.planned_end).days
    if late > t.delay_red_above:
        rating = Rating.RED
    elif late > t.delay_amber_above:
        rating = Rating.AMBER
    else:
        rating = Rating.GREEN
    en, fr = _because(rating)
    if late > 0:
        where_en = f"the forecast end is {_days(late, False)} after the planned end"
        where_fr = f"la fin prévue a {_days(late, True)} de retard sur la fin planifiée"
    elif late < 0:
        where_en = f"the forecast end is {_days(-late, False)} before the planned end"
        where_fr = f"la fin prévue a {_days(-late, True)} d'avance sur la fin planifiée"
    else:
        where_en = "the forecast end is the planned end"
        where_fr = "la fin prévue est la fin planifiée"
    return Assessment(
        "delay",
        rating,
        late,
        f"{en} {where_en} (amber above {_days(t.delay_amber_above, False)} late, "
        f"red above {_days(t.delay_red_above, False)})",
        f"{fr} {where_fr} (orange au-delà de {_days(t.delay_amber_above, True)} de retard, "
        f"rouge au-delà de {_days(t.delay_red_above, True)})",
    )


def _criteria(facts: ProjectFacts, t: Thresholds) -> Assessment | None:
    if facts.criteria_total == 0:
        return None
    share = Decimal(facts.criteria_met) / Decimal(facts.criteria_total)
    if share >= t.criteria_green_from:
        rating = Rating.GREEN
    elif share >= t.criteria_amber_from:
        rating = Rating.AMBER
    else:
        rating = Rating.RED
    en, fr = _because(rating)
    counts = f"{facts.criteria_met}/{facts.criteria_total}"
    return Assessment(
        "criteria",
        rating,
        share,
        f"{en} {_percent(share)} of acceptance criteria are met ({counts}; amber below "
        f"{_percent(t.criteria_green_from)}, red below {_percent(t.criteria_amber_from)})",
        f"{fr} {_percent(share, 'fr')} des critères d'acceptation sont remplis ({counts} ; "
        f"orange en dessous de {_percent(t.criteria_green_from, 'fr')}, rouge en dessous de "
        f"{_percent(t.criteria_amber_from, 'fr')})",
    )


def _satisfaction(facts: ProjectFacts, t: Thresholds) -> Assessment | None:
    if facts.satisfaction is None:
        return None
    score = Decimal(facts.satisfaction)
    if score >= t.satisfaction_green_from:
        rating = Rating.GREEN
    elif score >= t.satisfaction_amber_from:
        rating = Rating.AMBER
    else:
        rating = Rating.RED
    en, fr = _because(rating)
    shown = f"{score.normalize():f}"
    green, amber = f"{t.satisfaction_green_from:f}", f"{t.satisfaction_amber_from:f}"
    return Assessment(
        "satisfaction",
        rating,
        score,
        f"{en} satisfaction is {shown}/10 (amber below {green}, red below {amber})",
        f"{fr} la satisfaction est de {shown}/10 (orange en dessous de {green}, rouge en "
        f"dessous de {amber})",
    )


def _worst(dimension: str, parts: list[Assessment]) -> Assessment:
    """The worst of ``parts``, keeping its sentence (the first one on ties)."""
    worst = max(parts, key=lambda a: a.rating)
    return Assessment(dimension, worst.rating, worst.value, worst.english, worst.french)


def assess(facts: ProjectFacts, thresholds: Thresholds | None = None) -> ProjectStatus:
    """Rate cost, delay and quality, and overall as the worst of them.

    >>> s = assess(ProjectFacts(Decimal(100), Decimal(118), dt.date(2025, 6, 1),
    ...     dt.date(2025, 6, 1), 5, 5))
    >>> s.overall.rating.code, s.cost.sentence()
    ('red', 'Red because cost is 118% of budget (amber above 100%, red above 110%)')
    """
    t = thresholds or Thresholds()
    cost, delay = _cost(facts, t), _delay(facts, t)
    parts = [p for p in (_criteria(facts, t), _satisfaction(facts, t)) if p is not None]
    if parts:
        quality = _worst("quality", parts)
    else:
        quality = Assessment(
            "quality",
            Rating.NOT_ASSESSED,
            None,
            "Not assessed: no acceptance criteria and no satisfaction score",
            "Non évaluée : ni critères d'acceptation ni note de satisfaction",
        )
    rated = [a for a in (cost, delay, quality) if a.rating != Rating.NOT_ASSESSED]
    worst = max(rated, key=lambda a: a.rating)
    names_en = {"cost": "cost", "delay": "delay", "quality": "quality"}
    names_fr = {"cost": "le coût", "delay": "le délai", "quality": "la qualité"}
    colour_fr = worst.rating.label("fr").lower()
    if worst.dimension == "quality" and worst.rating == Rating.GREEN:
        colour_fr = "verte"
    en, fr = _because(worst.rating)
    overall = Assessment(
        "overall",
        worst.rating,
        None,
        f"{en} {names_en[worst.dimension]} is {worst.rating.label('en').lower()} "
        "(overall is the worst of cost, delay and quality)",
        f"{fr} {names_fr[worst.dimension]} est {colour_fr} "
        "(la synthèse retient la pire des trois dimensions : coût, délai, qualité)",
    )
    return ProjectStatus(cost, delay, quality, overall, tuple(parts))
