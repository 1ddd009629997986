from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from pilotage.web.workspaces import dashboard, holiday_setting
from pilotage.web.workspaces.access import workspace_view
from pilotage.web.workspaces.models import EDITOR_ROLES, Role
from pilotage.web.workspaces.services import memberships_of


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    """Every workspace of the user, with three headline figures each."""
    cards = [dashboard.portfolio_card(m) for m in memberships_of(request.user)]
    return render(request, "workspaces/portfolio.html", {"cards": cards})


@workspace_view()
def home(request: HttpRequest) -> HttpResponse:
    context = dashboard.panel(request.workspace, request.membership, request.GET.get("period"))
    return render(request, "workspaces/home.html", context)


@workspace_view()
def panel(request: HttpRequest) -> HttpResponse:
    """The charts for another period, swapped in by htmx."""
    context = dashboard.panel(request.workspace, request.membership, request.GET.get("period"))
    return render(request, "workspaces/_panel.html", context)


@workspace_view(*EDITOR_ROLES)
def audit(request: HttpRequest) -> HttpResponse:
    events = request.workspace.audit_events.select_related("actor")[:200]
    return render(request, "workspaces/audit.html", {"events": events})


@workspace_view(Role.OWNER)
def holidays_settings(request: HttpRequest) -> HttpResponse:
    """The public holidays the company keeps (the MMM's control, the retro-planning's days
    off); owners only, audited."""
    workspace = request.workspace
    initial = {"country": workspace.country, "region": workspace.region}
    data = request.POST if request.method == "POST" else None
    form = holiday_setting.HolidaysForm(data, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        holiday_setting.change(workspace, data["country"], data["region"], request.user)
        return redirect("holidays_settings", slug=workspace.slug)
    context = {
        "form": form,
        "country_name": holiday_setting.country_name(workspace.country),
        "upcoming": holiday_setting.upcoming(workspace, timezone.localdate()),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "workspaces/holidays.html", context, status=status)
