"""Costs beyond media (marketing payroll, sales cost): the page, and the rows the metrics read."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from django import forms
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from pilotage.metrics.recurring import RecurringCost as Cost
from pilotage.metrics.recurring import daily_rows
from pilotage.web.plans.models import RecurringCost
from pilotage.web.workspaces.access import workspace_view
from pilotage.web.workspaces.models import EDITOR_ROLES, AuditAction, Workspace
from pilotage.web.workspaces.services import record


class RecurringCostForm(forms.ModelForm):
    class Meta:
        model = RecurringCost
        fields = ["kind", "label", "monthly", "start", "end"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


def daily_costs(workspace: Workspace) -> pa.Table | None:
    """The workspace's monthly costs as daily rows up to the end of next year (None: none)."""
    costs = [
        Cost(c.kind, float(c.monthly), c.start, c.end, workspace.currency)
        for c in RecurringCost.objects.filter(workspace=workspace)
    ]
    if not costs:
        return None
    return daily_rows(costs, until=dt.date(dt.date.today().year + 1, 12, 31))


@workspace_view(financials=True)
def recurring_costs(request: HttpRequest) -> HttpResponse:
    """The payroll and sales costs the fully loaded KPIs add; editors add and remove them."""
    form = RecurringCostForm(request.POST or None)
    if request.method == "POST":
        if not request.membership.can_edit:
            return HttpResponse(status=403)
        if form.is_valid():
            with transaction.atomic():
                form.instance.workspace = request.workspace
                cost = form.save()
                record(
                    request.workspace,
                    request.user,
                    AuditAction.CREATE,
                    cost,
                    {"monthly": [None, str(cost.monthly)]},
                )
            return redirect("recurring_costs", request.workspace.slug)
    costs = RecurringCost.objects.filter(workspace=request.workspace)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request, "plans/recurring_costs.html", {"form": form, "costs": costs}, status=status
    )


@require_POST
@workspace_view(*EDITOR_ROLES)
def recurring_cost_delete(request: HttpRequest, pk: int) -> HttpResponse:
    cost = get_object_or_404(RecurringCost, pk=pk, workspace=request.workspace)
    with transaction.atomic():
        record(
            request.workspace,
            request.user,
            AuditAction.DELETE,
            cost,
            {"monthly": [str(cost.monthly), None]},
        )
        cost.delete()
    return redirect("recurring_costs", request.workspace.slug)
