"""Two-factor login with an authenticator app (TOTP, django-otp), issue #7.

It is optional for administrators, who turn it on for their own account at
`/konto/tvastegsverifiering/`. `OTP_REQUIRED_ROLES` (administrator, manager, support_person;
issue #13) makes it mandatory for those roles, whose users are then sent to that page until
they have a device; the older `OTP_REQUIRED_FOR_ADMINISTRATORS` adds administrators.

A single sign-on whose provider says it used two factors (accounts/backends.py, the `acr`
and `amr` claims) is noted in the session and owes no code; any other login does.

Where it is enforced: `TwoFactorMiddleware`, and only there (the Django admin's
`has_permission` asks the same `is_satisfied` as a second lock). A user with a confirmed device
who has not given a code since the password is treated as not logged in: every page except
the code page, login, logout and the health check sends them to the code page.

Whether the user has a confirmed device is noted in the session at login (`user_logged_in`,
every login path: the login page, the admin's, the test client's), so the pages of users
without a device run no extra query. A device turned on in one session therefore applies
to the user's other sessions from their next login.
"""

from __future__ import annotations

import base64
import logging
from typing import Any

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import roles
from .decorators import ADMINISTRATOR, MANAGER, SUPPORT_PERSON
from .forms import Form

logger = logging.getLogger(__name__)

# True when the logged-in user had a confirmed device at login (or turned one on since).
HAS_DEVICE_SESSION_KEY = "two_factor_has_device"
# True when this session's login was a single sign-on with two factors at the provider.
SSO_STRONG_SESSION_KEY = "two_factor_sso_strong"
DEVICE_NAME = "Authenticator app"

# URL names a user who still owes a code may open (one who owes a device, the setup page
# too). Everything else answers as if they were not logged in.
OPEN_WHILE_UNVERIFIED = frozenset({"two_factor_verify", "login", "logout", "health"})


# --- State -------------------------------------------------------------------------------


