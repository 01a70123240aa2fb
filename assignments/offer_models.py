"""Offers (förfrågningar): the office asks one or more volunteers to take a request's
assignment; each accepts or declines on the phone (issue 16, item 3; domain.md, "The
volunteer's loop", 2). An offer does not answer the request: the appointment does, so the
request clock keeps running while offers are out (assignments/clock.py knows nothing of
them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.models import Gender
from stodperson.access import ScopedQuerySet
from supportpersons.models import SupportPerson

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Open and accepted offers are the live ones: at most one per request and person.
LIVE = ("open", "accepted")


class OfferQuerySet(ScopedQuerySet["Offer"]):
    # Accepting and declining are the volunteer's own answer: nobody gives it for them.
    administrators_write = False

    def scope(self, user: User, *, write: bool) -> Q:
        """A volunteer reads and answers only the offers made to them."""
        return Q(support_person__user=user)

    def open_at(self, now: datetime) -> OfferQuerySet:
        """Open and not yet expired at `now`: an offer expires exactly at expires_at."""
        return self.filter(status=Offer.Status.OPEN, expires_at__gt=now)

    def live(self) -> OfferQuerySet:
        return self.filter(status__in=LIVE)

    def for_request_page(self) -> OfferQuerySet:
        """A request's offers with their volunteers, for the request page: one query."""
        return self.select_related("support_person", "offered_by").order_by("offered_at", "pk")

    def for_volunteer(self) -> OfferQuerySet:
        """The volunteer's offers with what they may see of the request (Offer.preview):
        one query."""
        return self.select_related(
            "request__wished_language",
            "request__client__unit__locality",
            "request__client__wished_language",
        ).order_by("-offered_at", "-pk")


class Offer(models.Model):
    """One volunteer asked to take one request's assignment."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Withdrawn by the office")
        CLOSED = "closed", _("Closed")

    LIVE_STATES = (Status.OPEN, Status.ACCEPTED)

    request = models.ForeignKey(
        "assignments.SupportRequest",
        models.PROTECT,
        related_name="offers",
        verbose_name=_("request"),
    )
    support_person = models.ForeignKey(
        SupportPerson, models.PROTECT, related_name="offers", verbose_name=_("support person")
    )
    offered_at = models.DateTimeField(_("offered"), default=timezone.now)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offered by"),
    )
    expires_at = models.DateTimeField(_("expires"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    # The office's words to the volunteer with the offer: shown in the app, never mailed.
    message = models.TextField(_("message to the support person"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # What the volunteer was told when the offer closed without their answer.
    closing_message = models.TextField(_("message when closed"), blank=True)

    history = HistoricalRecords()
    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-offered_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "support_person"],
                condition=Q(status__in=LIVE),
                name="offer_one_live_per_person_and_request",
                violation_error_message=_("The support person already has an offer for it."),
            ),
            # The first acceptance wins: a second one for the same request is refused, even
            # when two volunteers answer at the same moment.
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status="accepted"),
                name="offer_one_accepted_per_request",
                violation_error_message=_("Another support person has already accepted."),
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("offered_at")),
                name="offer_expires_after_offered",
                violation_error_message=_("An offer must expire after it is made."),
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="offer_declined_has_reason",
                violation_error_message=_("A declined offer needs a reason."),
            ),
        ]
        indexes = [
            models.Index(fields=["support_person", "status"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self) -> str:
        return _("Offer %(id)s") % {"id": self.pk}

    def state(self, now: datetime | None = None) -> str:
        """The status as it stands at `now`: an open offer past expires_at has expired,
        whether or not the periodic job has marked it yet."""
        now = now or timezone.now()
        if self.status == self.Status.OPEN and now >= self.expires_at:
            return self.Status.EXPIRED
        return self.status

    def state_label(self, now: datetime | None = None) -> str:
        return str(self.Status(self.state(now)).label)

    def is_open(self, now: datetime | None = None) -> bool:
        return self.state(now) == self.Status.OPEN

    def preview(self) -> OfferPreview:
        """What the volunteer is shown of the patient before accepting (see OfferPreview);
        no query with OfferQuerySet.for_volunteer()."""
        request = self.request
        client = request.client
        language = request.wished_language or client.wished_language
        gender = request.wished_gender or client.wished_gender
        return OfferPreview(
            ward="" if client.is_protected else client.unit.name,
            locality=client.unit.locality.name,
            wished_language=language.name if language else "",
            wished_gender=str(Gender(gender).label) if gender else "",
        )


@dataclass(frozen=True)
class OfferPreview:
    """What a volunteer needs to say yes or no, and no more (GDPR art. 5.1 c, data
    minimisation): where (the ward and the locality) and the patient's wishes for the
    support person (language, gender). Never the name, personnummer, age, legal basis or
    the office's note on the request; the name comes with the appointment. For a protected
    identity not even the ward: the locality alone until the appointment."""

    ward: str
    locality: str
    wished_language: str
    wished_gender: str
