"""Importers: one per export format, registered by name, detected by their header signature.

An importer says which canonical table it fills, its alias table (canonical field → header
names in every language), the fields whose presence identifies its files (``signature``), and
how to turn a located table into canonical rows (``convert``). The shared machinery finds the
header row, extracts typed columns and reports problems; an importer only states the mapping.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pyarrow as pa

from pilotage.importers.aliases import Aliases, Match
from pilotage.importers.convert import Extract
from pilotage.importers.problems import Problem, Problems, Rejected
from pilotage.importers.reader import Grid, Table, locate
from pilotage.importers.taxonomy import Taxonomy


@dataclass(frozen=True)
class Context:
    """What an import knows beyond the file: defaults chosen by the workspace or the user."""

    currency: str | None = None  # used only when the file says none; never overrides the file
    timezone: str = "UTC"  # for naive times in the file
    taxonomy: Taxonomy = field(default_factory=Taxonomy)
    date_order: str = ""  # "dmy"/"mdy": the user's answer for an ambiguous file
    language: str = "en"
    # the generic importer: which canonical table, and canonical field → the file's header
    table: str = ""
    mapping: tuple[tuple[str, str], ...] = ()


@dataclass
class Converted:
    """Canonical rows (without lineage columns) and what the importer noticed on the way."""

    tables: dict[str, pa.Table]
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    details: dict[str, Any] = field(default_factory=dict)  # currency, date orders, range…


class Importer:
    """Base class. Subclasses set the class attributes and implement ``convert``."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    tables: ClassVar[tuple[str, ...]] = ()
    aliases: ClassVar[Aliases]
    signature: ClassVar[tuple[str, ...]] = ()
    # optional: fields whose presence rules the importer out (to tell look-alikes apart)
    excludes: ClassVar[tuple[str, ...]] = ()
    filename: ClassVar[re.Pattern[str] | None] = None
    stop_at_blank: ClassVar[bool] = False
    footer: ClassVar[re.Pattern[str] | None] = None
    min_known: ClassVar[int] = 2

    def locate(self, grid: Grid) -> Table:
        return locate(
            grid,
            self.aliases.known,
            min_known=self.min_known,
            stop_at_blank=self.stop_at_blank,
            footer=self.footer,
        )

    def locate_with(self, grid: Grid, context: Context) -> Table:
        """``locate``, for importers whose header depends on the import's options."""
        return self.locate(grid)

    def score(self, grid: Grid) -> float:
        """How well a file fits this importer: 0 when its signature is incomplete."""
        try:
            table = self.locate(grid)
        except Rejected:
            return 0.0
        match = self.aliases.match(table.header)
        if any(f not in match for f in self.signature):
            return 0.0
        if any(f in match for f in self.excludes):
            return 0.0
        known = len(match.columns)
        bonus = 2.0 if self.filename and self.filename.search(grid.name) else 0.0
        return len(self.signature) * 10 + known + bonus

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        raise NotImplementedError

    def fast(self, data: bytes, name: str, context: Context) -> Converted | None:
        """A bulk path for large well-formed files; None means "use the checked path".

        Only the canonical format has one: it must give exactly the rows ``convert`` would,
        and return None on anything unusual so that problems get reported precisely.
        """
        return None

    # -- helpers for subclasses

    def extract(
        self,
        table: Table,
        match: Match,
        context: Context,
        problems: Problems,
        numeric: Sequence[str],
    ) -> Extract:
        return Extract(
            table,
            problems,
            numeric=[match.get(f) for f in numeric],
            timezone=context.timezone,
            date_order=context.date_order,
        )

    def require(self, table: Table, match: Match, problems: Problems, *fields: str) -> bool:
        """Record a problem per missing required field; True when all are present."""
        ok = True
        for name in fields:
            if name not in match:
                problems.add(
                    Problem(table.name, "missing_column", expected=self.aliases.example(name))
                )
                ok = False
        return ok


REGISTRY: dict[str, Importer] = {}


def register(cls: type[Importer]) -> type[Importer]:
    """Class decorator: make an importer available by its ``name``."""
    if not cls.name or cls.name in REGISTRY:
        raise ValueError(f"importer name {cls.name!r} missing or taken")
    REGISTRY[cls.name] = cls()
    return cls


def importers() -> Mapping[str, Importer]:
    from pilotage.importers import sources  # noqa: F401  (registers the built-in importers)

    return REGISTRY
