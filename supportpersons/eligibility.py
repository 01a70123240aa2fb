"""Whether a support person may be offered or appointed to an assignment now: the one place
that says why not, so the candidate list, the offer and the appointment agree."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from .models import SupportPerson


def offer_blockers(person: SupportPerson, *, today: date) -> list[str]:
    """Why the person cannot be offered a new assignment on `today`, in Swedish for the
    screen; an empty list when they can."""
    blockers = []
    if not person.is_active or not person.is_active_on(today):
        blockers.append(_("%(name)s is not active in the pool.") % {"name": person.display_name})
    return blockers
