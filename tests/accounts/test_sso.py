"""Single sign-on over OpenID Connect against a real provider on 127.0.0.1 (pyop, in a
thread; tests/accounts/oidc_provider.py): the whole authorisation code flow with PKCE, state
and nonce, over real HTTP, and what must be refused."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.contrib.auth import authenticate, get_user_model
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import IdentityLink
from stodperson import two_factor
from tests.factories import DEFAULT_PASSWORD

from .oidc_provider import (
    OTHER_CLIENT_ID,
    TIMEOUT,
    LocalProvider,
    new_signing_key,
    running_provider,
)

REDIRECT_URI = "http://testserver/konto/sso/tillbaka/"
PEOPLE = {
    "anna": {"sub": "sub-anna"},
    "okand": {"sub": "sub-okand"},
}
OIDC_BACKEND = "accounts.backends.OIDCBackend"


@pytest.fixture(scope="session")
def signing_key():
    return new_signing_key()


@pytest.fixture
def provider(settings, signing_key) -> Iterator[LocalProvider]:
    with running_provider(key=signing_key, redirect_uri=REDIRECT_URI, people=PEOPLE) as local:
        for name, value in local.settings().items():
            setattr(settings, name, value)
        local.login_as("anna")
        yield local


@pytest.fixture
def anna(manager_a, world):
    """The manager of unit A, linked to the identity "anna" at the provider."""
    IdentityLink.objects.create(user=manager_a, subject="sub-anna")
    return manager_a


def start(http: HttpClient, query: str = "") -> str:
    """The login start: the app sends the browser to the provider."""
    response = http.get(reverse("oidc_authentication_init") + query)
    assert response.status_code == 302
    return response["Location"]


def at_provider(location: str) -> str:
    """The browser at the provider, who logs the person in and sends them back: the URL of
    the app's callback, with the code and the state."""
    response = requests.get(location, allow_redirects=False, timeout=TIMEOUT)
    assert response.status_code == 302, response.text
    back = urlsplit(response.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == REDIRECT_URI
    return f"{back.path}?{back.query}"


def sso_login(http: HttpClient, query: str = ""):
    return http.get(at_provider(start(http, query)))


def logged_in_user_id(http: HttpClient) -> str | None:
    return http.session.get("_auth_user_id")


# --- The flow -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_linked_identity_logs_in_through_the_provider(client, provider, anna):
    location = start(client, "?next=" + reverse("overview:clients"))

    request = parse_qs(urlsplit(location).query)
    assert location.startswith(provider.base_url + "/authorize?")
    assert request["response_type"] == ["code"]
    assert request["code_challenge_method"] == ["S256"]
    assert len(request["state"][0]) >= 32 and len(request["nonce"][0]) >= 32

    response = client.get(at_provider(location))

    assert response.status_code == 302
    assert response["Location"] == reverse("overview:clients")
    assert logged_in_user_id(client) == str(anna.pk)
    assert client.session["_auth_user_backend"] == OIDC_BACKEND
    # The code went back over HTTP with the PKCE verifier; the provider checked it.
    assert provider.token_requests[0]["code_verifier"]
    assert client.get(reverse("overview:clients")).status_code == 200
    assert IdentityLink.objects.get(user=anna).last_login_at is not None


@pytest.mark.django_db
def test_the_matching_claim_is_a_setting(settings, client, provider, manager_a, world):
    settings.OIDC_USER_CLAIM = "oid"
    # Entra ID puts the object id in the ID token.
    provider.login_as("anna", oid="3f2b-anna-oid")
    IdentityLink.objects.create(user=manager_a, subject="3f2b-anna-oid")

    assert sso_login(client).status_code == 302
    assert logged_in_user_id(client) == str(manager_a.pk)


@pytest.mark.django_db
def test_an_unknown_identity_gets_a_swedish_page_and_no_account(client, provider, anna):
    provider.login_as("okand")
    users_before = get_user_model().objects.count()

    response = sso_login(client)

    assert response.status_code == 403
    assert "Du har inget konto i registret" in response.content.decode()
    assert logged_in_user_id(client) is None
    assert get_user_model().objects.count() == users_before
    assert IdentityLink.objects.count() == 1


@pytest.mark.django_db
def test_an_inactive_user_is_not_logged_in(client, provider, anna):
    anna.is_active = False
    anna.save()
    assert sso_login(client).status_code == 403
    assert logged_in_user_id(client) is None


@pytest.mark.django_db
def test_a_user_made_inactive_loses_an_open_single_sign_on_session(client, provider, anna):
    sso_login(client)
    anna.is_active = False
    anna.save()
    assert client.get(reverse("overview:clients")).status_code == 302


# --- What is refused ----------------------------------------------------------------------


def assert_refused(http: HttpClient, response) -> None:
    assert response.status_code == 400
    assert "Inloggningen lyckades inte" in response.content.decode()
    assert logged_in_user_id(http) is None


@pytest.mark.django_db
def test_a_token_signed_with_a_key_the_provider_does_not_publish_is_refused(client, provider, anna):
    # Same key id, different key: only the signature tells them apart.
    provider.sign_with(new_signing_key())
    assert_refused(client, sso_login(client))


@pytest.mark.django_db
def test_a_token_for_another_audience_is_refused(client, provider, anna):
    provider.mint_for(OTHER_CLIENT_ID)
    assert_refused(client, sso_login(client))


@pytest.mark.django_db
def test_a_token_from_another_issuer_is_refused(settings, client, provider, anna):
    settings.OIDC_OP_ISSUER = "https://login.example.com/another-tenant"
    assert_refused(client, sso_login(client))


@pytest.mark.django_db
def test_a_wrong_or_missing_state_is_refused(client, provider, anna):
    callback = at_provider(start(client))
    path, query = callback.split("?", 1)
    params = {k: v[0] for k, v in parse_qs(query).items()}

    assert_refused(client, client.get(path + "?" + urlencode({**params, "state": "forged"})))
    without_state = {k: v for k, v in params.items() if k != "state"}
    assert_refused(client, client.get(path + "?" + urlencode(without_state)))
    # A callback from another browser (its own session) is refused too.
    assert_refused(HttpClient(), HttpClient().get(callback))


@pytest.mark.django_db
def test_a_callback_is_used_once(client, provider, anna):
    callback = at_provider(start(client))
    assert client.get(callback).status_code == 302
    client.logout()
    assert_refused(client, client.get(callback))


@pytest.mark.django_db
def test_a_token_with_another_nonce_is_refused(client, provider, anna):
    location = start(client)
    state = parse_qs(urlsplit(location).query)["state"][0]
    session = client.session
    session["oidc_states"][state]["nonce"] = "a-nonce-this-browser-never-sent"
    session.save()
    assert_refused(client, client.get(at_provider(location)))


@pytest.mark.django_db
def test_the_provider_refuses_a_code_without_the_right_pkce_verifier(client, provider, anna):
    location = start(client)
    state = parse_qs(urlsplit(location).query)["state"][0]
    session = client.session
    session["oidc_states"][state]["code_verifier"] = "x" * 64
    session.save()
    assert_refused(client, client.get(at_provider(location)))


@pytest.mark.django_db
def test_an_error_from_the_provider_logs_nobody_in(client, provider, anna):
    response = client.get(reverse("oidc_authentication_callback") + "?error=access_denied")
    assert_refused(client, response)


# --- Settings -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_single_sign_on_is_off_by_default(client):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404
    page = client.get(reverse("login")).content.decode()
    assert reverse("oidc_authentication_init") not in page
    assert 'name="password"' in page


@pytest.mark.django_db
def test_the_login_page_offers_both_when_both_are_on(client, provider):
    response = client.get(reverse("login") + "?next=/klienter/")
    page = response.content.decode()
    assert reverse("oidc_authentication_init") + "?next=/klienter/" in page
    assert 'name="password"' in page
    assert "Logga in med organisationens inloggning" in page
    assert "style=" not in page and "<script>" not in page


@pytest.mark.django_db
def test_with_local_passwords_off_only_single_sign_on_logs_in(settings, client, provider, anna):
    settings.LOCAL_PASSWORDS_ENABLED = False

    page = client.get(reverse("login")).content.decode()
    assert reverse("oidc_authentication_init") in page
    assert 'name="password"' not in page

    response = client.post(
        reverse("login"), {"username": anna.username, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 403
    assert "Inloggning med lösenord är avstängd" in response.content.decode()
    assert logged_in_user_id(client) is None

    # Nor through the admin's form, nor any other caller of authenticate().
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.post(reverse("admin:login"), {"username": anna.username, "password": DEFAULT_PASSWORD})
    assert logged_in_user_id(client) is None
    request = RequestFactory().post(reverse("login"))
    assert authenticate(request, username=anna.username, password=DEFAULT_PASSWORD) is None

    assert sso_login(client).status_code == 302
    assert logged_in_user_id(client) == str(anna.pk)


# --- Two-factor login after single sign-on -----------------------------------------------


@pytest.fixture
def admin_with_device(admin_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    IdentityLink.objects.create(user=admin_user, subject="sub-anna")
    TOTPDevice.objects.create(user=admin_user, name="app", confirmed=True)
    return admin_user


@pytest.mark.django_db
def test_single_sign_on_without_two_factors_still_owes_the_code(
    settings, client, provider, admin_with_device
):
    settings.OIDC_MFA_AMR_VALUES = ["mfa"]
    provider.login_as("anna", amr=["pwd"])
    sso_login(client)
    assert client.session[two_factor.SSO_STRONG_SESSION_KEY] is False
    response = client.get(reverse("overview:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "claims", [{"amr": ["pwd", "mfa"]}, {"acr": "http://id.elegnamnden.se/loa/1.0/loa3"}]
)
def test_single_sign_on_with_two_factors_owes_no_code_where_configured(
    settings, client, provider, admin_with_device, claims
):
    settings.OIDC_MFA_AMR_VALUES = ["mfa"]
    settings.OIDC_MFA_ACR_VALUES = ["http://id.elegnamnden.se/loa/1.0/loa3"]
    settings.OTP_REQUIRED_ROLES = ["administrator"]
    provider.login_as("anna", **claims)
    sso_login(client)
    assert client.session[two_factor.SSO_STRONG_SESSION_KEY] is True
    assert client.get(reverse("overview:dashboard")).status_code == 200


@pytest.mark.django_db
def test_a_strong_claim_counts_for_nothing_unless_configured(
    settings, client, provider, admin_with_device
):
    provider.login_as("anna", amr=["mfa"])
    sso_login(client)
    response = client.get(reverse("overview:dashboard"))
    assert response["Location"].startswith(reverse("two_factor_verify"))


@pytest.mark.django_db
def test_a_later_password_login_does_not_inherit_the_strong_single_sign_on(
    settings, client, provider, admin_with_device
):
    settings.OIDC_MFA_AMR_VALUES = ["mfa"]
    provider.login_as("anna", amr=["mfa"])
    sso_login(client)
    client.post(
        reverse("login"), {"username": admin_with_device.username, "password": DEFAULT_PASSWORD}
    )
    assert two_factor.SSO_STRONG_SESSION_KEY not in client.session
    response = client.get(reverse("overview:dashboard"))
    assert response["Location"].startswith(reverse("two_factor_verify"))


@pytest.mark.django_db
def test_refused_identities_do_not_lock_single_sign_on_out_for_their_address(
    settings, client, provider, anna
):
    # Many people behind one municipal NAT: an unlinked colleague's tries, more than the
    # lockout limit, must not lock the next person out (the provider does the throttling).
    provider.login_as("okand")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert sso_login(HttpClient()).status_code == 403
    provider.login_as("anna")
    assert sso_login(client).status_code == 302
    assert logged_in_user_id(client) == str(anna.pk)
