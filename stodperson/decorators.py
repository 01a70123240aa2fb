"""Role checks for views: the first line of every view (house-style.md, "Views").

A page out of role answers 403; a record out of reach answers 404, so nobody learns that
a record exists from the answer, and a record in sight but not the user's to change 403
(stodperson/access.py and each app's access.py)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from . import roles

ADMINISTRATOR = "administrator"
MANAGER = "manager"
SUPPORT_PERSON = "support_person"

_CHECKS: dict[str, Callable[[Any], bool]] = {
    ADMINISTRATOR: roles.is_administrator,
    MANAGER: roles.is_unit_manager,
    SUPPORT_PERSON: lambda user: roles.is_support_person(user),
}

View = Callable[..., HttpResponse]


def role_required(*allowed: str) -> Callable[[View], View]:
    """Let the user in when they have one of the roles; otherwise 403."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not any(_CHECKS[role](request.user) for role in allowed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
