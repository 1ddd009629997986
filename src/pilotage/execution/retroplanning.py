"""Retro-planning: milestones dated backwards from a deadline ("J−120: book the stand").

A ``Template`` lists steps; each step is *due* ``offset`` days from the deadline (J−30 is
``-30``, J+7 is ``7``), takes ``duration`` days of work before it is due (0: a one-day
milestone), and may depend on earlier steps. Dates:

- ``due = deadline + offset`` and ``start = deadline + offset − duration``, in calendar days;
- with ``business_days=True``, both counted in working days (Monday to Friday, minus the
  ``holidays`` given): J−30 is the 30th working day before the deadline. A computed date then
  never falls on a weekend or a holiday: counting steps over them (to an earlier day before
  the deadline, a later one after it). The deadline itself (J0) is the user's date and is
  never moved, even when it is a Saturday.

Counting both dates from the deadline keeps the order of the template: when a template's steps
respect their dependencies in calendar days, they respect them in working days too, for any
deadline.

A dependency is finish-to-start: a step never *starts* before the *due* date of a step it
depends on (the same day is allowed: the hand-over). ``plan_backwards`` does not silently
repair a plan: ``check_dependencies`` reports every violation, whether it comes from a
template, an edited offset or a date set by hand.

User edits: ``offsets`` overrides a step's offset (in the plan's unit of days); ``pinned``
fixes a step's due date by hand. When the deadline moves, ``replan`` recomputes every step
from its (possibly edited) offset and keeps pinned dates as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from pilotage.calendars import public_holidays

__all__ = [
    "TEMPLATES",
    "MilestonePlan",
    "Step",
    "Template",
    "Violation",
    "check_dependencies",
    "easter",
    "french_holidays",
    "is_working_day",
    "plan_backwards",
    "replan",
    "shift",
]


@dataclass(frozen=True)
class Step:
    """One step of a template: due ``offset`` days from the deadline, after ``duration`` days."""

    key: str
    name_en: str
    name_fr: str
    offset: int
    duration: int = 0
    depends_on: tuple[str, ...] = ()

    def name(self, language: str = "en") -> str:
        return self.name_fr if language.startswith("fr") else self.name_en


@dataclass(frozen=True)
class Template:
    """A named list of steps, each depending only on steps listed before it."""

    key: str
    name_en: str
    name_fr: str
    steps: tuple[Step, ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for step in self.steps:
            if step.key in seen:
                raise ValueError(f"{self.key}: step {step.key!r} appears twice")
            unknown = [d for d in step.depends_on if d not in seen]
            if unknown:
                raise ValueError(
                    f"{self.key}: step {step.key!r} depends on {unknown}, not an earlier step"
                )
            if step.duration < 0:
                raise ValueError(f"{self.key}: step {step.key!r} has a negative duration")
            seen.add(step.key)

    def name(self, language: str = "en") -> str:
        return self.name_fr if language.startswith("fr") else self.name_en

    def step(self, key: str) -> Step:
        return next(s for s in self.steps if s.key == key)


@dataclass(frozen=True)
class MilestonePlan:
    """A dated step: work from ``start`` to ``due`` (equal for a one-day milestone).

    ``offset`` and ``duration`` are in the unit the plan was computed in (``business_days``);
    ``pinned`` says the due date was set by hand and is kept when the deadline moves.
    """

    key: str
    name_en: str
    name_fr: str
    start: dt.date
    due: dt.date
    offset: int
    duration: int
    depends_on: tuple[str, ...] = ()
    pinned: bool = False
    business_days: bool = False

    def name(self, language: str = "en") -> str:
        return self.name_fr if language.startswith("fr") else self.name_en


@dataclass(frozen=True)
class Violation:
    """A step that starts before a step it depends on is due."""

    key: str
    depends_on: str
    start: dt.date
    dependency_due: dt.date

    @property
    def days_short(self) -> int:
        return (self.dependency_due - self.start).days

    def message(self, language: str = "en") -> str:
        if language.startswith("fr"):
            return (
                f"« {self.key} » commence le {self.start.isoformat()}, avant l'échéance de "
                f"« {self.depends_on} » dont elle dépend ({self.dependency_due.isoformat()}) : "
                f"{self.days_short} jour(s) trop tôt"
            )
        return (
            f"{self.key!r} starts on {self.start.isoformat()}, before {self.depends_on!r} it "
            f"depends on is due ({self.dependency_due.isoformat()}): "
            f"{self.days_short} day(s) too early"
        )


# ---------------------------------------------------------------- working days


def is_working_day(day: dt.date, holidays: Iterable[dt.date] = ()) -> bool:
    """Monday to Friday and not one of ``holidays``."""
    return day.weekday() < 5 and day not in set(holidays)


def shift(
    day: dt.date, days: int, *, business_days: bool = False, holidays: Iterable[dt.date] = ()
) -> dt.date:
    """``day`` moved by ``days`` calendar days, or by ``days`` working days.

    In working days, each step lands on the next working day in the direction of travel, so
    the result is a working day whenever ``days`` is not 0; ``shift(day, 0)`` is ``day``.

    >>> shift(dt.date(2025, 3, 10), -1, business_days=True)  # a Monday → the Friday before
    datetime.date(2025, 3, 7)
    """
    if not business_days:
        return day + dt.timedelta(days=days)
    closed = frozenset(holidays)
    step = dt.timedelta(days=1 if days > 0 else -1)
    for _ in range(abs(days)):
        day += step
        while day.weekday() >= 5 or day in closed:
            day += step
    return day


def easter(year: int) -> dt.date:
    """Easter Sunday (Gregorian calendar; the anonymous "Meeus/Jones/Butcher" algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return dt.date(year, month, day + 1)


def french_holidays(*years: int) -> frozenset[dt.date]:
    """The public holidays of metropolitan France in ``years`` (eleven a year, but for Whit
    Monday in 2005–2007): :func:`pilotage.calendars.public_holidays` for ``FR``."""
    return public_holidays("FR", years=years)


# ---------------------------------------------------------------- planning


def plan_backwards(
    template: Template,
    deadline: dt.date,
    *,
    business_days: bool = False,
    holidays: Iterable[dt.date] = (),
    offsets: Mapping[str, int] | None = None,
    pinned: Mapping[str, dt.date] | None = None,
) -> list[MilestonePlan]:
    """The template's steps dated from ``deadline``, in template order.

    ``offsets`` replaces a step's offset (J−45 instead of J−60: ``{"design": -45}``);
    ``pinned`` fixes a step's due date by hand. Neither may name an unknown step
    (``KeyError``). Dependencies are not enforced here: see ``check_dependencies``.

    >>> plan = plan_backwards(TEMPLATES["trade_show"], dt.date(2025, 6, 10))
    >>> plan[0].key, plan[0].due
    ('book_stand', datetime.date(2025, 2, 10))
    """
    offsets, pinned = dict(offsets or {}), dict(pinned or {})
    keys = {s.key for s in template.steps}
    for key in (*offsets, *pinned):
        if key not in keys:
            raise KeyError(f"{template.key} has no step {key!r}")
    closed = frozenset(holidays)
    plans = [
        MilestonePlan(
            key=step.key,
            name_en=step.name_en,
            name_fr=step.name_fr,
            start=deadline,
            due=deadline,
            offset=offsets.get(step.key, step.offset),
            duration=step.duration,
            depends_on=step.depends_on,
            pinned=step.key in pinned,
            business_days=business_days,
        )
        for step in template.steps
    ]
    return _date(plans, deadline, closed, pinned)


def replan(
    milestones: Sequence[MilestonePlan],
    deadline: dt.date,
    *,
    holidays: Iterable[dt.date] = (),
) -> list[MilestonePlan]:
    """The same milestones for a moved deadline: offsets kept, pinned due dates kept.

    Each milestone keeps the unit (calendar or working days) it was planned in.
    """
    pinned = {m.key: m.due for m in milestones if m.pinned}
    return _date(list(milestones), deadline, frozenset(holidays), pinned)


def _date(
    plans: list[MilestonePlan],
    deadline: dt.date,
    holidays: frozenset[dt.date],
    pinned: Mapping[str, dt.date],
) -> list[MilestonePlan]:
    out = []
    for plan in plans:
        business = plan.business_days
        if plan.key in pinned:
            due = pinned[plan.key]
            start = shift(due, -plan.duration, business_days=business, holidays=holidays)
        else:
            # counted from the deadline, not from the due date: in working days the two differ
            # when the deadline is not a working day, and only this keeps a step that starts
            # on J0 from starting before a step due on J0
            due = shift(deadline, plan.offset, business_days=business, holidays=holidays)
            start = shift(
                deadline, plan.offset - plan.duration, business_days=business, holidays=holidays
            )
        out.append(replace(plan, start=start, due=due, pinned=plan.key in pinned))
    return out


def check_dependencies(milestones: Sequence[MilestonePlan]) -> list[Violation]:
    """Every (step, dependency) pair where the step starts before the dependency is due.

    A dependency missing from ``milestones`` (deleted by the user) is not a violation.
    """
    due = {m.key: m.due for m in milestones}
    return [
        Violation(m.key, d, m.start, due[d])
        for m in milestones
        for d in m.depends_on
        if d in due and m.start < due[d]
    ]


# ---------------------------------------------------------------- templates


def _template(key: str, en: str, fr: str, *steps: Step) -> Template:
    return Template(key, en, fr, steps)


TEMPLATES: dict[str, Template] = {
    t.key: t
    for t in (
        _template(
            "trade_show",
            "Trade show",
            "Salon professionnel",
            Step("book_stand", "Book the stand", "Réserver le stand", -120),
            Step(
                "brief_agency",
                "Brief the agency",
                "Briefer l'agence",
                -90,
                depends_on=("book_stand",),
            ),
            Step(
                "design",
                "Design the stand and material",
                "Concevoir le stand et les supports",
                -60,
                28,
                ("brief_agency",),
            ),
            Step("print", "Print", "Imprimer", -30, 14, ("design",)),
            Step(
                "logistics",
                "Logistics: transport, badges, travel",
                "Logistique : transport, badges, déplacements",
                -14,
                10,
                ("print",),
            ),
            Step("trade_show", "Trade show", "Salon", 0, 0, ("logistics",)),
            Step(
                "follow_up",
                "Follow up the leads",
                "Relancer les contacts",
                7,
                7,
                ("trade_show",),
            ),
        ),
        _template(
            "product_launch",
            "Product launch",
            "Lancement de produit",
            Step(
                "positioning",
                "Positioning and messages",
                "Positionnement et messages",
                -90,
                14,
            ),
            Step(
                "brief_agency",
                "Brief the agency",
                "Briefer l'agence",
                -75,
                depends_on=("positioning",),
            ),
            Step(
                "content",
                "Landing page, visuals and videos",
                "Page d'atterrissage, visuels et vidéos",
                -30,
                40,
                ("brief_agency",),
            ),
            Step(
                "sales_kit",
                "Sales kit and training",
                "Kit commercial et formation des ventes",
                -21,
                21,
                ("positioning",),
            ),
            Step(
                "press_kit",
                "Press kit and release (under embargo)",
                "Dossier et communiqué de presse (sous embargo)",
                -10,
                14,
                ("content",),
            ),
            Step("launch", "Launch", "Lancement", 0, 0, ("content", "sales_kit", "press_kit")),
            Step(
                "review",
                "Post-launch review",
                "Bilan après lancement",
                30,
                0,
                ("launch",),
            ),
        ),
        _template(
            "webinar",
            "Webinar",
            "Webinaire",
            Step(
                "topic_speakers",
                "Topic and speakers confirmed",
                "Sujet et intervenants confirmés",
                -42,
            ),
            Step(
                "landing_page",
                "Registration page",
                "Page d'inscription",
                -30,
                7,
                ("topic_speakers",),
            ),
            Step(
                "invitations",
                "First invitation sent",
                "Première invitation envoyée",
                -28,
                0,
                ("landing_page",),
            ),
            Step("slides", "Slides ready", "Support prêt", -7, 14, ("topic_speakers",)),
            Step("reminder", "Reminder sent", "Relance envoyée", -2, 0, ("invitations",)),
            Step("rehearsal", "Rehearsal", "Répétition", -1, 0, ("slides",)),
            Step("webinar", "Webinar", "Webinaire", 0, 0, ("rehearsal", "reminder")),
            Step(
                "replay",
                "Replay and follow-up email",
                "Replay et e-mail de suivi",
                2,
                2,
                ("webinar",),
            ),
        ),
        _template(
            "email_campaign",
            "Email campaign",
            "Campagne e-mail",
            Step("brief", "Brief", "Brief", -21),
            Step("copy", "Copy written", "Rédaction", -14, 5, ("brief",)),
            Step("design", "Design and build", "Maquette et intégration", -8, 5, ("copy",)),
            Step("segment", "Target list", "Liste de ciblage", -7, 3, ("brief",)),
            Step(
                "proof",
                "Proof (BAT) and tests",
                "BAT et tests",
                -3,
                2,
                ("design", "segment"),
            ),
            Step("send", "Send", "Envoi", 0, 0, ("proof",)),
            Step("results", "Results", "Résultats", 7, 0, ("send",)),
        ),
        _template(
            "event",
            "Event",
            "Événement",
            Step("venue", "Book the venue", "Réserver le lieu", -90),
            Step("speakers", "Confirm the speakers", "Confirmer les intervenants", -60, 21),
            Step(
                "invitations",
                "Invitations sent",
                "Invitations envoyées",
                -45,
                7,
                ("venue",),
            ),
            Step("reminder", "Reminder sent", "Relance envoyée", -10, 0, ("invitations",)),
            Step(
                "logistics",
                "Catering, badges and material",
                "Traiteur, badges et matériel",
                -3,
                10,
                ("venue", "speakers"),
            ),
            Step("event", "Event", "Événement", 0, 0, ("logistics", "reminder")),
            Step(
                "thanks",
                "Thank-you email and survey",
                "Remerciements et questionnaire",
                3,
                2,
                ("event",),
            ),
        ),
    )
}
