"""Types the apps share."""

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedRequest(HttpRequest):
    """The request of a view behind role_required: the user is logged in."""

    user: User
