"""What the register keeps about a client beyond the client's own facts: contacts, consents,
risk assessments and measures, and deviations. Models of the clients app (re-exported by
clients.models), kept in their own module so that each stays small."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Contact(models.Model):
    class Role(models.TextChoices):
        GOOD_MAN = "god_man", _("God man (trustee)")
        ADMINISTRATOR = "forvaltare", _("Förvaltare (administrator)")
        RELATIVE = "narstaende", _("Relative")
        CASE_OFFICER = "handlaggare_kommun", _("Case officer, municipality")
        CASE_OFFICER_FK = "handlaggare_fk", _("Case officer, Försäkringskassan")

    client = models.ForeignKey(
        "clients.Client", models.CASCADE, related_name="contacts", verbose_name=_("client")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # A relative is contacted on the client's consent (OSL 26 kap. 1 §): the one it rests on.
    consent = models.ForeignKey(
        "clients.Consent",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("consent to contact"),
    )
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    # The version an edit form was filled in against (stodperson/concurrency.py).
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["role", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    @property
    def is_relative(self) -> bool:
        return self.role == self.Role.RELATIVE


class ConsentQuerySet(models.QuerySet["Consent"]):
    def needing_attention_on(self, day: date) -> ConsentQuerySet:
        """Current consents (not replaced by a renewal) past their review date, and those
        withdrawn while something still rests on them: a risk assessment or measure
        not ended, or a relative's contact not ended. A withdrawn consent with nothing
        resting on it needs no more action: the withdrawal is its end."""
        measures = RiskMeasure.objects.filter(consent=OuterRef("pk")).exclude(ended_on__lte=day)
        contacts = Contact.objects.filter(consent=OuterRef("pk")).exclude(ended_on__lte=day)
        withdrawn = Q(withdrawn_on__lte=day)
        return self.current().filter(
            (~withdrawn & Q(review_on__lt=day))
            | (withdrawn & (Exists(measures) | Exists(contacts)))
        )

    def current(self) -> ConsentQuerySet:
        """Consents not replaced by a renewal: the last of each purpose's history."""
        return self.filter(replaced_by__isnull=True)


