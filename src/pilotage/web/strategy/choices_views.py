"""The choices: targeting, objectives (with their trace) and the 4P/4C mix per target."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from pilotage.strategy import targeting
from pilotage.web.strategy import services
from pilotage.web.strategy.diagnostic_views import _back, _edit_only
from pilotage.web.strategy.forms import MixForm, ObjectiveForm, TargetingForm
from pilotage.web.strategy.models import (
    MixDecision,
    MixLever,
    Objective,
    Segment,
    TargetingWeights,
    TowsOption,
)
from pilotage.web.strategy.scorecard import criteria_labels, matrix, suggested_scores
from pilotage.web.workspaces.access import workspace_view


@workspace_view()
def targeting_page(request: HttpRequest) -> HttpResponse:
    """The scorecard of every segment, the attractiveness × ability matrix, the choices."""
    _edit_only(request)
    year, ws = services.plan_year(request), request.workspace
    segments = list(Segment.objects.filter(workspace=ws, year=year))
    weights_row, _created = TargetingWeights.objects.get_or_create(workspace=ws, year=year)
    weights = targeting.check_weights(weights_row.weights)
    labels = criteria_labels()
    if request.method == "POST" and request.POST.get("form") == "weights":
        try:
            new = {k: float(request.POST.get(f"w_{k}", weights[k])) for k in targeting.CRITERIA}
            weights_row.weights = targeting.check_weights(new)
            weights_row.save()
            return _back(request, "targeting", year)
        except ValueError as refused:
            messages.error(request, str(refused))
    forms, invalid = [], False
    suggestions = suggested_scores(segments)
    for segment in segments:
        data = request.POST if request.POST.get("segment") == str(segment.pk) else None
        initial = {
            **dict.fromkeys(targeting.CRITERIA, 3),
            **suggestions[segment.pk],
            **segment.scores,
            "targeted": segment.targeted,
            "rationale": segment.rationale,
        }
        form = TargetingForm(
            data, criteria=list(labels.items()), initial=initial, prefix=f"s{segment.pk}"
        )
        if data is not None:
            if form.is_valid():
                services.save_targeting(segment, form.cleaned_data, request.user)
                return _back(request, "targeting", year)
            invalid = True
        forms.append((segment, form))
    context = {
        "year": year,
        "forms": forms,
        "weights": [(k, labels[k], weights[k]) for k in targeting.CRITERIA],
        "chart": matrix(segments, weights),
        "targets": [s for s in segments if s.targeted],
        "not_targeted": [s for s in segments if not s.targeted and s.rationale],
        "may_edit": services.may_edit(request),
    }
    return render(request, "strategy/targeting.html", context, status=400 if invalid else 200)


@workspace_view()
def objectives(request: HttpRequest) -> HttpResponse:
    """SMART objectives, each with its chain from the SWOT to the KPI target and actions."""
    _edit_only(request)
    year, ws = services.plan_year(request), request.workspace
    editing = request.GET.get("edit") or request.POST.get("edit")
    instance = get_object_or_404(Objective, pk=editing, workspace=ws) if editing else None
    option = TowsOption.objects.filter(workspace=ws, pk=request.GET.get("option") or 0).first()
    initial = {"tows_option": option, "title": option.text[:200]} if option else {}
    form = ObjectiveForm(
        request.POST or None, instance=instance, workspace=ws, year=year, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        services.save_objective(form, request.user, ws, year)
        return _back(request, "objectives", year)
    rows = [
        (o, services.chain(o))
        for o in Objective.objects.filter(workspace=ws, year=year)
        .select_related("tows_option__internal", "tows_option__external", "kpi_target", "owner")
        .prefetch_related("actions")
    ]
    context = {
        "year": year,
        "rows": rows,
        "form": form,
        "editing": instance,
        "may_edit": services.may_edit(request),
    }
    return render(
        request,
        "strategy/objectives.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@workspace_view()
def mix(request: HttpRequest) -> HttpResponse:
    """For every target segment, the four levers: our decision (4P), the customer's view (4C)."""
    _edit_only(request)
    year, ws = services.plan_year(request), request.workspace
    targets = list(Segment.objects.filter(workspace=ws, year=year, targeted=True))
    chosen = request.POST.get("segment")
    sections = []
    for segment in targets:
        data = request.POST if chosen == str(segment.pk) else None
        form = MixForm(data, workspace=ws, prefix=f"m{segment.pk}")
        if data is not None and form.is_valid():
            services.save(form, request.user, ws, segment=segment)
            return _back(request, "mix", year)
        decisions = MixDecision.objects.filter(segment=segment).prefetch_related("actions")
        levers = [
            (value, label, [d for d in decisions if d.lever == value])
            for value, label in MixLever.choices
        ]
        sections.append((segment, levers, form))
    context = {"year": year, "sections": sections, "may_edit": services.may_edit(request)}
    if not targets:
        messages.info(request, _("Choose target segments first: the mix is decided per target."))
    return render(
        request, "strategy/mix.html", context, status=400 if request.method == "POST" else 200
    )
