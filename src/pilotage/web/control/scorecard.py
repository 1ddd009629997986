"""What the control dashboard shows: metric queries → template context. No HTTP here."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from pilotage import charts
from pilotage.metrics import KPIS, SCORECARD, MetricQuery, WarehouseSource, run
from pilotage.metrics.measures import MEASURES
from pilotage.metrics.overview import Period
from pilotage.metrics.query import Attribution
from pilotage.metrics.variance import variance
from pilotage.warehouse.segments import read_segments
from pilotage.web.control.attribution_setting import model_of
from pilotage.web.plans.services import plan_lookup
from pilotage.web.workspaces.models import Workspace
from pilotage.web.workspaces.services import warehouse

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
CHANNEL_TABLE_B2C = ("marketing_cost", "new_customers", "cac", "romi", "ltv", "ltv_to_cac")
FUNNEL = ("leads", "mqls", "sqls", "opportunities", "new_customers")
WARNING_BAND = 0.10  # an unfavourable variance within 10% of target is amber, beyond is red
PlanLookup = Callable[[str, dict[str, Any], dt.date, dt.date], float | None]


@dataclass(frozen=True)
class Tile:
    """One KPI of the scorecard: value, comparison, target and its traffic light."""

    metric: str
    value: float | None
    compare: float | None
    change: float | None
    favourable_change: bool | None
    target: float | None
    status: str | None  # good / warning / bad; None without target


def source_for(workspace: Workspace) -> WarehouseSource:
    from pilotage.web.actions.services import other_costs
    from pilotage.web.plans.recurring import daily_costs

    store = warehouse()
    return WarehouseSource(
        store,
        workspace.slug,
        workspace.currency,
        customer_segments=read_segments(store, workspace.slug),
        other_costs=other_costs(workspace),
        recurring_costs=daily_costs(workspace),
    )


def period_for(source: WarehouseSource, choice: str | None) -> tuple[str, Period | None]:
    """``last12`` (default) or a year with data."""
    end = source.last_day
    if end is None:
        return "last12", None
    if choice and re.fullmatch(r"\d{4}", choice) and int(choice) in _years(source):
        year = Period.year(int(choice))
        # a year under way is shown to date (and compared with the same dates a year before)
        return choice, Period(year.start, min(year.end, end))
    return "last12", Period.last_12_months(end)


def supports(metric: str, dimensions: list[str]) -> bool:
    """Whether every measure of ``metric`` can be split or filtered by ``dimensions``."""
    return all(d in MEASURES[m].dimensions for m in KPIS[metric].measures for d in dimensions)


def status(value: float | None, target: float | None, direction: str) -> str | None:
    """Traffic light of a value against its target."""
    v = variance(value, target, direction)
    if v.favourable is None:
        return None
    if v.favourable:
        return "good"
    return "warning" if v.relative is not None and abs(v.relative) <= WARNING_BAND else "bad"


def scorecard(
    source: WarehouseSource,
    period: Period,
    compare: str,
    filters: tuple[tuple[str, tuple[str, ...]], ...],
    plan: PlanLookup | None,
    attribution: Attribution = "first_touch",
) -> list[Tile]:
    metrics = tuple(m for m in SCORECARD if source.kind in KPIS[m].kinds)
    # a KPI that cannot be filtered (NPS by channel, say) shows n/a rather than a wrong total
    filtered = tuple(m for m in metrics if supports(m, [d for d, _ in filters]))
    query = MetricQuery(
        filtered,
        period.start,
        period.end,
        compare=compare,  # type: ignore[arg-type]
        filters=filters,
        attribution=attribution,
    )
    [row] = run(query, source).rows
    tiles = []
    for m in metrics:
        if m not in filtered:
            tiles.append(Tile(m, None, None, None, None, None, None))
            continue
        # the company's targets do not apply to a filtered view (one channel, segment, region)
        target = plan(m, {}, period.start, period.end) if plan and not filters else None
        change = variance(row[m], row[f"{m}__compare"], KPIS[m].direction)
        tiles.append(
            Tile(
                m,
                row[m],
                row[f"{m}__compare"],
                row[f"{m}__change"],
                change.favourable,
                target,
                status(row[m], target, KPIS[m].direction),
            )
        )
    return tiles


def channel_table(
    source: WarehouseSource, period: Period, attribution: Attribution = "first_touch"
) -> tuple[tuple[str, ...], list[dict]]:
    """The KPIs by channel; CAC, ROMI and LTV/CAC credit channels by ``attribution``."""
    metrics = CHANNEL_TABLE_B2B if source.kind == "b2b" else CHANNEL_TABLE_B2C
    query = MetricQuery(metrics, period.start, period.end, ("channel",), attribution=attribution)
    result = run(query, source)
    return metrics, result.rows


def funnel_chart(
    source: WarehouseSource, period: Period, filters, attribution: Attribution = "first_touch"
) -> dict | None:
    if source.kind != "b2b":
        return None
    query = MetricQuery(FUNNEL, period.start, period.end, filters=filters, attribution=attribution)
    [row] = run(query, source).rows
    labels = {m: (KPIS[m].label if m in KPIS else m) for m in FUNNEL}
    labels["opportunities"] = _("Opportunities")
    rows = [{"stage": labels[m], "count": row[m], "order": i} for i, m in enumerate(FUNNEL)]
    return charts.funnel(rows, count_title=_("Count"))


def trend_chart(
    source: WarehouseSource,
    period: Period,
    filters,
    metric: str,
    plan: PlanLookup | None,
    attribution: Attribution = "first_touch",
) -> dict:
    """The KPI by month, with a dashed plan line where the workspace has targets for it."""
    query = MetricQuery(
        (metric,),
        period.start,
        period.end,
        grain="month",
        filters=filters,
        attribution=attribution,
    )
    compare = "plan" if plan and not filters else None
    if compare:
        query = MetricQuery((metric,), period.start, period.end, grain="month", compare="plan")
    result = run(query, source, plan=plan if compare else None).rows
    rows = [
        {"month": r["period"].isoformat(), "value": r[metric]}
        for r in result
        if r[metric] is not None
    ]
    planned = [
        {"month": r["period"].isoformat(), "value": r[f"{metric}__compare"]}
        for r in result
        if r.get(f"{metric}__compare") is not None
    ]
    return charts.monthly_line(rows, value_title=KPIS[metric].label, plan=planned or None)


def page(workspace: Workspace, choice: str | None, compare: str, filters) -> dict:
    """The whole control page's context."""
    source = source_for(workspace)
    choice, period = period_for(source, choice)
    attribution = model_of(workspace)
    context: dict[str, Any] = {
        "period_choice": choice,
        "period": period,
        "compare": compare,
        "attribution_model": attribution,
        "attribution_label": workspace.get_attribution_model_display(),
        "channel": dict(filters).get("channel", ("",))[0],
        "region": dict(filters).get("region", ("",))[0],
        "regions": _values(source, "region") if source.kind == "b2b" else [],
        "segment": dict(filters).get("segment", ("",))[0],
        # the segment dimension is the leads' industry (metrics.measures.LEAD_DIMENSIONS)
        "segments": _values(source, "industry") if source.kind == "b2b" else [],
        "years": _years(source),
        "kind": source.kind,
    }
    if period is None:
        return context
    plan = plan_lookup(workspace)
    metrics, rows = channel_table(source, period, attribution)
    trend_metric = "new_customers"
    context |= {
        "tiles": scorecard(source, period, compare, filters, plan, attribution),
        "table_metrics": metrics,
        "table_rows": rows,
        "channels": [r["channel"] for r in rows],
        "charts": [
            c
            for c in (
                {
                    "id": "funnel",
                    "title": _("Funnel"),
                    "spec": funnel_chart(source, period, filters, attribution),
                },
                {
                    "id": "trend",
                    "title": _("New customers by month"),
                    "spec": trend_chart(source, period, filters, trend_metric, plan, attribution),
                },
            )
            if c["spec"] is not None
        ],
    }
    return context


def _values(source: WarehouseSource, column: str) -> list[str]:
    leads = source.table("leads")
    values = leads.select(column).distinct().to_pyarrow().column(column).to_pylist()
    return sorted(v for v in values if v)


def _years(source: WarehouseSource) -> list[int]:
    end = source.last_day
    spend = source.table("spend")
    first = spend.date.min().to_pyarrow().as_py()
    return list(range(end.year, first.year - 1, -1)) if end and first else []