class Consent(models.Model):
    """A consent (samtycke) for one purpose; the routine asks that consents are current.
    Who gave it (the client, or their god man, förvaltare or a relative on their behalf)
    and in what form is recorded, with who recorded it."""

    class GivenBy(models.TextChoices):
        CLIENT = "client", _("The client")
        GOOD_MAN = "god_man", _("God man (trustee)")
        ADMINISTRATOR = "forvaltare", _("Förvaltare (administrator)")
        RELATIVE = "relative", _("A relative")

    class Form(models.TextChoices):
        WRITTEN = "written", _("Written")
        ORAL = "oral", _("Oral")
        DIGITAL = "digital", _("Digital")

    client = models.ForeignKey(
        "clients.Client", models.CASCADE, related_name="consents", verbose_name=_("client")
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    given_on = models.DateField(_("given"))
    review_on = models.DateField(_("review by"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    given_by = models.CharField(_("given by"), max_length=20, choices=GivenBy.choices, blank=True)
    given_as = models.CharField(_("form"), max_length=20, choices=Form.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawal_note = models.TextField(_("note on the withdrawal"), blank=True)
    # A renewal is a new row; the one it replaces points at it, so that a purpose's history
    # of consents is kept (Consent.history_of_purpose).
    replaced_by = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )
    # The version an edit form was filled in against (stodperson/concurrency.py).
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_on__isnull=True) | Q(review_on__gte=models.F("given_on")),
                name="consent_review_after_given",
                violation_error_message=_("The review date cannot be before the consent."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
                violation_error_message=_("A consent cannot be withdrawn before it was given."),
            ),
        ]

    def __str__(self) -> str:
        return self.purpose

    def is_valid_on(self, day: date) -> bool:
        return (
            self.replaced_by_id is None
            and self.given_on <= day
            and (self.withdrawn_on is None or self.withdrawn_on > day)
            and (self.review_on is None or self.review_on >= day)
        )


class RiskMeasure(models.Model):
    """A risk assessment, or a protective or restrictive measure (skydds- och
    begränsningsåtgärd), with the follow-up the routine asks the support person to keep."""

    class Kind(models.TextChoices):
        RISK_ASSESSMENT = "risk", _("Risk assessment")
        PROTECTIVE = "protective", _("Protective measure")
        RESTRICTIVE = "restrictive", _("Restrictive measure")

    client = models.ForeignKey(
        "clients.Client", models.CASCADE, related_name="risk_measures", verbose_name=_("client")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"))
    decided_on = models.DateField(_("decided"))
    follow_up_on = models.DateField(_("follow up by"), null=True, blank=True)
    followed_up_on = models.DateField(_("last followed up"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    consent = models.ForeignKey(
        Consent,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="risk_measures",
        verbose_name=_("consent it rests on"),
    )
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    # The version an edit form was filled in against (stodperson/concurrency.py).
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    # The measures that need a consent: SOU 2006:110, there is no legal basis for coercion
    # in personal assistance, so a protective or restrictive measure rests on the client's
    # consent (flags/consent_checks.py).
    NEEDS_CONSENT = (Kind.PROTECTIVE, Kind.RESTRICTIVE)

    class Meta:
        verbose_name = _("risk assessment or measure")
        verbose_name_plural = _("risk assessments and measures")
        ordering = ["-decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decided_on:%Y-%m-%d}"

    def is_follow_up_overdue_on(self, day: date) -> bool:
        return self.ended_on is None and self.follow_up_on is not None and self.follow_up_on < day

    @property
    def needs_consent(self) -> bool:
        return self.kind in self.NEEDS_CONSENT


class RiskFollowUp(models.Model):
    """One follow-up of a risk assessment or measure: what it found, and when next."""

    measure = models.ForeignKey(
        RiskMeasure,
        models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("risk assessment or measure"),
    )
    followed_up_on = models.DateField(_("followed up"))
    outcome = models.TextField(_("outcome"))
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("followed up by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk follow-up")
        verbose_name_plural = _("risk follow-ups")
        ordering = ["-followed_up_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_follow_up_on__isnull=True)
                | Q(next_follow_up_on__gt=models.F("followed_up_on")),
                name="riskfollowup_next_after_this",
                violation_error_message=_("The next follow-up must be after this one."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.followed_up_on:%Y-%m-%d}"


class Deviation(models.Model):
    """A deviation (avvikelse) and its handling: reported by the support person, taken under
    investigation, measures decided and closed by the unit manager, each step with who and
    when. A lex Sarah report (LSS 24 a-f §§, SOSFS 2011:5) also keeps the investigation's
    findings, whether it is a serious wrong (allvarligt missförhållande) and the day it was
    reported to IVO. The steps are written by clients/deviation_services.py."""

    class Category(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary")
        HSL = "hsl", _("Health care (HSL)")
        LEX_SARAH = "lex_sarah", _("Lex Sarah")

    class Status(models.TextChoices):
        # The stored values are those from before the lifecycle ("open", "handling").
        OPEN = "open", _("Reported")
        HANDLING = "handling", _("Under investigation")
        MEASURES_DECIDED = "measures_decided", _("Measures decided")
        CLOSED = "closed", _("Closed")

    client = models.ForeignKey(
        "clients.Client", models.CASCADE, related_name="deviations", verbose_name=_("client")
    )
    occurred_on = models.DateField(_("occurred"))
    reported_on = models.DateField(_("reported"), default=timezone.localdate)
    description = models.TextField(_("description"))
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.ORDINARY
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    investigated_on = models.DateField(_("investigation started"), null=True, blank=True)
    investigated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("investigated by"),
    )
    findings = models.TextField(_("findings of the investigation"), blank=True)
    is_serious = models.BooleanField(
        _("serious wrong (allvarligt missförhållande)"), null=True, blank=True
    )
    measures = models.TextField(_("measures"), blank=True)
    measures_decided_on = models.DateField(_("measures decided"), null=True, blank=True)
    measures_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("measures decided by"),
    )
    ivo_reported_on = models.DateField(_("reported to IVO"), null=True, blank=True)
    ivo_reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported to IVO by"),
    )
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The version an edit is checked against (stodperson/concurrency.py).
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("deviation")
        verbose_name_plural = _("deviations")
        ordering = ["-occurred_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="closed") & Q(closed_on__isnull=False))
                | (~Q(status="closed") & Q(closed_on__isnull=True)),
                name="deviation_closed_has_date",
                violation_error_message=_(
                    "A closed deviation needs a closing date, and only a closed one."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.occurred_on:%Y-%m-%d}"

    @property
    def is_lex_sarah(self) -> bool:
        return self.category == self.Category.LEX_SARAH

    @property
    def awaits_ivo_report(self) -> bool:
        """A serious lex Sarah case not yet reported to IVO (LSS 24 f §: "snarast")."""
        return self.is_lex_sarah and bool(self.is_serious) and self.ivo_reported_on is None

    @property
    def next_step(self) -> str | None:
        """The step the deviation waits for (clients/deviation_services.py), None when closed."""
        if self.status == self.Status.OPEN:
            return "investigate"
        if self.status == self.Status.HANDLING:
            return "decide"
        if self.status == self.Status.MEASURES_DECIDED:
            return "ivo" if self.awaits_ivo_report else "close"
        return None
