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

from pathlib import Path

from django.conf import settings

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


class BenchError(Exception):
    pass
