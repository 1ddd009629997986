"""The KPI cube at scale: CAC, ROMI, lead → MQL and MQL → SQL by channel × month over three
years of the synthetic warehouse (``synthetic.py``), computed three ways that must agree:

- the metrics runner, as every consumer calls it (cold cache, new source: connection set-up
  included);
- a hand-written DuckDB query over the same Parquet files on a fresh connection (the baseline);
- pandas, reading the same Parquet files with pyarrow.

Also times the same hand-written query with its time arithmetic on UTC microseconds rather
than on time-zone-aware timestamps (DuckDB computes those through ICU, row by row), the metric
queries of the control page at that scale, and where the runner's time goes (``profile``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import duckdb
import ibis
import pandas as pd
import pyarrow.parquet as pq
import synthetic
from synthetic import CURRENCY, END, START, WORKSPACE
from timing import best_of_each

from pilotage.metrics import KPIS, SCORECARD, MetricQuery, WarehouseSource, expression, run
from pilotage.metrics.overview import Period
from pilotage.metrics.runner import clear_cache
from pilotage.warehouse import SCHEMAS, Warehouse, connect

METRICS = ("cac", "romi", "lead_to_mql", "mql_to_sql")
QUERY = MetricQuery(METRICS, START, END, ("channel",), "month")
TARGETS = {"runner_vs_sql": 1.3, "pandas_vs_runner": 10.0}  # at most, at least
REPEAT, WARMUP = 3, 1
# What the control page asks for (src/pilotage/web/control/scorecard.py, which imports Django).
CHANNEL_TABLE_B2B = (
    "marketing_cost",
    "leads",
    "mqls",
    "sqls",
    "new_customers",
    "cac",
    "romi",
    "ltv_to_cac",
)
FUNNEL = ("leads", "mqls", "sqls", "opportunities", "new_customers")

Cell = tuple[Any, ...]  # (channel, month, *METRICS)


def kpi_cube() -> dict:
    """The KPI cube (CAC, ROMI, lead → MQL, MQL → SQL by channel × month, three years) through
    the metrics runner with a cold cache and a new source each time, against a hand-written
    DuckDB query over the same Parquet files on a fresh connection (the baseline) and against
    pandas reading the same files with pyarrow."""
    wh = synthetic.warehouse()
    files = {t: wh.files(WORKSPACE, t) for t in ("spend", "orders", "leads")}
    ways: dict[str, Callable[[], list[Cell]]] = {
        "runner": lambda: by_runner(wh),
        "handwritten_sql": lambda: by_sql(files),
        "pandas": lambda: by_pandas(files),
        "handwritten_sql_without_icu": lambda: by_sql(files, icu=False),
    }
    cubes = {name: way() for name, way in ways.items()}  # also the warm-up
    same(cubes, reference="handwritten_sql")
    seconds = best_of_each(ways, REPEAT)
    runner, sql, pandas = seconds["runner"], seconds["handwritten_sql"], seconds["pandas"]
    page = best_of_each(
        {
            "cold": lambda: page_queries(wh, cold=True),
            "warm": lambda: page_queries(wh, cold=False),  # cached by the cold one just before
            "sql": ways["handwritten_sql"],
        },
        REPEAT,
        WARMUP,
    )
    ratios = {"runner_vs_sql": runner / sql, "pandas_vs_runner": pandas / runner}
    return {
        "name": "kpi_cube",
        "what": " ".join((kpi_cube.__doc__ or "").split()),
        "scale": scale(wh) | {"cells": len(cubes["runner"])},
        "checked": "runner, hand-written SQL (with and without ICU) and pandas agree cell by "
        "cell, within 1e-9 relative",
        "runner_s": runner,
        "handwritten_sql_s": sql,
        "pandas_s": pandas,
        "ratio": ratios["runner_vs_sql"],
        "ratios": ratios,
        "targets": {"runner_vs_sql": "<= 1.3", "pandas_vs_runner": ">= 10"},
        "targets_met": {
            "runner_vs_sql": ratios["runner_vs_sql"] <= TARGETS["runner_vs_sql"],
            "pandas_vs_runner": ratios["pandas_vs_runner"] >= TARGETS["pandas_vs_runner"],
        },
        "page": {
            "what": "the metric queries of the control page (last 12 months, compared with last "
            "year): scorecard, channel table, funnel, monthly trend, last day and years; a new "
            "source each time; cold = cache cleared (first view after an import), warm = cached",
            "cold_s": page["cold"],
            "warm_s": page["warm"],
            "handwritten_sql_cube_s": page["sql"],  # timed in the same rounds
            "cold_vs_sql_cube": page["cold"] / page["sql"],
            "warm_vs_sql_cube": page["warm"] / page["sql"],
        },
        "handwritten_sql_without_icu_s": seconds["handwritten_sql_without_icu"],
        "handwritten_sql_without_icu_what": "the baseline with its time arithmetic on UTC "
        "microseconds (epoch_us, make_timestamp) instead of TIMESTAMPTZ, which DuckDB computes "
        "through ICU row by row; same result",
        "profile": profile(wh, files),
        "repeat": f"best of {REPEAT} after {WARMUP} warm-up, the ways timed in turn each round",
    }


def describe(result: dict) -> str:
    ratios, page = result["ratios"], result["page"]
    met = result["targets_met"]
    return (
        f"kpi_cube: runner/sql {ratios['runner_vs_sql']:.2f} (target <= 1.3: "
        f"{'met' if met['runner_vs_sql'] else 'missed'}), pandas/runner "
        f"{ratios['pandas_vs_runner']:.1f} (target >= 10: "
        f"{'met' if met['pandas_vs_runner'] else 'missed'})\n"
        f"  runner {result['runner_s']:.3f} s, hand-written SQL "
        f"{result['handwritten_sql_s']:.3f} s, pandas {result['pandas_s']:.3f} s\n"
        f"  control page: cold {page['cold_s']:.3f} s ({page['cold_vs_sql_cube']:.1f}x the SQL "
        f"cube), warm {page['warm_s']:.3f} s\n"
        "  runner profile: "
        + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in result["profile"]["steps_s"].items())
    )


# --- the ways to the cube -----------------------------------------------------------------------


def by_runner(wh: Warehouse) -> list[Cell]:
    clear_cache()
    rows = run(QUERY, WarehouseSource(wh, WORKSPACE, CURRENCY)).rows
    return sorted((r["channel"], r["period"], *(r[m] for m in METRICS)) for r in rows)


def by_sql(files: dict[str, list[str]], icu: bool = True) -> list[Cell]:
    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'")
    return sorted(con.execute(cube_sql(files, icu)).fetchall())


def cube_sql(files: dict[str, list[str]], icu: bool = True) -> str:
    """The cube in plain DuckDB SQL: each fact aggregated by month × channel, stacked, summed.

    ``icu=False`` does the time arithmetic on UTC microseconds instead of time-zone-aware
    timestamps (which DuckDB hands to ICU, row by row): same result, for the profile.
    """
    spend, orders, leads = (
        "read_parquet([" + ", ".join(f"'{f}'" for f in files[t]) + "])"
        for t in ("spend", "orders", "leads")
    )
    start, end = f"TIMESTAMPTZ '{START}'", f"TIMESTAMPTZ '{END + dt.timedelta(days=1)}'"
    days = QUERY.maturity_days
    window = f"INTERVAL {days} DAY"

    def in_period(at: str) -> str:
        return f"{at} >= {start} AND {at} < {end}"

    def month(at: str) -> str:
        at = at if icu else f"make_timestamp(epoch_us({at}))"
        return f"CAST(date_trunc('month', {at}) AS DATE) AS month"

    def matured(at: str) -> str:
        return f"{at} + {window} < cut.at" if icu else f"{at} < cut.at - {window}"

    def within(later: str, at: str) -> str:
        if icu:
            return f"{later} <= {at} + {window}"
        return f"epoch_us({later}) - epoch_us({at}) <= {days * 86_400_000_000}"

    return f"""
    WITH cut AS (  -- end of the last day with spend or orders: cohorts must have matured by it
      SELECT CAST(greatest((SELECT max(date) FROM {spend}),
                           (SELECT CAST(max(ordered_at) AS DATE) FROM {orders})) + 1
                  AS TIMESTAMPTZ) AS at
    ),
    leads AS (  -- a skipped stage is passed when a later one is reached
      SELECT coalesce(channel, '(none)') AS channel, created_at, customer_at,
             least(mql_at, sql_at, opportunity_at, customer_at) AS mql_at,
             least(sql_at, opportunity_at, customer_at) AS sql_at
      FROM {leads}
    ),
    facts AS (
      SELECT CAST(date_trunc('month', date) AS DATE) AS month, channel, sum(cost) AS cost
      FROM {spend}
      WHERE date BETWEEN DATE '{START}' AND DATE '{END}' AND currency = '{CURRENCY}'
      GROUP BY ALL
      UNION ALL BY NAME
      SELECT {month("ordered_at")}, acquisition_channel AS channel, sum(revenue) AS revenue
      FROM {orders}
      WHERE {in_period("ordered_at")} AND currency = '{CURRENCY}' AND acquisition_channel NOTNULL
      GROUP BY ALL
      UNION ALL BY NAME
      SELECT {month("customer_at")}, channel, count(*) AS customers
      FROM leads WHERE {in_period("customer_at")} GROUP BY ALL
      UNION ALL BY NAME
      SELECT {month("created_at")}, channel, count(*) AS created,
             count(*) FILTER ({within("mql_at", "created_at")}) AS to_mql
      FROM leads, cut WHERE {in_period("created_at")} AND {matured("created_at")} GROUP BY ALL
      UNION ALL BY NAME
      SELECT {month("mql_at")}, channel, count(*) AS mqls,
             count(*) FILTER ({within("sql_at", "mql_at")}) AS to_sql
      FROM leads, cut WHERE {in_period("mql_at")} AND {matured("mql_at")} GROUP BY ALL
    ),
    cube AS (
      SELECT channel, month, coalesce(sum(cost), 0) AS cost,
             coalesce(sum(revenue), 0) AS revenue, coalesce(sum(customers), 0) AS customers,
             coalesce(sum(created), 0) AS created, coalesce(sum(to_mql), 0) AS to_mql,
             coalesce(sum(mqls), 0) AS mqls, coalesce(sum(to_sql), 0) AS to_sql
      FROM facts GROUP BY ALL
    )
    SELECT channel, month, cost / nullif(customers, 0) AS cac,
           (revenue - cost) / nullif(cost, 0) AS romi,
           to_mql / nullif(created, 0) AS lead_to_mql, to_sql / nullif(mqls, 0) AS mql_to_sql
    FROM cube
    """


def by_pandas(files: dict[str, list[str]]) -> list[Cell]:
    def read(table: str, columns: list[str]) -> pd.DataFrame:
        return pq.read_table(files[table], columns=columns).to_pandas()

    spend = read("spend", ["date", "channel", "cost", "currency"])
    orders = read("orders", ["ordered_at", "revenue", "currency", "acquisition_channel"])
    stages = ["mql_at", "sql_at", "opportunity_at", "customer_at"]
    leads = read("leads", ["created_at", "channel", *stages])
    as_of = max(spend["date"].max(), orders["ordered_at"].max().date())
    cut = pd.Timestamp(as_of + dt.timedelta(days=1), tz="UTC")
    start, end = pd.Timestamp(START, tz="UTC"), pd.Timestamp(END + dt.timedelta(days=1), tz="UTC")
    window = pd.Timedelta(days=QUERY.maturity_days)

    def month(times: pd.Series) -> pd.Series:
        return times.dt.tz_convert(None).dt.to_period("M").rename("month")

    def in_period(times: pd.Series) -> pd.Series:
        return (times >= start) & (times < end)

    leads["channel"] = leads["channel"].fillna("(none)")
    leads["mql_at"] = leads[stages].min(axis=1)  # a skipped stage is passed by a later one
    leads["sql_at"] = leads[stages[1:]].min(axis=1)
    s = spend[(spend["date"] >= START) & (spend["date"] <= END) & (spend.currency == CURRENCY)]
    o = orders[
        in_period(orders.ordered_at)
        & (orders.currency == CURRENCY)
        & orders.acquisition_channel.notna()
    ]
    c = leads[in_period(leads.customer_at)]
    created = leads[in_period(leads.created_at) & (leads.created_at + window < cut)]
    mqls = leads[in_period(leads.mql_at) & (leads.mql_at + window < cut)]
    parts = [
        s.groupby([pd.to_datetime(s["date"]).dt.to_period("M").rename("month"), "channel"])[
            "cost"
        ].sum(),
        o.groupby([month(o.ordered_at), o.acquisition_channel.rename("channel")])["revenue"].sum(),
        c.groupby([month(c.customer_at), "channel"]).size().rename("customers"),
        created.groupby([month(created.created_at), "channel"]).size().rename("created"),
        (created.mql_at <= created.created_at + window)
        .groupby([month(created.created_at), created.channel])
        .sum()
        .rename("to_mql"),
        mqls.groupby([month(mqls.mql_at), "channel"]).size().rename("mqls"),
        (mqls.sql_at <= mqls.mql_at + window)
        .groupby([month(mqls.mql_at), mqls.channel])
        .sum()
        .rename("to_sql"),
    ]
    cube = pd.concat(parts, axis=1).fillna(0)

    def ratio(num: pd.Series, den: pd.Series) -> pd.Series:
        return num / den.where(den != 0)

    kpis = pd.DataFrame(
        {
            "cac": ratio(cube["cost"] * 1.0, cube["customers"]),
            "romi": ratio(cube["revenue"] - cube["cost"], cube["cost"]),
            "lead_to_mql": ratio(cube["to_mql"] * 1.0, cube["created"]),
            "mql_to_sql": ratio(cube["to_sql"] * 1.0, cube["mqls"]),
        }
    )
    return sorted(
        (channel, month.start_time.date(), *(None if v != v else float(v) for v in values))
        for (month, channel), *values in kpis.itertuples()
    )


def same(cubes: dict[str, list[Cell]], reference: str) -> None:
    """Fail unless every cube has the reference's cells, each value within 1e-9 relative."""
    expected = cubes[reference]
    for name, cube in cubes.items():
        keys = [c[:2] for c in cube]
        if keys != [c[:2] for c in expected]:
            missing = set(c[:2] for c in expected) ^ set(keys)
            raise AssertionError(
                f"{name} and {reference} differ in cells: {sorted(map(str, missing))[:5]}"
            )
        for got, want in zip(cube, expected, strict=True):
            for metric, g, w in zip(METRICS, got[2:], want[2:], strict=True):
                g, w = _na(g), _na(w)
                if (g is None) != (w is None) or (
                    g is not None and not math.isclose(g, w, rel_tol=1e-9)
                ):
                    raise AssertionError(
                        f"{metric} of {got[:2]}: {name} gives {g}, {reference} gives {w}"
                    )


