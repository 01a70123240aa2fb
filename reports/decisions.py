"""The period's decisions under delegation, for the committee's meeting (anmälan av
delegationsbeslut): the rows as a reader may see them, the summary line, the CSV and the PDF;
and the decision letters to the patient and to the support person.

No protected identity beyond what the reader is entitled to: a row names a protected
patient or support person only for the named readers of that identity (the placeholder for
everyone else), and a letter names only what its addressee may see (`letter_context`)."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assignments.decision_models import DecisionQuerySet
from assignments.models import Decision
from clients.models import Client, Programme
from stodperson import spreadsheets
from supportpersons.models import Matter, SupportPerson

from .pdf import render_pdf

LIST_TEMPLATE = "reports/pdf/decisions.html"
LETTER_TEMPLATE = "reports/pdf/decision_letter.html"


@dataclass(frozen=True)
class DecisionRow:
    decision: Decision
    client_name: str
    support_person_name: str

    @property
    def decided_by_name(self) -> str:
        user = self.decision.decided_by
        return (user.get_full_name() or user.get_username()) if user else ""


def rows_for(decisions: list[Decision], user: User | AnonymousUser) -> list[DecisionRow]:
    """The rows with each name as `user` may see it (Person.name_for, for all rows at once:
    a fixed number of queries)."""
    client_names = Client.objects.names_for({d.client_id for d in decisions if d.client_id}, user)
    person_names = SupportPerson.objects.names_for({d.support_person_id for d in decisions}, user)
    return [
        DecisionRow(
            decision=d,
            client_name=client_names.get(d.client_id, "") if d.client_id else "",
            support_person_name=person_names[d.support_person_id],
        )
        for d in decisions
    ]


def _join(parts: list[str]) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return _("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def summary(decisions: DecisionQuerySet) -> str:
    """The period in one line, as the committee reads it ("32 uppdrag påbörjats, 32
    avslutats, 1 stödperson rekryterad och 2 stödpersoner avslutade"): one query."""
    return summary_of(kind_counts(decisions))


def summary_of(counts: Counter[str]) -> str:
    started, released = counts[Matter.APPOINTMENT], counts[Matter.RELEASE]
    recruited, deactivated = counts[Matter.RECRUITMENT], counts[Matter.DEACTIVATION]
    parts = [
        ngettext("%(count)s assignment started", "%(count)s assignments started", started)
        % {"count": started},
        ngettext("%(count)s released", "%(count)s released", released) % {"count": released},
        ngettext(
            "%(count)s support person recruited", "%(count)s support persons recruited", recruited
        )
        % {"count": recruited},
        ngettext(
            "%(count)s support person deactivated",
            "%(count)s support persons deactivated",
            deactivated,
        )
        % {"count": deactivated},
    ]
    return _join(parts)


def kind_counts(decisions: DecisionQuerySet) -> Counter[str]:
    return Counter(
        {
            row["kind"]: row["n"]
            for row in decisions.order_by().values("kind").annotate(n=Count("id"))
        }
    )


def period_label(first: date, last: date) -> str:
    return f"{date_format(first, 'DATE_FORMAT')} – {date_format(last, 'DATE_FORMAT')}"


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


CSV_HEADERS = [
    "beslutsdatum",
    "beslut",
    "delegationspunkt",
    "delegat",
    "beslutsfattare",
    "patient",
    "stödperson",
    "skäl",
    "patienten underrättad",
    "stödpersonen underrättad",
    "avdelningen underrättad",
]


def decisions_csv(rows: list[DecisionRow], *, heading: list[str]) -> bytes:
    """Semicolons and a byte-order mark, as Excel in Swedish reads a CSV file; every cell
    defused against formulas (stodperson.spreadsheets)."""
    out = io.StringIO()
    writer = spreadsheets.csv_writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(heading)
    writer.writerow(CSV_HEADERS)
    for row in rows:
        d = row.decision
        writer.writerow(
            [
                d.decided_on.isoformat(),
                d.get_kind_display(),
                d.delegation_reference,
                d.delegate,
                row.decided_by_name,
                row.client_name,
                row.support_person_name,
                d.reasons,
                _day(d.patient_notified_on),
                _day(d.volunteer_notified_on),
                _day(d.ward_notified_on),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def decisions_pdf(
    rows: list[DecisionRow], *, programme: Programme | None, first: date, last: date, line: str
) -> bytes:
    return render_pdf(
        LIST_TEMPLATE,
        {
            "rows": rows,
            "programme": programme,
            "period": period_label(first, last),
            "summary": line,
            "made_on": timezone.localdate(),
        },
    )


# --- Letters ------------------------------------------------------------------------

PATIENT, VOLUNTEER = "patient", "stodperson"
LEGAL_GROUNDS: dict[str, str] = {
    Client.LegalBasis.LPT: "30 § lagen (1991:1128) om psykiatrisk tvångsvård",
    Client.LegalBasis.LRV: "26 § lagen (1991:1129) om rättspsykiatrisk vård",
    Client.LegalBasis.SML: "smittskyddslagen (2004:168)",
}


def volunteer_may_see_patient(decision: Decision, user: User | AnonymousUser) -> bool:
    """What a letter to the support person may say of the patient: as the volunteer's own
    view does, the name and unit only while the assignment runs, and a protected identity
    only when both the volunteer and the one who makes the letter are its named readers."""
    client, assignment = decision.client, decision.assignment
    if client is None or assignment is None or not assignment.is_active:
        return False
    if not client.is_protected:
        return True
    volunteer_user = decision.support_person.user
    return (
        volunteer_user is not None
        and not client.identity_hidden_from(volunteer_user)
        and not client.identity_hidden_from(user)
    )


def letter_context(decision: Decision, to: str, user: User | AnonymousUser) -> dict[str, Any]:
    """What the letter says: the addressee's own name as the maker may see it, the other
    party only as far as the addressee may see them."""
    person, client = decision.support_person, decision.client
    if to == PATIENT:
        assert client is not None
        addressee = client.name_for(user)
        # The patient is told who their support person is, never a protected identity.
        other = person.display_name
        shows_patient = True
    else:
        addressee = person.name_for(user)
        shows_patient = volunteer_may_see_patient(decision, user)
        other = client.full_name if (client is not None and shows_patient) else ""
    return {
        "decision": decision,
        "to": to,
        "addressee": addressee,
        "other": other,
        "shows_patient": shows_patient,
        "unit": client.unit.name if client is not None and shows_patient else "",
        "legal_ground": LEGAL_GROUNDS.get(client.legal_basis, "") if client else "",
        "started_on": decision.assignment.started_on if decision.assignment else None,
        "decided_by": (
            decision.decided_by.get_full_name() or decision.decided_by.get_username()
            if decision.decided_by
            else ""
        ),
        "made_on": timezone.localdate(),
    }


def decision_letter(decision: Decision, to: str, user: User | AnonymousUser) -> bytes:
    return render_pdf(LETTER_TEMPLATE, letter_context(decision, to, user))
