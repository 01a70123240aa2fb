"""Whether a support person may be offered or appointed to an assignment now: the one place
that says why not, so the candidate list, the offer and the appointment agree."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from .models import SupportPerson
from .volunteers import background_check_runs_out, is_volunteer, undertaking_due


def offer_blockers(person: SupportPerson, *, today: date) -> list[str]:
    """Why the person cannot be offered a new assignment on `today`, in Swedish for the
    screen; an empty list when they can. A patient committee's volunteer must also have
    accepted the current confidentiality undertaking and have a background check that has
    not run out (issue 16)."""
    blockers = []
    if not person.is_active or not person.is_active_on(today):
        blockers.append(_("%(name)s is not active in the pool.") % {"name": person.display_name})
    if is_volunteer(person):
        if undertaking_due(person, today=today) is not None:
            blockers.append(
                _("%(name)s has not accepted the current confidentiality undertaking.")
                % {"name": person.display_name}
            )
        runs_out = background_check_runs_out(person)
        if runs_out is None:
            blockers.append(
                _("%(name)s has no background check on record.") % {"name": person.display_name}
            )
        elif runs_out <= today:
            blockers.append(
                _("%(name)s's background check ran out on %(day)s.")
                % {"name": person.display_name, "day": f"{runs_out:%Y-%m-%d}"}
            )
    return blockers
