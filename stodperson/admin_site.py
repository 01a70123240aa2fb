"""The Django admin, for administrators only: staff status alone does not open it, since the
admin does not apply the need-to-know rules of the application's own pages."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import roles


class AdminSite(admin.AdminSite):
    site_header = _("Support person register – administration")
    site_title = _("Support person register")

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and roles.is_administrator(request.user)


class StodpersonAdminConfig(AdminConfig):
    default_site = "stodperson.admin_site.AdminSite"
