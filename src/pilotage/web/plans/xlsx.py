"""The budget template: a version's lines to XLSX and back (see docs/budget-template.md).

One sheet, ``Budget``: a header row, then one row per month × channel × pole with the columns
Month, Channel, Pole, Planned, Committed, Actual. An import replaces the version's lines in one
transaction, or changes nothing and lists every problem (file, sheet, row, column, expectation).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, BinaryIO

from babel.dates import get_month_names
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from pilotage.web.plans import services
from pilotage.web.plans.models import Budget, BudgetLine, Pole
from pilotage.web.plans.services import CENT, Line, LinesChange

SHEET = "Budget"
COLUMNS = {
    "month": gettext_lazy("Month"),
    "channel": gettext_lazy("Channel"),
    "pole": gettext_lazy("Pole"),
    "planned": gettext_lazy("Planned"),
    "committed": gettext_lazy("Committed"),
    "actual": gettext_lazy("Actual"),
}
REQUIRED = ("month", "channel", "planned")
AMOUNTS = ("planned", "committed", "actual")
MAX_ROWS = 5000
MAX_PROBLEMS = 50
MAX_AMOUNT = Decimal("999999999999.99")  # what Decimal(14, 2) holds
EXTENSIONS = (".xlsx", ".xlsm")
MONEY_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an uploaded file, and where: sheet, row and column when known."""

    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column}
        where["problem"] = self.message
        if self.column:
            text = _("%(file)s, sheet %(sheet)s, row %(row)s, column %(column)s: %(problem)s")
        elif self.row:
            text = _("%(file)s, sheet %(sheet)s, row %(row)s: %(problem)s")
        elif self.sheet:
            text = _("%(file)s, sheet %(sheet)s: %(problem)s")
        else:
            text = _("%(file)s: %(problem)s")
        return text % where


