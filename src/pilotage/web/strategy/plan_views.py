"""The annual marketing plan: read on the page, downloaded as PDF (full or on one page)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from pilotage.web.strategy import services
from pilotage.web.strategy.plan_document import plan_data, plan_pdf
from pilotage.web.workspaces.access import workspace_view


@workspace_view()
def plan_document(request: HttpRequest) -> HttpResponse:
    year = services.plan_year(request)
    financial = request.membership.sees_financials
    context = {"year": year, "plan": plan_data(request.workspace, year, financial=financial)}
    return render(request, "strategy/plan.html", context)


@workspace_view()
def plan_download(request: HttpRequest) -> HttpResponse:
    year = services.plan_year(request)
    one_page = request.GET.get("page") == "one"
    response = HttpResponse(
        plan_pdf(
            request.workspace,
            year,
            one_page=one_page,
            financial=request.membership.sees_financials,
        ),
        content_type="application/pdf",
    )
    kind = "strategy-on-a-page" if one_page else "marketing-plan"
    name = f"{slugify(request.workspace.name)}-{kind}-{year}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
