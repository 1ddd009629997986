"""Importing a 5M-row canonical spend CSV, against DuckDB's own ``read_csv`` → Parquet.

Both run in a fresh child process, one after the other, so that each one's peak memory (the
child's maximum resident set size) is measured alone. The ratio compares wall-clock times
measured in the same run; the target is ≤ 2× DuckDB's time and < 2 GB peak memory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

ROWS = 5_000_000
CACHE = Path(__file__).resolve().parent / ".cache"
ROOT = Path(__file__).resolve().parents[1]

DUCKDB = """
import duckdb, sys
con = duckdb.connect()
con.execute(f'''COPY (SELECT * FROM read_csv('{sys.argv[1]}', header=true, columns={{
  'date': 'DATE', 'channel': 'VARCHAR', 'campaign': 'VARCHAR', 'cost': 'DOUBLE',
  'currency': 'VARCHAR', 'impressions': 'BIGINT', 'clicks': 'BIGINT',
  'platform_conversions': 'DOUBLE', 'platform_conversion_value': 'DOUBLE'}}))
  TO '{sys.argv[2]}/spend.parquet' (FORMAT parquet)''')
"""

PILOTAGE = """
import sys
from pathlib import Path
from pilotage.importers import import_files
from pilotage.warehouse import Warehouse
path = Path(sys.argv[1])
done = import_files([(path.name, path.read_bytes())], Warehouse(Path(sys.argv[2])), "bench")
assert done[0].prepared.tables["spend"].num_rows == int(sys.argv[3])
"""


def spend_file(rows: int = ROWS) -> Path:
    """A canonical spend CSV of ``rows`` rows (built once, cached)."""
    path = CACHE / f"spend_{rows}.csv"
    if path.exists():
        return path
    CACHE.mkdir(exist_ok=True)
    rng = np.random.default_rng(5)
    channels = np.array(["Paid search", "Paid social", "Display", "Email", "Trade shows"])
    days = np.datetime64("2020-01-01") + rng.integers(0, 2000, rows).astype("timedelta64[D]")
    table = pa.table(
        {
            "date": pa.array(days.astype("datetime64[D]"), pa.date32()),
            "channel": pa.array(channels[rng.integers(0, 5, rows)]),
            "campaign": pa.array(np.char.add("Campaign ", rng.integers(0, 500, rows).astype(str))),
            "cost": np.round(rng.gamma(2.0, 60.0, rows), 2),
            "currency": pa.array(["EUR"] * rows),
            "impressions": rng.poisson(3000, rows),
            "clicks": rng.poisson(90, rows),
            "platform_conversions": np.round(rng.gamma(1.0, 2.0, rows), 2),
            "platform_conversion_value": np.round(rng.gamma(1.0, 200.0, rows), 2),
        }
    )
    pacsv.write_csv(table, path)
    return path


def run_child(code: str, *args: str) -> tuple[float, int]:
    """Wall-clock seconds and peak resident memory (bytes) of ``python -c code args``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code, *args], env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"child failed with status {process.returncode}")
    return elapsed, usage.ru_maxrss * 1024  # Linux reports kilobytes


def import_csv(rows: int = ROWS, repeat: int = 2) -> dict:
    path = spend_file(rows)
    best: dict[str, tuple[float, int]] = {}
    for _ in range(repeat):  # alternate, so a burst of load hits both
        for name, code in (("duckdb", DUCKDB), ("pilotage", PILOTAGE)):
            with tempfile.TemporaryDirectory() as out:
                seconds, memory = run_child(code, str(path), out, str(rows))
            if name not in best or seconds < best[name][0]:
                best[name] = (seconds, max(memory, best.get(name, (0, 0))[1]))
    base, cand = best["duckdb"], best["pilotage"]
    return {
        "name": "import_csv",
        "what": " ".join((__doc__ or "").split()),
        "rows": rows,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "baseline_s": base[0],
        "candidate_s": cand[0],
        "ratio": cand[0] / base[0],
        "rows_per_s": rows / cand[0],
        "baseline_peak_mb": round(base[1] / 1e6),
        "candidate_peak_mb": round(cand[1] / 1e6),
        "targets": {"ratio_at_most": 2.0, "peak_mb_below": 2000},
    }


def describe(result: dict) -> str:
    return (
        f"import_csv: {result['rows']:,} rows ({result['file_mb']} MB) in "
        f"{result['candidate_s']:.1f} s = {result['rows_per_s']:,.0f} rows/s, ratio "
        f"{result['ratio']:.2f} to DuckDB read_csv → Parquet ({result['baseline_s']:.1f} s); "
        f"peak memory {result['candidate_peak_mb']} MB (DuckDB {result['baseline_peak_mb']} MB)"
    )
