"""The benchmark of issue #8: `manage.py bench`.

Two layers:

- `measure(...)` measures the database the process is configured for (`bench --in-place`),
  which `seed_demo --clients N` has filled: the main pages through Django's test client in
  the process (server time: the whole request through the middleware, median and 95th
  percentile of N runs after warm-up; queries counted with CaptureQueriesContext in the
  warm-up), each
  background check, a year of tertial figures, the report's PDF, and requests per second
  on the checklist page under gunicorn (2 workers) and a load generator on 127.0.0.1.
- `run(...)` builds one database per size beside the configured one (PostgreSQL:
  `<name>_bench_<size>` on the same server; SQLite: var/bench/bench-<size>.sqlite3),
  migrates and seeds it when needed, runs `bench --in-place` in a child process against it
  (settings are read from the environment, so each size is a clean process), compares
  the results with the targets and writes docs/benchmarks.json and docs/benchmarks.md.

The floor page (benchmarks/views.py, served only while the bench measures) is a
logged-in page that does nothing: the whole middleware, the role check, and the layout with
its navigation, empty.
"""

from __future__ import annotations

import json
import math
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from demo.build import PATIENT_COMMITTEE, PERSONAL_ASSISTANCE
from demo.scale import (
    ADMIN_USERNAME,
    DEFAULT_SEED,
    MANAGER_USERNAME,
    SCALE_VERSION,
    SUPPORT_USERNAME,
)

PAGE_SIZES = (200, 20_000)
CHECK_SIZES = (2_000, 20_000)
DOCS = Path(settings.BASE_DIR) / "docs"
JSON_PATH = DOCS / "benchmarks.json"
MARKDOWN_PATH = DOCS / "benchmarks.md"
STAMPS = Path(settings.BASE_DIR) / "var" / "bench" / "stamps.json"

# The targets (issue #8), for PostgreSQL at 20,000 clients on a 2-core machine.
PAGE_P95_MS = 150.0
FLOOR_FACTOR = 5.0
CHECK_MAX_QUERIES = 10
CHECKS_TOTAL_S = 3.0
CHECK_GROWTH = 10.0
FIGURES_YEAR_S = 1.0
PDF_S = 3.0
MIN_RPS = 150.0

LOAD_SECONDS = 10
LOAD_WARMUP_SECONDS = 2
LOAD_CONNECTIONS = 8
LOAD_WORKERS = 2


@dataclass(frozen=True)
class Timing:
    median_ms: float
    p95_ms: float
    queries: int
    runs: int


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least `share` of the values at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def timed(fn: Callable[[], Any], *, repeat: int, warmup: int) -> Timing:
    """Warm-up runs count the queries (the last one counts); the timed runs record nothing,
    so the timing carries no cost of recording queries."""
    return timed_together({"one": fn}, repeat=repeat, warmup=warmup)["one"]


def timed_together(
    fns: dict[str, Callable[[], Any]], *, repeat: int, warmup: int
) -> dict[str, Timing]:
    """Like `timed` for several functions, in turns (one run of each, then the next round),
    so that whatever else slows the machine for a while slows them all alike: the ratios
    between them (a page to the floor page) hold even on a shared machine."""
    queries = {}
    for key, fn in fns.items():
        for _ in range(max(1, warmup)):
            with CaptureQueriesContext(connection) as captured:
                fn()
            queries[key] = len(captured)
    times: dict[str, list[float]] = {key: [] for key in fns}
    for _ in range(repeat):
        for key, fn in fns.items():
            started = time.perf_counter()
            fn()
            times[key].append((time.perf_counter() - started) * 1000)
    return {
        key: Timing(
            median_ms=round(statistics.median(times[key]), 2),
            p95_ms=round(percentile(times[key], 0.95), 2),
            queries=queries[key],
            runs=repeat,
        )
        for key in fns
    }


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


class BenchError(Exception):
    pass


def _personas() -> dict[str, Any]:
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


def _objects() -> dict[str, Any]:
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
    objects = _objects()
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
    users = _personas()
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
    for slug, report in _objects()["reports"].items():
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


# --- Requests per second under gunicorn -------------------------------------------------------

