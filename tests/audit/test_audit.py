"""The read log: who read which record, and that nobody can change it afterwards."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from audit.models import ReadLogEntry
from clients.models import ProtectedIdentity


@pytest.mark.django_db
def test_opening_a_client_page_is_logged_with_user_page_and_time(as_manager_a, world):
    as_manager_a.get(reverse("overview:client", args=[world.client_a.pk]))
    # The page names the client's support person too: that read is logged beside it.
    assert ReadLogEntry.objects.filter(
        subject="support_person", subject_id=world.sp_with_client.pk
    ).exists()
    entry = ReadLogEntry.objects.get(subject="client")
    assert (entry.username, entry.subject, entry.subject_id) == (
        "chef_a",
        "client",
        world.client_a.pk,
    )
    assert entry.page == reverse("overview:client", args=[world.client_a.pk])


@pytest.mark.django_db
def test_a_refused_read_is_not_logged_as_a_read(as_manager_b, world):
    as_manager_b.get(reverse("overview:client", args=[world.client_a.pk]))
    assert not ReadLogEntry.objects.exists()


@pytest.mark.django_db
def test_the_log_cannot_be_changed_or_deleted_through_the_application(as_manager_a, world):
    as_manager_a.get(reverse("overview:client", args=[world.client_a.pk]))
    entry = ReadLogEntry.objects.get(subject="client")
    entry.username = "someone else"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        ReadLogEntry.objects.all().update(username="x")
    with pytest.raises(PermissionDenied):
        ReadLogEntry.objects.all().delete()
    assert ReadLogEntry.objects.get(subject="client").username == "chef_a"


@pytest.mark.django_db
def test_on_postgresql_the_database_itself_refuses_changes(as_manager_a, world):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's; the ORM guard covers SQLite")
    as_manager_a.get(reverse("overview:client", args=[world.client_a.pk]))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_readlogentry SET username = 'x'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_readlogentry")
    # The client, and the support person the page names.
    assert ReadLogEntry.objects.count() == 2


@pytest.mark.django_db
def test_administrators_review_reads_and_changes_filtered_by_person(as_admin, as_manager_a, world):
    as_manager_a.get(reverse("overview:client", args=[world.client_a.pk]))
    as_manager_a.get(reverse("overview:client", args=[world.client_a2.pk]))
    world.client_a.first_name = "Åke Ny"
    world.client_a.save()
    response = as_admin.get(
        reverse("audit:review"), {"subject": "client", "subject_id": world.client_a.pk}
    )
    assert response.status_code == 200
    assert [e.subject_id for e in response.context["page"]] == [world.client_a.pk]
    # The client's own versions, and those of its assignment (another record number).
    record_ids = {c.record_id for c in response.context["changes"]}
    assert world.client_a.pk in record_ids
    assert record_ids <= {world.client_a.pk, world.assignment_a.pk}
    assert "Ändrad" in {c.change for c in response.context["changes"]}


@pytest.mark.django_db
def test_the_review_filters_by_user_and_date_and_exports_csv(as_admin, as_manager_a, world):
    as_manager_a.get(reverse("overview:client", args=[world.client_a.pk]))
    by_user = as_admin.get(reverse("audit:review"), {"username": "chef_b"})
    assert list(by_user.context["page"]) == []
    future = as_admin.get(reverse("audit:review"), {"date_from": "2999-01-01"})
    assert list(future.context["page"]) == [] and future.context["changes"] == []
    export = as_admin.get(reverse("audit:review"), {"username": "chef_a", "format": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    lines = export.content.decode("utf-8-sig").splitlines()
    # The client and the support person the client page names, both read by chef_a.
    assert len(lines) == 3 and all("chef_a" in line for line in lines[1:])


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["as_manager_a", "as_support_person"])
def test_only_administrators_review_the_log(request, world, persona):
    assert request.getfixturevalue(persona).get(reverse("audit:review")).status_code == 403


@pytest.mark.django_db
def test_the_review_survives_extreme_filters(as_admin):
    for query in ({"date_to": "9999-12-31"}, {"subject_id": "9" * 30}, {"date_from": "0001-01-01"}):
        assert as_admin.get(reverse("audit:review"), query).status_code == 200


@pytest.mark.django_db
def test_an_export_writes_one_read_per_exported_client(as_manager_a, world):
    as_manager_a.get(reverse("supportpersons:export_clients", args=["csv"]))
    exported = ReadLogEntry.objects.filter(action="export", subject="client")
    assert sorted(exported.values_list("subject_id", flat=True)) == sorted(
        [world.client_a.pk, world.client_a2.pk]
    )


@pytest.mark.django_db
def test_the_log_export_carries_hostile_text_defused(as_admin, world):
    ReadLogEntry.objects.create(
        username='=HYPERLINK("http://evil.example","x")',
        subject="client",
        subject_id=world.client_a.pk,
        page="@SUM(1+1)",
    )
    export = as_admin.get(reverse("audit:review"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://evil.example","x")' in cells and "'@SUM(1+1)" in cells
    assert not [cell for cell in cells if cell.startswith(("=", "@"))]


@pytest.mark.django_db
def test_the_review_names_the_person_read_and_hides_a_protected_identity(
    as_admin, admin_user, as_manager_a, world
):
    world.client_a.protected_identity = ProtectedIdentity.PROTECTED_REGISTRATION
    world.client_a.save()
    as_manager_a.get(reverse("overview:client", args=[world.client_a.pk]))
    as_manager_a.get(reverse("overview:client", args=[world.client_a2.pk]))
    page = as_admin.get(reverse("audit:review")).content.decode()
    assert world.client_a2.full_name in page
    assert world.client_a.last_name not in page
    assert f"Skyddad identitet (nr {world.client_a.pk})" in page
    world.client_a.identity_readers.add(admin_user)
    page = as_admin.get(reverse("audit:review")).content.decode()
    assert world.client_a.full_name in page


@pytest.mark.django_db
def test_the_changes_name_the_kind_of_record_and_page_on_their_own(as_admin, world):
    for n in range(30):
        world.client_a2.first_name = f"Namn{n}"
        world.client_a2.save()
    response = as_admin.get(reverse("audit:review"), {"subject": "client"})
    page = response.content.decode()
    assert "historical" not in page.lower()
    assert {change.record for change in response.context["changes"]} <= {"Klient", "Uppdrag"}
    assert response.context["changes_page"].paginator.num_pages == 2
    second = as_admin.get(reverse("audit:review"), {"subject": "client", "changes_page": 2})
    assert second.context["changes_page"].number == 2
