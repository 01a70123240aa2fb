"""The committee's delegation list (delegationsordning) and the one function that records a
decision taken under it (delegationsbeslut).

A patient committee appoints (förordnar), releases (entledigar), recruits and deactivates
its volunteers by decisions under delegation (domain.md, "The volunteer's loop", 6): each is
recorded with who, when, the item of the delegation list it rests on and the reasons, and
is reported to the committee's next meeting. Personal assistance has no such decisions: the
unit manager gives an assistant the work as an employer, not a committee by delegation, so
`decision_record` records nothing there.

Where things live, and why: the acts are services in two apps. Appointing, releasing and
changing are `assignments.services`; recruitment is here, in `supportpersons.services`; and
supportpersons stands below assignments and never imports it (docs/architecture.md). The
decision refers to the assignment it concerns, so its model (`assignments.Decision`) lives
in assignments, where a real foreign key to the assignment can be declared; the delegation
list, which only needs the programme, lives here. This module reaches the decision model
through the relation assignments declares on DelegationItem (`decisions`), as
`clients.models.assignment_model` does for assignments, so every hook, in either app, calls
this one `decision_record` inside the act's own transaction: an act that fails leaves no
decision, and a decision that cannot be recorded (no delegation item for its matter) stops
the act.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from clients.models import Client, Programme
from stodperson.errors import ServiceError

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class Decided(Protocol):
    """What a decision needs of the support person it concerns (models.SupportPerson,
    which imports this module, so it is not imported here)."""

    pk: Any

    @property
    def programme(self) -> Programme: ...


class Matter(models.TextChoices):
    """What a decision under delegation decides: the matters of the delegation list."""

    APPOINTMENT = "appointment", gettext_lazy("Appointing a support person")
    RELEASE = "release", gettext_lazy("Releasing a support person")
    RECRUITMENT = "recruitment", gettext_lazy("Recruiting a support person")
    DEACTIVATION = "deactivation", gettext_lazy("Deactivating a support person")


class DelegationItem(models.Model):
    """One item of a programme's delegation list: the matter, its reference in the
    committee's delegationsordning ("3.2") and to whom it is delegated. Edited by the
    administrators in the admin; an item that decisions rest on is retired (not active),
    never deleted, so those decisions keep their reference."""

    programme = models.ForeignKey(
        Programme,
        models.PROTECT,
        related_name="delegation_items",
        verbose_name=gettext_lazy("programme"),
    )
    reference = models.CharField(
        gettext_lazy("reference"),
        max_length=20,
        help_text=gettext_lazy("The item's number in the delegation list, e.g. 3.2."),
    )
    matter = models.CharField(gettext_lazy("matter"), max_length=20, choices=Matter.choices)
    delegate = models.CharField(
        gettext_lazy("delegate"),
        max_length=200,
        help_text=gettext_lazy("The role or title the decision is delegated to."),
    )
    note = models.TextField(gettext_lazy("note"), blank=True)
    active = models.BooleanField(
        gettext_lazy("in force"),
        default=True,
        help_text=gettext_lazy("New decisions rest on the item in force for their matter."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("delegation item")
        verbose_name_plural = gettext_lazy("delegation list")
        ordering = ["programme", "reference", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "matter"],
                condition=Q(active=True),
                name="delegationitem_one_in_force_per_matter",
                violation_error_message=gettext_lazy(
                    "The programme already has an item in force for this matter: retire it first."
                ),
            ),
            models.UniqueConstraint(
                fields=["programme", "reference"],
                condition=Q(active=True),
                name="delegationitem_reference_unique",
                violation_error_message=gettext_lazy(
                    "The programme already has an item in force with this reference."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_matter_display()}"


def decision_model() -> type[Any]:
    """The decision model, reached through the relation the assignments app declares on
    DelegationItem: supportpersons stands below assignments and never imports it."""
    return DelegationItem._meta.get_field("decisions").related_model  # type: ignore[return-value]


def delegation_item_for(programme: Programme, matter: str) -> DelegationItem:
    """The item in force for the matter, or a message for the user: a decision under
    delegation needs the delegation it rests on."""
    item = DelegationItem.objects.filter(programme=programme, matter=matter, active=True).first()
    if item is None:
        raise ServiceError(
            _(
                "The delegation list of %(programme)s has no item in force for “%(matter)s”, "
                "so the decision cannot be recorded. An administrator adds it under "
                "Administration, Delegation list."
            )
            % {"programme": programme.name, "matter": Matter(matter).label}
        )
    return item


def decision_record(
    *,
    matter: str,
    support_person: Decided,
    decided_on: date,
    by: User,
    reasons: str,
    client: Client | None = None,
    assignment: Any = None,
) -> Any:
    """Record the decision of an act, in the act's transaction (call it from the service
    that does the act). None in a programme without decisions under delegation."""
    programme = support_person.programme
    if programme.kind != Programme.Kind.PATIENT_COMMITTEE:
        return None
    item = delegation_item_for(programme, matter)
    return decision_model().objects.create(
        programme=programme,
        kind=matter,
        decided_on=decided_on,
        decided_by=by,
        delegation_item=item,
        delegation_reference=item.reference,
        delegate=item.delegate,
        reasons=reasons.strip(),
        support_person=support_person,
        client=client,
        assignment=assignment,
    )
