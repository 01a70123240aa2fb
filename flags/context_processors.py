from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from stodperson import roles as roles_module

from .models import Flag


def open_flags(request: HttpRequest) -> dict[str, object]:
    """The nav badge: how many open flags the user can see on the flags page. One query,
    run only when a template shows it (not for htmx fragments), and only for a user with
    a role; the role checks are cached on the user by
    stodperson.context_processors.roles, which runs first."""
    user = request.user
    if not user.is_authenticated or not (
        roles_module.is_administrator(user)
        or roles_module.is_unit_manager(user)
        or roles_module.is_support_person(user)
    ):
        return {}

    def count() -> int:
        return Flag.objects.visible_to(user).open().count()

    return {"open_flag_count": SimpleLazyObject(count)}