WRK_SCRIPT = """
local cookies = {%(cookies)s}
local counter = 0
bad = 0  -- a global: done() reads it from each thread with thread:get()
local threads = {}
function setup(thread) table.insert(threads, thread) end
function request()
  counter = counter + 1
  local cookie = cookies[(counter %% #cookies) + 1]
  return wrk.format("GET", nil, {["Cookie"] = "%(name)s=" .. cookie})
end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local total_bad = 0
  for _, t in ipairs(threads) do total_bad = total_bad + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    "RESULT %%d %%d %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    total_bad, e.connect, e.read, e.write, e.timeout, math.floor(latency:percentile(50)),
    math.floor(latency:percentile(99))))
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _sessions(count: int) -> list[str]:
    """Logged-in sessions of the support-person persona, one per connection."""
    user = _personas()[SUPPORT_USERNAME]
    cookies = []
    for _ in range(count):
        http = HttpClient()
        http.force_login(user)
        cookies.append(http.cookies[settings.SESSION_COOKIE_NAME].value)
    return cookies


def _get(url: str, cookie: str, timeout: float = 10) -> tuple[int, bytes]:
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
    request = urllib.request.Request(url, headers=headers)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def _wrk(url: str, cookies: list[str], seconds: int, connections: int) -> dict[str, Any]:
    script = WRK_SCRIPT % {
        "cookies": ", ".join(f'"{c}"' for c in cookies),
        "name": settings.SESSION_COOKIE_NAME,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        output = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "5s",
                "-s",
                handle.name,
                url,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 30,
            check=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    requests, duration_us, bad, connect, read, write, timeout, p50, p99 = map(int, line.split()[1:])
    return {
        "tool": "wrk",
        "requests": requests,
        "seconds": round(duration_us / 1e6, 2),
        "rps": round(requests / (duration_us / 1e6), 1),
        "errors": bad + connect + read + write + timeout,
        "latency_p50_ms": round(p50 / 1000, 1),
        "latency_p99_ms": round(p99 / 1000, 1),
    }


def _python_load(url: str, cookies: list[str], seconds: int, connections: int) -> dict[str, Any]:
    """A small threaded load generator, for a machine without wrk: bounded in time and in
    count (at most 1,000 requests a second over the run)."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    deadline = time.monotonic() + seconds
    limit = 1000 * seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors = 0

    def worker(cookie: str) -> None:
        nonlocal errors
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=5)
        headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
        while time.monotonic() < deadline:
            with lock:
                if len(latencies) + errors >= limit:
                    return
            started = time.perf_counter()
            try:
                conn.request("GET", parts.path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
            with lock:
                if ok:
                    latencies.append(time.perf_counter() - started)
                else:
                    errors += 1

    started = time.monotonic()
    threads = [
        threading.Thread(target=worker, args=(cookies[i % len(cookies)],))
        for i in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 10)
    elapsed = time.monotonic() - started
    done = len(latencies)
    return {
        "tool": "python threads",
        "requests": done + errors,
        "seconds": round(elapsed, 2),
        "rps": round(done / elapsed, 1) if elapsed else 0.0,
        "errors": errors,
        "latency_p50_ms": round(percentile(latencies, 0.5) * 1000, 1) if latencies else None,
        "latency_p99_ms": round(percentile(latencies, 0.99) * 1000, 1) if latencies else None,
    }


def _cpu_ticks(root: int) -> tuple[int, int] | None:
    """CPU clock ticks used so far by a process and its children (gunicorn's master and
    workers), and by the whole machine; None off Linux."""
    try:
        own = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid, ppid = int(stat.parent.name), int(fields[1])
            if root in (pid, ppid):
                own += int(fields[11]) + int(fields[12])
        with open("/proc/stat") as machine:
            values = [int(v) for v in machine.readline().split()[1:]]
        return own, sum(values) - values[3] - values[4]
    except (OSError, ValueError, IndexError):
        return None


def measure_load(
    *, seconds: int = LOAD_SECONDS, connections: int = LOAD_CONNECTIONS, log: Callable[[str], None]
) -> dict[str, Any]:
    """The checklist page under gunicorn (2 sync workers) on 127.0.0.1, with the database
    this process uses; wrk when it is installed, else a small Python load generator."""
    path = reverse("duties:checklist", args=[_objects()["assignment"].pk])
    cookies = _sessions(connections)
    port = _free_port()
    env = {
        **os.environ,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "DJANGO_SETTINGS_MODULE": "stodperson.settings",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "stodperson.wsgi:application",
            "--workers",
            str(LOAD_WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "30",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if _get(f"{base}/halsa/", "", timeout=1)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise BenchError("gunicorn did not answer on 127.0.0.1")
        status, body = _get(base + path, cookies[0])
        if status != 200 or b"checklist" not in body.lower():
            raise BenchError(f"The checklist answered {status} under gunicorn, not the page")
        tool = _wrk if shutil.which("wrk") else _python_load
        tool(base + path, cookies, LOAD_WARMUP_SECONDS, connections)
        before = _cpu_ticks(server.pid)
        result = tool(base + path, cookies, seconds, connections)
        after = _cpu_ticks(server.pid)
        if before and after and result["requests"]:
            # Where the CPU went, per request: the web workers, and everything else on the
            # machine (PostgreSQL, the load generator, the kernel).
            tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
            workers = (after[0] - before[0]) * tick_ms / result["requests"]
            machine = (after[1] - before[1]) * tick_ms / result["requests"]
            result["cpu_ms_per_request"] = {
                "gunicorn": round(workers, 1),
                "rest": round(max(machine - workers, 0), 1),
            }
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    result.update(workers=LOAD_WORKERS, connections=connections, url=path)
    log(
        f"  checklist under gunicorn ({result['tool']}): {result['rps']} requests/s, "
        f"{result['errors']} errors, CPU per request {result.get('cpu_ms_per_request')} ms"
    )
    return result


PARTS = ("pages", "checks", "figures", "pdf", "load")


def measure(
    *,
    parts: list[str],
    quick: bool = False,
    repeat: int | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> dict[str, Any]:
    """Measure the configured database, which seed_demo --clients N has filled."""
    from clients.models import Client

    pages_repeat = repeat or (3 if quick else 30)
    result: dict[str, Any] = {
        "clients": Client.objects.count(),
        "database": database_version(),
        "parts": parts,
    }
    if "pages" in parts:
        log("Pages:")
        result["pages"] = measure_pages(repeat=pages_repeat, warmup=1 if quick else 3, log=log)
    if "checks" in parts:
        log("Checks:")
        result["checks"] = measure_checks(repeat=1 if quick else 9, warmup=1, log=log)
    if "figures" in parts:
        log("Tertial figures:")
        result["figures"] = measure_figures(repeat=1 if quick else 3, log=log)
    if "pdf" in parts:
        log("PDF:")
        result["pdf"] = measure_pdf(repeat=1 if quick else 3, log=log)
    if "load" in parts:
        log("Load:")
        result["load"] = measure_load(seconds=2 if quick else LOAD_SECONDS, log=log)
    return result


# --- Several databases: build, seed, measure, compare, write ---------------------------------

QUIET_SHARE = 0.25
QUIET_WAIT_SECONDS = 300


def cpu_busy(seconds: float = 1.0) -> float | None:
    """The share of all CPUs that was busy over `seconds` (Linux /proc/stat), or None."""

    def sample() -> tuple[int, int]:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
        idle = values[3] + (values[4] if len(values) > 4 else 0)
        return sum(values), idle

    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):
        return None
    spent = total1 - total0
    return round(1 - (idle1 - idle0) / spent, 2) if spent else None


def _machine_and_own_cpu() -> tuple[float, float, float] | None:
    """Seconds of CPU used so far by the whole machine and by this process's finished
    children (the measuring process, its gunicorn and wrk), and the wall clock."""
    try:
        with open("/proc/stat") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    tick = os.sysconf("SC_CLK_TCK")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy = (sum(values) - values[3] - values[4]) / tick
    return busy, children.ru_utime + children.ru_stime, time.monotonic()


def _other_share(
    before: tuple[float, float, float] | None, after: tuple[float, float, float] | None
) -> float | None:
    """The share of all CPUs that others used while the bench measured (PostgreSQL's work
    for the bench counts as other): a high share means the timings are slower than they
    would be on a quiet machine."""
    if before is None or after is None:
        return None
    machine = after[0] - before[0]
    own = after[1] - before[1]
    elapsed = (after[2] - before[2]) * (os.cpu_count() or 1)
    return round(max(machine - own, 0) / elapsed, 2) if elapsed else None


def wait_until_quiet(
    log: Callable[[str], None], max_seconds: int = QUIET_WAIT_SECONDS
) -> float | None:
    """Timings on a shared machine mean little while something else keeps the CPUs busy
    (a test run, a browser): wait a while for quiet, then measure anyway and say so."""
    deadline = time.monotonic() + max_seconds
    busy = cpu_busy()
    while busy is not None and busy > QUIET_SHARE and time.monotonic() < deadline:
        log(f"  other work keeps {busy:.0%} of the CPUs busy; waiting ...")
        time.sleep(4)
        busy = cpu_busy()
    return busy


def _database_settings() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def bench_database_url(size: int, database: dict[str, Any] | None = None) -> str:
    """The URL of the database for one size, beside the configured one."""
    db = database or _database_settings()
    if db["ENGINE"] == "django.db.backends.postgresql":
        name = f"{db['NAME']}_bench_{size}"
        user = quote(db.get("USER") or "", safe="")
        password = quote(db.get("PASSWORD") or "", safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        return f"postgres://{auth}{host}:{port}/{name}"
    if db["ENGINE"] == "django.db.backends.sqlite3":
        path = Path(settings.BASE_DIR) / "var" / "bench" / f"bench-{size}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    raise BenchError(f"Unsupported database engine: {db['ENGINE']}")


def ensure_database(size: int) -> None:
    db = _database_settings()
    if db["ENGINE"] != "django.db.backends.postgresql":
        return
    import psycopg
    from psycopg import sql

    name = f"{db['NAME']}_bench_{size}"
    with psycopg.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _stamp_key(url: str) -> str:
    return url.split("@")[-1]


def _read_stamps() -> dict[str, Any]:
    try:
        return dict(json.loads(STAMPS.read_text()))
    except (OSError, ValueError):
        return {}


def _manage(args: list[str], url: str, log: Callable[[str], None]) -> str:
    env = {**os.environ, "DATABASE_URL": url, "BENCHMARKS_ENABLED": "true"}
    completed = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise BenchError(
            f"manage.py {' '.join(args)} failed:\n{completed.stdout}\n{completed.stderr}"
        )
    return completed.stdout


def prepare(size: int, *, fresh: bool, log: Callable[[str], None]) -> dict[str, Any]:
    """The database for one size, migrated and seeded today with this generator."""
    ensure_database(size)
    url = bench_database_url(size)
    _manage(["migrate", "--noinput", "-v0"], url, log)
    stamps = _read_stamps()
    wanted = {
        "clients": size,
        "seed": DEFAULT_SEED,
        "scale_version": SCALE_VERSION,
        "day": timezone.localdate().isoformat(),
    }
    stamp = stamps.get(_stamp_key(url), {})
    if fresh or {k: stamp.get(k) for k in wanted} != wanted:
        log(f"Seeding {size} clients ...")
        started = time.monotonic()
        _manage(["seed_demo", "--clients", str(size), "--reset"], url, log)
        stamp = {**wanted, "seed_seconds": round(time.monotonic() - started, 1)}
        stamps[_stamp_key(url)] = stamp
        STAMPS.parent.mkdir(parents=True, exist_ok=True)
        STAMPS.write_text(json.dumps(stamps, indent=2))
    log(f"{size} clients: seeded in {stamp['seed_seconds']} s (manage.py seed_demo --clients N)")
    return {"url": url, "seed_seconds": stamp["seed_seconds"]}


def run(
    *,
    page_sizes: list[int],
    check_sizes: list[int],
    quick: bool = False,
    load: bool = True,
    fresh: bool = False,
    baseline: bool = False,
    repeat: int | None = None,
    json_path: Path = JSON_PATH,
    markdown_path: Path | None = MARKDOWN_PATH,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    started = time.monotonic()
    sizes = sorted(set(page_sizes) | set(check_sizes))
    largest = max(sizes)
    by_size: dict[str, Any] = {}
    for size in sizes:
        prepared = prepare(size, fresh=fresh, log=log)
        parts = []
        if size in page_sizes:
            parts.append("pages")
        if size in check_sizes:
            parts.append("checks")
        if size == largest:
            parts += ["figures", "pdf"] + (["load"] if load else [])
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "result.json"
            args = ["bench", "--in-place", "--parts", ",".join(parts), "--json", str(out)]
            if quick:
                args.append("--quick")
            if repeat:
                args += ["--repeat", str(repeat)]
            busy = wait_until_quiet(log)
            log(f"Measuring {size} clients: {', '.join(parts)} ...")
            before = _machine_and_own_cpu()
            log(_manage(args, prepared["url"], log).rstrip())
            after = _machine_and_own_cpu()
            result = json.loads(out.read_text())
        result["seed_seconds"] = prepared["seed_seconds"]
        result["cpu_busy_before"] = busy
        result["cpu_other_share"] = _other_share(before, after)
        by_size[str(size)] = result
    vendor = connection.vendor
    run_result = {
        "generated": timezone.now().isoformat(timespec="seconds"),
        "machine": machine(),
        # The orchestrating process never connects: its own database need not exist.
        "database": by_size[str(largest)]["database"],
        "page_sizes": page_sizes,
        "check_sizes": check_sizes,
        "quick": quick,
        "bench_seconds": round(time.monotonic() - started, 1),
        "sizes": by_size,
    }
    run_result["targets"] = evaluate(run_result)
    document = _read_json(json_path)
    section = document.setdefault(vendor, {})
    if baseline or "before" not in section:
        section["before"] = run_result
    section["after"] = run_result
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    if markdown_path is not None:
        write_markdown(document, markdown_path)
    return run_result


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return dict(json.loads(path.read_text()))
    except (OSError, ValueError):
        return {}


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }


def database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


# --- The targets -----------------------------------------------------------------------------


def evaluate(run_result: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with the measured value and whether it is met (None: not measured)."""
    sizes = run_result["sizes"]
    pages = sorted(run_result["page_sizes"])
    checks = sorted(run_result["check_sizes"])
    results: list[dict[str, Any]] = []

    def add(name: str, value: Any, limit: str, met: bool | None) -> None:
        results.append({"target": name, "value": value, "limit": limit, "met": met})

    small, large = str(pages[0]), str(pages[-1])
    large_pages = sizes[large].get("pages", {})
    small_pages = sizes[small].get("pages", {})
    floor = large_pages.get("floor", {}).get("p95_ms")
    for key, page in large_pages.items():
        if not page["main"]:
            continue
        label = page["label"]
        q_small = small_pages.get(key, {}).get("queries")
        add(
            f"{label}: queries at {small} and {large}",
            f"{q_small} / {page['queries']}",
            "equal",
            q_small == page["queries"] if len(pages) > 1 else None,
        )
        add(
            f"{label}: p95 at {large}",
            page["p95_ms"],
            f"≤ {PAGE_P95_MS:g} ms",
            page["p95_ms"] <= PAGE_P95_MS,
        )
        if floor:
            ratio = round(page["p95_ms"] / floor, 1)
            add(f"{label}: p95 / floor p95", ratio, f"≤ {FLOOR_FACTOR:g}", ratio <= FLOOR_FACTOR)
    changelist = large_pages.get("admin_changelist", {}).get("median_ms")
    for key in ("client_list", "client_list_all"):
        if key in large_pages and changelist:
            median = large_pages[key]["median_ms"]
            add(
                f"{large_pages[key]['label']}: median vs admin changelist ({changelist} ms)",
                median,
                "≤ changelist",
                median <= changelist,
            )

    c_small, c_large = str(checks[0]), str(checks[-1])
    large_checks = sizes[c_large].get("checks", {})
    small_checks = sizes[c_small].get("checks", {})
    for name, check in large_checks.items():
        add(
            f"{name}: queries",
            check["queries"],
            f"≤ {CHECK_MAX_QUERIES}",
            check["queries"] <= CHECK_MAX_QUERIES,
        )
        if name in small_checks and len(checks) > 1:
            ratio = round(check["median_ms"] / max(small_checks[name]["median_ms"], 0.01), 1)
            add(
                f"{name}: time at {c_large} / at {c_small}",
                ratio,
                f"≤ {CHECK_GROWTH:g}",
                ratio <= CHECK_GROWTH,
            )
    if large_checks:
        total = round(sum(c["median_ms"] for c in large_checks.values()) / 1000, 2)
        add(
            f"All checks together at {c_large}",
            f"{total} s",
            f"< {CHECKS_TOTAL_S:g} s",
            total < CHECKS_TOTAL_S,
        )

    top = sizes[str(max(int(s) for s in sizes))]
    for slug, figures in top.get("figures", {}).items():
        seconds = round(figures["median_ms"] / 1000, 2)
        add(
            f"Tertial figures for {figures['year']} ({slug})",
            f"{seconds} s",
            f"< {FIGURES_YEAR_S:g} s",
            seconds < FIGURES_YEAR_S,
        )
    for slug, pdf in top.get("pdf", {}).items():
        seconds = round(pdf["median_ms"] / 1000, 2)
        add(f"PDF of a report ({slug})", f"{seconds} s", f"< {PDF_S:g} s", seconds < PDF_S)
    if "load" in top:
        load = top["load"]
        add(
            "Checklist under gunicorn: requests/s",
            load["rps"],
            f"≥ {MIN_RPS:g}",
            load["rps"] >= MIN_RPS,
        )
        add("Checklist under gunicorn: errors", load["errors"], "0", load["errors"] == 0)
    return results


# --- The Markdown ------------------------------------------------------------------------------

NOTES_START = "<!-- notes:start -->"
NOTES_END = "<!-- notes:end -->"
DEFAULT_NOTES = "(What was found and fixed goes here; `bench` keeps this section.)"


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    return str(value)


def _mark(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "–"}[met]


def _vendor_markdown(vendor: str, section: dict[str, Any]) -> list[str]:
    after = section["after"]
    before: dict[str, Any] = section.get("before") or {}
    same = not before or before.get("generated") == after.get("generated")
    pages = [str(s) for s in sorted(after["page_sizes"])]
    checks = [str(s) for s in sorted(after["check_sizes"])]
    sizes = after["sizes"]
    large = pages[-1]
    lines = [
        f"## {after['database']}",
        "",
        f"Run {after['generated']} on {after['machine']['cpus']} CPUs, Python "
        f"{after['machine']['python']}; the whole bench took {after['bench_seconds']} s"
        + (" (quick mode)" if after.get("quick") else "")
        + ". Seeding (manage.py seed_demo --clients N): "
        + ", ".join(f"{int(s):,} clients {sizes[s]['seed_seconds']} s" for s in sizes)
        + ". CPU used by other processes (PostgreSQL included) while measuring: "
        + ", ".join(
            f"{int(s):,} clients {sizes[s]['cpu_other_share']:.0%}"
            for s in sizes
            if sizes[s].get("cpu_other_share") is not None
        )
        + ".",
        "",
    ]
    if not same:
        lines += [f"Before: the first run, {before['generated']}.", ""]
    lines += ["### Pages", ""]
    head = ["Page"]
    for s in pages:
        head += [f"queries {int(s):,}", f"median ms {int(s):,}", f"p95 ms {int(s):,}"]
    if not same:
        head += [f"before: queries {int(large):,}", f"before: p95 ms {int(large):,}"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key, page in sizes[large].get("pages", {}).items():
        row = [page["label"] + ("" if page["main"] else " *")]
        for s in pages:
            measured = sizes[s].get("pages", {}).get(key, {})
            row += [
                _fmt(measured.get("queries")),
                _fmt(measured.get("median_ms")),
                _fmt(measured.get("p95_ms")),
            ]
        if not same:
            old = before["sizes"].get(large, {}).get("pages", {}).get(key, {})
            row += [_fmt(old.get("queries")), _fmt(old.get("p95_ms"))]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "\\* a yardstick or an extra view, not a main page.", ""]

    lines += ["### Background checks", ""]
    head = ["Check"]
    for s in checks:
        head += [f"queries {int(s):,}", f"median ms {int(s):,}"]
    if not same:
        head += [f"before: median ms {int(checks[-1]):,}"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name in sizes[checks[-1]].get("checks", {}):
        row = [f"`{name}`"]
        for s in checks:
            measured = sizes[s].get("checks", {}).get(name, {})
            row += [_fmt(measured.get("queries")), _fmt(measured.get("median_ms"))]
        if not same:
            old = before["sizes"].get(checks[-1], {}).get("checks", {}).get(name, {})
            row.append(_fmt(old.get("median_ms")))
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")

    top_key = str(max(int(s) for s in sizes))
    top = sizes[top_key]
    old_top = before["sizes"].get(top_key, {}) if not same else {}
    lines += [f"### Reports and load ({int(top_key):,} clients)", ""]
    head = (
        ["Measure", "queries", "median", "before"] if not same else ["Measure", "queries", "median"]
    )
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for slug, figures in top.get("figures", {}).items():
        one = figures.get("one_tertial_ms")
        row = [
            f"Tertial figures, T1–T3 {figures['year']} ({slug}; "
            f"{figures.get('variant', 'compute_figures x 3')}"
            + (f"; one tertial {one / 1000:.2f} s" if one else "")
            + ")",
            _fmt(figures["queries"]),
            f"{figures['median_ms'] / 1000:.2f} s",
        ]
        if not same:
            old = old_top.get("figures", {}).get(slug)
            row.append(f"{old['median_ms'] / 1000:.2f} s" if old else "–")
        lines.append("| " + " | ".join(row) + " |")
    for slug, pdf in top.get("pdf", {}).items():
        row = [
            f"PDF of the report ({slug}, {pdf['bytes'] // 1024} kB)",
            "–",
            f"{pdf['median_ms'] / 1000:.2f} s",
        ]
        if not same:
            old = old_top.get("pdf", {}).get(slug)
            row.append(f"{old['median_ms'] / 1000:.2f} s" if old else "–")
        lines.append("| " + " | ".join(row) + " |")
    if "load" in top:
        load = top["load"]
        row = [
            f"Checklist under gunicorn ({load['workers']} workers, {load['connections']} "
            f"connections, {load['tool']}, {load['seconds']} s): requests/s, errors",
            "–",
            f"{load['rps']} /s, {load['errors']} errors "
            f"(p50 {load['latency_p50_ms']} ms, p99 {load['latency_p99_ms']} ms"
            + (
                f"; CPU per request: gunicorn {cpu['gunicorn']} ms, the rest {cpu['rest']} ms"
                if (cpu := load.get("cpu_ms_per_request"))
                else ""
            )
            + ")",
        ]
        if not same:
            old = old_top.get("load")
            row.append(f"{old['rps']} /s, {old['errors']} errors" if old else "–")
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")

    lines += [
        "### Targets",
        "",
        "| Target | Value | Limit | Now |" + (" Before |" if not same else ""),
        "|---|---|---|---|" + ("---|" if not same else ""),
    ]
    before_targets = {t["target"]: t for t in before.get("targets", [])} if not same else {}
    for target in after["targets"]:
        row = [target["target"], _fmt(target["value"]), target["limit"], _mark(target["met"])]
        if not same:
            old = before_targets.get(target["target"])
            row.append(f"{_fmt(old['value'])} ({_mark(old['met'])})" if old else "–")
        lines.append("| " + " | ".join(row) + " |")
    missed = [t for t in after["targets"] if t["met"] is False]
    lines += ["", f"{len(missed)} of {len(after['targets'])} targets missed.", ""]
    return lines


def write_markdown(document: dict[str, Any], path: Path) -> None:
    notes = DEFAULT_NOTES
    try:
        existing = path.read_text()
    except OSError:
        existing = ""
    if NOTES_START in existing and NOTES_END in existing:
        notes = existing.split(NOTES_START, 1)[1].split(NOTES_END, 1)[0].strip()
    lines = [
        "# Benchmarks",
        "",
        "Generated by `uv run python manage.py bench` (benchmarks/bench.py) from "
        "docs/benchmarks.json; only the notes section is written by hand. How to run it: "
        'README.md, "Benchmark". Times are server times in the process (Django\'s test '
        "client, the whole middleware), median and 95th percentile of the timed runs after "
        "warm-up; queries are counted in the warm-up.",
        "",
        NOTES_START,
        notes,
        NOTES_END,
        "",
    ]
    for vendor in ("postgresql", "sqlite"):
        if vendor in document:
            lines += _vendor_markdown(vendor, document[vendor])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines).rstrip() + "\n")
