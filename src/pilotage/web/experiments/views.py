from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pilotage.web.experiments import analysis, services
from pilotage.web.experiments.forms import (
    DecisionForm,
    ExperimentForm,
    ResultFileForm,
    ResultForm,
)
from pilotage.web.experiments.models import Experiment, Status
from pilotage.web.workspaces.access import workspace_view
from pilotage.web.workspaces.models import EDITOR_ROLES


def _pilot(request: HttpRequest, pk: int) -> Experiment:
    pilot = services.visible_to(request.membership).filter(pk=pk).first()
    if pilot is None:
        raise Http404("No such pilot")
    return pilot


@workspace_view()
def registry(request: HttpRequest) -> HttpResponse:
    """Running pilots with days left, pilots awaiting a decision, decided ones and win rate."""
    pilots = list(services.visible_to(request.membership))
    return render(request, "experiments/registry.html", analysis.portfolio(pilots))


@workspace_view(*EDITOR_ROLES)
def create(request: HttpRequest) -> HttpResponse:
    form = ExperimentForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        form.instance.workspace = request.workspace
        pilot = services.create(form.instance, request.user)
        return redirect("experiment", request.workspace.slug, pilot.pk)
    return render(request, "experiments/form.html", {"form": form})


@workspace_view()
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _pilot(request, pk))


def _detail_page(
    request: HttpRequest, pilot: Experiment, status: int = 200, **forms
) -> HttpResponse:
    """The pilot's page; ``forms`` replace the blank forms (a form with its errors, say)."""
    context = {
        "pilot": pilot,
        "design": analysis.design(pilot),
        "analysis": analysis.analyze(pilot),
        "results": list(pilot.results.all()),
        "result_form": ResultForm(experiment=pilot),
        "file_form": ResultFileForm(experiment=pilot),
        "decision_form": DecisionForm(),
        "may_enter_results": services.may_enter_results(request.membership, pilot),
    } | forms
    return render(request, "experiments/detail.html", context, status=status)


@require_POST
@workspace_view()
def results_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Results as a CSV of per-arm summary statistics; a bad file is refused whole."""
    pilot = _pilot(request, pk)
    if not services.may_enter_results(request.membership, pilot):
        raise PermissionDenied
    form = ResultFileForm(request.POST, request.FILES, experiment=pilot)
    if not form.is_valid():
        return _detail_page(request, pilot, 400, file_form=form)
    if pilot.status == Status.DECIDED:
        raise PermissionDenied
    figures = {arm.name: analysis.figures_of(arm) for arm in form.cleaned_data["arms"]}
    services.record_results(pilot, form.cleaned_data["day"], figures, request.user)
    return redirect("experiment", request.workspace.slug, pk)


@require_POST
@workspace_view(*EDITOR_ROLES)
def start(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = _pilot(request, pk)
    if pilot.status == Status.DRAFT:
        services.start(pilot, request.user)
    return redirect("experiment", request.workspace.slug, pk)


@require_POST
@workspace_view()
def results(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = _pilot(request, pk)
    if not services.may_enter_results(request.membership, pilot):
        raise PermissionDenied
    form = ResultForm(request.POST, experiment=pilot)
    if not form.is_valid():
        return _detail_page(request, pilot, 400, result_form=form)
    if pilot.status == Status.DECIDED:
        raise PermissionDenied
    services.record_results(pilot, form.cleaned_data["day"], analysis.arms_from(form), request.user)
    return redirect("experiment", request.workspace.slug, pk)


@require_POST
@workspace_view(*EDITOR_ROLES)
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = _pilot(request, pk)
    if pilot.status != Status.RUNNING:
        return redirect("experiment", request.workspace.slug, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, pilot, 400, decision_form=form)
    data = form.cleaned_data
    services.decide(
        pilot,
        data["decision"],
        data["rationale"],
        request.user,
        budget_amount=data["budget_amount"],
        budget_month=data["budget_month"],
    )
    return redirect("experiment", request.workspace.slug, pk)
