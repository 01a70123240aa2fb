from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from . import navigation
from . import roles as roles_module


def roles(request: HttpRequest) -> dict[str, object]:
    """What the navigation shows: each role sees what it may use."""
    user = request.user
    return {
        "is_administrator": roles_module.is_administrator(user),
        "is_unit_manager": roles_module.is_unit_manager(user),
        "is_support_person": roles_module.is_support_person(user),
    }


def service_header(request: HttpRequest) -> dict[str, object]:
    """The service header: the user's menu with the current page marked, their roles and
    their units. Built only when a template shows it (not for htmx fragments); it asks
    the database nothing beyond the role checks above, which fetch the unit names."""
    user = request.user
    if not user.is_authenticated:
        return {}
    match = request.resolver_match
    view_name = match.view_name if match else ""
    return {
        "menu": SimpleLazyObject(lambda: navigation.menu(user, view_name)),
        "user_roles_label": SimpleLazyObject(lambda: _roles_label(user)),
        "user_units_label": SimpleLazyObject(lambda: _units_label(user)),
    }


def _roles_label(user: object) -> str:
    held = navigation.user_roles(user)  # type: ignore[arg-type]
    names = {
        navigation.ADMINISTRATOR: _("Administrator"),
        navigation.MANAGER: _("Unit manager"),
        navigation.SUPPORT_PERSON: _("Support person"),
    }
    return ", ".join(str(names[r]) for r in names if r in held)


def _units_label(user: object) -> str:
    if roles_module.is_administrator(user):  # type: ignore[arg-type]
        return _("All units")
    names = list(roles_module.managed_unit_names(user))  # type: ignore[arg-type]
    if roles_module.is_support_person(user):  # type: ignore[arg-type]
        unit = user.support_person.unit  # type: ignore[attr-defined]
        if unit is not None and unit.name not in names:
            names.append(unit.name)
    return ", ".join(names)
