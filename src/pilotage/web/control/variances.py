"""The variance page: why a figure moved, split into drivers that add up exactly.

- New customers vs the comparison period: paid channels split into a spend-volume effect, a
  spend-mix effect (shares between channels) and an efficiency effect (customers per euro, by
  channel); channels without spend are their own part.
- CAC: a cost effect and a new-customers effect.
- Marketing cost of a year vs its baseline budget, by channel, with pacing and a landing
  estimate (with its interval) while the year is under way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from pilotage import charts
from pilotage.metrics import MetricQuery, run
from pilotage.metrics.pacing import landing, pacing
from pilotage.metrics.query import add_months
from pilotage.metrics.variance import Decomposition, decompose_mix, decompose_ratio, variance
from pilotage.web.control.scorecard import period_for, source_for
from pilotage.web.workspaces.models import Workspace


def page(workspace: Workspace, choice: str | None, compare: str) -> dict[str, Any]:
    source = source_for(workspace)
    choice, period = period_for(source, choice)
    context: dict[str, Any] = {"period_choice": choice, "period": period, "compare": compare}
    if period is None:
        return context
    query = MetricQuery(
        ("marketing_cost", "new_customers"), period.start, period.end, ("channel",), compare=compare
    )  # type: ignore[arg-type]
    rows = run(query, source).rows
    customers = _customers_decomposition(rows)
    cac = _cac_decomposition(rows)
    context |= {
        "customers": customers,
        "cac": cac,
        "charts": [
            {
                "id": "customers-waterfall",
                "title": _("New customers: what changed"),
                "spec": _waterfall(customers, _("New customers")),
            },
            {
                "id": "cac-waterfall",
                "title": _("CAC: what changed"),
                "spec": _waterfall(cac, _("CAC")),
            },
        ],
        "budget": _budget(workspace, source, period),
    }
    return context


def _customers_decomposition(rows: list[dict]) -> dict[str, Any]:
    paid_now, paid_then = {}, {}
    unpaid_now = unpaid_then = 0.0
    for r in rows:
        cost_now, cost_then = r["marketing_cost"] or 0.0, r["marketing_cost__compare"] or 0.0
        new_now, new_then = r["new_customers"] or 0, r["new_customers__compare"] or 0
        if cost_now > 0 or cost_then > 0:
            paid_now[r["channel"]] = (cost_now, new_now / cost_now if cost_now else None)
            paid_then[r["channel"]] = (cost_then, new_then / cost_then if cost_then else None)
        else:
            unpaid_now, unpaid_then = unpaid_now + new_now, unpaid_then + new_then
    mix = decompose_mix(paid_now, paid_then, names=("spend", "mix", "efficiency"))
    parts = {
        _("Spend volume"): mix.parts["spend"],
        _("Spend mix"): mix.parts["mix"],
        _("Efficiency (customers per euro)"): mix.parts["efficiency"],
        _("Channels without spend"): unpaid_now - unpaid_then,
    }
    before = sum(r["new_customers__compare"] or 0 for r in rows)
    after = sum(r["new_customers"] or 0 for r in rows)
    return {
        "before": before,
        "after": after,
        "parts": parts,
        "note": mix.note,
        "by_channel": {c: d.parts for c, d in mix.by_segment.items()},
    }


def _cac_decomposition(rows: list[dict]) -> dict[str, Any]:
    cost = (
        sum(r["marketing_cost"] or 0 for r in rows),
        sum(r["marketing_cost__compare"] or 0 for r in rows),
    )
    new = (
        sum(r["new_customers"] or 0 for r in rows),
        sum(r["new_customers__compare"] or 0 for r in rows),
    )
    d: Decomposition = decompose_ratio(
        (cost[0], new[0]), (cost[1], new[1]), names=("cost", "customers")
    )
    return {
        "before": cost[1] / new[1] if new[1] else None,
        "after": cost[0] / new[0] if new[0] else None,
        "parts": {_("Marketing cost"): d.parts["cost"], _("New customers"): d.parts["customers"]},
        "note": d.note,
    }


def _waterfall(decomposition: dict[str, Any], title: str) -> dict | None:
    if decomposition["before"] is None or decomposition["after"] is None:
        return None
    if any(v is None for v in decomposition["parts"].values()):
        return None
    steps = [{"label": _("Before"), "value": decomposition["before"], "kind": "total"}]
    steps += [{"label": k, "value": v, "kind": "part"} for k, v in decomposition["parts"].items()]
    steps.append({"label": _("Now"), "value": decomposition["after"], "kind": "total"})
    return charts.waterfall(steps, value_title=title)


def fiscal_year(workspace: Workspace, day: dt.date) -> tuple[int, dt.date, dt.date]:
    """The fiscal year holding ``day``: its label (the calendar year it starts in), first and
    last day."""
    first = workspace.fiscal_year_start_month
    year = day.year if day.month >= first else day.year - 1
    start = dt.date(year, first, 1)
    return year, start, add_months(start, 12) - dt.timedelta(days=1)


def _budget(workspace: Workspace, source, period) -> dict[str, Any] | None:
    """Spend vs the baseline budget of the period's fiscal year, with pacing and landing."""
    from pilotage.web.plans.services import baseline, budget_totals

    year, start, end = fiscal_year(workspace, period.end)
    budget = baseline(workspace, year)
    if budget is None:
        return None
    last_day = min(source.last_day or end, end)
    as_of = last_day
    if as_of < end and (as_of + dt.timedelta(days=1)).day != 1:
        as_of = as_of.replace(day=1) - dt.timedelta(days=1)  # whole months only
    totals = budget_totals(budget)
    # the budget's months in fiscal order, with the first day of each
    months = [(budget.month_start(m).month, budget.month_start(m)) for m in _fiscal_months(start)]
    month_to_date = _month_to_date(source, totals, start, last_day)
    if as_of < start:  # not a whole month of data yet this year
        return {
            "budget": budget,
            "lines": [],
            "as_of": as_of,
            "landing": None,
            "planned_total": float(totals.total.planned),
            "actual_total": 0.0,
            "month": month_to_date,
        }
    query = MetricQuery(("marketing_cost",), start, as_of, ("channel",))
    actual = {r["channel"]: r["marketing_cost"] for r in run(query, source).rows}
    planned = {c: float(a.planned) for c, a in totals.by_channel.items()}
    elapsed = [m for m, first in months if first <= as_of]  # whole months elapsed by as_of
    to_date = {
        c: sum(float(a.planned) for (ch, m), a in totals.cells.items() if ch == c and m in elapsed)
        for c in planned
    }
    lines = [
        {
            "channel": c,
            "planned": planned.get(c, 0.0),
            "planned_to_date": to_date.get(c, 0.0),
            "actual": actual.get(c, 0.0),
            "variance": variance(actual.get(c, 0.0), to_date.get(c, 0.0), "lower_is_better"),
        }
        for c in sorted(set(planned) | {c for c, v in actual.items() if v})
    ]
    monthly = MetricQuery(("marketing_cost",), start, as_of, grain="month")
    by_month = [r["marketing_cost"] or 0.0 for r in run(monthly, source).rows]
    profile = [
        float(totals.by_month[m].planned) if totals.by_month.get(m) else 0.0 for m, _ in months
    ]
    total_plan = float(totals.total.planned)
    estimate = None
    if as_of < end and by_month:
        estimate = landing(by_month, total_plan, start, end, profile, unit="month", level=0.9)
    return {
        "budget": budget,
        "lines": lines,
        "as_of": as_of,
        "landing": estimate,
        "planned_total": total_plan,
        "actual_total": sum(actual.values()),
        "month": month_to_date,
    }


