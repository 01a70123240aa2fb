"""The start pages are to-do lists (issue 14, "each role's day on one screen"): a support
person's duties due today, ticked from there; a unit manager's flags, clients without a
support person and wishes to change; an administrator's requests by deadline, reports
waiting and this week's training events. Who sees what, the order, the empty states, the
tick without JavaScript and with htmx, fixed query counts and the read log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from assignments.models import SatisfactionFollowUp
from audit.models import ReadLogEntry
from clients.models import ProtectedIdentity
from duties.models import DutyCheck, DutyState, DutyTemplate
from flags.models import Flag
from reports.models import TertialReport
from stodperson.dates import add_months
from stodperson.tertials import Tertial
from supportpersons.models import TrainingEvent
from tests import factories
from tests.screens import url

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
START = reverse("overview:my_clients")
DASHBOARD = reverse("overview:dashboard")


def _templates(world):
    return list(
        DutyTemplate.objects.filter(programme=world.unit_a.programme, interval_months__isnull=False)
    )


def _documentation(world):
    return DutyTemplate.objects.get(
        programme=world.unit_a.programme, code=DutyTemplate.Code.DOCUMENTATION
    )


def _all_done_today(assignment, user):
    for template in DutyTemplate.objects.filter(programme=assignment.client.unit.programme):
        factories.DutyCheckFactory(
            assignment=assignment, template=template, done_on=TODAY(), by=user
        )


def _second_client(world, **client):
    other = factories.ClientFactory(unit=world.unit_a, first_name="Stina", last_name="Ås", **client)
    return factories.AssignmentFactory(client=other, support_person=world.sp_with_client)


# --- A support person's day ------------------------------------------------------------


def test_the_support_persons_start_page_is_the_days_duties_across_their_clients(
    as_support_person, world, sp_user
):
    second = _second_client(world)
    # On the second client everything is done except the documentation, done last month:
    # due by the end of this month (due soon), not overdue.
    _all_done_today(second, sp_user)
    DutyCheck.objects.filter(assignment=second, template=_documentation(world)).delete()
    factories.DutyCheckFactory(
        assignment=second,
        template=_documentation(world),
        done_on=add_months(TODAY().replace(day=1), -1),
        by=sp_user,
        created_at=timezone.now() - dt.timedelta(days=40),
    )
    response = as_support_person.get(START)
    due = response.context["day"].due
    # Client A has had no duty done since it started 400 days ago: every recurring duty is
    # overdue; the second client's documentation is due soon, and comes after them.
    assert {d.assignment for d in due} == {world.assignment_a, second}
    states = [d.row.state for d in due]
    assert states == [DutyState.OVERDUE] * len(_templates(world)) + [DutyState.DUE_SOON]
    assert (due[-1].assignment, due[-1].row.template) == (second, _documentation(world))
    overdue = [d.row.next_due for d in due if d.row.state == DutyState.OVERDUE]
    assert overdue == sorted(overdue)
    page = response.content.decode()
    assert "<title>Att göra idag – Mina klienter" in page
    # Each row names the client and the duty, with its state as a tag and one button.
    row = page[page.index(f'id="due-{second.pk}-{_documentation(world).pk}"') :]
    row = row[: row.index("</li>")]
    assert "Stina Ås" in row and _documentation(world).title in row
    assert '<strong class="tag tag--warning">Snart dags</strong>' in row
    assert row.count('type="submit"') == 1 and "Klar idag" in row
    assert 'name="return_to" value="start"' in row
    assert f"{len(due)} uppgifter att göra, varav {len(due) - 1} försenade." in page


def test_the_clients_follow_the_duties_with_their_checklists_and_open_flags(
    as_support_person, world
):
    factories.FlagFactory(client=world.client_a, kind=Flag.Kind.PLAN_OVERDUE)
    page = as_support_person.get(START).content.decode()
    clients = page[page.index('id="clients-heading"') :]
    assert page.index('id="today-heading"') < page.index('id="clients-heading"')
    assert "Åke Öberg" in clients
    assert reverse("duties:checklist", args=[world.assignment_a.pk]) in clients
    assert '<strong class="tag tag--warning">Genomförandeplanen är försenad</strong>' in clients


def test_nothing_due_says_so_and_when_the_next_duty_falls_due(as_support_person, world, sp_user):
    _all_done_today(world.assignment_a, sp_user)
    response = as_support_person.get(START)
    day = response.context["day"]
    assert day.due == []
    # The ticks of today can still be taken back from here.
    assert {d.row.template for d in day.done_today} == set(
        DutyTemplate.objects.filter(programme=world.unit_a.programme)
    )
    page = response.content.decode()
    assert "Inget att göra idag." in page
    nearest = min(d.row.next_due for d in day.done_today if d.row.next_due)
    assert day.next_due.row.next_due == nearest
    assert f"Nästa uppgift ska vara gjord senast {nearest:%-d} " in page


def test_a_support_person_without_clients_is_told_what_comes_next(
    as_support_person_without_client,
):
    page = as_support_person_without_client.get(START).content.decode()
    assert "Inget att göra idag." in page
    assert "När du får en klient visas klientens uppgifter här." in page
    assert "Du har inga klienter just nu." in page


def test_a_support_person_sees_only_their_own_duties(as_support_person_without_client, world):
    other = factories.ClientFactory(unit=world.unit_a, first_name="Egen", last_name="Klient")
    own = factories.AssignmentFactory(client=other, support_person=world.sp_without_client)
    response = as_support_person_without_client.get(START)
    assert {d.assignment for d in response.context["day"].due} == {own}
    assert "Åke Öberg" not in response.content.decode()


def test_an_ended_assignment_leaves_the_start_page(as_support_person, world):
    world.assignment_a.ended_on = TODAY()
    world.assignment_a.end_reason = world.assignment_a.EndReason.OTHER
    world.assignment_a.save()
    response = as_support_person.get(START)
    assert response.context["day"].due == []
    assert "Åke Öberg" not in response.content.decode()


def test_a_protected_client_shows_as_its_placeholder(as_support_person, world):
    world.client_a.protected_identity = ProtectedIdentity.PROTECTED_REGISTRATION
    world.client_a.save()
    page = as_support_person.get(START).content.decode()
    assert "Åke Öberg" not in page and "Öberg" not in page
    assert world.client_a.display_name in page


def test_ticking_from_the_start_page_without_javascript_comes_back_to_it(as_support_person, world):
    template = _documentation(world)
    response = as_support_person.post(
        url("tick", world.assignment_a.pk, template.pk),
        {"done_on": TODAY().isoformat(), "return_to": "start"},
    )
    assert response.status_code == 302 and response["Location"] == START
    check = DutyCheck.objects.get()
    assert (check.template, check.by.username) == (template, "stod_med")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"{template.title} för Åke Öberg: markerad som klar."
    ]
    page = as_support_person.get(START)
    assert template not in [d.row.template for d in page.context["day"].due]
    # Undone from the start page as well, and back on its list.
    back = as_support_person.post(
        url("withdraw", world.assignment_a.pk, check.pk), {"return_to": "start"}
    )
    assert back["Location"] == START
    page = as_support_person.get(START)
    assert template in [d.row.template for d in page.context["day"].due]


def test_ticking_from_the_start_page_with_htmx_swaps_its_row_and_announces_it(
    as_support_person, world
):
    template = _documentation(world)
    response = as_support_person.post(
        url("tick", world.assignment_a.pk, template.pk),
        {"done_on": TODAY().isoformat(), "return_to": "start"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.templates[0].name == "duties/includes/due_row.html"
    html = response.content.decode()
    assert f'id="due-{world.assignment_a.pk}-{template.pk}"' in html
    assert 'data-state="done"' in html and "Ångra dagens bock" in html
    # The live region of the start page, filled out of band for a screen reader.
    status = html[html.index('id="start-status"') :]
    assert 'hx-swap-oob="innerHTML"' in status and 'aria-live="polite"' in status
    assert f"{template.title} för Åke Öberg: markerad som klar." in status
    check = DutyCheck.objects.get()
    undone = as_support_person.post(
        url("withdraw", world.assignment_a.pk, check.pk),
        {"return_to": "start"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert 'data-state="overdue"' in undone
    assert f"{template.title} för Åke Öberg: dagens bock är ångrad." in undone


def test_a_refused_tick_from_the_start_page_says_why(as_support_person, world):
    template = _documentation(world)
    data = {"done_on": TODAY().isoformat(), "return_to": "start"}
    as_support_person.post(url("tick", world.assignment_a.pk, template.pk), data)
    again = as_support_person.post(
        url("tick", world.assignment_a.pk, template.pk), data, headers={"HX-Request": "true"}
    )
    assert "redan avbockad" in again.context["error"]
    assert 'role="alert"' in again.content.decode()
    assert DutyCheck.objects.count() == 1


def test_nobody_else_ticks_from_a_support_persons_start_page(
    as_support_person_without_client, as_manager_a, world
):
    data = {"done_on": TODAY().isoformat(), "return_to": "start"}
    tick = url("tick", world.assignment_a.pk, _documentation(world).pk)
    assert as_support_person_without_client.post(tick, data).status_code == 404
    assert as_manager_a.post(tick, data).status_code == 403
    assert not DutyCheck.objects.exists()


def test_the_start_page_of_a_support_person_is_theirs_alone(as_manager_a, as_admin, world):
    assert as_manager_a.get(START).status_code == 403
    assert as_admin.get(START).status_code == 403


def test_the_support_persons_start_page_notes_every_client_it_names(
    as_support_person, world, sp_user
):
    second = _second_client(world)
    as_support_person.get(START)
    logged = set(
        ReadLogEntry.objects.filter(user=sp_user, page=START).values_list("subject", "subject_id")
    )
    assert {("client", world.client_a.pk), ("client", second.client.pk)} <= logged


def _more_clients_of(world, sp_user, count):
    for _ in range(count):
        assignment = factories.AssignmentFactory(
            client=factories.ClientFactory(unit=world.unit_a),
            support_person=world.sp_with_client,
        )
        factories.FlagFactory(client=assignment.client)
        for template in _templates(world)[:3]:
            factories.DutyCheckFactory(
                assignment=assignment, template=template, done_on=TODAY(), by=sp_user
            )


@pytest.mark.parametrize("clients", [1, 8])
def test_the_support_persons_start_page_runs_a_fixed_number_of_queries(
    as_support_person, world, sp_user, clients, django_assert_num_queries
):
    _more_clients_of(world, sp_user, clients)
    # The session, the user, the header's role and units, the nav's open-flag badge; the
    # assignments and their clients' open flags; the checklists' templates, last ticks and
    # today's own ticks; the read log; the session's first refresh (three).
    with django_assert_num_queries(15):
        as_support_person.get(START)


# --- A unit manager's to-do --------------------------------------------------------------


def _wish(assignment):
    return SatisfactionFollowUp.objects.create(
        assignment=assignment,
        on=TODAY(),
        outcome=SatisfactionFollowUp.Outcome.WANTS_CHANGE,
        recorded_by=factories.UserFactory(),
    )


def test_the_managers_start_page_is_their_to_do_with_an_action_for_each_item(as_manager_a, world):
    flag = factories.FlagFactory(client=world.client_a, kind=Flag.Kind.CONSENT_REVIEW)
    _wish(world.assignment_a)
    response = as_manager_a.get(DASHBOARD)
    assert response.context["admin"] is None
    assert [t.name for t in response.templates].count("flags/includes/flag_action.html") == 1
    page = response.content.decode()
    assert "<title>Att göra – Översikt" in page
    # The to-do first, each list with its action, then the figures under their heading.
    order = ["flags-heading", "without-heading", "wishes-heading", "figures-heading"]
    positions = [page.index(f'id="{heading}"') for heading in order]
    assert positions == sorted(positions)
    flags = page[page.index('id="flags-heading"') : page.index('id="without-heading"')]
    assert "Samtycke ska omprövas eller är återkallat" in flags and "Åke Öberg" in flags
    # The consent's action: renewing it (flags/actions.py).
    renew = reverse("clients:consent_renew", args=[flag.target_id])
    assert f'href="{renew}" data-testid="flag-action">Förnya samtycket' in flags
    without = page[page.index('id="without-heading"') : page.index('id="wishes-heading"')]
    assert f'href="{reverse("assignments:assign", args=[world.client_a2.pk])}">Tilldela' in without
    wishes = page[page.index('id="wishes-heading"') : page.index('id="figures-heading"')]
    assert f'href="{reverse("assignments:change", args=[world.client_a.pk])}">Byt' in wishes
    assert "Läget i enheterna" in page and 'data-testid="active-clients"' in page
    summary = page[page.index('data-testid="todo-summary"') : page.index('id="flags"')]
    assert "1 öppen flagga" in summary
    assert "1 klient utan stödperson" in summary
    assert "1 önskemål om byte av stödperson" in summary
    assert "begäran" not in summary  # the administrator's lists are not a manager's


def test_the_oldest_flag_comes_first_and_the_list_links_to_all_of_them(as_manager_a, world):
    now = timezone.now()
    flags = [
        factories.FlagFactory(client=world.client_a, kind=kind, raised_at=now - dt.timedelta(d))
        for d, kind in enumerate(
            [Flag.Kind.PLAN_OVERDUE, Flag.Kind.CONSENT_REVIEW, Flag.Kind.RISK_FOLLOW_UP]
        )
    ]
    for i in range(10):
        factories.FlagFactory(
            client=world.client_a2, kind=Flag.Kind.DEVIATION_OPEN, target_id=1000 + i
        )
    response = as_manager_a.get(DASHBOARD)
    shown = response.context["data"].open_flags
    assert len(shown) == 10
    assert shown[:3] == flags[::-1]
    page = response.content.decode()
    assert "13 öppna flaggor" in page and "Visa alla 13 öppna flaggor" in page


def test_a_manager_sees_only_their_own_units_flags_and_clients(as_manager_b, world):
    factories.FlagFactory(client=world.client_a2)
    _wish(world.assignment_a)
    response = as_manager_b.get(DASHBOARD)
    data = response.context["data"]
    assert data.open_flags == [] and data.change_wishes == []
    assert data.without_support_person == [world.client_b]
    page = response.content.decode()
    assert "Lena Ek" not in page and "Åke Öberg" not in page


def test_the_unit_filter_narrows_the_to_do(as_admin, world):
    factories.FlagFactory(client=world.client_a2)
    factories.FlagFactory(client=world.client_b)
    everything = as_admin.get(DASHBOARD).context["data"]
    assert {f.client for f in everything.open_flags} == {world.client_a2, world.client_b}
    unit_b = as_admin.get(DASHBOARD, {"unit": world.unit_b.pk}).context["data"]
    assert [f.client for f in unit_b.open_flags] == [world.client_b]
    assert unit_b.without_support_person == [world.client_b]


def test_an_empty_to_do_names_the_next_action(as_manager_b, world):
    factories.AssignmentFactory(client=world.client_b)
    page = as_manager_b.get(DASHBOARD).content.decode()
    assert "0 öppna flaggor" in page and "0 klienter utan stödperson" in page
    assert "Inga öppna flaggor. Kontrollerna körs varje natt" in page
    assert "Alla aktiva klienter har en stödperson." in page
    assert "Inga öppna önskemål." in page
    assert page.count('class="empty-state"') == 3


@pytest.mark.parametrize("rows", [3, 30])
def test_the_managers_start_page_runs_a_fixed_number_of_queries(
    as_manager_a, world, rows, django_assert_num_queries
):
    for _ in range(rows):
        client = factories.ClientFactory(unit=world.unit_a)
        _wish(factories.AssignmentFactory(client=client))
        factories.FlagFactory(client=client)
        factories.FlagFactory(client=factories.ClientFactory(unit=world.unit_a))
    with django_assert_num_queries(23):
        as_manager_a.get(DASHBOARD)


def test_the_managers_start_page_notes_every_client_it_names(as_manager_a, manager_a, world):
    flagged = factories.ClientFactory(unit=world.unit_a, first_name="Flagg", last_name="Ad")
    factories.AssignmentFactory(client=flagged)
    factories.FlagFactory(client=flagged, kind=Flag.Kind.PLAN_OVERDUE)
    as_manager_a.get(DASHBOARD)
    logged = set(
        ReadLogEntry.objects.filter(user=manager_a, page=DASHBOARD, subject="client").values_list(
            "subject_id", flat=True
        )
    )
    assert {flagged.pk, world.client_a2.pk} <= logged


# --- An administrator's to-do ------------------------------------------------------------


@pytest.fixture
def committee(db):
    """A unit of the patient committee's programme, which writes a report every tertial."""
    return factories.UnitFactory(
        name="Patientnämnden", programme=factories.patient_committee_programme()
    )


