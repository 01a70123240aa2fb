"""The Django admin: every model registered, changelists at a fixed number of queries, and
the privacy rules of lists (domain.md, "Privacy obligations")."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import Model
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assignments.models import (
    Assignment,
    CareEnd,
    Decision,
    MonthlyReport,
    Offer,
    RequestPause,
    SatisfactionFollowUp,
    SupportContact,
    SupportPersonChange,
    SupportRequest,
)
from clients.models import (
    Client,
    Consent,
    Contact,
    Deviation,
    Language,
    Locality,
    Programme,
    ProtectedIdentity,
    RiskFollowUp,
    RiskMeasure,
    Unit,
)
from duties.models import DutyCheck, DutyTemplate
from flags.models import BackgroundCheckNotice, DigestLog, Flag
from payments.models import Budget, Payee, PaymentLine, PaymentRun, Rate
from reports.models import ReportBatch, TertialReport
from supportpersons.invitations import invitation_send
from supportpersons.models import (
    BackgroundCheck,
    CollaborationActivity,
    DelegationItem,
    Invitation,
    RecruitmentStep,
    Registration,
    StatusChange,
    SupportPerson,
    TrainingEvent,
    UndertakingAcceptance,
    UndertakingVersion,
)
from tests import factories, volunteers

APPS = ("clients", "supportpersons", "assignments", "duties", "flags", "payments", "reports")
VALID_PERSONNUMMER = "19121212-1212"

_numbers = itertools.count(1)


def today() -> dt.date:
    return timezone.localdate()


# One builder per registered model: `n` rows of that model, each with its own related rows,
# so that a column or a filter that queries per row shows up as a growing count.


def _programmes(n: int) -> None:
    factories.ProgrammeFactory.create_batch(n)


def _localities(n: int) -> None:
    for _ in range(n):
        factories.LocalityFactory(name=f"Ort {next(_numbers)}")


def _languages(n: int) -> None:
    for _ in range(n):
        factories.LanguageFactory(name=f"Språk {next(_numbers)}")


def _units(n: int) -> None:
    for _ in range(n):
        factories.UnitFactory(managers=[factories.UserFactory(), factories.UserFactory()])


def _clients(n: int) -> None:
    for i in range(n):
        client = factories.ClientFactory(
            personnummer=VALID_PERSONNUMMER if i % 2 else "",
            protected_identity=ProtectedIdentity.PROTECTED_REGISTRATION
            if i % 3 == 0
            else ProtectedIdentity.NONE,
        )
        if i % 2:
            factories.AssignmentFactory(client=client)


def _contacts(n: int) -> None:
    factories.ContactFactory.create_batch(n)


def _consents(n: int) -> None:
    factories.ConsentFactory.create_batch(n)


def _risk_measures(n: int) -> None:
    for _ in range(n):
        consent = factories.ConsentFactory()
        factories.RiskMeasureFactory(client=consent.client, consent=consent)


def _risk_follow_ups(n: int) -> None:
    for _ in range(n):
        measure = factories.RiskMeasureFactory()
        RiskFollowUp.objects.create(
            measure=measure,
            followed_up_on=measure.decided_on,
            outcome="Fungerar",
            next_follow_up_on=measure.follow_up_on,
        )


def _deviations(n: int) -> None:
    factories.DeviationFactory.create_batch(n, reported_by=factories.UserFactory())


def _support_persons(n: int) -> None:
    language = factories.LanguageFactory()
    for _ in range(n):
        unit = factories.UnitFactory()
        person = factories.SupportPersonFactory(user=factories.UserFactory(), unit=unit)
        person.languages.add(language)
        factories.AssignmentFactory(
            client=factories.ClientFactory(unit=unit), support_person=person
        )


def _status_changes(n: int) -> None:
    for _ in range(n):
        StatusChange.objects.create(
            support_person=factories.SupportPersonFactory(),
            status=SupportPerson.Status.ACTIVE,
            on=today(),
            by=factories.UserFactory(),
        )


def _recruitment_steps(n: int) -> None:
    for _ in range(n):
        RecruitmentStep.objects.create(
            support_person=factories.SupportPersonFactory(),
            step=RecruitmentStep.Step.INTERVIEW,
            on=today(),
            outcome=RecruitmentStep.Outcome.PASSED,
            by=factories.UserFactory(),
        )


def _training_events(n: int) -> None:
    for _ in range(n):
        event = factories.TrainingEventFactory()
        factories.RegistrationFactory(event=event, attended=True)
        factories.RegistrationFactory(event=event, attended=False)


def _registrations(n: int) -> None:
    factories.RegistrationFactory.create_batch(n)


def _collaboration_activities(n: int) -> None:
    factories.CollaborationActivityFactory.create_batch(n)


def _requests(n: int) -> None:
    for i in range(n):
        request = factories.RequestFactory(registered_by=factories.UserFactory())
        factories.RequestPauseFactory(request=request, ended_on=today())
        if i % 2:
            factories.AssignmentFactory(client=request.client, request=request)


def _request_pauses(n: int) -> None:
    factories.RequestPauseFactory.create_batch(n)


def _delegation_items(n: int) -> None:
    for _ in range(n):
        factories.delegation_item(factories.ProgrammeFactory(), "appointment")


def _decisions(n: int) -> None:
    factories.DecisionFactory.create_batch(n, decided_by=factories.UserFactory())


def _offers(n: int) -> None:
    for _ in range(n):
        request = factories.RequestFactory()
        Offer.objects.create(
            request=request,
            support_person=factories.SupportPersonFactory(),
            expires_at=timezone.now() + dt.timedelta(hours=24),
        )


def _assignments(n: int) -> None:
    factories.AssignmentFactory.create_batch(n, decided_by=factories.UserFactory())


def _support_person_changes(n: int) -> None:
    for _ in range(n):
        previous = factories.AssignmentFactory(
            ended_on=today(), end_reason=Assignment.EndReason.CHANGE
        )
        successor = factories.AssignmentFactory(client=previous.client, started_on=today())
        SupportPersonChange.objects.create(
            previous=previous,
            successor=successor,
            reason=SupportPersonChange.Reason.CLIENT_WISH,
            client_informed_on=today(),
            decided_by=factories.UserFactory(),
        )


def _satisfaction_follow_ups(n: int) -> None:
    for _ in range(n):
        SatisfactionFollowUp.objects.create(
            assignment=factories.AssignmentFactory(),
            on=today(),
            outcome=SatisfactionFollowUp.Outcome.WANTS_CHANGE,
            recorded_by=factories.UserFactory(),
        )


def _care_ends(n: int) -> None:
    for _ in range(n):
        CareEnd.objects.create(
            assignment=factories.AssignmentFactory(),
            learnt_from=CareEnd.Source.WARD,
            recorded_by=factories.UserFactory(),
        )


def _duty_templates(n: int) -> None:
    factories.DutyTemplateFactory.create_batch(n)


def _duty_checks(n: int) -> None:
    factories.DutyCheckFactory.create_batch(n, by=factories.UserFactory())


def _flags(n: int) -> None:
    factories.FlagFactory.create_batch(n)


def _digest_logs(n: int) -> None:
    for _ in range(n):
        DigestLog.objects.create(
            user=factories.UserFactory(), day=today(), as_of=timezone.now(), new_flags=2
        )


def _tertial_reports(n: int) -> None:
    for _ in range(n):
        factories.TertialReportFactory(year=1900 + next(_numbers), tertial=1)


def _rates(n: int) -> None:
    programme = factories.ProgrammeFactory()
    for i in range(n):
        Rate.objects.create(
            programme=programme,
            kind=Rate.Kind.FEE,
            amount=350,
            valid_from=dt.date(2000 + i, 1, 1),
            valid_to=dt.date(2000 + i, 12, 31),
            wage_type="1100",
            taxable=True,
        )


def _budgets(n: int) -> None:
    programme = factories.ProgrammeFactory()
    for i in range(n):
        Budget.objects.create(programme=programme, year=2000 + i, amount=1000, cost_centre="71200")


def _payees(n: int) -> None:
    for person in factories.SupportPersonFactory.create_batch(n):
        Payee.objects.create(support_person=person, personnummer=VALID_PERSONNUMMER)


def _payment_runs(n: int) -> None:
    programme, by = factories.ProgrammeFactory(), factories.UserFactory()
    for i in range(n):
        PaymentRun.objects.create(
            programme=programme, month=dt.date(2000 + i, 1, 1), prepared_by=by
        )


def _payment_lines(n: int) -> None:
    run = PaymentRun.objects.create(
        programme=factories.ProgrammeFactory(),
        month=dt.date(2026, 1, 1),
        prepared_by=factories.UserFactory(),
    )
    for person in factories.SupportPersonFactory.create_batch(n):
        PaymentLine.objects.create(
            run=run,
            support_person=person,
            period=run.month,
            kind=PaymentLine.Kind.FEE,
            wage_type="1100",
            taxable=True,
            amount=100,
        )


def _undertakings(n: int) -> None:
    for _ in range(n):
        volunteers.undertaking(next(_numbers))


def _acceptances(n: int) -> None:
    for _ in range(n):
        volunteers.volunteer()


def _background_checks(n: int) -> None:
    for _ in range(n):
        BackgroundCheck.objects.create(
            support_person=factories.SupportPersonFactory(),
            checked_on=today(),
            outcome="passed",
            by=factories.UserFactory(),
        )


def _invitations(n: int) -> None:
    for _ in range(n):
        invitation_send(
            support_person=volunteers.volunteer(email=f"v{next(_numbers)}@example.se"),
            by=factories.UserFactory(),
        )


def _background_check_notices(n: int) -> None:
    for _ in range(n):
        BackgroundCheckNotice.objects.create(
            support_person=factories.SupportPersonFactory(), expires_on=today(), threshold=30
        )


def _monthly_reports(n: int) -> None:
    for assignment in factories.AssignmentFactory.create_batch(n):
        factories.MonthlyReportFactory(assignment=assignment)


def _support_contacts(n: int) -> None:
    for assignment in factories.AssignmentFactory.create_batch(n):
        factories.SupportContactFactory(assignment=assignment)


BUILDERS: dict[type[Model], Callable[[int], None]] = {
    UndertakingVersion: _undertakings,
    UndertakingAcceptance: _acceptances,
    BackgroundCheck: _background_checks,
    Invitation: _invitations,
    BackgroundCheckNotice: _background_check_notices,
    Programme: _programmes,
    Locality: _localities,
    Language: _languages,
    Unit: _units,
    Client: _clients,
    Contact: _contacts,
    Consent: _consents,
    RiskMeasure: _risk_measures,
    RiskFollowUp: _risk_follow_ups,
    Deviation: _deviations,
    SupportPerson: _support_persons,
    StatusChange: _status_changes,
    RecruitmentStep: _recruitment_steps,
    TrainingEvent: _training_events,
    Registration: _registrations,
    CollaborationActivity: _collaboration_activities,
    SupportRequest: _requests,
    RequestPause: _request_pauses,
    Offer: _offers,
    MonthlyReport: _monthly_reports,
    SupportContact: _support_contacts,
    Assignment: _assignments,
    Decision: _decisions,
    DelegationItem: _delegation_items,
    SupportPersonChange: _support_person_changes,
    SatisfactionFollowUp: _satisfaction_follow_ups,
    CareEnd: _care_ends,
    DutyTemplate: _duty_templates,
    DutyCheck: _duty_checks,
    Flag: _flags,
    DigestLog: _digest_logs,
    TertialReport: _tertial_reports,
    ReportBatch: lambda n: [ReportBatch.objects.create(items=[], total=0) for _ in range(n)],
    Rate: _rates,
    Budget: _budgets,
    Payee: _payees,
    PaymentRun: _payment_runs,
    PaymentLine: _payment_lines,
}

# Queries for one changelist page, whatever the number of rows. Seven are the frame: session,
# user, the navigation's two role checks, the two counts and the page of rows (the session is
# written at most once a minute: stodperson/sessions.py). Each related-field filter adds one
# query for its choices, a date hierarchy two (its range, then its dates), a prefetch one,
# and a list that shows persons one more: the read log's INSERT (audit/admin.py).
QUERIES: dict[str, int] = {
    "flags.BackgroundCheckNotice": 11,
    "supportpersons.BackgroundCheck": 11,
    "supportpersons.Invitation": 8,
    "supportpersons.UndertakingAcceptance": 11,
    "supportpersons.UndertakingVersion": 8,
    "assignments.Assignment": 11,
    "assignments.Decision": 11,
    "supportpersons.DelegationItem": 8,
    "flags.DigestLog": 9,
    "duties.DutyCheck": 12,
    "duties.DutyTemplate": 8,
    "flags.Flag": 11,
    "assignments.SupportRequest": 12,
    "assignments.RequestPause": 11,
    "assignments.Offer": 11,
    "assignments.MonthlyReport": 11,
    "assignments.SupportContact": 11,
    "assignments.SatisfactionFollowUp": 11,
    "assignments.CareEnd": 8,
    "assignments.SupportPersonChange": 10,
    "clients.Client": 12,
    "clients.Consent": 11,
    "clients.Contact": 8,
    "clients.Deviation": 11,
    "clients.Language": 7,
    "clients.Locality": 7,
    "clients.Programme": 7,
    "clients.RiskMeasure": 11,
    "clients.RiskFollowUp": 10,
    "clients.Unit": 10,
    "payments.Budget": 9,
    "payments.Payee": 7,
    "payments.PaymentLine": 8,
    "payments.PaymentRun": 8,
    "payments.Rate": 10,
    "reports.TertialReport": 9,
    "reports.ReportBatch": 7,
    "supportpersons.CollaborationActivity": 10,
    "supportpersons.RecruitmentStep": 11,
    "supportpersons.Registration": 12,
    "supportpersons.StatusChange": 11,
    "supportpersons.SupportPerson": 12,
    "supportpersons.TrainingEvent": 11,
}


def _changelist(model: type[Model]) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _change(obj: Model) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.fixture
def superuser(db, django_user_model) -> AbstractBaseUser:
    return django_user_model.objects.create_superuser(
        "root", "root@example.se", factories.DEFAULT_PASSWORD
    )


@pytest.fixture
def as_superuser(superuser) -> HttpClient:
    http = HttpClient()
    http.force_login(superuser)
    return http


def _registered_models() -> list[type[Model]]:
    return sorted(
        (m for m in admin.site._registry if m._meta.app_label in APPS),
        key=lambda m: m._meta.label,
    )


def test_every_model_of_the_four_apps_is_registered_and_has_a_builder():
    models = {
        m
        for app in APPS
        for m in apps.get_app_config(app).get_models()
        if not m.__name__.startswith("Historical")
    }
    assert models - set(admin.site._registry) == set()
    assert models - set(BUILDERS) == set()


@pytest.mark.django_db
@pytest.mark.parametrize("model", _registered_models(), ids=lambda m: m._meta.label)
def test_the_changelist_and_the_forms_render(as_superuser, model):
    existing = model._default_manager.count()  # e.g. the programmes a migration creates
    BUILDERS[model](2)
    response = as_superuser.get(_changelist(model))
    assert response.status_code == 200
    assert response.context["cl"].result_count == existing + 2

    obj = model._default_manager.first()
    assert as_superuser.get(_change(obj)).status_code == 200
    if admin.site._registry[model].has_add_permission(response.wsgi_request):
        add = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        assert as_superuser.get(add).status_code == 200


def _count_queries(http: HttpClient, url: str, rows: int) -> int:
    http.get(url)  # warm up caches that fill once per process (content types, ...)
    with CaptureQueriesContext(connection) as queries:
        response = http.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == rows
    return len(queries.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("model", _registered_models(), ids=lambda m: m._meta.label)
def test_a_changelist_runs_the_same_number_of_queries_for_3_and_30_rows(as_superuser, model):
    url = _changelist(model)
    existing = model._default_manager.count()
    BUILDERS[model](3)
    few = _count_queries(as_superuser, url, existing + 3)
    BUILDERS[model](27)
    many = _count_queries(as_superuser, url, existing + 30)
    assert few == many
    assert many == QUERIES[model._meta.label]


@pytest.mark.django_db
def test_the_client_list_shows_the_masked_personnummer_not_the_whole_number(as_superuser):
    factories.ClientFactory(personnummer=VALID_PERSONNUMMER)
    content = as_superuser.get(_changelist(Client)).content.decode()
    assert "19121212-****" in content
    assert VALID_PERSONNUMMER not in content
    assert "1212-1212" not in content


@pytest.mark.django_db
def test_a_protected_client_is_a_placeholder_in_the_list(as_superuser):
    client = factories.ClientFactory(
        first_name="Hemlig",
        last_name="Hemligsson",
        protected_identity=ProtectedIdentity.FICTITIOUS_IDENTITY,
    )
    factories.FlagFactory(client=client)
    for model in (Client, Flag):
        content = as_superuser.get(_changelist(model)).content.decode()
        assert str(client.display_name) in content
        assert "Hemlig" not in content


@pytest.mark.django_db
@pytest.mark.parametrize("term", ["öberg", "ÖBERG", "åke öberg"])
def test_searching_a_client_folds_swedish_letters(as_superuser, world, term):
    response = as_superuser.get(_changelist(Client), {"q": term})
    assert list(response.context["cl"].result_list) == [world.client_a]


@pytest.mark.django_db
def test_searching_assignments_folds_the_client_name_too(as_superuser, world):
    response = as_superuser.get(_changelist(Assignment), {"q": "öberg"})
    assert list(response.context["cl"].result_list) == [world.assignment_a]


@pytest.mark.django_db
def test_a_whole_personnummer_finds_its_client_and_a_part_of_one_does_not(as_superuser, world):
    world.client_b.personnummer = VALID_PERSONNUMMER
    world.client_b.save()
    url = _changelist(Client)
    assert list(as_superuser.get(url, {"q": "191212121212"}).context["cl"].result_list) == [
        world.client_b
    ]
    assert list(as_superuser.get(url, {"q": "1212"}).context["cl"].result_list) == []


@pytest.mark.django_db
def test_the_client_form_stores_the_personnummer_in_its_long_form(superuser):
    request = RequestFactory().get("/")
    request.user = superuser
    form_class = admin.site._registry[Client].get_form(request)
    unit = factories.UnitFactory()
    data = {
        "unit": unit.pk,
        "first_name": "Nils",
        "last_name": "Nilsson",
        "personnummer": "121212+1212",  # '+': a hundred years or more
        "protected_identity": ProtectedIdentity.NONE,
        "started_on": "2026-01-01",
    }
    form = form_class(data=data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["personnummer"] == VALID_PERSONNUMMER

    form = form_class(data={**data, "personnummer": "121212+1213"})
    assert not form.is_valid()
    assert "personnummer" in form.errors


def _assignment_data(client: Client, support_person: SupportPerson) -> dict[str, object]:
    return {
        "client": client.pk,
        "support_person": support_person.pk,
        "request": "",
        "started_on": "2026-02-02",
        "ended_on": "",
        "end_reason": "",
        "decided_by": "",
        "decided_at_0": "2026-02-02",
        "decided_at_1": "10:00:00",
    }


@pytest.mark.django_db
def test_a_second_active_assignment_is_a_form_error_not_a_server_error(as_superuser, world):
    url = reverse("admin:assignments_assignment_add")
    response = as_superuser.post(url, _assignment_data(world.client_a, world.sp_without_client))
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert str(Assignment._meta.constraints[0].violation_error_message) in errors
    assert Assignment.objects.filter(client=world.client_a).count() == 1

    # The client without a support person gets one through the same form.
    response = as_superuser.post(url, _assignment_data(world.client_a2, world.sp_without_client))
    assert response.status_code == 302
    assert world.client_a2.assignments.get().support_person == world.sp_without_client


@pytest.mark.django_db
def test_assignments_are_never_deleted_in_the_admin(as_superuser, world):
    url = reverse("admin:assignments_assignment_delete", args=[world.assignment_a.pk])
    assert as_superuser.post(url, {"post": "yes"}).status_code == 403
    assert Assignment.objects.filter(pk=world.assignment_a.pk).exists()


def _request_data(request: SupportRequest, pauses: list[dict[str, object]]) -> dict[str, object]:
    data: dict[str, object] = {
        "client": request.client_id,
        "received_at_0": "2026-01-05",
        "received_at_1": "09:00:00",
        "source": SupportRequest.Source.PATIENT,
        "wished_gender": "",
        "wished_language": "",
        "note": "",
        "withdrawn_at_0": "",
        "withdrawn_at_1": "",
        "late_reason": "",
        "registered_by": "",
        "pauses-TOTAL_FORMS": len(pauses),
        "pauses-INITIAL_FORMS": 0,
        "pauses-MIN_NUM_FORMS": 0,
        "pauses-MAX_NUM_FORMS": 1000,
    }
    for i, pause in enumerate(pauses):
        data.update({f"pauses-{i}-{key}": value for key, value in pause.items()})
        data[f"pauses-{i}-request"] = request.pk
    return data


@pytest.mark.django_db
def test_two_open_pauses_on_a_request_are_a_form_error(as_superuser, world):
    request = factories.RequestFactory(client=world.client_a2)
    url = _change(request)
    open_pause = {"started_on": "2026-01-06", "ended_on": "", "reason": "Kan inte ta ställning"}
    response = as_superuser.post(url, _request_data(request, [open_pause, open_pause]))
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert not request.pauses.exists()

    closed = {**open_pause, "ended_on": "2026-01-08"}
    response = as_superuser.post(url, _request_data(request, [closed, open_pause]))
    assert response.status_code == 302
    assert request.pauses.count() == 2


@pytest.mark.django_db
def test_a_flag_cannot_be_added_nor_its_kind_target_or_raised_time_changed(as_superuser, world):
    assert as_superuser.get(reverse("admin:flags_flag_add")).status_code == 403
    flag = factories.FlagFactory(client=world.client_a2)
    raised_at = flag.raised_at
    response = as_superuser.post(
        _change(flag),
        {
            "kind": Flag.Kind.PLAN_OVERDUE,
            "target_id": 999,
            "raised_at_0": "2000-01-01",
            "raised_at_1": "00:00:00",
            "detail": "Granskad",
            "notified_at_0": "",
            "notified_at_1": "",
            "resolved_at_0": "",
            "resolved_at_1": "",
        },
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert (flag.kind, flag.target_id, flag.raised_at) == (
        Flag.Kind.NO_SUPPORT_PERSON,
        world.client_a2.pk,
        raised_at,
    )
    assert flag.detail == "Granskad"


@pytest.mark.django_db
def test_reopening_a_flag_while_another_is_open_is_a_form_error(as_superuser, world):
    old = factories.FlagFactory(client=world.client_a2, resolved_at=timezone.now())
    factories.FlagFactory(client=world.client_a2)
    response = as_superuser.post(
        _change(old),
        {
            "detail": "",
            "notified_at_0": "",
            "notified_at_1": "",
            "resolved_at_0": "",
            "resolved_at_1": "",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    old.refresh_from_db()
    assert old.resolved_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"), [({"state": "open"}, ["open"]), ({"state": "resolved"}, ["resolved"])]
)
def test_flags_filter_by_open_or_resolved(as_superuser, world, query, expected):
    factories.FlagFactory(client=world.client_a2, detail="open")
    factories.FlagFactory(client=world.client_b, detail="resolved", resolved_at=timezone.now())
    response = as_superuser.get(_changelist(Flag), query)
    assert [f.detail for f in response.context["cl"].result_list] == expected


@pytest.mark.django_db
def test_a_final_tertial_report_cannot_be_changed_or_deleted(as_superuser):
    report = factories.TertialReportFactory(
        status=TertialReport.Status.FINAL,
        finalised_at=timezone.now(),
        activities_text="Fastställd text",
    )
    response = as_superuser.get(_change(report))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="activities_text"' not in response.content.decode()

    response = as_superuser.post(_change(report), {"activities_text": "Ändrad"})
    assert response.status_code == 403
    delete = reverse("admin:reports_tertialreport_delete", args=[report.pk])
    assert as_superuser.post(delete, {"post": "yes"}).status_code == 403
    report.refresh_from_db()
    assert report.activities_text == "Fastställd text"


@pytest.mark.django_db
def test_a_draft_tertial_report_can_be_changed(as_superuser):
    report = factories.TertialReportFactory()
    response = as_superuser.post(
        _change(report),
        {
            "programme": report.programme_id,
            "year": report.year,
            "tertial": report.tertial,
            "activities_text": "Utkast",
            "support_persons_text": "",
            "assignments_text": "",
            "planned_actions_text": "",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.activities_text == "Utkast"
    assert report.status == TertialReport.Status.DRAFT


@pytest.mark.django_db
def test_duty_templates_are_listed_by_programme_and_order_and_edited_in_the_list(as_superuser):
    programme = factories.ProgrammeFactory()
    second = factories.DutyTemplateFactory(programme=programme, order=2)
    first = factories.DutyTemplateFactory(programme=programme, order=1)
    url = _changelist(DutyTemplate)
    response = as_superuser.get(url, {"programme__id__exact": programme.pk})
    assert list(response.context["cl"].result_list) == [first, second]

    response = as_superuser.post(
        url + f"?programme__id__exact={programme.pk}",
        {
            "form-TOTAL_FORMS": 2,
            "form-INITIAL_FORMS": 2,
            "form-MIN_NUM_FORMS": 0,
            "form-MAX_NUM_FORMS": 1000,
            "form-0-id": first.pk,
            "form-0-order": 3,
            "form-0-is_active": "on",
            "form-1-id": second.pk,
            "form-1-order": 2,
            "_save": "Spara",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.order, first.is_active) == (3, True)
    assert (second.order, second.is_active) == (2, False)


@pytest.mark.django_db
def test_the_client_history_page_renders(as_superuser, world):
    url = reverse("admin:clients_client_history", args=[world.client_a.pk])
    assert as_superuser.get(url).status_code == 200


@pytest.mark.django_db
def test_a_user_who_is_not_staff_is_sent_to_the_admin_login(as_admin):
    # An administrator of the register is not, by that, a user of the Django admin.
    for url in (reverse("admin:index"), _changelist(Client)):
        response = as_admin.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
