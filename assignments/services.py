"""Writes that touch assignments: appoint, release, change, tick a duty, follow up.

Each function is keyword-only, runs in one transaction and raises ServiceError with a
message for the user when the request breaks a rule; nothing is half-saved.
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import DateField, F, Max, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clients.models import Client, Language, Unit
from stodperson.concurrency import lock_unchanged
from stodperson.errors import ServiceError, check_done_date
from supportpersons.delegation import Matter, decision_record
from supportpersons.models import StatusChange, SupportPerson
from supportpersons.services import check_after_history

from .models import (
    Assignment,
    RequestPause,
    SatisfactionFollowUp,
    SupportPersonChange,
    SupportRequest,
)
from .offer_notices import close_live_offers


def _lock_client(client: Client) -> Client:
    """Serialise writes on one client, so two managers appointing at the same moment end
    with one assignment and a clear message to the second."""
    return Client.objects.select_for_update().get(pk=client.pk)


def ensure_can_be_assigned(*, support_person: SupportPerson, client: Client, on: date) -> None:
    if support_person.programme_id != client.unit.programme_id:
        raise ServiceError(_("The support person belongs to another programme."))
    if support_person.status != SupportPerson.Status.ACTIVE:
        raise ServiceError(
            _("%(name)s cannot be assigned: their status is “%(status)s”, not active.")
            % {"name": support_person.display_name, "status": support_person.get_status_display()}
        )
    if not client.is_active_on(on):
        raise ServiceError(_("The client is not active on that date."))


@transaction.atomic
def assignment_create(
    *,
    client: Client,
    support_person: SupportPerson,
    started_on: date,
    by: User,
    request_id: int | None = None,
    reasons: str = "",
) -> Assignment:
    """Appoint (förordna): in a patient committee's programme with its decision under
    delegation (`reasons` for it), in the same transaction."""
    client = _lock_client(client)
    ensure_can_be_assigned(support_person=support_person, client=client, on=started_on)
    check_done_date(started_on, not_before=client.started_on, what=_("The start date"))
    if client.assignments.active().exists():
        raise ServiceError(_("The client already has an active support person."))
    # The history must not overlap either: counts "as of" a day would see two.
    last_end = client.assignments.aggregate(last=Max("ended_on"))["last"]
    if last_end is not None and started_on < last_end:
        raise ServiceError(
            _("The start date cannot be before %(day)s, when the previous assignment ended.")
            % {"day": date_format(last_end, "DATE_FORMAT")}
        )
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                client=client,
                support_person=support_person,
                started_on=started_on,
                decided_by=by,
                request_id=request_id,
            )
    except IntegrityError:
        # The constraint is the last word when two requests race past the check above.
        raise ServiceError(_("The client already has an active support person.")) from None
    decision_record(
        matter=Matter.APPOINTMENT,
        support_person=support_person,
        client=client,
        assignment=assignment,
        decided_on=started_on,
        by=by,
        reasons=reasons or _("Appointment of a support person."),
    )
    return assignment


@transaction.atomic
def assignment_end(
    *, assignment: Assignment, ended_on: date, reason: str, by: User, reasons: str = ""
) -> Assignment:
    """Release (entlediga): in a patient committee's programme with its decision under
    delegation, whose reasons are `reasons` or else the reason for the release."""
    _lock_client(assignment.client)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended_on is not None:
        raise ServiceError(_("The assignment has already ended."))
    check_done_date(ended_on, not_before=assignment.started_on, what=_("The end date"))
    assignment.ended_on = ended_on
    assignment.end_reason = reason
    assignment._change_reason = reason  # type: ignore[attr-defined]
    assignment.save(update_fields=["ended_on", "end_reason"])
    decision_record(
        matter=Matter.RELEASE,
        support_person=assignment.support_person,
        client=assignment.client,
        assignment=assignment,
        decided_on=ended_on,
        by=by,
        reasons=reasons or f"{assignment.get_end_reason_display()}.",
    )
    return assignment


@transaction.atomic
def support_person_change(
    *,
    assignment: Assignment,
    successor: SupportPerson,
    changed_on: date,
    reason: str,
    reason_note: str = "",
    client_informed_on: date,
    good_man_informed_on: date | None = None,
    relatives_informed_on: date | None = None,
    case_officer_informed_on: date | None = None,
    by: User,
) -> SupportPersonChange:
    """Byte av stödperson: the old assignment ends and the new one starts on the same day,
    in one transaction, with who was told and when."""
    if successor.pk == assignment.support_person_id:
        raise ServiceError(_("Choose another support person than the current one."))
    if client_informed_on > changed_on:
        raise ServiceError(_("The client must be informed before the change, not after."))
    why = _("Change of support person: %(reason)s.") % {
        "reason": SupportPersonChange.Reason(reason).label
    }
    previous = assignment_end(
        assignment=assignment,
        ended_on=changed_on,
        reason=Assignment.EndReason.CHANGE,
        by=by,
        reasons=why,
    )
    new = assignment_create(
        client=previous.client, support_person=successor, started_on=changed_on, by=by, reasons=why
    )
    SatisfactionFollowUp.objects.filter(
        assignment=previous, outcome=SatisfactionFollowUp.Outcome.WANTS_CHANGE, handled_at=None
    ).update(handled_at=timezone.now())
    return SupportPersonChange.objects.create(
        previous=previous,
        successor=new,
        reason=reason,
        reason_note=reason_note,
        client_informed_on=client_informed_on,
        good_man_informed_on=good_man_informed_on,
        relatives_informed_on=relatives_informed_on,
        case_officer_informed_on=case_officer_informed_on,
        decided_by=by,
    )


@transaction.atomic
def support_person_deactivate(
    *, support_person: SupportPerson, on: date, reason: str, by: User
) -> list[Client]:
    """Deactivate and release the person's assignments; returns the clients who now need a
    new support person. The assignments stay in the history."""
    person = SupportPerson.objects.select_for_update().get(pk=support_person.pk)
    if person.status == SupportPerson.Status.INACTIVE:
        raise ServiceError(_("The support person is already inactive."))
    # Not before the last entry of the status history, which would then read out of order.
    check_after_history(person, on)
    released = []
    for assignment in person.assignments.active().select_related("client"):
        if assignment.started_on > on:
            raise ServiceError(_("An assignment starts after the deactivation date."))
        assignment_end(
            assignment=assignment,
            ended_on=on,
            reason=Assignment.EndReason.SUPPORT_PERSON_INACTIVE,
            by=by,
        )
        released.append(assignment.client)
    person.status = SupportPerson.Status.INACTIVE
    person.deactivated_on = on
    person.deactivation_reason = reason
    person.save(update_fields=["status", "deactivated_on", "deactivation_reason"])
    StatusChange.objects.create(
        support_person=person, status=person.status, on=on, reason=reason, by=by
    )
    decision_record(
        matter=Matter.DEACTIVATION, support_person=person, decided_on=on, by=by, reasons=reason
    )
    return released


@transaction.atomic
def satisfaction_record(
    *, assignment: Assignment, on: date, outcome: str, note: str, by: User
) -> SatisfactionFollowUp:
    check_done_date(on, not_before=assignment.started_on, what=_("The date"))
    return SatisfactionFollowUp.objects.create(
        assignment=assignment, on=on, outcome=outcome, note=note, recorded_by=by
    )


# --- A client's life in the register: moved to another unit, ended ---------------------

# simple-history's column for the reason of a change.
_CHANGE_REASON_LENGTH = 100


def _check_not_before_assignments(client: Client, on: date, what: str) -> None:
    """A move or an end that releases the assignment cannot come before it began, nor
    before an earlier one ended (the history would overlap)."""
    dates = client.assignments.aggregate(started=Max("started_on"), ended=Max("ended_on"))
    floor = max((d for d in (dates["started"], dates["ended"]) if d), default=None)
    if floor is not None and on < floor:
        raise ServiceError(
            _(
                "%(what)s cannot be before %(day)s, when the client's last assignment began "
                "or ended."
            )
            % {"what": what, "day": f"{floor:%Y-%m-%d}"}
        )


@transaction.atomic
def client_move(
    *,
    client: Client,
    unit: Unit,
    moved_on: date,
    assignment_follows: bool,
    version: str,
    by: User,
) -> Assignment | None:
    """Move a client to another unit of their programme. The current assignment follows the
    client, or is released on the day of the move: an explicit choice, since in personal
    assistance the support person is an assistant of the unit, who may stay behind. Flags,
    requests and the records go with the client. Returns the assignment released, if any."""
    client = lock_unchanged(Client.objects.select_related("unit"), client.pk, version)
    if not client.is_active_on(timezone.localdate()):
        raise ServiceError(_("The client has ended and cannot be moved."))
    if unit.pk == client.unit_id:
        raise ServiceError(_("The client is already in that unit."))
    if unit.programme_id != client.unit.programme_id:
        raise ServiceError(_("The unit belongs to another programme."))
    what = _("The date of the move")
    check_done_date(moved_on, not_before=client.started_on, what=what)
    current = client.assignments.active().first()
    released = None
    if current is not None and not assignment_follows:
        _check_not_before_assignments(client, moved_on, what)
        released = assignment_end(
            assignment=current, ended_on=moved_on, reason=Assignment.EndReason.CLIENT_MOVED, by=by
        )
    client.unit = unit
    reason = _("Moved on %(day)s") % {"day": f"{moved_on:%Y-%m-%d}"}
    client._change_reason = reason[:_CHANGE_REASON_LENGTH]  # type: ignore[attr-defined]
    client.save(update_fields=["unit", "updated_at"])
    return released


@transaction.atomic
def client_end(
    *, client: Client, ended_on: date, reason: str, version: str, by: User
) -> Assignment | None:
    """End the client relationship (domain.md: start and end of the client relationship).
    The current assignment is released on the same day, an open request is withdrawn, and
    the checks stop: they look at active clients only (flags/checks.py), and
    flags.checks.resolve_flags_of_ended_client closes the open flags at once. The record
    stays, until retention. Returns the assignment released, if any."""
    client = lock_unchanged(Client.objects.all(), client.pk, version)
    if client.ended_on is not None:
        raise ServiceError(_("The client has already ended."))
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Give the reason for ending."))
    what = _("The end date")
    check_done_date(ended_on, not_before=client.started_on, what=what)
    _check_not_before_assignments(client, ended_on, what)
    current = client.assignments.active().first()
    released = None
    if current is not None:
        released = assignment_end(
            assignment=current, ended_on=ended_on, reason=Assignment.EndReason.CARE_ENDED, by=by
        )
    for open_request in client.requests.open():  # type: ignore[attr-defined]
        request_withdraw(
            request=open_request,
            withdrawn_at=timezone.now(),
            withdrawal_reason=_("The client has ended: %(reason)s") % {"reason": reason},
            by=by,
        )
    client.ended_on = ended_on
    client.end_reason = reason
    client._change_reason = reason[:_CHANGE_REASON_LENGTH]  # type: ignore[attr-defined]
    client.save(update_fields=["ended_on", "end_reason", "updated_at"])
    return released


# --- Requests and appointments (the patient committee's clock, domain.md rule 5) --------


def _request_lock(request: SupportRequest) -> SupportRequest:
    return (
        SupportRequest.objects.select_for_update()
        .select_related("client__unit__programme")
        .get(pk=request.pk)
    )


def _ensure_open(request: SupportRequest) -> None:
    if request.withdrawn_at is not None:
        raise ServiceError(_("The request has been withdrawn."))
    if Assignment.objects.filter(request=request).exists():
        raise ServiceError(_("The request has already been answered with an appointment."))


@transaction.atomic
def request_create(
    *,
    client: Client,
    received_at: datetime,
    source: str,
    wished_gender: str = "",
    wished_language: Language | None = None,
    note: str = "",
    by: User,
) -> SupportRequest:
    """Register a request; the clock runs from the day it was received."""
    client = _lock_client(client)
    if received_at > timezone.now():
        raise ServiceError(_("The time received cannot be in the future."))
    if client.ended_on is not None and client.ended_on <= timezone.localdate(received_at):
        raise ServiceError(_("The client is not active on that date."))
    if client.requests.filter(withdrawn_at__isnull=True, assignment__isnull=True).exists():
        raise ServiceError(_("The client already has an open request."))
    return SupportRequest.objects.create(
        client=client,
        received_at=received_at,
        source=source,
        wished_gender=wished_gender,
        wished_language=wished_language,
        note=note,
        registered_by=by,
    )


@transaction.atomic
def request_create_for_new_client(
    *,
    unit: Unit,
    first_name: str,
    last_name: str,
    personnummer: str = "",
    legal_basis: str = "",
    received_at: datetime,
    source: str,
    wished_gender: str = "",
    wished_language: Language | None = None,
    note: str = "",
    by: User,
) -> SupportRequest:
    """A request from a patient not yet in the register: the client (the least the
    programme needs) and the request in one transaction. The wishes are the client's too."""
    if received_at > timezone.now():
        raise ServiceError(_("The time received cannot be in the future."))
    client = Client(
        unit=unit,
        first_name=first_name,
        last_name=last_name,
        personnummer=personnummer,
        legal_basis=legal_basis,
        wished_gender=wished_gender,
        wished_language=wished_language,
        started_on=timezone.localdate(received_at),
    )
    client.full_clean()
    client.save()
    return request_create(
        client=client,
        received_at=received_at,
        source=source,
        wished_gender=wished_gender,
        wished_language=wished_language,
        note=note,
        by=by,
    )


