"""Trello's board CSV export, read value by value."""

from __future__ import annotations

import datetime as dt

from pilotage.execution.qqoqccp import Status
from pilotage.execution.task_imports import read_tasks

D = dt.date


def test_it_reads_every_card_of_a_trello_export(export):
    result = read_tasks(export("trello_product_launch.csv"), "trello.csv", timezone="Europe/Paris")
    assert (result.tool, result.board) == ("trello", "Product launch Q2")
    assert result.skipped == [(7, "archived")]  # "Old teaser video"
    assert result.warnings == []
    rows = [
        (d.line, d.external_id, d.title, d.status, d.section, d.start, d.end, d.tags)
        for d in result.drafts
    ]
    assert rows == [
        (2, "trello:65f1a2b3c4d5e6f708192a01", "Positioning workshop", Status.DONE, "Done",
         D(2025, 3, 3), D(2025, 3, 7), ("Strategy",)),
        (4, "trello:65f1a2b3c4d5e6f708192a02", "Landing page", Status.IN_PROGRESS, "Doing",
         D(2025, 3, 24), D(2025, 4, 18), ("Web", "Launch")),
        # due at 22:30 UTC on 25 April: 26 April in Paris
        (5, "trello:65f1a2b3c4d5e6f708192a03", "Press kit", Status.PLANNED, "To Do",
         None, D(2025, 4, 26), ("Launch",)),
        (6, "trello:65f1a2b3c4d5e6f708192a04", "Webinar with partners", Status.IDEA, "Backlog",
         None, None, ("green",)),
        # a list name that is no status word: planned, no warning
        (8, "trello:65f1a2b3c4d5e6f708192a06", "Sales kit", Status.PLANNED, "Review with sales",
         D(2025, 3, 31), D(2025, 4, 11), ("Sales",)),
    ]  # fmt: skip
    workshop, landing, press, webinar, _ = result.drafts
    assert workshop.description == "Two half-days with sales.\nBring the win/loss notes."
    assert workshop.url == "https://trello.com/c/AbCd1234/12-positioning-workshop"
    assert landing.members == ("Julien Martin", "Sofia Rossi")
    assert landing.owner_name == "Julien Martin"
    assert landing.description is None
    assert press.owner_name is None
    assert webinar.owner_name == "Sofia Rossi"
    assert all(d.budget is None and d.depends_on == () for d in result.drafts)


def test_it_takes_dates_in_utc_by_default(export):
    result = read_tasks(export("trello_product_launch.csv"), "trello.csv")
    assert result.drafts[2].end == D(2025, 4, 25)
