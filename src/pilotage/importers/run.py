"""Importing files: detect, read, convert, check — then write, all or nothing.

``prepare`` reads one file into canonical rows without writing anything (the preview, and
``--dry-run``). ``import_files`` prepares every file first; if any is rejected nothing is
written and the problems of all files are reported. Otherwise each file is written as one
batch whose id is the hash of its bytes, so importing the same file again changes nothing.
A file's rows go to their table in one atomic Delta commit; ``undo`` removes a batch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pilotage.importers.base import Context, Importer, importers
from pilotage.importers.problems import Problem, Problems, Rejected, reject
from pilotage.importers.reader import Grid, read_grid
from pilotage.warehouse import SchemaError, Warehouse, conform
from pilotage.warehouse.schema import constant


@dataclass
class Prepared:
    """One file read and converted, ready to write (or to preview)."""

    file: str
    sha256: str
    importer: str
    label: str
    tables: dict[str, pa.Table]  # canonical rows with lineage columns
    rows_read: int
    skipped: list[tuple[int, str]] = field(default_factory=list)
    kind: str = "csv"
    encoding: str = ""
    delimiter: str = ""
    header_line: int = 0
    details: dict[str, object] = field(default_factory=dict)

    @property
    def import_id(self) -> str:
        return "imp-" + self.sha256[:20]

    def summary(self) -> dict[str, object]:
        return {
            "file": self.file,
            "source": self.importer,
            "label": self.label,
            "import_id": self.import_id,
            "sha256": self.sha256,
            "format": self.kind,
            "encoding": self.encoding,
            "delimiter": {"\t": "tab"}.get(self.delimiter, self.delimiter),
            "header_line": self.header_line,
            "rows_read": self.rows_read,
            "rows": {name: t.num_rows for name, t in self.tables.items()},
            "skipped": [{"line": line, "reason": reason} for line, reason in self.skipped],
            "currencies": self.currencies(),
            "details": {k: v for k, v in self.details.items()},
        }

    def currencies(self) -> list[str]:
        """The currencies of the file's amounts (one at most, by construction)."""
        found: set[str] = set()
        for table in self.tables.values():
            if "currency" in table.column_names:
                found.update(str(c) for c in pc.unique(table.column("currency")).to_pylist() if c)
        return sorted(found)


def detect(grid: Grid, candidates: Iterable[Importer] | None = None) -> Importer:
    """The importer whose signature fits the file best; ``Rejected`` when none fits."""
    pool = list(candidates or importers().values())
    scored = sorted(((imp.score(grid), imp.name, imp) for imp in pool), key=lambda t: -t[0])
    if not scored or scored[0][0] <= 0:
        raise reject(grid.name, "unknown_source", expected=", ".join(sorted(i.name for i in pool)))
    return scored[0][2]


def prepare(
    data: bytes, name: str, *, source: str = "auto", context: Context | None = None
) -> Prepared:
    """Read and convert one file. Raises ``Rejected`` with every problem found; writes nothing."""
    context = context or Context()
    registry = importers()
    digest = hashlib.sha256(data).hexdigest()
    if source != "auto" and source not in registry:
        raise reject(name, "unknown_importer", value=source, expected=", ".join(sorted(registry)))
    if source != "auto":
        importer = registry[source]
    elif data[:4] == b"PAR1":
        importer = _parquet_importer(data, name, registry)
    else:
        importer = detect(read_grid(_head(data), name))
    fast = importer.fast(data, name, context)
    grid = None if fast is not None else read_grid(data, name)
    problems = Problems()
    if fast is not None:
        parquet = data[:4] == b"PAR1"
        meta = (
            {"kind": "parquet"}
            if parquet
            else {"kind": "csv", "encoding": "utf-8", "delimiter": ","}
        )
        converted = fast
        rows_read = max((t.num_rows for t in converted.tables.values()), default=0)
        header_line = 1
    else:
        assert grid is not None
        table = importer.locate_with(grid, context)
        match = importer.aliases.match(table.header)
        for line, cells in table.overflow:
            problems.add(
                Problem(
                    name,
                    "too_many_cells",
                    line=line,
                    value=str(cells),
                    expected=str(len(table.header)),
                )
            )
        converted = importer.convert(table, match, context, problems)
        if problems.date_orders:
            converted.details.setdefault("date_orders", dict(problems.date_orders))
        if not problems and not table.rows:
            problems.add(Problem(name, "no_rows"))
        problems.raise_if_any()
        meta = {"kind": table.kind, "encoding": table.encoding, "delimiter": table.delimiter}
        rows_read = len(table.rows)
        header_line = table.header_line
        converted.skipped[:0] = table.dropped
    prepared = Prepared(
        file=name,
        sha256=digest,
        importer=importer.name,
        label=importer.label,
        tables={},
        rows_read=rows_read,
        skipped=sorted(converted.skipped),
        header_line=header_line,
        details=converted.details,
        **meta,
    )
    for table_name, rows in converted.tables.items():
        prepared.tables[table_name] = _with_lineage(
            table_name, rows, importer.name, prepared.import_id, name
        )
    return prepared


