"""Programmes, units and clients, with what the register keeps about a client.

The two programmes (domain.md): personal assistance under LSS, where the unit manager
designates an assistant as the client's support person, and a patient committee's
volunteer support persons for patients in compulsory care.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from stodperson.access import ScopedQuerySet
from stodperson.dates import active_on
from stodperson.text import fold, folded_pattern

from .personnummer import mask_personnummer, validate_personnummer

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Other or unknown")


class ProtectedIdentity(models.TextChoices):
    """Skyddade personuppgifter, from the mildest to the strongest protection."""

    NONE = "none", _("None")
    CONFIDENTIALITY_MARK = "sekretessmarkering", _("Confidentiality marking")
    PROTECTED_REGISTRATION = "skyddad_folkbokforing", _("Protected population registration")
    FICTITIOUS_IDENTITY = "fingerade_personuppgifter", _("Fictitious identity")


SEARCH_MAX_LENGTH = 200
SEARCH_MAX_WORDS = 5
PROTECTED = [choice for choice in ProtectedIdentity.values if choice != ProtectedIdentity.NONE]


def search_words(text: str) -> list[str]:
    """The folded words of a name search; a bounded number, so that a pasted page does not
    become a huge query."""
    return list(dict.fromkeys(fold(text[:SEARCH_MAX_LENGTH]).split()))[:SEARCH_MAX_WORDS]


P = TypeVar("P", bound="Person", covariant=True)


class PersonQuerySet(ScopedQuerySet[P]):
    def search(self, text: str) -> Self:
        """Name search that folds å, ä and ö the same way on PostgreSQL and SQLite. A
        protected identity is never found by name: its search name is empty."""
        query = self
        for word in search_words(text):
            query = query.filter(search_name__contains=word)
        return query

    def search_without_diacritics(self, text: str) -> Self:
        """What `search` would find if å, ä and ö were a and o (and é e, ü u …), both ways:
        "Sundstrom" finds Sundström. For the hint when `search` finds nothing; a protected
        identity is never found (its search name is empty, and it is left out besides)."""
        query = self.exclude(search_name="").exclude(protected_identity__in=PROTECTED)
        for word in search_words(text):
            query = query.filter(search_name__regex=folded_pattern(word))
        return query

    def names_for(self, ids: Iterable[int], user: User | AnonymousUser) -> dict[int, str]:
        """The names of these persons as `user` may see them (Person.name_for): the real name,
        or the placeholder of a protected identity for all but its named readers. Two
        queries, whatever the number of persons."""
        people = list(
            self.filter(pk__in=set(ids)).only("pk", "first_name", "last_name", "protected_identity")
        )
        protected = [person.pk for person in people if person.is_protected]
        readable: set[int] = set()
        if protected and user.is_authenticated:
            readers = self.model.identity_readers.through.objects  # type: ignore[attr-defined]
            column = f"{self.model._meta.model_name}_id"
            readable = set(
                readers.filter(**{f"{column}__in": protected}, user_id=user.pk).values_list(
                    column, flat=True
                )
            )
        return {
            person.pk: person.full_name
            if not person.is_protected or person.pk in readable
            else person.display_name
            for person in people
        }


class Person(models.Model):
    """A person in the register (a client or a support person): the name, and whether the
    identity is protected (skyddade personuppgifter)."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    # Derived, for one indexed lookup and a sort order that are the same on every database;
    # empty for a protected identity, which must sort and search as its placeholder does.
    search_name = models.CharField(max_length=201, editable=False, db_index=True)
    protected_identity = models.CharField(
        _("protected identity"),
        max_length=30,
        choices=ProtectedIdentity.choices,
        default=ProtectedIdentity.NONE,
    )
    identity_readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("may see the protected identity"),
        help_text=_("The named people who need the real name; everyone else sees a placeholder."),
    )

    class Meta:
        abstract = True
        ordering = ["search_name", "id"]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = self.derived_search_name()
        super().save(*args, **kwargs)

    @staticmethod
    def folded_name(first_name: str, last_name: str) -> str:
        """Last name first, so that the column also gives the Swedish register order."""
        return fold(f"{last_name} {first_name}")

    def derived_search_name(self) -> str:
        """What save() stores in search_name; code that bulk-creates rows sets it from here."""
        return "" if self.is_protected else self.folded_name(self.first_name, self.last_name)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_protected(self) -> bool:
        return self.protected_identity != ProtectedIdentity.NONE

    @staticmethod
    def placeholder(pk: Any) -> str:
        """What stands in for a protected identity's name."""
        return _("Protected identity (no. %(id)s)") % {"id": pk}

    @property
    def display_name(self) -> str:
        """The name to show anywhere: a placeholder for a protected identity."""
        if self.is_protected:
            return self.placeholder(self.pk)
        return self.full_name

    def identity_hidden_from(self, user: User | AnonymousUser) -> bool:
        """Whether the identifying details (name, personnummer, contact details) are kept
        from this user: a protected identity, and the user is not one of its named readers."""
        if not self.is_protected:
            return False
        return not (user.is_authenticated and self.identity_readers.filter(pk=user.pk).exists())

    def name_for(self, user: User | AnonymousUser) -> str:
        """The real name for the named people who need it, the placeholder for the rest."""
        return self.display_name if self.identity_hidden_from(user) else self.full_name


