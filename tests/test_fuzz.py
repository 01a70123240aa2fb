"""Hostile input: Hypothesis fills every form with random and hostile values. No answer is a
server error, a refused form saves nothing, and no value comes back as live markup."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.test import Client as HttpClient
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories

SCRIPT = "<script>alert(1)</script>"
HOSTILE = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "\x00",
    "\u202e\u0000\u0007",
    "2026-02-30",
    "31/12/2026",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "x" * 5000,
    "../../etc/passwd",
    "",
    " ",
    "19900101-0018",
    "987654321",
]
values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=200))

# (persona, URL name, arguments from the world): every form the personas can open.
FORMS: list[tuple[str, str, Any]] = [
    ("sp_with", "clients:consent_new", lambda w: [w.client_a.pk]),
    ("sp_with", "clients:risk_new", lambda w: [w.client_a.pk]),
    ("sp_with", "clients:deviation_new", lambda w: [w.client_a.pk]),
    ("manager_a", "assignments:assign", lambda w: [w.client_a2.pk]),
    ("manager_a", "assignments:change", lambda w: [w.client_a.pk]),
    ("manager_a", "assignments:satisfaction", lambda w: [w.client_a.pk]),
    ("manager_a", "assignments:deactivate", lambda w: [w.sp_with_client.pk]),
    ("manager_a", "assignments:release", lambda w: [w.assignment_a.pk]),
    ("admin", "assignments:request_new", lambda w: []),
    ("admin", "assignments:request_appoint", lambda w: [w.request.pk]),
    ("admin", "supportpersons:new", lambda w: []),
    ("admin", "supportpersons:edit", lambda w: [w.sp_without_client.pk]),
    ("admin", "supportpersons:step", lambda w: [w.sp_without_client.pk]),
    ("admin", "supportpersons:pause", lambda w: [w.sp_without_client.pk]),
    ("admin", "supportpersons:event_new", lambda w: []),
    ("admin", "supportpersons:collaboration", lambda w: []),
    ("anonymous", "login", lambda w: []),
]
FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"clients", "supportpersons", "assignments", "duties", "flags", "reports"}
        and not model._meta.label.split(".")[1].startswith("Historical")
    }


@pytest.fixture
def users(world, admin_user, manager_a, sp_user):
    world.request = factories.RequestFactory(client=world.client_a2)
    return {"admin": admin_user, "manager_a": manager_a, "sp_with": sp_user}


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "name", "args"), FORMS, ids=[f[1] for f in FORMS])
def test_no_form_answers_with_a_server_error_or_saves_half(world, users, persona, name, args):
    http = HttpClient(raise_request_exception=False)
    if persona != "anonymous":
        http.force_login(users[persona])
    url = reverse(name, args=args(world))
    page = http.get(url)
    assert page.status_code == 200, url
    fields = sorted(set(FIELD.findall(page.content.decode())) - {"csrfmiddlewaretoken", "next"})
    assert fields, f"no fields found on {url}"

    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries(dict.fromkeys(fields, values)))
    def post(data: dict[str, str]) -> None:
        before = row_counts()
        response = http.post(url, data)
        assert response.status_code < 500, (url, data)
        if response.status_code == 200:  # the form came back with errors: nothing saved
            assert row_counts() == before, (url, data)
            assert SCRIPT not in response.content.decode(), (url, data)

    post()


@pytest.mark.django_db
@given(
    content=st.one_of(
        st.binary(max_size=2000), st.sampled_from([b"", b"\xff\xfe\x00", b"PK\x03\x04"])
    )
)
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_an_import_of_any_bytes_never_fails_and_saves_nothing(as_admin, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = row_counts()
    for filename in ("data.csv", "data.xlsx"):
        upload = SimpleUploadedFile(filename, content)
        page = as_admin.get(reverse("supportpersons:import"))
        fields = set(FIELD.findall(page.content.decode())) - {"csrfmiddlewaretoken", "file"}
        data = dict.fromkeys(fields, "support_persons")
        response = as_admin.post(reverse("supportpersons:import"), {**data, "file": upload})
        assert response.status_code < 500
    assert row_counts() == before