@transaction.atomic
def request_pause(
    *, request: SupportRequest, started_on: date, reason: str, by: User
) -> RequestPause:
    """Stop the clock: the patient cannot take a position (because of their health)."""
    request = _request_lock(request)
    _ensure_open(request)
    check_done_date(started_on, not_before=request.received_on, what=_("The date of the pause"))
    if request.pauses.filter(ended_on__isnull=True).exists():
        raise ServiceError(_("The request is already paused."))
    last = request.pauses.order_by("-ended_on").first()
    if last is not None and last.ended_on is not None and started_on < last.ended_on:
        raise ServiceError(_("The pause cannot begin before the last one ended."))
    return RequestPause.objects.create(request=request, started_on=started_on, reason=reason)


@transaction.atomic
def request_resume(*, request: SupportRequest, resumed_on: date, by: User) -> RequestPause:
    """Start the clock again; `resumed_on` counts again."""
    request = _request_lock(request)
    pause = request.pauses.select_for_update().filter(ended_on__isnull=True).first()
    if pause is None:
        raise ServiceError(_("The request is not paused."))
    check_done_date(resumed_on, not_before=pause.started_on, what=_("The date of resumption"))
    pause.ended_on = resumed_on
    pause.save(update_fields=["ended_on"])
    return pause


