"""Whether a support person may be offered or appointed to an assignment now: the one place
that says why not, so the candidate list, the offer and the appointment agree."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from .models import SupportPerson, UndertakingAcceptance, UndertakingVersion
from .volunteers import check_runs_out, is_volunteer, with_background_check


def _with_eligibility(today: date, pks: list[int]) -> Iterable[SupportPerson]:
    """The persons with what the rules need, in one query: their programme, the date of
    their latest passed background check, whether their programme has an undertaking in
    force on `today` and whether they accepted that version."""

    def current(programme: OuterRef) -> QuerySet[UndertakingVersion, Any]:
        return (
            UndertakingVersion.objects.filter(programme=programme, valid_from__lte=today)
            .order_by("-number")
            .values("pk")[:1]
        )

    return with_background_check(
        SupportPerson.objects.filter(pk__in=pks).select_related("programme")
    ).annotate(
        undertaking_in_force=Exists(current(OuterRef("programme"))),
        undertaking_accepted=Exists(
            UndertakingAcceptance.objects.filter(
                support_person=OuterRef("pk"),
                version_id=Subquery(current(OuterRef(OuterRef("programme")))),
            )
        ),
    )


def offer_blockers_of(people: Iterable[SupportPerson], *, today: date) -> dict[int, list[str]]:
    """Why each person cannot be offered a new assignment on `today` (Swedish, for the
    screen), by id; an empty list for those who can. One query, whatever the number of
    people. A patient committee's volunteer must also have accepted the current
    confidentiality undertaking and have a background check that has not run out (issue 16)."""
    blockers: dict[int, list[str]] = {}
    for person in _with_eligibility(today, [p.pk for p in people]):
        name = {"name": person.display_name}
        found = blockers[person.pk] = []
        if not person.is_active or not person.is_active_on(today):
            found.append(_("%(name)s is not active in the pool.") % name)
        if not is_volunteer(person):
            continue
        if person.undertaking_in_force and not person.undertaking_accepted:  # type: ignore[attr-defined]
            found.append(
                _("%(name)s has not accepted the current confidentiality undertaking.") % name
            )
        runs_out = check_runs_out(
            person.background_checked_on,  # type: ignore[attr-defined]
            person.programme.background_check_valid_months,
        )
        if runs_out is None:
            found.append(_("%(name)s has no background check on record.") % name)
        elif runs_out <= today:
            found.append(
                _("%(name)s's background check ran out on %(day)s.")
                % {**name, "day": f"{runs_out:%Y-%m-%d}"}
            )
    return blockers


def offer_blockers(person: SupportPerson, *, today: date) -> list[str]:
    """Why this person cannot be offered a new assignment on `today` (offer_blockers_of)."""
    return offer_blockers_of([person], today=today).get(person.pk, [])
