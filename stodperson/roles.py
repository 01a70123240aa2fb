"""The three roles (domain.md, "Users").

Administrators are a group; a unit manager is a user who manages a unit; a support person is
a user linked to a SupportPerson. Record-level access is each model's scope
(stodperson/access.py: `visible_to(user)` to read, `managed_by(user)` to change).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

ADMINISTRATORS_GROUP = "administrators"


def is_administrator(user: User | AnonymousUser) -> bool:
    """True for superusers and members of the administrators group (cached per user object)."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_administrator", None)
    if cached is None:
        cached = bool(
            getattr(user, "is_superuser", False)
            or user.groups.filter(name=ADMINISTRATORS_GROUP).exists()  # type: ignore[union-attr]
        )
        setattr(user, "_is_administrator", cached)  # noqa: B010 - a per-request cache
    return cached


def is_unit_manager(user: User | AnonymousUser) -> bool:
    return bool(managed_unit_names(user))


def managed_unit_names(user: User | AnonymousUser) -> list[str]:
    """The names of the units the user manages, for the role check and the service header in
    one query (cached per user object)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_managed_unit_names", None)
    if cached is None:
        cached = list(
            user.managed_units.order_by("name").values_list("name", flat=True)  # type: ignore[union-attr]
        )
        setattr(user, "_managed_unit_names", cached)  # noqa: B010
    return cached


def is_support_person(user: User | AnonymousUser) -> bool:
    """True for a user linked to a SupportPerson (cached per user object)."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_support_person", None)
    if cached is None:
        # The reverse relation that supportpersons declares: roles stand below every app
        # and never import their models. Fetched with its unit, which the service header
        # names, and its programme (a patient committee's volunteer starts on their own
        # page), and left in the relation's cache so that user.support_person asks nothing.
        relation: Any = user._meta.get_field("support_person")
        person = (
            relation.related_model._base_manager.select_related("unit", "programme")
            .filter(user=user)
            .first()
        )
        relation.set_cached_value(user, person)
        cached = person is not None
        setattr(user, "_is_support_person", cached)  # noqa: B010
    return cached
