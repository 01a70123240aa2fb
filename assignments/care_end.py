"""The end of compulsory care and the weeks after (LPT 30 §, LRV 26 §, smittskyddslagen).

"Uppdraget som stödperson upphör när vården enligt denna lag upphör. Om patienten och
stödpersonen vill det får dock uppdraget fortsätta under högst fyra veckor därefter."
(LPT 30 § third paragraph; LRV 26 § likewise.) So the office records the day care ended,
where it learnt it, and whether the patient and the support person each want the assignment
to continue. Without both wishes the assignment is released on the day care ended; with
both it runs on, and the daily job (flags/care_checks.py) releases it on the day the
programme's `care_ended_release_days` (four weeks) after care ended, with the reason
"extension ended".

Every release goes through services.assignment_end, the one way an assignment ends.
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client, Programme
from stodperson.concurrency import lock_unchanged
from stodperson.errors import ServiceError, check_done_date

from .care_end_models import CareEnd, extension_release_on
from .models import Assignment
from .services import assignment_end

# simple-history's column for the reason of a change.
_CHANGE_REASON_LENGTH = 100


def is_patient_committee(client: Client) -> bool:
    return client.unit.programme.kind == Programme.Kind.PATIENT_COMMITTEE


def release_on_for(client: Client) -> date | None:
    """The day an extended assignment of this client is released, from the day their
    compulsory care ended (None before it has)."""
    if client.compulsory_care_ended_on is None:
        return None
    return extension_release_on(
        client.compulsory_care_ended_on, client.unit.programme.care_ended_release_days
    )


@transaction.atomic
def care_end_record(
    *,
    assignment: Assignment,
    ended_on: date,
    learnt_from: str,
    learnt_note: str = "",
    patient_wants_extension: bool,
    support_person_wants_extension: bool,
    version: str,
    by: User,
) -> CareEnd:
    """Record (or correct) the end of compulsory care for the client's active assignment.

    `version` is the client's (stodperson/concurrency.py), since the date is the client's
    own. Without both wishes the assignment is released at once, on the day care ended;
    with both it continues until extension_release_on, and is released then (at once, if
    that day has come already: a date corrected to an earlier one). A changed release day
    gets a new reminder."""
    client = lock_unchanged(
        Client.objects.select_related("unit__programme"), assignment.client_id, version
    )
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not is_patient_committee(client):
        raise ServiceError(_("Compulsory care is recorded for patients of the patient committee."))
    if assignment.ended_on is not None:
        raise ServiceError(_("The assignment has already ended."))
    check_done_date(
        ended_on, not_before=assignment.started_on, what=_("The day compulsory care ended")
    )
    if learnt_from not in CareEnd.Source.values:
        raise ServiceError(_("Say where the office learnt that care ended."))
    learnt_note = learnt_note.strip()
    if learnt_from == CareEnd.Source.OTHER and not learnt_note:
        raise ServiceError(_("Say where the office learnt that care ended."))
    care_end = CareEnd.objects.filter(assignment=assignment).first()
    old_release_on = release_on_for(client) if care_end is not None else None
    was_extended = care_end is not None and care_end.is_extended
    if care_end is None:
        care_end = CareEnd(assignment=assignment, recorded_by=by)
    care_end.learnt_from = learnt_from
    care_end.learnt_note = learnt_note
    care_end.patient_wants_extension = patient_wants_extension
    care_end.support_person_wants_extension = support_person_wants_extension

    client.compulsory_care_ended_on = ended_on
    reason = _("Compulsory care ended %(day)s") % {"day": f"{ended_on:%Y-%m-%d}"}
    client._change_reason = reason[:_CHANGE_REASON_LENGTH]  # type: ignore[attr-defined]
    client.save(update_fields=["compulsory_care_ended_on", "updated_at"])

    new_release_on = release_on_for(client)
    if old_release_on is not None and new_release_on != old_release_on:
        care_end.reminded_at = None  # a week before the new day, not the old one
    care_end.save()

    today = timezone.localdate()
    if not care_end.is_extended and was_extended:
        # A wish withdrawn while the extension ran: it ends today, not back when care did
        # (or on its release day, if that has passed and the job has not run yet).
        ended_today = min(today, new_release_on) if new_release_on is not None else today
        assignment_end(
            assignment=assignment,
            ended_on=max(ended_today, assignment.started_on),
            reason=Assignment.EndReason.EXTENSION_ENDED,
            by=by,
        )
    elif not care_end.is_extended:
        assignment_end(
            assignment=assignment, ended_on=ended_on, reason=Assignment.EndReason.CARE_ENDED, by=by
        )
    elif new_release_on is not None and new_release_on <= today:
        assignment_end(
            assignment=assignment,
            ended_on=new_release_on,
            reason=Assignment.EndReason.EXTENSION_ENDED,
            by=by,
        )
    return care_end


def care_end_release_claimed(*, care_end_ids: list[int], now: datetime) -> list[Assignment]:
    """Release the extended assignments whose care ends the daily job has claimed
    (CareEnd.release_claimed_at = now, in the same transaction), each on its release day,
    through assignment_end. One that cannot be released (a rule refuses it) gives its claim
    back and is left to the CARE_ENDED flag; the others are released."""
    released = []
    care_ends = (
        CareEnd.objects.filter(pk__in=care_end_ids, release_claimed_at=now)
        .select_related("assignment__client__unit__programme", "recorded_by")
        .order_by("pk")
    )
    for care_end in care_ends:
        client = care_end.assignment.client
        release_on = release_on_for(client)
        try:
            if release_on is None:
                raise ServiceError(_("Compulsory care has not ended."))
            with transaction.atomic():
                released.append(
                    assignment_end(
                        assignment=care_end.assignment,
                        ended_on=release_on,
                        reason=Assignment.EndReason.EXTENSION_ENDED,
                        by=care_end.recorded_by,
                    )
                )
        except ServiceError:
            CareEnd.objects.filter(pk=care_end.pk).update(release_claimed_at=None)
    return released