def _request(unit, *, days_ago=0, name="Ny"):
    client = factories.ClientFactory(unit=unit, first_name=name, last_name="Begäran")
    return factories.RequestFactory(
        client=client, received_at=timezone.now() - dt.timedelta(days=days_ago)
    )


def test_the_administrator_answers_the_latest_requests_first(as_admin, world, committee):
    fresh = _request(committee, name="Färsk")
    late = _request(committee, days_ago=14, name="Sen")
    paused = _request(committee, name="Pausad")
    factories.RequestPauseFactory(request=paused, started_on=TODAY())
    factories.RequestFactory(client=world.client_a, withdrawn_at=timezone.now())
    response = as_admin.get(DASHBOARD)
    admin = response.context["admin"]
    assert [row.request for row in admin.requests] == [late, fresh]
    assert admin.paused_count == 1
    page = response.content.decode()
    requests = page[page.index('id="requests-heading"') : page.index('id="reports-heading"')]
    assert requests.index("Sen Begäran") < requests.index("Färsk Begäran")
    assert f'href="{reverse("assignments:request_appoint", args=[late.pk])}">Förordna' in requests
    assert 'data-state="late"' in requests
    assert "1 pausad begäran väntar på patienten." in requests
    assert "Pausad Begäran" not in requests
    assert "2 begäranden att besvara" in page


