"""The office completes a decision under delegation after the act: when the patient, the
support person and the ward were told, and the reasons as they should stand in the letters.
What was decided, when, by whom and under which delegation item stays as the act recorded
it (supportpersons.delegation.decision_record)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from stodperson.concurrency import lock_unchanged
from stodperson.errors import ServiceError, check_done_date

from .decision_models import Decision

# simple-history's column for the reason of a change.
_CHANGE_REASON_LENGTH = 100


@transaction.atomic
def decision_update(
    *,
    decision: Decision,
    reasons: str,
    patient_notified_on: date | None,
    volunteer_notified_on: date | None,
    ward_notified_on: date | None,
    version: str,
    by: User,
) -> Decision:
    decision = lock_unchanged(Decision.objects.all(), decision.pk, version)
    reasons = reasons.strip()
    if not reasons:
        raise ServiceError(_("Give the reasons for the decision."))
    if not decision.concerns_patient and (patient_notified_on or ward_notified_on):
        raise ServiceError(_("The decision concerns no patient: only the support person is told."))
    # A party is told of a decision once it is taken, and not in the future.
    for day, what in (
        (patient_notified_on, _("The date the patient was notified")),
        (volunteer_notified_on, _("The date the support person was notified")),
        (ward_notified_on, _("The date the ward was notified")),
    ):
        if day is not None:
            check_done_date(day, not_before=decision.decided_on, what=what)
    decision.reasons = reasons
    decision.patient_notified_on = patient_notified_on
    decision.volunteer_notified_on = volunteer_notified_on
    decision.ward_notified_on = ward_notified_on
    decision._change_reason = _("Completed by the office")[:_CHANGE_REASON_LENGTH]  # type: ignore[attr-defined]
    decision.save(
        update_fields=[
            "reasons",
            "patient_notified_on",
            "volunteer_notified_on",
            "ward_notified_on",
            "updated_at",
        ]
    )
    return decision
