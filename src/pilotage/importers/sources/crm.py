"""Helpers shared by the CRM importers (HubSpot, Salesforce, Dynamics): detection by a
signature plus hints, one date order per export, unique keys, checkboxes in any language,
``;``-joined association cells and label vocabularies."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from pilotage.importers.aliases import Match, normalize
from pilotage.importers.base import Context, Importer
from pilotage.importers.convert import Extract
from pilotage.importers.problems import Problem, Problems, Rejected
from pilotage.importers.reader import Grid, Table
from pilotage.importers.values import ValueProblem, decide_date_order, is_missing

TRUE = frozenset({"true", "1", "yes", "y", "x", "vrai", "oui", "wahr", "ja", "verdadero", "si"})
FALSE = frozenset({"false", "0", "no", "n", "faux", "non", "falsch", "nein", "falso"})


class CrmImporter(Importer):
    """An importer detected by its ``signature`` plus at least ``min_hints`` of ``hints``.

    CRM exports share many labels (``Create Date``, ``Industry``, ``Lead Status``); the hints
    are the columns that tell one tool's object from another's.
    """

    hints: ClassVar[tuple[str, ...]] = ()
    min_hints: ClassVar[int] = 0

    def score(self, grid: Grid) -> float:
        try:
            table = self.locate(grid)
        except Rejected:
            return 0.0
        match = self.aliases.match(table.header)
        if any(f not in match for f in self.signature) or any(f in match for f in self.excludes):
            return 0.0
        hits = sum(1 for f in self.hints if f in match)
        if hits < self.min_hints:
            return 0.0
        bonus = 2.0 if self.filename and self.filename.search(grid.name) else 0.0
        return (len(self.signature) + hits) * 10 + len(match.columns) + bonus

    def crm_extract(
        self,
        table: Table,
        match: Match,
        context: Context,
        problems: Problems,
        *,
        numeric: Sequence[str] = (),
        dates: Iterable[str | None] = (),
    ) -> Extract:
        """An ``Extract`` whose date order is decided once for all the export's date columns."""
        order = context.date_order or file_date_order(table, dates)
        return self.extract(
            table, match, dataclasses.replace(context, date_order=order), problems, numeric
        )


def file_date_order(table: Table, headers: Iterable[str | None]) -> str:
    """The day/month order proven by any date column of the file, or "" (each column decides).

    A CRM writes every date of an export in its user's locale, so ``15/03/2024`` in one column
    settles ``03/04/2024`` in another. When the columns disagree or nothing proves an order,
    each column decides (and reports) on its own.
    """
    cells = [c for h in headers if h for c in table.column(h)]
    try:
        return decide_date_order(cells)
    except ValueProblem:
        return ""


def check_unique(
    table: Table, header: str, values: Sequence[str | None], problems: Problems
) -> None:
    """A ``duplicate_key`` problem for each key seen before in the file (upserts need one row)."""
    first: dict[str, int] = {}
    for i, value in enumerate(values):
        if value is None:
            continue
        if value in first:
            problems.add(
                Problem(
                    table.name,
                    "duplicate_key",
                    line=table.lines[i],
                    column=header,
                    value=value,
                    expected=str(first[value]),
                )
            )
        else:
            first[value] = table.lines[i]


def booleans(table: Table, header: str | None, problems: Problems) -> list[bool | None]:
    """A checkbox column (``1``/``0``, ``true``/``false``, ``Vrai``/``Faux``…); None when absent."""
    out: list[bool | None] = []
    cells = table.column(header) if header else [None] * len(table.rows)
    for i, cell in enumerate(cells):
        if is_missing(cell):
            out.append(None)
            continue
        text = normalize(str(int(cell) if isinstance(cell, float) else cell))
        if text in TRUE:
            out.append(True)
        elif text in FALSE:
            out.append(False)
        else:
            problems.add(
                Problem(
                    table.name,
                    "choice",
                    line=table.lines[i],
                    column=header or "",
                    value=str(cell),
                    expected="1, 0, true, false",
                )
            )
            out.append(None)
    return out


def first_id(value: str | None) -> str | None:
    """The first id of a ``;``-joined association cell (``"101;102"`` → ``"101"``)."""
    if value is None:
        return None
    return next((part.strip() for part in value.split(";") if part.strip()), None)


def first_of(*columns: Sequence[Any]) -> list[Any]:
    """Row by row, the first non-missing value among ``columns``."""
    return [
        next((v for v in values if v is not None), None) for values in zip(*columns, strict=True)
    ]


def vocabulary(table: dict[str, Iterable[str]]) -> dict[str, str]:
    """``{meaning: labels}`` → ``{normalized label: meaning}``."""
    return {normalize(label): meaning for meaning, labels in table.items() for label in labels}


# ---------------------------------------------------------------- HubSpot vocabularies

# "Original Source" values: labels in the export languages and internal values, read as the
# English label so that the workspace's rules see one vocabulary. Non-English labels are from
# HubSpot's translated help pages (machine translated: Medium confidence).
