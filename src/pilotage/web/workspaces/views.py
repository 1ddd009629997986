from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pilotage.web.workspaces import dashboard
from pilotage.web.workspaces.access import workspace_view
from pilotage.web.workspaces.models import EDITOR_ROLES
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
