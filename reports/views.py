"""The tertial report screens, for administrators only (403 for everyone else, 404 for an
id that does not exist). Each view: the access check first, then a read or a service."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clients.models import Programme
from stodperson.decorators import ADMINISTRATOR, role_required
from stodperson.types import AuthenticatedRequest

from . import services
from .access import get_batch_for_user, get_report_for_user
from .exports import figures_csv, figures_xlsx, file_stem, report_pdf
from .figure_types import ReportFigures
from .forms import BatchForm, FinaliseForm, NarrativeForm, ReportCreateForm
from .models import ReportBatch, TertialReport
from .presentation import present

RECENT_BATCHES = 10


@require_GET
@role_required(ADMINISTRATOR)
def report_list(request: AuthenticatedRequest) -> HttpResponse:
    reports = {
        programme_id: list(rows)
        for programme_id, rows in groupby(
            TertialReport.objects.for_list(), key=lambda r: r.programme_id
        )
    }
    programmes = [(p, reports.get(p.pk, [])) for p in Programme.objects.order_by("name")]
    return render(
        request,
        "reports/report_list.html",
        {
            "programmes": programmes,
            "batches": ReportBatch.objects.order_by("-created_at", "-id")[:RECENT_BATCHES],
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(ADMINISTRATOR)
def report_create(request: AuthenticatedRequest) -> HttpResponse:
    form = ReportCreateForm(request.POST or None)
    if form.is_valid():
        try:
            report = services.report_create(
                programme=form.cleaned_data["programme"],
                year=form.cleaned_data["year"],
                tertial=form.cleaned_data["tertial"],
                by=request.user,
            )
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The report has been created, with text from the figures."))
            return redirect("reports:detail", pk=report.pk)
    existing = None
    if form.has_error(NON_FIELD_ERRORS, "duplicate"):
        data = form.cleaned_data
        existing = TertialReport.objects.filter(
            programme=data["programme"], year=data["year"], tertial=data["tertial"]
        ).first()
    return render(request, "reports/report_create.html", {"form": form, "existing": existing})


@require_http_methods(["GET", "POST"])
@role_required(ADMINISTRATOR)
def report_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk, write=request.method == "POST")
    form = NarrativeForm(request.POST or None, instance=report)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_update_texts(
                    report=report, texts=form.cleaned_data, by=request.user
                )
            except services.ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The text has been saved."))
                return redirect("reports:detail", pk=report.pk)
        status = 400
        if report.is_final:
            # Show what is stored, not what was sent.
            report.refresh_from_db()
    figures = services.report_figures(report)
    stored = [(form.fields[name].label, getattr(report, name)) for name in services.TEXT_FIELDS]
    return render(
        request,
        "reports/report_detail.html",
        {"report": report, "form": form, "stored_texts": stored, "p": present(figures)},
        status=status,
    )


@require_POST
@role_required(ADMINISTRATOR)
def report_regenerate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk, write=True)
    try:
        services.report_regenerate_texts(report=report, by=request.user)
    except services.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The text has been replaced with text from the figures."))
    return redirect("reports:detail", pk=report.pk)


@require_POST
@role_required(ADMINISTRATOR)
def report_refresh(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk, write=True)
    try:
        services.report_refresh_figures(report=report)
    except services.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The figures have been computed again."))
    return redirect("reports:detail", pk=report.pk)


@require_http_methods(["GET", "POST"])
@role_required(ADMINISTRATOR)
def report_finalise(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk, write=True)
    if report.is_final:
        messages.info(request, _("The report is already final."))
        return redirect("reports:detail", pk=report.pk)
    form = FinaliseForm(request.POST or None)
    if form.is_valid():
        try:
            services.report_finalise(report=report, by=request.user)
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The report is final; its figures and text are stored."))
            return redirect("reports:detail", pk=report.pk)
    return render(request, "reports/report_finalise.html", {"report": report, "form": form})


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _stem(report: TertialReport, figures: ReportFigures) -> str:
    return file_stem(figures) + ("" if report.is_final else "-utkast")


@require_GET
@role_required(ADMINISTRATOR)
def report_pdf_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    figures = services.report_figures(report)
    pdf = report_pdf(
        figures,
        services.report_texts(report),
        final=report.is_final,
        finalised_at=report.finalised_at,
    )
    return _attachment(pdf, f"{_stem(report, figures)}.pdf", "application/pdf")


EXPORTS = {
    "csv": (figures_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        figures_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


@require_GET
@role_required(ADMINISTRATOR)
def report_export(request: AuthenticatedRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in EXPORTS:
        raise Http404
    report = get_report_for_user(request, pk)
    figures = services.report_figures(report)
    export, content_type = EXPORTS[fmt]
    return _attachment(export(figures), f"{_stem(report, figures)}.{fmt}", content_type)


@require_http_methods(["GET", "POST"])
@role_required(ADMINISTRATOR)
def batch_create(request: AuthenticatedRequest) -> HttpResponse:
    form = BatchForm(request.POST or None)
    if form.is_valid():
        try:
            batch = services.batch_create(
                programmes=list(form.cleaned_data["programmes"]),
                periods=form.cleaned_data["periods"],
                by=request.user,
            )
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            return redirect("reports:batch", pk=batch.pk)
    return render(request, "reports/batch_create.html", {"form": form})


@require_http_methods(["GET", "POST"])
@role_required(ADMINISTRATOR)
def batch_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The progress page. htmx asks for the progress fragment every 2 s until the files are
    ready; without JavaScript, the page has a link that loads it again."""
    batch = get_batch_for_user(request, pk, write=request.method == "POST")
    if request.method == "POST":
        services.batch_restart(batch=batch)
        messages.info(request, _("The batch has been sent again."))
        return redirect("reports:batch", pk=batch.pk)
    if getattr(request, "htmx", False):
        return render(request, "reports/includes/batch_progress.html", {"batch": batch})
    return render(request, "reports/batch_detail.html", {"batch": batch})


@require_GET
@role_required(ADMINISTRATOR)
def batch_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    batch = get_batch_for_user(
        request, pk, queryset=ReportBatch.objects.filter(status=ReportBatch.Status.DONE)
    )
    if not batch.file:
        raise Http404
    with batch.file.open("rb") as archive:
        content = archive.read()
    return _attachment(content, f"rapporter-{batch.pk}.zip", "application/zip")
