"""The model page (fit, results, response curves) and the scenario planner."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilotage.allocation import AllocationError
from pilotage.models.mmm.model import DEFAULT_ROI_INTERVAL
from pilotage.web.experiments.models import Experiment
from pilotage.web.mmm import services
from pilotage.web.mmm.forms import (
    DEFAULT_CAUTIOUS,
    DEFAULT_WEEKS,
    LiftTestForm,
    RoiPriorForm,
    ScenarioForm,
)
from pilotage.web.mmm.models import (
    ROI_DISPLAY_SCALE,
    MmmFit,
    MmmLiftTest,
    MmmRoiPrior,
    MmmTarget,
)
from pilotage.web.mmm.presentation import (
    budget_curve_context,
    fit_context,
    lift_test_suggestions,
    scenario_context,
    units,
    units_for,
)
from pilotage.web.workspaces.access import workspace_view
from pilotage.web.workspaces.models import EDITOR_ROLES


@workspace_view(financials=True)
def model(request: HttpRequest) -> HttpResponse:
    """The latest fit: its progress while it runs, then its results; htmx polls the panel."""
    fit = services.latest_fit(request.workspace)
    language = (get_language() or "en")[:2]
    context: dict = {"fit": fit, **(fit_context(fit, language) if fit else {})}
    if request.membership.can_edit and (fit is None or fit.finished):
        # the outcomes a new fit can explain (a choice when there are several), for the form
        # that starts one: not while a fit runs (the panel refreshes every second)
        available = services.available_targets(request.workspace)
        context["targets"] = [(t, MmmTarget(t).label) for t in available]
        context["target"] = services.target_for(request.workspace, available)
    template = "mmm/_fit.html" if request.htmx else "mmm/model.html"
    return render(request, template, context)


@workspace_view(*EDITOR_ROLES)
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """Queue a fit of the outcome posted (``target``; the current one when none is)."""
    target = request.POST.get("target") or None
    available = services.available_targets(request.workspace)
    if not available or (target is not None and target not in available):
        return HttpResponseBadRequest(_("This workspace's data have no such outcome to explain."))
    services.expire_stale_fits(request.workspace)
    running = MmmFit.objects.filter(workspace=request.workspace, status__in=["queued", "running"])
    if not running.exists():
        services.start_fit(request.workspace, request.user, target)
    return redirect("mmm", request.workspace.slug)


@workspace_view(financials=True)
def scenarios(request: HttpRequest) -> HttpResponse:
    fit = services.latest_usable_fit(request.workspace)
    if fit is None:
        return render(request, "mmm/scenarios.html", {"fit": None})
    model = services.load_model(fit)
    form = _form(request.GET if "weeks" in request.GET else None, model.channels)
    context = scenario_context(fit, model, form, _language())
    context["budget_curve"] = budget_curve_context(fit)
    return render(request, "mmm/scenarios.html", context)


@workspace_view(*EDITOR_ROLES)
@require_POST
def apply(request: HttpRequest) -> HttpResponse:
    """Make the recommended or edited scenario a new draft budget version."""
    fit = services.latest_usable_fit(request.workspace)
    if fit is None:
        raise Http404("No usable model")
    model = services.load_model(fit)
    kind = "edited" if request.POST.get("kind") == "edited" else "recommended"
    language = _language()
    context = scenario_context(fit, model, _form(request.POST, model.channels), language)
    chosen = context.get(kind)
    if chosen is None:
        return render(request, "mmm/scenarios.html", context, status=400)
    try:
        budget = services.apply_scenario(
            fit, chosen.allocation, context["weeks"], kind, actor=request.user
        )
    except (services.ScenarioError, AllocationError) as exc:
        # the optimiser's errors are rendered in the request's language; ours already are
        messages.error(
            request, exc.text(language) if isinstance(exc, AllocationError) else str(exc)
        )
        return render(request, "mmm/scenarios.html", context, status=400)
    messages.success(request, _("Draft budget %(budget)s created.") % {"budget": budget})
    return redirect(f"{reverse('budget', args=[request.workspace.slug])}?version={budget.pk}")


def _language() -> str:
    """The request's language, two letters ("en", "fr")."""
    return (get_language() or "en")[:2]


def _form(data, channels: tuple[str, ...]) -> ScenarioForm:
    opening = {"weeks": DEFAULT_WEEKS, "cautious": DEFAULT_CAUTIOUS}
    return ScenarioForm(data or opening, channels=channels)


