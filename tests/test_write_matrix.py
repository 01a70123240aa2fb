"""The write dimension of the access matrix (test_access_matrix.py): every URL whose view
reads a posted form, posted by every persona, with records in and out of reach. A refused
post (anonymous, 403, 404) must leave the database as it was: every table is compared
before and after. A permitted post with `changes` must change it, so that each row posts
data that would really be written.

A URL added to the URL configuration whose view reads a form, without a row here, makes
`test_every_url_that_takes_a_form_has_write_rows` fail.

Codes: 302 for anonymous (sent to log in) and for a saved form (sent onwards); 200 a page
(a form shown again, or the answer to a deactivation); 403 out of role, or a record in
sight that is not the user's to change; 404 out of sight (or does not exist).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from assignments.models import Decision, MonthlyReport, SupportRequest
from clients.models import Client, Deviation
from stodperson.concurrency import version_of
from tests import factories, test_access_matrix, volunteers
from tests.test_access_matrix import NO_ARGS, PERSONAS, ROWS, everyone, url_names

# The read matrix's fixture: the personas' HTTP clients and the records the rows point at.
http_as = test_access_matrix.http_as


@dataclass(frozen=True)
class WriteRow:
    """One URL with one set of arguments and one posted form, and each persona's answer."""

    name: str
    args: Callable[[Any], dict[str, int]]
    data: Callable[[Any], dict[str, Any]]
    expected: dict[str, int]
    note: str = ""
    changes: bool = True  # a permitted post writes (False: the form is refused or empty)


def today() -> str:
    return timezone.localdate().isoformat()


NO_DATA: Callable[[Any], dict[str, Any]] = lambda w: {}  # noqa: E731
# The client's own people (manager, support person) and administrators record on a client.
CLIENT_A_PEOPLE = everyone(302, manager_b=404, sp_without=404)
CLIENT_B_PEOPLE = everyone(404, anonymous=302, admin=302, manager_b=302)
# The unit manager's decisions: support persons are out of role, unit B's manager out of sight.
UNIT_A_MANAGERS = everyone(403, anonymous=302, admin=302, manager_a=302, manager_b=404)
UNIT_B_MANAGERS = everyone(403, anonymous=302, admin=302, manager_a=404, manager_b=302)
ADMIN_WRITES = everyone(403, admin=302)
ADMIN_FORM = everyone(403, admin=200)  # an empty or refused form is shown again
TICKERS = everyone(403, sp_with=302, sp_without=404)

CONSENT = lambda w: {"purpose": "Kontakt med god man", "given_on": today()}  # noqa: E731
RISK = lambda w: {"kind": "risk", "description": "Fallrisk", "decided_on": today()}  # noqa: E731
DEVIATION = lambda w: {  # noqa: E731
    "occurred_on": today(),
    "category": "ordinary",
    "description": "Missat besök",
}


STEP_TAKERS = everyone(403, anonymous=302, manager_a=302, manager_b=404, sp_without=404)


def step_data(deviation: Deviation) -> dict[str, str]:
    return {"on": today(), "version": version_of(Deviation.objects.get(pk=deviation.pk))}


def _version(client: Client) -> str:
    return version_of(Client.objects.get(pk=client.pk))


CLIENT_FACTS = lambda w, client: {  # noqa: E731
    "first_name": client.first_name,
    "last_name": client.last_name,
    "protected_identity": "none",
    "wished_gender": "man",
    "started_on": client.started_on.isoformat(),
    "version": _version(client),
}
END_CLIENT = lambda w: {  # noqa: E731
    "ended_on": today(),
    "reason": "Insatsen har upphört",
    "confirm": "1",
    "version": _version(w.client_a),
}
MOVE_CLIENT = lambda w, unit: {  # noqa: E731
    "unit": unit.pk,
    "moved_on": today(),
    "assignment": "follow",
    "version": _version(w.client_a),
}


def _decision(w: Any, decision: Any) -> dict[str, Any]:
    return {
        "reasons": "Förordnande på patientens begäran.",
        "volunteer_notified_on": today(),
        "version": version_of(Decision.objects.get(pk=decision.pk)),
    }


# Acting on client A's records: its unit manager and support person; an administrator reads.
RECORD_ACTORS = everyone(302, admin=403, manager_b=404, sp_without=404)


def _record_version(record: Any) -> str:
    return version_of(type(record).objects.get(pk=record.pk))


