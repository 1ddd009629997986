"""Benchmarks. Each figure is a ratio to a baseline measured in the same run, because these
machines are shared and noisy: absolute seconds are printed for context only.

Writes ``bench/results/<name>.json``. Run with ``make bench``.
"""

from __future__ import annotations

import json
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow.compute as pc

from pilotage.metrics import overview
from pilotage.simulate import BOUTIQUE, simulate
from pilotage.warehouse import Warehouse, connect

RESULTS = Path(__file__).resolve().parent / "results"


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def dashboard_query_vs_arrow() -> dict:
    """The home page's monthly spend query through DuckDB over Delta files, against the same
    aggregation done in memory with pyarrow on an already-loaded table (the baseline)."""
    market = simulate(BOUTIQUE, seed=1)
    with tempfile.TemporaryDirectory() as tmp:
        warehouse = Warehouse(Path(tmp))
        for name, table in market.tables.items():
            warehouse.write_batch("bench", name, table, market.import_id)
        spend = market.tables["spend"]
        period = overview.Period.last_12_months(overview.last_data_day(connect(warehouse, "bench")))

        def baseline() -> None:
            mask = pc.and_(
                pc.greater_equal(spend["date"], period.start),
                pc.less_equal(spend["date"], period.end),
            )
            rows = spend.filter(mask)
            rows = rows.append_column("month", pc.strftime(rows["date"], "%Y-%m"))
            rows.group_by(["month", "channel"]).aggregate([("cost", "sum")])

        def candidate() -> None:
            overview.spend_by_channel_month(connect(warehouse, "bench"), period)

        base, cand = best_of(baseline), best_of(candidate)
    return {
        "name": "dashboard_query_vs_arrow",
        "what": " ".join((dashboard_query_vs_arrow.__doc__ or "").split()),
        "baseline_s": base,
        "candidate_s": cand,
        "ratio": cand / base,
    }


def main() -> None:
    RESULTS.mkdir(exist_ok=True)
    for bench in (dashboard_query_vs_arrow,):
        result = bench() | {"python": platform.python_version(), "at": time.strftime("%F %T")}
        (RESULTS / f"{result['name']}.json").write_text(json.dumps(result, indent=2) + "\n")
        print(
            f"{result['name']}: ratio {result['ratio']:.2f} "
            f"(candidate {result['candidate_s'] * 1000:.1f} ms, baseline "
            f"{result['baseline_s'] * 1000:.1f} ms)"
        )


if __name__ == "__main__":
    main()
