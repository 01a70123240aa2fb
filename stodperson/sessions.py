"""Idle sessions end SESSION_COOKIE_AGE (30 minutes) after the last request.

Django's SESSION_SAVE_EVERY_REQUEST moves a session's expiry on by writing it on every
request: an UPDATE and a commit per page view, most of the work of a small page under load
(issue #8). This middleware writes it at most once a minute (SESSION_REFRESH_SECONDS), so a
session ends between 29 and 30 idle minutes after the last request, and the other requests
only read it."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# In the session: when it was last written by this middleware (seconds since the epoch).
TOUCHED = "_touched"


class SessionKeepAliveMiddleware:
    """After SessionMiddleware. Only an existing session is kept alive: a visitor without one
    gets none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.session_key is not None:
            now = int(time.time())
            if now - session.get(TOUCHED, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[TOUCHED] = now  # marks the session modified: it is saved
        return self.get_response(request)
