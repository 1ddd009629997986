"""Benchmarks. Each figure is a ratio to a baseline measured in the same run, because these
machines are shared and noisy: absolute seconds are printed for context only.

Writes ``bench/results/<name>.json``. Run with ``make bench``, or one benchmark with
``python bench/run.py <name>`` (``python bench/run.py --list`` names them).
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import allocation_capture
import clv_fit
import import_csv
import kpi_cube
import markov_attribution
import mmm_information_bound
import mmm_laplace_check
import mmm_peer
import mmm_published
import mmm_recovery
import mmm_s_curves
import pyarrow.compute as pc
from timing import best_of

from pilotage.metrics import overview
from pilotage.simulate import BOUTIQUE, simulate
from pilotage.warehouse import Warehouse, connect

RESULTS = Path(__file__).resolve().parent / "results"


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


def _ratio(result: dict) -> str:
    return (
        f"{result['name']}: ratio {result['ratio']:.2f} "
        f"(candidate {result['candidate_s'] * 1000:.1f} ms, baseline "
        f"{result['baseline_s'] * 1000:.1f} ms)"
    )


# name → (benchmark, one-paragraph summary of its result)
BENCHMARKS: dict[str, tuple[Callable[[], dict], Callable[[dict], str]]] = {
    "dashboard_query_vs_arrow": (dashboard_query_vs_arrow, _ratio),
    "kpi_cube": (kpi_cube.kpi_cube, kpi_cube.describe),
    "import_csv": (import_csv.import_csv, import_csv.describe),
    "markov_attribution": (markov_attribution.markov_attribution, markov_attribution.describe),
    "clv_fit": (clv_fit.clv_fit, clv_fit.describe),
    "mmm_recovery": (mmm_recovery.mmm_recovery, mmm_recovery.describe),
    "allocation_capture": (allocation_capture.allocation_capture, allocation_capture.describe),
    "mmm_s_curves": (mmm_s_curves.mmm_s_curves, mmm_s_curves.describe),
    "mmm_information_bound": (
        mmm_information_bound.mmm_information_bound,
        mmm_information_bound.describe,
    ),
}
# Run only when named: they take long, and some need a peer installed apart (make bench-pymc).
OPTIONAL: dict[str, tuple[Callable[[], dict], Callable[[dict], str]]] = {
    "mmm_laplace_check": (mmm_laplace_check.mmm_laplace_check, mmm_laplace_check.describe),
    "mmm_peer": (mmm_peer.mmm_peer, mmm_peer.describe),
    "mmm_published": (mmm_published.mmm_published, mmm_published.describe),
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the benchmarks (all when none is named).")
    parser.add_argument("names", nargs="*", metavar="name", help="benchmarks to run")
    parser.add_argument("--list", action="store_true", help="name the benchmarks and stop")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(BENCHMARKS))
        print("\n".join(f"{name} (optional)" for name in OPTIONAL))
        return
    known = BENCHMARKS | OPTIONAL
    unknown = [n for n in args.names if n not in known]
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(known)}")
    RESULTS.mkdir(exist_ok=True)
    for name in args.names or BENCHMARKS:
        bench, summary = known[name]
        result = bench() | {"python": platform.python_version(), "at": time.strftime("%F %T")}
        (RESULTS / f"{result['name']}.json").write_text(json.dumps(result, indent=2) + "\n")
        print(summary(result))


if __name__ == "__main__":
    main()
