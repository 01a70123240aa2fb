"""The demo's decisions under delegation: one for every patient-committee appointment and
release, and for every recruitment and deactivation in its pool, as the acts would have
recorded them (supportpersons.delegation.decision_record). The demo writes its assignments
in bulk rather than through the services, so the decisions are written here from them, in
bulk too. The parties were told within a few days, except of the last week's decisions,
which wait for the office (the list shows them as not everyone notified)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assignments.models import Assignment, Decision
from supportpersons.models import DelegationItem, Matter, SupportPerson

from .build import Build


class Decisions(Build):
    def create_decisions(self) -> None:
        items = {
            item.matter: item
            for item in DelegationItem.objects.filter(programme=self.pc, active=True)
        }
        if len(items) < len(Matter.values):
            return  # an office that removed the list gets no made-up decisions
        recent = self.today - timedelta(days=7)

        def told(day: date) -> date | None:
            return (
                None
                if day >= recent
                else min(day + timedelta(days=self.rng.randint(0, 3)), self.today)
            )

        def decision(
            matter: str, day: date, person_id: int, reasons: str, **more: object
        ) -> Decision:
            item = items[matter]
            notified = told(day)
            patient = more.get("client_id") is not None
            return Decision(
                programme=self.pc,
                kind=matter,
                decided_on=day,
                decided_by=self.admin,
                delegation_item=item,
                delegation_reference=item.reference,
                delegate=item.delegate,
                reasons=reasons,
                support_person_id=person_id,
                volunteer_notified_on=notified,
                patient_notified_on=notified if patient else None,
                ward_notified_on=notified if patient else None,
                **more,  # type: ignore[arg-type]
            )

        rows = []
        assignments = Assignment.objects.filter(client__unit__programme=self.pc).select_related(
            "request"
        )
        for a in assignments:
            received = a.request.received_on if a.request else None
            rows.append(
                decision(
                    Matter.APPOINTMENT,
                    a.started_on,
                    a.support_person_id,
                    _("The patient's request for a support person, received %(day)s.")
                    % {"day": date_format(received, "DATE_FORMAT")}
                    if received
                    else _("Appointment of a support person."),
                    client_id=a.client_id,
                    assignment_id=a.pk,
                )
            )
            if a.ended_on is not None:
                rows.append(
                    decision(
                        Matter.RELEASE,
                        a.ended_on,
                        a.support_person_id,
                        f"{a.get_end_reason_display()}.",
                        client_id=a.client_id,
                        assignment_id=a.pk,
                    )
                )
        pool = SupportPerson.objects.filter(programme=self.pc)
        for person in pool.exclude(recruited_on=None):
            rows.append(
                decision(
                    Matter.RECRUITMENT,
                    person.recruited_on,  # type: ignore[arg-type]
                    person.pk,
                    _(
                        "Recruited after a background check, an interview, approval and the "
                        "introduction training."
                    ),
                )
            )
        for person in pool.exclude(deactivated_on=None):
            rows.append(
                decision(
                    Matter.DEACTIVATION,
                    person.deactivated_on,  # type: ignore[arg-type]
                    person.pk,
                    person.deactivation_reason or _("Support person deactivated"),
                )
            )
        created = Decision.objects.bulk_create(rows, batch_size=2000)
        Decision.history.bulk_history_create(  # type: ignore[attr-defined]
            created,
            batch_size=2000,
            default_user=self.admin,
            default_change_reason=self.profile.history_reason,
            default_date=self.now,
        )
        self.counts["decisions"] = len(created)
