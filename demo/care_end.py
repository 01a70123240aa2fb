"""The demo's end of compulsory care: one patient whose care has ended and whose assignment
runs on for the four weeks the law allows, at the patient's and the volunteer's wish
(assignments/care_end.py)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import User

from assignments.models import Assignment, CareEnd
from clients.models import Programme


def create_care_end_extension(*, today: date, recorded_by: User) -> CareEnd | None:
    """The active assignment of the patient whose care ended longest ago within the
    programme's release days, recorded as extended; None when the demo has no such patient."""
    candidates = (
        Assignment.objects.active()
        .filter(
            client__unit__programme__kind=Programme.Kind.PATIENT_COMMITTEE,
            client__compulsory_care_ended_on__isnull=False,
            client__compulsory_care_ended_on__gte=today - timedelta(days=27),
        )
        .select_related("client__unit__programme")
        .order_by("client__compulsory_care_ended_on", "pk")
    )
    assignment = candidates.first()
    if assignment is None:
        return None
    return CareEnd.objects.create(
        assignment=assignment,
        learnt_from=CareEnd.Source.WARD,
        patient_wants_extension=True,
        support_person_wants_extension=True,
        recorded_by=recorded_by,
    )