@transaction.atomic
def request_withdraw(
    *,
    request: SupportRequest,
    withdrawn_at: datetime,
    withdrawal_reason: str,
    withdrawal_kind: str = SupportRequest.WithdrawalKind.OTHER,
    by: User,
) -> SupportRequest:
    """A withdrawn request is not a miss (domain.md rule 5); an open pause ends with it.
    It cannot be undone, so the reason and the outcome (SupportRequest.WithdrawalKind:
    withdrawn by the patient, declined after an offer, care ended first) are kept with it."""
    request = _request_lock(request)
    _ensure_open(request)
    if withdrawal_kind not in SupportRequest.WithdrawalKind.values:
        raise ServiceError(_("Choose the outcome of the request."))
    if not withdrawal_reason.strip():
        raise ServiceError(_("Give the reason for the withdrawal."))
    if withdrawn_at > timezone.now():
        raise ServiceError(_("The time of withdrawal cannot be in the future."))
    if withdrawn_at < request.received_at:
        raise ServiceError(_("A request cannot be withdrawn before it was received."))
    _end_open_pause(request, max(timezone.localdate(withdrawn_at), request.received_on))
    request.withdrawn_at = withdrawn_at
    request.withdrawal_reason = withdrawal_reason.strip()
    request.withdrawal_kind = withdrawal_kind
    request.save(update_fields=["withdrawn_at", "withdrawal_reason", "withdrawal_kind"])
    close_live_offers(request_id=request.pk, appointed=None)
    return request


