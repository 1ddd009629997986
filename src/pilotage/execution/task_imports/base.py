"""Task exports → ``ActionDraft``: what the Asana, Trello, Monday and Notion readers share.

Reading reuses ``pilotage.importers``: ``read_grid`` (encoding, delimiter, workbook),
``locate`` (the header row by content, the preamble above it), the alias normalisation of
headers and the value parsers (locale numbers, dates with a per-column day/month order).

A tool says which of its columns hold each of our fields (its *preset*, which the user can
override with ``{field: their column}``), which header names point at it (``hints``, for
detection), its own status words, and, when its file is not one row per task (Monday's
groups), how to turn rows into records. Everything else is here:

- **all or nothing**: every bad cell becomes a ``Problem`` naming the file, line, column,
  value and what was expected; if there is any, ``Rejected`` is raised and no draft is given;
- **status**: a completion mark (Asana's *Completed At*, Trello's *Due Complete*) means done;
  otherwise the status column, then the section/list name, are looked up in the user's
  ``statuses``, the tool's words and a shared vocabulary (EN/FR). A value found nowhere is
  imported as ``idea`` with a warning — custom statuses are the norm in these tools, so
  refusing them would refuse most real files, and an idea is the status that commits to
  nothing. An empty status (and no section that says more) is ``planned``: the tool's "not
  started";
- **idempotence**: ``external_id`` is ``tool:task id`` when the export has an id, otherwise
  ``tool:h:`` and a hash of the title, dates and section; two rows with the same key are
  refused;
- **dependencies** name other tasks by id or by title; they are resolved to the external ids
  of the drafts of the same file, and a reference to a task outside the file is dropped with
  a warning.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pilotage.execution.qqoqccp import ActionAnswers, Status
from pilotage.importers.aliases import Aliases, normalize, repair_mojibake
from pilotage.importers.problems import Problem, Problems, Rejected
from pilotage.importers.reader import Cell, Grid, Table, blank, locate, read_grid
from pilotage.importers.values import (
    ValueProblem,
    decide_date_order,
    decide_number_style,
    header_currency,
    is_missing,
    number_evidence,
    parse_datetime,
    parse_number,
    strip_number,
    text_value,
)

# Our fields, as named in a user's column mapping.
FIELDS: dict[str, str] = {
    "id": "the task's id in the tool",
    "title": "the task's name",
    "description": "notes or description",
    "owner": "the assignee(s); the first one is the owner",
    "owner_email": "the owner's email",
    "status": "the status",
    "completed": "a completion date or a done mark",
    "start": "the start date",
    "due": "the due date (the action's end)",
    "dates": "one date, or a range such as 'March 1, 2025 → March 15, 2025'",
    "tags": "tags or labels",
    "section": "section, list or group",
    "dependencies": "the tasks it waits for (ids or names)",
    "budget": "an amount of money",
    "url": "the task's address",
    "parent": "the parent task",
    "archived": "an archived mark (archived rows are skipped)",
}
# other names a user may give a field in a mapping
FIELD_SYNONYMS = {"end": "due", "name": "title", "assignee": "owner", "labels": "tags"}

# A shared status vocabulary (EN/FR), compared after ``normalize``: no case, accents, punctuation.
_WORDS: dict[Status, tuple[str, ...]] = {
    Status.IDEA: (
        "idea", "ideas", "idée", "idées", "backlog", "icebox", "someday", "brainstorm", "draft",
        "brouillon", "proposal", "proposition", "suggestion", "à étudier", "to consider",
    ),
    Status.PLANNED: (
        "planned", "planifié", "planifiée", "prévu", "prévue", "to do", "todo", "à faire",
        "not started", "non commencé", "pas commencé", "ready", "prêt", "up next", "à venir",
        "scheduled", "programmé", "on hold", "paused", "en pause",
    ),
    Status.IN_PROGRESS: (
        "in progress", "doing", "working on it", "en cours", "stuck", "blocked", "bloqué",
        "bloquée", "waiting", "en attente", "review", "in review", "en revue", "validation",
        "à valider",
    ),
    Status.DONE: (
        "done", "complete", "completed", "terminé", "terminée", "fait", "finished", "fini",
        "livré", "shipped", "published", "publié",
    ),
    Status.CANCELLED: (
        "cancelled", "canceled", "annulé", "annulée", "abandoned", "abandonné", "dropped",
        "won't do", "wont do",
    ),
}  # fmt: skip
VOCABULARY: dict[str, Status] = {
    normalize(word): status for status, words in _WORDS.items() for word in words
}

FALSE_WORDS = frozenset({"", "false", "no", "non", "faux", "0", "n", "unchecked"})
EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
RANGE_SEPARATORS = ("→", " - ", " – ", " — ", " to ", " au ")
TRAILING_PARENS = re.compile(r"\s*\([^()]*\)\s*$")
# no column is a totals label in a task export: a task may well be called "Total…" or "#launch"
NO_LABEL_COLUMN = 1 << 30

# Problem codes of this package (the others are ``pilotage.importers.problems.MESSAGES``).
MESSAGES: dict[str, tuple[str, str]] = {
    "unknown_status": (
        "{value!r} is not a status Pilotage knows, so the action is imported as an idea; "
        "expected one of {expected}, or map the value to a status",
        "{value!r} n'est pas un statut connu de Pilotage : l'action est importée comme idée ; "
        "attendu l'un de {expected}, ou associez cette valeur à un statut",
    ),
    "end_before_start": (
        "the end ({value}) is before the start ({expected})",
        "la fin ({value}) précède le début ({expected})",
    ),
    "email": (
        "expected an email address such as name@example.com, got {value!r}",
        "adresse e-mail attendue, par ex. nom@exemple.fr ; trouvé {value!r}",
    ),
    "unresolved_dependency": (
        "depends on {value!r}, which is not a task of this file; the dependency is left out",
        "dépend de {value!r}, qui n'est pas une tâche de ce fichier : la dépendance est ignorée",
    ),
    "ambiguous_tool": (
        "the columns fit several tools ({value}); choose the tool the file comes from",
        "les colonnes conviennent à plusieurs outils ({value}) ; choisissez l'outil d'origine",
    ),
    "unknown_tool": (
        "the columns match no known task export; expected the CSV export of {expected}",
        "les colonnes ne correspondent à aucun export de tâches connu ; attendu l'export CSV "
        "de {expected}",
    ),
    "unknown_tool_name": (
        "no task importer named {value!r}; expected one of {expected}",
        "aucun import de tâches nommé {value!r} ; attendus : {expected}",
    ),
    "unknown_field": (
        "the column mapping names {value!r}, which is not a field; expected one of {expected}",
        "la correspondance de colonnes nomme {value!r}, qui n'est pas un champ ; attendus : "
        "{expected}",
    ),
    "unknown_timezone": (
        "{value!r} is not a time zone; expected a name such as Europe/Paris",
        "{value!r} n'est pas un fuseau horaire ; attendu un nom comme Europe/Paris",
    ),
}


@dataclass(frozen=True)
class TaskProblem(Problem):
    """A ``Problem`` that also knows this package's codes (``MESSAGES`` above)."""

    def message(self, language: str = "en") -> str:
        if self.code not in MESSAGES:
            return super().message(language)
        english, french = MESSAGES[self.code]
        template = french if language.startswith("fr") else english
        return template.format(value=self.value, expected=self.expected, **self.extra)


