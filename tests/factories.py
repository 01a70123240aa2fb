"""factory_boy factories for the register's models."""

from __future__ import annotations

import datetime as dt
import functools
import importlib

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from assignments.models import Assignment, RequestPause, SupportRequest
from clients.models import (
    Client,
    Consent,
    Contact,
    Deviation,
    Gender,
    Language,
    Locality,
    Programme,
    RiskMeasure,
    Unit,
)
from duties.models import DutyCheck, DutyTemplate
from flags.models import Flag
from reports.models import TertialReport
from supportpersons.models import CollaborationActivity, Registration, SupportPerson, TrainingEvent

DEFAULT_PASSWORD = "test-lösenord-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.se")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Verksamhet {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    kind = Programme.Kind.PERSONAL_ASSISTANCE


def ensure_migrated_data() -> None:
    """Run the data migrations again: a transactional test (live_server) flushes the
    tables after it, taking the migrations' rows with it."""
    for app, name in (
        ("clients", "0002_administrators_group"),
        ("assignments", "0002_default_programmes_and_duties"),
    ):
        module = importlib.import_module(f"{app}.migrations.{name}")
        module.create(_migration_state_apps(app, name), None)


@functools.cache
def _migration_state_apps(app: str, name: str):
    """The models as the migration saw them (the duty templates were in assignments then)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    # The clients' tables as they are now: a programme's rules added since (with defaults
    # in Python only) would otherwise be inserted as NULL. Clients stand before
    # assignments, so their latest state does not pull assignments forward.
    latest_clients = [node for node in loader.graph.leaf_nodes() if node[0] == "clients"]
    return loader.project_state([(app, name), *latest_clients]).apps


def lss_programme() -> Programme:
    """The personal-assistance programme the data migration creates, with its 12 duties."""
    if not Programme.objects.filter(slug="personlig-assistans").exists():
        ensure_migrated_data()
    return Programme.objects.get(slug="personlig-assistans")


def patient_committee_programme() -> Programme:
    if not Programme.objects.filter(slug="patientnamnden").exists():
        ensure_migrated_data()
    return Programme.objects.get(slug="patientnamnden")


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality
        django_get_or_create = ("name",)

    name = factory.Iterator(["Umeå", "Skellefteå", "Lycksele"])


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("name",)

    name = "Svenska"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        skip_postgeneration_save = True

    programme = factory.LazyFunction(lss_programme)
    name = factory.Sequence(lambda n: f"Enhet {n}")
    locality = factory.SubFactory(LocalityFactory)

    @factory.post_generation
    def managers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.managers.add(*extracted)


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    unit = factory.SubFactory(UnitFactory)
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    started_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=400))


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    client = factory.SubFactory(ClientFactory)
    role = Contact.Role.GOOD_MAN
    name = factory.Faker("name", locale="sv_SE")
    phone = "070-123 45 67"


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    client = factory.SubFactory(ClientFactory)
    purpose = "Samverkan med hälso- och sjukvården"
    given_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=100))
    review_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=200))


class RiskMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskMeasure

    client = factory.SubFactory(ClientFactory)
    kind = RiskMeasure.Kind.RISK_ASSESSMENT
    description = "Fallrisk vid förflyttning"
    decided_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))
    follow_up_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=120))


class DeviationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deviation

    client = factory.SubFactory(ClientFactory)
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=5))
    description = "Utebliven insats"


class SupportPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportPerson

    programme = factory.LazyFunction(lss_programme)
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    gender = Gender.WOMAN
    birth_year = 1980
    locality = factory.SubFactory(LocalityFactory)
    status = SupportPerson.Status.ACTIVE
    recruited_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=700))
    capacity = 3


class RequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportRequest

    client = factory.SubFactory(ClientFactory)
    received_at = factory.LazyFunction(timezone.now)
    source = SupportRequest.Source.PATIENT


class RequestPauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequestPause

    request = factory.SubFactory(RequestFactory)
    started_on = factory.LazyFunction(timezone.localdate)
    reason = "Patienten kan inte ta ställning på grund av sitt hälsotillstånd"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    client = factory.SubFactory(ClientFactory)
    support_person = factory.SubFactory(
        SupportPersonFactory, programme=factory.SelfAttribute("..client.unit.programme")
    )
    started_on = factory.LazyAttribute(lambda a: a.client.started_on)


class DutyTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DutyTemplate

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Uppgift {n}")
    interval_months = 1


class DutyCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DutyCheck

    assignment = factory.SubFactory(AssignmentFactory)
    template = factory.LazyAttribute(
        lambda c: c.assignment.client.unit.programme.duty_templates.first()
    )
    done_on = factory.LazyFunction(timezone.localdate)


class FlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Flag

    kind = Flag.Kind.NO_SUPPORT_PERSON
    client = factory.SubFactory(ClientFactory)
    target_id = factory.LazyAttribute(lambda f: f.client.pk)


class TrainingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingEvent

    programme = factory.LazyFunction(patient_committee_programme)
    kind = TrainingEvent.Kind.EVENING_MEETING
    title = "Kvällsmöte"
    locality = factory.SubFactory(LocalityFactory)
    on = factory.LazyFunction(timezone.localdate)
    min_registrations = 5


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(TrainingEventFactory)
    support_person = factory.SubFactory(
        SupportPersonFactory, programme=factory.SelfAttribute("..event.programme")
    )
    registered_on = factory.LazyAttribute(lambda r: r.event.on - dt.timedelta(days=7))


class CollaborationActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollaborationActivity

    programme = factory.LazyFunction(patient_committee_programme)
    on = factory.LazyFunction(timezone.localdate)
    forum = "Myndighetssamverkan"


class TertialReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TertialReport

    programme = factory.LazyFunction(patient_committee_programme)
    year = 2022
    tertial = 3
