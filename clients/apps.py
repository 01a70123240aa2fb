from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = _("Clients and units")

    def ready(self) -> None:
        # What the audit page shows of this app's change history (audit/histories.py).
        from audit.histories import register_history
        from audit.models import ReadLogEntry

        from .models import Client

        register_history(ReadLogEntry.Subject.CLIENT, Client.history.model, "id")
