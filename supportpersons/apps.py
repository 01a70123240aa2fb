from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportPersonsConfig(AppConfig):
    name = "supportpersons"
    verbose_name = _("Support persons")

    def ready(self) -> None:
        # What the audit page shows of this app's persons and history (audit/subjects.py).
        from audit.models import ReadLogEntry
        from audit.subjects import register_history, register_namer

        from .models import SupportPerson

        register_history(ReadLogEntry.Subject.SUPPORT_PERSON, SupportPerson.history.model, "id")
        register_namer(ReadLogEntry.Subject.SUPPORT_PERSON, SupportPerson.objects.names_for)
