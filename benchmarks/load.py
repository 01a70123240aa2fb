"""Requests per second on the checklist under gunicorn, with wrk or a small Python load
generator on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse

from demo.scale import (
    SUPPORT_USERNAME,
)

from .bench import LOAD_CONNECTIONS, LOAD_SECONDS, LOAD_WARMUP_SECONDS, LOAD_WORKERS, BenchError
from .pages import bench_objects, personas
from .timing import percentile

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
    user = personas()[SUPPORT_USERNAME]
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
    path = reverse("duties:checklist", args=[bench_objects()["assignment"].pk])
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