def problem(
    file: str,
    code: str,
    line: int = 0,
    column: str = "",
    value: object = "",
    expected: object = "",
) -> TaskProblem:
    """A problem of a task file (the codes of ``MESSAGES`` or of ``pilotage.importers``)."""
    text = "" if value is None else str(value)
    return TaskProblem(file, code, line, column, text, str(expected))


def _rejected(file: str, code: str, **kwargs: object) -> Rejected:
    return Rejected([problem(file, code, **kwargs)])  # type: ignore[arg-type]


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class ActionDraft:
    """One task of an export, ready to become an action (nothing is saved here)."""

    tool: str
    external_id: str  # the idempotence key: "asana:1209…", or "notion:h:…" from a hash
    line: int  # where the task starts in the file
    title: str
    status: Status
    source_status: str | None = None  # the tool's own word, as read
    description: str | None = None
    owner_name: str | None = None
    owner_email: str | None = None
    members: tuple[str, ...] = ()  # every assignee, the owner first
    start: dt.date | None = None
    end: dt.date | None = None
    tags: tuple[str, ...] = ()
    section: str | None = None  # section, list or group
    depends_on: tuple[str, ...] = ()  # external ids of drafts of the same file
    budget: Decimal | None = None
    currency: str | None = None
    url: str | None = None
    parent: str | None = None
    source_id: str | None = None  # the task id as the tool writes it

    def answers(self) -> ActionAnswers:
        """The QQOQCCP answers the task gives (Quoi, Comment, Où, Pourquoi are not in exports)."""
        return ActionAnswers(
            owner=self.owner_name or self.owner_email,
            start=self.start,
            end=self.end,
            budget=self.budget,
        )


