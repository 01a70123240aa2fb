from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportPersonsConfig(AppConfig):
    name = "supportpersons"
    verbose_name = _("Support persons")

    def ready(self) -> None:
        # What the audit page shows of this app's change history (audit/histories.py).
        from audit.histories import register_history
        from audit.models import ReadLogEntry

        from .models import SupportPerson

        register_history(ReadLogEntry.Subject.SUPPORT_PERSON, SupportPerson.history.model, "id")
