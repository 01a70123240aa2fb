"""The volunteer's contact screens (issue #16, item 4), phone first: the assignments and what
to report, a month's contacts, a contact added, changed or removed in an open month, the
month handed in; and the receipt, for its volunteer and the office."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stodperson.concurrency import StaleVersion
from stodperson.decorators import ADMINISTRATOR, SUPPORT_PERSON, role_required
from stodperson.errors import ServiceError
from stodperson.forms import confirmed_form
from stodperson.types import AuthenticatedRequest

from . import contact_services as services
from .contact_access import get_contact_for_receipt, get_own_assignment, get_own_contact
from .contact_forms import ContactForm, SubmitReportForm
from .contact_screens import contact_todo_context, month_page
from .contacts import SupportContact, month_of, receipt_storage
from .models import Assignment


def _month(assignment: Assignment, year: int, month: int) -> date:
    """The month of the URL, if the assignment has something to report for it; else 404."""
    try:
        first = date(year, month, 1)
    except ValueError:
        raise Http404 from None
    if first not in services.reportable_months(assignment, timezone.localdate()):
        raise Http404
    return first


def _month_url(assignment: Assignment, month: date) -> HttpResponse:
    return redirect(
        "assignments:contact_month", pk=assignment.pk, year=month.year, month=month.month
    )


@role_required(SUPPORT_PERSON)
def contacts(request: AuthenticatedRequest) -> HttpResponse:
    """The volunteer's contacts to report, per running assignment."""
    context = contact_todo_context(request, today=timezone.localdate())
    return render(request, "assignments/contacts/home.html", context)


@role_required(SUPPORT_PERSON)
def contact_month(request: AuthenticatedRequest, pk: int, year: int, month: int) -> HttpResponse:
    assignment = get_own_assignment(request, pk)
    first = _month(assignment, year, month)
    months = services.reportable_months(assignment, timezone.localdate())
    index = months.index(first)
    return render(
        request,
        "assignments/contacts/month.html",
        {
            "page": month_page(assignment, first),
            "assignment": assignment,
            "newer": months[index - 1] if index > 0 else None,
            "older": months[index + 1] if index + 1 < len(months) else None,
            "submit_form": SubmitReportForm(),
        },
    )


def _contact_form_page(
    request: AuthenticatedRequest, assignment: Assignment, contact: SupportContact | None
) -> HttpResponse:
    instance = contact or SupportContact(assignment=assignment)
    initial = {}
    if contact is None:
        asked = request.GET.get("datum", "")
        try:
            initial["on"] = date.fromisoformat(asked)
        except ValueError:
            initial["on"] = timezone.localdate()
    form = ContactForm(
        request.POST or None,
        request.FILES or None,
        instance=instance,
        initial=initial,
        assignment=assignment,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.contact_save(
                assignment=assignment,
                contact=contact,
                data=form.cleaned_data,
                receipt=form.cleaned_data.get("upload"),
                receipt_type=form.receipt_type,
                remove_receipt=bool(form.cleaned_data.get("remove_receipt")),
                by=request.user,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Contact saved: %(kind)s %(day)s.")
                % {
                    "kind": saved.get_kind_display(),
                    "day": date_format(saved.on, "DATE_FORMAT"),
                },
            )
            return _month_url(assignment, month_of(saved.on))
    return render(
        request,
        "assignments/contacts/contact_form.html",
        {"form": form, "assignment": assignment, "contact": contact},
    )


@role_required(SUPPORT_PERSON)
def contact_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assignment = get_own_assignment(request, pk)
    return _contact_form_page(request, assignment, None)


@role_required(SUPPORT_PERSON)
def contact_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    contact = get_own_contact(request, pk)
    if not contact.report.is_open:
        messages.error(request, services.closed_month_message(contact.report))
        return _month_url(contact.assignment, contact.report.month)
    return _contact_form_page(request, contact.assignment, contact)


@role_required(SUPPORT_PERSON)
def contact_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    contact = get_own_contact(request, pk)
    if not contact.report.is_open:
        messages.error(request, services.closed_month_message(contact.report))
        return _month_url(contact.assignment, contact.report.month)
    form = confirmed_form(request, SubmitReportForm)
    if form.is_bound and form.is_valid():
        try:
            services.contact_delete(contact=contact, by=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Contact removed: %(kind)s %(day)s.")
                % {
                    "kind": contact.get_kind_display(),
                    "day": date_format(contact.on, "DATE_FORMAT"),
                },
            )
        return _month_url(contact.assignment, contact.report.month)
    return render(
        request,
        "assignments/contacts/contact_delete.html",
        {"contact": contact, "assignment": contact.assignment, "form": form},
    )


@role_required(SUPPORT_PERSON)
def report_submit(request: AuthenticatedRequest, pk: int, year: int, month: int) -> HttpResponse:
    assignment = get_own_assignment(request, pk)
    first = _month(assignment, year, month)
    page = month_page(assignment, first)
    form = confirmed_form(request, SubmitReportForm)
    if form.is_bound and form.is_valid():
        try:
            services.report_submit(
                assignment=assignment,
                month=first,
                version=form.cleaned_data["version"],
                by=request.user,
            )
        except StaleVersion as error:
            form.add_error(None, error.message)
        except ServiceError as error:
            messages.error(request, error.message)
            return _month_url(assignment, first)
        else:
            messages.success(
                request,
                _("The report for %(month)s has been submitted to the office.")
                % {"month": date_format(first, "YEAR_MONTH_FORMAT")},
            )
            return _month_url(assignment, first)
    if not form.is_bound:
        form = SubmitReportForm(initial={"version": page.version})
    return render(
        request,
        "assignments/contacts/submit.html",
        {"page": page, "assignment": assignment, "form": form},
    )


@role_required(ADMINISTRATOR, SUPPORT_PERSON)
def receipt(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The receipt of a contact, to its volunteer and the office only; never by a URL of
    the file itself (it lies outside MEDIA_ROOT)."""
    contact = get_contact_for_receipt(request, pk)
    try:
        with receipt_storage().open(contact.receipt.name, "rb") as handle:
            content = handle.read()  # at most RECEIPT_MAX_BYTES
    except FileNotFoundError:
        raise Http404 from None
    response = HttpResponse(content, content_type=contact.receipt_content_type)
    name = f"kvitto-{contact.on:%Y-%m-%d}-{contact.pk}.{contact.receipt_type}"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
