"""The administrators' review of the logs: who read, and who changed, which person's record.
Read-only: nothing here can change or delete a log entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from stodperson import spreadsheets
from stodperson.decorators import ADMINISTRATOR, role_required
from stodperson.paging import paginate
from stodperson.types import AuthenticatedRequest

from .forms import LogFilterForm
from .log import note_reads
from .models import ReadLogEntry
from .subjects import HISTORIES, names

CHANGES_SHOWN = 200
READS_PER_PAGE = 50
CHANGES_PER_PAGE = 25


@dataclass(frozen=True)
class _Named:
    """A person the page names, as the read log notes them; whether the identity is
    protected is on the record's own read, not repeated here."""

    pk: int
    is_protected: bool = False


@dataclass
class Change:
    at: datetime
    username: str
    record: str  # what kind of record changed: "Klient", "Uppdrag" ...
    record_id: int
    change: str
    subject: str  # whose record it is (ReadLogEntry.Subject) and their id
    subject_id: int
    person: str = ""


def _period(data: dict[str, Any], field: str) -> Q:
    start, end = data.get("date_from"), data.get("date_to")
    condition = Q()
    if start:
        condition &= Q(**{f"{field}__gte": timezone.make_aware(datetime.combine(start, time()))})
    if end:
        next_day = timezone.make_aware(datetime.combine(end + timedelta(days=1), time()))
        condition &= Q(**{f"{field}__lt": next_day})
    return condition


def reads(data: dict[str, Any]) -> QuerySet[ReadLogEntry]:
    entries = ReadLogEntry.objects.filter(_period(data, "at"))
    if data.get("subject"):
        entries = entries.filter(subject=data["subject"])
    if data.get("subject_id"):
        entries = entries.filter(subject_id=data["subject_id"])
    if data.get("username"):
        entries = entries.filter(username=data["username"])
    return entries.order_by("-at", "-id")


def changes(data: dict[str, Any]) -> list[Change]:
    """The newest changes of the chosen kind of record (one query per history table)."""
    kinds = [data["subject"]] if data.get("subject") else list(HISTORIES)
    labels = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
    found: list[Change] = []
    for kind in kinds:
        for model, key in HISTORIES.get(kind, []):
            # The model's own name ("Klient"), not the history's ("historical klient").
            label = capfirst(model.instance_type._meta.verbose_name)
            rows = model._default_manager.filter(_period(data, "history_date"))
            if data.get("subject_id"):
                rows = rows.filter(**{key: data["subject_id"]})
            if data.get("username"):
                rows = rows.filter(history_user__username=data["username"])
            for row in rows.select_related("history_user").order_by("-history_date")[
                :CHANGES_SHOWN
            ]:
                found.append(
                    Change(
                        at=row.history_date,
                        username=row.history_user.get_username() if row.history_user else "",
                        record=label,
                        record_id=row.id,
                        change=labels[row.history_type],
                        subject=kind,
                        subject_id=getattr(row, key),
                    )
                )
    found.sort(key=lambda c: c.at, reverse=True)
    return found[:CHANGES_SHOWN]


@role_required(ADMINISTRATOR)
def log_review(request: AuthenticatedRequest) -> HttpResponse:
    form = LogFilterForm(request.GET or None)
    # The filters that are valid apply; a wrong one is said on the page and left out.
    form.is_valid()
    data = {name: value for name, value in getattr(form, "cleaned_data", {}).items() if value}
    if request.GET.get("format") == "csv":
        return _csv(data)
    page, query = paginate(request, reads(data), READS_PER_PAGE)
    changed, changes_query = paginate(
        request, changes(data), CHANGES_PER_PAGE, param="changes_page"
    )
    named = names(
        [(e.subject, e.subject_id) for e in page] + [(c.subject, c.subject_id) for c in changed],
        request.user,
    )
    for change in changed:
        change.person = named.get((change.subject, change.subject_id), "")
    # The page names these persons: reading the log is a read of them too.
    for subject in ReadLogEntry.Subject.values:
        shown = [_Named(pk) for (kind, pk) in named if kind == subject]
        note_reads(request, subject, shown)
    return render(
        request,
        "audit/log_review.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "reads": [(entry, named.get((entry.subject, entry.subject_id), "")) for entry in page],
            "changes": list(changed),
            "changes_page": changed,
            "changes_query": changes_query.urlencode(),
            "narrowed": bool(data),
        },
    )


def _csv(data: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="logg.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with a byte order mark
    writer = spreadsheets.csv_writer(response, delimiter=";")
    writer.writerow([_("Time"), _("User"), _("Action"), _("record type"), _("record"), _("page")])
    for entry in reads(data).iterator():
        writer.writerow(
            [
                timezone.localtime(entry.at).isoformat(timespec="seconds"),
                entry.username,
                entry.get_action_display(),
                entry.get_subject_display(),
                entry.subject_id,
                entry.page,
            ]
        )
    for change in changes(data):
        writer.writerow(
            [
                timezone.localtime(change.at).isoformat(timespec="seconds"),
                change.username,
                change.change,
                change.record,
                change.record_id,
                "",
            ]
        )
    return response
