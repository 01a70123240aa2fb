"""Every URL, as every persona, with records in and out of reach, against one table.

The table below is the access policy of the application in one place. A URL added to the
URL configuration without a row here makes `test_every_url_has_an_expectation` fail, so
nobody adds a page without deciding who may see it.

Codes: 200 shown; 302 sent to the login page (anonymous) or onwards; 403 out of role;
404 out of reach (or does not exist), so nobody learns that a record exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from assignments.models import Offer
from reports.models import ReportBatch
from supportpersons.models import Matter
from tests import factories

PERSONAS = ["anonymous", "admin", "manager_a", "manager_b", "sp_with", "sp_without"]


@dataclass(frozen=True)
class Row:
    """One URL with one set of arguments, and the answer each persona gets to a GET."""

    name: str
    args: Callable[[Any], dict[str, int]]
    expected: dict[str, int]
    note: str = ""


def everyone(code: int, **overrides: int) -> dict[str, int]:
    answers = {persona: code for persona in PERSONAS if persona != "anonymous"}
    answers["anonymous"] = 302
    answers.update(overrides)
    return answers


NO_ARGS: Callable[[Any], dict[str, int]] = lambda w: {}  # noqa: E731
MANAGERS_ONLY = everyone(200, sp_with=403, sp_without=403)
ADMIN_ONLY = everyone(403, admin=200)
# POST-only: a GET is refused (405) before anything else, which tells nobody anything.
POST_ONLY = everyone(405, anonymous=405)

RECORD_ACTORS = everyone(200, admin=403, manager_b=404, sp_without=404)
RECORD_ACTIONS = [
    ("consent_renew", "consent_a"),
    ("consent_withdraw", "consent_a"),
    ("risk_follow_up", "measure_a"),
    ("risk_end", "measure_a"),
    ("contact_edit", "contact_a"),
    ("contact_end", "contact_a"),
]
# The volunteer's contacts (issue #16): sp_with's own assignment; sp_without is the second
# volunteer, who reaches none of it (404); the office's roles have no such pages (403).
VOLUNTEER_OWN = everyone(403, sp_with=200, sp_without=404)
MONTH: Callable[[Any], dict[str, int]] = lambda w: {  # noqa: E731
    "pk": w.assignment_a.pk,
    "year": w.contact.on.year,
    "month": w.contact.on.month,
}

UNREGISTER: Callable[[Any], dict[str, int]] = lambda w: {  # noqa: E731
    "pk": w.event.pk,
    "registration_pk": w.registration.pk,
}

OFFER: Callable[[Any], dict[str, int]] = lambda w: {  # noqa: E731
    "pk": w.pc_request.pk,
    "offer_pk": w.offer.pk,
}


def patient(w: Any) -> dict[str, int]:
    """A patient of the committee, with a support person: the end of compulsory care is
    recorded for such a patient only. Made once per world. The unit has no manager here (a
    manager of it would see the committee's pool, which other rows keep out of reach);
    tests/assignments/test_care_end.py has a unit manager record it."""
    if not hasattr(w, "patient"):
        unit = factories.UnitFactory(
            programme=factories.patient_committee_programme(), name="Psykiatri A"
        )
        w.patient = factories.ClientFactory(unit=unit, legal_basis="lpt")
        w.patient_assignment = factories.AssignmentFactory(client=w.patient)
    return {"pk": w.patient.pk}


ROWS: list[Row] = [
    Row("home", NO_ARGS, everyone(302, sp_without=302), "each role is sent to its start page"),
    Row("login", NO_ARGS, everyone(200, anonymous=200)),
    Row("health", NO_ARGS, everyone(200, anonymous=200), "says only ok"),
    # Two-factor login: nobody here has a device, so the code page sends everyone onwards.
    Row("two_factor_verify", NO_ARGS, everyone(302), "no code owed"),
    Row("two_factor_setup", NO_ARGS, ADMIN_ONLY),
    # Single sign-on is off by default (tests/accounts/test_sso.py turns it on).
    Row("oidc_authentication_init", NO_ARGS, everyone(404, anonymous=404), "SSO off"),
    Row("oidc_authentication_callback", NO_ARGS, everyone(404, anonymous=404), "SSO off"),
    # The admin's login form (our login page instead while local passwords are off); the
    # personas are not staff, so each is shown the form.
    Row("admin_login", NO_ARGS, everyone(200, anonymous=200)),
    Row("overview:dashboard", NO_ARGS, MANAGERS_ONLY),
    Row("overview:clients", NO_ARGS, everyone(200)),
    Row("overview:my_clients", NO_ARGS, everyone(403, sp_with=200, sp_without=200)),
    Row("flags:list", NO_ARGS, everyone(200)),
    # The client page: client A is in unit A, assigned to sp_with.
    Row(
        "overview:client",
        lambda w: {"pk": w.client_a.pk},
        everyone(200, manager_b=404, sp_without=404),
    ),
    Row(
        "overview:client",
        lambda w: {"pk": w.client_b.pk},
        everyone(404, admin=200, manager_b=200),
        "out of reach of unit A's people",
    ),
    Row(
        "overview:client",
        lambda w: {"pk": 987654},
        everyone(404),
        "does not exist",
    ),
    # A client's life in the register: the unit manager's and the administrators'.
    *[
        Row(
            f"overview:client_{name}",
            lambda w: {"pk": w.client_a.pk},
            everyone(403, admin=200, manager_a=200, manager_b=404),
        )
        for name in ("edit", "move", "end")
    ],
    Row(
        "overview:client_edit",
        lambda w: {"pk": w.client_b.pk},
        everyone(403, admin=200, manager_b=200, manager_a=404),
        "unit B's client",
    ),
    Row(
        "overview:client_end",
        lambda w: {"pk": 987654},
        everyone(403, admin=404, manager_a=404, manager_b=404),
        "missing",
    ),
    Row(
        "assignments:assign",
        lambda w: {"pk": w.client_a2.pk},
        everyone(403, admin=200, manager_a=200, manager_b=404),
    ),
    Row(
        "assignments:change",
        lambda w: {"pk": w.client_a.pk},
        everyone(403, admin=200, manager_a=200, manager_b=404),
    ),
    Row(
        "assignments:satisfaction",
        lambda w: {"pk": w.client_a.pk},
        everyone(403, admin=200, manager_a=200, manager_b=404),
    ),
    Row(
        "assignments:deactivate",
        lambda w: {"pk": w.sp_with_client.pk},
        everyone(403, admin=200, manager_a=200, manager_b=404),
        "unit A's assistant: out of manager B's reach",
    ),
    Row(
        "duties:checklist",
        lambda w: {"pk": w.assignment_a.pk},
        everyone(200, manager_b=404, sp_without=404),
    ),
    # POST-only: a GET is refused (405) by whoever may post, after the role check.
    Row(
        "duties:tick",
        lambda w: {"pk": w.assignment_a.pk, "template_pk": w.documentation.pk},
        POST_ONLY,
        "POST only",
    ),
    Row(
        "duties:withdraw",
        lambda w: {"pk": w.assignment_a.pk, "check_pk": 1},
        POST_ONLY,
        "POST only",
    ),
    Row(
        "assignments:release",
        lambda w: {"pk": w.assignment_a.pk},
        everyone(403, admin=200, manager_a=200, manager_b=404),
    ),
    # The end of compulsory care: the release's people, for patients of the committee only.
    Row(
        "assignments:care_end",
        patient,
        everyone(403, admin=200, manager_a=404, manager_b=404),
    ),
    Row(
        "assignments:care_end",
        lambda w: {"pk": w.client_a.pk},
        everyone(403, admin=404, manager_a=404, manager_b=404),
        "not a patient of the committee",
    ),
    # Requests and appointments: the administrators' work.
    Row("assignments:requests", NO_ARGS, ADMIN_ONLY),
    Row("assignments:request_new", NO_ARGS, ADMIN_ONLY),
    Row("assignments:request", lambda w: {"pk": w.request.pk}, ADMIN_ONLY),
    Row("assignments:request", lambda w: {"pk": 987654}, everyone(403, admin=404), "missing"),
    Row("assignments:request_appoint", lambda w: {"pk": w.request.pk}, ADMIN_ONLY),
    *[
        Row(f"assignments:request_{action}", lambda w: {"pk": w.request.pk}, POST_ONLY, "POST")
        for action in ("pause", "resume")
    ],
    # Withdrawing asks for a confirmation on its own page first.
    Row("assignments:request_withdraw", lambda w: {"pk": w.request.pk}, ADMIN_ONLY),
    # Offers: the office makes them from a request; each volunteer answers their own.
    Row("assignments:request_offer", lambda w: {"pk": w.pc_request.pk}, ADMIN_ONLY),
    *[
        Row(f"assignments:offer_{action}", lambda w: OFFER(w), POST_ONLY, "POST")
        for action in ("appoint", "withdraw")
    ],
    Row("assignments:my_offers", NO_ARGS, everyone(403, sp_with=200, sp_without=200)),
    Row(
        "assignments:my_offer",
        lambda w: {"pk": w.offer.pk},
        everyone(403, sp_with=404, sp_without=200),
        "sp_without's offer: another volunteer gets 404",
    ),
    Row(
        "assignments:my_offer",
        lambda w: {"pk": 987654},
        everyone(403, sp_with=404, sp_without=404),
        "missing",
    ),
    *[
        Row(f"assignments:my_offer_{action}", lambda w: {"pk": w.offer.pk}, POST_ONLY, "POST")
        for action in ("accept", "decline")
    ],
    # The pool: administrators manage it; a unit manager reads the support persons of their
    # units (and whoever has a client there), and pauses and deactivates their units' own.
    Row("supportpersons:list", NO_ARGS, MANAGERS_ONLY),
    Row(
        "supportpersons:detail",
        lambda w: {"pk": w.sp_with_client.pk},
        everyone(403, admin=200, manager_a=200, manager_b=404),
    ),
    Row(
        "supportpersons:detail",
        lambda w: {"pk": w.other_programme_person.pk},
        everyone(403, admin=200, manager_a=404, manager_b=404),
        "another programme",
    ),
    *[
        Row(f"supportpersons:{name}", lambda w: {"pk": w.sp_with_client.pk}, ADMIN_ONLY)
        for name in ("edit", "step")
    ],
    *[
        Row(
            f"supportpersons:{name}",
            lambda w: {"pk": w.sp_with_client.pk},
            everyone(403, admin=200, manager_a=200, manager_b=404),
        )
        for name in ("pause", "reactivate")
    ],
    Row("supportpersons:new", NO_ARGS, ADMIN_ONLY),
    Row("assignments:balance", NO_ARGS, ADMIN_ONLY),
    Row("supportpersons:events", NO_ARGS, ADMIN_ONLY),
    Row("supportpersons:event_new", NO_ARGS, ADMIN_ONLY),
    Row("supportpersons:event", lambda w: {"pk": w.event.pk}, ADMIN_ONLY),
    *[
        Row(f"supportpersons:{name}", lambda w: {"pk": w.event.pk}, POST_ONLY, "POST")
        for name in ("event_register", "event_attendance", "event_cancel", "event_held")
    ],
    # Removing a registration asks for a confirmation on its own page first.
    Row("supportpersons:event_unregister", lambda w: UNREGISTER(w), ADMIN_ONLY),
    Row(
        "supportpersons:event_unregister",
        lambda w: {"pk": w.event.pk, "registration_pk": 987654},
        everyone(403, admin=404),
        "missing",
    ),
    Row("supportpersons:collaboration", NO_ARGS, ADMIN_ONLY),
    # Import is the administrators'; export gives each the lists they may see.
    Row("supportpersons:import", NO_ARGS, ADMIN_ONLY),
    Row("supportpersons:import_confirm", NO_ARGS, POST_ONLY, "POST"),
    Row(
        "supportpersons:import_template",
        lambda w: {"kind": "support_persons", "fmt": "csv"},
        ADMIN_ONLY,
    ),
    Row("supportpersons:export", NO_ARGS, MANAGERS_ONLY),
    Row("supportpersons:export_people", lambda w: {"fmt": "csv"}, MANAGERS_ONLY),
    Row("supportpersons:export_clients", lambda w: {"fmt": "xlsx"}, MANAGERS_ONLY),
    # Tertial reports: the administrators' end product.
    Row("reports:list", NO_ARGS, ADMIN_ONLY),
    Row("reports:create", NO_ARGS, ADMIN_ONLY),
    Row("reports:batch_create", NO_ARGS, ADMIN_ONLY),
    Row("reports:detail", lambda w: {"pk": w.report.pk}, ADMIN_ONLY),
    Row("reports:pdf", lambda w: {"pk": w.report.pk}, ADMIN_ONLY),
    Row("reports:export", lambda w: {"pk": w.report.pk, "fmt": "csv"}, ADMIN_ONLY),
    Row("reports:finalise", lambda w: {"pk": w.report.pk}, ADMIN_ONLY),
    Row("reports:batch", lambda w: {"pk": w.batch.pk}, ADMIN_ONLY),
    *[
        Row(f"reports:{name}", lambda w: {"pk": 987654}, everyone(403, admin=404), "missing")
        for name in ("detail", "finalise", "pdf", "batch", "batch_download")
    ],
    *[
        Row(f"reports:{name}", lambda w: {"pk": 987654}, POST_ONLY, "POST")
        for name in ("regenerate", "refresh")
    ],
    # Decisions under delegation: the office's, and the unit manager's who appoints and
    # releases in their units (a decision on their client); a support person's out of role.
    Row("reports:decisions", NO_ARGS, MANAGERS_ONLY),
    Row("reports:decisions_export", lambda w: {"fmt": "csv"}, MANAGERS_ONLY),
    Row("reports:decisions_export", lambda w: {"fmt": "pdf"}, MANAGERS_ONLY, "PDF"),
    Row(
        "reports:decision",
        lambda w: {"pk": w.decision.pk},
        everyone(403, admin=200, manager_a=200, manager_b=404),
    ),
    Row(
        "reports:decision",
        lambda w: {"pk": w.person_decision.pk},
        everyone(403, admin=200, manager_a=404, manager_b=404),
        "a volunteer's recruitment, in a committee no manager here leads",
    ),
    Row(
        "reports:decision",
        lambda w: {"pk": 987654},
        everyone(403, admin=404, manager_a=404, manager_b=404),
        "missing",
    ),
    *[
        Row(
            "reports:decision_letter",
            lambda w, to=to: {"pk": w.decision.pk, "to": to},
            everyone(403, admin=200, manager_a=200, manager_b=404),
            to,
        )
        for to in ("patient", "stodperson")
    ],
    Row(
        "reports:decision_letter",
        lambda w: {"pk": w.person_decision.pk, "to": "patient"},
        everyone(403, admin=404, manager_a=404, manager_b=404),
        "no patient in a recruitment",
    ),
    Row("audit:review", NO_ARGS, ADMIN_ONLY),
    # Register extracts (GDPR art. 15) are made by administrators only.
    Row(
        "reports:extract",
        lambda w: {"kind": "klient", "pk": w.client_a.pk, "fmt": "json"},
        ADMIN_ONLY,
    ),
    Row(
        "reports:extract",
        lambda w: {"kind": "stodperson", "pk": w.sp_with_client.pk, "fmt": "pdf"},
        ADMIN_ONLY,
        "PDF",
    ),
    Row("assignments:contacts", NO_ARGS, everyone(403, sp_with=200, sp_without=200)),
    Row("assignments:contact_month", MONTH, VOLUNTEER_OWN),
    Row(
        "assignments:contact_month",
        lambda w: {**MONTH(w), "pk": 987654},
        everyone(403, sp_with=404, sp_without=404),
        "missing",
    ),
    Row(
        "assignments:contact_month",
        lambda w: {**MONTH(w), "year": 1999},
        everyone(403, sp_with=404, sp_without=404),
        "a month before the assignment",
    ),
    Row("assignments:report_submit", MONTH, VOLUNTEER_OWN),
    Row("assignments:contact_new", lambda w: {"pk": w.assignment_a.pk}, VOLUNTEER_OWN),
    Row("assignments:contact_edit", lambda w: {"pk": w.contact.pk}, VOLUNTEER_OWN),
    Row("assignments:contact_delete", lambda w: {"pk": w.contact.pk}, VOLUNTEER_OWN),
    Row(
        "assignments:contact_edit",
        lambda w: {"pk": 987654},
        everyone(403, sp_with=404, sp_without=404),
        "missing",
    ),
    Row(
        "assignments:receipt",
        lambda w: {"pk": w.contact.pk},
        everyone(403, admin=200, sp_with=200, sp_without=404),
    ),
    Row(
        "assignments:receipt",
        lambda w: {"pk": 987654},
        everyone(403, admin=404, sp_with=404, sp_without=404),
        "missing",
    ),
    Row("assignments:report_queue", NO_ARGS, ADMIN_ONLY),
    Row("assignments:report_review", lambda w: {"pk": w.submitted_report.pk}, ADMIN_ONLY),
    Row(
        "assignments:report_review",
        lambda w: {"pk": 987654},
        everyone(403, admin=404),
        "missing",
    ),
    Row(
        "clients:consent_new",
        lambda w: {"pk": w.client_a.pk},
        everyone(200, manager_b=404, sp_without=404),
    ),
    Row(
        "clients:risk_new",
        lambda w: {"pk": w.client_a.pk},
        everyone(200, manager_b=404, sp_without=404),
    ),
    Row(
        "clients:deviation_new",
        lambda w: {"pk": w.client_a.pk},
        everyone(200, manager_b=404, sp_without=404),
    ),
    # A deviation: read by whoever sees the client; its steps are the unit manager's (the
    # client's support person is out of role, administrators read only).
    Row(
        "clients:deviation",
        lambda w: {"pk": w.deviation.pk},
        everyone(200, manager_b=404, sp_without=404),
    ),
    Row("clients:deviation", lambda w: {"pk": 987654}, everyone(404), "does not exist"),
    *[
        Row(
            f"clients:deviation_{step}",
            lambda w: {"pk": w.deviation.pk},
            everyone(403, manager_a=200, manager_b=404, sp_without=404),
        )
        for step in ("investigate", "decide", "ivo", "close")
    ],
    # A flag's own page: in reach as the flag is (Flag.objects.visible_to).
    Row("flags:flag", lambda w: {"pk": w.flag.pk}, everyone(200, manager_b=404, sp_without=404)),
    Row("flags:flag", lambda w: {"pk": 987654}, everyone(404), "does not exist"),
    Row(
        "clients:contact_new",
        lambda w: {"pk": w.client_a.pk},
        everyone(200, manager_b=404, sp_without=404),
    ),
    # Acting on client A's records: its unit manager and support person; an administrator
    # reads them (403), the others do not see them (404).
    *[
        Row(f"clients:{name}", lambda w, attr=attr: {"pk": getattr(w, attr).pk}, RECORD_ACTORS)
        for name, attr in RECORD_ACTIONS
    ],
    *[
        Row(f"clients:{name}", lambda w: {"pk": 987654}, everyone(404), "missing")
        for name, _attr in RECORD_ACTIONS
    ],
    # The patient committee's volunteers (issue 16). The volunteer's own pages take no id:
    # none of these personas is a volunteer (tests/test_volunteer_access.py has two).
    Row("overview:volunteer_home", NO_ARGS, everyone(403), "no persona is a volunteer"),
    Row("supportpersons:undertaking", NO_ARGS, everyone(403)),
    Row("supportpersons:volunteer_details", NO_ARGS, everyone(403)),
    Row("supportpersons:volunteer_event_register", lambda w: {"pk": w.event.pk}, POST_ONLY),
    Row("supportpersons:volunteer_event_unregister", lambda w: {"pk": w.event.pk}, POST_ONLY),
    Row("supportpersons:invite", lambda w: {"pk": w.other_programme_person.pk}, POST_ONLY),
    Row(
        "supportpersons:background_check_new",
        lambda w: {"pk": w.other_programme_person.pk},
        ADMIN_ONLY,
    ),
    Row(
        "supportpersons:invitation",
        lambda w: {"token": "no-such-token"},
        everyone(410, anonymous=410),
        "a link that does not work: one plain page",
    ),
]

# URLs that are not pages of this application, or are tested elsewhere.
NOT_IN_THE_MATRIX = {
    "logout": "POST only; Django's view",
}
ADMIN_PREFIX = "admin:"


def _names(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def url_names() -> set[str]:
    return {
        name
        for name in _names(get_resolver().url_patterns)
        if not name.startswith(ADMIN_PREFIX) and name not in NOT_IN_THE_MATRIX
    }


def test_every_url_has_an_expectation():
    missing = url_names() - {row.name for row in ROWS}
    assert not missing, f"add rows to the access matrix for: {sorted(missing)}"


@pytest.fixture
def http_as(world, admin_user, manager_a, manager_b, sp_user, sp_user_without_client):
    users = {
        "admin": admin_user,
        "manager_a": manager_a,
        "manager_b": manager_b,
        "sp_with": sp_user,
        "sp_without": sp_user_without_client,
    }

    def client_for(persona: str) -> HttpClient:
        http = HttpClient()
        if persona != "anonymous":
            http.force_login(users[persona])
        return http

    world.documentation = factories.lss_programme().duty_templates.get(code="documentation")
    world.request = factories.RequestFactory(client=world.client_a2)
    world.event = factories.TrainingEventFactory()
    world.registration = factories.RegistrationFactory(event=world.event)
    world.report = factories.TertialReportFactory()
    world.consent_a = factories.ConsentFactory(client=world.client_a)
    world.measure_a = factories.RiskMeasureFactory(
        client=world.client_a, kind="protective", consent=world.consent_a
    )
    world.contact_a = factories.ContactFactory(client=world.client_a)
    world.batch = ReportBatch.objects.create(created_by=users["admin"])
    world.other_programme_person = factories.SupportPersonFactory(
        programme=factories.patient_committee_programme()
    )
    add_deviations(world)
    world.decision = factories.DecisionFactory(assignment=world.assignment_a)
    world.person_decision = factories.DecisionFactory(
        assignment=None,
        client=None,
        support_person=world.other_programme_person,
        kind=Matter.RECRUITMENT,
    )
    # The patient committee's request, with an offer to the support person without a client.
    ward = factories.UnitFactory(programme=factories.patient_committee_programme())
    world.pc_request = factories.RequestFactory(client=factories.ClientFactory(unit=ward))
    world.offer = Offer.objects.create(
        request=world.pc_request,
        support_person=world.sp_without_client,
        expires_at=timezone.now() + timedelta(days=1),
    )
    add_contacts(world)
    return client_for


def add_deviations(world: Any) -> None:
    """A deviation of client A at each step, and a flag on the first (the rows of
    clients:deviation* and flags:flag)."""
    world.deviation = factories.DeviationFactory(client=world.client_a)
    world.deviation_handling = factories.DeviationFactory(
        client=world.client_a, status="handling", investigated_on=world.deviation.occurred_on
    )
    decided = {
        "client": world.client_a,
        "status": "measures_decided",
        "investigated_on": world.deviation.occurred_on,
        "measures_decided_on": world.deviation.occurred_on,
        "measures": "Ny rutin",
    }
    world.deviation_serious = factories.DeviationFactory(
        **decided, category="lex_sarah", findings="Rutinen följdes inte", is_serious=True
    )
    world.deviation_decided = factories.DeviationFactory(**decided)
    world.flag = factories.FlagFactory(
        client=world.client_a, kind="deviation_uninvestigated", target_id=world.deviation.pk
    )


def add_contacts(world: Any) -> None:
    """sp_with's contact this month (with a receipt), and last month's report submitted."""
    world.contact = factories.SupportContactFactory(
        assignment=world.assignment_a, expenses=Decimal("40"), receipt_type="pdf"
    )
    world.contact.receipt.save("r", ContentFile(factories.RECEIPT_PDF))
    world.submitted_report = factories.MonthlyReportFactory(
        assignment=world.assignment_a,
        month=(world.contact.report.month - timedelta(days=1)).replace(day=1),
        state="submitted",
        submitted_at=timezone.now(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.name}{'-' + r.note if r.note else ''}")
def test_each_persona_gets_the_expected_answer(row: Row, world, http_as):
    url = reverse(row.name, kwargs=row.args(world))
    answers = {persona: http_as(persona).get(url).status_code for persona in PERSONAS}
    assert answers == row.expected, url


@pytest.mark.django_db
def test_every_url_leads_to_its_own_view_not_to_another_with_the_same_path(world, http_as):
    """Two apps once both claimed /kontakter/<pk>/andra/: the first included took the other's
    requests. Each row's address must resolve back to its own name (http_as builds the
    records the rows point at)."""
    shadowed = {
        row.name: resolve(url).view_name
        for row in ROWS
        if resolve(url := reverse(row.name, kwargs=row.args(world))).view_name != row.name
    }
    assert shadowed == {}
