"""Personas shared by the whole suite (house-style.md, "Tests").

- an administrator;
- the manager of unit A and the manager of unit B;
- a support person with a client in unit A, and one without any client.
"""

from __future__ import annotations

from dataclasses import dataclass

import factory.random
import pytest
from django.contrib.auth.models import Group
from django.test import Client as HttpClient

from assignments.models import Assignment
from clients.models import Client, Unit
from stodperson.roles import ADMINISTRATORS_GROUP
from supportpersons.models import SupportPerson

from . import factories
from .factories import DEFAULT_PASSWORD


@pytest.fixture(autouse=True)
def _same_names_every_run():
    """Faker's names are drawn from a fixed seed, so a run can be repeated exactly."""
    factory.random.reseed_random("stodperson")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _mail_in_outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _receipts_in_tmp(settings, tmp_path):
    """Receipts of the volunteers' expenses go to the test's own folder, never var/."""
    settings.RECEIPTS_ROOT = tmp_path / "receipts"


@pytest.fixture(autouse=True)
def _celery_eager(settings):
    """Tasks run in the test's own process; the one integration test turns this off to use
    a real worker. Celery reads the Django settings at each use, so this reaches the app."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


@dataclass
class World:
    """Two units of the personal-assistance programme and the people around them."""

    unit_a: Unit
    unit_b: Unit
    client_a: Client  # in unit A, with support person `sp_with_client`
    client_a2: Client  # in unit A, without a support person
    client_b: Client  # in unit B
    sp_with_client: SupportPerson
    sp_without_client: SupportPerson
    assignment_a: Assignment


@pytest.fixture
def admin_user(db):
    user = factories.UserFactory(username="admin", first_name="Åsa", last_name="Admin")
    factories.ensure_migrated_data()
    user.groups.add(Group.objects.get(name=ADMINISTRATORS_GROUP))
    return user


@pytest.fixture
def manager_a(db):
    return factories.UserFactory(username="chef_a", first_name="Anna", last_name="Chef")


@pytest.fixture
def manager_b(db):
    return factories.UserFactory(username="chef_b", first_name="Björn", last_name="Chef")


@pytest.fixture
def sp_user(db):
    return factories.UserFactory(username="stod_med", first_name="Sara", last_name="Stöd")


@pytest.fixture
def sp_user_without_client(db):
    return factories.UserFactory(username="stod_utan", first_name="Olle", last_name="Utan")


@pytest.fixture
def world(db, manager_a, manager_b, sp_user, sp_user_without_client) -> World:
    unit_a = factories.UnitFactory(name="Enhet A", managers=[manager_a])
    unit_b = factories.UnitFactory(name="Enhet B", managers=[manager_b])
    client_a = factories.ClientFactory(unit=unit_a, first_name="Åke", last_name="Öberg")
    client_a2 = factories.ClientFactory(unit=unit_a, first_name="Lena", last_name="Ek")
    client_b = factories.ClientFactory(unit=unit_b, first_name="Bo", last_name="Berg")
    sp_with = factories.SupportPersonFactory(user=sp_user, unit=unit_a)
    sp_without = factories.SupportPersonFactory(user=sp_user_without_client, unit=unit_a)
    assignment = factories.AssignmentFactory(client=client_a, support_person=sp_with)
    return World(
        unit_a=unit_a,
        unit_b=unit_b,
        client_a=client_a,
        client_a2=client_a2,
        client_b=client_b,
        sp_with_client=sp_with,
        sp_without_client=sp_without,
        assignment_a=assignment,
    )


def _logged_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.fixture
def as_admin(admin_user) -> HttpClient:
    return _logged_in(admin_user)


@pytest.fixture
def as_manager_a(world, manager_a) -> HttpClient:
    return _logged_in(manager_a)


@pytest.fixture
def as_manager_b(world, manager_b) -> HttpClient:
    return _logged_in(manager_b)


@pytest.fixture
def as_support_person(world, sp_user) -> HttpClient:
    return _logged_in(sp_user)


@pytest.fixture
def as_support_person_without_client(world, sp_user_without_client) -> HttpClient:
    return _logged_in(sp_user_without_client)


__all__ = ["DEFAULT_PASSWORD", "World"]
