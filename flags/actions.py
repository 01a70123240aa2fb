"""From a flag to the action that resolves it, in one step (issue 15, item 4): the one place
that says, for each kind of flag, which screen resolves it for this flag's target and, in a
sentence, what resolves it. The flags page, the dashboard, the client page
(templates/flags/includes/flag_action.html) and a flag's own page read it from here.

A flag's own columns say where to go (the target is a request, an assignment, a deviation,
a consent ...); the one thing they do not hold, the client's current assignment (whose
checklist resolves a plan or documentation flag), `with_action_targets` adds to the list's
own query as a subquery, so no list takes a query more per row, or at all.

Resolving it there resolves the flag when the next run of its check finds the cause gone;
a deviation's steps and a consent's renewal resolve theirs at once
(clients/deviation_services.py, flags/consent_checks.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Subquery, When
from django.db.models import OuterRef as Outer
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assignments.models import Assignment

from .models import Flag

Kind = Flag.Kind
ASSIGNMENT = "action_assignment_id"
# The kinds resolved on the client's duty checklist.
CHECKLIST_KINDS = (Kind.PLAN_OVERDUE, Kind.DOCUMENTATION_MISSING)


@dataclass(frozen=True)
class Action:
    url: str
    label: str  # the button
    resolves: str  # a sentence: what resolves the flag


def with_action_targets(flags: QuerySet[Flag]) -> QuerySet[Flag]:
    """The flags with what their action needs beyond their own columns, in the same query:
    for a checklist kind, the client's current assignment."""
    current = Assignment.objects.active().filter(client=Outer("client_id")).order_by("-started_on")
    return flags.annotate(
        **{
            ASSIGNMENT: Case(
                When(kind__in=CHECKLIST_KINDS, then=Subquery(current.values("pk")[:1])),
                default=None,
                output_field=IntegerField(),
            )
        }
    )


def _client_page(flag: Flag, anchor: str = "") -> str:
    """The client's page (at a section), or the support person's for a flag on a person."""
    if flag.client_id is None:
        return reverse("supportpersons:detail", args=[flag.support_person_id])
    return reverse("overview:client", args=[flag.client_id]) + anchor


def _checklist(flag: Flag) -> str:
    assignment_id = getattr(flag, ASSIGNMENT, None)
    if assignment_id is None:
        # Not annotated, or nobody assigned: the client's page, which says what to do.
        return _client_page(flag, "#duties-heading")
    return reverse("duties:checklist", args=[assignment_id])


def _target(name: str) -> Callable[[Flag], str]:
    return lambda flag: reverse(name, args=[flag.target_id])


# Each kind: where it is resolved, the button, and what resolves it.
ROUTES: dict[str, tuple[Callable[[Flag], str], Promise, Promise]] = {
    Kind.PLAN_OVERDUE: (
        _checklist,
        _("Open the checklist"),
        _("Review the implementation plan with the client and tick it on the duty checklist."),
    ),
    Kind.DOCUMENTATION_MISSING: (
        _checklist,
        _("Open the checklist"),
        _("Tick this month's social documentation on the client's duty checklist."),
    ),
    Kind.REQUEST_LATE: (
        _target("assignments:request"),
        _("Open the request"),
        _("Appoint a support person for the request, or pause or withdraw it."),
    ),
    Kind.REQUEST_DUE_SOON: (
        _target("assignments:request"),
        _("Open the request"),
        _("Appoint a support person for the request before its deadline."),
    ),
    Kind.NO_SUPPORT_PERSON: (
        lambda flag: reverse("assignments:assign", args=[flag.client_id]),
        _("Assign a support person"),
        _("Assign a support person to the client."),
    ),
    Kind.CARE_ENDED: (
        _target("assignments:release"),
        _("Release the support person"),
        _("Release the support person: the client's compulsory care has ended."),
    ),
    Kind.CONSENT_REVIEW: (
        _target("clients:consent_renew"),
        _("Renew the consent"),
        _(
            "Renew the consent with a new review date. If it was withdrawn: end the contacts "
            "and measures that rest on it."
        ),
    ),
    Kind.RISK_FOLLOW_UP: (
        _target("clients:risk_follow_up"),
        _("Follow up the measure"),
        _("Record a follow-up with the date of the next one, or end the measure."),
    ),
    Kind.MEASURE_WITHOUT_CONSENT: (
        _target("clients:risk_follow_up"),
        _("Follow up the measure"),
        _(
            "Follow up the measure and name a consent in force that it rests on, or end the "
            "measure: without consent there is no legal basis for coercion (SOU 2006:110)."
        ),
    ),
    Kind.DEVIATION_OPEN: (
        _target("clients:deviation"),
        _("Open the deviation"),
        _("Take the deviation through investigation and measures, and close it."),
    ),
    Kind.DEVIATION_UNINVESTIGATED: (
        _target("clients:deviation"),
        _("Open the deviation"),
        _("Start the investigation of the deviation."),
    ),
    Kind.IVO_REPORT_LATE: (
        _target("clients:deviation"),
        _("Open the deviation"),
        _("Report the serious wrong to IVO and record the day it was reported."),
    ),
    Kind.BACKGROUND_CHECK: (
        lambda flag: reverse("supportpersons:background_check_new", args=[flag.support_person_id]),
        _("Record a background check"),
        _("Record a new extract from the criminal record for the support person."),
    ),
    Kind.NO_CONTACT: (
        _client_page,
        _("Open the client"),
        _("Record a contact with the client."),
    ),
    Kind.REPORT_LATE: (
        _client_page,
        _("Open the client"),
        _("Make sure the monthly report is submitted."),
    ),
    Kind.EXTENSION_ENDING: (
        lambda flag: reverse("assignments:care_end", args=[flag.client_id]),
        _("Open the end of care"),
        _("Decide whether the assignment goes on when the extension ends, or release it."),
    ),
}


def action_for(flag: Flag) -> Action:
    """The action that resolves this flag."""
    url, label, resolves = ROUTES[flag.kind]
    if flag.kind in CHECKLIST_KINDS and getattr(flag, ASSIGNMENT, None) is None:
        # No checklist to open (nobody assigned, or not annotated): the client's page.
        label = _("Open the client")
    return Action(url=url(flag), label=str(label), resolves=str(resolves))