@workspace_view(financials=True)
def lift_tests(request: HttpRequest) -> HttpResponse:
    """The lift tests that calibrate the next fits; editors add and remove them."""
    workspace = request.workspace
    channels = services.spend_channels(workspace)
    form = LiftTestForm(channels=channels, initial=_lift_test_start(request, channels))
    if request.method == "POST":
        if not request.membership.can_edit:
            raise PermissionDenied
        form = LiftTestForm(request.POST, channels=channels)
        if form.is_valid():
            services.add_lift_test(workspace, request.user, **form.cleaned_data)
            messages.success(request, _("Lift test saved: the next fit will use it."))
            return redirect("mmm_lift_tests", workspace.slug)
    target = services.target_for(workspace)
    fit = services.latest_usable_fit(workspace)
    context = {
        "suggestions": lift_test_suggestions(fit) if fit else [],
        "units": units(fit) if fit else None,
        "form": form,
        "has_spend": bool(channels),
        "tests": MmmLiftTest.objects.filter(workspace=workspace),
        "outcome": _("leads") if target == MmmTarget.LEADS else _("revenue"),
    }
    return render(request, "mmm/lift_tests.html", context, status=400 if form.errors else 200)


def _lift_test_start(request: HttpRequest, channels: list[str]) -> dict:
    """What a pilot's page passes on (``?pilot=<pk>``): its channel, weeks and name, so the
    editor only adds the extra spend and what it brought."""
    pk = request.GET.get("pilot", "")
    pilot = (
        Experiment.objects.filter(workspace=request.workspace, pk=pk).first()
        if pk.isdigit()
        else None
    )
    if pilot is None:
        return {}
    start = {
        "weeks": max(1, round(pilot.duration_days / 7)),
        "source": _("Pilot “%(name)s”, from %(start)s")
        % {"name": pilot.name, "start": date_format(pilot.planned_start, "SHORT_DATE_FORMAT")},
    }
    if pilot.channel in channels:
        start["channel"] = pilot.channel
    return start


@workspace_view(*EDITOR_ROLES)
@require_POST
def delete_lift_test(request: HttpRequest, pk: int) -> HttpResponse:
    test = get_object_or_404(MmmLiftTest, pk=pk, workspace=request.workspace)
    services.delete_lift_test(test, request.user)
    messages.success(request, _("Lift test removed."))
    return redirect("mmm_lift_tests", request.workspace.slug)


@workspace_view(financials=True)
def roi_priors(request: HttpRequest) -> HttpResponse:
    """What the marketers expect each channel to return, which the next fits start from."""
    workspace = request.workspace
    channels = services.spend_channels(workspace)
    form = RoiPriorForm(channels=channels)
    if request.method == "POST":
        if not request.membership.can_edit:
            raise PermissionDenied
        form = RoiPriorForm(request.POST, channels=channels)
        if form.is_valid():
            services.add_roi_prior(workspace, request.user, **form.cleaned_data)
            messages.success(request, _("Expected return saved: the next fit will start from it."))
            return redirect("mmm_roi_priors", workspace.slug)
    context = {
        "form": form,
        "has_spend": bool(channels),
        "priors": _priors_against_fit(workspace),
        "roi_unit": units_for(services.target_for(workspace), workspace.currency)["roi"],
        # 0.2 and 8 as written, in the page's decimal format
        "default_low": number_format(Decimal(f"{DEFAULT_ROI_INTERVAL[0]:g}")),
        "default_high": number_format(Decimal(f"{DEFAULT_ROI_INTERVAL[1]:g}")),
    }
    return render(request, "mmm/roi_priors.html", context, status=400 if form.errors else 200)


def _priors_against_fit(workspace) -> list[dict]:
    """Each stated range beside what the latest usable fit of its outcome estimates (its ROI and
    90% interval, in the page's units), and whether that estimate lies outside the range."""
    fit = services.latest_usable_fit(workspace)
    rows = []
    for prior in MmmRoiPrior.objects.filter(workspace=workspace):
        estimate = None
        if fit is not None and fit.target == prior.outcome:
            found = fit.results["channels"].get(prior.channel)
            if found:
                k = ROI_DISPLAY_SCALE[MmmTarget(fit.target)]
                estimate = {key: found[key] * k for key in ("roi", "roi_low", "roi_high")}
        outside = estimate is not None and not (
            float(prior.low) <= estimate["roi"] <= float(prior.high)
        )
        rows.append({"prior": prior, "estimate": estimate, "outside": outside})
    return rows


@workspace_view(*EDITOR_ROLES)
@require_POST
def delete_roi_prior(request: HttpRequest, pk: int) -> HttpResponse:
    prior = get_object_or_404(MmmRoiPrior, pk=pk, workspace=request.workspace)
    services.delete_roi_prior(prior, request.user)
    messages.success(request, _("Expected return removed."))
    return redirect("mmm_roi_priors", request.workspace.slug)
