"""Login: a session for the right password, a brake on guessing."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_it_logs_in_with_the_right_password(client, personas):
    response = _login(client, "owner", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("portfolio")


def test_it_stops_password_guessing_after_five_failures(client, personas):
    for _ in range(5):
        assert _login(client, "owner", "wrong").status_code == 200
    blocked = _login(client, "owner", PASSWORD)  # even the right password waits
    assert blocked.status_code == 429
    assert "Too many failed attempts" in blocked.content.decode()
    assert _login(client, "manager", PASSWORD).status_code == 302  # other accounts unaffected


def test_it_forgets_failures_after_a_success(client, personas):
    for _ in range(4):
        _login(client, "owner", "wrong")
    assert _login(client, "owner", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "owner", "wrong").status_code == 200
