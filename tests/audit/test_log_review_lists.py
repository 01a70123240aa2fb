"""The audit page as a list to work in: both tables paged on their own with the filters kept,
cards on a phone instead of a table that scrolls, empty states, a wrong filter said and the
others kept, and a number of queries that does not grow with the log."""

import pytest
from django.urls import reverse

from audit.models import ReadLogEntry

pytestmark = pytest.mark.django_db

URL = reverse("audit:review")


def _reads(client, count, username="chef_a"):
    ReadLogEntry.objects.bulk_create(
        ReadLogEntry(
            username=username,
            subject="client",
            subject_id=client.pk,
            page=f"/klienter/{client.pk}/?" + "lång=adress&" * 20 + f"n={n}",
        )
        for n in range(count)
    )


def _changes(client, count):
    for n in range(count):
        client.first_name = f"Namn{n}"
        client.save()


def test_both_tables_page_on_their_own_and_keep_the_filters(as_admin, world):
    _reads(world.client_a2, 60)
    _changes(world.client_a2, 30)
    filters = f"subject=client&amp;subject_id={world.client_a2.pk}"
    params = {"subject": "client", "subject_id": world.client_a2.pk}
    first = as_admin.get(URL, params)
    page = first.content.decode()
    assert f'href="?{filters}&amp;page=2"' in page
    assert f'href="?{filters}&amp;changes_page=2"' in page
    # On the second page of changes, the link to more reads keeps both.
    second = as_admin.get(URL, {**params, "changes_page": 2})
    assert second.context["changes_page"].number == 2
    assert f'href="?{filters}&amp;changes_page=2&amp;page=2"' in second.content.decode()
    third = as_admin.get(URL, {**params, "changes_page": 2, "page": 2})
    assert third.context["page"].number == 2 and third.context["changes_page"].number == 2
    # 60, and the reads of the page itself by the two requests before.
    assert len(third.context["reads"]) == 62 - 50
    assert {e.subject_id for e, _name in third.context["reads"]} == {world.client_a2.pk}


def test_the_tables_are_cards_on_a_phone_and_a_long_page_address_wraps(as_admin, world):
    _reads(world.client_a2, 1)
    _changes(world.client_a2, 1)
    page = as_admin.get(URL).content.decode()
    assert page.count('class="table table-sm align-middle table-cards"') == 2
    assert "table-responsive" not in page
    assert 'data-label="Sida" class="small"><span class="text-break">' in page
    assert 'data-label="Ändring"' in page and ">Byt<" not in page


def test_an_empty_log_says_so(as_admin):
    page = as_admin.get(URL).content.decode()
    # The audit page's own reads name nobody here; the log is empty before it.
    assert "Inga läsningar är loggade ännu." in page
    assert "Inga ändringar är loggade ännu." in page
    assert "Rensa filtren" not in page


def test_a_choice_without_hits_offers_to_clear_the_filters(as_admin, world):
    _reads(world.client_a2, 3)
    page = as_admin.get(URL, {"username": "ingen"}).content.decode()
    assert "Inga läsningar i loggen för det valet." in page
    assert "Inga ändringar i loggen för det valet." in page
    assert f'href="{URL}">Rensa filtren' in page


def test_a_wrong_date_is_said_and_the_other_filters_still_apply(as_admin, world):
    _reads(world.client_a2, 2, username="chef_a")
    _reads(world.client_a2, 3, username="chef_b")
    response = as_admin.get(URL, {"username": "chef_b", "date_to": "9999-12-31"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Välj ett datum mellan 1900 och 2999." in page
    assert 'data-testid="error-summary"' in page
    assert [e.username for e, _name in response.context["reads"]] == ["chef_b"] * 3


@pytest.mark.parametrize("rows", [3, 40])
def test_the_page_runs_a_fixed_number_of_queries(as_admin, world, rows, django_assert_num_queries):
    _reads(world.client_a2, rows)
    _reads(world.client_b, rows, username="chef_b")
    _changes(world.client_a2, rows)
    world.sp_without_client.save()  # a support person's change on the page too
    # The session, the user and the role; the reads' count; one query per history table
    # (9: clients, consents, contacts, risk measures, deviations, support persons ...); the
    # reads; the names of clients and of support persons; the navigation (2) and the flag
    # badge; the read log's INSERT; the session's save (3).
    with django_assert_num_queries(23):
        response = as_admin.get(URL)
    assert response.context["page"].paginator.count == 2 * rows
