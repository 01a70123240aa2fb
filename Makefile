# Stödperson. The two commands in the README do all set-up on a fresh machine:
#   make run    set up, load demo data, serve http://127.0.0.1:8000/ with a Celery worker
#   make test   set up and run the whole test suite (PostgreSQL if DATABASE_URL is set)

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

HOST ?= 127.0.0.1
PORT ?= 8000
# Extra arguments for pytest, e.g. make test PYTEST_ARGS='-n 2' or PYTEST_ARGS='-m "not e2e"'.
PYTEST_ARGS ?=

# uv from PATH, or else the copy that `python3 -m pip install uv` put beside Python
# (a pip --user install may not be on PATH). Expanded at use, after the `uv` target ran.
UV = $(shell command -v uv 2>/dev/null || echo python3 -m uv)
MANAGE = $(UV) run python manage.py

.PHONY: help uv sync setup run test bench lint format ci clean

help:
	@echo "make run     set up, load demo data and serve http://$(HOST):$(PORT)/ with a Celery worker"
	@echo "make test    set up and run the test suite (PostgreSQL when DATABASE_URL is set)"
	@echo "make bench   the benchmark (docs/benchmarks.md); PostgreSQL when DATABASE_URL is set"
	@echo "make lint    ruff, ruff format --check, mypy, makemigrations --check"
	@echo "make format  ruff --fix and ruff format"
	@echo "make ci      the CI script (.ci/run): installs system packages, needs root or sudo"
	@echo "make clean   remove collected static files, caches and test artifacts"

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 \
		|| { echo "Installing uv (python3 -m pip install uv)"; python3 -m pip install --quiet uv; }

sync: uv
	$(UV) sync

# Translations are committed compiled (.mo), so gettext is not needed here.
setup: sync
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) seed_demo
	$(MANAGE) run_checks

# The server and the worker run side by side; Ctrl-C (or a TERM to make) stops both.
# Both run in the background so that `wait` returns at once on a signal and the trap runs.
# DEBUG is off by default: WhiteNoise serves static files from STATIC_ROOT, which `setup`
# fills with collectstatic.
define RUN_BOTH
worker=; server=
stop() {
	trap - INT TERM EXIT
	kill -TERM $$server $$worker 2>/dev/null || true
	for _ in {1..100}; do
		kill -0 $$worker 2>/dev/null || kill -0 $$server 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL $$server $$worker 2>/dev/null || true
	wait 2>/dev/null || true
	echo "Stopped the server and the Celery worker."
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
$(UV) run --no-sync celery -A stodperson worker -B --pool=solo --loglevel=INFO &
worker=$$!
$(UV) run --no-sync python manage.py runserver $(HOST):$(PORT) --noreload &
server=$$!
for _ in {1..150}; do
	(exec 3<>/dev/tcp/$(HOST)/$(PORT)) 2>/dev/null && break
	kill -0 $$server 2>/dev/null || break
	sleep 0.2
done
echo
echo "================================================================"
echo " Stödperson runs at http://$(HOST):$(PORT)/"
echo " Ctrl-C stops the server and the Celery worker."
echo "================================================================"
# The demo data is there already: this only prints the logins again, next to the address.
$(UV) run --no-sync python manage.py seed_demo
echo
# Whichever stops first (or a signal) ends the run; the EXIT trap stops the other.
wait -n $$server $$worker
endef
export RUN_BOTH

run: setup
	@bash -c "$$RUN_BOTH"

test: sync
	$(UV) run pytest $(PYTEST_ARGS) || { rc=$$?; \
		[ $$rc -ne 5 ] || echo "pytest collected no tests (exit code 5): that is a failure" >&2; \
		exit $$rc; }

# Seeds one database per size beside the configured one (seed_demo --clients N), measures,
# and writes docs/benchmarks.json and docs/benchmarks.md. Arguments: BENCH_ARGS='--quick
# --no-load'. The benchmark app is installed only with BENCHMARKS_ENABLED (never in production).
BENCH_ARGS ?=
bench: sync
	$(MANAGE) collectstatic --noinput --verbosity 0
	BENCHMARKS_ENABLED=true $(MANAGE) bench $(BENCH_ARGS)

lint: sync
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy .
	$(MANAGE) makemigrations --check --dry-run

format: sync
	$(UV) run ruff check --fix .
	$(UV) run ruff format .

ci:
	CI=true bash .ci/run

clean:
	rm -rf staticfiles test-artifacts .pytest_cache .mypy_cache .ruff_cache