def _end_open_pause(request: SupportRequest, on: date) -> None:
    """An answer or a withdrawal ends an open pause; one dated before the pause began ends
    it on the day it began, since a pause cannot end before it starts."""
    request.pauses.filter(ended_on__isnull=True).update(
        ended_on=Greatest(F("started_on"), Value(on, output_field=DateField()))
    )


@transaction.atomic
def request_appoint(
    *,
    request: SupportRequest,
    support_person: SupportPerson,
    started_on: date,
    late_reason: str = "",
    delay_excused: bool = False,
    by: User,
) -> Assignment:
    """Förordnande: answer the request with an assignment, recording who decided and when.
    An appointment after the deadline needs the reason for the delay (for the report)."""
    request = _request_lock(request)
    _ensure_open(request)
    if started_on < request.received_on:
        raise ServiceError(_("The appointment cannot be before the request was received."))
    late = request.clock_if_answered_on(started_on).is_late
    if late and not late_reason.strip():
        raise ServiceError(_("The request is answered after its deadline: give the reason."))
    _end_open_pause(request, started_on)
    request.late_reason = late_reason.strip() if late else ""
    request.delay_excused = delay_excused if late else False
    request.save(update_fields=["late_reason", "delay_excused"])
    assignment = assignment_create(
        client=request.client,
        support_person=support_person,
        started_on=started_on,
        by=by,
        request_id=request.pk,
        reasons=_("The patient's request for a support person, received %(day)s.")
        % {"day": date_format(request.received_on, "DATE_FORMAT")},
    )
    # The offers still out for the request close, with a word to those volunteers.
    close_live_offers(request_id=request.pk, appointed=support_person)
    return assignment
