"""Decisions under delegation (delegationsbeslut): one for every appointment, release,
recruitment and deactivation in a patient committee's programme.

The model lives here, beside the assignment it refers to; it is written only through
`supportpersons.delegation.decision_record`, which every act calls in its own transaction
(that module says why it stands there). The office completes a decision afterwards with the
dates the patient, the volunteer and the ward were told, and may adjust the reasons.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.models import Client, Programme, Unit, managed_client_scope
from stodperson.access import ScopedQuerySet
from supportpersons.models import DelegationItem, Matter, SupportPerson

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class DecisionQuerySet(ScopedQuerySet["Decision"]):
    def scope(self, user: User, *, write: bool) -> Q:
        """A decision on a patient is the business of whoever manages the patient's unit
        (the unit manager appoints and releases there, as the assignment's scope says). A
        decision on a volunteer alone (recruitment, deactivation) follows the support
        person's scope: a manager of a committee's office reads the committee's pool, and
        changes only the people of their own units."""
        units = Unit.objects.filter(managers=user)
        about_a_patient = Q(client__isnull=False) & managed_client_scope(user, "client__")
        if write:
            about_a_person = Q(client__isnull=True, support_person__unit__in=units)
        else:
            committees = Programme.objects.filter(
                kind=Programme.Kind.PATIENT_COMMITTEE, units__managers=user
            )
            about_a_person = Q(client__isnull=True, programme__in=committees)
        return about_a_patient | about_a_person

    def in_period(self, first: date, last: date) -> DecisionQuerySet:
        return self.filter(decided_on__gte=first, decided_on__lte=last)

    def for_list(self) -> DecisionQuerySet:
        """The period's list and its files: everything a row shows, joined."""
        return self.select_related(
            "client__unit", "support_person", "decided_by", "assignment"
        ).order_by("decided_on", "id")


class Decision(models.Model):
    """A decision under delegation: what was decided, when, by whom, under which item of
    the delegation list, why, and when the parties were told."""

    Kind = Matter

    programme = models.ForeignKey(
        Programme, models.PROTECT, related_name="decisions", verbose_name=_("programme")
    )
    kind = models.CharField(_("decision"), max_length=20, choices=Matter.choices)
    decided_on = models.DateField(_("decision date"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    delegation_item = models.ForeignKey(
        DelegationItem,
        models.PROTECT,
        related_name="decisions",
        verbose_name=_("delegation item"),
    )
    # As they stood when the decision was taken: the list may be revised afterwards.
    delegation_reference = models.CharField(_("delegation reference"), max_length=20)
    delegate = models.CharField(_("delegate"), max_length=200)
    reasons = models.TextField(_("reasons"))
    support_person = models.ForeignKey(
        SupportPerson, models.PROTECT, related_name="decisions", verbose_name=_("support person")
    )
    client = models.ForeignKey(
        Client,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("patient"),
    )
    assignment = models.ForeignKey(
        "Assignment",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("assignment"),
    )
    patient_notified_on = models.DateField(_("patient notified"), null=True, blank=True)
    volunteer_notified_on = models.DateField(_("support person notified"), null=True, blank=True)
    ward_notified_on = models.DateField(_("ward notified"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    # The version an edit form was filled in against (stodperson/concurrency.py).
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision under delegation")
        verbose_name_plural = _("decisions under delegation")
        ordering = ["decided_on", "id"]
        indexes = [models.Index(fields=["programme", "decided_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(client__isnull=False)
                | Q(kind__in=[Matter.RECRUITMENT, Matter.DEACTIVATION]),
                name="decision_on_an_assignment_has_a_patient",
                violation_error_message=_("An appointment or a release concerns a patient."),
            ),
        ]

    def __str__(self) -> str:
        # No name: the string stands in the admin's logs and the history.
        return _("Decision %(id)s") % {"id": self.pk}

    @property
    def concerns_patient(self) -> bool:
        return self.client_id is not None

    @property
    def all_notified(self) -> bool:
        """Everyone the decision concerns has been told: the support person, and for a
        decision on a patient the patient and the ward too."""
        told = [self.volunteer_notified_on]
        if self.concerns_patient:
            told += [self.patient_notified_on, self.ward_notified_on]
        return all(day is not None for day in told)