def _na(value: Any) -> float | None:
    return None if value is None or value != value else float(value)


# --- the control page ---------------------------------------------------------------------------


def page_queries(wh: Warehouse, cold: bool) -> None:
    """The metric queries of ``scorecard.page`` for the default view (no Django)."""
    if cold:
        clear_cache()
    source = WarehouseSource(wh, WORKSPACE, CURRENCY)
    end = source.last_day
    assert end is not None
    period = Period.last_12_months(end)
    source.table("spend").date.min().to_pyarrow()  # the years to choose from
    scorecard = tuple(m for m in SCORECARD if source.kind in KPIS[m].kinds)
    run(MetricQuery(CHANNEL_TABLE_B2B, period.start, period.end, ("channel",)), source)
    run(MetricQuery(scorecard, period.start, period.end, compare="last_year"), source)
    run(MetricQuery(FUNNEL, period.start, period.end), source)
    run(MetricQuery(("new_customers",), period.start, period.end, grain="month"), source)


# --- where the runner's time goes ---------------------------------------------------------------


def profile(wh: Warehouse, files: dict[str, list[str]]) -> dict:
    """The runner's steps timed one by one, in the same rounds as the runner itself."""
    source = WarehouseSource(wh, WORKSPACE, CURRENCY)
    as_of = source.last_day
    expr = expression(QUERY, source, as_of)
    sql = source.backend.compile(expr)
    con = connect(wh, WORKSPACE)

    def last_day_and_kind() -> None:
        fresh = WarehouseSource(wh, WORKSPACE, CURRENCY)
        fresh.backend = source.backend  # the connection is timed on its own
        _ = fresh.last_day, fresh.kind

    def query(text: str) -> Callable[[], object]:
        return lambda: con.sql(text).fetchall()

    steps: dict[str, Callable[[], object]] = {
        "delta_versions": lambda: wh.versions(WORKSPACE),
        "delta_file_lists": lambda: [wh.files(WORKSPACE, t) for t in SCHEMAS],
        "duckdb_connect_and_views": lambda: connect(wh, WORKSPACE),
        "ibis_from_connection": lambda: ibis.duckdb.from_connection(con),
        "last_day_and_kind_queries": last_day_and_kind,
        "ibis_build_expression": lambda: expression(QUERY, source, as_of),
        "ibis_compile_sql": lambda: source.backend.compile(expr),
        "duckdb_execute_compiled_sql": lambda: con.sql(sql).to_arrow_table(),
        "currency_notes_queries": lambda: source.rows_in_other_currencies(START, END),
    }
    window = f"INTERVAL {QUERY.maturity_days} DAY"
    icu = {  # over the 1M rows of the leads view
        "month_bucket_timestamptz": query(
            "SELECT CAST(date_trunc('month', created_at) AS DATE), count(*) FROM leads GROUP BY 1"
        ),
        "month_bucket_utc_microseconds": query(
            "SELECT CAST(date_trunc('month', make_timestamp(epoch_us(created_at))) AS DATE), "
            "count(*) FROM leads GROUP BY 1"
        ),
        "window_timestamptz_plus_interval": query(
            f"SELECT count(*) FROM leads WHERE mql_at <= created_at + {window}"
        ),
        "window_utc_microseconds": query(
            "SELECT count(*) FROM leads WHERE epoch_us(mql_at) - epoch_us(created_at) <= "
            f"{QUERY.maturity_days * 86_400_000_000}"
        ),
    }
    others = {
        "runner": lambda: by_runner(wh),
        "handwritten_sql_on_the_same_connection": query(cube_sql(files)),
        "ibis_table_lookup": lambda: source.table("leads"),
        "duckdb_new_connection": lambda: duckdb.connect(":memory:").close(),
    }
    seconds = best_of_each(steps | icu | others, REPEAT, WARMUP)
    steps_s = {name: seconds[name] for name in steps}
    # connect() lists the files itself: keep the listing in its own line only
    steps_s["duckdb_connect_and_views"] -= steps_s["delta_file_lists"]
    counting = WarehouseSource(wh, WORKSPACE, CURRENCY)
    counting.backend, counting.kind = source.backend, source.kind
    lookups: list[str] = []
    table = counting.table
    counting.table = lambda name: lookups.append(name) or table(name)  # type: ignore[method-assign]
    expression(QUERY, counting, as_of)
    return {
        "what": "each step of run() on its own, timed in turn with run() itself (runner_s), "
        "best of 3 after a warm-up; duckdb_connect_and_views excludes the Delta file listing "
        "it does (delta_file_lists); unaccounted = runner_s minus the steps (result "
        "conversion, a fresh connection's first query, noise)",
        "runner_s": seconds["runner"],
        "steps_s": steps_s | {"unaccounted": seconds["runner"] - sum(steps_s.values())},
        "compiled_sql_vs_handwritten_same_connection": seconds["duckdb_execute_compiled_sql"]
        / seconds["handwritten_sql_on_the_same_connection"],
        "handwritten_sql_on_the_same_connection_s": seconds[
            "handwritten_sql_on_the_same_connection"
        ],
        "compiled_sql_chars": len(sql),
        "ibis_table_lookups_per_expression": len(lookups),
        "ibis_table_lookup_s": seconds["ibis_table_lookup"],
        "duckdb_new_connection_s": seconds["duckdb_new_connection"],
        "icu_1m_leads_s": {name: seconds[name] for name in icu},
    }


def scale(wh: Warehouse) -> dict:
    con = connect(wh, WORKSPACE)
    counts = {}
    for table in ("touchpoints", "leads", "deals", "orders", "spend"):
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        counts[table] = row[0] if row else 0
    return counts
