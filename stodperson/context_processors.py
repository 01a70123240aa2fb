from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import roles as roles_module


def roles(request: HttpRequest) -> dict[str, object]:
    """What the navigation shows: each role sees what it may use."""
    user = request.user
    return {
        "is_administrator": roles_module.is_administrator(user),
        "is_unit_manager": roles_module.is_unit_manager(user),
        "is_support_person": roles_module.support_person_of(user) is not None,
    }


def open_flags(request: HttpRequest) -> dict[str, object]:
    """The nav badge: how many open flags the user can see on the flags page. One query,
    run only when a template shows it (not for htmx fragments), and only for a user with
    a role; the role checks are cached on the user by `roles` above."""
    user = request.user
    if not user.is_authenticated or not (
        roles_module.is_administrator(user)
        or roles_module.is_unit_manager(user)
        or roles_module.support_person_of(user) is not None
    ):
        return {}

    def count() -> int:
        from assignments.models import Flag

        return Flag.objects.visible_to(user).open().count()

    return {"open_flag_count": SimpleLazyObject(count)}
