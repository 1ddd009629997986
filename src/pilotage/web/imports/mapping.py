"""The column-mapping step of the generic importer: the file's columns and suggested matches."""

from __future__ import annotations

from pilotage.importers import Rejected
from pilotage.importers.aliases import normalize
from pilotage.importers.reader import read_grid
from pilotage.warehouse import SCHEMAS

LINEAGE = ("source", "import_id")
SAMPLES = 3


def file_columns(name: str, data: bytes) -> tuple[list[str], dict[str, list[str]]]:
    """The header of a file (its first row with the most filled cells among the first 40) and
    a few sample values per column. Empty when the file cannot be read."""
    try:
        grid = read_grid(data, name)
    except Rejected:
        return [], {}
    rows = grid.rows[:40]
    if not rows:
        return [], {}
    best = max(range(len(rows)), key=lambda i: sum(1 for c in rows[i] if str(c or "").strip()))
    headers = [str(c).strip() for c in rows[best] if str(c or "").strip()]
    samples: dict[str, list[str]] = {h: [] for h in headers}
    positions = {h: i for i, h in enumerate(str(c or "").strip() for c in rows[best])}
    for row in grid.rows[best + 1 : best + 1 + SAMPLES]:
        for header in headers:
            i = positions[header]
            if i < len(row) and row[i] not in (None, ""):
                samples[header].append(str(row[i]))
    return headers, samples


def fields(table: str, headers: list[str], chosen: dict[str, str]) -> list[dict]:
    """Each field of ``table`` with the header chosen for it (or the one named like it)."""
    by_name = {normalize(h): h for h in headers}
    out = []
    for field in SCHEMAS[table]:
        if field.name in LINEAGE:
            continue
        guess = chosen.get(field.name) or by_name.get(normalize(field.name.replace("_", " ")), "")
        out.append(
            {
                "name": field.name,
                "required": not field.nullable,
                "type": str(field.type),
                "chosen": guess,
            }
        )
    return out