class BudgetFileError(ValueError):
    """The file cannot be imported; ``problems`` lists each problem, in the UI language."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# Export


def export_budget(budget: Budget) -> bytes:
    """The version's lines as an XLSX template, headed in the UI language, with a totals row."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([str(label) for label in COLUMNS.values()])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    lines = budget.lines.all()
    for row in lines:
        ws.append(
            [row.month, row.channel, row.get_pole_display(), row.planned, row.committed, row.actual]
        )
    last = ws.max_row
    ws.append(["Total", None, None, *(f"=SUM({c}2:{c}{last})" for c in "DEF")])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    for cells in ws.iter_cols(min_col=4, max_col=6, min_row=2):
        for cell in cells:
            cell.number_format = MONEY_FORMAT
    for letter, width in zip("ABCDEF", (8, 28, 28, 16, 16, 16), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_filename(budget: Budget) -> str:
    return f"budget-{budget.workspace.slug}-{budget.year}-{slugify(budget.name)}.xlsx"


# Import


def import_budget(budget: Budget, name: str, data: bytes | BinaryIO, *, actor=None) -> LinesChange:
    """Replace the version's lines with the file's, all or nothing (the same file again: no-op)."""
    return services.replace_lines(budget, read_budget_file(name, data), actor=actor)


def read_budget_file(name: str, data: bytes | BinaryIO) -> list[Line]:
    """The budget lines of an uploaded template; :class:`BudgetFileError` lists every problem."""
    rows = _rows(name, data)
    reader = _Reader(name)
    lines = reader.read(rows)
    if reader.problems:
        if len(reader.problems) > MAX_PROBLEMS:
            more = len(reader.problems) - MAX_PROBLEMS
            reader.problems[MAX_PROBLEMS:] = [
                Problem(name, _("and %(count)d more problems") % {"count": more}, SHEET)
            ]
        raise BudgetFileError(reader.problems)
    return lines


def _rows(name: str, data: bytes | BinaryIO) -> list[tuple[Any, ...]]:
    if not name.lower().endswith(EXTENSIONS):
        kind = name.rsplit(".", 1)[-1] if "." in name else ""
        raise BudgetFileError(
            [
                Problem(
                    name,
                    _("expected an Excel workbook (.xlsx), got a “.%(kind)s” file")
                    % {"kind": kind},
                )
            ]
        )
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it drops (data validation, …): not our concern
            warnings.simplefilter("ignore")
            wb = load_workbook(stream, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise BudgetFileError(
            [
                Problem(
                    name, _("expected an Excel workbook (.xlsx); this file cannot be read as one")
                )
            ]
        ) from None
    try:
        sheet = next((s for s in wb.sheetnames if s.strip().casefold() == "budget"), None)
        if sheet is None:
            found = ", ".join(wb.sheetnames)
            raise BudgetFileError(
                [
                    Problem(
                        name,
                        _("expected a sheet named Budget (found: %(found)s)") % {"found": found},
                    )
                ]
            )
        rows, filled = [], 0
        for row in wb[sheet].iter_rows(min_row=1, values_only=True):
            rows.append(row)
            filled += not all(map(_blank, row))
            if filled > MAX_ROWS + 2:  # the header and totals rows come on top
                raise BudgetFileError(
                    [Problem(name, _("expected at most %(max)d rows") % {"max": MAX_ROWS}, SHEET)]
                )
        return rows
    finally:
        wb.close()


def _norm(value: Any) -> str:
    """Compare labels without case, accents, spaces or punctuation: ``Pôle`` ≈ ``pole``."""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def _aliases(labels: dict[str, Any]) -> dict[str, str]:
    """Normalised key, English and French label → key."""
    aliases = {}
    for language in ("en", "fr"):
        with translation.override(language):
            aliases.update({_norm(label): key for key, label in labels.items()})
    aliases.update({_norm(key): key for key in labels})
    return aliases


def _month_names() -> dict[str, int]:
    names = {}
    for language in ("en", "fr"):
        for width in ("wide", "abbreviated"):
            names.update({_norm(n): m for m, n in get_month_names(width, locale=language).items()})
    names["sept"] = 9
    return names


_MONTHS = _month_names()
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_CURRENCY = re.compile(r"^(?:[€$£]|[A-Z]{3})?(.*?)(?:[€$£]|[A-Z]{3})?$")
_PLAIN_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
# The whole part before a decimal mark: plain digits, or groups of three after a separator.
_WHOLE = {sep: re.compile(rf"^(?:\d+|\d{{1,3}}(?:\{sep}\d{{3}})+)$") for sep in ".,"}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: Any) -> str:
    return str(value).strip()[:60]


class _Reader:
    """Reads the rows of the Budget sheet into lines, collecting every problem on the way."""

    def __init__(self, name: str):
        self.name = name
        self.problems: list[Problem] = []
        self.columns: dict[str, int] = {}

    def problem(self, row: int | None, column: int | None, message: str) -> None:
        letter = get_column_letter(column + 1) if column is not None else None
        self.problems.append(Problem(self.name, message, SHEET, row, letter))

    def read(self, rows: list[tuple[Any, ...]]) -> list[Line]:
        numbered = [(n, row) for n, row in enumerate(rows, start=1) if not all(map(_blank, row))]
        if not numbered:
            self.problem(
                None, None, _("the sheet is empty: expected a header row and budget lines")
            )
            return []
        header_row, header = numbered[0]
        if not self.read_header(header_row, header):
            return []
        lines: dict[tuple[int, str, str], tuple[int, Line]] = {}
        for n, row in numbered[1:]:
            line = self.read_line(n, row)
            if line is None:
                continue
            if line.key in lines:
                first = lines[line.key][0]
                self.problem(
                    n,
                    self.columns["channel"],
                    _("expected one row per month, channel and pole; row %(first)d is the same")
                    % {"first": first},
                )
                continue
            lines[line.key] = (n, line)
        if not lines and not self.problems:
            self.problem(None, None, _("expected at least one budget line under the header row"))
        return [line for _n, line in lines.values()]

    def read_header(self, n: int, header: tuple[Any, ...]) -> bool:
        aliases = _aliases(COLUMNS)
        for index, value in enumerate(header):
            key = aliases.get(_norm(value)) if not _blank(value) else None
            if key is not None and key not in self.columns:
                self.columns[key] = index
        missing = [k for k in REQUIRED if k not in self.columns]
        if missing:
            names = ", ".join(str(COLUMNS[k]) for k in COLUMNS)
            self.problem(
                n,
                None,
                _("expected the column headings %(names)s (missing: %(missing)s)")
                % {"names": names, "missing": ", ".join(str(COLUMNS[k]) for k in missing)},
            )
            return False
        return True

    def cell(self, row: tuple[Any, ...], key: str) -> Any:
        index = self.columns.get(key)
        return row[index] if index is not None and index < len(row) else None

    def read_line(self, n: int, row: tuple[Any, ...]) -> Line | None:
        month, channel = self.cell(row, "month"), self.cell(row, "channel")
        if any(isinstance(v, str) and v.strip().casefold() == "total" for v in (month, channel)):
            return None  # the totals row of an exported file
        before = len(self.problems)
        values = {
            "month": self.month(n, month),
            "channel": self.channel(n, channel),
            "pole": self.pole(n, self.cell(row, "pole")),
        }
        for key in AMOUNTS:
            values[key] = self.amount(n, key, self.cell(row, key))
        if len(self.problems) > before:
            return None
        return Line(**values)

    def month(self, n: int, value: Any) -> int | None:
        month = None
        if isinstance(value, dt.date):
            month = value.month
        elif isinstance(value, int | float) and not isinstance(value, bool):
            month = int(value) if float(value).is_integer() else None
        elif isinstance(value, str):
            text = value.strip()
            month = int(text) if text.isdigit() else _MONTHS.get(_norm(text))
        if month is None or not 1 <= month <= 12:
            self.problem(
                n,
                self.columns["month"],
                _("expected a month, 1 to 12 or its name (January, janvier…), got '%(value)s'")
                % {"value": "" if value is None else _shown(value)},
            )
            return None
        return month

    def channel(self, n: int, value: Any) -> str | None:
        text = "" if value is None else str(value).strip()
        limit = BudgetLine._meta.get_field("channel").max_length
        if not text or len(text) > limit:
            self.problem(
                n,
                self.columns["channel"],
                _("expected a channel name of 1 to %(max)d characters, got '%(value)s'")
                % {"max": limit, "value": _shown(text)},
            )
            return None
        return text

    def pole(self, n: int, value: Any) -> str | None:
        if _blank(value):
            return ""
        key = _aliases(dict(Pole.choices)).get(_norm(value))
        if key is None:
            self.problem(
                n,
                self.columns["pole"],
                _("expected a pole (%(poles)s) or an empty cell, got '%(value)s'")
                % {"poles": ", ".join(str(label) for label in Pole.labels), "value": _shown(value)},
            )
        return key

    def amount(self, n: int, key: str, value: Any) -> Decimal | None:
        parsed = parse_amount(value)
        if parsed is None or parsed < 0 or parsed > MAX_AMOUNT:
            self.problem(
                n,
                self.columns[key],
                _("expected an amount ≥ 0, got '%(value)s'") % {"value": _shown(value)},
            )
            return None
        return parsed


def parse_amount(value: Any) -> Decimal | None:
    """An amount from a cell: a number (rounded to the cent) or text, French or English style.

    Text may carry a currency sign or code and spaces between thousands; the decimal separator
    is the last ``,`` or ``.``, with at most two decimals. ``None`` when it is not an amount.

    >>> [parse_amount(v) for v in ("1 234,50 €", "1,234.5", 12.345, None, "1,234", "abc")]
    [Decimal('1234.50'), Decimal('1234.50'), Decimal('12.35'), Decimal('0.00'), None, None]
    """
    if _blank(value):
        return Decimal("0.00")
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value).quantize(CENT, ROUND_HALF_UP)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return Decimal(repr(value)).quantize(CENT, ROUND_HALF_UP)
    if not isinstance(value, str):
        return None
    text = _SPACES.sub("", value)
    text = _CURRENCY.match(text).group(1)  # type: ignore[union-attr]
    decimal_mark = max(text.rfind(","), text.rfind("."))
    if decimal_mark >= 0:
        whole, decimals = text[:decimal_mark], text[decimal_mark + 1 :]
        thousands = "." if text[decimal_mark] == "," else ","
        if len(decimals) > 2 or not _WHOLE[thousands].match(whole):
            return None
        text = whole.replace(thousands, "") + "." + decimals
    if not _PLAIN_NUMBER.match(text):
        return None
    try:
        return Decimal(text).quantize(CENT)
    except InvalidOperation:
        return None
