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
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from reports.models import ReportBatch
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

UNREGISTER: Callable[[Any], dict[str, int]] = lambda w: {  # noqa: E731
    "pk": w.event.pk,
    "registration_pk": w.registration.pk,
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
    world.batch = ReportBatch.objects.create(created_by=users["admin"])
    world.other_programme_person = factories.SupportPersonFactory(
        programme=factories.patient_committee_programme()
    )
    return client_for


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.name}{'-' + r.note if r.note else ''}")
def test_each_persona_gets_the_expected_answer(row: Row, world, http_as):
    url = reverse(row.name, kwargs=row.args(world))
    answers = {persona: http_as(persona).get(url).status_code for persona in PERSONAS}
    assert answers == row.expected, url
