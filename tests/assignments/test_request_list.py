"""The administrator's request list: the open requests by deadline, and through the filters
the closed ones (status, outcome, period, locality, the client's name); a protected
identity neither shown nor found; a fixed number of queries; empty states that say what to
do next."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import ReadLogEntry
from clients.models import ProtectedIdentity
from tests import factories

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
URL = reverse("assignments:requests")
TODAY = timezone.localdate


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=STOCKHOLM)


@pytest.fixture
def pc(db):
    """The patient committee in two localities, and a request of each kind: one open, one
    appointed in time, one appointed late, one late but excused, one withdrawn (March and
    April 2026, a target of 3 working days)."""
    programme = factories.patient_committee_programme()
    skelleftea = factories.LocalityFactory(name="Skellefteå")
    umea = factories.LocalityFactory(name="Umeå")
    north = factories.UnitFactory(
        programme=programme, name="Psykiatri Skellefteå", locality=skelleftea
    )
    south = factories.UnitFactory(programme=programme, name="Psykiatri Umeå", locality=umea)
    person = factories.SupportPersonFactory(programme=programme, locality=skelleftea)

    def client(unit, first, last):
        return factories.ClientFactory(unit=unit, first_name=first, last_name=last)

    def answered(unit, first, last, received, answered_on, **kwargs):
        req = factories.RequestFactory(
            client=client(unit, first, last), received_at=at(received), **kwargs
        )
        factories.AssignmentFactory(
            client=req.client, support_person=person, request=req, started_on=answered_on
        )
        return req

    waiting = factories.RequestFactory(
        client=client(north, "Olle", "Öppen"), received_at=at(TODAY() - dt.timedelta(days=1))
    )
    # Monday 2 March: the deadline is Thursday 5 March.
    in_time = answered(north, "Ida", "Itid", dt.date(2026, 3, 2), dt.date(2026, 3, 3))
    late = answered(south, "Sven", "Sen", dt.date(2026, 3, 2), dt.date(2026, 3, 16))
    excused = answered(
        north,
        "Ursula",
        "Ursäktad",
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 20),
        late_reason="Patienten kunde inte ta ställning",
        delay_excused=True,
    )
    withdrawn = factories.RequestFactory(
        client=client(south, "Greta", "Östling"),
        received_at=at(dt.date(2026, 4, 1)),
        withdrawn_at=at(dt.date(2026, 4, 2)),
        withdrawal_reason="Patienten tackar nej",
    )
    return {
        "skelleftea": skelleftea,
        "umea": umea,
        "north": north,
        "south": south,
        "person": person,
        "open": waiting,
        "in_time": in_time,
        "late": late,
        "excused": excused,
        "withdrawn": withdrawn,
    }


def listed(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return [row.request for row in response.context["page"]]


# --- Who may --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("as_admin", 200), ("as_manager_a", 403), ("as_support_person", 403)],
)
def test_only_administrators_open_the_list_whatever_the_filters(request, world, persona, status):
    client = request.getfixturevalue(persona)
    assert client.get(URL).status_code == status
    assert client.get(URL, {"status": "all", "name": "Öberg"}).status_code == status


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    response = client.get(URL, {"status": "closed"})
    assert response.status_code == 302 and reverse("login") in response["Location"]


# --- Status ---------------------------------------------------------------------------------


def test_the_list_opens_on_the_open_requests_with_the_counts(as_admin, pc):
    response = as_admin.get(URL)
    assert [row.request for row in response.context["page"]] == [pc["open"]]
    counts = response.content.decode()
    assert "1 öppen begäran" in counts and "0 försenade" in counts
    assert "avslutade begäranden" not in counts


def test_the_closed_requests_are_listed_the_latest_received_first(as_admin, pc):
    # In time and late were received at the same minute: the later registered first.
    assert listed(as_admin, status="closed") == [
        pc["withdrawn"],
        pc["excused"],
        pc["late"],
        pc["in_time"],
    ]
    page = as_admin.get(URL, {"status": "closed"}).content.decode()
    assert "4 avslutade begäranden" in page
    assert "Förordnad i tid" in page and "Återkallad" in page


def test_all_lists_the_open_requests_first_then_the_closed(as_admin, pc):
    rows = listed(as_admin, status="all")
    assert rows[0] == pc["open"]
    assert set(rows[1:]) == {pc[k] for k in ("in_time", "late", "excused", "withdrawn")}
    page = as_admin.get(URL, {"status": "all"}).content.decode()
    assert "1 öppen begäran" in page and "4 avslutade begäranden" in page


def test_a_closed_request_has_no_appoint_button_but_a_link_to_its_page(as_admin, pc):
    page = as_admin.get(URL, {"status": "closed"}).content.decode()
    assert reverse("assignments:request_appoint", args=[pc["late"].pk]) not in page
    assert reverse("assignments:request", args=[pc["late"].pk]) in page


# --- Outcome --------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["in_time", "late", "excused", "withdrawn"])
def test_each_outcome_lists_its_requests(as_admin, pc, outcome):
    value = {"in_time": "answered_in_time", "late": "answered_late"}.get(outcome, outcome)
    assert listed(as_admin, status="closed", outcome=value) == [pc[outcome]]


def test_an_outcome_lists_the_closed_requests_even_when_open_is_chosen(as_admin, pc):
    response = as_admin.get(URL, {"status": "open", "outcome": "withdrawn"})
    assert [row.request for row in response.context["page"]] == [pc["withdrawn"]]
    assert response.context["form"]["status"].value() == "closed"


def test_an_excused_delay_answered_in_time_counts_as_in_time(as_admin, pc):
    pc["in_time"].delay_excused = True
    pc["in_time"].save()
    assert listed(as_admin, outcome="excused") == [pc["excused"]]
    assert listed(as_admin, outcome="answered_in_time") == [pc["in_time"]]


# --- Period, locality, name -----------------------------------------------------------------


def test_the_period_takes_whole_local_days_at_both_ends(as_admin, pc):
    first = dt.date(2026, 3, 2)
    evening = factories.RequestFactory(
        client=factories.ClientFactory(unit=pc["north"]),
        received_at=at(first - dt.timedelta(days=1), 23, 30),
        withdrawn_at=at(first),
    )
    rows = listed(as_admin, status="all", received_from="2026-03-02", received_to="2026-03-09")
    assert set(rows) == {pc["in_time"], pc["late"], pc["excused"]}
    rows = listed(as_admin, status="all", received_to="2026-03-01")
    assert rows == [evening]


def test_the_locality_is_that_of_the_clients_unit(as_admin, pc):
    rows = listed(as_admin, status="all", locality=pc["umea"].pk)
    assert set(rows) == {pc["late"], pc["withdrawn"]}


@pytest.mark.parametrize("text", ["östling", "ÖSTLING greta", "  greta  ", "stl"])
def test_the_name_search_folds_case_and_finds_every_word(as_admin, pc, text):
    assert listed(as_admin, status="all", name=text) == [pc["withdrawn"]]


def test_the_name_search_needs_every_word_and_keeps_a_a_and_o_apart(as_admin, pc):
    assert listed(as_admin, status="all", name="Greta Ek") == []
    assert listed(as_admin, status="all", name="ostling") == []


def test_the_filters_combine(as_admin, pc):
    params = {"locality": pc["skelleftea"].pk, "received_from": "2026-03-01"}
    assert set(listed(as_admin, status="closed", **params)) == {pc["in_time"], pc["excused"]}
    assert listed(as_admin, outcome="excused", name="ursula", **params) == [pc["excused"]]
    assert listed(as_admin, outcome="answered_late", **params) == []
    assert listed(as_admin, status="open", **params) == [pc["open"]]


# --- Wrong filters: said in Swedish, never a 500 --------------------------------------------


@pytest.mark.parametrize(
    ("params", "message", "rows"),
    [
        ({"received_from": "2026-13-45"}, "Fyll i ett giltigt datum.", 5),
        ({"received_to": "i går"}, "Fyll i ett giltigt datum.", 5),
        ({"received_to": "9999-12-31"}, "Välj ett datum mellan 1900 och 2999.", 5),
        ({"received_from": "0001-01-01"}, "Välj ett datum mellan 1900 och 2999.", 5),
        # The first day still applies: received from 9 March (excused, withdrawn, open).
        (
            {"received_from": "2026-03-09", "received_to": "2026-03-02"},
            "Sista dagen kan inte vara före den första.",
            3,
        ),
        ({"locality": "999999"}, "Välj ett giltigt alternativ.", 5),
        ({"locality": "Umeå"}, "Välj ett giltigt alternativ.", 5),
        ({"status": "deleted"}, "Välj ett giltigt alternativ.", 1),  # the open ones
        ({"outcome": "lost"}, "Välj ett giltigt alternativ.", 5),
        ({"name": "x" * 201}, "Säkerställ att", 5),
    ],
)
def test_a_wrong_filter_is_said_in_swedish_and_the_rest_still_applies(
    as_admin, pc, params, message, rows
):
    response = as_admin.get(URL, {"status": "all", **params})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'data-testid="error-summary"' in page
    assert len(response.context["page"].object_list) == rows


def test_a_page_number_past_the_end_shows_the_last_page(as_admin, pc):
    response = as_admin.get(URL, {"status": "closed", "page": "999"})
    assert response.status_code == 200 and response.context["page"].number == 1


# --- Protected identity ---------------------------------------------------------------------


@pytest.fixture
def hidden(pc):
    """The withdrawn request's client has a protected identity; the administrator is not
    one of its named readers."""
    client = pc["withdrawn"].client
    client.protected_identity = ProtectedIdentity.PROTECTED_REGISTRATION
    client.save()
    return client


@pytest.mark.parametrize("status", ["closed", "all"])
def test_a_protected_identity_is_neither_shown_nor_found(as_admin, pc, hidden, status):
    page = as_admin.get(URL, {"status": status}).content.decode()
    assert "Östling" not in page and "Greta" not in page
    assert f"Skyddad identitet (nr {hidden.pk})" in page
    for text in ("Greta", "östling", "Greta Östling"):
        assert listed(as_admin, status=status, name=text) == []
    # Nor by the placeholder: the search is of names only.
    assert listed(as_admin, status=status, name="Skyddad identitet") == []


def test_a_protected_identity_is_not_found_even_with_the_other_filters(as_admin, pc, hidden):
    params = {"outcome": "withdrawn", "locality": pc["umea"].pk, "name": "Greta"}
    assert listed(as_admin, **params) == []
    assert listed(as_admin, outcome="withdrawn") == [pc["withdrawn"]]


# --- The read log ---------------------------------------------------------------------------


def test_the_clients_on_the_page_are_in_the_read_log(as_admin, pc, hidden):
    as_admin.get(URL, {"status": "all"})
    entries = ReadLogEntry.objects.filter(subject="client")
    shown = {pc[k].client_id for k in ("open", "in_time", "late", "excused", "withdrawn")}
    assert set(entries.values_list("subject_id", flat=True)) == shown
    assert entries.get(subject_id=hidden.pk).protected


# --- Pages keep the filters -----------------------------------------------------------------


def test_the_pages_keep_the_filters(as_admin, pc):
    for i in range(50):
        factories.RequestFactory(
            client=factories.ClientFactory(unit=pc["south"]),
            received_at=at(dt.date(2026, 5, 1) + dt.timedelta(days=i % 20)),
            withdrawn_at=at(dt.date(2026, 6, 1)),
        )
    params = {"status": "closed", "locality": pc["umea"].pk}
    first = as_admin.get(URL, params)
    assert first.context["page"].paginator.count == 52
    page = first.content.decode()
    assert f"?status=closed&amp;locality={pc['umea'].pk}&amp;page=2" in page
    second = as_admin.get(URL, {**params, "page": 2})
    rows = [row.request for row in second.context["page"]]
    assert rows == [pc["withdrawn"], pc["late"]]  # received earliest of the 52
    assert "Sida 2 av 2" in second.content.decode()


# --- Empty states ---------------------------------------------------------------------------


def test_no_open_request_says_so_and_offers_to_register_one(as_admin, world):
    page = as_admin.get(URL).content.decode()
    assert "Inga öppna begäranden." in page
    assert 'data-testid="empty-state"' in page
    assert page.count(f'href="{reverse("assignments:request_new")}"') == 1
    assert "<table" not in page


def test_a_filter_without_hits_says_so_and_offers_to_clear_the_filters(as_admin, pc):
    page = as_admin.get(URL, {"status": "closed", "name": "Ingen Alls"}).content.decode()
    assert "Inga begäranden matchar filtren." in page
    assert f'href="{URL}">Rensa filtren' in page
    assert "<table" not in page


# --- A fixed number of queries --------------------------------------------------------------


def _more(pc, count):
    """`count` open requests (paused, so each has pauses to read) and `count` closed ones."""
    for i in range(count):
        client = factories.ClientFactory(unit=pc["north"] if i % 2 else pc["south"])
        req = factories.RequestFactory(
            client=client, received_at=at(TODAY() - dt.timedelta(days=i % 9))
        )
        factories.RequestPauseFactory(request=req, started_on=req.received_on)
        gone = factories.RequestFactory(
            client=client,
            received_at=at(dt.date(2026, 3, 2) + dt.timedelta(days=i % 20)),
            withdrawn_at=at(dt.date(2026, 4, 1)),
        )
        factories.RequestPauseFactory(
            request=gone, started_on=gone.received_on, ended_on=gone.received_on
        )
        late = factories.RequestFactory(
            client=factories.ClientFactory(unit=pc["north"]),
            received_at=at(dt.date(2026, 3, 2)),
        )
        factories.AssignmentFactory(
            client=late.client,
            support_person=pc["person"],
            request=late,
            started_on=dt.date(2026, 3, 20),
        )


# Each: the session, the user, the role, the localities of the filter, the requests read,
# the navigation (manager? the person, the flag badge), the read log's INSERT and the
# session's save (3). The open requests are 2 (requests, pauses); the closed a page of them 3
# (count, the page, its pauses); an outcome on the calendar reads the candidates' clocks
# first (2: requests, pauses) and the page after (2).
QUERIES = [
    ({}, 13),
    ({"status": "closed"}, 14),
    ({"status": "all"}, 16),
    ({"status": "all", "name": "a", "received_from": "2026-01-01"}, 16),
    ({"outcome": "withdrawn", "received_to": "2026-12-31"}, 14),
    ({"outcome": "answered_late"}, 15),
    ({"outcome": "answered_in_time", "name": "itid"}, 15),
    ({"status": "open", "locality": "LOCALITY", "name": "e"}, 13),
]


@pytest.mark.parametrize(("params", "queries"), QUERIES)
@pytest.mark.parametrize("rows", [3, 15])
def test_the_list_runs_a_fixed_number_of_queries(
    as_admin, pc, rows, params, queries, django_assert_num_queries
):
    _more(pc, rows)
    params = {k: pc["skelleftea"].pk if v == "LOCALITY" else v for k, v in params.items()}
    with django_assert_num_queries(queries):
        response = as_admin.get(URL, params)
    assert response.context["page"].object_list
