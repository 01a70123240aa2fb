"""Every response that shows a person's data is in the read log (OSL 26 kap., GDPR art. 32).

The pages come from the access matrix, which holds every URL of the application (a URL
without a row there fails that suite), so a new page that shows a name without logging it
fails here: each persona opens each page it may open, and every client or support person
whose name the response shows must be in the log for that user and that page."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from audit.models import ReadLogEntry
from tests.test_access_matrix import PERSONAS, ROWS, Row, http_as  # noqa: F401 (a fixture)

SHOWN = [row for row in ROWS if 200 in row.expected.values()]


def _people(world):
    return [
        *[("client", c) for c in (world.client_a, world.client_a2, world.client_b)],
        *[
            ("support_person", p)
            for p in (world.sp_with_client, world.sp_without_client, world.other_programme_person)
        ],
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("row", SHOWN, ids=lambda r: f"{r.name}{'-' + r.note if r.note else ''}")
def test_every_page_that_shows_a_person_logs_the_read(row: Row, world, http_as):  # noqa: F811
    url = reverse(row.name, kwargs=row.args(world))
    unlogged = []
    for persona in PERSONAS:
        if row.expected[persona] != 200:
            continue
        before = ReadLogEntry.objects.count()
        response = http_as(persona).get(url)
        body = response.content.decode("utf-8", errors="replace")
        logged = {
            (e.subject, e.subject_id)
            for e in ReadLogEntry.objects.order_by("id")[before:]
            if e.page == url
        }
        for subject, person in _people(world):
            if person.display_name in body and (subject, person.pk) not in logged:
                unlogged.append(f"{persona} saw {subject} {person.pk} unlogged")
    assert unlogged == [], url


def _admin_pages(world) -> list[str]:
    """Every changelist of the admin, and the change and history pages of a row of each."""
    pages = []
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        row = model._default_manager.order_by("pk").first()
        if row is not None and model._meta.app_label not in {"auth", "axes", "otp_totp"}:
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[row.pk]))
            if hasattr(model_admin, "history_view"):
                pages.append(reverse("admin:{}_{}_history".format(*info), args=[row.pk]))
    return pages


@pytest.mark.django_db
def test_every_admin_page_that_shows_a_person_logs_the_read(world, http_as):  # noqa: F811
    http = http_as("admin")
    unlogged = []
    for url in _admin_pages(world):
        before = ReadLogEntry.objects.count()
        body = http.get(url).content.decode("utf-8", errors="replace")
        logged = {
            (e.subject, e.subject_id)
            for e in ReadLogEntry.objects.order_by("id")[before:]
            if e.page.split("?")[0] == url
        }
        for subject, person in _people(world):
            if person.display_name in body and (subject, person.pk) not in logged:
                unlogged.append(f"{url} showed {subject} {person.pk} unlogged")
    assert unlogged == []