@dataclass
class TaskImport:
    """A file read into drafts, with the warnings that did not block it."""

    file: str
    tool: str
    drafts: list[ActionDraft]
    warnings: list[Problem] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    columns: dict[str, str] = field(default_factory=dict)  # our field → the file's header
    header_line: int = 0
    encoding: str = ""
    delimiter: str = ""
    board: str | None = None  # the board or database name, when the file says it


@dataclass
class Record:
    """One task's cells by our field name, before any parsing."""

    line: int
    cells: dict[str, Cell]
    section: str | None = None


# ---------------------------------------------------------------- tools


class Tool:
    """One task tool's export. Subclasses set the class attributes; few override methods."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    preset: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    hints: ClassVar[tuple[str, ...]] = ()  # headers only this tool writes: 2 points each
    weak_hints: ClassVar[tuple[str, ...]] = ()  # headers other tools write too: 1 point
    statuses: ClassVar[Mapping[str, Status]] = {}
    default_status: ClassVar[Status] = Status.PLANNED
    list_separator: ClassVar[str] = ","

    def aliases(self, mapping: Mapping[str, str | None] | None = None) -> Aliases:
        """The preset, with the user's ``{field: column}`` first (``None`` drops a field)."""
        mapping = mapping or {}
        taken = {normalize(c) for c in mapping.values() if c}
        table: dict[str, tuple[str, ...]] = {f: (c,) for f, c in mapping.items() if c}
        for name, headers in self.preset.items():
            if name not in mapping:
                table[name] = tuple(h for h in headers if normalize(h) not in taken)
        return Aliases(table)

    def locate(self, grid: Grid, aliases: Aliases) -> Table:
        return locate(grid, aliases.known, min_known=2, label_column=NO_LABEL_COLUMN)

    def score(self, grid: Grid) -> int:
        """0 when the file is not this tool's; otherwise higher the more it looks like it."""
        aliases = self.aliases()
        try:
            table = self.locate(grid, aliases)
        except Rejected:
            return 0
        if "title" not in aliases.match(table.header):
            return 0
        found = {normalize(h) for h in table.header}
        hits = 2 * sum(1 for h in self.hints if normalize(h) in found)
        hits += sum(1 for h in self.weak_hints if normalize(h) in found)
        return 10 + hits + self.shape_bonus(table) if hits else 0

    def shape_bonus(self, table: Table) -> int:
        """Points for a file's shape (Monday's group rows); none by default."""
        return 0

    def board(self, table: Table) -> str | None:
        return None

    def records(
        self, table: Table, columns: Mapping[str, str]
    ) -> tuple[list[Record], list[tuple[int, str]]]:
        """One record per data row; ``skipped`` lists (line, reason) of rows left out."""
        index = {f: table.index(h) for f, h in columns.items()}
        records = [
            Record(line, {f: row[i] if i < len(row) else None for f, i in index.items()})
            for row, line in zip(table.rows, table.lines, strict=True)
        ]
        return records, []

    def split(self, text: str) -> list[str]:
        """A multi-value cell ("Alice, Bob") → its values."""
        return [part.strip() for part in text.split(self.list_separator) if part.strip()]

    def clean_tag(self, tag: str) -> str:
        return tag

    def clean_reference(self, reference: str) -> str:
        """A dependency as written → the id or title it names."""
        return reference

    def clean_section(self, section: str) -> str:
        return section


