"""The benchmark's floor page: a logged-in page that does nothing, on the same stack as the
main pages (the middleware, the role check, the layout with its navigation and flag
badge), so that a main page's time over the floor's is what the page itself costs."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from stodperson.decorators import ADMINISTRATOR, MANAGER, SUPPORT_PERSON, role_required
from stodperson.types import AuthenticatedRequest


@role_required(MANAGER, ADMINISTRATOR, SUPPORT_PERSON)
def floor(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "benchmarks/floor.html")
