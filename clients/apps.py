from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = _("Clients and units")

    def ready(self) -> None:
        # What the audit page shows of this app's persons and history (audit/subjects.py).
        from audit.models import ReadLogEntry
        from audit.subjects import register_history, register_namer

        from .models import Client, Consent, Contact, Deviation, RiskMeasure

        register_history(ReadLogEntry.Subject.CLIENT, Client.history.model, "id")
        for record in (Consent, Contact, Deviation, RiskMeasure):
            register_history(ReadLogEntry.Subject.CLIENT, record.history.model, "client_id")
        register_namer(ReadLogEntry.Subject.CLIENT, Client.objects.names_for)