class Programme(models.Model):
    """A programme (verksamhet) and its rules, kept as data so each office can set its own.

    The review intervals of the implementation plan and the documentation are the intervals
    of the programme's duty templates with those codes (assignments.DutyTemplate)."""

    class Kind(models.TextChoices):
        PERSONAL_ASSISTANCE = "lss", _("Personal assistance (LSS)")
        PATIENT_COMMITTEE = "patient_committee", _("Patient committee")

    name = models.CharField(
        _("name"),
        max_length=200,
        unique=True,
        error_messages={"unique": _("There is already a programme with this name.")},
    )
    slug = models.SlugField(
        _("short name"),
        max_length=50,
        unique=True,
        error_messages={"unique": _("Another programme has this short name. Choose another.")},
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    request_target_working_days = models.PositiveSmallIntegerField(
        _("request target (working days)"),
        default=3,
        help_text=_("A request should be answered by an appointment within this many days."),
    )
    new_client_grace_days = models.PositiveSmallIntegerField(
        _("grace period for a new client (days)"),
        default=30,
        help_text=_("No flag is raised for a new client before this many days have passed."),
    )
    deviation_max_open_days = models.PositiveSmallIntegerField(
        _("longest time a deviation may stay open (days)"), default=30
    )
    care_ended_release_days = models.PositiveSmallIntegerField(
        _("release the assignment within (days after compulsory care ended)"), default=28
    )
    # The rules of issues #15 and #16, kept as data so that each office can set its own. With
    # a database default too: older data migrations insert programmes without these columns.
    deviation_investigation_days = models.PositiveSmallIntegerField(
        _("investigate a deviation within (days)"),
        default=14,
        db_default=14,
        help_text=_("A deviation not under investigation after this many days is flagged."),
    )
    ivo_report_days = models.PositiveSmallIntegerField(
        _("report a serious lex Sarah case to IVO within (days)"),
        default=14,
        db_default=14,
        help_text=_(
            "A serious wrong is reported to IVO as soon as possible (LSS 24 f §); "
            "one not reported after this many days is flagged."
        ),
    )
    background_check_valid_months = models.PositiveSmallIntegerField(
        _("background check valid (months)"),
        default=12,
        db_default=12,
        help_text=_("How long an extract from the criminal record is accepted."),
    )
    offer_expiry_hours = models.PositiveSmallIntegerField(
        _("an offer expires after (hours)"), default=24, db_default=24
    )
    contact_target_days = models.PositiveSmallIntegerField(
        _("contact target (at least one contact every … days)"), default=7, db_default=7
    )
    no_contact_days = models.PositiveSmallIntegerField(
        _("flag an assignment without contact for (days)"), default=14, db_default=14
    )
    report_due_working_day = models.PositiveSmallIntegerField(
        _("monthly report due (working day of the next month)"), default=5, db_default=5
    )
    receipt_required = models.BooleanField(
        _("expenses need a receipt"), default=True, db_default=True
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_personal_assistance(self) -> bool:
        return self.kind == self.Kind.PERSONAL_ASSISTANCE


class Locality(models.Model):
    """A locality (ort); reports group support persons and events by it."""

    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        error_messages={"unique": _("There is already a locality with this name.")},
    )

    class Meta:
        verbose_name = _("locality")
        verbose_name_plural = _("localities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        error_messages={"unique": _("There is already a language with this name.")},
    )

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitQuerySet(ScopedQuerySet["Unit"]):
    def scope(self, user: User, *, write: bool) -> Q:
        """A unit manager reads and runs the units they manage."""
        return Q(managers=user)


class Unit(models.Model):
    """A unit (enhet): a personal-assistance group, or a patient committee's local office."""

    programme = models.ForeignKey(
        Programme, models.PROTECT, related_name="units", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=200)
    locality = models.ForeignKey(
        Locality, models.PROTECT, related_name="units", verbose_name=_("locality")
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_units",
        verbose_name=_("unit managers"),
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="unit_name_unique",
                violation_error_message=_(
                    "The programme already has a unit with this name. Choose another name."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ClientQuerySet(PersonQuerySet["Client"]):
    def scope(self, user: User, *, write: bool) -> Q:
        """Need-to-know access (OSL 25 and 26 kap.): a unit manager reads the clients of
        their units, a support person the clients assigned to them now; only the unit
        manager changes a client's support person and follow-ups (domain.md, "Users")."""
        return managed_client_scope(user) if write else client_scope(user)

    def active_on(self, day: date) -> ClientQuerySet:
        return self.filter(active_on(day))

    def active(self) -> ClientQuerySet:
        return self.active_on(timezone.localdate())

    def with_current_assignments(self) -> ClientQuerySet:
        """Each client's current assignment with its support person, in
        `active_assignments` (a list: at most one, by the constraint). One query for all."""
        current = (
            assignment_model()
            ._default_manager.filter(ended_on__isnull=True)
            .select_related("support_person")
        )
        return self.prefetch_related(
            Prefetch("assignments", queryset=current, to_attr="active_assignments")
        )


def assignment_model() -> type[models.Model]:
    """The assignment model, reached through the relation the assignments app declares on
    Client: clients stand below assignments and never import them, but who may see a client
    depends on who is assigned to it."""
    return Client._meta.get_field("assignments").related_model  # type: ignore[return-value]


def client_scope(user: User, prefix: str = "") -> Q:
    """The need-to-know rule for a client, as a filter on any row that hangs on one
    (`prefix` is the path to the client, e.g. "client__"). A subquery, not joins, so that
    no row is repeated and no DISTINCT is needed."""
    own_clients = (
        assignment_model()
        ._default_manager.filter(support_person__user=user, ended_on__isnull=True)
        .values("client_id")
        .order_by()
    )
    unit_clients = Client.objects.filter(managed_client_scope(user)).values("pk").order_by()
    # One IN over the UNION of the two: the planner then reads the user's few clients (and
    # their flags, ticks ...) by index, where an OR of two IN tests made it read every row
    # and join every client (issue #8).
    return Q(**{f"{prefix}pk__in": unit_clients.union(own_clients)})


def managed_client_scope(user: User, prefix: str = "") -> Q:
    """The clients a user manages, as a filter on any row that hangs on one: those of the
    units they manage (domain.md: the unit manager assigns and changes support persons).
    The write scope of a client and of what hangs on it (requests, assignments)."""
    return Q(**{f"{prefix}unit__in": Unit.objects.filter(managers=user)})


class Client(Person):
    """A client: brukare in personal assistance, patient at the patient committee."""

    class LegalBasis(models.TextChoices):
        NONE = "", _("Not applicable")
        LPT = "lpt", _("LPT (SFS 1991:1128)")
        LRV = "lrv", _("LRV (SFS 1991:1129)")
        SML = "sml", _("Isolation under SmL (SFS 2004:168)")

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="clients", verbose_name=_("unit"))
    personnummer = models.CharField(
        _("personal identity number"),
        max_length=13,
        blank=True,
        help_text=_("Optional. Coordination numbers are accepted."),
        validators=[validate_personnummer],
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=5, choices=LegalBasis.choices, blank=True
    )
    compulsory_care_ended_on = models.DateField(_("compulsory care ended"), null=True, blank=True)
    wished_gender = models.CharField(
        _("wished gender of support person"), max_length=10, choices=Gender.choices, blank=True
    )
    wished_language = models.ForeignKey(
        Language,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("wished language"),
    )
    started_on = models.DateField(_("client since"))
    ended_on = models.DateField(_("client until"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The version an edit form was filled in against (stodperson/concurrency.py).
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["search_name", "updated_at"])
    objects = ClientQuerySet.as_manager()

    class Meta(Person.Meta):
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="client_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [models.Index(fields=["unit", "ended_on"])]

    @property
    def masked_personnummer(self) -> str:
        return mask_personnummer(self.personnummer)

    def is_active_on(self, day: date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)


# The record models live in their own module; importing them here registers them with the
# app and keeps `from clients.models import Consent` working.
from .records import Consent as Consent  # noqa: E402
from .records import Contact as Contact  # noqa: E402
from .records import Deviation as Deviation  # noqa: E402
from .records import RiskFollowUp as RiskFollowUp  # noqa: E402
from .records import RiskMeasure as RiskMeasure  # noqa: E402
