"""Monday.com: a board exported with *••• → Export board to Excel* (or that workbook saved as CSV).

The file is not one plain table. Its first row is the board's name; then each group comes as
its title on a row of its own, the column header repeated under it, the group's items, and
a blank row before the next group. Column titles are the user's (the defaults, in English or
French: ``Name``, ``Person``, ``Status``, ``Date``, ``Timeline``, ``Budget``…). An item's
subitems, when the board has some, follow it under a ``Subitems`` header row shifted one
column to the right; they are skipped and listed. A row with no name and only numbers is a
group's summary (the sums of its number columns) and is skipped.

Values: ``Person`` lists names separated by commas (the first is the owner); ``Timeline``
is a range ``2025-03-01 - 2025-03-15``; ``Date`` is the due date; ``Status`` holds the
board's labels ("Working on it", "Stuck", "Done" by default; an empty label is planned).
The export has no item id unless the board shows an *Item ID* column, so the idempotence key
is usually a hash of the name, dates and group.
"""

from __future__ import annotations

from collections.abc import Mapping

from pilotage.execution.task_imports.base import Record, Tool, is_group_row, register
from pilotage.importers.aliases import normalize
from pilotage.importers.reader import Cell, Table, blank
from pilotage.importers.values import is_missing, text_value

SUBITEMS = frozenset({"subitems", "sous elements", "subelementos", "unterelemente"})


def _number_like(cell: Cell) -> bool:
    if isinstance(cell, (int, float)):
        return True
    text = str(cell).strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    return bool(text) and all(c.isdigit() or c in ".,-+€$£%" for c in text)


@register
class Monday(Tool):
    name = "monday"
    label = "Monday.com"
    preset = {
        "id": ("Item ID", "ID de l'élément"),
        "title": ("Name", "Item", "Nom", "Élément"),
        "description": ("Notes", "Text", "Description", "Texte"),
        "owner": ("Person", "Owner", "People", "Personne", "Propriétaire", "Responsable"),
        "status": ("Status", "Statut", "État"),
        "due": ("Date", "Due date", "Deadline", "Échéance"),
        "dates": ("Timeline", "Chronologie"),
        "tags": ("Tags", "Étiquettes"),
        "dependencies": ("Dependency", "Dependencies", "Dépendance"),
        "budget": ("Budget", "Numbers", "Cost", "Coût", "Chiffres"),
    }
    hints = (
        "Person",
        "Personne",
        "Owner",
        "Timeline",
        "Chronologie",
        "Subitems",
        "Sous-éléments",
        "Item ID",
        "Dependency",
        "Numbers",
    )

    def shape_bonus(self, table: Table) -> int:
        header = self._normal(table.header)
        repeated = any(self._normal(row) == header for row in table.rows)
        return 2 if repeated or self._group_above(table) else 0

    def board(self, table: Table) -> str | None:
        """The board's name: the first row of the file (above the first group's title)."""
        filled = [row for row in table.preamble if not blank(row)]
        return text_value(filled[0][0]) if filled else None

    def records(
        self, table: Table, columns: Mapping[str, str]
    ) -> tuple[list[Record], list[tuple[int, str]]]:
        header = self._normal(table.header)
        index = {f: table.index(h) for f, h in columns.items()}
        title = index["title"]
        group = self._group_above(table)
        records: list[Record] = []
        skipped: list[tuple[int, str]] = []
        in_subitems = False
        rows = list(zip(table.rows, table.lines, strict=True))
        for i, (row, line) in enumerate(rows):
            following = rows[i + 1][0] if i + 1 < len(rows) else None
            if self._normal(row) == header:
                in_subitems = False
                continue
            if is_group_row(row) and following is not None and self._normal(following) == header:
                group = text_value(row[0])
                in_subitems = False
                continue
            name = row[title] if title < len(row) else None
            if is_missing(name) and self._subitems_header(row):
                in_subitems = True
                skipped.append((line, "subitems header"))
                continue
            if is_missing(name) and in_subitems:
                skipped.append((line, "subitem"))
                continue
            in_subitems = False
            if is_missing(name) and all(is_missing(c) or _number_like(c) for c in row):
                skipped.append((line, "group summary"))
                continue
            cells = {f: row[j] if j < len(row) else None for f, j in index.items()}
            records.append(Record(line, cells, group))
        return records, skipped

    @staticmethod
    def _normal(row: list[Cell] | list[str]) -> list[str]:
        names = [normalize(str(c)) if not is_missing(c) else "" for c in row]
        while names and not names[-1]:
            names.pop()
        return names

    @staticmethod
    def _subitems_header(row: list[Cell]) -> bool:
        first = next((c for c in row if not is_missing(c)), None)
        return first is not None and normalize(str(first)) in SUBITEMS

    @staticmethod
    def _group_above(table: Table) -> str | None:
        """The first group's title: the row right above the header, under the board name."""
        filled = [
            (row, line)
            for row, line in zip(table.preamble, table.preamble_lines, strict=True)
            if not blank(row)
        ]
        if len(filled) < 2:
            return None
        row, line = filled[-1]
        if line != table.header_line - 1 or not is_group_row(row):
            return None
        return text_value(row[0])
