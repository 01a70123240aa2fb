"""The Django admin, for administrators only: staff status alone does not open it, since the
admin does not apply the need-to-know rules of the application's own pages. Nor does a
password alone while two-factor login is owed (stodperson/two_factor.py)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import roles


class AdminSite(admin.AdminSite):
    site_header = _("Support person register – administration")
    site_title = _("Support person register")

    def has_permission(self, request: HttpRequest) -> bool:
        # Imported here: it needs the models, which are not loaded when this module is.
        from . import two_factor

        return (
            super().has_permission(request)
            and roles.is_administrator(request.user)
            and two_factor.is_satisfied(request)
        )


class StodpersonAdminConfig(AdminConfig):
    default_site = "stodperson.admin_site.AdminSite"

    def ready(self) -> None:
        super().ready()
        from . import two_factor

        # Every login path (ours, the admin's, the test client's) notes whether a code is owed.
        user_logged_in.connect(two_factor.remember_device_at_login, dispatch_uid="two_factor")