def test_the_reports_waiting_are_the_ended_tertials_not_yet_final(as_admin, world, committee):
    ended = Tertial.of(TODAY()).previous()
    older = ended.previous()
    draft = factories.TertialReportFactory(year=older.year, tertial=older.number)
    running = Tertial.of(TODAY())
    current = factories.TertialReportFactory(year=running.year, tertial=running.number)
    admin = as_admin.get(DASHBOARD).context["admin"]
    # The tertial that has just ended has no report: create it; the older draft: make it
    # final; the running tertial's draft is listed apart.
    assert [(t.period, t.report_id) for t in admin.reports] == [
        (older, draft.pk),
        (ended, None),
    ]
    assert [t.report_id for t in admin.running_reports] == [current.pk]
    page = as_admin.get(DASHBOARD).content.decode()
    reports = page[page.index('id="reports-heading"') : page.index('id="events-heading"')]
    assert f'href="{reverse("reports:create")}">Skapa' in reports
    assert f'href="{reverse("reports:finalise", args=[draft.pk])}">Fastställ' in reports
    assert "2 tertialrapporter väntar" in page


def test_a_final_report_for_the_ended_tertial_leaves_nothing_waiting(as_admin, world, committee):
    ended = Tertial.of(TODAY()).previous()
    factories.TertialReportFactory(
        year=ended.year,
        tertial=ended.number,
        status=TertialReport.Status.FINAL,
        finalised_at=timezone.now(),
    )
    page = as_admin.get(DASHBOARD).content.decode()
    assert as_admin.get(DASHBOARD).context["admin"].reports == []
    assert "Ingen rapport väntar." in page and "0 tertialrapporter väntar" in page


