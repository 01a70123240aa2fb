"""The read log: who read which record, and that nobody can change it afterwards."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from audit.models import ReadLogEntry


@pytest.mark.django_db
def test_opening_a_client_page_is_logged_with_user_page_and_time(as_manager_a, world):
    as_manager_a.get(reverse("assignments:client", args=[world.client_a.pk]))
    entry = ReadLogEntry.objects.get()
    assert (entry.username, entry.subject, entry.subject_id) == (
        "chef_a",
        "client",
        world.client_a.pk,
    )
    assert entry.page == reverse("assignments:client", args=[world.client_a.pk])


@pytest.mark.django_db
def test_a_refused_read_is_not_logged_as_a_read(as_manager_b, world):
    as_manager_b.get(reverse("assignments:client", args=[world.client_a.pk]))
    assert not ReadLogEntry.objects.exists()


@pytest.mark.django_db
def test_the_log_cannot_be_changed_or_deleted_through_the_application(as_manager_a, world):
    as_manager_a.get(reverse("assignments:client", args=[world.client_a.pk]))
    entry = ReadLogEntry.objects.get()
    entry.username = "someone else"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        ReadLogEntry.objects.all().update(username="x")
    with pytest.raises(PermissionDenied):
        ReadLogEntry.objects.all().delete()
    assert ReadLogEntry.objects.get().username == "chef_a"


@pytest.mark.django_db
def test_on_postgresql_the_database_itself_refuses_changes(as_manager_a, world):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's; the ORM guard covers SQLite")
    as_manager_a.get(reverse("assignments:client", args=[world.client_a.pk]))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_readlogentry SET username = 'x'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_readlogentry")
    assert ReadLogEntry.objects.count() == 1
