"""Trello: a board exported as CSV (*Menu → Print, export and share → Export as CSV*).

The CSV export needs a paid workspace (Standard, Premium, Enterprise); on the free plan
Trello exports JSON only, which this reader does not take: open the board in a paid
workspace, or use a CSV Power-Up. Columns: ``Card ID, Card Name, Card URL, Card
Description, Labels, Members, Due Date, Attachment Count, Attachment Links, Checklist Item
Total Count, Checklist Item Completed Count, Vote Count, Comment Count, Last Activity Date,
List ID, List Name, Board ID, Board Name, Archived, Start Date, Due Complete``, plus custom
fields. Dates are ISO timestamps in UTC (``2025-03-14T16:00:00.000Z``), turned into dates in
the import's time zone.

Mapping: *Due Complete* true means done; otherwise the list name when it is a status word
("To Do", "Doing", "Done", "Backlog"), else planned. Labels come as ``Name (colour)``; the
colour is dropped (a label with no name keeps its colour as its name). Archived cards are
skipped and listed. The first member is the owner.
"""

from __future__ import annotations

from pilotage.execution.task_imports.base import TRAILING_PARENS, Tool, register
from pilotage.importers.reader import Table
from pilotage.importers.values import text_value


@register
class Trello(Tool):
    name = "trello"
    label = "Trello"
    preset = {
        "id": ("Card ID",),
        "title": ("Card Name",),
        "url": ("Card URL",),
        "description": ("Card Description",),
        "tags": ("Labels",),
        "owner": ("Members",),
        "due": ("Due Date",),
        "start": ("Start Date",),
        "completed": ("Due Complete", "Due Complete?"),
        "section": ("List Name",),
        "archived": ("Archived",),
        "budget": ("Budget", "Cost", "Coût"),
    }
    hints = (
        "Card ID",
        "Card Name",
        "Card URL",
        "Card Description",
        "List ID",
        "List Name",
        "Board ID",
        "Board Name",
        "Due Complete",
        "Archived",
        "Checklist Item Total Count",
        "Last Activity Date",
    )

    def clean_tag(self, tag: str) -> str:
        name = TRAILING_PARENS.sub("", tag).strip()
        return name or tag.strip("() ")

    def board(self, table: Table) -> str | None:
        if "Board Name" not in table.header or not table.rows:
            return None
        return text_value(table.column("Board Name")[0])
