"""QQOQCCP — Qui, Quoi, Où, Quand, Comment, Combien, Pourquoi: what every action answers.

An action may start as an *idea* with any answer missing. It leaves the idea status (to be
planned, run or recorded as done) only when all seven letters are answered:

======== ========== =================================================================
Letter   Question   Answered when
======== ========== =================================================================
Qui      who        an owner is named (a member, an agency or a freelancer)
Quoi     what       the deliverable is described
Où       where      a channel or a market (or both) is given
Quand    when       a start and an end are given, the end on or after the start
Comment  how        the approach is described
Combien  how much   a budget is given, a ``Decimal`` of zero or more
Pourquoi why        an objective is linked, or a free-text reason is written
======== ========== =================================================================

The status workflow (``Status``, ``check_transition``)::

    idea ─► planned ─► in_progress ─► done
      ▲        │  ▲          │
      └────────┘  └──────────┘          any of idea, planned, in_progress ─► cancelled

Forward moves may skip a step (idea → in_progress, planned → done: an action recorded after
the fact); backward moves go one step (planned → idea, in_progress → planned: re-planning a
paused action). ``done`` and ``cancelled`` are final. Being in planned or in_progress, or
moving to done, needs all seven letters; idea and cancelled need none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "LETTERS",
    "TRANSITIONS",
    "ActionAnswers",
    "Letter",
    "Problem",
    "Status",
    "allowed_targets",
    "can_leave_idea",
    "check_transition",
    "letter",
    "missing_letters",
]


@dataclass(frozen=True)
class Letter:
    """One of the seven questions: its code, French name, question and what answers it."""

    code: str
    name: str  # the French name, as the method calls it: "Qui", "Où"…
    question_en: str
    question_fr: str
    hint_en: str
    hint_fr: str

    def question(self, language: str = "en") -> str:
        return self.question_fr if language.startswith("fr") else self.question_en

    def message(self, language: str = "en") -> str:
        """What is missing: "Qui — who owns this action? Choose a member, an agency or…"."""
        french = language.startswith("fr")
        question, hint = (
            (self.question_fr, self.hint_fr) if french else (self.question_en, self.hint_en)
        )
        return f"{self.name} — {question} {hint}"


LETTERS: tuple[Letter, ...] = (
    Letter(
        "qui",
        "Qui",
        "who owns this action?",
        "qui porte cette action ?",
        "Choose a member, an agency or a freelancer.",
        "Choisissez un membre, une agence ou un freelance.",
    ),
    Letter(
        "quoi",
        "Quoi",
        "what will be delivered?",
        "que va-t-on livrer ?",
        "Describe the deliverable.",
        "Décrivez le livrable.",
    ),
    Letter(
        "ou",
        "Où",
        "where will it run?",
        "où se déroule-t-elle ?",
        "Choose a channel or a market.",
        "Choisissez un canal ou un marché.",
    ),
    Letter(
        "quand",
        "Quand",
        "when does it start and end?",
        "quand commence-t-elle et quand finit-elle ?",
        "Give a start date and an end date on or after it.",
        "Donnez une date de début et une date de fin égale ou postérieure.",
    ),
    Letter(
        "comment",
        "Comment",
        "how will it be done?",
        "comment sera-t-elle menée ?",
        "Describe the approach and the resources.",
        "Décrivez l'approche et les moyens.",
    ),
    Letter(
        "combien",
        "Combien",
        "how much will it cost?",
        "combien va-t-elle coûter ?",
        "Give a budget of zero or more.",
        "Indiquez un budget positif ou nul.",
    ),
    Letter(
        "pourquoi",
        "Pourquoi",
        "why do it?",
        "pourquoi la mener ?",
        "Link the objective it serves or write the reason.",
        "Reliez-la à l'objectif qu'elle sert ou écrivez la raison.",
    ),
)
_BY_CODE = {item.code: item for item in LETTERS}


def letter(code: str) -> Letter:
    """The letter whose code is ``code`` ('qui', 'quoi', 'ou', …); ``KeyError`` otherwise."""
    return _BY_CODE[code]


@dataclass(frozen=True)
class ActionAnswers:
    """An action's answers to the seven questions (None or blank text means unanswered).

    ``pole`` is carried for the callers' convenience; no letter requires it.
    """

    owner: str | None = None
    pole: str | None = None
    deliverable: str | None = None
    channel: str | None = None
    market: str | None = None
    start: date | None = None
    end: date | None = None
    approach: str | None = None
    budget: Decimal | int | None = None
    objective_id: int | str | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.budget, float):
            raise TypeError("a budget is money: give a Decimal, never a float")


def is_blank(value: object) -> bool:
    """None, or text with nothing but spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def _answered(item: Letter, a: ActionAnswers) -> bool:
    code = item.code
    if code == "qui":
        return not is_blank(a.owner)
    if code == "quoi":
        return not is_blank(a.deliverable)
    if code == "ou":
        return not (is_blank(a.channel) and is_blank(a.market))
    if code == "quand":
        return a.start is not None and a.end is not None and a.end >= a.start
    if code == "comment":
        return not is_blank(a.approach)
    if code == "combien":
        budget = a.budget
        return budget is not None and Decimal(budget).is_finite() and budget >= 0
    if code == "pourquoi":
        return not is_blank(a.objective_id) or not is_blank(a.reason)
    raise AssertionError(code)


