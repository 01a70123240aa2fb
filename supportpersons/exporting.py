"""Export of the lists a user may see, as CSV or Excel (tablib).

Protected identities never leave the application (domain.md, privacy): those rows are left
out, and the page that offers the export says how many. Personnummer are masked (birth
date only). Cells are defused against formulas by stodperson.spreadsheets, as in every file
the application writes.
"""

from __future__ import annotations

from typing import Any

import tablib
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone

from clients.models import Client, ProtectedIdentity
from stodperson import spreadsheets

from .models import SupportPerson

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def response(data: tablib.Dataset, fmt: str, stem: str) -> HttpResponse:
    content = data.export(fmt)
    if fmt == "csv":
        # A BOM, so Excel opens Swedish letters right.
        content = "\ufeff" + content
    answer = HttpResponse(content, content_type=FORMATS[fmt])
    day = timezone.localdate().isoformat()
    answer["Content-Disposition"] = f'attachment; filename="{stem}-{day}.{fmt}"'
    return answer


def support_persons(people: QuerySet[SupportPerson]) -> tablib.Dataset:
    rows = (
        exported(people)
        .select_related("locality", "programme", "unit")
        .prefetch_related("languages")
        .with_load()  # type: ignore[attr-defined]
        .order_by("last_name", "first_name", "id")
    )
    return spreadsheets.dataset(
        [
            "förnamn",
            "efternamn",
            "kön",
            "födelseår",
            "ort",
            "verksamhet",
            "enhet",
            "språk",
            "kapacitet",
            "uppdrag",
            "status",
            "rekryterad",
            "avslutad",
        ],
        (
            [
                p.first_name,
                p.last_name,
                p.get_gender_display(),
                p.birth_year or "",
                p.locality.name,
                p.programme.name,
                p.unit.name if p.unit else "",
                ", ".join(lang.name for lang in p.languages.all()),
                p.capacity,
                p.load,  # type: ignore[attr-defined]
                p.get_status_display(),
                p.recruited_on.isoformat() if p.recruited_on else "",
                p.deactivated_on.isoformat() if p.deactivated_on else "",
            ]
            for p in rows
        ),
        "Stödpersoner",
    )


def clients(queryset: QuerySet[Client]) -> tablib.Dataset:
    rows = (
        exported(queryset)
        .select_related("unit__locality", "unit__programme")
        .with_current_assignments()  # type: ignore[attr-defined]
        .order_by("last_name", "first_name", "id")
    )
    return spreadsheets.dataset(
        [
            "förnamn",
            "efternamn",
            "personnummer",
            "enhet",
            "ort",
            "verksamhet",
            "lagrum",
            "klient sedan",
            "klient till",
            "stödperson",
        ],
        (
            [
                c.first_name,
                c.last_name,
                c.masked_personnummer,
                c.unit.name,
                c.unit.locality.name,
                c.unit.programme.name,
                c.get_legal_basis_display() if c.legal_basis else "",
                c.started_on.isoformat(),
                c.ended_on.isoformat() if c.ended_on else "",
                ", ".join(a.support_person.display_name for a in c.active_assignments),  # type: ignore[attr-defined]
            ]
            for c in rows
        ),
        "Klienter",
    )


def _protected() -> list[str]:
    return [p for p in ProtectedIdentity.values if p != ProtectedIdentity.NONE]


def exported(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The rows an export carries: everyone but protected identities."""
    return queryset.exclude(protected_identity__in=_protected())


def left_out(queryset: QuerySet[Any]) -> int:
    """How many rows an export leaves out for protected identity."""
    return queryset.filter(protected_identity__in=_protected()).count()
