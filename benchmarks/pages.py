"""Measuring one database in the process: the pages, the checks, the figures and the PDF."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client as HttpClient
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from demo.build import PATIENT_COMMITTEE, PERSONAL_ASSISTANCE
from demo.scale import (
    ADMIN_USERNAME,
    MANAGER_USERNAME,
    SUPPORT_USERNAME,
)

from .bench import BenchError
from .timing import timed, timed_together

# --- One database: pages, checks, figures, PDF, load ----------------------------------------


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    persona: str
    main: bool = True  # the targets apply to the main pages; the others are yardsticks


PAGES = (
    Page("dashboard", "Dashboard (manager, one unit)", MANAGER_USERNAME),
    Page("dashboard_all", "Dashboard (administrator, all units)", ADMIN_USERNAME, main=False),
    Page("client_list", "Client list (manager)", MANAGER_USERNAME),
    Page("client_list_all", "Client list (administrator, all clients)", ADMIN_USERNAME, False),
    Page("client", "Client page (manager)", MANAGER_USERNAME),
    Page("checklist", "Checklist (support person)", SUPPORT_USERNAME),
    Page("requests", "Request queue (administrator)", ADMIN_USERNAME),
    Page("support_persons", "Support-person list (administrator)", ADMIN_USERNAME),
    Page("flags", "Flags page (manager)", MANAGER_USERNAME),
    Page("flags_all", "Flags page (administrator, all)", ADMIN_USERNAME, main=False),
    Page("report", "Report page (administrator, draft, personal assistance)", ADMIN_USERNAME),
    Page("floor", "Floor: an empty page in the layout (manager)", MANAGER_USERNAME, main=False),
    Page("admin_changelist", "Django admin: client changelist", ADMIN_USERNAME, main=False),
)


def personas() -> dict[str, Any]:
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=[ADMIN_USERNAME, MANAGER_USERNAME, SUPPORT_USERNAME]
        )
    }
    if len(users) != 3:
        raise BenchError(
            "The personas are missing: fill the database with seed_demo --clients N first."
        )
    return users


def bench_objects() -> dict[str, Any]:
    from assignments.models import Assignment
    from reports.models import TertialReport

    assignment = (
        Assignment.objects.active()
        .filter(support_person__user__username=SUPPORT_USERNAME)
        .order_by("pk")
        .first()
    )
    reports = {
        slug: TertialReport.objects.filter(programme__slug=slug)
        .order_by("-year", "-tertial")
        .first()
        for slug in (PERSONAL_ASSISTANCE, PATIENT_COMMITTEE)
    }
    if assignment is None or None in reports.values():
        raise BenchError("The data set is incomplete: run seed_demo --clients N again.")
    return {"assignment": assignment, "reports": reports}


def page_urls() -> dict[str, str]:
    objects = bench_objects()
    assignment = objects["assignment"]
    return {
        "dashboard": reverse("overview:dashboard"),
        "dashboard_all": reverse("overview:dashboard"),
        "client_list": reverse("overview:clients"),
        "client_list_all": reverse("overview:clients"),
        "client": reverse("overview:client", args=[assignment.client_id]),
        "checklist": reverse("duties:checklist", args=[assignment.pk]),
        "requests": reverse("assignments:requests"),
        "support_persons": reverse("supportpersons:list"),
        "flags": reverse("flags:list"),
        "flags_all": reverse("flags:list"),
        "report": reverse("reports:detail", args=[objects["reports"][PERSONAL_ASSISTANCE].pk]),
        "floor": reverse("bench_floor"),
        "admin_changelist": reverse("admin:clients_client_changelist"),
    }


def measure_pages(*, repeat: int, warmup: int, log: Callable[[str], None]) -> dict[str, Any]:
    users = personas()
    clients: dict[str, HttpClient] = {}
    results = {}
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with override_settings(
        ALLOWED_HOSTS=hosts, SECURE_SSL_REDIRECT=False, ROOT_URLCONF="benchmarks.urls"
    ):
        urls = page_urls()
        requests: dict[str, Callable[[], None]] = {}
        for page in PAGES:
            if page.persona not in clients:
                http = HttpClient()
                http.force_login(users[page.persona])
                clients[page.persona] = http

            def get(
                http: HttpClient = clients[page.persona],
                url: str = urls[page.key],
            ) -> None:
                response = http.get(url)
                if response.status_code != 200:
                    raise BenchError(f"{url} answered {response.status_code}, not 200")

            requests[page.key] = get
        timings = timed_together(requests, repeat=repeat, warmup=warmup)
    for page in PAGES:
        timing = timings[page.key]
        log(
            f"  {page.label}: {timing.median_ms} ms median, {timing.p95_ms} ms p95, "
            f"{timing.queries} queries"
        )
        results[page.key] = {
            "label": page.label,
            "main": page.main,
            "url": urls[page.key],
            **asdict(timing),
        }
    return results


def measure_checks(*, repeat: int, warmup: int, log: Callable[[str], None]) -> dict[str, Any]:
    from flags.checks import CHECKS

    today = timezone.localdate()
    runs: dict[str, Callable[[], None]] = {}
    for check in dict.fromkeys(CHECKS.values()):

        def run(check: Callable[..., Any] = check) -> None:
            with translation.override(settings.LANGUAGE_CODE):
                check(today)

        runs[check.__name__] = run
    # The first warm-up brings the flags up to date (the data set was seeded on an earlier
    # day, or a page changed something); the runs after it are the daily case.
    timings = timed_together(runs, repeat=repeat, warmup=max(2, warmup))
    for name, timing in timings.items():
        log(f"  {name}: {timing.median_ms} ms median, {timing.queries} queries")
    return {name: asdict(timing) for name, timing in timings.items()}


def measure_figures(*, repeat: int, log: Callable[[str], None]) -> dict[str, Any]:
    """A year of tertial figures per programme: the three tertials of last year, each beside
    its previous tertial and the same tertial a year earlier (compute_figures_for_tertials,
    as the nightly run of the drafts computes them), and one tertial alone."""
    from clients.models import Programme
    from reports import figures
    from stodperson.tertials import Tertial

    today = timezone.localdate()
    year = today.year - 1
    tertials = [Tertial(year, number) for number in (1, 2, 3)]
    results = {}
    for programme in Programme.objects.filter(slug__in=[PERSONAL_ASSISTANCE, PATIENT_COMMITTEE]):

        def year_of_figures(programme: Programme = programme) -> None:
            figures.compute_figures_for_tertials(programme, tertials, today=today)

        timing = timed(year_of_figures, repeat=repeat, warmup=1)

        def one_tertial(programme: Programme = programme) -> None:
            figures.compute_figures(programme, tertials[-1], today=today)

        one = timed(one_tertial, repeat=repeat, warmup=1)
        log(
            f"  figures {programme.slug} {year}: {timing.median_ms} ms for the year, "
            f"{one.median_ms} ms for one tertial, {timing.queries} queries"
        )
        results[programme.slug] = {
            "year": year,
            # The first run (docs/benchmarks.json's "before") computed the tertials one by one.
            "variant": "compute_figures_for_tertials",
            "one_tertial_ms": one.median_ms,
            **asdict(timing),
        }
    return results


def measure_pdf(*, repeat: int, log: Callable[[str], None]) -> dict[str, Any]:
    from reports import services
    from reports.exports import report_pdf
    from reports.figure_types import ReportFigures

    results = {}
    for slug, report in bench_objects()["reports"].items():
        figures = services.report_figures(report)
        texts = services.report_texts(report)
        size = 0

        def render(figures: ReportFigures = figures, texts: dict[str, str] = texts) -> None:
            nonlocal size
            size = len(report_pdf(figures, texts, final=False))

        timing = timed(render, repeat=repeat, warmup=1)
        log(f"  PDF {slug}: {timing.median_ms} ms ({size // 1024} kB)")
        results[slug] = {"bytes": size, **asdict(timing)}
    return results