RENEW = lambda w: {  # noqa: E731
    "given_on": today(),
    "review_on": (timezone.localdate() + timedelta(days=365)).isoformat(),
    "given_by": "client",
    "given_as": "oral",
    "version": _record_version(w.consent_a),
}
WITHDRAW = lambda w: {"withdrawn_on": today(), "version": _record_version(w.consent_a)}  # noqa: E731
FOLLOW_UP = lambda w: {  # noqa: E731
    "followed_up_on": today(),
    "outcome": "Fungerar väl",
    "next_follow_up_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
    "consent": w.consent_a.pk,
    "version": _record_version(w.measure_a),
}
END_MEASURE = lambda w: {  # noqa: E731
    "ended_on": today(),
    "reason": "Behövs inte längre",
    "version": _record_version(w.measure_a),
}
CONTACT = lambda w: {"role": "god_man", "name": "Gun Godman", "phone": "070-1"}  # noqa: E731
END_CONTACT = lambda w: {  # noqa: E731
    "ended_on": today(),
    "reason": "Uppdraget upphört",
    "version": _record_version(w.contact_a),
}

# The volunteer's contacts (issue #16): sp_with's own; the second volunteer's post is 404.
VOLUNTEER_WRITES = everyone(403, anonymous=302, sp_with=302, sp_without=404)
SUPPORT_CONTACT = lambda w: {  # noqa: E731
    "on": today(),
    "kind": "phone",
    "duration_minutes": "20",
    "place": "Telefon",
    "kilometres": "0",
    "expenses": "0",
    "note": "",
}


def _report_version(w: Any) -> str:
    return version_of(MonthlyReport.objects.get(pk=w.contact.report_id))