TOOLS: dict[str, Tool] = {}


def register(cls: type[Tool]) -> type[Tool]:
    """Class decorator: make a tool's reader available by its ``name``."""
    if not cls.name or cls.name in TOOLS:
        raise ValueError(f"task tool {cls.name!r} missing or taken")
    TOOLS[cls.name] = cls()
    return cls


def detect_tool(grid: Grid, candidates: Iterable[Tool] | None = None) -> Tool:
    """The tool whose export ``grid`` is; ``Rejected`` when none or several fit equally."""
    pool = list(candidates if candidates is not None else TOOLS.values())
    scored = sorted(((t.score(grid), t.name, t) for t in pool), key=lambda s: -s[0])
    names = ", ".join(t.label for t in pool)
    if not scored or scored[0][0] == 0:
        raise _rejected(grid.name, "unknown_tool", expected=names)
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        tied = ", ".join(s[2].label for s in scored if s[0] == scored[0][0])
        raise _rejected(grid.name, "ambiguous_tool", value=tied)
    return scored[0][2]


# ---------------------------------------------------------------- reading


def read_tasks(
    data: bytes,
    name: str,
    *,
    tool: str | None = None,
    mapping: Mapping[str, str | None] | None = None,
    statuses: Mapping[str, str] | None = None,
    date_order: str = "",
    timezone: str = "UTC",
) -> TaskImport:
    """Read a task export (CSV or XLSX bytes) into drafts, all or nothing.

    ``tool`` ("asana", "trello", "monday", "notion") skips detection. ``mapping`` overrides
    the tool's preset: ``{"budget": "Coût estimé", "start": None}`` (a field → the file's
    header, or None to ignore the preset column). ``statuses`` maps the file's status words to
    ours: ``{"Validation client": "in_progress"}``. ``date_order`` ("dmy"/"mdy") settles a
    date column where every date reads both ways. ``timezone`` turns timed values with a zone
    (Trello's ``…Z``) into local dates.

    Raises ``Rejected`` with every problem found when any row is bad.
    """
    grid = read_grid(data, name)
    if tool is None:
        reader = detect_tool(grid)
    elif tool in TOOLS:
        reader = TOOLS[tool]
    else:
        raise _rejected(name, "unknown_tool_name", value=tool, expected=", ".join(TOOLS))
    mapping = _check_mapping(name, mapping or {})
    wanted = _check_statuses(name, statuses or {})
    if date_order not in ("", "dmy", "mdy"):
        raise _rejected(name, "choice", value=date_order, expected="dmy, mdy")
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise _rejected(name, "unknown_timezone", value=timezone) from exc
    aliases = reader.aliases(mapping)
    table = reader.locate(grid, aliases)
    problems = Problems()
    present = {normalize(h) for h in table.header}
    for column in mapping.values():
        if column and normalize(column) not in present:
            problems.add(problem(name, "missing_column", expected=column))
    columns = dict(aliases.match(table.header).columns)
    if "title" not in columns:
        problems.add(problem(name, "missing_column", expected=aliases.example("title")))
    problems.raise_if_any()
    records, skipped = reader.records(table, columns)
    kept = []
    for record in records:
        if _truthy(record.cells.get("archived")):
            skipped.append((record.line, "archived"))
        else:
            kept.append(record)
    if not kept:
        problems.add(problem(name, "no_rows", line=table.header_line))
        problems.raise_if_any()
    lines = {r.line for r in kept}
    for line, width in table.overflow:  # a stray delimiter shifts the cells after it
        if line in lines:
            problems.add(
                problem(name, "too_many_cells", line, value=width, expected=len(table.header))
            )
    reading = _Reading(reader, table, columns, kept, problems, wanted, date_order, zone)
    drafts, warnings = reading.drafts()
    problems.raise_if_any()
    return TaskImport(
        file=name,
        tool=reader.name,
        drafts=drafts,
        warnings=warnings,
        skipped=sorted(skipped),
        columns=columns,
        header_line=table.header_line,
        encoding=table.encoding,
        delimiter=table.delimiter,
        board=reader.board(table),
    )


