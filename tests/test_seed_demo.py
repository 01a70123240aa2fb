"""manage.py seed_demo: a login for every role, two years of history that keeps the models'
rules, and nothing created twice."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from assignments.models import Assignment, CareEnd, Decision, SupportRequest
from clients.models import Client, Contact, Gender, Programme, ProtectedIdentity
from clients.personnummer import is_coordination_number, normalise_personnummer
from demo.logins import DEMO_LOGINS
from demo.texts import PAUSE_REASON
from flags import checks
from flags.models import Flag
from stodperson import roles, workdays
from supportpersons.models import CollaborationActivity, StatusChange, SupportPerson, TrainingEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Seed once for the module, in a transaction rolled back afterwards, so that no other
    test sees the demo. Each test runs in a savepoint inside it."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def _active_assignments_of(username: str):
    return Assignment.objects.active().filter(support_person__user__username=username)


def test_it_creates_a_login_for_every_role_and_prints_them(demo_output):
    assert "Demo-inloggningar:" in demo_output
    users = get_user_model().objects.in_bulk(
        [login.username for login in DEMO_LOGINS], field_name="username"
    )
    for login in DEMO_LOGINS:
        assert f"{login.username} " in demo_output
        assert login.password in demo_output
        user = users[login.username]
        assert user.check_password(login.password)
        validate_password(login.password, user)

    admin = users["admin"]
    assert admin.groups.filter(name=roles.ADMINISTRATORS_GROUP).exists()
    assert admin.is_staff and admin.is_superuser

    for username in ("chef.centrum", "chef.ersboda", "chef.skelleftea", "chef.patientnamnden"):
        assert users[username].managed_units.exists(), username
        assert not roles.is_administrator(users[username])
    committee_units = set(
        users["chef.patientnamnden"].managed_units.values_list("programme__slug", flat=True)
    )
    assert committee_units == {"patientnamnden"}
    assert users["chef.patientnamnden"].managed_units.count() == 2

    anna = SupportPerson.objects.get(user=users["stod.anna"])
    assert anna.programme.slug == "personlig-assistans"
    assert anna.unit is not None and anna.unit.name == "Assistansgruppen Centrum"
    assert 1 <= _active_assignments_of("stod.anna").count() <= 2
    erik = SupportPerson.objects.get(user=users["stod.erik"])
    assert erik.programme.slug == "patientnamnden"
    assert _active_assignments_of("stod.erik").count() >= 1
    for username in ("stod.anna", "stod.erik"):
        visible = Client.objects.visible_to(users[username])
        assert visible.count() == _active_assignments_of(username).count()


def test_both_programmes_have_clients_and_support_persons(demo_output):
    for programme in Programme.objects.filter(slug__in=["personlig-assistans", "patientnamnden"]):
        assert Client.objects.filter(unit__programme=programme).active().count() >= 20
        assert SupportPerson.objects.filter(programme=programme).count() >= 30
        assert Assignment.objects.active().filter(client__unit__programme=programme).exists()
    assert 200 <= Client.objects.count() <= 320
    # Assistants belong to their unit; volunteers to a locality only.
    assistants = SupportPerson.objects.filter(programme__slug="personlig-assistans")
    assert not assistants.filter(unit__isnull=True).exists()
    volunteers = SupportPerson.objects.filter(programme__slug="patientnamnden")
    assert not volunteers.filter(unit__isnull=False).exists()
    assert 90 <= volunteers.count() <= 110


def test_some_active_clients_have_no_support_person(demo_output):
    without = Client.objects.active().exclude(
        pk__in=Assignment.objects.active().values("client_id")
    )
    for slug in ("personlig-assistans", "patientnamnden"):
        assert without.filter(unit__programme__slug=slug).exists(), slug


def test_requests_include_late_excused_withdrawn_and_waiting_ones(demo_output):
    assert SupportRequest.objects.exclude(late_reason="").filter(delay_excused=False).exists()
    excused = SupportRequest.objects.filter(delay_excused=True)
    assert excused.exists()
    assert all(r.pauses.filter(reason=PAUSE_REASON).exists() for r in excused)
    assert SupportRequest.objects.filter(withdrawn_at__isnull=False).exists()
    assert SupportRequest.objects.open().exists()

    answered = SupportRequest.objects.filter(assignment__isnull=False).select_related("assignment")
    elapsed = [
        workdays.working_days_elapsed(r.received_on, r.assignment.started_on) for r in answered
    ]
    assert sum(days <= 1 for days in elapsed) / len(elapsed) > 0.6  # most within a day
    assert any(not workdays.is_working_day(r.received_on) for r in SupportRequest.objects.all()), (
        "some requests arrive on weekends and holidays"
    )


def test_one_patient_has_an_extension_after_compulsory_care_ended(demo_output):
    care_end = CareEnd.objects.select_related("assignment__client").get()
    assert care_end.is_extended and care_end.assignment.is_active
    ended = care_end.assignment.client.compulsory_care_ended_on
    assert ended is not None and 0 < (timezone.localdate() - ended).days < 28


def test_the_patient_committee_pool_matches_the_seed_report(demo_output):
    today = timezone.localdate()
    pool = SupportPerson.objects.filter(programme__slug="patientnamnden")
    umea, skelleftea = pool.filter(locality__name="Umeå"), pool.filter(locality__name="Skellefteå")
    assert umea.filter(status=SupportPerson.Status.ACTIVE).count() == 35
    assert skelleftea.filter(status=SupportPerson.Status.ACTIVE).count() == 15
    # The dated lifecycle also counts those paused for a while.
    assert 33 <= umea.active_on(today).count() <= 40
    assert 13 <= skelleftea.active_on(today).count() <= 19
    women = pool.filter(gender=Gender.WOMAN).count()
    assert 0.6 <= women / pool.count() <= 0.75
    men_active = pool.active_on(today).filter(gender=Gender.MAN)
    assert men_active.filter(locality__name="Skellefteå").count() < 5
    assert pool.filter(status=SupportPerson.Status.INACTIVE).exists()
    assert pool.filter(status=SupportPerson.Status.PAUSED).exists()


def test_lifecycles_and_assignments_agree(demo_output):
    """Status is the last status change; assignments lie within the support person's active
    period and the client's time as a client."""
    last_change = {}
    for change in StatusChange.objects.order_by("on", "id"):
        last_change[change.support_person_id] = change
    for sp in SupportPerson.objects.all():
        assert last_change[sp.pk].status == sp.status, sp.pk
        if sp.status == SupportPerson.Status.INACTIVE:
            assert sp.deactivated_on == last_change[sp.pk].on
    for a in Assignment.objects.select_related("client__unit", "support_person"):
        sp, client = a.support_person, a.client
        assert sp.is_active_on(a.started_on), a.pk
        if sp.deactivated_on is not None:
            assert a.ended_on is not None and a.ended_on <= sp.deactivated_on, a.pk
        assert a.started_on >= client.started_on, a.pk
        if client.ended_on is not None:
            assert a.ended_on is not None and a.ended_on <= client.ended_on, a.pk
        assert sp.programme_id == client.unit.programme_id
        assert sp.locality_id == client.unit.locality_id
        if sp.unit_id is not None:
            assert sp.unit_id == client.unit_id
        at_once = sp.assignments.active_on(a.started_on).count()
        assert at_once <= sp.capacity, (sp.pk, a.started_on)