WRITE_ROWS: list[WriteRow] = [
    # The office completes a decision under delegation (reports/decision_views.py).
    WriteRow(
        "reports:decision",
        lambda w: {"pk": w.decision.pk},
        lambda w: _decision(w, w.decision),
        UNIT_A_MANAGERS,
    ),
    WriteRow(
        "reports:decision",
        lambda w: {"pk": w.person_decision.pk},
        lambda w: _decision(w, w.person_decision),
        everyone(403, anonymous=302, admin=302, manager_a=404, manager_b=404),
        "a volunteer's recruitment",
    ),
    WriteRow(
        "reports:decision",
        lambda w: {"pk": w.decision.pk},
        lambda w: {**_decision(w, w.decision), "volunteer_notified_on": "2999-01-01"},
        everyone(403, anonymous=302, admin=400, manager_a=400, manager_b=404),
        "a date in the future: refused at the field",
        changes=False,
    ),
    # A client's life in the register (overview/client_views.py).
    WriteRow(
        "overview:client_edit",
        lambda w: {"pk": w.client_a.pk},
        lambda w: CLIENT_FACTS(w, w.client_a),
        UNIT_A_MANAGERS,
    ),
    WriteRow(
        "overview:client_edit",
        lambda w: {"pk": w.client_b2.pk},
        lambda w: CLIENT_FACTS(w, w.client_b2),
        UNIT_B_MANAGERS,
        "unit B's client",
    ),
    WriteRow(
        "overview:client_move",
        lambda w: {"pk": w.client_a.pk},
        lambda w: MOVE_CLIENT(w, w.unit_a2),
        UNIT_A_MANAGERS,
        "to another unit manager A leads",
    ),
    WriteRow(
        "overview:client_move",
        lambda w: {"pk": w.client_a.pk},
        lambda w: MOVE_CLIENT(w, w.unit_b),
        everyone(403, anonymous=302, admin=302, manager_a=200, manager_b=404),
        "to a unit manager A does not lead: refused at the field",
        changes=False,
    ),
    WriteRow("overview:client_end", lambda w: {"pk": w.client_a.pk}, END_CLIENT, UNIT_A_MANAGERS),
    WriteRow(
        "overview:client_end",
        lambda w: {"pk": w.client_a.pk},
        lambda w: {k: v for k, v in END_CLIENT(w).items() if k != "confirm"},
        everyone(403, anonymous=302, admin=200, manager_a=200, manager_b=404),
        "not confirmed: the confirmation page",
        changes=False,
    ),
    WriteRow("clients:consent_new", lambda w: {"pk": w.client_a.pk}, CONSENT, CLIENT_A_PEOPLE),
    WriteRow(
        "clients:consent_new",
        lambda w: {"pk": w.client_b.pk},
        CONSENT,
        CLIENT_B_PEOPLE,
        "out of reach of unit A's people",
    ),
    WriteRow("clients:risk_new", lambda w: {"pk": w.client_a.pk}, RISK, CLIENT_A_PEOPLE),
    WriteRow("clients:contact_new", lambda w: {"pk": w.client_a.pk}, CONTACT, CLIENT_A_PEOPLE),
    WriteRow(
        "clients:contact_new",
        lambda w: {"pk": w.client_b.pk},
        CONTACT,
        CLIENT_B_PEOPLE,
        "out of reach of unit A's people",
    ),
    WriteRow("clients:consent_renew", lambda w: {"pk": w.consent_a.pk}, RENEW, RECORD_ACTORS),
    WriteRow("clients:consent_withdraw", lambda w: {"pk": w.consent_a.pk}, WITHDRAW, RECORD_ACTORS),
    WriteRow("clients:risk_follow_up", lambda w: {"pk": w.measure_a.pk}, FOLLOW_UP, RECORD_ACTORS),
    WriteRow("clients:risk_end", lambda w: {"pk": w.measure_a.pk}, END_MEASURE, RECORD_ACTORS),
    WriteRow(
        "clients:contact_edit",
        lambda w: {"pk": w.contact_a.pk},
        lambda w: {**CONTACT(w), "version": _record_version(w.contact_a)},
        RECORD_ACTORS,
    ),
    WriteRow("clients:contact_end", lambda w: {"pk": w.contact_a.pk}, END_CONTACT, RECORD_ACTORS),
    *[
        WriteRow(f"clients:{name}", lambda w: {"pk": 987654}, NO_DATA, everyone(404), "missing")
        for name in (
            "consent_renew",
            "consent_withdraw",
            "risk_follow_up",
            "risk_end",
            "contact_edit",
            "contact_end",
        )
    ],
    WriteRow("clients:deviation_new", lambda w: {"pk": w.client_a.pk}, DEVIATION, CLIENT_A_PEOPLE),
    # A deviation's steps (clients/deviation_views.py): the unit manager's alone.
    WriteRow(
        "clients:deviation_investigate",
        lambda w: {"pk": w.deviation.pk},
        lambda w: step_data(w.deviation),
        STEP_TAKERS,
    ),
    WriteRow(
        "clients:deviation_decide",
        lambda w: {"pk": w.deviation_handling.pk},
        lambda w: {**step_data(w.deviation_handling), "measures": "Samtal med personalen"},
        STEP_TAKERS,
    ),
    WriteRow(
        "clients:deviation_ivo",
        lambda w: {"pk": w.deviation_serious.pk},
        lambda w: step_data(w.deviation_serious),
        STEP_TAKERS,
    ),
    WriteRow(
        "clients:deviation_close",
        lambda w: {"pk": w.deviation_decided.pk},
        lambda w: step_data(w.deviation_decided),
        STEP_TAKERS,
    ),
    WriteRow(
        "clients:deviation_close",
        lambda w: {"pk": w.deviation.pk},
        lambda w: step_data(w.deviation),
        everyone(403, anonymous=302, manager_a=200, manager_b=404, sp_without=404),
        "out of order: refused with a message",
        changes=False,
    ),
    WriteRow(
        "assignments:assign",
        lambda w: {"pk": w.client_a2.pk},
        lambda w: {"support_person": w.sp_without_client.pk, "started_on": today()},
        UNIT_A_MANAGERS,
    ),
    WriteRow(
        "assignments:change",
        lambda w: {"pk": w.client_a.pk},
        lambda w: {
            "successor": w.sp_without_client.pk,
            "reason": "client_wish",
            "changed_on": today(),
            "client_informed_on": today(),
            "good_man_informed_on": today(),  # client A has a god man (w.contact_a)
        },
        UNIT_A_MANAGERS,
    ),
    WriteRow(
        "assignments:change",
        lambda w: {"pk": w.client_b2.pk},
        lambda w: {
            "successor": w.sp_b2.pk,
            "reason": "client_wish",
            "changed_on": today(),
            "client_informed_on": today(),
        },
        UNIT_B_MANAGERS,
        "unit B's client",
    ),
    WriteRow(
        "assignments:satisfaction",
        lambda w: {"pk": w.client_a.pk},
        lambda w: {"on": today(), "outcome": "wants_change", "note": ""},
        UNIT_A_MANAGERS,
    ),
    WriteRow(
        "assignments:deactivate",
        lambda w: {"pk": w.sp_with_client.pk},
        lambda w: {"on": today(), "reason": "Slutat", "confirm": "1"},
        everyone(403, anonymous=302, admin=200, manager_a=200, manager_b=404),
        "unit A's assistant: out of manager B's reach",
    ),
    WriteRow(
        "assignments:deactivate",
        lambda w: {"pk": w.other_programme_person.pk},
        lambda w: {"on": today(), "reason": "Slutat", "confirm": "1"},
        everyone(403, anonymous=302, admin=200, manager_a=404, manager_b=404),
        "another programme",
    ),
    WriteRow(
        "assignments:release",
        lambda w: {"pk": w.assignment_a.pk},
        lambda w: {"ended_on": today(), "reason": "other", "confirm": "1"},
        UNIT_A_MANAGERS,
    ),
    WriteRow(
        "assignments:release",
        lambda w: {"pk": w.assignment_a.pk},
        lambda w: {"ended_on": today(), "reason": "other"},
        everyone(403, anonymous=302, admin=200, manager_a=200, manager_b=404),
        "not confirmed: the confirmation page",
        changes=False,
    ),
    WriteRow(
        "assignments:deactivate",
        lambda w: {"pk": w.sp_with_client.pk},
        lambda w: {"on": today(), "reason": "Slutat"},
        everyone(403, anonymous=302, admin=200, manager_a=200, manager_b=404),
        "not confirmed: the confirmation page",
        changes=False,
    ),
    WriteRow(
        "assignments:release",
        lambda w: {"pk": w.assignment_b.pk},
        lambda w: {"ended_on": today(), "reason": "other", "confirm": "1"},
        UNIT_B_MANAGERS,
        "unit B's assignment",
    ),
    WriteRow(
        "duties:tick",
        lambda w: {"pk": w.assignment_a.pk, "template_pk": w.documentation.pk},
        lambda w: {"done_on": today()},
        TICKERS,
    ),
    WriteRow(
        "duties:tick",
        lambda w: {"pk": w.assignment_b.pk, "template_pk": w.documentation.pk},
        lambda w: {"done_on": today()},
        everyone(403, sp_with=404, sp_without=404),
        "another person's assignment",
    ),
    WriteRow(
        "duties:withdraw",
        lambda w: {"pk": w.assignment_a.pk, "check_pk": w.tick.pk},
        NO_DATA,
        TICKERS,
    ),
    WriteRow(
        "duties:withdraw",
        lambda w: {"pk": w.assignment_b.pk, "check_pk": w.tick_b.pk},
        NO_DATA,
        everyone(403, sp_with=404, sp_without=404),
        "another person's tick",
    ),
    WriteRow(
        "assignments:care_end",
        test_access_matrix.patient,
        lambda w: {
            "ended_on": today(),
            "learnt_from": "ward",
            "patient_wants_extension": "on",
            "version": _version(w.patient),
            "confirm": "1",
        },
        everyone(403, anonymous=302, admin=302, manager_a=404, manager_b=404),
        "released at once: only the patient wants to go on",
    ),
    WriteRow(
        "assignments:care_end",
        test_access_matrix.patient,
        lambda w: {"ended_on": today(), "learnt_from": "ward", "version": _version(w.patient)},
        everyone(403, anonymous=302, admin=200, manager_a=404, manager_b=404),
        "not confirmed: the page again",
        changes=False,
    ),
    WriteRow(
        "assignments:care_end",
        lambda w: {"pk": w.client_a.pk},
        lambda w: {"ended_on": today(), "learnt_from": "ward", "confirm": "1"},
        everyone(403, anonymous=302, admin=404, manager_a=404, manager_b=404),
        "not a patient of the committee",
    ),
    WriteRow("assignments:request_new", NO_ARGS, NO_DATA, ADMIN_FORM, changes=False),
    WriteRow(
        "assignments:request_pause",
        lambda w: {"pk": w.request.pk},
        lambda w: {"started_on": today(), "reason": "Patienten är permitterad"},
        ADMIN_WRITES,
    ),
    WriteRow(
        "assignments:request_pause",
        lambda w: {"pk": 987654},
        lambda w: {"started_on": today(), "reason": "x"},
        everyone(403, admin=404),
        "missing",
    ),
    WriteRow(
        "assignments:request_resume",
        lambda w: {"pk": w.request.pk},
        lambda w: {"resumed_on": today()},
        ADMIN_FORM,
        "not paused",
        changes=False,
    ),
    WriteRow(
        "assignments:request_withdraw",
        lambda w: {"pk": w.request.pk},
        lambda w: {
            "withdrawal_kind": "withdrawn_by_patient",
            "withdrawn_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "withdrawal_reason": "Patienten tackar nej",
            "confirm": "1",
        },
        ADMIN_WRITES,
    ),
    WriteRow(
        "assignments:request_withdraw",
        lambda w: {"pk": w.request.pk},
        lambda w: {"withdrawn_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
        ADMIN_FORM,
        "not confirmed: the confirmation page",
        changes=False,
    ),
    WriteRow(
        "assignments:request_appoint",
        lambda w: {"pk": w.request.pk},
        NO_DATA,
        ADMIN_FORM,
        changes=False,
    ),
    # Offers: the office's from a request, the volunteer's own answer.
    WriteRow(
        "assignments:request_offer",
        lambda w: {"pk": w.pc_request.pk},
        lambda w: {"support_persons": [w.volunteer.pk]},
        ADMIN_WRITES,
    ),
    WriteRow(
        "assignments:offer_appoint",
        lambda w: test_access_matrix.OFFER(w),
        NO_DATA,
        ADMIN_WRITES,
        "not accepted: refused with a message",
        changes=False,
    ),
    WriteRow(
        "assignments:offer_withdraw", lambda w: test_access_matrix.OFFER(w), NO_DATA, ADMIN_WRITES
    ),
    *[
        WriteRow(
            f"assignments:my_offer_{action}",
            lambda w: {"pk": w.offer.pk},
            lambda w: {"reason": "Bortrest"},
            everyone(403, anonymous=302, sp_with=404, sp_without=302),
            "sp_without's own offer",
        )
        for action in ("accept", "decline")
    ],
    WriteRow("supportpersons:new", NO_ARGS, NO_DATA, ADMIN_FORM, changes=False),
    WriteRow(
        "supportpersons:edit",
        lambda w: {"pk": w.sp_with_client.pk},
        NO_DATA,
        ADMIN_FORM,
        changes=False,
    ),
    WriteRow(
        "supportpersons:step",
        lambda w: {"pk": w.sp_with_client.pk},
        lambda w: {"step": "interview", "on": today(), "outcome": "passed"},
        ADMIN_WRITES,
    ),
    WriteRow(
        "supportpersons:pause",
        lambda w: {"pk": w.sp_with_client.pk},
        lambda w: {"on": today(), "reason": "Föräldraledig"},
        UNIT_A_MANAGERS,
        "unit A's assistant",
    ),
    WriteRow(
        "supportpersons:pause",
        lambda w: {"pk": w.sp_b.pk},
        lambda w: {"on": today(), "reason": "Föräldraledig"},
        UNIT_B_MANAGERS,
        "unit B's assistant",
    ),
    WriteRow(
        "supportpersons:reactivate",
        lambda w: {"pk": w.sp_with_client.pk},
        lambda w: {"on": today(), "reason": "Åter"},
        everyone(403, admin=200, manager_a=200, manager_b=404, anonymous=302),
        "already active",
        changes=False,
    ),
    WriteRow("supportpersons:import", NO_ARGS, NO_DATA, ADMIN_FORM, changes=False),
    WriteRow(
        "supportpersons:import_confirm",
        NO_ARGS,
        NO_DATA,
        everyone(403, admin=302),
        "nothing uploaded",
        changes=False,
    ),
    WriteRow("supportpersons:event_new", NO_ARGS, NO_DATA, ADMIN_FORM, changes=False),
    WriteRow(
        "supportpersons:event_register",
        lambda w: {"pk": w.event.pk},
        lambda w: {"people": [w.event_person.pk]},
        ADMIN_WRITES,
    ),
    WriteRow(
        "supportpersons:event_attendance",
        lambda w: {"pk": w.event.pk},
        NO_DATA,
        ADMIN_WRITES,
        "nobody registered",
        changes=False,
    ),
    WriteRow(
        "supportpersons:event_cancel",
        lambda w: {"pk": w.event.pk},
        lambda w: {"reason": "För få anmälda"},
        ADMIN_WRITES,
    ),
    WriteRow("supportpersons:event_held", lambda w: {"pk": w.event.pk}, NO_DATA, ADMIN_WRITES),
    WriteRow(
        "supportpersons:event_unregister",
        test_access_matrix.UNREGISTER,
        lambda w: {"confirm": "1"},
        ADMIN_WRITES,
    ),
    WriteRow(
        "supportpersons:event_unregister",
        test_access_matrix.UNREGISTER,
        NO_DATA,
        ADMIN_FORM,
        "not confirmed: the confirmation page",
        changes=False,
    ),
    WriteRow("supportpersons:collaboration", NO_ARGS, NO_DATA, ADMIN_FORM, changes=False),
    # The patient committee's volunteers (issue 16); the volunteers' own posts are in
    # tests/test_volunteer_access.py (none of these personas is a volunteer).
    WriteRow("supportpersons:invite", lambda w: {"pk": w.volunteer.pk}, NO_DATA, ADMIN_WRITES),
    WriteRow(
        "supportpersons:background_check_new",
        lambda w: {"pk": w.volunteer.pk},
        lambda w: {"checked_on": today(), "outcome": "passed"},
        ADMIN_WRITES,
    ),
    *[
        WriteRow(name, lambda w: {"pk": w.event.pk}, NO_DATA, everyone(403, anonymous=302))
        for name in (
            "supportpersons:volunteer_event_register",
            "supportpersons:volunteer_event_unregister",
        )
    ],
    WriteRow(
        "assignments:contact_new",
        lambda w: {"pk": w.assignment_a.pk},
        SUPPORT_CONTACT,
        VOLUNTEER_WRITES,
    ),
    WriteRow(
        "assignments:contact_edit",
        lambda w: {"pk": w.contact.pk},
        lambda w: {**SUPPORT_CONTACT(w), "upload": ""},
        VOLUNTEER_WRITES,
    ),
    WriteRow(
        "assignments:contact_delete",
        lambda w: {"pk": w.contact.pk},
        lambda w: {"confirm": "1"},
        VOLUNTEER_WRITES,
    ),
    WriteRow(
        "assignments:report_submit",
        lambda w: {"pk": w.assignment_a.pk, "year": w.contact.on.year, "month": w.contact.on.month},
        lambda w: {"confirm": "1", "version": _report_version(w)},
        VOLUNTEER_WRITES,
    ),
    WriteRow(
        "assignments:report_review",
        lambda w: {"pk": w.submitted_report.pk},
        lambda w: {"decision": "approve", "version": version_of(w.submitted_report)},
        ADMIN_WRITES,
    ),
    WriteRow(
        "assignments:report_review",
        lambda w: {"pk": w.submitted_report.pk},
        lambda w: {"decision": "return", "comment": "", "version": version_of(w.submitted_report)},
        ADMIN_FORM,
        "return without a comment: refused at the field",
        changes=False,
    ),
    WriteRow("reports:create", NO_ARGS, NO_DATA, ADMIN_FORM, changes=False),
    WriteRow("reports:batch_create", NO_ARGS, NO_DATA, ADMIN_FORM, changes=False),
    WriteRow(
        "reports:detail",
        lambda w: {"pk": w.report.pk},
        lambda w: {"activities_text": "Utbildningskväll i mars."},
        ADMIN_WRITES,
    ),
    WriteRow("reports:regenerate", lambda w: {"pk": w.report.pk}, NO_DATA, ADMIN_WRITES),
    WriteRow("reports:refresh", lambda w: {"pk": w.report.pk}, NO_DATA, ADMIN_WRITES),
    WriteRow(
        "reports:finalise",
        lambda w: {"pk": w.report.pk},
        lambda w: {"confirm": "on"},
        ADMIN_WRITES,
    ),
    WriteRow(
        "reports:batch",
        lambda w: {"pk": w.batch.pk},
        NO_DATA,
        ADMIN_WRITES,
        "sent again: the task is enqueued on commit",
        changes=False,
    ),
    *[
        WriteRow(f"reports:{name}", lambda w: {"pk": 987654}, NO_DATA, everyone(403, admin=404))
        for name in ("detail", "regenerate", "refresh", "finalise", "batch")
    ],
]

# URLs whose views read a posted form but write no record of the register.
NOT_RECORD_WRITES = {
    "login": "logs in (tests/e2e/test_login.py)",
    "admin_login": "the admin's login: logs in, or sends to ours (tests/accounts/test_sso.py)",
    "two_factor_verify": "checks a code (tests/test_two_factor.py)",
    "two_factor_setup": "the user's own device (tests/test_two_factor.py)",
}
# Tables a refused post may touch: the session (login, the once-a-minute touch).
NOT_COMPARED = {"sessions.session"}


def database_state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (many-to-many tables too), in key order."""
    return {
        model._meta.label_lower: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower not in NOT_COMPARED and not model._meta.proxy
    }


@pytest.fixture
def write_world(world, http_as, sp_user):
    """The read matrix's world, with unit B's own assignment, a tick on each assignment, a
    request received yesterday and a person who may register for the event."""
    world.client_b2 = factories.ClientFactory(unit=world.unit_b)
    world.sp_b = factories.SupportPersonFactory(unit=world.unit_b)
    world.sp_b2 = factories.SupportPersonFactory(unit=world.unit_b)
    world.assignment_b = factories.AssignmentFactory(
        client=world.client_b2, support_person=world.sp_b
    )
    # On another duty than the one the tick rows tick, which must not be ticked already.
    other_duty = world.documentation.programme.duty_templates.exclude(pk=world.documentation.pk)
    world.tick = factories.DutyCheckFactory(
        assignment=world.assignment_a, template=other_duty.first(), by=sp_user
    )
    world.tick_b = factories.DutyCheckFactory(
        assignment=world.assignment_b, template=world.documentation
    )
    SupportRequest.objects.filter(pk=world.request.pk).update(
        received_at=timezone.now() - timedelta(days=1)
    )
    world.event_person = factories.SupportPersonFactory(
        programme=world.event.programme, locality=world.event.locality
    )
    world.unit_a2 = factories.UnitFactory(name="Enhet A2", managers=[world.unit_a.managers.get()])
    world.volunteer = volunteers.volunteer(email="vera@example.se")
    return world


def _row_id(row: WriteRow) -> str:
    return f"{row.name}{'-' + row.note if row.note else ''}"


@pytest.mark.django_db
@pytest.mark.parametrize("row", WRITE_ROWS, ids=_row_id)
def test_each_persona_gets_the_expected_answer_to_a_post(row: WriteRow, write_world, http_as):
    """Each persona posts to the same world: what a permitted post writes is rolled back
    (a savepoint) before the next persona posts."""
    url = reverse(row.name, kwargs=row.args(write_world))
    answers = {}
    for persona in PERSONAS:
        http = http_as(persona)
        with transaction.atomic():
            before = database_state()
            answers[persona] = answer = http.post(url, row.data(write_world)).status_code
            after = database_state()
            transaction.set_rollback(True)
        if persona == "anonymous" or answer in (403, 404):
            assert after == before, f"a refused post changed the database: {url} {persona}"
        elif row.changes and answer == row.expected[persona]:
            assert after != before, f"the post changed nothing: {url} {persona}"
    assert answers == row.expected, url


def _post_only(name: str) -> bool:
    """The read matrix answers a GET with 405 for a URL that only takes a POST."""
    return any(405 in row.expected.values() for row in ROWS if row.name == name)


@pytest.mark.django_db
def test_every_url_that_takes_a_post_has_write_rows(write_world, http_as, monkeypatch):
    """A URL takes a post when it refuses a GET (405), when its view reads the posted data,
    or when a post is answered otherwise than a GET (a 405 aside): every persona posts to
    each URL of the read matrix, so a new form or POST view without a row here fails."""
    read: list[str] = []
    load = HttpRequest._load_post_and_files

    def reading(request: HttpRequest) -> None:
        read.append(request.path)
        load(request)

    monkeypatch.setattr(HttpRequest, "_load_post_and_files", reading)
    takes_a_post = {name for name in url_names() if _post_only(name)}
    for persona in PERSONAS:
        http = http_as(persona)
        for name in sorted(url_names() - takes_a_post):
            for row in (r for r in ROWS if r.name == name):
                url = reverse(name, kwargs=row.args(write_world))
                read.clear()
                with transaction.atomic():
                    answer = http.post(url, {}).status_code
                    transaction.set_rollback(True)
                if url in read or answer not in (row.expected[persona], 405):
                    takes_a_post.add(name)
    with_rows = {row.name for row in WRITE_ROWS}
    missing = takes_a_post - with_rows - set(NOT_RECORD_WRITES)
    assert not missing, f"add rows to the write matrix for: {sorted(missing)}"
    assert with_rows - takes_a_post == set(), "rows for URLs that take no post"