def missing_letters(answers: ActionAnswers) -> list[Letter]:
    """The letters ``answers`` does not answer, in QQOQCCP order.

    >>> [x.code for x in missing_letters(ActionAnswers(owner="Alice", channel="Events"))]
    ['quoi', 'quand', 'comment', 'combien', 'pourquoi']
    """
    return [item for item in LETTERS if not _answered(item, answers)]


def can_leave_idea(answers: ActionAnswers) -> bool:
    """True when all seven letters are answered."""
    return not missing_letters(answers)


# ---------------------------------------------------------------- the status workflow


class Status(StrEnum):
    """Where an action stands. Equal to its code, so ``Status.DONE == "done"``."""

    IDEA = "idea"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"

    def label(self, language: str = "en") -> str:
        english, french = STATUS_LABELS[self]
        return french if language.startswith("fr") else english


STATUS_LABELS: dict[Status, tuple[str, str]] = {
    Status.IDEA: ("Idea", "Idée"),
    Status.PLANNED: ("Planned", "Planifiée"),
    Status.IN_PROGRESS: ("In progress", "En cours"),
    Status.DONE: ("Done", "Terminée"),
    Status.CANCELLED: ("Cancelled", "Annulée"),
}

# current → statuses it may move to (staying put is always allowed)
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.IDEA: frozenset({Status.PLANNED, Status.IN_PROGRESS, Status.DONE, Status.CANCELLED}),
    Status.PLANNED: frozenset({Status.IDEA, Status.IN_PROGRESS, Status.DONE, Status.CANCELLED}),
    Status.IN_PROGRESS: frozenset({Status.PLANNED, Status.DONE, Status.CANCELLED}),
    Status.DONE: frozenset(),
    Status.CANCELLED: frozenset(),
}
FINAL = frozenset({Status.DONE, Status.CANCELLED})


def allowed_targets(current: str) -> list[Status]:
    """The statuses an action in ``current`` may move to, in workflow order."""
    allowed = TRANSITIONS[Status(current)]
    return [s for s in Status if s in allowed]


@dataclass(frozen=True)
class Problem:
    """Why a status change is refused; ``letter`` is the unanswered letter's code, if any."""

    code: str  # "missing_letter" or "transition"
    letter: str | None
    english: str
    french: str

    def message(self, language: str = "en") -> str:
        return self.french if language.startswith("fr") else self.english


def check_transition(current: str, target: str, answers: ActionAnswers) -> list[Problem]:
    """What forbids moving an action from ``current`` to ``target``; empty when allowed.

    A move the workflow does not allow gives one ``transition`` problem. Otherwise, when the
    target needs the seven letters (planned, in_progress; done unless already done), each
    missing letter gives one ``missing_letter`` problem carrying the letter's message.
    ``current == target`` is an edit: it is checked the same way, so a planned action cannot
    lose its owner. Unknown status codes raise ``ValueError``.

    >>> [p.letter for p in check_transition("idea", "planned", ActionAnswers())][:2]
    ['qui', 'quoi']
    >>> check_transition("idea", "cancelled", ActionAnswers())
    []
    """
    now, then = Status(current), Status(target)
    if now != then and then not in TRANSITIONS[now]:
        english_now, french_now = STATUS_LABELS[now]
        english_then, french_then = STATUS_LABELS[then]
        if now in FINAL:
            why_en, why_fr = (
                "done and cancelled actions are final; create a new action instead",
                "une action terminée ou annulée est close ; créez plutôt une nouvelle action",
            )
        else:
            why_en, why_fr = (
                "an action that has started goes back to Planned, or is cancelled",
                "une action commencée revient à Planifiée, ou est annulée",
            )
        return [
            Problem(
                "transition",
                None,
                f"An action cannot go from {english_now} to {english_then}: {why_en}.",
                f"Une action ne peut pas passer de {french_now} à {french_then} : {why_fr}.",
            )
        ]
    needs_letters = then in (Status.PLANNED, Status.IN_PROGRESS) or (
        then == Status.DONE and now != Status.DONE
    )
    if not needs_letters:
        return []
    return [
        Problem("missing_letter", item.code, item.message("en"), item.message("fr"))
        for item in missing_letters(answers)
    ]
