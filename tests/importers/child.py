"""Processes driven by test_atomicity: an importer to kill, and a dashboard-style reader.

Run as ``python -m tests.importers.child import WAREHOUSE FILE`` or
``python -m tests.importers.child read WAREHOUSE SECONDS OUT``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from pilotage.importers import import_files
from pilotage.warehouse import Warehouse, connect


def do_import(root: str, file: str) -> None:
    path = Path(file)
    import_files([(path.name, path.read_bytes())], Warehouse(Path(root)), "acme")
    print("done", flush=True)


def do_read(root: str, seconds: str, out: str) -> None:
    """Read the spend table again and again; record every (batch → rows) state seen."""
    warehouse = Warehouse(Path(root))
    seen: list[dict[str, int]] = []
    deadline = time.monotonic() + float(seconds)
    while time.monotonic() < deadline:
        con = connect(warehouse, "acme")
        rows = con.execute("select import_id, count(*) from spend group by 1").fetchall()
        seen.append({str(k): int(v) for k, v in rows})
        con.close()
        if len(seen) == 1:
            Path(out + ".ready").touch()  # the writer starts once the reader reads
    Path(out).write_text(json.dumps(seen))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"import": do_import, "read": do_read}[command](*args)
