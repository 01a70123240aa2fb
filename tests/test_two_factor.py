"""Two-factor login with an authenticator app (django-otp, TOTP; stodperson/two_factor.py):
turning it on and off, the second step of login, throttled codes, the setting that makes it
mandatory for administrators, and the Django admin."""

from __future__ import annotations

import base64
import datetime as dt
import logging

import pytest
from django.contrib import admin
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from stodperson import two_factor
from tests.factories import DEFAULT_PASSWORD


def code_for(device: TOTPDevice) -> str:
    """The code the app shows now."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong_code_for(device: TOTPDevice) -> str:
    """A code the device accepts neither now nor one step either side (its tolerance)."""
    accepted = {
        f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"
        for drift in (-1, 0, 1)
    }
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in accepted)


def unthrottle(device: TOTPDevice) -> None:
    device.refresh_from_db()
    device.throttle_reset()


def password_login(http: HttpClient, user) -> None:
    response = http.post(
        reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in http.session


def redirected_to_verify(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("two_factor_verify")
    )


@pytest.fixture
def device(admin_user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=admin_user, name="app", confirmed=True)


# --- Turning it on and off ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_setup_page_shows_the_secret_as_a_qr_code_and_as_text(as_admin, admin_user):
    response = as_admin.get(reverse("two_factor_setup"))
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=admin_user)
    assert not device.confirmed
    secret = base64.b32encode(device.bin_key).decode()
    page = response.content.decode()
    assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in page
    assert '<img src="data:image/svg+xml;base64,' in page
    # Nothing the Content-Security-Policy forbids: no inline script or style.
    assert "style=" not in page
    for tag in page.split("<script")[1:]:
        assert tag.split(">", 1)[0].strip().startswith("src=")
    assert "no-store" in response["Cache-Control"]

    # A reload shows the same secret until it is confirmed.
    as_admin.get(reverse("two_factor_setup"))
    assert TOTPDevice.objects.filter(user=admin_user).count() == 1


@pytest.mark.django_db
def test_a_wrong_code_does_not_turn_two_factor_login_on(as_admin, admin_user):
    as_admin.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=admin_user)

    response = as_admin.post(reverse("two_factor_setup"), {"code": wrong_code_for(device)})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    device.refresh_from_db()
    assert not device.confirmed
    assert DEVICE_ID_SESSION_KEY not in as_admin.session


@pytest.mark.django_db
def test_the_right_code_turns_two_factor_login_on_and_is_logged_without_secrets(
    as_admin, admin_user, caplog
):
    caplog.set_level(logging.INFO, logger="stodperson.two_factor")
    as_admin.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=admin_user)
    code = code_for(device)

    response = as_admin.post(reverse("two_factor_setup"), {"code": code[:3] + " " + code[3:]})

    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    # This session gave the code: it stays open, and the secret is not shown again.
    assert as_admin.session[two_factor.HAS_DEVICE_SESSION_KEY] is True
    assert as_admin.get(reverse("overview:dashboard")).status_code == 200
    page = as_admin.get(reverse("two_factor_setup")).content.decode()
    assert base64.b32encode(device.bin_key).decode()[:8] not in page
    assert f"Two-factor login turned on for user {admin_user.pk}" in caplog.text
    assert code not in caplog.text and device.key not in caplog.text


@pytest.mark.django_db
def test_turning_it_off_needs_a_current_code(admin_user, device, caplog):
    caplog.set_level(logging.INFO, logger="stodperson.two_factor")
    http = HttpClient()
    http.force_login(admin_user)
    login_code = code_for(device)
    http.post(reverse("two_factor_verify"), {"code": login_code})

    http.post(reverse("two_factor_setup"), {"code": wrong_code_for(device)})
    assert TOTPDevice.objects.filter(user=admin_user, confirmed=True).exists()

    unthrottle(device)
    response = http.post(reverse("two_factor_setup"), {"code": login_code})
    assert response.status_code == 200  # used at login: a code counts once
    assert TOTPDevice.objects.filter(user=admin_user).exists()

    unthrottle(device)
    device.last_t -= 1  # as if the login had been 30 seconds ago
    device.save()
    response = http.post(reverse("two_factor_setup"), {"code": code_for(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=admin_user).exists()
    assert f"Two-factor login turned off for user {admin_user.pk}" in caplog.text
    # Without a device, the next login is by password alone.
    http.logout()
    password_login(http, admin_user)
    assert http.get(reverse("overview:dashboard")).status_code == 200


@pytest.mark.django_db
def test_only_administrators_may_set_it_up_where_no_role_requires_it(
    as_manager_a, as_support_person
):
    assert as_manager_a.get(reverse("two_factor_setup")).status_code == 403
    assert as_support_person.get(reverse("two_factor_setup")).status_code == 403
    assert not TOTPDevice.objects.exists()


# --- Mandatory per role (OTP_REQUIRED_ROLES) ----------------------------------------------

ROLE_USERS = {
    "administrator": "admin_user",
    "manager": "manager_a",
    "support_person": "sp_user",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_a_role_that_requires_it_is_sent_to_setup(settings, request, world, admin_user, role):
    settings.OTP_REQUIRED_ROLES = [role]
    user = request.getfixturevalue(ROLE_USERS[role])
    http = HttpClient()
    password_login(http, user)

    response = http.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor_setup")
    assert http.get(reverse("two_factor_setup")).status_code == 200

    device = TOTPDevice.objects.get(user=user)
    http.post(reverse("two_factor_setup"), {"code": code_for(device)})
    assert http.get(reverse("home")).status_code in (200, 302)
    assert http.get(reverse("home")).get("Location") != reverse("two_factor_setup")


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_a_role_that_does_not_require_it_logs_in_with_the_password(
    settings, request, world, admin_user, role
):
    settings.OTP_REQUIRED_ROLES = [other for other in ROLE_USERS if other != role]
    user = request.getfixturevalue(ROLE_USERS[role])
    http = HttpClient()
    password_login(http, user)

    response = http.get(reverse("home"))
    assert response.get("Location") not in (reverse("two_factor_setup"),)
    assert not redirected_to_verify(response)
    assert http.get(reverse("two_factor_setup")).status_code == (
        200 if role == "administrator" else 403
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_a_required_role_with_a_device_is_asked_for_the_code(
    settings, request, world, admin_user, role
):
    settings.OTP_REQUIRED_ROLES = [role]
    user = request.getfixturevalue(ROLE_USERS[role])
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    http = HttpClient()
    password_login(http, user)
    assert redirected_to_verify(http.get(reverse("home")))


def test_a_misspelt_role_stops_the_start(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import stodperson.settings as project_settings

    monkeypatch.setenv("OTP_REQUIRED_ROLES", "administrator,chef")
    with pytest.raises(ImproperlyConfigured, match="chef"):
        importlib.reload(project_settings)
    monkeypatch.delenv("OTP_REQUIRED_ROLES")
    importlib.reload(project_settings)


# --- The second step of login -------------------------------------------------------------


@pytest.mark.django_db
def test_a_user_with_a_device_is_asked_for_the_code_after_the_password(client, admin_user, device):
    password_login(client, admin_user)
    key_after_password = client.session.session_key

    response = client.get(reverse("overview:dashboard"))
    assert redirected_to_verify(response)
    assert response["Location"].endswith("?next=" + reverse("overview:dashboard"))

    form_page = client.get(response["Location"])
    assert form_page.status_code == 200
    # The menu is not shown until the code is given: the page is for the code only.
    assert reverse("overview:clients") not in form_page.content.decode()

    response = client.post(
        reverse("two_factor_verify"),
        {"code": code_for(device), "next": reverse("overview:dashboard")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("overview:dashboard")
    assert client.session.session_key != key_after_password
    assert client.get(reverse("overview:dashboard")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    ["home", "overview:dashboard", "overview:clients", "audit:review", "two_factor_setup"],
)
def test_pages_stay_closed_until_the_code_is_given(client, admin_user, device, url_name):
    password_login(client, admin_user)
    assert redirected_to_verify(client.get(reverse(url_name)))
    assert redirected_to_verify(client.post(reverse(url_name)))


@pytest.mark.django_db
def test_a_missing_page_does_not_show_the_menu_before_the_code(client, admin_user, device):
    password_login(client, admin_user)
    assert redirected_to_verify(client.get("/finns-inte/"))


@pytest.mark.django_db
def test_logout_works_before_the_code_is_given(client, admin_user, device):
    password_login(client, admin_user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_wrong_code_is_refused(client, admin_user, device, caplog):
    password_login(client, admin_user)

    for code in [wrong_code_for(device), "12345", "abcdef"]:
        response = client.post(reverse("two_factor_verify"), {"code": code})
        assert response.status_code == 200
        assert response.context["form"].errors["code"]
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert redirected_to_verify(client.get(reverse("overview:dashboard")))
    assert f"Two-factor code wrong (login, user {admin_user.pk})" in caplog.text


@pytest.mark.django_db
def test_after_a_wrong_code_the_next_try_must_wait(settings, client, admin_user, device):
    # The factor is 1 (waits of 1, 2, 4 ... seconds); a minute keeps the test off the clock.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    password_login(client, admin_user)
    client.post(reverse("two_factor_verify"), {"code": wrong_code_for(device)})

    # Even the right code is refused while the wait lasts.
    response = client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert not device.verify_is_allowed()[0]

    device.throttling_failure_timestamp -= dt.timedelta(seconds=61)
    device.save()
    response = client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


@pytest.mark.django_db
def test_the_password_step_still_locks_out_after_repeated_failures(client, admin_user, device):
    for _ in range(5):
        client.post(reverse("login"), {"username": admin_user.username, "password": "fel"})
    response = client.post(
        reverse("login"), {"username": admin_user.username, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_users_without_a_device_log_in_as_before(client, admin_user, manager_a, world):
    password_login(client, admin_user)
    assert client.session[two_factor.HAS_DEVICE_SESSION_KEY] is False
    assert client.get(reverse("overview:dashboard")).status_code == 200
    assert client.get(reverse("two_factor_verify"))["Location"] == reverse("home")

    other = HttpClient()
    password_login(other, manager_a)
    assert other.get(reverse("overview:clients")).status_code == 200


# --- Mandatory for administrators ---------------------------------------------------------


@pytest.mark.django_db
def test_the_mandatory_setting_sends_an_administrator_to_setup(
    settings, client, admin_user, manager_a, world
):
    settings.OTP_REQUIRED_FOR_ADMINISTRATORS = True
    password_login(client, admin_user)

    response = client.get(reverse("overview:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor_setup")
    assert client.get(reverse("two_factor_setup")).status_code == 200

    device = TOTPDevice.objects.get(user=admin_user)
    client.post(reverse("two_factor_setup"), {"code": code_for(device)})
    assert client.get(reverse("overview:dashboard")).status_code == 200

    # Once on, it cannot be turned off while the setting requires it.
    device.refresh_from_db()
    device.last_t -= 1
    device.save()
    client.post(reverse("two_factor_setup"), {"code": code_for(device)})
    assert TOTPDevice.objects.filter(user=admin_user, confirmed=True).exists()

    # It is for administrators: a unit manager logs in as before.
    other = HttpClient()
    password_login(other, manager_a)
    assert other.get(reverse("overview:dashboard")).status_code == 200


# --- The Django admin ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_requires_the_code_from_a_user_with_a_device(client, admin_user, device):
    admin_user.is_staff = True
    admin_user.save()

    request = RequestFactory().get("/admin/")
    request.user = admin_user
    request.session = {two_factor.HAS_DEVICE_SESSION_KEY: True}  # type: ignore[assignment]
    assert not admin.site.has_permission(request)
    request.session = {two_factor.HAS_DEVICE_SESSION_KEY: False}  # type: ignore[assignment]
    assert admin.site.has_permission(request)

    password_login(client, admin_user)
    assert redirected_to_verify(client.get(reverse("admin:index")))
    client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_the_admin_login_page_does_not_skip_the_code(client, admin_user, device):
    admin_user.is_staff = True
    admin_user.save()
    client.post(
        reverse("admin:login"), {"username": admin_user.username, "password": DEFAULT_PASSWORD}
    )
    assert client.session[two_factor.HAS_DEVICE_SESSION_KEY] is True
    assert redirected_to_verify(client.get(reverse("admin:index")))
    assert redirected_to_verify(client.get(reverse("overview:dashboard")))