def test_a_programme_that_writes_no_reports_has_none_waiting(as_admin, world):
    # The world's units are personal assistance, which has written no tertial report.
    assert as_admin.get(DASHBOARD).context["admin"].reports == []


def test_the_training_events_of_this_week(as_admin, world, committee):
    monday = TODAY() - dt.timedelta(days=TODAY().weekday())
    today = factories.TrainingEventFactory(title="Idag-mötet")
    sunday = factories.TrainingEventFactory(title="Söndagsmötet", on=monday + dt.timedelta(days=6))
    factories.TrainingEventFactory(title="Nästa vecka", on=monday + dt.timedelta(days=7))
    factories.TrainingEventFactory(title="Förra veckan", on=monday - dt.timedelta(days=1))
    factories.TrainingEventFactory(
        title="Inställt", status=TrainingEvent.Status.CANCELLED, cancel_reason="Sjukdom"
    )
    factories.RegistrationFactory(event=today)
    admin = as_admin.get(DASHBOARD).context["admin"]
    assert admin.events == sorted([today, sunday], key=lambda e: (e.on, e.pk))
    page = as_admin.get(DASHBOARD).content.decode()
    events = page[page.index('id="events-heading"') : page.index('id="flags-heading"')]
    assert f'href="{reverse("supportpersons:event", args=[today.pk])}">Idag-mötet' in events
    assert "1 anmäld (minst 5)" in events
    assert "Nästa vecka" not in events and "Inställt" not in events


