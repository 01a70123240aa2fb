"""Register extracts (GDPR art. 15) for administrators: JSON or PDF of one person."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from audit.log import note_reads
from audit.models import ReadLogEntry
from clients.access import get_client_for_user
from clients.models import Client
from stodperson.decorators import ADMINISTRATOR, role_required
from stodperson.types import AuthenticatedRequest
from supportpersons.access import get_support_person_for_user
from supportpersons.models import SupportPerson

from .extract import Extract, client_extract, support_person_extract
from .pdf import render_pdf

Getter = Callable[[AuthenticatedRequest, int], Client | SupportPerson]
SUBJECTS: dict[str, tuple[Getter, Callable[[Any], Extract], str]] = {
    "klient": (get_client_for_user, client_extract, ReadLogEntry.Subject.CLIENT),
    "stodperson": (
        get_support_person_for_user,
        support_person_extract,
        ReadLogEntry.Subject.SUPPORT_PERSON,
    ),
}


@require_GET
@role_required(ADMINISTRATOR)
def register_extract(request: AuthenticatedRequest, kind: str, pk: int, fmt: str) -> HttpResponse:
    if kind not in SUBJECTS or fmt not in ("json", "pdf"):
        raise Http404
    get_person, build, subject = SUBJECTS[kind]
    person = get_person(request, pk)
    if person.identity_hidden_from(request.user):
        # The extract carries the name and personnummer: of a protected identity, only a
        # named reader makes it (README, "Register extract").
        raise PermissionDenied
    note_reads(request, subject, [person], action=ReadLogEntry.Action.EXTRACT)
    if subject == ReadLogEntry.Subject.CLIENT:
        # A client's extract names the support person of each assignment.
        note_reads(
            request,
            ReadLogEntry.Subject.SUPPORT_PERSON,
            [a.support_person for a in person.assignments.select_related("support_person")],
        )
    extract: Extract = build(person)
    stem = f"registerutdrag-{kind}-{person.pk}"
    if fmt == "json":
        body = json.dumps(extract.as_json(), ensure_ascii=False, indent=2).encode()
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        pdf = render_pdf("reports/pdf/extract.html", {"extract": extract})
        response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
