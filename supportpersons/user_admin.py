"""The user admin, for the accounts of support persons with a protected identity: a login
account repeats the person's name and e-mail, so the same rule holds there as on the
person (clients/admin.py ProtectedIdentityAdmin): not there for anyone but the person's
named readers, in the list, search, the change page and the delete page."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from clients.admin import FindableSearchAdmin
from clients.models import ProtectedIdentity

from .models import SupportPerson

IDENTIFYING = ("first_name", "last_name", "email")


def _hidden_accounts(request: HttpRequest) -> Q:
    """Accounts of a protected support person the user is not a named reader of."""
    protected = SupportPerson.objects.filter(user=OuterRef("pk")).exclude(
        protected_identity=ProtectedIdentity.NONE
    )
    return Q(Exists(protected)) & ~Q(Exists(protected.filter(identity_readers=request.user.pk)))


class RegisterUserAdmin(FindableSearchAdmin, UserAdmin):
    list_display = ["username", "shown_name", "shown_email", "is_staff"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).annotate(_hidden=_hidden_accounts(request))

    def _hidden(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None:
            return False
        person = SupportPerson.objects.filter(user_id=obj.pk).first()
        return person is not None and person.identity_hidden_from(request.user)

    @admin.display(description=_("name"), ordering="last_name")
    def shown_name(self, obj: Any) -> str:
        return "–" if obj._hidden else obj.get_full_name()

    @admin.display(description=_("e-mail"))
    def shown_email(self, obj: Any) -> str:
        return "–" if obj._hidden else obj.email

    def findable(self, request: HttpRequest, search_term: str) -> Q:
        # Found by the user name only, never by a hidden name or e-mail.
        return ~_hidden_accounts(request) | Q(username=search_term)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if not self._hidden(request, obj):
            return fieldsets
        return [
            (title, {**options, "fields": [f for f in options["fields"] if f not in IDENTIFYING]})
            for title, options in fieldsets
        ]

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        # The admin log's entries keep the text of an object as it was when the action was
        # done, so a person protected later is named there: they are counted, not listed.
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        prefix = f"{capfirst(LogEntry._meta.verbose_name)}: "
        return _without(to_delete, prefix), model_count, perms_needed, protected


def _without(items: list[Any], prefix: str) -> list[Any]:
    kept: list[Any] = []
    for item in items:
        if isinstance(item, list):
            kept.append(_without(item, prefix))
        elif not str(item).startswith(prefix):
            kept.append(item)
    return kept


admin.site.unregister(User)
admin.site.register(User, RegisterUserAdmin)
