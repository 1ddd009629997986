"""Pilotage's own format: one CSV (or Parquet) file per canonical table, columns named as in
DESIGN.md §4 and docs/importing.md. The format to use when no vendor importer fits, and the
fast path for big files: a well-formed file is read in bulk by Arrow; anything unusual goes
through the checked path, which reports every bad cell with its line and column.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pilotage.importers.aliases import Aliases, Match
from pilotage.importers.base import Context, Converted, Importer, register
from pilotage.importers.problems import Problem, Problems, reject
from pilotage.importers.reader import Grid, Table, locate
from pilotage.importers.values import header_currency, is_missing
from pilotage.warehouse import SCHEMAS, SchemaError
from pilotage.warehouse.schema import UPSERT_KEYS

LINEAGE = ("source", "import_id")
TRUE = {"true", "1", "yes", "y", "t", "vrai", "oui"}
FALSE = {"false", "0", "no", "n", "f", "faux", "non"}


def _fields(table: str) -> list[pa.Field]:
    return [f for f in SCHEMAS[table] if f.name not in LINEAGE]


class CanonicalImporter(Importer):
    target: str = ""
    min_known = 2
    strict = True  # every column of the file must be a canonical one

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        return self.typed(self.target, table, match, context, problems)

    def typed(
        self,
        target: str,
        table: Table,
        match: Match,
        context: Context,
        problems: Problems,
        defaults: dict[str, object] | None = None,
    ) -> Converted:
        """Canonical rows of ``target`` from the columns ``match`` names, every cell checked;
        ``defaults`` give a value for every row of a field that no column holds."""
        fields = _fields(target)
        names = {f.name for f in fields}
        extra = [h for h in table.header if h.strip() and h not in names and h not in LINEAGE]
        for name in extra if self.strict else ():
            problems.add(
                Problem(
                    table.name,
                    "unexpected_column",
                    column=name,
                    expected=f"one of {', '.join(sorted(names))}",
                )
            )
        numeric = [
            f.name for f in fields if pa.types.is_floating(f.type) or pa.types.is_integer(f.type)
        ]
        ex = self.extract(table, match, context, problems, numeric)
        columns: dict[str, Sequence[object]] = {}
        for f in fields:
            header = match.get(f.name)
            required = not f.nullable
            if header is None and defaults and f.name in defaults:
                columns[f.name] = [defaults[f.name]] * len(table.rows)
                continue
            if header is None and required:
                ex.missing(f.name)
                return Converted({})
            if header is not None and header not in table.header:
                ex.missing(header)
                return Converted({})
            if pa.types.is_timestamp(f.type):
                columns[f.name] = ex.timestamp(header, required=required)
            elif pa.types.is_date(f.type):
                columns[f.name] = ex.date(header, required=required)
            elif pa.types.is_integer(f.type):
                columns[f.name] = ex.integer(header, required=required)
            elif pa.types.is_floating(f.type):
                columns[f.name] = ex.number(header, required=required)
            elif pa.types.is_boolean(f.type):
                columns[f.name] = self._booleans(table, header, problems, required)
            else:
                columns[f.name] = ex.text(header, required=required)
        key = UPSERT_KEYS.get(target, ())
        first: dict[tuple[object, ...], int] = {}
        for i, value in enumerate(zip(*(columns[k] for k in key), strict=True) if key else ()):
            if None in value:
                continue
            if value in first:
                problems.add(
                    Problem(
                        table.name,
                        "duplicate_key",
                        line=table.lines[i],
                        column=match.get(key[0]) or key[0],
                        value=" / ".join(str(v) for v in value),
                        expected=str(first[value]),
                    )
                )
            else:
                first[value] = table.lines[i]
        if "score" in columns:
            for i, score in enumerate(columns["score"]):
                if score is not None and not 0 <= int(score) <= 10:  # type: ignore[call-overload]
                    problems.add(
                        Problem(
                            table.name,
                            "score",
                            line=table.lines[i],
                            column=match.get("score") or "score",
                            value=str(score),
                        )
                    )
        if problems:
            return Converted({})
        data = pa.table({f.name: pa.array(columns[f.name], type=f.type) for f in fields})
        return Converted({target: data}, details={"table": target})

    def _booleans(
        self, table: Table, header: str | None, problems: Problems, required: bool
    ) -> list[bool | None]:
        out: list[bool | None] = []
        for i, cell in enumerate(table.column(header) if header else [None] * len(table.rows)):
            if is_missing(cell):
                if required:
                    problems.add(
                        Problem(table.name, "required", line=table.lines[i], column=header or "")
                    )
                out.append(None)
                continue
            text = str(cell).strip().lower()
            if isinstance(cell, (int, float)) and cell in (0, 1):
                out.append(bool(cell))
            elif text in TRUE:
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
                        expected="true, false",
                    )
                )
                out.append(None)
        return out

    def fast(self, data: bytes, name: str, context: Context) -> Converted | None:
        parquet = data[:4] == b"PAR1"
        if context.timezone != "UTC" and not parquet:
            return None
        try:
            return self._bulk(data, parquet)
        except _NotBulk as exc:
            if parquet:  # no checked path for Parquet: say what is wrong with the table
                raise reject(name, "schema", value=self.target, expected=str(exc)) from exc
            return None

    def _bulk(self, data: bytes, parquet: bool) -> Converted:
        fields = _fields(self.target)
        try:
            if parquet:
                raw: Any = pq.read_table(io.BytesIO(data))
            else:
                if data[:3] == b"\xef\xbb\xbf":
                    data = data[3:]
                first = data[: data.find(b"\n")].decode("utf-8").strip()
                header = [h.strip().strip('"') for h in first.split(",")]
                known = {f.name: f.type for f in fields}
                if any(h not in known and h not in LINEAGE for h in header):
                    raise _NotBulk("unexpected columns")
                types = {
                    h: pa.string() if pa.types.is_boolean(known[h]) else known[h]
                    for h in header
                    if h in known
                }
                raw = pacsv.read_csv(
                    io.BytesIO(data),
                    convert_options=pacsv.ConvertOptions(
                        column_types=types,
                        strings_can_be_null=True,
                        quoted_strings_can_be_null=True,
                        timestamp_parsers=[pacsv.ISO8601],  # type: ignore[list-item]
                    ),
                )
            raw = raw.drop_columns([str(c) for c in LINEAGE if c in raw.column_names])
            unexpected = set(raw.column_names) - {f.name for f in fields}
            if unexpected:
                raise _NotBulk(f"unexpected columns {sorted(unexpected)}")
            columns: dict[str, Any] = {}
            for f in fields:
                if f.name in raw.column_names:
                    column: Any = raw.column(f.name)
                    if pa.types.is_boolean(f.type) and not pa.types.is_boolean(column.type):
                        lowered = pc.utf8_lower(pc.utf8_trim_whitespace(column))
                        valid = pc.is_in(lowered, pa.array(sorted(TRUE | FALSE)))
                        if pc.any(pc.invert(valid)).as_py():
                            raise _NotBulk(f"{f.name}: expected true or false")
                        column = pc.is_in(lowered, pa.array(sorted(TRUE)))
                    columns[f.name] = column
                else:
                    columns[f.name] = pa.nulls(raw.num_rows, f.type)
            for f in fields:
                columns[f.name] = columns[f.name].cast(f.type)
                if not f.nullable and columns[f.name].null_count:
                    raise _NotBulk(f"{f.name}: empty values in a required column")
            table = pa.table(columns)
        except (
            pa.ArrowInvalid,
            pa.ArrowNotImplementedError,
            SchemaError,
            UnicodeDecodeError,
            OSError,
        ) as exc:
            raise _NotBulk(str(exc)[:300]) from exc
        key = list(UPSERT_KEYS.get(self.target, ()))
        if key and table.select(key).group_by(key).aggregate([]).num_rows != table.num_rows:
            raise _NotBulk(f"a {' + '.join(key)} appears more than once")
        if "score" in table.column_names:
            scores: Any = table.column("score")
            low, high = pc.min_max(scores).values()
            if (low.as_py() or 0) < 0 or (high.as_py() or 0) > 10:
                raise _NotBulk("scores must be between 0 and 10")
        if table.num_rows == 0:
            raise _NotBulk("no rows")
        return Converted({self.target: table}, details={"table": self.target, "bulk": True})


class _NotBulk(Exception):
    """The file is not a clean canonical file; the checked path will say why, precisely."""


def _make(table: str) -> type[CanonicalImporter]:
    fields = _fields(table)
    required = tuple(f.name for f in fields if not f.nullable)
    attributes = {
        "name": f"pilotage_{table}",
        "label": f"Pilotage canonical {table}",
        "tables": (table,),
        "target": table,
        "aliases": Aliases({f.name: () for f in fields}, names_match=True),
        "signature": required,
        "min_known": min(2, len(required)),
    }
    return register(type(f"Canonical_{table}", (CanonicalImporter,), attributes))  # type: ignore[return-value]


CANONICAL = {table: _make(table) for table in SCHEMAS}

CHANNEL_COLUMNS = {"channel", "acquisition_channel"}


@register
class GenericImporter(CanonicalImporter):
    """Any table-shaped file, with the user's column mapping (``Context.mapping``) onto a
    canonical table (``Context.table``). Never auto-detected. Extra columns are ignored; the
    mapped channel column goes through the workspace's channel rules (its value is the
    source)."""

    name = "generic"
    label = "Any file, with a column mapping"
    tables = tuple(SCHEMAS)
    aliases = Aliases({})
    strict = False
    min_known = 1

    def score(self, grid: Grid) -> float:
        return 0.0

    def fast(self, data: bytes, name: str, context: Context) -> Converted | None:
        return None

    def locate_with(self, grid: Grid, context: Context) -> Table:
        """The header row is the one holding the mapped headers."""
        headers = {header for _, header in context.mapping if header}
        if not headers:
            return locate(grid, lambda cell: bool(cell.strip()), min_known=1)
        return locate(grid, lambda cell: cell.strip() in headers, min_known=1)

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        if context.table not in SCHEMAS:
            problems.add(
                Problem(
                    table.name,
                    "choice",
                    column="table",
                    value=context.table,
                    expected=", ".join(SCHEMAS),
                )
            )
            return Converted({})
        mapped = Match({f: h for f, h in context.mapping if h}, {})
        defaults: dict[str, object] = {}
        if "currency" in SCHEMAS[context.table].names and "currency" not in mapped:
            suffixes = {header_currency(h)[1] for h in mapped.columns.values()} - {None}
            if len(suffixes) > 1:
                found = ", ".join(sorted(str(s) for s in suffixes))
                problems.add(Problem(table.name, "mixed_currency", value=found))
                return Converted({})
            currency = next(iter(suffixes), None) or context.currency
            if currency is None:
                problems.add(Problem(table.name, "no_currency"))
                return Converted({})
            defaults["currency"] = currency
        converted = self.typed(context.table, table, mapped, context, problems, defaults)
        rows = converted.tables.get(context.table)
        if rows is None:
            return converted
        for column in CHANNEL_COLUMNS & set(rows.column_names):
            raw = rows.column(column).to_pylist()
            campaign = (
                rows.column("campaign").to_pylist()
                if "campaign" in rows.column_names
                else [None] * len(raw)
            )
            channels = [
                None if value is None else context.taxonomy.classify(source=value, campaign=c)
                for value, c in zip(raw, campaign, strict=True)
            ]
            index = rows.column_names.index(column)
            rows = rows.set_column(index, column, pa.array(channels, pa.string()))
        converted.tables[context.table] = rows
        converted.details["mapping"] = dict(context.mapping)
        return converted