def test_every_patient_committee_act_has_its_decision(demo_output):
    pc = Assignment.objects.filter(client__unit__programme__slug="patientnamnden")
    decisions = Decision.objects.all()
    assert decisions.filter(kind="appointment").count() == pc.count() > 0
    assert decisions.filter(kind="release").count() == pc.exclude(ended_on=None).count()
    pool = SupportPerson.objects.filter(programme__slug="patientnamnden")
    assert decisions.filter(kind="recruitment").count() == pool.exclude(recruited_on=None).count()
    assert not decisions.exclude(programme__slug="patientnamnden").exists()
    # The office has told everyone of the older decisions; the last week's wait for it.
    week_ago = timezone.localdate() - dt.timedelta(days=7)
    assert decisions.filter(decided_on__lt=week_ago, volunteer_notified_on=None).count() == 0
    assert decisions.filter(decided_on__gte=week_ago, volunteer_notified_on=None).exists()


def test_every_personnummer_passes_normalisation_unchanged(demo_output):
    numbers = list(Client.objects.exclude(personnummer="").values_list("personnummer", flat=True))
    assert len(numbers) > 0.9 * Client.objects.count()
    assert Client.objects.filter(personnummer="").exists()
    for number in numbers:
        assert normalise_personnummer(number) == number
    assert any(is_coordination_number(number) for number in numbers)
    levels = set(Client.objects.values_list("protected_identity", flat=True))
    assert levels == set(ProtectedIdentity.values)


