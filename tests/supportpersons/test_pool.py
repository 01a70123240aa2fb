"""The support-person pool: the list and the person page, recruitment steps, pause,
deactivation and reactivation, and the dated history that answers "active on a day"."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments import services as assignment_services
from clients.models import Gender, ProtectedIdentity
from stodperson.errors import ServiceError
from supportpersons import services
from supportpersons.models import RecruitmentStep, StatusChange, SupportPerson, in_pool_on
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
Step = RecruitmentStep.Step


def url(name, *args):
    # The pool's balance against the clients waiting is the assignments app's (issue #12).
    namespace = "assignments" if name == "balance" else "supportpersons"
    return reverse(f"{namespace}:{name}", args=args)


@pytest.fixture
def pc_applicant(admin_user):
    programme = factories.patient_committee_programme()
    return services.support_person_create(
        programme=programme,
        first_name="Åsa",
        last_name="Öhman",
        gender=Gender.WOMAN,
        locality=factories.LocalityFactory(name="Umeå"),
        interest_on=TODAY() - dt.timedelta(days=30),
        by=admin_user,
    )


# --- Who may --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("as_admin", 200), ("as_manager_a", 200), ("as_support_person", 403)],
)
def test_the_pool_list_is_for_administrators_and_managers(request, world, persona, status):
    assert request.getfixturevalue(persona).get(url("list")).status_code == status


@pytest.mark.parametrize(
    "name", ["new", "balance", "import", "events", "event_new", "collaboration"]
)
@pytest.mark.parametrize(
    ("persona", "status"),
    [("as_admin", 200), ("as_manager_a", 403), ("as_support_person", 403)],
)
def test_the_administrators_pages_are_refused_to_others(request, world, persona, status, name):
    assert request.getfixturevalue(persona).get(url(name)).status_code == status


def test_a_manager_reads_their_units_pool_but_edits_no_one(as_manager_a, world):
    # Pausing and deactivating are the manager's (tests/supportpersons/test_manager_scope.py);
    # the person's details and recruitment are the administrators'.
    other = factories.SupportPersonFactory(programme=factories.patient_committee_programme())
    assert as_manager_a.get(url("detail", world.sp_with_client.pk)).status_code == 200
    assert as_manager_a.get(url("detail", other.pk)).status_code == 404
    assert as_manager_a.get(url("edit", world.sp_with_client.pk)).status_code == 403
    assert as_manager_a.get(url("step", world.sp_with_client.pk)).status_code == 403
    page = as_manager_a.get(url("list"))
    assert other not in page.context["page"].object_list
    assert not page.context["can_manage"]


def test_a_missing_or_malformed_person_answers_404(as_admin):
    assert as_admin.get(url("detail", 999999)).status_code == 404
    assert as_admin.get("/stodpersoner/abc/").status_code == 404


# --- The list ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["öhman", "ÖHMAN", "åsa öh"])
def test_search_folds_swedish_letters(as_admin, pc_applicant, text):
    page = as_admin.get(url("list"), {"q": text}).context["page"]
    assert [p.pk for p in page] == [pc_applicant.pk]


def test_the_list_filters_by_gender_status_language_and_free_capacity(as_admin, world):
    finnish = factories.LanguageFactory(name="Finska")
    man = factories.SupportPersonFactory(unit=world.unit_a, gender=Gender.MAN, capacity=1)
    man.languages.add(finnish)
    factories.AssignmentFactory(client=world.client_a2, support_person=man)

    def pks(**query):
        return {p.pk for p in as_admin.get(url("list"), query).context["page"]}

    assert pks(gender="man") == {man.pk}
    assert pks(language=finnish.pk) == {man.pk}
    assert man.pk not in pks(free="yes")
    assert pks(free="no") == {man.pk}
    assert pks(status="applicant") == set()


@pytest.mark.parametrize("rows", [5, 50])
def test_the_pool_list_runs_a_fixed_number_of_queries(
    as_admin, world, rows, django_assert_num_queries
):
    swedish = factories.LanguageFactory(name="Svenska")
    for _ in range(rows):
        person = factories.SupportPersonFactory(unit=world.unit_a)
        person.languages.add(swedish)
        factories.AssignmentFactory(client__unit=world.unit_a, support_person=person)
    with django_assert_num_queries(16):  # 15 + the read log's one INSERT
        as_admin.get(url("list"))


def test_a_protected_support_person_is_shown_with_the_placeholder(as_admin, world):
    person = factories.SupportPersonFactory(
        first_name="Hemlig",
        last_name="Person",
        protected_identity=ProtectedIdentity.PROTECTED_REGISTRATION,
    )
    page = as_admin.get(url("list")).content.decode()
    assert "Hemlig" not in page
    assert f"Skyddad identitet (nr {person.pk})" in page


# --- The person page ---------------------------------------------------------------------------


def test_the_person_page_shows_history_steps_assignments_and_training(as_admin, world):
    person = world.sp_with_client
    StatusChange.objects.create(
        support_person=person, status="active", on=person.recruited_on, reason="Rekryterad"
    )
    # A name long enough never to turn up by chance in the page's CSRF token (a two-letter
    # factory name such as "Bo" did, now and then).
    ended_client = factories.ClientFactory(
        unit=world.unit_a,
        first_name="Ingegerd",
        protected_identity=ProtectedIdentity.CONFIDENTIALITY_MARK,
    )
    factories.AssignmentFactory(
        client=ended_client,
        support_person=person,
        ended_on=TODAY(),
        end_reason="client_wish",
    )
    registration = factories.RegistrationFactory(support_person=person, attended=True)
    response = as_admin.get(url("detail", person.pk))
    page = response.content.decode()
    assert [line.client_name for line in response.context["current"]] == ["Åke Öberg"]
    assert f"Skyddad identitet (nr {ended_client.pk})" in page
    assert ended_client.first_name not in page
    assert registration.event.title in page
    assert "Rekryterad" in page


def test_a_manager_does_not_see_the_names_of_clients_outside_their_units(as_manager_b, world):
    person = factories.SupportPersonFactory(unit=world.unit_b)
    factories.AssignmentFactory(client=world.client_a2, support_person=person)
    response = as_manager_b.get(url("detail", person.pk))
    assert response.status_code == 200
    assert "Lena Ek" not in response.content.decode()
    assert "En klient i en annan enhet" in response.content.decode()


@pytest.mark.parametrize("rows", [5, 50])
def test_the_person_page_runs_a_fixed_number_of_queries(
    as_admin, world, rows, django_assert_num_queries
):
    person = world.sp_with_client
    for i in range(rows):
        factories.AssignmentFactory(
            client__unit=world.unit_a,
            support_person=person,
            ended_on=TODAY() - dt.timedelta(days=i),
            end_reason="client_wish",
            started_on=TODAY() - dt.timedelta(days=400),
        )
        factories.RegistrationFactory(support_person=person)
    with django_assert_num_queries(17):  # 16 + the read log entry
        as_admin.get(url("detail", person.pk))


# --- Recruitment --------------------------------------------------------------------------------


def test_a_new_applicant_starts_with_the_expression_of_interest(as_admin, world):
    locality = factories.LocalityFactory(name="Skellefteå")
    response = as_admin.post(
        url("new"),
        {
            "programme": factories.patient_committee_programme().pk,
            "first_name": "Nils",
            "last_name": "Nilsson",
            "gender": "man",
            "locality": locality.pk,
            "capacity": 2,
            "protected_identity": "none",
            "interest_on": TODAY().isoformat(),
        },
    )
    person = SupportPerson.objects.get(last_name="Nilsson")
    assert response.status_code == 302
    assert person.status == SupportPerson.Status.APPLICANT
    assert list(person.recruitment_steps.values_list("step", flat=True)) == [Step.INTEREST]
    assert person.status_changes.get().status == SupportPerson.Status.APPLICANT


def test_an_applicant_page_says_why_they_cannot_be_assigned(as_admin, pc_applicant):
    page = as_admin.get(url("detail", pc_applicant.pk)).content.decode()
    assert "Åsa Öhman kan inte tilldelas: statusen är ”Sökande”, inte aktiv." in page


def _step(person, step, admin, days_ago=10, outcome=""):
    return services.recruitment_step_record(
        support_person=person,
        step=step,
        on=TODAY() - dt.timedelta(days=days_ago),
        outcome=outcome,
        by=admin,
    )


def test_recruitment_steps_lead_to_active_with_the_history_written(
    as_admin, pc_applicant, admin_user
):
    _step(pc_applicant, Step.BACKGROUND_CHECK, admin_user, 20, "passed")
    _step(pc_applicant, Step.INTERVIEW, admin_user, 15, "passed")
    _step(pc_applicant, Step.APPROVED, admin_user, 12)
    _step(pc_applicant, Step.INTRODUCTION, admin_user, 5)
    response = as_admin.post(
        url("step", pc_applicant.pk), {"step": "active", "on": TODAY().isoformat()}
    )
    assert response.status_code == 302
    pc_applicant.refresh_from_db()
    assert pc_applicant.status == SupportPerson.Status.ACTIVE
    assert pc_applicant.recruited_on == TODAY()
    assert pc_applicant.status_changes.last().status == SupportPerson.Status.ACTIVE


def test_activation_in_the_patient_committee_needs_the_earlier_steps(pc_applicant, admin_user):
    with pytest.raises(ServiceError, match="Registrera först"):
        _step(pc_applicant, Step.ACTIVE, admin_user, 0)
    pc_applicant.refresh_from_db()
    assert pc_applicant.status == SupportPerson.Status.APPLICANT


def test_a_failed_background_check_stops_the_recruitment(pc_applicant, admin_user):
    _step(pc_applicant, Step.BACKGROUND_CHECK, admin_user, 20, "failed")
    with pytest.raises(ServiceError, match="blev inte godkänt"):
        _step(pc_applicant, Step.APPROVED, admin_user, 5)


def test_the_background_check_keeps_the_date_and_outcome_only(as_admin, pc_applicant):
    assert not {"extract", "extract_text", "file", "document"} & {
        f.name for f in RecruitmentStep._meta.get_fields()
    }
    response = as_admin.post(
        url("step", pc_applicant.pk),
        {
            "step": "background_check",
            "on": TODAY().isoformat(),
            "outcome": "passed",
            "note": "Utdraget visade ...",
        },
    )
    assert response.status_code == 200
    assert "bara datum och utfall" in response.content.decode()
    assert not pc_applicant.recruitment_steps.filter(step=Step.BACKGROUND_CHECK).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"step": "interview", "on": "2999-01-01", "outcome": "passed"},
        {"step": "interview", "on": "2026-02-30", "outcome": "passed"},
        {"step": "interview", "on": "1990-01-01", "outcome": "passed"},
        {"step": "interview", "on": "", "outcome": "passed"},
        {"step": "nonsense", "on": "2026-01-01"},
        {"step": "interview", "on": "2026-01-01", "outcome": ""},
    ],
)
def test_a_bad_step_is_refused_without_an_error_page(as_admin, pc_applicant, data):
    response = as_admin.post(url("step", pc_applicant.pk), data)
    assert response.status_code == 200
    assert pc_applicant.recruitment_steps.count() == 1


def test_the_same_step_posted_twice_is_recorded_once(as_admin, pc_applicant):
    data = {"step": "interview", "on": TODAY().isoformat(), "outcome": "passed"}
    as_admin.post(url("step", pc_applicant.pk), data)
    again = as_admin.post(url("step", pc_applicant.pk), data)
    assert "redan registrerat" in again.content.decode()
    assert pc_applicant.recruitment_steps.filter(step=Step.INTERVIEW).count() == 1


def test_a_personal_assistant_is_activated_without_the_committees_steps(world, admin_user):
    person = factories.SupportPersonFactory(
        unit=world.unit_a, status=SupportPerson.Status.APPLICANT, recruited_on=None
    )
    _step(person, Step.ACTIVE, admin_user, 0)
    person.refresh_from_db()
    assert person.is_active and person.recruited_on == TODAY()


# --- Pause, deactivation, reactivation ------------------------------------------------------------


def test_pausing_keeps_the_clients_and_takes_the_person_out_of_the_candidates(as_admin, world):
    person = world.sp_with_client
    page = as_admin.get(url("pause", person.pk)).content.decode()
    assert "Åke Öberg" in page  # the clients to consider changing
    response = as_admin.post(
        url("pause", person.pk), {"on": TODAY().isoformat(), "reason": "Föräldraledig"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == SupportPerson.Status.PAUSED
    assert person.assignments.filter(ended_on__isnull=True).count() == 1
    assert person.status_changes.last().reason == "Föräldraledig"


def test_deactivation_goes_through_the_existing_flow_and_reactivation_keeps_history(
    as_admin, world, admin_user
):
    person = world.sp_with_client
    recruited = person.recruited_on
    StatusChange.objects.create(support_person=person, status="active", on=recruited)
    deactivated_on = TODAY() - dt.timedelta(days=20)
    released = assignment_services.support_person_deactivate(
        support_person=person, on=deactivated_on, reason="Flyttat", by=admin_user
    )
    assert released == [world.client_a]
    detail = as_admin.get(url("detail", person.pk)).content.decode()
    assert reverse("assignments:deactivate", args=[person.pk]) not in detail
    assert url("reactivate", person.pk) in detail
    response = as_admin.post(
        url("reactivate", person.pk),
        {"on": (TODAY() - dt.timedelta(days=5)).isoformat(), "reason": "Tillbaka"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == SupportPerson.Status.ACTIVE
    assert person.recruited_on == recruited
    assert person.deactivated_on is None
    statuses = list(person.status_changes.values_list("status", flat=True))
    assert statuses == ["active", "inactive", "active"]
    # The dated history answers "in the pool on a day", the gap included.
    gap = TODAY() - dt.timedelta(days=10)
    assert person not in in_pool_on(gap)
    assert person in in_pool_on(TODAY())
    assert person in in_pool_on(deactivated_on - dt.timedelta(days=1))


def test_a_reactivation_cannot_go_back_before_the_deactivation(world, admin_user):
    person = world.sp_with_client
    assignment_services.support_person_deactivate(
        support_person=person, on=TODAY(), reason="Flyttat", by=admin_user
    )
    with pytest.raises(ServiceError, match="senaste statusändringen"):
        services.support_person_reactivate(
            support_person=person, on=TODAY() - dt.timedelta(days=1), reason="x", by=admin_user
        )


def test_an_applicant_deactivated_and_reactivated_is_an_applicant_again(pc_applicant, admin_user):
    assignment_services.support_person_deactivate(
        support_person=pc_applicant, on=TODAY(), reason="Avbröt", by=admin_user
    )
    services.support_person_reactivate(
        support_person=pc_applicant, on=TODAY(), reason="Ångrade sig", by=admin_user
    )
    pc_applicant.refresh_from_db()
    assert pc_applicant.status == SupportPerson.Status.APPLICANT


def test_only_an_active_person_can_be_paused(as_admin, pc_applicant):
    response = as_admin.post(
        url("pause", pc_applicant.pk), {"on": TODAY().isoformat(), "reason": "x"}
    )
    assert response.status_code == 200
    assert "Bara en aktiv person kan pausas" in response.content.decode()


def test_a_person_without_history_counts_by_their_dates(world):
    person = world.sp_without_client
    assert person in in_pool_on(TODAY())
    assert person not in in_pool_on(person.recruited_on - dt.timedelta(days=1))
