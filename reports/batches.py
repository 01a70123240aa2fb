"""Producing many reports at once: every chosen programme for every chosen tertial, each as
PDF and CSV in one zip file. `produce_batch` is what the Celery task and the management
command call."""

from __future__ import annotations

import io
import logging
import zipfile
from datetime import date

from django.core.files.base import ContentFile
from django.utils import timezone

from clients.models import Programme
from stodperson.tertials import Tertial

from .exports import figures_csv, file_stem, report_pdf
from .figures import compute_figures
from .models import ReportBatch, TertialReport
from .narrative import generated_texts
from .services import report_refresh_figures, report_texts

logger = logging.getLogger(__name__)


def produce_batch(batch_id: int, *, today: date | None = None) -> bool:
    """Produce a waiting batch; False if it was not waiting (done, or another worker has it).

    The batch is claimed with a conditional UPDATE, so two workers never produce it twice.
    Each report counts `done` up as soon as it is in the archive, for the progress page."""
    claimed = ReportBatch.objects.filter(pk=batch_id, status=ReportBatch.Status.PENDING).update(
        status=ReportBatch.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return False
    batch = ReportBatch.objects.get(pk=batch_id)
    try:
        programme_ids = {item["programme"] for item in batch.items}
        programmes = Programme.objects.in_bulk(programme_ids)
        reports = {
            (r.programme_id, r.year, r.tertial): r
            for r in TertialReport.objects.filter(programme__in=programme_ids).select_related(
                "programme"
            )
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for done, item in enumerate(batch.items, start=1):
                programme = programmes.get(item["programme"])
                if programme is not None:
                    period = Tertial(item["year"], item["tertial"])
                    report = reports.get((programme.pk, period.year, period.number))
                    if report is not None:
                        # A draft's figures computed afresh (and kept: the page then shows
                        # the same); a final report's as stored.
                        figures = (
                            report.figures
                            if report.is_final
                            else report_refresh_figures(report=report, today=today).figures
                        )
                        texts = report_texts(report)
                    else:
                        figures = compute_figures(programme, period, today=today)
                        texts = generated_texts(figures)
                    final = report is not None and report.is_final
                    stem = file_stem(figures) + ("" if final else "-utkast")
                    archive.writestr(
                        f"{stem}.pdf",
                        report_pdf(
                            figures,
                            texts,
                            final=final,
                            finalised_at=report.finalised_at if report is not None else None,
                        ),
                    )
                    archive.writestr(f"{stem}.csv", figures_csv(figures))
                ReportBatch.objects.filter(pk=batch_id).update(done=done)
        batch.file.save(f"rapporter-{batch_id}.zip", ContentFile(buffer.getvalue()), save=False)
        ReportBatch.objects.filter(pk=batch_id).update(
            status=ReportBatch.Status.DONE, file=batch.file.name, finished_at=timezone.now()
        )
    except Exception as error:
        # A report that cannot be rendered will not render on a retry either: the batch
        # says so on its page, and the log has the detail.
        logger.exception("Report batch %s failed", batch_id)
        ReportBatch.objects.filter(pk=batch_id).update(
            status=ReportBatch.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:1000],
            finished_at=timezone.now(),
        )
    return True


def produce_waiting_batches() -> int:
    """Every batch still waiting (its task was never sent, e.g. the broker was down)."""
    waiting = ReportBatch.objects.filter(status=ReportBatch.Status.PENDING).values_list(
        "pk", flat=True
    )
    return sum(produce_batch(pk) for pk in list(waiting))
