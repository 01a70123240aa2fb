"""The office invites a volunteer to use the app (issue 16, item 1).

The mail holds a one-time link to set a password, or, where the region logs in through its
identity provider (OIDC_ENABLED), says to log in with it. E-mail is not a secure channel
(domain.md, "Privacy obligations"): the mail names no patient, no unit and no assignment.

Only a SHA-256 hash of the token is stored. The link works once (a conditional UPDATE marks
it used, so two posts at once cannot both set a password), until it expires
(VOLUNTEER_INVITATION_HOURS) or a newer invitation to the same person replaces it."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stodperson.errors import ServiceError

from .models import Invitation, SupportPerson
from .volunteers import is_volunteer

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _user_for(person: SupportPerson) -> User:
    """The person's login, created without a usable password when they have none. The user
    name is the e-mail address; one already taken by someone else is refused."""
    if person.user_id is not None:
        user: User = person.user  # type: ignore[assignment]
        if not user.email:
            user.email = person.email
            user.save(update_fields=["email"])
        return user
    users = get_user_model().objects
    if users.filter(username__iexact=person.email).exists():
        raise ServiceError(
            _("Another user account already has the user name %(email)s.") % {"email": person.email}
        )
    user = users.create_user(  # type: ignore[attr-defined]
        username=person.email.lower(),
        email=person.email,
        first_name=person.first_name,
        last_name=person.last_name,
    )
    user.set_unusable_password()
    user.save()
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    return user


@transaction.atomic
def invitation_send(*, support_person: SupportPerson, by: User) -> Invitation | None:
    """Invite the volunteer: the login is made if missing, earlier links stop working, and
    the mail is sent once the transaction commits. Returns the invitation (None under
    single sign-on, where there is no link)."""
    person = (
        SupportPerson.objects.select_for_update()
        .select_related("programme")
        .get(pk=support_person.pk)
    )
    if not is_volunteer(person):
        raise ServiceError(_("Only a patient committee's volunteer is invited to the app."))
    if not person.is_active:
        raise ServiceError(_("Only an active volunteer can be invited."))
    if not person.email:
        raise ServiceError(_("Record the volunteer's e-mail address first."))
    user = _user_for(person)
    now = timezone.now()
    person.invitations.filter(used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    invitation = None
    link = _site(reverse("login"))
    if not settings.OIDC_ENABLED:
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            support_person=person,
            token_hash=token_hash(token),
            expires_at=now + timedelta(hours=settings.VOLUNTEER_INVITATION_HOURS),
            by=by,
        )
        link = _site(reverse("supportpersons:invitation", kwargs={"token": token}))
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your account in the support person register")
        body = render_to_string(
            "emails/volunteer_invitation.txt",
            {
                "link": link,
                "sso": settings.OIDC_ENABLED,
                "hours": settings.VOLUNTEER_INVITATION_HOURS,
                "username": user.get_username(),
            },
        )
    address = person.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [address]))
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation the link stands for while it still works; None when it is unknown,
    used, replaced or expired (the page says so, without telling which)."""
    return (
        Invitation.objects.select_related("support_person__user")
        .filter(
            token_hash=token_hash(token),
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


@transaction.atomic
def invitation_use(*, token: str, password: str) -> User:
    """Set the password through the link, once: the UPDATE claims the invitation, so a
    second post (or a second tab) finds it used."""
    invitation = invitation_for_token(token)
    now = timezone.now()
    claimed = Invitation.objects.filter(
        token_hash=token_hash(token),
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    ).update(used_at=now)
    if invitation is None or not claimed:
        raise ServiceError(_("The link has expired or has already been used."))
    user = invitation.support_person.user
    if user is None:
        raise ServiceError(_("The link has expired or has already been used."))
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    return user
