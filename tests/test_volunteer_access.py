"""The access matrix of the patient committee's volunteers (issue 16): two volunteers, each
of whom reaches only their own. The volunteer's pages take no id of a person, so "their own"
is what each page shows and changes; the records with an id (training events, clients,
support persons, flags) answer 404 out of reach and 403 out of role, as everywhere.

The main matrix (test_access_matrix.py) has a row for every volunteer URL as the other
personas see it; the branches of issue 16 that add volunteer URLs add rows here too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from flags.volunteer_checks import check_background_check
from stodperson.dates import add_months
from supportpersons.models import Registration
from tests import factories, volunteers
from tests.test_write_matrix import database_state

pytestmark = pytest.mark.django_db

VOLUNTEERS = ["vol_a", "vol_b"]


@dataclass
class Pair:
    """Vera (vol_a) in Umeå with a patient and a registration; Olof (vol_b) in Lycksele
    with his own patient, and a background check about to run out."""

    vera: Any
    olof: Any
    patient_a: Any
    patient_b: Any
    event_a: Any
    registration_a: Any


@pytest.fixture
def pair() -> Pair:
    today = timezone.localdate()
    vera = volunteers.volunteer("vera", locality=factories.LocalityFactory(name="Umeå"))
    olof = volunteers.volunteer("olof", locality=factories.LocalityFactory(name="Lycksele"))
    months = olof.programme.background_check_valid_months
    olof.recruitment_steps.update(on=add_months(today + dt.timedelta(days=5), -months))
    patient_a = factories.ClientFactory(unit=volunteers.ward("Avdelning A"))
    patient_b = factories.ClientFactory(unit=volunteers.ward("Avdelning B"))
    factories.AssignmentFactory(client=patient_a, support_person=vera)
    factories.AssignmentFactory(client=patient_b, support_person=olof)
    event_a = factories.TrainingEventFactory(
        programme=vera.programme, locality=vera.locality, on=today + dt.timedelta(days=7)
    )
    registration_a = Registration.objects.create(
        event=event_a, support_person=vera, registered_on=today
    )
    check_background_check(today)
    return Pair(vera, olof, patient_a, patient_b, event_a, registration_a)


def _http(pair: Pair, persona: str) -> HttpClient:
    http = HttpClient()
    http.force_login((pair.vera if persona == "vol_a" else pair.olof).user)
    return http


@dataclass(frozen=True)
class VRow:
    name: str
    args: Callable[[Pair], dict[str, Any]]
    expected: dict[str, int]
    note: str = ""


NO_ARGS: Callable[[Pair], dict[str, Any]] = lambda p: {}  # noqa: E731
BOTH = {"vol_a": 200, "vol_b": 200}

READ_ROWS = [
    VRow("overview:volunteer_home", NO_ARGS, BOTH),
    VRow("supportpersons:undertaking", NO_ARGS, BOTH),
    VRow("supportpersons:volunteer_details", NO_ARGS, BOTH),
    VRow("overview:my_clients", NO_ARGS, {"vol_a": 302, "vol_b": 302}, "sent to their home"),
    VRow("overview:client", lambda p: {"pk": p.patient_a.pk}, {"vol_a": 200, "vol_b": 404}),
    VRow("overview:client", lambda p: {"pk": p.patient_b.pk}, {"vol_a": 404, "vol_b": 200}),
    VRow("supportpersons:detail", lambda p: {"pk": p.vera.pk}, {"vol_a": 403, "vol_b": 403}),
    VRow("supportpersons:event", lambda p: {"pk": p.event_a.pk}, {"vol_a": 403, "vol_b": 403}),
    VRow("overview:dashboard", NO_ARGS, {"vol_a": 403, "vol_b": 403}),
]

WRITE_ROWS = [
    VRow(
        "supportpersons:volunteer_event_register",
        lambda p: {"pk": p.event_a.pk},
        {"vol_a": 302, "vol_b": 404},
        "Umeå's event: out of Olof's reach",
    ),
    VRow(
        "supportpersons:volunteer_event_unregister",
        lambda p: {"pk": p.event_a.pk},
        {"vol_a": 302, "vol_b": 404},
        "Vera's registration",
    ),
    VRow(
        "supportpersons:background_check_new",
        lambda p: {"pk": p.vera.pk},
        {"vol_a": 403, "vol_b": 403},
    ),
    VRow("supportpersons:invite", lambda p: {"pk": p.olof.pk}, {"vol_a": 403, "vol_b": 403}),
]


def _id(row: VRow) -> str:
    return f"{row.name}{'-' + row.note if row.note else ''}"


@pytest.mark.parametrize("row", READ_ROWS, ids=_id)
def test_each_volunteer_gets_the_expected_answer(row: VRow, pair):
    url = reverse(row.name, kwargs=row.args(pair))
    answers = {v: _http(pair, v).get(url).status_code for v in VOLUNTEERS}
    assert answers == row.expected, url


@pytest.mark.parametrize("row", WRITE_ROWS, ids=_id)
def test_a_refused_post_changes_nothing(row: VRow, pair):
    url = reverse(row.name, kwargs=row.args(pair))
    answers = {}
    for volunteer in VOLUNTEERS:
        http = _http(pair, volunteer)  # the login writes: before the comparison
        with transaction.atomic():
            before = database_state()
            answers[volunteer] = answer = http.post(url).status_code
            after = database_state()
            transaction.set_rollback(True)
        if answer in (403, 404):
            assert after == before, f"a refused post changed the database: {url} {volunteer}"
    assert answers == row.expected, url


def test_each_home_shows_only_its_own(pair):
    vera_page = _http(pair, "vol_a").get(reverse("overview:volunteer_home")).content.decode()
    olof_page = _http(pair, "vol_b").get(reverse("overview:volunteer_home")).content.decode()
    assert pair.patient_a.full_name in vera_page and pair.patient_b.full_name not in vera_page
    assert pair.patient_b.full_name in olof_page and pair.patient_a.full_name not in olof_page
    assert "Avdelning B" not in vera_page and "Avdelning A" not in olof_page
    assert pair.event_a.title in vera_page and pair.event_a.title not in olof_page
    assert 'data-testid="check-warning"' in olof_page
    assert 'data-testid="check-warning"' not in vera_page


def test_a_volunteer_changes_only_their_own_details(pair):
    http = _http(pair, "vol_b")
    version = (
        http.get(reverse("supportpersons:volunteer_details")).context["form"].initial["version"]
    )
    http.post(
        reverse("supportpersons:volunteer_details"),
        {"phone": "070-999", "email": "olof@example.se", "version": version},
    )
    pair.vera.refresh_from_db()
    pair.olof.refresh_from_db()
    assert (pair.olof.phone, pair.vera.phone) == ("070-999", "")


def test_a_volunteer_never_sees_the_offices_flag_on_themself(pair):
    page = _http(pair, "vol_b").get(reverse("flags:list")).content.decode()
    assert pair.olof.full_name not in page
