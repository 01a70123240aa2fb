from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlagsConfig(AppConfig):
    name = "flags"
    verbose_name = _("Flags")

    def ready(self) -> None:
        # A renewal resolves the old consent's review flag in its own transaction.
        from clients.record_services import on_consent_replaced

        from .consent_checks import resolve_review_of_replaced_consent

        on_consent_replaced(resolve_review_of_replaced_consent)
