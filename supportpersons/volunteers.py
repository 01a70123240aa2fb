"""The patient committee's volunteers (issue 16, item 2): the confidentiality undertaking
(tystnadsförbindelse) they accept in the app, and the background check (utdrag ur
belastningsregistret) that runs out after the programme's validity.

The first check is the recruitment step BACKGROUND_CHECK (one per person); a renewal is a
BackgroundCheck row. A person's check is the latest passed one of the two; it runs out
`Programme.background_check_valid_months` after its date."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import DateField, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Programme
from stodperson.dates import add_months
from stodperson.errors import ServiceError

from .models import (
    BackgroundCheck,
    RecruitmentStep,
    SupportPerson,
    SupportPersonQuerySet,
    UndertakingAcceptance,
    UndertakingVersion,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The warnings before a check runs out (issue 16), and 0 for "has run out".
WARNING_DAYS = (60, 30, 7)


def is_volunteer(person: SupportPerson) -> bool:
    """A support person of a patient committee: the programme whose volunteers use the app
    themselves. Reads person.programme (select it with the person)."""
    return person.programme.kind == Programme.Kind.PATIENT_COMMITTEE


# --- The undertaking ----------------------------------------------------------------------


def current_undertaking(programme_id: int, *, today: date) -> UndertakingVersion | None:
    """The programme's version in force on `today`: the highest number already valid."""
    return (
        UndertakingVersion.objects.filter(programme_id=programme_id, valid_from__lte=today)
        .order_by("-number")
        .first()
    )


def undertaking_due(person: SupportPerson, *, today: date) -> UndertakingVersion | None:
    """The current version when the person has not accepted it yet; None when accepted or
    when the programme has no undertaking. Two queries."""
    version = current_undertaking(person.programme_id, today=today)
    if version is None or version.acceptances.filter(support_person=person).exists():
        return None
    return version


def accepted_undertaking(person: SupportPerson) -> UndertakingAcceptance | None:
    return person.undertaking_acceptances.select_related("version").order_by("-accepted_at").first()


@transaction.atomic
def undertaking_accept(
    *, support_person: SupportPerson, version: UndertakingVersion, by: User
) -> UndertakingAcceptance:
    """The volunteer accepts this version: who, when and which version are kept."""
    if version.programme_id != support_person.programme_id:
        raise ServiceError(_("This undertaking belongs to another programme."))
    try:
        with transaction.atomic():
            return UndertakingAcceptance.objects.create(
                support_person=support_person, version=version, accepted_at=timezone.now(), user=by
            )
    except IntegrityError:
        # A double click: the first acceptance stands.
        return UndertakingAcceptance.objects.get(support_person=support_person, version=version)


# --- The background check -----------------------------------------------------------------


def with_background_check(people: SupportPersonQuerySet) -> SupportPersonQuerySet:
    """Each person's `background_checked_on`: the date of their latest passed check, the
    recruitment step or a renewal, whichever is later (None for neither). Two subqueries."""
    step = Subquery(
        RecruitmentStep.objects.filter(
            support_person=OuterRef("pk"),
            step=RecruitmentStep.Step.BACKGROUND_CHECK,
            outcome=RecruitmentStep.Outcome.PASSED,
        ).values("on")[:1],
        output_field=DateField(),
    )
    renewal = Subquery(
        BackgroundCheck.objects.filter(
            support_person=OuterRef("pk"), outcome=RecruitmentStep.Outcome.PASSED
        )
        .order_by()
        .values("support_person")
        .annotate(last=Max("checked_on"))
        .values("last"),
        output_field=DateField(),
    )
    # GREATEST ignores a NULL on PostgreSQL but not on SQLite: each side falls back to the other.
    return people.annotate(
        background_checked_on=Greatest(Coalesce(step, renewal), Coalesce(renewal, step))
    )


def check_runs_out(checked_on: date | None, valid_months: int) -> date | None:
    """The first day the check no longer counts."""
    return add_months(checked_on, valid_months) if checked_on is not None else None


def background_check_runs_out(person: SupportPerson) -> date | None:
    """When the person's check runs out (None: no passed check). Reads the annotation of
    with_background_check when the person carries it; otherwise one query."""
    if not hasattr(person, "background_checked_on"):
        person = with_background_check(
            SupportPerson.objects.select_related("programme").filter(pk=person.pk)
        ).get()
    checked_on: date | None = person.background_checked_on  # type: ignore[attr-defined]
    return check_runs_out(checked_on, person.programme.background_check_valid_months)


def warning_threshold(runs_out: date, *, today: date) -> int | None:
    """The warning reached on `today`: 60, 30 or 7 (days or fewer left), 0 once it has run
    out, None while more than 60 days are left."""
    left = (runs_out - today).days
    if left <= 0:
        return 0
    reached = [days for days in WARNING_DAYS if left <= days]
    return min(reached) if reached else None


@transaction.atomic
def background_check_record(
    *, support_person: SupportPerson, checked_on: date, outcome: str, by: User
) -> BackgroundCheck:
    """A renewed check: its date and outcome only, never the extract (GDPR art. 10)."""
    if checked_on > timezone.localdate():
        raise ServiceError(_("The date cannot be in the future."))
    return BackgroundCheck.objects.create(
        support_person=support_person, checked_on=checked_on, outcome=outcome, by=by
    )
