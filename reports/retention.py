"""Retention (gallring): records that ended more than the configured number of years ago are
anonymised, following the archive rules rather than a simple delete.

What stays is what statistics and reports need: dates, units, localities, genders and the
assignments between anonymous rows. What goes is what identifies a person: names,
personnummer, contact details, free text, contacts, consents, risk measures, deviations, and
the old versions in the change history. A dry run (the default) counts and changes nothing;
every run, dry or not, is written to audit.RetentionRun.

Set-based: a fixed number of UPDATE and DELETE statements whatever the number of records."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from assignments.models import (
    Assignment,
    Decision,
    RequestPause,
    SatisfactionFollowUp,
    SupportPersonChange,
    SupportRequest,
)
from audit.models import RetentionRun
from clients.models import Client, Consent, Contact, Deviation, ProtectedIdentity, RiskMeasure
from duties.models import DutyCheck
from stodperson.dates import add_months
from stodperson.roles import ADMINISTRATORS_GROUP
from supportpersons.models import RecruitmentStep, StatusChange, SupportPerson

ANONYMISED = "Gallrad"


@dataclass
class RetentionResult:
    cutoff: date
    dry_run: bool
    clients: int
    support_persons: int
    contacts: int
    consents: int
    risk_measures: int
    deviations: int
    history_rows: int


def retention_cutoff(today: date, years: int) -> date:
    return add_months(today, -12 * years)


def clients_due(cutoff: date) -> Q:
    return Q(ended_on__lt=cutoff, anonymised_at__isnull=True)


def support_persons_due(cutoff: date) -> Q:
    """Inactive since before the cutoff, and no assignment ended after it (their name may
    still be needed while a client's recent history is kept)."""
    recent = Assignment.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=cutoff))
    return Q(
        status=SupportPerson.Status.INACTIVE,
        deactivated_on__lt=cutoff,
        anonymised_at__isnull=True,
    ) & ~Q(pk__in=recent.values("support_person_id"))


@transaction.atomic
def apply_retention(
    *, today: date, years: int, dry_run: bool = True, by: User | None = None
) -> RetentionResult:
    if years < 1:
        raise ValueError("Retention needs at least one year.")
    cutoff = retention_cutoff(today, years)
    clients = Client.objects.filter(clients_due(cutoff))
    people = SupportPerson.objects.filter(support_persons_due(cutoff))
    client_ids = clients.values("pk")
    person_ids = people.values("pk")
    related = {
        "contacts": Contact.objects.filter(client__in=client_ids),
        "consents": Consent.objects.filter(client__in=client_ids),
        "risk_measures": RiskMeasure.objects.filter(client__in=client_ids),
        "deviations": Deviation.objects.filter(client__in=client_ids),
    }
    histories = [
        Client.history.filter(id__in=client_ids),  # type: ignore[attr-defined]
        SupportPerson.history.filter(id__in=person_ids),  # type: ignore[attr-defined]
        SupportRequest.history.filter(client_id__in=client_ids),  # type: ignore[attr-defined]
        Decision.history.filter(client_id__in=client_ids),  # type: ignore[attr-defined]
    ]
    result = RetentionResult(
        cutoff=cutoff,
        dry_run=dry_run,
        clients=clients.count(),
        support_persons=people.count(),
        history_rows=sum(h.count() for h in histories),
        **{name: qs.count() for name, qs in related.items()},
    )
    if not dry_run:
        now = timezone.now()
        # Free text about the person, kept rows keep their dates.
        SupportRequest.objects.filter(client__in=client_ids).update(note="", late_reason="")
        RequestPause.objects.filter(request__client__in=client_ids).update(reason="")
        DutyCheck.objects.filter(assignment__client__in=client_ids).update(note="")
        SatisfactionFollowUp.objects.filter(assignment__client__in=client_ids).update(note="")
        SupportPersonChange.objects.filter(previous__client__in=client_ids).update(reason_note="")
        # A decision keeps what it decided and when; its reasons are free text.
        Decision.objects.filter(client__in=client_ids).update(reasons="")
        Decision.objects.filter(client=None, support_person__in=person_ids).update(reasons="")
        for queryset in [*related.values(), *histories]:
            queryset.delete()
        RecruitmentStep.objects.filter(support_person__in=person_ids).update(note="")
        StatusChange.objects.filter(support_person__in=person_ids).update(reason="")
        # The account goes with the person, unless it is also a manager's or an
        # administrator's, who are still at work.
        User.objects.filter(support_person__in=person_ids).exclude(
            Q(managed_units__isnull=False)
            | Q(groups__name=ADMINISTRATORS_GROUP)
            | Q(is_superuser=True)
        ).update(
            username=Concat(Value("gallrad-"), Cast("pk", CharField())),
            first_name="",
            last_name="",
            email="",
            is_active=False,
        )
        SupportPerson.languages.through.objects.filter(supportperson__in=person_ids).delete()
        # The anonymised rows themselves last: the filters above are subqueries on them.
        people.update(
            first_name=ANONYMISED,
            last_name="",
            search_name="",
            email="",
            phone="",
            birth_year=None,
            protected_identity=ProtectedIdentity.NONE,
            deactivation_reason="",
            user=None,
            anonymised_at=now,
        )
        clients.update(
            first_name=ANONYMISED,
            last_name="",
            search_name="",
            personnummer="",
            legal_basis="",
            protected_identity=ProtectedIdentity.NONE,
            wished_gender="",
            wished_language=None,
            end_reason="",
            anonymised_at=now,
        )
    RetentionRun.objects.create(
        dry_run=dry_run,
        cutoff=cutoff,
        counts={k: v for k, v in asdict(result).items() if isinstance(v, int)},
        by=by,
    )
    return result