def _fiscal_months(start: dt.date) -> list[int]:
    return [add_months(start, i).month for i in range(12)]


def _month_to_date(source, totals, year_start: dt.date, last_day: dt.date) -> dict | None:
    """The month under way: spend to ``last_day`` against the month's plan prorated by days,
    by channel, and where the month will land at this pace (with a 90% interval)."""
    month_start = last_day.replace(day=1)
    if month_start < year_start:
        return None
    month_end = add_months(month_start, 1) - dt.timedelta(days=1)
    plan = {c: float(a.planned) for (c, m), a in totals.cells.items() if m == month_start.month}
    query = MetricQuery(("marketing_cost",), month_start, last_day, ("channel",))
    actual = {r["channel"]: r["marketing_cost"] or 0.0 for r in run(query, source).rows}
    lines = []
    for channel in sorted(set(plan) | {c for c, v in actual.items() if v}):
        paced = pacing(
            actual.get(channel, 0.0),
            plan.get(channel, 0.0),
            month_start,
            month_end,
            last_day,
            direction="lower_is_better",
        )
        lines.append({"channel": channel, "pacing": paced})
    plan_total = sum(plan.values())
    whole = pacing(
        sum(actual.values()),
        plan_total,
        month_start,
        month_end,
        last_day,
        direction="lower_is_better",
    )
    daily = MetricQuery(("marketing_cost",), month_start, last_day, grain="day")
    by_day = {r["period"]: r["marketing_cost"] or 0.0 for r in run(daily, source).rows}
    days = [by_day.get(month_start + dt.timedelta(days=i), 0.0) for i in range(last_day.day)]
    estimate = None
    if last_day < month_end and plan_total > 0:
        estimate = landing(days, plan_total, month_start, month_end, unit="day", level=0.9)
    return {
        "start": month_start,
        "as_of": last_day,
        "lines": lines,
        "total": whole,
        "landing": estimate,
        "complete": last_day == month_end,
    }
