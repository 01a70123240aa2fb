from django.http import HttpRequest

from . import roles as roles_module


def roles(request: HttpRequest) -> dict[str, object]:
    """What the navigation shows: each role sees what it may use."""
    user = request.user
    return {
        "is_administrator": roles_module.is_administrator(user),
        "is_unit_manager": roles_module.is_unit_manager(user),
        "is_support_person": roles_module.is_support_person(user),
    }
