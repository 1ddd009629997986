"""The diagnostic: PESTEL and the internal audit, then SWOT and the TOWS options it implies.

Members read; owners and managers edit. Agency members and viewers are read-only here.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from pilotage.web.strategy import services
from pilotage.web.strategy.forms import AuditForm, PestelForm, SwotForm, TowsForm
from pilotage.web.strategy.models import (
    AuditItem,
    MixDecision,
    Objective,
    PestelFactor,
    Segment,
    SwotItem,
    SwotKind,
    TowsOption,
)
from pilotage.web.workspaces.access import workspace_view

# the things a delete button may name, and the page it returns to
DELETABLE = {
    "pestel": (PestelFactor, "diagnostic"),
    "audit": (AuditItem, "diagnostic"),
    "swot": (SwotItem, "swot"),
    "tows": (TowsOption, "swot"),
    "objective": (Objective, "objectives"),
    "segment": (Segment, "segments"),
}


def _back(request: HttpRequest, page: str, year: int) -> HttpResponse:
    return redirect(f"/w/{request.workspace.slug}/strategy/{page}/?year={year}")


def _edit_only(request: HttpRequest) -> None:
    if request.method == "POST" and not services.may_edit(request):
        raise PermissionDenied


@workspace_view()
def diagnostic(request: HttpRequest) -> HttpResponse:
    """PESTEL factors with their scored matrix, and the audit scorecard against last year."""
    _edit_only(request)
    year, ws = services.plan_year(request), request.workspace
    which = request.POST.get("form")
    pestel = PestelForm(request.POST if which == "pestel" else None, prefix="pestel")
    audit = AuditForm(request.POST if which == "audit" else None, prefix="audit")
    form = {"pestel": pestel, "audit": audit}.get(which or "")
    if form is not None and form.is_valid():
        services.save(form, request.user, ws, workspace=ws, year=year)
        return _back(request, "diagnostic", year)
    factors = list(PestelFactor.objects.filter(workspace=ws, year=year))
    context = {
        "year": year,
        "factors": factors,
        "matrix": services.pestel_matrix(factors),
        "audit_rows": services.audit_with_last_year(ws, year),
        "pestel_form": pestel,
        "audit_form": audit,
        "may_edit": services.may_edit(request),
    }
    return render(request, "strategy/diagnostic.html", context, status=400 if form else 200)


@workspace_view()
def swot(request: HttpRequest) -> HttpResponse:
    """The SWOT with each item's sources, the TOWS pairs and the options written for them."""
    _edit_only(request)
    year, ws = services.plan_year(request), request.workspace
    which = request.POST.get("form")
    swot_form = SwotForm(
        request.POST if which == "swot" else None, workspace=ws, year=year, prefix="swot"
    )
    tows_form = TowsForm(
        request.POST if which == "tows" else None,
        workspace=ws,
        year=year,
        prefix="tows",
        initial={"internal": request.GET.get("i"), "external": request.GET.get("e")},
    )
    form = {"swot": swot_form, "tows": tows_form}.get(which or "")
    if form is not None and form.is_valid():
        services.save(form, request.user, ws, workspace=ws, year=year)
        return _back(request, "swot", year)
    items = SwotItem.objects.filter(workspace=ws, year=year).prefetch_related(
        "audit_sources", "pestel_sources"
    )
    quadrants, uncovered = services.tows_pairs(ws, year)
    options = {o.pk: o for o in TowsOption.objects.filter(workspace=ws, year=year)}
    context = {
        "year": year,
        "boxes": [
            (kind, label, [i for i in items if i.kind == kind]) for kind, label in SwotKind.choices
        ],
        "quadrants": [
            (q, [(p, [options[o] for o in p.options]) for p in quadrants[q]], uncovered[q])
            for q in quadrants
        ],
        "swot_form": swot_form,
        "tows_form": tows_form,
        "may_edit": services.may_edit(request),
    }
    return render(request, "strategy/swot.html", context, status=400 if form else 200)


@require_POST
@workspace_view("owner", "manager")
def delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Delete an item unless an objective (or an option) relies on it: then say which."""
    if kind not in DELETABLE:
        raise Http404("Nothing of this kind")
    model, page = DELETABLE[kind]
    obj = get_object_or_404(model, pk=pk, workspace=request.workspace)
    try:
        services.delete(obj, request.user, request.workspace)
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
    return _back(request, page, obj.year)


@require_POST
@workspace_view("owner", "manager")
def delete_mix(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(MixDecision, pk=pk, segment__workspace=request.workspace)
    year = decision.segment.year
    services.delete(decision, request.user, request.workspace)
    return _back(request, "mix", year)
