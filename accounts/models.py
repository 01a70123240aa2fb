"""Which identity at the organisation's identity provider is which user of the register.

A link is made by an administrator, never by a login: roles and units are decided in the
register, so an identity without a link is refused (issue #13).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class IdentityLinkQuerySet(models.QuerySet["IdentityLink"]):
    def active_user_for(self, subject: str) -> User | None:
        """The active user linked to this value of the matching claim, or None."""
        link = self.select_related("user").filter(subject=subject, user__is_active=True).first()
        return link.user if link is not None else None


class IdentityLink(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="identity_link",
        verbose_name=_("user"),
    )
    # The value of the claim named by OIDC_USER_CLAIM (`sub`, Entra ID's `oid`, an employee
    # number): stable for the person, never their name or e-mail, which change.
    subject = models.CharField(
        _("identity at the provider"),
        max_length=255,
        unique=True,
        error_messages={
            "unique": _("Another user is already linked to this identity at the provider.")
        },
        help_text=_("The value of the claim the register matches on (OIDC_USER_CLAIM)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last single sign-on"), null=True, blank=True)

    objects = IdentityLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("single sign-on link")
        verbose_name_plural = _("single sign-on links")

    def __str__(self) -> str:
        return f"{self.user} ↔ {self.subject}"