def _confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def remember_device_at_login(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """`user_logged_in` receiver: note in the new session whether a code is owed."""
    if request is not None and hasattr(request, "session"):
        has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        request.session[HAS_DEVICE_SESSION_KEY] = has_device
        # Strength is the single sign-on's to claim, after this login (accounts/views.py).
        request.session.pop(SSO_STRONG_SESSION_KEY, None)


def _has_device(request: HttpRequest) -> bool:
    has_device = request.session.get(HAS_DEVICE_SESSION_KEY)
    if has_device is None:  # a session from before two-factor login existed
        has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
        request.session[HAS_DEVICE_SESSION_KEY] = has_device
    return bool(has_device)


def _is_verified(user: Any) -> bool:
    # `is_verified` is installed by django-otp's OTPMiddleware; without it, nobody is.
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


_ROLE_CHECKS = {
    ADMINISTRATOR: roles.is_administrator,
    MANAGER: roles.is_unit_manager,
    SUPPORT_PERSON: roles.is_support_person,
}


def required_roles() -> set[str]:
    """The roles two-factor login is mandatory for (read at each request: tests turn it)."""
    required = set(settings.OTP_REQUIRED_ROLES)
    if settings.OTP_REQUIRED_FOR_ADMINISTRATORS:
        required.add(ADMINISTRATOR)
    return required


def is_required_of(user: Any) -> bool:
    """True when any of the user's roles requires two-factor login."""
    return any(_ROLE_CHECKS[role](user) for role in sorted(required_roles()))


def _strong_sso(request: HttpRequest) -> bool:
    return bool(request.session.get(SSO_STRONG_SESSION_KEY))


def needs_code(request: HttpRequest) -> bool:
    """Has a device and has not given a code (nor logged in with two factors) this session."""
    return (
        request.user.is_authenticated
        and not _strong_sso(request)
        and _has_device(request)
        and not _is_verified(request.user)
    )


def needs_setup(request: HttpRequest) -> bool:
    """A user of a role that requires a device, without one, not logged in with two factors."""
    return bool(
        request.user.is_authenticated
        and required_roles()
        and not _strong_sso(request)
        and not _has_device(request)
        and is_required_of(request.user)
    )


def is_satisfied(request: HttpRequest) -> bool:
    return not needs_code(request) and not needs_setup(request)


class TwoFactorMiddleware:
    """The one place two-factor login is enforced. After django-otp's OTPMiddleware.

    It looks at every path, not only those of views, so that a 404 page (with the menu and
    its counts) is not shown before the code either."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        detour = self._detour(request)
        if detour is not None:
            return detour
        response: HttpResponse = self.get_response(request)
        return response

    def _detour(self, request: HttpRequest) -> HttpResponse | None:
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            name = ""
        if name in OPEN_WHILE_UNVERIFIED or not request.user.is_authenticated:
            return None
        if needs_code(request):
            return redirect_to_login(request.get_full_path(), reverse("two_factor_verify"))
        if needs_setup(request) and name != "two_factor_setup":
            return redirect("two_factor_setup")
        return None


# --- Forms and helpers -------------------------------------------------------------------


class CodeField(forms.CharField):
    def to_python(self, value: Any) -> str:
        # "123 456" as the app shows it is as good as "123456".
        return "".join(str(super().to_python(value)).split())


class CodeForm(Form):
    code = CodeField(
        label=gettext_lazy("Code from the app"),
        max_length=12,
        validators=[RegexValidator(r"^\d{6}$", gettext_lazy("Enter the 6 digits the app shows."))],
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _check_code(request: HttpRequest, form: CodeForm, device: TOTPDevice, event: str) -> bool:
    """Verify the form's code against the device (throttled by django-otp); explain a no.
    Logs the outcome with the user's id, never the code or the secret."""
    if not form.is_valid():
        return False
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        logger.warning(
            "Two-factor code refused (%s, user %s): too many attempts", event, request.user.pk
        )
        form.add_error("code", _("Too many wrong codes in a row. Wait a moment and try again."))
        return False
    if django_otp.verify_token(request.user, device.persistent_id, form.cleaned_data["code"]):
        return True
    logger.warning("Two-factor code wrong (%s, user %s)", event, request.user.pk)
    form.add_error("code", _("The code is wrong or has expired. Try the current one."))
    return False


def _start_verified_session(request: HttpRequest, device: TOTPDevice) -> None:
    django_otp.login(request, device)
    request.session[HAS_DEVICE_SESSION_KEY] = True
    # A new session key for the new level of trust (as at login).
    request.session.cycle_key()


def _grouped_secret(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _qr_data_uri(device: TOTPDevice) -> str:
    # An SVG image as a data: URI: drawn here, no outside service, allowed by the CSP.
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage)
    svg = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


# --- Views -------------------------------------------------------------------------------


@sensitive_post_parameters("code")
@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of login: the code from the app."""
    if not needs_code(request):
        return HttpResponseRedirect(_next_url(request))
    device = _confirmed_device(request.user)
    if device is None:  # removed since login (e.g. in the admin): nothing is owed any more
        request.session[HAS_DEVICE_SESSION_KEY] = False
        return HttpResponseRedirect(_next_url(request))

    form = CodeForm(request.POST or None)
    if request.method == "POST" and _check_code(request, form, device, "login"):
        _start_verified_session(request, device)
        logger.info("Two-factor login verified for user %s", request.user.pk)
        return HttpResponseRedirect(_next_url(request))
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": _next_url(request), "two_factor_pending": True},
    )


@sensitive_post_parameters("code")
@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Turn two-factor login on (scan, confirm with a code) or off (with a code).
    For administrators, and for the users of the roles it is required of."""
    user = request.user
    mandatory = is_required_of(user)
    if not (mandatory or roles.is_administrator(user)):
        raise PermissionDenied
    confirmed = _confirmed_device(user)
    form = CodeForm(request.POST or None)

    if confirmed is not None:
        if (
            request.method == "POST"
            and not mandatory
            and _check_code(request, form, confirmed, "off")
        ):
            TOTPDevice.objects.filter(user=user).delete()
            request.session[HAS_DEVICE_SESSION_KEY] = False
            request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
            logger.info("Two-factor login turned off for user %s", user.pk)
            messages.success(request, _("Two-factor login is turned off."))
            return redirect("two_factor_setup")
        return render(
            request,
            "accounts/two_factor_setup.html",
            {"form": form, "enabled": True, "mandatory": mandatory},
        )

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    if request.method == "POST" and _check_code(request, form, device, "on"):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        _start_verified_session(request, device)
        logger.info("Two-factor login turned on for user %s", user.pk)
        messages.success(request, _("Two-factor login is turned on."))
        return redirect("two_factor_setup")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "enabled": False,
            "mandatory": mandatory,
            "qr_code": _qr_data_uri(device),
            "secret": _grouped_secret(device),
            "account": user.get_username(),
        },
    )
