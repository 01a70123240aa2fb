"""Authentication backends: single sign-on over OpenID Connect, and local passwords.

mozilla-django-oidc runs the authorisation code flow (state, nonce, PKCE) and checks the ID
token's signature against the provider's JWKS. It does not check the audience or the issuer
(it decodes with `verify_aud` off), so `OIDCBackend` decodes again with both required: a
token the provider minted for another application is refused, as OpenID Connect Core 1.0
§3.1.3.7 asks of a relying party.
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import IdentityLink

logger = logging.getLogger(__name__)

# Set on the request when a verified identity matches no user, for the callback's page.
NO_ACCOUNT_ATTRIBUTE = "sso_no_account"
# Set on the user when the provider says the login used more than one factor.
STRONG_ATTRIBUTE = "sso_strong_authentication"


def _as_set(value: Any) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, str):
        return {value}
    return {str(v) for v in value}


def is_strong_authentication(claims: dict[str, Any]) -> bool:
    """True when the ID token's `acr` or `amr` is one the deployment counts as two factors
    (OIDC_MFA_ACR_VALUES, OIDC_MFA_AMR_VALUES; both empty: never)."""
    acr_ok = _as_set(claims.get("acr")) & set(settings.OIDC_MFA_ACR_VALUES)
    amr_ok = _as_set(claims.get("amr")) & set(settings.OIDC_MFA_AMR_VALUES)
    return bool(acr_ok or amr_ok)


class OIDCBackend(OIDCAuthenticationBackend):
    """Logs in the user an administrator has linked to the identity; never creates one."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if not settings.OIDC_ENABLED:
            return None
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload: bytes | str, key: Any) -> dict[str, Any]:
        claims: dict[str, Any] = super()._verify_jws(payload, key)  # the signature and `exp`
        try:
            jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER or None,
                leeway=settings.OIDC_CLOCK_SKEW_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.InvalidTokenError as error:
            logger.warning("Single sign-on refused: ID token %s", error)
            raise SuspiciousOperation(f"ID token refused: {error}") from error
        # With several audiences, the token must have been issued to us (`azp`).
        audience = claims.get("aud")
        if (
            isinstance(audience, list)
            and len(audience) > 1
            and claims.get("azp") != self.OIDC_RP_CLIENT_ID
        ):
            raise SuspiciousOperation("ID token refused: azp is not this client")
        return claims

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        # The verified ID token carries the claims we need; no userinfo round trip.
        claim = settings.OIDC_USER_CLAIM
        subject = payload.get(claim)
        if not subject or not isinstance(subject, str | int):
            logger.warning("Single sign-on refused: the ID token has no %r claim", claim)
            self._mark_no_account()
            return None
        user = IdentityLink.objects.active_user_for(str(subject))
        if user is None:
            # The value is a pseudonymous id, not a name: safe to log for the administrator.
            logger.warning("Single sign-on refused: no user is linked to %s=%s", claim, subject)
            self._mark_no_account()
            return None
        IdentityLink.objects.filter(user=user).update(last_login_at=timezone.now())
        setattr(user, STRONG_ATTRIBUTE, is_strong_authentication(payload))
        return user

    def get_user(self, user_id: int) -> Any:
        # Django's rule, which mozilla-django-oidc's own get_user skips: a user made inactive
        # is logged out of their open sessions too.
        return ModelBackend.get_user(self, user_id)

    def _mark_no_account(self) -> None:
        setattr(self.request, NO_ACCOUNT_ATTRIBUTE, True)


class PasswordBackend(ModelBackend):
    """Django's user name and password, unless LOCAL_PASSWORDS_ENABLED is off: then only
    single sign-on logs in (the login page and the admin's too). It still answers for
    permissions and for the sessions of users already logged in."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not settings.LOCAL_PASSWORDS_ENABLED:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def is_single_sign_on_return(request: HttpRequest, credentials: dict[str, Any] | None) -> bool:
    """django-axes' whitelist (AXES_WHITELIST_CALLABLE): the provider's return is not a
    password guess. Its failures carry no user name, so counting them would put everyone
    behind one address (a municipality's NAT) in one bucket, and an unlinked colleague's
    tries would lock them all out. Guessing is the provider's to throttle; the return needs
    the state this browser was given."""
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "oidc_authentication_callback"
