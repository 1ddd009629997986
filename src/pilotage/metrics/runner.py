"""The one runner every consumer uses: MetricQuery + source → MetricResult, cached.

The KPIs of a query are computed in one Ibis expression: each needed measure is aggregated by
the query's keys (time bucket and dimensions), the measures are joined on those keys, and each
KPI's expression is evaluated on the joined row. Results are cached by the query's hash, the
workspace, the warehouse version and the saved customer segments, so a new import (or newly
saved segments) invalidates them.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ibis
from ibis.expr.types import Table

from pilotage.metrics.attribution import measure
from pilotage.metrics.kpis import KPIS, Kpi
from pilotage.metrics.measures import MEASURES, Context, aggregate
from pilotage.metrics.query import MetricQuery, QueryError, add_months
from pilotage.metrics.source import WarehouseSource

# plan(metric, row, start, end): the planned value of ``metric`` for the row's dimension values
# over [start, end] (the row's time bucket, or the whole period), or None.
PlanLookup = Callable[[str, dict[str, Any], dt.date, dt.date], float | None]
_CACHE: OrderedDict[tuple, MetricResult] = OrderedDict()
_CACHE_LOCK = threading.Lock()  # the web server runs requests in several threads
CACHE_SIZE = 256


@dataclass(frozen=True)
class MetricResult:
    """Rows of KPI values (one per time bucket × dimension values), with their definitions.

    With a comparison, each KPI ``k`` also has ``k__compare`` (the comparison's value) and
    ``k__change`` (``k − k__compare``).
    """

    query: MetricQuery
    keys: tuple[str, ...]
    rows: list[dict[str, Any]]
    as_of: dt.date | None
    definitions: dict[str, Kpi]
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape of ``pilotage kpi --json`` and the API."""
        return {
            "query": {
                "metrics": list(self.query.metrics),
                "start": self.query.start.isoformat(),
                "end": self.query.end.isoformat(),
                "dimensions": list(self.query.dimensions),
                "grain": self.query.grain,
                "compare": self.query.compare,
                "attribution": self.query.attribution,
            },
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "keys": list(self.keys),
            "metrics": {
                k.name: {
                    "label": k.label,
                    "formula": k.formula,
                    "unit": k.unit,
                    "direction": k.direction,
                    "vanity": k.vanity,
                }
                for k in self.definitions.values()
            },
            "rows": [
                {key: (v.isoformat() if isinstance(v, dt.date) else v) for key, v in row.items()}
                for row in self.rows
            ],
            "notes": self.notes,
        }


def kpi(name: str) -> Kpi:
    try:
        return KPIS[name]
    except KeyError:
        raise QueryError(f"unknown metric {name!r}; known: {', '.join(KPIS)}") from None


def expression(
    query: MetricQuery,
    source: WarehouseSource,
    as_of: dt.date | None = None,
    *,
    portable: bool = False,
) -> Table:
    """The single Ibis expression that computes the query's KPIs (handy for SQL snapshots).

    ``portable`` avoids DuckDB's own time functions, for compiling to another engine's SQL
    (``ibis.to_sql(expr, dialect="databricks")``).
    """
    ctx = Context(source, query, as_of or query.as_of or source.last_day or query.end, portable)
    kpis = [kpi(name) for name in query.metrics]
    asked = [*query.dimensions, *(d for d, _ in query.filters)]
    for k in kpis:
        if source.kind not in k.kinds:
            raise QueryError(f"{k.name} needs leads and deals: this workspace has no leads")
        for dimension in asked:
            if any(dimension not in MEASURES[m].dimensions for m in k.measures):
                raise QueryError(f"{k.name} cannot be split or filtered by {dimension}")
    needed = list(dict.fromkeys(m for k in kpis for m in k.measures))
    parts = [aggregate(measure(name, ctx), ctx) for name in needed]
    keys = [c for c in parts[0].columns if c not in MEASURES]
    if keys == ["_all"]:  # the whole period: one row, even when nothing happened
        frame = ibis.memtable({"_all": [1]}, schema={"_all": "int8"})
    else:
        frame = ibis.union(*[p.select(keys) for p in parts], distinct=True)
    for part in parts:
        frame = frame.left_join(part, keys).select(frame, part[part.columns[-1]])
    filled = frame.mutate(**{name: frame[name].fill_null(0) for name in needed})
    values = {k.name: k.compute(filled) for k in kpis}
    return filled.select(*keys, **values).order_by(keys)


def run(
    query: MetricQuery, source: WarehouseSource, *, plan: PlanLookup | None = None
) -> MetricResult:
    """Compute ``query`` on ``source`` (cached), with its comparison when it asks for one."""
    if query.compare == "plan" and plan is None:
        raise QueryError("a comparison with the plan needs the plan's values (targets)")
    cache_key = (
        str(source.warehouse.root),
        source.workspace,
        source.currency,
        query.key(),
        source.versions,
        source.segments_fingerprint,
        source.costs_fingerprint,
    )
    with _CACHE_LOCK:
        if plan is None and cache_key in _CACHE:
            _CACHE.move_to_end(cache_key)
            return _CACHE[cache_key]
    result = _compute(query, source)
    if query.compare == "plan":
        assert plan is not None
        _attach(result, [{**r, **_plan_values(query, r, plan)} for r in result.rows])
    elif query.compare:
        earlier = query.shifted(query.compare)
        # Cohort KPIs (LTV…) of the earlier period are valued at the same age as today's.
        as_of = result.as_of - (query.start - earlier.start) if result.as_of else None
        other = _compute(earlier, source, as_of=as_of)
        _attach(result, _aligned(result, other))
    if plan is None:
        with _CACHE_LOCK:
            _CACHE[cache_key] = result
            while len(_CACHE) > CACHE_SIZE:
                _CACHE.popitem(last=False)
    return result


def _compute(
    query: MetricQuery, source: WarehouseSource, as_of: dt.date | None = None
) -> MetricResult:
    as_of = as_of or query.as_of or source.last_day
    table = expression(query, source, as_of).to_pyarrow()
    keys = tuple(c for c in table.column_names if c not in query.metrics and c != "_all")
    rows = [{k: v for k, v in row.items() if k != "_all"} for row in table.to_pylist()]
    for row in rows:
        for name in query.metrics:
            value = row[name]
            if isinstance(value, float) and value != value:  # NaN from 0/0 is "n/a" too
                row[name] = None
    definitions = {name: KPIS[name] for name in query.metrics}
    notes = [
        f"{count} {table} rows in another currency than {source.currency} were left out: "
        "convert them at import"
        for table, count in source.rows_in_other_currencies(query.start, query.end).items()
    ]
    if any(KPIS[m].vanity for m in query.metrics):
        notes.append("vanity metrics are labelled as such and never on the executive scorecard")
    return MetricResult(query, keys, rows, as_of, definitions, notes)


def _bucket(day: dt.date, grain: str | None) -> dt.date | None:
    """The start of the time bucket holding ``day``."""
    if grain is None:
        return None
    if grain == "day":
        return day
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


def _aligned(result: MetricResult, other: MetricResult) -> list[dict[str, Any]]:
    """Pair each row with the comparison row of the same dimensions and matching bucket.

    A bucket matches the comparison bucket that holds its start moved back by the shift
    between the two periods (one year, or the period's length).
    """
    q, shift = result.query, result.query.start - other.query.start
    dims = [k for k in result.keys if k != "period"]
    earlier = {(tuple(r[k] for k in dims), r.get("period")): r for r in other.rows}
    merged = []
    for row in result.rows:
        period = row.get("period")
        if period is not None and q.compare == "last_year":
            then = _bucket(period.replace(year=period.year - 1, day=min(period.day, 28)), q.grain)
        elif period is not None and q.months:
            then = _bucket(add_months(period, -q.months), q.grain)
        elif period is not None:
            then = _bucket(period - shift, q.grain)
        else:
            then = None
        before = earlier.get((tuple(row[k] for k in dims), then), {})
        extra: dict[str, Any] = {}
        for name in q.metrics:
            extra[f"{name}__compare"] = before.get(name)
            extra[f"{name}__change"] = _change(row[name], before.get(name))
        merged.append({**row, **extra})
    return merged


def _change(now: Any, then: Any) -> Any:
    return now - then if now is not None and then is not None else None


def _bounds(query: MetricQuery, row: dict[str, Any]) -> tuple[dt.date, dt.date]:
    """The days a row covers: its time bucket within the period, or the whole period."""
    start = row.get("period")
    if start is None:
        return query.start, query.end
    following = {
        "day": start + dt.timedelta(days=1),
        "week": start + dt.timedelta(days=7),
        "month": _bucket(start + dt.timedelta(days=32), "month"),
        "quarter": _bucket(start + dt.timedelta(days=93), "quarter"),
        "year": _bucket(start + dt.timedelta(days=366), "year"),
    }[query.grain or "year"]
    assert following is not None
    return max(start, query.start), min(following - dt.timedelta(days=1), query.end)


def _plan_values(query: MetricQuery, row: dict[str, Any], plan: PlanLookup) -> dict[str, Any]:
    values = {}
    start, end = _bounds(query, row)
    for name in query.metrics:
        target = plan(name, {k: row[k] for k in query.dimensions}, start, end)
        values[f"{name}__compare"] = target
        values[f"{name}__change"] = _change(row[name], target)
    return values


def _attach(result: MetricResult, rows: list[dict[str, Any]]) -> None:
    result.rows[:] = rows


def clear_cache() -> None:
    _CACHE.clear()
