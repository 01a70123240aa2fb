"""Every page each persona may open, taken from the access matrix (tests/test_access_matrix.py).

The matrix holds every URL of the application with its arguments and the answer each persona
gets (a URL without a row fails that suite), so the tests that walk every page (the Swedish
text, the phone width, axe) need no list of their own: a page is a row the persona gets a 200
for, and an HTML page is one whose answer is text/html (not a PDF, a CSV or the health check).

`furnish` adds to the matrix's world the records that make each page show rows: flags,
a consent, a risk measure, a deviation, a contact, requests (open, paused, answered,
withdrawn), duty checks, registrations, a collaboration activity and a report with figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from flags.models import Flag
from reports import services as report_services
from stodperson.tertials import Tertial
from supportpersons.models import RecruitmentStep, StatusChange, SupportPerson
from tests import factories
from tests.test_access_matrix import PERSONAS, ROWS

__all__ = ["PERSONAS", "furnish", "html_pages", "page_urls"]


def page_urls(persona: str, world: Any) -> list[str]:
    """The URLs of the matrix's rows that answer this persona with a 200, each once."""
    urls: list[str] = []
    for row in ROWS:
        if row.expected[persona] == 200:
            url = reverse(row.name, kwargs=row.args(world))
            if url not in urls:
                urls.append(url)
    return urls


def html_pages(persona: str, world: Any, http: HttpClient) -> Iterator[tuple[str, HttpResponse]]:
    """The pages among them, each with its answer: those answered with HTML (files and the
    health check are not pages)."""
    for url in page_urls(persona, world):
        response = http.get(url)
        if response.get("Content-Type", "").startswith("text/html"):
            yield url, response


def furnish(world: Any, *, admin: User) -> None:
    """Records for every page to show rows. `world` is the matrix's (after `http_as`)."""
    now = timezone.now()
    today = timezone.localdate()
    client_a, client_a2, client_b = world.client_a, world.client_a2, world.client_b

    # The client page: contacts, consents, risk measures, deviations.
    factories.ContactFactory(client=client_a)
    factories.ConsentFactory(client=client_a)
    factories.RiskMeasureFactory(client=client_a)
    factories.DeviationFactory(client=client_a)

    # Requests: open (the matrix's, for client A2), answered, paused and withdrawn.
    answered = factories.RequestFactory(client=client_a, received_at=now - dt.timedelta(days=410))
    world.assignment_a.request = answered
    world.assignment_a.save(update_fields=["request"])
    factories.RequestPauseFactory(request=world.request, started_on=today, ended_on=today)
    paused = factories.RequestFactory(client=client_b, received_at=now - dt.timedelta(days=20))
    factories.RequestPauseFactory(request=paused, started_on=today - dt.timedelta(days=3))
    factories.RequestFactory(
        client=client_b,
        received_at=now - dt.timedelta(days=60),
        withdrawn_at=now - dt.timedelta(days=50),
        withdrawal_reason="Klienten har skrivits ut",
        registered_by=admin,
    )

    # The checklist: one duty done last month.
    documentation = world.documentation
    factories.DutyCheckFactory(
        assignment=world.assignment_a,
        template=documentation,
        done_on=today - dt.timedelta(days=35),
        by=world.sp_with_client.user,
        note="Journalanteckning skriven",
    )

    # Flags for the managers and the support person.
    factories.FlagFactory(client=client_a2, kind=Flag.Kind.NO_SUPPORT_PERSON)
    factories.FlagFactory(
        client=client_a,
        kind=Flag.Kind.DOCUMENTATION_MISSING,
        target_id=world.assignment_a.pk,
    )
    factories.FlagFactory(client=client_b, kind=Flag.Kind.REQUEST_LATE, target_id=paused.pk)

    # A support person's history: recruitment and a pause that ended.
    person = world.sp_with_client
    for step in (RecruitmentStep.Step.INTERVIEW, RecruitmentStep.Step.APPROVED):
        RecruitmentStep.objects.create(
            support_person=person,
            step=step,
            on=person.recruited_on,
            outcome=RecruitmentStep.Outcome.PASSED,
            by=admin,
        )
    for status, days_ago in ((SupportPerson.Status.PAUSED, 90), (SupportPerson.Status.ACTIVE, 60)):
        StatusChange.objects.create(
            support_person=person,
            status=status,
            on=today - dt.timedelta(days=days_ago),
            reason="Föräldraledighet" if status == SupportPerson.Status.PAUSED else "",
            by=admin,
        )

    # Training and collaboration.
    for _ in range(2):
        factories.RegistrationFactory(event=world.event)
    factories.TrainingEventFactory(
        title="Grundutbildning", on=today + dt.timedelta(days=14), min_registrations=3
    )
    held = factories.TrainingEventFactory(
        title="Introduktionsutbildning", on=today - dt.timedelta(days=10), status="held"
    )
    factories.RegistrationFactory(event=held, attended=True)
    factories.CollaborationActivityFactory()

    # A report with figures, of the last tertial that has ended.
    last = Tertial.of(today).previous()
    world.report = report_services.report_create(
        programme=client_a.unit.programme, year=last.year, tertial=last.number, by=admin
    )
