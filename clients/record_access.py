"""Record-level access to what is kept about a client (consents, risk measures, contacts).

Read: whoever may see the client (client_scope, and administrators). Act (renew or withdraw
a consent, follow up or end a measure, edit or end a contact): the client's own people, the
unit manager of the client's unit and the client's support person; the Botkyrka routine
gives the support person the follow-up of risk assessments and of the consents ("Följa upp
riskbedömningar ...", "Se till att brukarens samtycken är aktuella"). An administrator reads
them and is out of role for acting (403), unless they are one of the client's people too.
Out of reach, or missing: 404 (stodperson/access.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db import models

from audit.log import note_reads
from audit.models import ReadLogEntry
from stodperson import roles
from stodperson.access import get_in_reach
from stodperson.types import AuthenticatedRequest

from .models import Client, client_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import User

R = TypeVar("R", bound=models.Model)


def get_record_for_user(
    request: AuthenticatedRequest, queryset: models.QuerySet[R], pk: int, *, write: bool
) -> R:
    """The record `pk` (a row with a `client`) in the user's reach, and the client's read
    in the read log."""
    user = request.user
    own = queryset.filter(client_scope(user, "client__"))
    visible = queryset if roles.is_administrator(user) else own
    record = get_in_reach(pk, visible=visible, writable=own if write else None)
    note_reads(request, ReadLogEntry.Subject.CLIENT, [record.client])  # type: ignore[attr-defined]
    return record


def may_act_on_records(user: User, client: Client) -> bool:
    """Whether the user may act on the client's records (the write scope above): the
    client's unit manager or support person. One query."""
    return Client.objects.filter(client_scope(user), pk=client.pk).exists()
