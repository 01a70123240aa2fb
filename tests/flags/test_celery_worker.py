"""The tasks: retries on database errors, an enqueue that survives a broker that is down,
and (integration) a real Celery worker against Redis that raises a flag."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import DatabaseError, OperationalError, connections

from flags import checks, tasks
from flags.models import Flag
from stodperson.celery import app
from stodperson.tasks import RETRY_POLICY, enqueue
from tests import factories

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(autouse=True)
def _eager(settings):
    """The suite runs tasks in the test's own process (the integration test turns it off)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


# --- Retries ---------------------------------------------------------------------------


@pytest.fixture
def _retries_run_eagerly(settings):
    """In eager mode a retry runs at once (no countdown); with propagation off, each attempt
    hands over to the next instead of raising Retry at the caller."""
    settings.CELERY_TASK_EAGER_PROPAGATES = False


@pytest.mark.django_db
@pytest.mark.usefixtures("_retries_run_eagerly")
def test_the_task_retries_when_the_database_fails(world, monkeypatch):
    calls: list[int] = []
    run = checks.run_checks

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return run(**kwargs)

    monkeypatch.setattr(checks, "run_checks", flaky)
    result = tasks.run_daily_checks.delay("2026-06-25")
    assert result.successful()
    assert len(calls) == 2
    assert Flag.objects.open().exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("_retries_run_eagerly")
def test_the_task_gives_up_after_its_retries(world, monkeypatch):
    calls: list[int] = []

    def down(**kwargs):
        calls.append(1)
        raise OperationalError("the database is down")

    monkeypatch.setattr(checks, "run_checks", down)
    result = tasks.run_daily_checks.delay()
    assert result.failed()
    assert isinstance(result.result, OperationalError)
    assert len(calls) == 1 + RETRY_POLICY["max_retries"]


def test_the_tasks_retry_with_exponential_backoff():
    for task in [tasks.run_daily_checks, tasks.run_request_checks, tasks.send_digests]:
        assert task.autoretry_for == (DatabaseError,)
        assert task.retry_backoff and task.max_retries == 5
    assert tasks.run_daily_checks.name == "flags.tasks.run_daily_checks"
    assert tasks.run_request_checks.name == "flags.tasks.run_request_checks"


@pytest.mark.django_db
def test_the_request_task_runs_only_the_request_clock(world):
    tasks.run_request_checks.delay("2026-06-25")
    assert not Flag.objects.exclude(
        kind__in=[Flag.Kind.REQUEST_LATE, Flag.Kind.REQUEST_DUE_SOON]
    ).exists()


# --- A broker that is down -------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_enqueue_logs_and_carries_on_when_the_broker_is_down(
    settings, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Celery lets CELERY_BROKER_URL in the environment win over the broker given here.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    # Not the current app: shared tasks elsewhere in the suite must keep the project's.
    down = Celery("down", broker=f"redis://127.0.0.1:{_closed_port()}/0", set_as_current=False)
    down.conf.broker_connection_timeout = 2

    @down.task(name="tests.nothing")
    def nothing(value: int) -> int:  # pragma: no cover - never runs
        return value

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue(nothing, 1)
        assert callbacks == []  # nothing is sent before the commit
    assert len(callbacks) == 1
    assert time.monotonic() - started < 10
    assert "Could not enqueue tests.nothing" in caplog.text


@pytest.mark.django_db
def test_enqueue_sends_after_the_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(tasks.run_request_checks, "2026-06-25")
        assert not Flag.objects.exists()


# --- A real worker against Redis -------------------------------------------------------


def _redis_reachable(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.exceptions.RedisError:
        return False


@pytest.fixture
def redis_worker(settings) -> Iterator[None]:
    if not _redis_reachable(REDIS_URL):
        message = (
            f"Redis is not reachable at {REDIS_URL}: start it with `redis-server --daemonize yes "
            "--bind 127.0.0.1 --port 6379 --save '' --appendonly no`"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    redis.Redis.from_url(REDIS_URL).flushdb()  # a database of its own: left-overs only
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = REDIS_URL
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    # The app may hold a connection pool made for the default broker: start afresh.
    app._pool = None
    app.amqp._producer_pool = None

    def close_connections(**kwargs: object) -> None:
        # The worker thread's own database connections, or PostgreSQL cannot drop the
        # test database afterwards.
        connections.close_all()

    task_postrun.connect(close_connections, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        task_postrun.disconnect(close_connections)
        app._pool = None
        app.amqp._producer_pool = None


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_daily_checks_and_raises_a_flag(redis_worker):
    unit = factories.UnitFactory(name="Via Redis")
    client = factories.ClientFactory(unit=unit)  # 400 days without a support person
    assert not tasks.run_daily_checks.app.conf.task_always_eager
    tasks.run_daily_checks.delay()
    deadline = time.monotonic() + 30
    flag = None
    while flag is None and time.monotonic() < deadline:
        flag = (
            Flag.objects.open()
            .filter(kind=Flag.Kind.NO_SUPPORT_PERSON, target_id=client.pk)
            .first()
        )
        time.sleep(0.2)
    assert flag is not None, "the worker did not raise the flag within 30 s"
    assert flag.client_id == client.pk
