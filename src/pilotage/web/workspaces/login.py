"""Login with a brake on password guessing (DESIGN.md §8: login is rate-limited)."""

from __future__ import annotations

from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def _key(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "?")
    username = request.POST.get("username", "").strip().lower()
    return f"login-failures:{address}:{username}"


class ThrottledLoginView(LoginView):
    """After 5 failed attempts for one username from one address, wait 15 minutes.

    Counts live in Django's cache (per process with the default local-memory cache).
    """

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = _key(request)
        if cache.get(key, 0) >= MAX_FAILURES:
            form = self.get_form()
            form.add_error(None, _("Too many failed attempts: wait 15 minutes and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            cache.delete(key)
        elif cache.add(key, 1, WINDOW_SECONDS) is False:
            cache.incr(key)
        return response
