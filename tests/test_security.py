"""Login and transport: lockout, hashing, sessions and security headers."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import stodperson.sessions
from tests import factories


@pytest.fixture
def real_hashing(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(real_hashing):
    user = factories.UserFactory(password="ett-långt-lösenord-42")
    assert identify_hasher(user.password).algorithm == "argon2"


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_an_account_is_locked_after_repeated_failed_logins(client):
    factories.UserFactory(username="karin", password="ett-långt-lösenord-42")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "karin", "fel").status_code == 200
    assert _login(client, "karin", "fel").status_code == 429  # the last allowed failure
    locked = _login(client, "karin", "ett-långt-lösenord-42")
    assert locked.status_code == 429
    assert "För många misslyckade inloggningar" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_successful_login_before_the_limit_works(client):
    factories.UserFactory(username="karin", password="ett-långt-lösenord-42")
    _login(client, "karin", "fel")
    response = _login(client, "karin", "ett-långt-lösenord-42")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_sessions_end_after_thirty_idle_minutes_and_at_browser_close():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"


def _expiry(client):
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


@pytest.mark.django_db
def test_a_request_moves_the_idle_timeout_on_writing_the_session_at_most_once_a_minute(
    as_manager_a, monkeypatch
):
    home = reverse("overview:dashboard")
    as_manager_a.get(home)
    first = _expiry(as_manager_a).expire_date
    assert first - timezone.now() > timedelta(minutes=29)
    # Within the minute: the session is read, not written.
    with CaptureQueriesContext(connection) as queries:
        assert as_manager_a.get(home).status_code == 200
    assert not [q for q in queries if q["sql"].startswith('UPDATE "django_session"')]
    assert _expiry(as_manager_a).expire_date == first
    # A minute later: written, so the 30 idle minutes count from now.
    later = time.time() + settings.SESSION_REFRESH_SECONDS
    monkeypatch.setattr(stodperson.sessions.time, "time", lambda: later)
    assert as_manager_a.get(home).status_code == 200
    assert _expiry(as_manager_a).expire_date > first


@pytest.mark.django_db
def test_a_session_idle_past_its_expiry_is_logged_out(as_manager_a):
    home = reverse("overview:dashboard")
    as_manager_a.get(home)
    Session.objects.filter(pk=_expiry(as_manager_a).pk).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = as_manager_a.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_an_anonymous_visitor_gets_no_session(client):
    client.get(reverse("login"))
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_every_page_sends_the_security_headers(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_no_page_carries_an_inline_script(as_manager_a, world):
    for url in [reverse("overview:dashboard"), reverse("overview:clients")]:
        page = as_manager_a.get(url).content.decode()
        for tag in page.split("<script")[1:]:
            assert tag.split(">", 1)[0].strip().startswith("src="), tag[:80]


def _login_from(client, address, username, password, *, proxy="10.0.0.2", sent=None):
    """A login through the TLS proxy: it appends the address it was reached from."""
    forwarded = f"{sent}, {address}" if sent else address
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_behind_a_proxy_one_clients_failures_do_not_lock_out_another(client, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 0  # AXES_PROXY_COUNT=1: one proxy, named in no header
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR",)
    factories.UserFactory(username="karin", password="ett-långt-lösenord-42")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login_from(client, "198.51.100.7", "karin", "fel")
    assert _login_from(client, "198.51.100.7", "karin", "ett-långt-lösenord-42").status_code == 429
    # What the attacker puts in the header itself does not move them to another address.
    spoofed = _login_from(client, "198.51.100.7", "karin", "fel", sent="192.0.2.99")
    assert spoofed.status_code == 429

    other = _login_from(client, "203.0.113.20", "karin", "ett-långt-lösenord-42")
    assert other.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_settings_trust_the_header_only_behind_a_configured_proxy():
    # AXES_PROXY_COUNT=0, the default (the tests run without .env): the connection's address.
    assert settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ("REMOTE_ADDR",)
    assert settings.AXES_IPWARE_PROXY_COUNT is None


@pytest.mark.django_db
def test_without_a_proxy_a_forged_forwarded_header_is_not_trusted(client):
    factories.UserFactory(username="karin", password="ett-långt-lösenord-42")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login_from(client, f"203.0.113.{n}", "karin", "fel", proxy="198.51.100.7")
    # Each attempt named another address, but they all came from one connection.
    forged = _login_from(
        client, "203.0.113.200", "karin", "ett-långt-lösenord-42", proxy="198.51.100.7"
    )
    assert forged.status_code == 429
