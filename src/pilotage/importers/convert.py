"""Typed columns out of a located table, every bad cell reported with its line and column.

``Extract`` is what importers use: ``text``, ``number``, ``integer``, ``timestamp`` and
``date`` return one Python value per data row (None when missing) and record a ``Problem``
for each cell that cannot be read, so that a file is rejected with every problem at once.
The number style is decided once per file from the columns the importer declares numeric;
the date order once per column.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from pilotage.importers.problems import Problem, Problems
from pilotage.importers.reader import Cell, Table
from pilotage.importers.values import (
    ValueProblem,
    decide_date_order,
    decide_number_style,
    parse_datetime,
    parse_number,
    text_value,
)

LARGEST = 2.0**53  # beyond this a float no longer holds every whole number exactly


class Extract:
    """Typed access to the columns of ``table``; problems go to ``problems``."""

    def __init__(
        self,
        table: Table,
        problems: Problems,
        *,
        numeric: Iterable[str | None] = (),
        timezone: str = "UTC",
        date_order: str = "",
    ) -> None:
        self.table = table
        self.problems = problems
        self.zone = ZoneInfo(timezone)
        self.date_order = date_order
        self.orders: dict[str, str] = {}
        self.currencies_seen: set[str] = set()
        self.flagged: set[tuple[int, str]] = set()  # cells with a problem already
        cells: list[Cell] = []
        for header in numeric:
            if header and header in table.header:
                cells.extend(table.column(header))
        try:
            self.number_style = decide_number_style(cells)
        except ValueProblem as exc:
            self.number_style = None
            self._problem(0, "", exc)

    # -- helpers

    def _problem(self, row: int | None, header: str, exc: ValueProblem) -> None:
        line = self.table.lines[row] if row is not None else 0
        if row is not None:
            self.flagged.add((row, header))
        self.problems.add(
            Problem(
                self.table.name,
                exc.code,
                line=line,
                column=header,
                value=exc.value,
                expected=exc.expected,
            )
        )

    def missing(self, header: str) -> None:
        self.problems.add(Problem(self.table.name, "missing_column", expected=header))

    def cells(self, header: str | None) -> list[Cell]:
        if header is None:
            return [None] * len(self.table.rows)
        return self.table.column(header)

    def require(self, header: str | None, values: Sequence[object]) -> None:
        if header is None:
            return
        for i, value in enumerate(values):
            if value is None and (i, header) not in self.flagged:
                self.problems.add(
                    Problem(self.table.name, "required", line=self.table.lines[i], column=header)
                )

    # -- typed columns

    def text(self, header: str | None, *, required: bool = False) -> list[str | None]:
        values = [text_value(c) for c in self.cells(header)]
        if required:
            self.require(header, values)
        return values

    def number(
        self,
        header: str | None,
        *,
        required: bool = False,
        integer: bool = False,
        nonnegative: bool = False,
    ) -> list[float | None]:
        out: list[float | None] = []
        for i, cell in enumerate(self.cells(header)):
            try:
                parsed = parse_number(cell, self.number_style, integer=integer)
            except ValueProblem as exc:
                self._problem(i, header or "", exc)
                out.append(None)
                continue
            if parsed is None:
                out.append(None)
                continue
            value = parsed.value
            if not math.isfinite(value) or abs(value) >= LARGEST:
                self._problem(i, header or "", ValueProblem("out_of_range", cell))
                out.append(None)
                continue
            if parsed.currency:
                self.currencies_seen.add(parsed.currency)
            if integer and not float(value).is_integer():
                self._problem(i, header or "", ValueProblem("integer", cell))
                out.append(None)
                continue
            if nonnegative and value < 0:
                self._problem(i, header or "", ValueProblem("negative", cell))
            out.append(value)
        if required:
            self.require(header, out)
        return out

    def integer(self, header: str | None, **kwargs: bool) -> list[int | None]:
        return [None if v is None else int(v) for v in self.number(header, integer=True, **kwargs)]

    def timestamp(
        self, header: str | None, *, required: bool = False, local: bool = True
    ) -> list[dt.datetime | None]:
        """UTC datetimes (naive values are taken in the import's time zone when ``local``)."""
        cells = self.cells(header)
        order = self.date_order
        if header and not order:
            try:
                order = decide_date_order(cells)
            except ValueProblem as exc:
                example = exc.value.split(" / ")[0]
                row = next((i for i, c in enumerate(cells) if str(c).strip() == example), None)
                self._problem(row, header, exc)
                return [None] * len(cells)
        self.orders[header or ""] = order
        if header and order:
            self.problems.date_orders[header] = order
        out: list[dt.datetime | None] = []
        for i, cell in enumerate(cells):
            try:
                value = parse_datetime(cell, order, excel_serials=self.table.kind == "xlsx")
            except ValueProblem as exc:
                self._problem(i, header or "", exc)
                out.append(None)
                continue
            if value is not None and local and value.tzinfo is None:
                value = value.replace(tzinfo=self.zone).astimezone(dt.UTC).replace(tzinfo=None)
            elif value is not None and value.tzinfo is not None:
                value = value.astimezone(dt.UTC).replace(tzinfo=None)
            out.append(value)
        if required:
            self.require(header, out)
        return out

    def date(self, header: str | None, *, required: bool = False) -> list[dt.date | None]:
        values = self.timestamp(header, required=required, local=False)
        return [None if v is None else v.date() for v in values]

    def date_orders(self) -> dict[str, str]:
        return {h: o for h, o in self.orders.items() if o}
