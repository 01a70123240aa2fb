from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportPersonsConfig(AppConfig):
    name = "supportpersons"
    verbose_name = _("Support persons")
