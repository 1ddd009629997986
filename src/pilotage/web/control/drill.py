"""The rows behind a figure of the control pages: the rows each KPI is computed from.

A KPI's measures (``pilotage.metrics.KPIS[…].measures``) say which tables it reads; the drill
lists those rows for the period (and the channel, when one is chosen), with their totals, so
that the figure can be checked by hand:

- marketing cost → spend lines and the other marketing costs (the action plan's invoices);
- new customers → the leads that became customers (B2B) or the customers' first orders (B2C);
- revenue, ROMI, ROAS, LTV → orders; the lead funnel → the leads created in the period;
- pipeline, win rate, average deal, sales cycle → deals; NPS → the survey answers.

By channel, customers and orders are those of the first touch (the lead's source channel, the
order's acquisition channel): under another attribution model the KPI splits them in shares.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ibis
from django.utils.translation import gettext_lazy as _

from pilotage.metrics import KPIS
from pilotage.metrics.measures import Context, customers
from pilotage.metrics.query import MetricQuery
from pilotage.web.control.scorecard import period_for, source_for
from pilotage.web.workspaces.models import Workspace

LIMIT = 500
FUNNEL = ("leads", "mqls", "sqls", "opportunities")
SECTIONS = ("spend", "other_costs", "customers", "orders", "leads", "deals", "responses")
# measure → the sections that hold its rows
_BY_MEASURE = {
    "marketing_cost": ("spend", "other_costs"),
    "impressions": ("spend",),
    "clicks": ("spend",),
    "new_customers": ("customers",),
    "revenue": ("orders",),
    "attributed_revenue": ("orders",),
    "attributed_margin": ("orders",),
    "pipeline_created": ("deals",),
    "deals_won": ("deals",),
    "deals_lost": ("deals",),
    "won_amount": ("deals",),
    "won_cycle_days": ("deals",),
    "promoters": ("responses",),
    "detractors": ("responses",),
    "responses": ("responses",),
}


TITLES = {
    "spend": _("Spend lines"),
    "other_costs": _("Other marketing costs (invoices)"),
    "customers": _("New customers"),
    "orders": _("Orders"),
    "leads": _("Leads created"),
    "deals": _("Deals created"),
    "responses": _("Survey answers"),
}
# column → (label, kind): kind says how a cell is shown (text, date, money, number)
COLUMNS = {
    "date": (_("Date"), "date"),
    "channel": (_("Channel"), "text"),
    "campaign": (_("Campaign"), "text"),
    "cost": (_("Cost"), "money"),
    "lead_id": (_("Lead"), "text"),
    "created_at": (_("Created"), "date"),
    "customer_at": (_("Customer since"), "date"),
    "industry": (_("Industry"), "text"),
    "region": (_("Region"), "text"),
    "customer_id": (_("Customer"), "text"),
    "first_at": (_("First order"), "date"),
    "order_id": (_("Order"), "text"),
    "ordered_at": (_("Ordered"), "date"),
    "acquisition_channel": (_("Channel"), "text"),
    "revenue": (_("Revenue"), "money"),
    "gross_margin": (_("Gross margin"), "money"),
    "mql_at": (_("MQL"), "date"),
    "sql_at": (_("SQL"), "date"),
    "opportunity_at": (_("Opportunity"), "date"),
    "deal_id": (_("Deal"), "text"),
    "closed_at": (_("Closed"), "date"),
    "status": (_("Status"), "text"),
    "amount": (_("Amount"), "money"),
    "respondent_id": (_("Respondent"), "text"),
    "responded_at": (_("Answered"), "date"),
    "score": (_("Score"), "number"),
    "segment": (_("Segment"), "text"),
}


def sections_of(metric: str | None) -> list[str]:
    """The sections behind ``metric`` (spend and new customers when none is named)."""
    if not metric or metric not in KPIS:
        return ["spend", "other_costs", "customers"]
    found: list[str] = []
    for measure in KPIS[metric].measures:
        if measure in _BY_MEASURE:
            names = _BY_MEASURE[measure]
        elif measure.startswith("cohort_value") or measure == "cohort_future_value":
            names = ("orders",)
        elif measure in FUNNEL or (measure.startswith("cohort_") and "customer" not in measure):
            names = ("leads",)
        else:
            names = ()
        found += [n for n in names if n not in found]
    return sorted(found, key=SECTIONS.index)


def _day_bounds(table, column: str, start: dt.date, end: dt.date):
    time = table[column]
    if time.type().is_date():
        return (time >= start) & (time <= end)
    low = dt.datetime(start.year, start.month, start.day, tzinfo=dt.UTC)
    high = dt.datetime(end.year, end.month, end.day, tzinfo=dt.UTC) + dt.timedelta(days=1)
    return (time >= ibis.literal(low)) & (time < ibis.literal(high))


def _listed(table, order: str, columns: list[str], total: Any = None) -> dict[str, Any]:
    found = table.order_by(order).limit(LIMIT).select(*columns).to_pyarrow().to_pylist()
    return _section(
        columns,
        found,
        table.count().to_pyarrow().as_py(),
        total.to_pyarrow().as_py() if total is not None else None,
    )


def _section(columns: list[str], found: list[dict], count: int, total: Any) -> dict[str, Any]:
    """A section as the page shows it: headers, cells with their kind, count and total."""
    return {
        "columns": [COLUMNS[c][0] for c in columns],
        "rows": [[(row[c], COLUMNS[c][1]) for c in columns] for row in found],
        "count": count,
        "total": total,
    }


def rows(
    workspace: Workspace, choice: str | None, channel: str | None, metric: str | None = None
) -> dict[str, Any]:
    source = source_for(workspace)
    choice, period = period_for(source, choice)
    metric = metric if metric in KPIS else None
    context: dict[str, Any] = {
        "channel": channel,
        "metric": metric,
        "period": period,
        "period_choice": choice,
        "limit": LIMIT,
        "sections": {},
    }
    if period is None:
        return context
    start, end, currency = period.start, period.end, workspace.currency
    found: dict[str, Any] = {}
    for name in sections_of(metric):
        section = _SECTION[name](source, start, end, channel, currency)
        if section is not None:
            found[name] = section | {"title": TITLES[name]}
    context["sections"] = found
    return context


def _spend(source, start, end, channel, currency):
    t = source.table("spend")
    t = t.filter(_day_bounds(t, "date", start, end), t.currency == currency)
    if channel:
        t = t.filter(t.channel == channel)
    return _listed(t, "date", ["date", "channel", "campaign", "cost"], t.cost.sum())


def _other_costs(source, start, end, channel, currency):
    costs = source.other_costs
    if costs is None:
        return None
    picked = [
        r
        for r in costs.to_pylist()
        if start <= r["date"] <= end
        and r["currency"] == currency
        and (not channel or r["channel"] == channel)
    ]
    picked.sort(key=lambda r: r["date"])
    total = sum(r["cost"] for r in picked)
    return _section(["date", "channel", "cost"], picked[:LIMIT], len(picked), total)


def _customers(source, start, end, channel, currency):
    if source.kind == "b2b":
        t = source.table("leads")
        t = t.filter(_day_bounds(t, "customer_at", start, end))
        if channel:
            t = t.filter(t.channel == channel)
        columns = ["lead_id", "channel", "created_at", "customer_at", "industry", "region"]
        return _listed(t, "customer_at", columns)
    ctx = Context(source, MetricQuery(("new_customers",), start, end), end)
    t = customers(ctx)
    t = t.filter(t.channel.notnull(), _day_bounds(t, "first_at", start, end))
    if channel:
        t = t.filter(t.channel == channel)
    return _listed(t, "first_at", ["customer_id", "channel", "first_at"])


def _orders(source, start, end, channel, currency):
    t = source.table("orders")
    t = t.filter(_day_bounds(t, "ordered_at", start, end), t.currency == currency)
    if channel:
        t = t.filter(t.acquisition_channel == channel)
    columns = [
        "order_id",
        "customer_id",
        "ordered_at",
        "acquisition_channel",
        "revenue",
        "gross_margin",
    ]
    return _listed(t, "ordered_at", columns, t.revenue.sum())


def _leads(source, start, end, channel, currency):
    t = source.table("leads")
    t = t.filter(_day_bounds(t, "created_at", start, end))
    if channel:
        t = t.filter(t.channel == channel)
    columns = [
        "lead_id",
        "channel",
        "created_at",
        "mql_at",
        "sql_at",
        "opportunity_at",
        "customer_at",
    ]
    return _listed(t, "created_at", columns)


def _deals(source, start, end, channel, currency):
    t = source.table("deals")
    t = t.filter(_day_bounds(t, "created_at", start, end), t.currency == currency)
    if channel:
        t = t.filter(t.channel == channel)
    columns = ["deal_id", "channel", "created_at", "closed_at", "status", "amount"]
    return _listed(t, "created_at", columns, t.amount.sum())


def _responses(source, start, end, channel, currency):
    t = source.table("survey_responses")
    t = t.filter(_day_bounds(t, "responded_at", start, end))
    return _listed(t, "responded_at", ["respondent_id", "responded_at", "score", "segment"])


_SECTION = {
    "spend": _spend,
    "other_costs": _other_costs,
    "customers": _customers,
    "orders": _orders,
    "leads": _leads,
    "deals": _deals,
    "responses": _responses,
}
