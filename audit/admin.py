"""The read log in the Django admin: an admin page that shows persons notes them, as the
application's pages do (audit/log.py); the middleware writes them in one INSERT."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from .log import Shown, note_reads


class ReadLoggedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The list notes the persons on its page; the change and history pages the persons of
    the record. `persons_shown(obj)` says whose data a row shows (subject, person)."""

    def persons_shown(self, obj: Any) -> Iterable[tuple[str, Shown]]:
        return ()

    def _note(self, request: HttpRequest, objects: Iterable[Any]) -> None:
        shown: dict[str, list[Shown]] = {}
        for obj in objects:
            for subject, person in self.persons_shown(obj):
                shown.setdefault(subject, []).append(person)
        for subject, people in shown.items():
            note_reads(request, subject, people)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            self._note(request, changelist.result_list)
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        self._note_object(request, response)
        return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)
        self._note_object(request, response)
        return response

    def _note_object(self, request: HttpRequest, response: HttpResponse) -> None:
        # The page's own record, from its context ("original" on the change page, "object"
        # on the history), so noting it costs no second fetch.
        context = getattr(response, "context_data", None) or {}
        obj = context.get("original") or context.get("object")
        if response.status_code == 200 and obj is not None:
            self._note(request, [obj])
