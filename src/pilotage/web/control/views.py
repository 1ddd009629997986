from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from pilotage.metrics import QueryError
from pilotage.web.control import (
    attribution,
    attribution_setting,
    drill,
    exports,
    scorecard,
    variances,
)
from pilotage.web.workspaces.access import workspace_view
from pilotage.web.workspaces.models import Role

COMPARISONS = ("last_year", "previous_period")


def _filters(request: HttpRequest) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Channel, segment and region filters of the scorecard, funnel and trend (not the channel
    table)."""
    return tuple(
        (name, (request.GET[name],))
        for name in ("channel", "segment", "region")
        if request.GET.get(name)
    )


@workspace_view(financials=True)
def control(request: HttpRequest) -> HttpResponse:
    """The executive scorecard, the channel table, the funnel and the trends."""
    compare = request.GET.get("compare", "last_year")
    compare = compare if compare in COMPARISONS else "last_year"
    try:
        context = scorecard.page(
            request.workspace, request.GET.get("period"), compare, _filters(request)
        )
    except QueryError as exc:
        raise Http404(str(exc)) from exc
    template = "control/_body.html" if request.htmx else "control/control.html"
    return render(request, template, context)


@workspace_view(financials=True)
def export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    """The channel table (same numbers as the page) as CSV or XLSX."""
    if table != "channels" or fmt not in ("csv", "xlsx"):
        raise Http404("No such export")
    return exports.channel_table(request.workspace, request.GET.get("period"), fmt)


@workspace_view(financials=True)
def drilldown(request: HttpRequest) -> HttpResponse:
    """The rows behind a figure: those its KPI reads, for the period (and channel)."""
    get = request.GET.get
    context = drill.rows(request.workspace, get("period"), get("channel"), get("metric"))
    return render(request, "control/drill.html", context)


@workspace_view(financials=True)
def variance_page(request: HttpRequest) -> HttpResponse:
    """Why the figures moved: decompositions into drivers, and spend against the budget."""
    compare = request.GET.get("compare", "last_year")
    compare = compare if compare in COMPARISONS else "last_year"
    context = variances.page(request.workspace, request.GET.get("period"), compare)
    return render(request, "control/variance.html", context)


@workspace_view(financials=True)
def attribution_page(request: HttpRequest) -> HttpResponse:
    """Every attribution model side by side, the range across models, and the reconciliation."""
    context = attribution.page(request.workspace, request.GET.get("period"))
    context["attribution_model"] = attribution_setting.model_of(request.workspace)
    return render(request, "control/attribution.html", context)


@workspace_view(Role.OWNER)
def attribution_settings(request: HttpRequest) -> HttpResponse:
    """The model crediting channels in CAC by channel and ROMI; owners only, audited."""
    workspace = request.workspace
    initial = {"attribution_model": workspace.attribution_model}
    form = attribution_setting.AttributionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        model = form.cleaned_data["attribution_model"]
        attribution_setting.change(workspace, model, request.user)
        return redirect("control", slug=workspace.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "control/settings.html", {"form": form}, status=status)
