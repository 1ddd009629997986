"""Workspace scoping of views: members only, outsiders get 404, roles checked per view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from pilotage.web.workspaces.models import Membership

View = Callable[..., HttpResponse]


def workspace_view(*roles: str, financials: bool = False) -> Callable[[View], View]:
    """Load the workspace of the URL's ``slug`` for a member of it.

    Non-members get 404 (a workspace's existence is not disclosed); members whose role is not
    in ``roles`` (when given), or who do not see financial figures when ``financials`` is set,
    get 403. Sets ``request.workspace`` and ``request.membership``.
    """

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
            membership = (
                Membership.objects.select_related("workspace")
                .filter(user=request.user, workspace__slug=slug)
                .first()
            )
            if membership is None:
                raise Http404("No such workspace")
            if roles and membership.role not in roles:
                raise PermissionDenied
            if financials and not membership.sees_financials:
                raise PermissionDenied
            request.workspace = membership.workspace
            request.membership = membership
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
