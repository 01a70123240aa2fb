"""The office's review of the volunteers' monthly reports (issue #16, item 4): the queue of
submitted reports, oldest first, and one report with its contacts and receipts, approved or
returned with a comment."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stodperson.concurrency import StaleVersion, version_of
from stodperson.decorators import ADMINISTRATOR, role_required
from stodperson.errors import ServiceError
from stodperson.types import AuthenticatedRequest

from . import contact_services as services
from .access import note_assignment_read
from .contact_access import get_report_for_review
from .contact_forms import ReviewForm
from .contact_screens import month_page
from .contacts import MonthlyReport


@role_required(ADMINISTRATOR)
def report_queue(request: AuthenticatedRequest) -> HttpResponse:
    reports = list(MonthlyReport.objects.for_queue())
    note_assignment_read(request, *(r.assignment for r in reports))
    return render(request, "assignments/contacts/queue.html", {"reports": reports})


@role_required(ADMINISTRATOR)
def report_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = get_report_for_review(request, pk)
    form = ReviewForm(request.POST or None, initial={"version": version_of(report)})
    if request.method == "POST" and form.is_valid():
        decide = (
            services.report_approve if form.cleaned_data["decision"] == ReviewForm.APPROVE else None
        )
        try:
            if decide is not None:
                decide(report=report, version=form.cleaned_data["version"], by=request.user)
                done = _("The report for %(month)s is approved.")
            else:
                services.report_return(
                    report=report,
                    version=form.cleaned_data["version"],
                    comment=form.cleaned_data["comment"],
                    by=request.user,
                )
                done = _("The report for %(month)s has been returned to the volunteer.")
        except (StaleVersion, ServiceError) as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, done % {"month": date_format(report.month, "YEAR_MONTH_FORMAT")}
            )
            return redirect("assignments:report_queue")
    return render(
        request,
        "assignments/contacts/review.html",
        {
            "report": report,
            "page": month_page(report.assignment, report.month),
            "form": form,
            "can_decide": report.state == MonthlyReport.State.SUBMITTED,
        },
    )
