"""The one exception every app's services raise when a request breaks a rule, and the
check of a date that records something done."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


class ServiceError(Exception):
    """A rule of the register was broken; the message is for the user (Swedish)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_done_date(on: date, *, not_before: date, what: str) -> None:
    """A date that records something done: not in the future, not before the record began."""
    if on > timezone.localdate():
        raise ServiceError(_("%(what)s cannot be in the future.") % {"what": what})
    if on < not_before:
        raise ServiceError(
            _("%(what)s cannot be before %(day)s.")
            % {"what": what, "day": date_format(not_before, "DATE_FORMAT")}
        )
