"""The customer value page (CLV) and the export of the valuable customers at risk."""

from __future__ import annotations

import csv
import datetime as dt
from collections import OrderedDict

import numpy as np
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from pilotage import charts
from pilotage.metrics import MetricQuery, run
from pilotage.metrics.overview import Period
from pilotage.web.control.scorecard import source_for
from pilotage.web.customers.analysis import HORIZON_MONTHS, CustomerValue, analyse
from pilotage.web.workspaces.access import workspace_view
from pilotage.web.workspaces.models import Workspace
from pilotage.web.workspaces.services import warehouse

_CACHE: OrderedDict[tuple, CustomerValue] = OrderedDict()
BINS = 30


def customer_value(workspace: Workspace) -> CustomerValue:
    """The analysis of the workspace's orders, kept while the orders table does not change."""
    store = warehouse()
    key = (store.root, workspace.slug, store.version(workspace.slug, "orders"))
    if key not in _CACHE:
        _CACHE[key] = analyse(store.read(workspace.slug, "orders"))
        while len(_CACHE) > 4:
            _CACHE.popitem(last=False)
    _CACHE.move_to_end(key)
    return _CACHE[key]


def _cac_by_channel(workspace: Workspace, end: dt.date) -> dict[str, float]:
    """CAC by channel over the 12 months to ``end`` (the metrics layer's definition)."""
    period = Period.last_12_months(end)
    result = run(
        MetricQuery(("cac",), period.start, period.end, ("channel",)), source_for(workspace)
    )
    return {r["channel"]: r["cac"] for r in result.rows if r.get("cac")}


@workspace_view(financials=True)
def value(request: HttpRequest) -> HttpResponse:
    found = customer_value(request.workspace)
    context: dict = {"value": found, "horizon": HORIZON_MONTHS}
    if found.problem is None and found.as_of:
        cac = _cac_by_channel(request.workspace, found.as_of)
        lines = []
        for group in found.by_channel:
            spent = cac.get(group["channel"])
            group["cac"] = spent
            group["ratio"] = group["ltv"] / spent if spent else None
            group["historical_ratio"] = group["value_to_date"] / spent if spent else None
            if spent:
                lines.append(
                    {
                        "label": group["channel"],
                        "series": _("Predictive LTV"),
                        "ratio": group["ratio"],
                    }
                )
                lines.append(
                    {
                        "label": group["channel"],
                        "series": _("Value to date"),
                        "ratio": group["historical_ratio"],
                    }
                )
        context["ratio_chart"] = charts.ratio_bars(
            lines,
            value_title=_("LTV / CAC"),
            threshold=3.0,
            threshold_title=_("3× CAC: the usual floor"),
        )
        context["distribution_chart"] = charts.histogram(
            _bins([r["ltv"] for r in found.rows]),
            value_title=_("Predictive LTV"),
            count_title=_("Customers"),
            value_format=",.0f",
        )
    return render(request, "customers/value.html", context)


def _bins(values: list[float]) -> list[dict]:
    """Equal-width bins up to the 99th percentile (the last bin holds the tail)."""
    data = np.asarray(values, float)
    if not len(data):
        return []
    top = float(np.quantile(data, 0.99)) or float(data.max()) or 1.0
    edges = np.linspace(min(0.0, float(data.min())), top, BINS + 1)
    counts, _ = np.histogram(np.clip(data, edges[0], edges[-1]), bins=edges)
    return [
        {"start": float(edges[i]), "end": float(edges[i + 1]), "count": int(counts[i])}
        for i in range(BINS)
    ]


@workspace_view(financials=True)
def at_risk_csv(request: HttpRequest) -> HttpResponse:
    """The valuable customers most likely to have lapsed, for the CRM team."""
    found = customer_value(request.workspace)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{request.workspace.slug}-customers-at-risk.csv"'
    )
    columns = [
        "customer_id",
        "channel",
        "orders",
        "first_order",
        "last_order",
        "value_to_date",
        "probability_alive",
        "expected_purchases",
        "future_value",
        "ltv",
    ]
    writer = csv.writer(response)
    writer.writerow(columns)
    for row in found.at_risk:
        writer.writerow(
            [round(row[c], 4) if isinstance(row[c], float) else row[c] for c in columns]
        )
    return response
