"""The register extract (registerutdrag, GDPR art. 15): everything the register holds about
one client or one support person, as JSON and as PDF from the same data.

It is given to the person themself, so it carries their own name and personnummer; other
people appear only as far as the person is entitled to know them (a support person's
extract names no client). Every extract is written to the read log."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from assignments.models import Assignment, SatisfactionFollowUp, SupportRequest
from audit.models import ReadLogEntry
from clients.models import Client
from duties.models import DutyCheck
from flags.models import Flag
from supportpersons.models import SupportPerson


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Extract:
    subject: str
    name: str
    generated_at: str
    sections: list[Section]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _text(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def _fields(instance: Model, names: list[str]) -> Section:
    """The person's own record: one row per field, with the field's Swedish name."""
    rows = []
    for name in names:
        model_field = instance._meta.get_field(name)
        display = getattr(instance, f"get_{name}_display", None)
        value = display() if callable(display) else getattr(instance, name)
        rows.append([str(capfirst(model_field.verbose_name)), _text(value)])  # type: ignore[union-attr]
    return Section(_("Recorded details"), [_("Field"), _("Value")], rows)


def _history(instance: Client | SupportPerson) -> Section:
    rows = [
        [
            _text(h.history_date),
            {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}[h.history_type],
            h.history_user.get_username() if h.history_user else "–",
        ]
        for h in instance.history.select_related("history_user").order_by("history_date")  # type: ignore[attr-defined]
    ]
    return Section(_("Change history"), [_("Time"), _("Change"), _("By")], rows)


def _reads(subject: str, pk: int) -> Section:
    rows = [
        [_text(e.at), e.username, e.get_action_display(), e.page]
        for e in ReadLogEntry.objects.filter(subject=subject, subject_id=pk).order_by("at")
    ]
    return Section(
        _("Who has read the record"), [_("Time"), _("User"), _("Action"), _("Page")], rows
    )


def client_extract(client: Client) -> Extract:
    assignments = list(
        Assignment.objects.filter(client=client)
        .select_related("support_person")
        .order_by("started_on")
    )
    sections = [
        _fields(
            client,
            [
                "first_name",
                "last_name",
                "personnummer",
                "unit",
                "protected_identity",
                "legal_basis",
                "compulsory_care_ended_on",
                "wished_gender",
                "wished_language",
                "started_on",
                "ended_on",
                "end_reason",
            ],
        ),
        Section(
            _("Contacts"),
            [_("Role"), _("Name"), _("Phone"), _("Email")],
            [
                [c.get_role_display(), c.name, _text(c.phone), _text(c.email)]
                for c in client.contacts.all()
            ],
        ),
        Section(
            _("Consents"),
            [_("Purpose"), _("Given"), _("Review by"), _("Withdrawn")],
            [
                [c.purpose, _text(c.given_on), _text(c.review_on), _text(c.withdrawn_on)]
                for c in client.consents.all()
            ],
        ),
        Section(
            _("Risk assessments and measures"),
            [_("Kind"), _("Description"), _("Decided"), _("Follow up by"), _("Ended")],
            [
                [
                    r.get_kind_display(),
                    r.description,
                    _text(r.decided_on),
                    _text(r.follow_up_on),
                    _text(r.ended_on),
                ]
                for r in client.risk_measures.all()
            ],
        ),
        Section(
            _("Deviations"),
            [_("Occurred"), _("Category"), _("Description"), _("Status"), _("Measures")],
            [
                [
                    _text(d.occurred_on),
                    d.get_category_display(),
                    d.description,
                    d.get_status_display(),
                    _text(d.measures),
                ]
                for d in client.deviations.all()
            ],
        ),
        Section(
            _("Support persons"),
            [_("Support person"), _("Appointed"), _("Released"), _("Reason")],
            [
                [
                    a.support_person.display_name,
                    _text(a.started_on),
                    _text(a.ended_on),
                    _text(a.get_end_reason_display()),
                ]
                for a in assignments
            ],
        ),
        Section(
            _("Requests"),
            [_("Received"), _("Source"), _("Withdrawn"), _("Note"), _("Reason for delay")],
            [
                [
                    _text(r.received_at),
                    r.get_source_display(),
                    _text(r.withdrawn_at),
                    _text(r.note),
                    _text(r.late_reason),
                ]
                for r in SupportRequest.objects.filter(client=client).order_by("received_at")
            ],
        ),
        Section(
            _("Duties done"),
            [_("Done"), _("Duty"), _("Note"), _("Withdrawn")],
            [
                [_text(c.done_on), c.template.title, _text(c.note), _text(c.withdrawn_at)]
                for c in DutyCheck.objects.filter(assignment__client=client)
                .select_related("template")
                .order_by("done_on", "id")
            ],
        ),
        Section(
            _("Satisfaction follow-ups"),
            [_("Date"), _("Outcome"), _("Note")],
            [
                [_text(f.on), f.get_outcome_display(), _text(f.note)]
                for f in SatisfactionFollowUp.objects.filter(assignment__client=client).order_by(
                    "on"
                )
            ],
        ),
        Section(
            _("Flags"),
            [_("Kind"), _("Raised"), _("Resolved")],
            [
                [f.get_kind_display(), _text(f.raised_at), _text(f.resolved_at)]
                for f in Flag.objects.filter(client=client).order_by("raised_at")
            ],
        ),
        _history(client),
        _reads(ReadLogEntry.Subject.CLIENT, client.pk),
    ]
    return Extract(
        subject=ReadLogEntry.Subject.CLIENT,
        name=client.full_name,
        generated_at=_text(timezone.now()),
        sections=sections,
    )


def support_person_extract(person: SupportPerson) -> Extract:
    sections = [
        _fields(
            person,
            [
                "first_name",
                "last_name",
                "gender",
                "birth_year",
                "locality",
                "phone",
                "email",
                "protected_identity",
                "status",
                "recruited_on",
                "deactivated_on",
                "deactivation_reason",
                "capacity",
            ],
        ),
        Section(_("Languages"), [_("Language")], [[lang.name] for lang in person.languages.all()]),
        Section(
            _("Status history"),
            [_("Date"), _("Status"), _("Reason")],
            [
                [_text(s.on), s.get_status_display(), _text(s.reason)]
                for s in person.status_changes.all()
            ],
        ),
        Section(
            _("Recruitment"),
            [_("Date"), _("Step"), _("Outcome"), _("Note")],
            [
                [_text(s.on), s.get_step_display(), _text(s.get_outcome_display()), _text(s.note)]
                for s in person.recruitment_steps.all()
            ],
        ),
        # The clients are other people under confidentiality: dates only, no names.
        Section(
            _("Assignments"),
            [_("Appointed"), _("Released"), _("Reason")],
            [
                [_text(a.started_on), _text(a.ended_on), _text(a.get_end_reason_display())]
                for a in person.assignments.order_by("started_on")
            ],
        ),
        Section(
            _("Training"),
            [_("Date"), _("Event"), _("Attended")],
            [
                [_text(r.event.on), r.event.title, _text(r.attended)]
                for r in person.registrations.select_related("event").order_by("event__on")
            ],
        ),
        _history(person),
        _reads(ReadLogEntry.Subject.SUPPORT_PERSON, person.pk),
    ]
    return Extract(
        subject=ReadLogEntry.Subject.SUPPORT_PERSON,
        name=person.full_name,
        generated_at=_text(timezone.now()),
        sections=sections,
    )