HEAD_BYTES = 64 * 1024


def _head(data: bytes) -> bytes:
    """The first complete lines of a big text file: enough to detect its source."""
    if len(data) <= HEAD_BYTES or data[:4] == b"PK\x03\x04":
        return data
    head = data[:HEAD_BYTES]
    utf16 = head[:2] in (b"\xff\xfe", b"\xfe\xff")
    cut = head.rfind(b"\n\x00") + 2 if utf16 else head.rfind(b"\n") + 1
    return head[:cut] if cut > 2 else head


def _parquet_importer(data: bytes, name: str, registry: Mapping[str, Importer]) -> Importer:
    """The canonical importer of a Parquet file, from its column names."""
    import io

    import pyarrow.parquet as pq

    try:
        columns = set(pq.read_schema(io.BytesIO(data)).names)
    except (pa.ArrowInvalid, OSError) as exc:
        raise reject(name, "bad_parquet", expected=str(exc)[:200]) from exc
    fits = [
        imp
        for imp in registry.values()
        if imp.name.startswith("pilotage_") and set(imp.signature) <= columns
    ]
    if not fits:
        raise reject(name, "unknown_source", expected="a Pilotage canonical table")
    return max(fits, key=lambda imp: len(imp.signature))


def _with_lineage(table: str, rows: pa.Table, source: str, import_id: str, file: str) -> pa.Table:
    n = rows.num_rows
    rows = rows.append_column("source", constant(source, n))
    rows = rows.append_column("import_id", constant(import_id, n))
    try:
        return conform(table, rows)
    except SchemaError as exc:
        raise reject(file, "schema", value=table, expected=str(exc)) from exc


@dataclass
class Committed:
    prepared: Prepared
    written: dict[str, bool]  # table → a new version was committed
    versions: dict[str, int | None]

    def summary(self) -> dict[str, object]:
        out = self.prepared.summary()
        out["written"] = self.written
        out["versions"] = self.versions
        out["changed"] = any(self.written.values())
        return out


def commit(prepared: Prepared, warehouse: Warehouse, workspace: str) -> Committed:
    """Write one prepared file: one atomic commit per table it fills."""
    written: dict[str, bool] = {}
    done: list[str] = []
    try:
        for table, rows in prepared.tables.items():
            written[table] = warehouse.write_batch(workspace, table, rows, prepared.import_id)
            done.append(table)
    except BaseException:
        # a file filling several tables: take back what was written before the failure
        for table in done:
            if written[table]:
                warehouse.undo(workspace, table, prepared.import_id)
        raise
    versions = {t: warehouse.version(workspace, t) for t in prepared.tables}
    return Committed(prepared, written, versions)


def read_inputs(paths: Sequence[str | Path]) -> list[tuple[str, bytes]]:
    out = []
    for path in paths:
        p = Path(path)
        out.append((p.name, p.read_bytes()))
    return out


def prepare_all(
    files: Sequence[tuple[str, bytes]], *, source: str = "auto", context: Context | None = None
) -> list[Prepared]:
    """Prepare every file; ``Rejected`` with the problems of all rejected files together."""
    prepared: list[Prepared] = []
    problems: list[Problem] = []
    overflow = 0
    for name, data in files:
        try:
            prepared.append(prepare(data, name, source=source, context=context))
        except Rejected as exc:
            problems.extend(exc.problems)
            overflow += exc.overflow
    if problems:
        raise Rejected(problems, overflow)
    return prepared


def import_files(
    files: Sequence[tuple[str, bytes]],
    warehouse: Warehouse,
    workspace: str,
    *,
    source: str = "auto",
    context: Context | None = None,
    dry_run: bool = False,
) -> list[Committed] | list[Prepared]:
    """Import files all or nothing: nothing is written unless every file is accepted."""
    prepared = prepare_all(files, source=source, context=context)
    if dry_run:
        return prepared
    return [commit(p, warehouse, workspace) for p in prepared]


def undo(
    warehouse: Warehouse, workspace: str, import_id: str, tables: Iterable[str]
) -> dict[str, bool]:
    """Remove batch ``import_id`` from ``tables`` (one commit each)."""
    return {t: warehouse.undo(workspace, t, import_id) for t in tables}
