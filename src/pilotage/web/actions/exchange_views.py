"""The plan in and out: CSV/XLSX export, the iCalendar feed, agency briefs, task-tool imports."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pilotage.web.actions import brief, exchange, services
from pilotage.web.actions.forms import ImportForm
from pilotage.web.actions.models import CalendarFeed
from pilotage.web.workspaces.access import workspace_view
from pilotage.web.workspaces.models import EDITOR_ROLES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@workspace_view()
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The actions the member sees, one row each, with every QQOQCCP answer."""
    actions = list(services.visible_to(request.membership).prefetch_related("depends_on"))
    financial = request.membership.sees_financials
    if fmt == "csv":
        body, kind = exchange.plan_csv(actions, financial), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body, kind = exchange.plan_xlsx(actions, financial), XLSX
    else:
        raise Http404("No such format")
    response = HttpResponse(body, content_type=kind)
    name = f"{slugify(request.workspace.name)}-action-plan.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@workspace_view()
def brief_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    action = services.visible_to(request.membership).filter(pk=pk).first()
    if action is None:
        raise Http404("No such action")
    response = HttpResponse(brief.brief_pdf(action), content_type="application/pdf")
    name = f"brief-{slugify(action.title) or action.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@workspace_view()
def calendar(request: HttpRequest) -> HttpResponse:
    """The member's private calendar address (a new one on request: the old one stops)."""
    feed, _created = CalendarFeed.objects.get_or_create(
        workspace=request.workspace, user=request.user
    )
    if request.method == "POST":
        feed.delete()
        feed = CalendarFeed.objects.create(workspace=request.workspace, user=request.user)
        messages.success(request, _("A new address was made; the old one no longer works."))
        return redirect("action_calendar", request.workspace.slug)
    url = request.build_absolute_uri(reverse("calendar_feed", args=[feed.token]))
    return render(request, "actions/calendar.html", {"url": url})


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed behind a private address: no login, the token is the key."""
    feed = CalendarFeed.objects.select_related("workspace", "user").filter(token=token).first()
    membership = feed and feed.user.memberships.filter(workspace=feed.workspace).first()
    if not membership:
        raise Http404("No such calendar")
    actions = list(services.visible_to(membership).prefetch_related("milestones"))

    def url_of(action) -> str:
        return request.build_absolute_uri(reverse("action", args=[feed.workspace.slug, action.pk]))

    body = exchange.calendar_bytes(feed.workspace, actions, url_of)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@workspace_view(*EDITOR_ROLES)
def import_actions(request: HttpRequest) -> HttpResponse:
    """Upload an Asana, Trello, Monday.com or Notion export; preview; then import it all."""
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        stored = exchange.keep_upload(settings.PILOTAGE_HOME, upload.name, upload.read())
        context.update(exchange.preview(stored, upload.name, form.cleaned_data["tool"] or None))
        context["stored"] = stored.name
    return render(request, "actions/import.html", context)


@require_POST
@workspace_view(*EDITOR_ROLES)
def import_commit(request: HttpRequest) -> HttpResponse:
    stored = exchange.stored_upload(settings.PILOTAGE_HOME, request.POST.get("stored", ""))
    outcome = exchange.import_file(
        request.workspace,
        stored,
        request.POST.get("filename", stored.name),
        request.POST.get("tool") or None,
        request.user,
    )
    if outcome.problems:
        return render(
            request,
            "actions/import.html",
            {"form": ImportForm(), "problems": outcome.problems},
            status=400,
        )
    messages.success(
        request,
        _("%(created)s actions created, %(updated)s updated, %(same)s unchanged.")
        % {"created": outcome.created, "updated": outcome.updated, "same": outcome.unchanged},
    )
    for warning in outcome.warnings:
        messages.warning(request, warning)
    return redirect("actions", request.workspace.slug)
