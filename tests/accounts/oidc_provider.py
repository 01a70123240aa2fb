"""A real OpenID Connect provider on 127.0.0.1 for the tests, built on pyop.

pyop does the provider's work: it checks the authentication request against the registered
client (redirect URI, response type, scope), issues the code, checks the client's secret and
the PKCE verifier at the token endpoint, and signs the ID token (RS256) with a key it also
publishes as a JWKS. This module only puts it behind a small WSGI server in a thread, and
plays the person at the provider's login screen: `login_as` says who "logs in" next.

For the negative tests it can misbehave as a provider (or an attacker) might: sign with a key
it does not publish, or mint the token for another client.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from Cryptodome.PublicKey import RSA
from jwkest.jwk import RSAKey
from pyop.authz_state import AuthorizationState
from pyop.exceptions import InvalidAuthenticationRequest, OAuthError
from pyop.provider import Provider
from pyop.subject_identifier import HashBasedSubjectIdentifierFactory
from pyop.userinfo import Userinfo

CLIENT_ID = "stodperson"
OTHER_CLIENT_ID = "another-application"
CLIENT_SECRET = "test-client-secret"
KEY_ID = "test-signing-key"
# Seconds any one request to or from the provider may take.
TIMEOUT = 5
# pyop (as OpenID Connect Discovery §3) wants an https issuer. It is a name in the tokens, not
# an address anything is fetched from: the endpoints are on the loopback over plain HTTP.
ISSUER = "https://idp.test.invalid"


def new_signing_key() -> RSAKey:
    return RSAKey(key=RSA.generate(2048), alg="RS256", kid=KEY_ID, use="sig")


class _TestProvider(Provider):
    """pyop's provider, able to mint the ID token for another audience."""

    audience: str | None = None

    def _create_signed_id_token(self, client_id: str, *args: Any, **kwargs: Any) -> str:
        token: str = super()._create_signed_id_token(self.audience or client_id, *args, **kwargs)
        return token


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class LocalProvider:
    base_url: str
    provider: _TestProvider
    published_key: RSAKey
    people: dict[str, dict[str, Any]]
    user_id: str | None = None
    extra_claims: dict[str, Any] = field(default_factory=dict)
    token_requests: list[dict[str, list[str]]] = field(default_factory=list)
    authorization_requests: list[dict[str, list[str]]] = field(default_factory=list)

    @property
    def issuer(self) -> str:
        return ISSUER

    def login_as(self, user_id: str, **extra_claims: Any) -> None:
        """The next authorisation request is answered for this person, with these extra
        claims (acr, amr ...) in the ID token."""
        self.user_id = user_id
        self.extra_claims = extra_claims

    def sign_with(self, key: RSAKey) -> None:
        self.provider.signing_key = key

    def mint_for(self, audience: str) -> None:
        self.provider.audience = audience

    def settings(self) -> dict[str, Any]:
        return {
            "OIDC_ENABLED": True,
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.base_url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.base_url}/token",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.base_url}/jwks",
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_RP_SCOPES": "openid",
            "OIDC_TIMEOUT": TIMEOUT,
        }

    # --- The WSGI application ------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        try:
            if path == "/authorize":
                return self._authorize(environ, start_response)
            if path == "/token":
                return self._token(environ, start_response)
            if path == "/jwks":
                # The key the provider says it signs with: not always the one it used.
                return _json(start_response, "200 OK", {"keys": [self.published_key.serialize()]})
        except (InvalidAuthenticationRequest, OAuthError) as error:
            return _json(start_response, "400 Bad Request", {"error": str(error)})
        return _json(start_response, "404 Not Found", {"error": "not_found"})

    def _authorize(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        query = environ.get("QUERY_STRING", "")
        self.authorization_requests.append(parse_qs(query))
        request = self.provider.parse_authentication_request(query)
        if self.user_id is None:
            raise OAuthError("nobody is logged in at the provider", "login_required")
        response = self.provider.authorize(request, self.user_id)
        location = response.request(request["redirect_uri"], False)
        start_response("302 Found", [("Location", location)])
        return [b""]

    def _token(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length).decode()
        self.token_requests.append(parse_qs(body))
        headers = {"Authorization": environ.get("HTTP_AUTHORIZATION", "")}
        response = self.provider.handle_token_request(
            body, headers, extra_id_token_claims=dict(self.extra_claims)
        )
        return _json(start_response, "200 OK", response.to_dict())


def _json(start_response: Any, status: str, data: dict[str, Any]) -> list[bytes]:
    body = json.dumps(data).encode()
    start_response(
        status,
        [("Content-Type", "application/json"), ("Cache-Control", "no-store")],
    )
    return [body]


@contextmanager
def running_provider(
    *, key: RSAKey, redirect_uri: str, people: dict[str, dict[str, Any]]
) -> Iterator[LocalProvider]:
    """A provider listening on a free port of 127.0.0.1 until the block ends."""
    server: WSGIServer = make_server("127.0.0.1", 0, _NotYet(), handler_class=_QuietHandler)
    server.timeout = TIMEOUT
    base_url = f"http://127.0.0.1:{server.server_port}"
    clients = {
        client_id: {
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [redirect_uri],
            "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_post",
        }
        for client_id in (CLIENT_ID, OTHER_CLIENT_ID)
    }
    provider = _TestProvider(
        key,
        {
            "issuer": ISSUER,
            "authorization_endpoint": f"{base_url}/authorize",
            "token_endpoint": f"{base_url}/token",
            "jwks_uri": f"{base_url}/jwks",
            "subject_types_supported": ["public"],
            "scopes_supported": ["openid", "profile", "email"],
            "response_types_supported": ["code"],
            "code_challenge_methods_supported": ["S256"],
        },
        AuthorizationState(HashBasedSubjectIdentifierFactory("test-salt")),
        clients,
        Userinfo(people),
    )
    local = LocalProvider(base_url=base_url, provider=provider, published_key=key, people=people)
    server.set_app(local)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield local
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=TIMEOUT)


class _NotYet:
    """The application until the provider knows its own address."""

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        return _json(start_response, "503 Service Unavailable", {"error": "starting"})
