"""The three roles (domain.md, "Users").

Administrators are a group; a unit manager is a user who manages a unit; a support person is
a user linked to a SupportPerson. Record-level access is each model's `visible_to(user)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from supportpersons.models import SupportPerson

ADMINISTRATORS_GROUP = "administrators"


def is_administrator(user: AbstractBaseUser | AnonymousUser) -> bool:
    """True for superusers and members of the administrators group (cached per user object)."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_administrator", None)
    if cached is None:
        cached = bool(
            getattr(user, "is_superuser", False)
            or user.groups.filter(name=ADMINISTRATORS_GROUP).exists()  # type: ignore[union-attr]
        )
        user._is_administrator = cached  # type: ignore[union-attr]
    return cached


def is_unit_manager(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_unit_manager", None)
    if cached is None:
        cached = user.managed_units.exists()  # type: ignore[union-attr]
        user._is_unit_manager = cached  # type: ignore[union-attr]
    return cached


def support_person_of(user: AbstractBaseUser | AnonymousUser) -> SupportPerson | None:
    """The SupportPerson linked to this user, or None (cached per user object)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_support_person"):
        from supportpersons.models import SupportPerson  # noqa: PLC0415

        user._support_person = SupportPerson.objects.filter(user=user).first()  # type: ignore[union-attr]
    return user._support_person  # type: ignore[union-attr]
