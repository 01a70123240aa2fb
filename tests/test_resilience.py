"""The application keeps serving when Redis is down, and recovers by itself when the
database restarts."""

import urllib.error
import urllib.request

import pytest
from django.db import connection


def fetch(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_the_application_recovers_when_the_database_drops_its_connections(live_server):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a server whose connections can be cut")
    url = live_server.url + "/halsa/"
    assert fetch(url) == 200
    # As a restart does: every other connection to the database is cut.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    answers = [fetch(url) for _ in range(3)]
    assert answers == [200, 200, 200], answers


@pytest.mark.django_db
def test_pages_keep_working_when_the_broker_is_down(as_manager_a, world, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = as_manager_a.get("/oversikt/")
    assert response.status_code == 200


def test_the_health_page_says_nothing_but_ok(client, db):
    response = client.get("/halsa/")
    assert response.content == b"ok\n" and response["Content-Type"].startswith("text/plain")
