"""Writes on the support-person pool: recruitment, pause and reactivation, training events.

Deactivation is `assignments.services.support_person_deactivate`, since it releases the
person's assignments. Each function is keyword-only, runs in one transaction and raises
ServiceError with a message for the user when a rule is broken; nothing is half-saved.

The dated history is StatusChange: every change of status writes one row. `recruited_on`
is the first day the person became active and stays so; a reactivated person has
`deactivated_on` cleared, and the gap is in the StatusChange rows (models.status_on).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clients.models import Language, Locality, Programme, Unit
from stodperson.errors import ServiceError

from .delegation import Matter, decision_record
from .models import RecruitmentStep, Registration, StatusChange, SupportPerson, TrainingEvent

Step = RecruitmentStep.Step
Status = SupportPerson.Status

# The patient committee's routine: a volunteer is appointed only after a passed background
# check and interview, approval and the introduction training.
REQUIRED_BEFORE = {
    Step.APPROVED: [Step.BACKGROUND_CHECK, Step.INTERVIEW],
    Step.ACTIVE: [Step.BACKGROUND_CHECK, Step.INTERVIEW, Step.APPROVED, Step.INTRODUCTION],
}
NEEDS_OUTCOME = {Step.BACKGROUND_CHECK, Step.INTERVIEW}


def _not_in_future(on: date, what: str) -> None:
    if on > timezone.localdate():
        raise ServiceError(_("%(what)s cannot be in the future.") % {"what": what})


def _lock(person: SupportPerson) -> SupportPerson:
    return SupportPerson.objects.select_for_update().get(pk=person.pk)


@transaction.atomic
def support_person_create(
    *,
    programme: Programme,
    first_name: str,
    last_name: str,
    gender: str,
    locality: Locality,
    interest_on: date,
    by: User,
    unit: Unit | None = None,
    birth_year: int | None = None,
    languages: Iterable[Language] = (),
    phone: str = "",
    email: str = "",
    capacity: int = 3,
    protected_identity: str = "none",
) -> SupportPerson:
    """A new applicant, with the expression of interest as the first recruitment step."""
    _not_in_future(interest_on, _("The date"))
    if unit is not None and unit.programme_id != programme.pk:
        raise ServiceError(_("The unit belongs to another programme."))
    person = SupportPerson.objects.create(
        programme=programme,
        unit=unit,
        first_name=first_name,
        last_name=last_name,
        gender=gender,
        birth_year=birth_year,
        locality=locality,
        phone=phone,
        email=email,
        capacity=capacity,
        protected_identity=protected_identity,
        status=Status.APPLICANT,
    )
    person.languages.set(languages)
    RecruitmentStep.objects.create(support_person=person, step=Step.INTEREST, on=interest_on, by=by)
    StatusChange.objects.create(
        support_person=person,
        status=Status.APPLICANT,
        on=interest_on,
        reason=str(Step.INTEREST.label),
        by=by,
    )
    return person


@transaction.atomic
def recruitment_step_record(
    *,
    support_person: SupportPerson,
    step: str,
    on: date,
    outcome: str = "",
    note: str = "",
    by: User,
) -> RecruitmentStep:
    """Record one step. The step "active" makes the person active: status, the first
    recruited date and a StatusChange."""
    person = _lock(support_person)
    _not_in_future(on, _("The date"))
    if person.status == Status.INACTIVE:
        raise ServiceError(_("The person is inactive: reactivate them first."))
    if step == Step.BACKGROUND_CHECK and note:
        # Only the date and the outcome: nothing from the extract is kept (GDPR art. 10).
        raise ServiceError(_("Record only the date and the outcome of a background check."))
    if step in NEEDS_OUTCOME and not outcome:
        raise ServiceError(_("Record the outcome of the step."))
    steps = {s.step: s for s in person.recruitment_steps.all()}
    if step in steps:
        raise ServiceError(_("That step is already recorded for the person."))
    interest = steps.get(Step.INTEREST)
    if interest is not None and on < interest.on:
        raise ServiceError(
            _("The date cannot be before the expression of interest (%(day)s).")
            % {"day": date_format(interest.on, "DATE_FORMAT")}
        )
    if step in (Step.APPROVED, Step.INTRODUCTION, Step.ACTIVE):
        failed = [s for s in steps.values() if s.failed]
        if failed:
            raise ServiceError(
                _("“%(step)s” was not passed: the person cannot go on.")
                % {"step": failed[0].get_step_display()}
            )
    if step == Step.ACTIVE:
        _activate(person, steps=steps, on=on, by=by)
    elif step == Step.APPROVED and person.programme.kind == Programme.Kind.PATIENT_COMMITTEE:
        _require(steps, REQUIRED_BEFORE[Step.APPROVED])
    return RecruitmentStep.objects.create(
        support_person=person, step=step, on=on, outcome=outcome, note=note, by=by
    )


def _require(steps: dict[str, RecruitmentStep], required: Sequence[str]) -> None:
    missing = [str(Step(s).label) for s in required if s not in steps]
    if missing:
        raise ServiceError(_("First record: %(steps)s.") % {"steps": ", ".join(missing)})


def _activate(
    person: SupportPerson, *, steps: dict[str, RecruitmentStep], on: date, by: User
) -> None:
    if person.status != Status.APPLICANT:
        raise ServiceError(
            _("Only an applicant can be activated; the person is “%(status)s”.")
            % {"status": person.get_status_display()}
        )
    if person.programme.kind == Programme.Kind.PATIENT_COMMITTEE:
        _require(steps, REQUIRED_BEFORE[Step.ACTIVE])
    latest = max((s.on for s in steps.values()), default=on)
    if on < latest:
        raise ServiceError(
            _("The person cannot become active before their last step (%(day)s).")
            % {"day": date_format(latest, "DATE_FORMAT")}
        )
    person.status = Status.ACTIVE
    if person.recruited_on is None:
        person.recruited_on = on
    person.save(update_fields=["status", "recruited_on"])
    StatusChange.objects.create(
        support_person=person, status=Status.ACTIVE, on=on, reason=_("Recruited"), by=by
    )
    # The committee admits the volunteer to its pool by a decision under delegation.
    decision_record(
        matter=Matter.RECRUITMENT,
        support_person=person,
        decided_on=on,
        by=by,
        reasons=_(
            "Recruited after a background check, an interview, approval and the "
            "introduction training."
        ),
    )


def _last_change_on(person: SupportPerson) -> date | None:
    last = person.status_changes.order_by("-on", "-id").first()
    return last.on if last else None


def check_after_history(person: SupportPerson, on: date) -> None:
    _not_in_future(on, _("The date"))
    last = _last_change_on(person)
    floor = max(d for d in (last, person.recruited_on, person.deactivated_on, on) if d)
    if on < floor:
        raise ServiceError(
            _("The date cannot be before the last change of status (%(day)s).")
            % {"day": date_format(floor, "DATE_FORMAT")}
        )


@transaction.atomic
def support_person_pause(
    *, support_person: SupportPerson, on: date, reason: str, by: User
) -> SupportPerson:
    """A pause (uppehåll): the person takes no new clients; their current assignments stay
    until someone changes them. Still in the pool, as in `active_on`."""
    person = _lock(support_person)
    if person.status != Status.ACTIVE:
        raise ServiceError(
            _("Only an active person can be paused; the person is “%(status)s”.")
            % {"status": person.get_status_display()}
        )
    check_after_history(person, on)
    person.status = Status.PAUSED
    person.save(update_fields=["status"])
    StatusChange.objects.create(
        support_person=person, status=Status.PAUSED, on=on, reason=reason, by=by
    )
    return person


@transaction.atomic
def support_person_reactivate(
    *, support_person: SupportPerson, on: date, reason: str, by: User
) -> SupportPerson:
    """Back from a pause, or back after a deactivation. `recruited_on` stays the first
    activation; `deactivated_on` is cleared, and the StatusChange rows keep the gap. A
    person deactivated before they ever became active is an applicant again."""
    person = _lock(support_person)
    if person.status not in (Status.PAUSED, Status.INACTIVE):
        raise ServiceError(
            _("Only a paused or inactive person can be reactivated; the person is “%(status)s”.")
            % {"status": person.get_status_display()}
        )
    check_after_history(person, on)
    person.status = Status.ACTIVE if person.recruited_on else Status.APPLICANT
    person.deactivated_on = None
    person.deactivation_reason = ""
    person.save(update_fields=["status", "deactivated_on", "deactivation_reason"])
    StatusChange.objects.create(
        support_person=person, status=person.status, on=on, reason=reason, by=by
    )
    return person


# --- Training events ------------------------------------------------------------------


def registrable(event: TrainingEvent) -> list[str]:
    """Statuses that may register: applicants too for the introduction training."""
    if event.kind == TrainingEvent.Kind.INTRODUCTION:
        return [Status.APPLICANT, Status.ACTIVE]
    return [Status.ACTIVE]


@transaction.atomic
def registrations_add(
    *, event: TrainingEvent, people: Iterable[SupportPerson], by: User
) -> list[Registration]:
    event = TrainingEvent.objects.select_for_update().get(pk=event.pk)
    if event.status != TrainingEvent.Status.PLANNED:
        raise ServiceError(_("Only a planned event takes registrations."))
    allowed = set(
        SupportPerson.objects.filter(
            programme_id=event.programme_id,
            locality_id=event.locality_id,
            status__in=registrable(event),
        ).values_list("pk", flat=True)
    )
    already = set(event.registrations.current().values_list("support_person_id", flat=True))
    removed = {r.support_person_id: r for r in event.registrations.exclude(removed_at=None)}
    today = timezone.localdate()
    new, again = [], []
    for person in people:
        if person.pk not in allowed:
            raise ServiceError(
                _("%(name)s cannot register for this event.") % {"name": person.display_name}
            )
        if person.pk in removed:  # registered again after a removal: one row per person
            registration = removed[person.pk]
            registration.registered_on, registration.attended = today, None
            registration.removed_at = registration.removed_by = None
            again.append(registration)
        elif person.pk not in already:
            new.append(Registration(event=event, support_person=person, registered_on=today))
    Registration.objects.bulk_update(
        again, ["registered_on", "attended", "removed_at", "removed_by"]
    )
    return [*again, *Registration.objects.bulk_create(new)]


@transaction.atomic
def registration_remove(*, registration: Registration, by: User) -> Registration:
    """Take a person off a planned event's list. The row is kept with when and by whom it
    was removed; it no longer counts as registered (Registration.objects.current())."""
    event = TrainingEvent.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if event.status != TrainingEvent.Status.PLANNED:
        raise ServiceError(_("Only a planned event's registrations can be removed."))
    if registration.removed_at is not None:
        raise ServiceError(_("The registration has already been removed."))
    registration.removed_at = timezone.now()
    registration.removed_by = by
    registration.save(update_fields=["removed_at", "removed_by"])
    return registration


@transaction.atomic
def attendance_record(*, event: TrainingEvent, attended: set[int], by: User) -> TrainingEvent:
    """Who came, from one form: every registration is marked attended or not; an
    introduction training attended is also the person's recruitment step. Saving attendance
    does not mark the event held: that is its own step (training_event_mark_held), since a
    held event counts in the tertial report (issue 14)."""
    event = TrainingEvent.objects.select_for_update().get(pk=event.pk)
    if event.status == TrainingEvent.Status.CANCELLED:
        raise ServiceError(_("The event was cancelled."))
    if event.on > timezone.localdate():
        raise ServiceError(_("Attendance can be marked on the day of the event, not before."))
    registrations = list(event.registrations.current())
    for registration in registrations:
        registration.attended = registration.pk in attended
    Registration.objects.bulk_update(registrations, ["attended"])
    if event.kind == TrainingEvent.Kind.INTRODUCTION:
        came = [r.support_person_id for r in registrations if r.attended]
        done = set(
            RecruitmentStep.objects.filter(
                support_person_id__in=came, step=Step.INTRODUCTION
            ).values_list("support_person_id", flat=True)
        )
        RecruitmentStep.objects.bulk_create(
            RecruitmentStep(
                support_person_id=pk,
                step=Step.INTRODUCTION,
                on=event.on,
                outcome=RecruitmentStep.Outcome.PASSED,
                note=event.title,
                by=by,
            )
            for pk in came
            if pk not in done
        )
    return event


@transaction.atomic
def training_event_cancel(*, event: TrainingEvent, reason: str, by: User) -> TrainingEvent:
    event = TrainingEvent.objects.select_for_update().get(pk=event.pk)
    if event.status != TrainingEvent.Status.PLANNED:
        raise ServiceError(_("Only a planned event can be cancelled."))
    if not reason.strip():
        raise ServiceError(_("Give a reason for the cancellation."))
    event.status = TrainingEvent.Status.CANCELLED
    event.cancel_reason = reason.strip()
    event.save(update_fields=["status", "cancel_reason"])
    return event


@transaction.atomic
def training_event_mark_held(*, event: TrainingEvent, by: User) -> TrainingEvent:
    event = TrainingEvent.objects.select_for_update().get(pk=event.pk)
    if event.status != TrainingEvent.Status.PLANNED:
        raise ServiceError(_("Only a planned event can be marked as held."))
    if event.on > timezone.localdate():
        raise ServiceError(_("An event can be marked as held on its day, not before."))
    event.status = TrainingEvent.Status.HELD
    event.save(update_fields=["status"])
    return event
