"""The volunteer's own pages (issue 16): who may open them and what comes first.

A volunteer is a support person of a patient committee linked to the login; their pages
show only their own records, so they take no id of a person. Until the volunteer has
accepted the current version of the confidentiality undertaking, every such page leads to
the undertaking first (`volunteer_view(undertaking=True)`, the default)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from stodperson.decorators import SUPPORT_PERSON, role_required
from stodperson.types import AuthenticatedRequest

from .models import SupportPerson
from .volunteers import is_volunteer, undertaking_due

VolunteerView = Callable[..., HttpResponse]


def volunteer_of(request: AuthenticatedRequest) -> SupportPerson:
    """The logged-in volunteer, with their programme and locality; 403 for anyone else
    (a support person of personal assistance has no volunteer pages)."""
    person = (
        SupportPerson.objects.select_related("programme", "locality")
        .filter(user=request.user)
        .first()
    )
    if person is None or not is_volunteer(person):
        raise PermissionDenied
    return person


def volunteer_view(*, undertaking: bool = True) -> Callable[[VolunteerView], VolunteerView]:
    """A view of the volunteer's own: called as view(request, person, *args). With
    undertaking=True the page is not shown before the current undertaking is accepted."""

    def decorator(view: VolunteerView) -> VolunteerView:
        @role_required(SUPPORT_PERSON)
        @wraps(view)
        def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            person = volunteer_of(request)
            if undertaking and undertaking_due(person, today=timezone.localdate()) is not None:
                return redirect("supportpersons:undertaking")
            return view(request, person, *args, **kwargs)

        return wrapped

    return decorator