def test_training_and_collaboration_follow_the_seed_report(demo_output):
    cancelled = TrainingEvent.objects.filter(status=TrainingEvent.Status.CANCELLED)
    assert cancelled.exists()
    assert set(cancelled.values_list("cancel_reason", flat=True)) == {"För få anmälda"}
    december = cancelled.filter(on__month=12).order_by("-on").first()
    assert december is not None
    same_day = cancelled.filter(on=december.on)
    registered = {e.locality.name: e.registrations.count() for e in same_day}
    assert registered == {"Umeå": 11, "Skellefteå": 3}
    assert TrainingEvent.objects.filter(status=TrainingEvent.Status.HELD).exists()
    forums = set(CollaborationActivity.objects.values_list("forum", flat=True))
    assert {"Myndighetssamverkan", "Frivilligdagen"} <= forums


def test_running_it_twice_changes_nothing(demo_output):
    def counts():
        return {model._meta.label: model._default_manager.count() for model in apps.get_models()}

    before = counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert counts() == before
    assert "Demodata finns redan" in out.getvalue()
    assert "Demo-inloggningar:" in out.getvalue()


def test_each_unit_manager_has_a_consent_past_review_and_a_measure_without_consent(demo_output):
    """Something on each personal-assistance manager's dashboard to act on (issue 15)."""
    today = timezone.localdate()
    checks.run_checks(
        today=today, only=[Flag.Kind.CONSENT_REVIEW, Flag.Kind.MEASURE_WITHOUT_CONSENT]
    )
    units = Client.objects.filter(unit__programme__slug="personlig-assistans").values_list(
        "unit__managers", flat=True
    )
    for manager in set(units) - {None}:
        flags = Flag.objects.open().filter(client__unit__managers=manager)
        assert flags.filter(kind=Flag.Kind.CONSENT_REVIEW).exists(), manager
        assert flags.filter(kind=Flag.Kind.MEASURE_WITHOUT_CONSENT).exists(), manager
    # The relatives' contacts rest on the consent to contact them.
    relatives = Contact.objects.filter(role=Contact.Role.RELATIVE, client__ended_on__isnull=True)
    assert relatives.exists() and not relatives.filter(consent__isnull=True).exists()


def test_stod_erik_has_accepted_the_undertaking_and_his_check_runs_out_soon(demo_output):
    """Issue 16: the demo shows the volunteer's warning on his home page."""
    from supportpersons.eligibility import offer_blockers
    from supportpersons.volunteers import background_check_runs_out, undertaking_due

    today = timezone.localdate()
    erik = SupportPerson.objects.select_related("programme").get(user__username="stod.erik")
    assert undertaking_due(erik, today=today) is None
    runs_out = background_check_runs_out(erik)
    assert runs_out is not None and 0 < (runs_out - today).days <= 60
    assert offer_blockers(erik, today=today) == []
    others = SupportPerson.objects.filter(
        programme=erik.programme, status=SupportPerson.Status.ACTIVE
    ).exclude(pk=erik.pk)
    assert all(undertaking_due(p, today=today) is None for p in others[:5])


def test_stod_erik_has_open_offers_to_answer(demo_output):
    """The demo volunteer's phone shows an offer, and its request has others out too."""
    from assignments.models import Offer

    now = timezone.now()
    offers = Offer.objects.filter(support_person__user__username="stod.erik").open_at(now)
    assert offers.count() == 1
    request = offers.get().request
    assert not hasattr(request, "assignment") and request.withdrawn_at is None
    assert Offer.objects.filter(request=request).open_at(now).count() == 3


def test_the_demo_volunteer_has_contacts_and_a_report_waiting(demo_output):
    from assignments.models import MonthlyReport, SupportContact

    erik = SupportContact.objects.filter(assignment__support_person__user__username="stod.erik")
    assert erik.count() >= 8
    assert erik.filter(kind="court_hearing", receipt_type="pdf").exists()
    waiting = MonthlyReport.objects.for_queue()
    assert waiting.count() == 1
    assert waiting[0].assignment.support_person.user.username == "stod.erik"
    assert MonthlyReport.objects.filter(state="approved").exists()