def test_the_administrators_empty_lists_name_the_next_action(as_admin, world):
    page = as_admin.get(DASHBOARD).content.decode()
    assert "Ingen begäran väntar på svar." in page
    assert f'href="{reverse("assignments:request_new")}">Registrera en begäran' in page
    assert "Inga utbildningstillfällen den här veckan." in page
    assert f'href="{reverse("supportpersons:event_new")}">Nytt utbildningstillfälle' in page
    assert "Utbetalningar" not in page  # a place kept for later, not yet on the page


def test_the_administrator_sees_the_managers_lists_across_every_unit(as_admin, world):
    factories.FlagFactory(client=world.client_a2)
    factories.FlagFactory(client=world.client_b, kind=Flag.Kind.PLAN_OVERDUE)
    data = as_admin.get(DASHBOARD).context["data"]
    assert {f.client for f in data.open_flags} == {world.client_a2, world.client_b}
    assert set(data.without_support_person) == {world.client_a2, world.client_b}


@pytest.mark.parametrize("rows", [2, 12])
def test_the_administrators_start_page_runs_a_fixed_number_of_queries(
    as_admin, world, committee, rows, django_assert_num_queries
):
    ended = Tertial.of(TODAY()).previous()
    factories.TertialReportFactory(year=ended.year, tertial=ended.number)
    for i in range(rows):
        request = _request(committee, days_ago=i)
        factories.RequestPauseFactory(request=_request(committee), started_on=TODAY())
        factories.FlagFactory(client=request.client)
        factories.RegistrationFactory(event=factories.TrainingEventFactory())
        factories.TertialReportFactory(year=2000 + i, tertial=1)
    # The manager's page, plus the requests and their pauses, the reports and the week's
    # events.
    with django_assert_num_queries(27):
        as_admin.get(DASHBOARD)


def test_the_administrators_start_page_notes_the_requests_clients(as_admin, admin_user, committee):
    request = _request(committee, days_ago=1)
    as_admin.get(DASHBOARD)
    assert ReadLogEntry.objects.filter(
        user=admin_user, page=DASHBOARD, subject="client", subject_id=request.client_id
    ).exists()
