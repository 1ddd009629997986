"""QQOQCCP: each missing letter blocks leaving *idea*, with its message in English and French."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from pilotage.execution.qqoqccp import (
    LETTERS,
    ActionAnswers,
    Status,
    allowed_targets,
    can_leave_idea,
    check_transition,
    letter,
    missing_letters,
)

COMPLETE = ActionAnswers(
    owner="Claire Dubois",
    pole="brand_content",
    deliverable="A 40 m² stand and 5,000 brochures",
    channel="Events",
    market="France",
    start=dt.date(2025, 2, 1),
    end=dt.date(2025, 6, 14),
    approach="Agency Studio Graphik designs, we staff the stand",
    budget=Decimal("25000.00"),
    objective_id=7,
    reason=None,
)

# letter → the answers that unanswer it, and the exact messages shown
CASES = {
    "qui": (
        {"owner": None},
        "Qui — who owns this action? Choose a member, an agency or a freelancer.",
        "Qui — qui porte cette action ? Choisissez un membre, une agence ou un freelance.",
    ),
    "quoi": (
        {"deliverable": "  "},
        "Quoi — what will be delivered? Describe the deliverable.",
        "Quoi — que va-t-on livrer ? Décrivez le livrable.",
    ),
    "ou": (
        {"channel": None, "market": ""},
        "Où — where will it run? Choose a channel or a market.",
        "Où — où se déroule-t-elle ? Choisissez un canal ou un marché.",
    ),
    "quand": (
        {"end": None},
        "Quand — when does it start and end? Give a start date and an end date on or after it.",
        "Quand — quand commence-t-elle et quand finit-elle ? Donnez une date de début et une "
        "date de fin égale ou postérieure.",
    ),
    "comment": (
        {"approach": None},
        "Comment — how will it be done? Describe the approach and the resources.",
        "Comment — comment sera-t-elle menée ? Décrivez l'approche et les moyens.",
    ),
    "combien": (
        {"budget": None},
        "Combien — how much will it cost? Give a budget of zero or more.",
        "Combien — combien va-t-elle coûter ? Indiquez un budget positif ou nul.",
    ),
    "pourquoi": (
        {"objective_id": None, "reason": None},
        "Pourquoi — why do it? Link the objective it serves or write the reason.",
        "Pourquoi — pourquoi la mener ? Reliez-la à l'objectif qu'elle sert ou écrivez la raison.",
    ),
}


def test_it_lists_the_seven_letters_in_order():
    assert [x.code for x in LETTERS] == list(CASES)
    assert [x.name for x in LETTERS] == [
        "Qui",
        "Quoi",
        "Où",
        "Quand",
        "Comment",
        "Combien",
        "Pourquoi",
    ]
    assert letter("ou").question("en") == "where will it run?"


def test_it_lets_a_complete_action_leave_idea():
    assert missing_letters(COMPLETE) == []
    assert can_leave_idea(COMPLETE)
    assert check_transition("idea", "planned", COMPLETE) == []


@pytest.mark.parametrize("code", list(CASES))
def test_it_blocks_leaving_idea_for_each_missing_letter(code):
    change, english, french = CASES[code]
    answers = dataclasses.replace(COMPLETE, **change)
    assert [x.code for x in missing_letters(answers)] == [code]
    assert not can_leave_idea(answers)
    problems = check_transition("idea", "planned", answers)
    assert [(p.code, p.letter) for p in problems] == [("missing_letter", code)]
    assert problems[0].message("en") == english
    assert problems[0].message("fr") == french
    assert problems[0].message("fr-FR") == french
    assert letter(code).message() == english


def test_it_lists_every_missing_letter_of_an_empty_action():
    problems = check_transition("idea", "in_progress", ActionAnswers())
    assert [p.letter for p in problems] == list(CASES)


@pytest.mark.parametrize(
    ("change", "answered"),
    [
        ({"channel": None}, True),  # a market alone answers Où
        ({"market": None}, True),
        ({"end": dt.date(2025, 1, 31)}, False),  # the end before the start
        ({"end": dt.date(2025, 2, 1)}, True),  # a one-day action
        ({"budget": Decimal("0")}, True),  # zero is a budget
        ({"budget": Decimal("-1.00")}, False),
        ({"budget": Decimal("NaN")}, False),
        ({"budget": 1500}, True),
        ({"objective_id": None, "reason": "Meet the distributors"}, True),
        ({"objective_id": None, "reason": " "}, False),
    ],
)
def test_it_reads_each_answer_by_its_rule(change, answered):
    assert can_leave_idea(dataclasses.replace(COMPLETE, **change)) is answered


def test_it_refuses_a_float_budget():
    with pytest.raises(TypeError, match="Decimal"):
        ActionAnswers(budget=12.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("idea", "planned"),
        ("idea", "in_progress"),  # forward moves may skip a step
        ("idea", "done"),
        ("planned", "in_progress"),
        ("planned", "done"),
        ("planned", "idea"),
        ("in_progress", "done"),
        ("in_progress", "planned"),  # paused and re-planned
        ("idea", "cancelled"),
        ("planned", "cancelled"),
        ("in_progress", "cancelled"),
    ],
)
def test_it_allows_the_workflow_moves(current, target):
    assert check_transition(current, target, COMPLETE) == []
    assert Status(target) in allowed_targets(current)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("in_progress", "idea"),
        ("done", "in_progress"),
        ("done", "planned"),
        ("cancelled", "idea"),
        ("cancelled", "planned"),
        ("done", "cancelled"),
    ],
)
def test_it_refuses_moves_outside_the_workflow(current, target):
    problems = check_transition(current, target, COMPLETE)
    assert [(p.code, p.letter) for p in problems] == [("transition", None)]


def test_it_explains_a_refused_move_in_both_languages():
    [problem] = check_transition("done", "planned", COMPLETE)
    assert problem.message("en") == (
        "An action cannot go from Done to Planned: done and cancelled actions are final; "
        "create a new action instead."
    )
    assert problem.message("fr") == (
        "Une action ne peut pas passer de Terminée à Planifiée : une action terminée ou annulée "
        "est close ; créez plutôt une nouvelle action."
    )


def test_it_needs_no_letter_to_stay_an_idea_go_back_to_idea_or_cancel():
    empty = ActionAnswers()
    assert check_transition("idea", "idea", empty) == []
    assert check_transition("planned", "idea", empty) == []
    assert check_transition("planned", "cancelled", empty) == []
    assert check_transition("in_progress", "cancelled", empty) == []


def test_it_checks_an_edit_of_a_planned_action_like_a_move():
    without_owner = dataclasses.replace(COMPLETE, owner=None)
    assert [p.letter for p in check_transition("planned", "planned", without_owner)] == ["qui"]
    assert [p.letter for p in check_transition("in_progress", "done", without_owner)] == ["qui"]
    # a done action (imported, say) can be edited without filling the letters again
    assert check_transition("done", "done", without_owner) == []


def test_it_refuses_an_unknown_status():
    with pytest.raises(ValueError):
        check_transition("idea", "archived", COMPLETE)


def test_it_labels_statuses_in_both_languages():
    assert Status.IN_PROGRESS == "in_progress"
    assert Status("cancelled").label("fr") == "Annulée"
    assert [s.value for s in allowed_targets("in_progress")] == ["planned", "done", "cancelled"]
    assert allowed_targets("done") == []
