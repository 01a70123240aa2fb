"""Several databases: build, seed, measure in a child process, compare and write."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.utils import timezone

from demo.scale import (
    DEFAULT_SEED,
    SCALE_VERSION,
)

from .bench import JSON_PATH, MARKDOWN_PATH, STAMPS, BenchError
from .report import evaluate, write_markdown

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
