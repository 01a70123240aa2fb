"""The login page, single sign-on's start and return, and the admin's login.

Local passwords and single sign-on are each switched by a setting (LOCAL_PASSWORDS_ENABLED,
OIDC_ENABLED), read at each request so that a test can turn them.
"""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import SuspiciousOperation
from django.core.validators import MaxLengthValidator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from stodperson import two_factor
from stodperson.forms import SwedishFormMixin

from .backends import NO_ACCOUNT_ATTRIBUTE, STRONG_ATTRIBUTE

logger = logging.getLogger(__name__)


class LoginForm(SwedishFormMixin, AuthenticationForm):
    """Django's login form, with the username's length checked before any login attempt:
    a name longer than any account's belongs to no one, and django-axes would fail to
    record the attempt (its column holds 255 characters)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(self.username_field.max_length or 150))


class LoginView(auth_views.LoginView):
    """Django's login page, offering single sign-on beside (or instead of) the password."""

    authentication_form = LoginForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["sso_enabled"] = settings.OIDC_ENABLED
        context["local_passwords"] = settings.LOCAL_PASSWORDS_ENABLED
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.LOCAL_PASSWORDS_ENABLED:
            # Refused before any password is checked (PasswordBackend refuses too).
            logger.warning("Password login refused: local passwords are turned off")
            return self.render_to_response(self.get_context_data(password_refused=True), status=403)
        return super().post(request, *args, **kwargs)


login = LoginView.as_view()


def _require_sso() -> None:
    if not settings.OIDC_ENABLED:
        raise Http404


class SSOStartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider with a fresh state, nonce and PKCE challenge."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_sso()
        response: HttpResponse = super().get(request)
        return response


def _failed(request: HttpRequest, status: int) -> HttpResponse:
    return render(request, "registration/sso_failed.html", status=status)


class SSOCallbackView(OIDCAuthenticationCallbackView):
    """The provider's return: the code is exchanged, the ID token checked, the linked user
    logged in. Every refusal ends on a page in Swedish that says what to do, never a 500."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_sso()
        try:
            response: HttpResponse = super().get(request)
        except SuspiciousOperation as error:
            # A wrong state, nonce, signature, audience or issuer.
            logger.warning("Single sign-on refused: %s", error)
            return _failed(request, 400)
        except requests.HTTPError as error:
            # The provider refused the code (used twice, wrong PKCE verifier, wrong secret).
            logger.warning("Single sign-on refused by the provider: %s", error)
            return _failed(request, 400)
        except requests.RequestException as error:
            logger.error("Single sign-on failed: the provider did not answer (%s)", error)
            return _failed(request, 502)
        return response

    def login_failure(self) -> HttpResponse:
        if getattr(self.request, NO_ACCOUNT_ATTRIBUTE, False):
            return render(self.request, "registration/sso_no_account.html", status=403)
        logger.warning("Single sign-on refused: %s", self.request.GET.get("error", "no code"))
        return _failed(self.request, 400)

    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        # After auth.login, which starts the session's two-factor state afresh.
        strong = bool(getattr(self.user, STRONG_ATTRIBUTE, False))
        self.request.session[two_factor.SSO_STRONG_SESSION_KEY] = strong
        logger.info("Single sign-on for user %s (strong: %s)", self.user.pk, strong)
        return response


sso_start = never_cache(SSOStartView.as_view())
sso_callback = never_cache(SSOCallbackView.as_view())


@never_cache
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's own login form, unless local passwords are off: then our login page."""
    if not settings.LOCAL_PASSWORDS_ENABLED:
        target = request.GET.get("next") or reverse("admin:index")
        return redirect_to_login(target, reverse("login"))
    return admin.site.login(request)