def _check_mapping(name: str, mapping: Mapping[str, str | None]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for key, column in mapping.items():
        our = FIELD_SYNONYMS.get(key, key)
        if our not in FIELDS:
            raise _rejected(name, "unknown_field", value=key, expected=", ".join(FIELDS))
        out[our] = column
    return out


def _check_statuses(name: str, statuses: Mapping[str, str]) -> dict[str, Status]:
    out = {}
    for word, status in statuses.items():
        if status not in set(Status):
            raise _rejected(
                name, "choice", value=status, expected=", ".join(s.value for s in Status)
            )
        out[normalize(word)] = Status(status)
    return out


def _truthy(cell: Cell) -> bool:
    if is_missing(cell):
        return False
    if isinstance(cell, bool):
        return cell
    return normalize(str(cell)) not in FALSE_WORDS


def split_range(text: str) -> tuple[str, str] | None:
    """ "March 1, 2025 → March 15, 2025" or "2025-03-01 - 2025-03-15" → its two ends."""
    for separator in RANGE_SEPARATORS:
        if separator in text:
            left, right = text.split(separator, 1)
            return left.strip(), right.strip()
    return None


def parse_money(cell: Cell, style: str | None) -> tuple[Decimal | None, str | None]:
    """An amount as a ``Decimal`` (never through a float) and the currency its text shows.

    The text is checked by ``parse_number`` (so ``1,234`` in a file proving no style is
    refused as ambiguous), then rebuilt as a Decimal from its digits.
    """
    parsed = parse_number(cell, style)
    if parsed is None or cell is None:
        return None, None
    if isinstance(cell, (int, float)):  # a workbook's number
        if isinstance(cell, float) and not math.isfinite(cell):
            raise ValueProblem("number", cell)
        return Decimal(str(cell)), None
    text = str(cell)
    digits, percent, currency = strip_number(text)
    if percent:
        raise ValueProblem("number", cell)
    decided = style or number_evidence(text)
    if decided == "comma":
        digits = digits.replace(".", "").replace(",", ".")
    elif decided == "dot":
        digits = digits.replace(",", "")
    try:
        return Decimal(digits), currency
    except InvalidOperation as exc:
        raise ValueProblem("number", cell) from exc


class _Reading:
    """Records → drafts for one file, collecting problems (blocking) and warnings."""

    def __init__(
        self,
        tool: Tool,
        table: Table,
        columns: Mapping[str, str],
        records: Sequence[Record],
        problems: Problems,
        statuses: Mapping[str, Status],
        date_order: str,
        zone: ZoneInfo,
    ) -> None:
        self.tool, self.table, self.columns = tool, table, columns
        self.records, self.problems, self.statuses = records, problems, statuses
        self.zone = zone
        self.file = table.name
        self.warnings: list[Problem] = []
        self.orders = {f: date_order or self._order(f) for f in ("start", "due", "dates")}
        self.number_style = self._number_style()
        self.currencies: dict[str, int] = {}
        _, header_code = header_currency(repair_mojibake(columns.get("budget", "")))
        self.header_currency = header_code

    # -- problems

    def _add(
        self, line: int, field_name: str, code: str, value: object = "", expected: object = ""
    ) -> None:
        column = self.columns.get(field_name, "")
        self.problems.add(problem(self.file, code, line, column, value, expected))

    def _warn(
        self, line: int, field_name: str, code: str, value: object, expected: object = ""
    ) -> None:
        column = self.columns.get(field_name, "")
        self.warnings.append(problem(self.file, code, line, column, value, expected))

    def _value_problem(self, line: int, field_name: str, exc: ValueProblem) -> None:
        self._add(line, field_name, exc.code, exc.value, exc.expected)

    # -- column decisions

    def _pieces(self, field_name: str) -> list[tuple[int, Cell]]:
        out: list[tuple[int, Cell]] = []
        for record in self.records:
            cell = record.cells.get(field_name)
            if isinstance(cell, str) and field_name == "dates" and (ends := split_range(cell)):
                out.extend((record.line, TRAILING_PARENS.sub("", end)) for end in ends)
            elif isinstance(cell, str):
                out.append((record.line, TRAILING_PARENS.sub("", cell)))
        return out

    def _order(self, field_name: str) -> str:
        if field_name not in self.columns:
            return ""
        pieces = self._pieces(field_name)
        try:
            return decide_date_order(cell for _, cell in pieces)
        except ValueProblem as exc:
            example = exc.value.split(" / ")[0]
            line = next((ln for ln, c in pieces if str(c).strip() == example), 0)
            self._value_problem(line, field_name, exc)
            return "failed"

    def _number_style(self) -> str | None:
        if "budget" not in self.columns:
            return None
        try:
            return decide_number_style(r.cells.get("budget") for r in self.records)
        except ValueProblem as exc:
            self._value_problem(0, "budget", exc)
            return None

    # -- cells

    def _date(self, record: Record, field_name: str, cell: Cell) -> dt.date | None:
        order = self.orders[field_name]
        if order == "failed" or is_missing(cell):
            return None
        if isinstance(cell, str):
            cell = TRAILING_PARENS.sub("", cell)  # Notion's "(CET)", "(GMT+1)" after a time
        try:
            value = parse_datetime(cell, order, excel_serials=self.table.kind == "xlsx")
        except ValueProblem as exc:
            self._value_problem(record.line, field_name, exc)
            return None
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(self.zone)
        return value.date()

    def _dates(self, record: Record) -> tuple[dt.date | None, dt.date | None]:
        """Start and end: the start and due columns first, then the date/range column."""
        start = self._date(record, "start", record.cells.get("start"))
        end = self._date(record, "due", record.cells.get("due"))
        cell = record.cells.get("dates")
        ends = split_range(cell) if isinstance(cell, str) else None
        if ends:
            first = self._date(record, "dates", ends[0])
            last = self._date(record, "dates", ends[1])
        else:
            first, last = None, self._date(record, "dates", cell)
        return start or first, end or last

    def _status(self, record: Record) -> tuple[Status, str | None]:
        if _truthy(record.cells.get("completed")):
            return Status.DONE, None
        raw = text_value(record.cells.get("status"))
        if raw:
            found = self._lookup(raw)
            if found is None:
                known = ", ".join(s.value for s in Status)
                self._warn(record.line, "status", "unknown_status", raw, known)
                return Status.IDEA, raw
            return found, raw
        section = record.section or text_value(record.cells.get("section"))
        if section and (found := self._lookup(section)) is not None:
            return found, None
        return self.tool.default_status, None

    def _lookup(self, word: str) -> Status | None:
        key = normalize(word)
        return self.statuses.get(key) or self.tool.statuses.get(key) or VOCABULARY.get(key)

    def _budget(self, record: Record) -> tuple[Decimal | None, str | None]:
        cell = record.cells.get("budget")
        try:
            amount, currency = parse_money(cell, self.number_style)
        except ValueProblem as exc:
            self._value_problem(record.line, "budget", exc)
            return None, None
        if amount is None:
            return None, None
        if amount < 0:
            self._add(record.line, "budget", "negative", cell)
        currency = currency or self.header_currency
        if currency:
            self.currencies.setdefault(currency, record.line)
        return amount, currency

    def _people(self, record: Record) -> tuple[str | None, str | None, tuple[str, ...]]:
        owner = text_value(record.cells.get("owner"))
        members = tuple(self.tool.split(owner)) if owner else ()
        email = text_value(record.cells.get("owner_email"))
        if email and not EMAIL.match(email):
            self._add(record.line, "owner_email", "email", email)
            email = None
        if not email:
            email = next((m for m in members if EMAIL.match(m)), None)
        name = next((m for m in members if not EMAIL.match(m)), None)
        return name, email, members

    # -- the drafts

    def drafts(self) -> tuple[list[ActionDraft], list[Problem]]:
        drafts: list[ActionDraft] = []
        references: list[list[str]] = []
        seen: dict[str, int] = {}
        for record in self.records:
            cells = record.cells
            title = text_value(cells.get("title"))
            if not title:
                self._add(record.line, "title", "required")
            start, end = self._dates(record)
            if start and end and end < start:
                column = "due" if cells.get("due") not in (None, "") else "dates"
                self._add(record.line, column, "end_before_start", end, start)
            budget, currency = self._budget(record)
            name, email, members = self._people(record)
            status, raw_status = self._status(record)
            source_id = text_value(cells.get("id"))
            section = record.section or text_value(cells.get("section"))
            section = self.tool.clean_section(section) if section else None
            key = self._key(source_id, title or "", start, end, section)
            if key in seen:
                column = "id" if source_id else "title"
                self._add(record.line, column, "duplicate_key", source_id or title, seen[key])
            seen.setdefault(key, record.line)
            tags = text_value(cells.get("tags"))
            deps = text_value(cells.get("dependencies"))
            references.append([self.tool.clean_reference(d) for d in self.tool.split(deps or "")])
            drafts.append(
                ActionDraft(
                    tool=self.tool.name,
                    external_id=key,
                    line=record.line,
                    title=title or "",
                    status=status,
                    source_status=raw_status,
                    description=_long_text(cells.get("description")),
                    owner_name=name,
                    owner_email=email,
                    members=members,
                    start=start,
                    end=end,
                    tags=tuple(self.tool.clean_tag(t) for t in self.tool.split(tags or "")),
                    section=section,
                    budget=budget,
                    currency=currency,
                    url=text_value(cells.get("url")),
                    parent=text_value(cells.get("parent")),
                    source_id=source_id,
                )
            )
        if len(self.currencies) > 1:
            codes = ", ".join(sorted(self.currencies))
            line = sorted(self.currencies.values())[1]
            self._add(line, "budget", "mixed_currency", codes)
        return self._link(drafts, references), self.warnings

    def _key(
        self,
        source_id: str | None,
        title: str,
        start: dt.date | None,
        end: dt.date | None,
        section: str | None,
    ) -> str:
        if source_id:
            return f"{self.tool.name}:{source_id}"
        basis = "|".join(
            [normalize(title), str(start or ""), str(end or ""), normalize(section or "")]
        )
        return f"{self.tool.name}:h:{hashlib.sha256(basis.encode()).hexdigest()[:16]}"

    def _link(self, drafts: list[ActionDraft], references: list[list[str]]) -> list[ActionDraft]:
        by_id = {d.source_id: d.external_id for d in drafts if d.source_id}
        titles: dict[str, list[str]] = {}
        for d in drafts:
            titles.setdefault(normalize(d.title), []).append(d.external_id)
        out = []
        for draft, refs in zip(drafts, references, strict=True):
            found: list[str] = []
            for ref in refs:
                key = by_id.get(ref)
                if key is None and len(titles.get(normalize(ref), [])) == 1:
                    key = titles[normalize(ref)][0]
                if key is None:
                    self._warn(draft.line, "dependencies", "unresolved_dependency", ref)
                elif key != draft.external_id and key not in found:
                    found.append(key)
            out.append(replace(draft, depends_on=tuple(found)))
        return out


def _long_text(cell: Cell) -> str | None:
    """Text keeping its line breaks (descriptions), trimmed; None when empty."""
    if is_missing(cell):
        return None
    text = str(cell).replace("\r\n", "\n").strip()
    return text or None


def is_group_row(row: Sequence[Cell]) -> bool:
    """Only the first cell holds something (a Monday group title, a board name)."""
    return not blank(row[:1]) and blank(row[1:])
