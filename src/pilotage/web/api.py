"""The REST API (django-ninja): the same metric queries as the web pages and the CLI.

Authentication: a session (the browser) or ``Authorization: Bearer <token>`` with a token from
``pilotage token create``. Workspaces are scoped as everywhere: a non-member gets 404, a role
that does not see financial figures gets 403. OpenAPI schema: ``/api/openapi.json``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from pilotage import __version__
from pilotage.metrics import MetricQuery, QueryError, run
from pilotage.web.actions.api import router as actions_router
from pilotage.web.control.scorecard import source_for
from pilotage.web.workspaces.models import ApiToken, Membership


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        digest = hashlib.sha256(token.encode()).hexdigest()
        found = ApiToken.objects.select_related("user").filter(digest=digest).first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The browser's session cookie (CSRF checked on unsafe methods)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None):
        return request.user if request.user.is_authenticated else None


api = NinjaAPI(
    title="Pilotage API",
    version=__version__,
    auth=[TokenAuth(), SessionAuth(csrf=True)],
    urls_namespace="api",
)
api.add_router("", actions_router)


class WorkspaceOut(Schema):
    name: str
    slug: str
    currency: str
    locale: str
    role: str


class KpiQueryIn(Schema):
    metrics: list[str]
    start: dt.date
    end: dt.date
    dimensions: list[str] = []
    grain: Literal["week", "month", "quarter", "year"] | None = None
    compare: Literal["previous_period", "last_year"] | None = None
    filters: dict[str, list[str]] = {}
    maturity_days: int = 180


def _membership(request: HttpRequest, slug: str) -> Membership:
    membership = (
        Membership.objects.select_related("workspace")
        .filter(user=request.auth, workspace__slug=slug)
        .first()
    )
    if membership is None:
        raise Http404("No such workspace")
    return membership


@api.get("/workspaces", response=list[WorkspaceOut])
def workspaces(request: HttpRequest) -> list[dict[str, Any]]:
    """The workspaces of the authenticated user."""
    return [
        {
            **{f: getattr(m.workspace, f) for f in ("name", "slug", "currency", "locale")},
            "role": m.role,
        }
        for m in Membership.objects.filter(user=request.auth).select_related("workspace")
    ]


@api.post("/w/{slug}/kpi")
def kpi(request: HttpRequest, slug: str, query: KpiQueryIn) -> dict[str, Any]:
    """Compute KPIs: the body is the metric query, the answer the documented JSON shape."""
    membership = _membership(request, slug)
    if not membership.sees_financials:
        raise HttpError(403, "KPIs are not shared with agency members")
    try:
        q = MetricQuery(
            tuple(query.metrics),
            query.start,
            query.end,
            tuple(query.dimensions),
            query.grain,
            query.compare,
            tuple((k, tuple(v)) for k, v in sorted(query.filters.items())),
            maturity_days=query.maturity_days,
        )
        ws = membership.workspace
        return run(q, source_for(ws)).to_json()
    except QueryError as exc:
        raise HttpError(422, str(exc)) from exc
