"""Decisions under delegation: the period's list for the committee's meeting (page, PDF,
CSV), one decision with the office's completion, and its letters.

The office's (administrators) and the unit managers' who appoint and release in their units
(the decision's scope, assignments.decision_models.DecisionQuerySet): 403 for a support
person, 404 for a decision out of reach. Each view: the access check first."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assignments.decision_models import DecisionQuerySet
from assignments.decision_services import decision_update
from assignments.models import Decision
from audit.log import log_export, note_reads
from audit.models import ReadLogEntry
from clients.models import Programme
from stodperson.access import get_for_user
from stodperson.concurrency import StaleVersion, version_of
from stodperson.decorators import ADMINISTRATOR, MANAGER, role_required
from stodperson.errors import ServiceError
from stodperson.paging import paginate
from stodperson.types import AuthenticatedRequest

from . import decisions as read
from .decision_forms import DecisionForm, PeriodForm, default_period
from .pdf import render_pdf

PER_PAGE = 50


def _period(request: AuthenticatedRequest) -> tuple[PeriodForm, DecisionQuerySet, date, date]:
    """The period asked for (by default since the first day of the previous month) and the
    decisions in it the user may see; none for a period that does not make sense."""
    first, last = default_period(timezone.localdate())
    data = request.GET.copy()
    data.setdefault("first", first.isoformat())
    data.setdefault("last", last.isoformat())
    form = PeriodForm(data)
    if not form.is_valid():
        return form, Decision.objects.none(), first, last
    first, last = form.cleaned_data["first"], form.cleaned_data["last"]
    queryset = Decision.objects.visible_to(request.user).in_period(first, last)
    if form.cleaned_data.get("programme"):
        queryset = queryset.filter(programme=form.cleaned_data["programme"])
    return form, queryset, first, last


def _note_rows(request: AuthenticatedRequest, rows: list[read.DecisionRow]) -> None:
    decisions = [row.decision for row in rows]
    note_reads(request, ReadLogEntry.Subject.CLIENT, [d.client for d in decisions if d.client])
    note_reads(request, ReadLogEntry.Subject.SUPPORT_PERSON, [d.support_person for d in decisions])


def _log_rows(request: AuthenticatedRequest, rows: list[read.DecisionRow]) -> None:
    decisions = [row.decision for row in rows]
    log_export(
        request,
        subject=ReadLogEntry.Subject.CLIENT,
        subject_ids=sorted({d.client_id for d in decisions if d.client_id}),
    )
    log_export(
        request,
        subject=ReadLogEntry.Subject.SUPPORT_PERSON,
        subject_ids=sorted({d.support_person_id for d in decisions}),
    )


@require_GET
@role_required(ADMINISTRATOR, MANAGER)
def decision_list(request: AuthenticatedRequest) -> HttpResponse:
    form, queryset, first, last = _period(request)
    page, query = paginate(request, queryset.for_list(), PER_PAGE)
    rows = read.rows_for(list(page.object_list), request.user)
    _note_rows(request, rows)
    return render(
        request,
        "reports/decision_list.html",
        {
            "form": form,
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "summary": read.summary(queryset),
            "period": read.period_label(first, last),
            "files_query": request.GET.urlencode(),
        },
    )


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _programme(form: PeriodForm) -> Programme | None:
    return form.cleaned_data.get("programme") if form.is_valid() else None


@require_GET
@role_required(ADMINISTRATOR, MANAGER)
def decision_export(request: AuthenticatedRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "pdf"):
        raise Http404
    form, queryset, first, last = _period(request)
    rows = read.rows_for(list(queryset.for_list()), request.user)
    _log_rows(request, rows)
    stem = f"delegationsbeslut-{first:%Y-%m-%d}-{last:%Y-%m-%d}"
    programme = _programme(form)
    line = read.summary(queryset)
    if fmt == "csv":
        heading = [
            programme.name if programme else _("All programmes"),
            read.period_label(first, last),
            line,
        ]
        return _attachment(
            read.decisions_csv(rows, heading=heading), f"{stem}.csv", "text/csv; charset=utf-8"
        )
    pdf = read.decisions_pdf(rows, programme=programme, first=first, last=last, line=line)
    return _attachment(pdf, f"{stem}.pdf", "application/pdf")


def _decision_for_user(request: AuthenticatedRequest, pk: int, *, write: bool) -> Decision:
    return get_for_user(
        request.user,
        Decision.objects.select_related(
            "client__unit", "support_person__user", "decided_by", "assignment", "programme"
        ),
        pk,
        write=write,
    )


@require_http_methods(["GET", "POST"])
@role_required(ADMINISTRATOR, MANAGER)
def decision_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    decision = _decision_for_user(request, pk, write=request.method == "POST")
    row = read.rows_for([decision], request.user)[0]
    _note_rows(request, [row])
    may_change = Decision.objects.is_managed_by(request.user, decision.pk)
    form = DecisionForm(request.POST or None, decision=decision)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                decision_update(
                    decision=decision,
                    reasons=data["reasons"],
                    patient_notified_on=data.get("patient_notified_on"),
                    volunteer_notified_on=data["volunteer_notified_on"],
                    ward_notified_on=data.get("ward_notified_on"),
                    version=data["version"],
                    by=request.user,
                )
            except StaleVersion as stale:
                fresh = Decision.objects.get(pk=decision.pk)
                refilled = request.POST.copy()
                refilled["version"] = version_of(fresh)
                form = DecisionForm(refilled, decision=fresh)
                form.is_valid()
                form.add_error(None, stale.message)
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Decision %(id)s: the notifications and reasons have been saved.")
                    % {"id": decision.pk},
                )
                return redirect("reports:decision", pk=decision.pk)
        status = 400
    return render(
        request,
        "reports/decision_detail.html",
        {"row": row, "decision": decision, "form": form, "may_change": may_change},
        status=status,
    )


@require_GET
@role_required(ADMINISTRATOR, MANAGER)
def decision_letter(request: AuthenticatedRequest, pk: int, to: str) -> HttpResponse:
    if to not in (read.PATIENT, read.VOLUNTEER):
        raise Http404
    decision = _decision_for_user(request, pk, write=False)
    if to == read.PATIENT and not decision.concerns_patient:
        raise Http404
    context = read.letter_context(decision, to, request.user)
    log_export(
        request,
        subject=ReadLogEntry.Subject.SUPPORT_PERSON,
        subject_ids=[decision.support_person_id],
    )
    if decision.client_id and context["shows_patient"]:
        log_export(request, subject=ReadLogEntry.Subject.CLIENT, subject_ids=[decision.client_id])
    pdf = render_pdf(read.LETTER_TEMPLATE, context)
    return _attachment(pdf, f"beslut-{decision.pk}-{to}.pdf", "application/pdf")
