from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Assignments")

    def ready(self) -> None:
        # What the audit page shows of this app's persons and history (audit/subjects.py).
        from audit.models import ReadLogEntry
        from audit.subjects import register_history

        from .models import Assignment, SupportRequest

        register_history(ReadLogEntry.Subject.CLIENT, Assignment.history.model, "client_id")
        register_history(ReadLogEntry.Subject.CLIENT, SupportRequest.history.model, "client_id")
        register_history(
            ReadLogEntry.Subject.SUPPORT_PERSON, Assignment.history.model, "support_person_id"
        )
