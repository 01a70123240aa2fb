"""The Swedish of the interface (issue 14, "Swedish polish"): one date format, thousands
apart with a non-breaking space, plurals that agree with their count, and uniqueness
messages that say what is wrong and what to do."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils.formats import date_format

from clients.models import Locality, Unit
from reports.narrative import digits
from reports.tables import format_value
from supportpersons.models import Registration
from tests import factories

NBSP = "\xa0"


# --- Dates --------------------------------------------------------------------------------


def test_a_text_date_is_day_short_month_in_lower_case_and_year():
    assert date_format(date(2026, 9, 9), "DATE_FORMAT") == "9 sep 2026"
    assert date_format(date(2026, 5, 1), "DATE_FORMAT") == "1 maj 2026"
    assert date_format(date(2026, 2, 10), "MONTH_DAY_FORMAT") == "10 feb"
    at = datetime(2026, 10, 3, 14, 5, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert date_format(at, "DATETIME_FORMAT") == "3 okt 2026 14:05"


def test_tables_and_files_write_iso_dates():
    assert date_format(date(2026, 9, 9), "SHORT_DATE_FORMAT") == "2026-09-09"
    assert format_value(date(2026, 2, 10)) == "10 feb"
    assert format_value(date(2026, 2, 10), in_file=True) == "2026-02-10"


def test_templates_write_the_date_format():
    rendered = Template('{{ d|date:"DATE_FORMAT" }} · {{ d }}').render(
        Context({"d": date(2026, 9, 9)})
    )
    assert rendered == "9 sep 2026 · 9 sep 2026"


@pytest.mark.django_db
def test_the_client_page_writes_its_facts_with_text_dates(as_manager_a, world):
    world.client_a.started_on = date(2026, 9, 9)
    world.client_a.save()
    page = as_manager_a.get(reverse("overview:client", args=[world.client_a.pk])).content.decode()
    assert "Klient sedan</dt><dd" in page and "9 sep 2026" in page
    assert "Sep 2026" not in page


# --- Thousands ----------------------------------------------------------------------------


def test_thousands_are_apart_with_a_non_breaking_space():
    assert Template("{% load humanize %}{{ n|intcomma }}").render(Context({"n": 1234})) == (
        f"1{NBSP}234"
    )
    assert intcomma(1234567) == f"1{NBSP}234{NBSP}567"
    assert intcomma(999) == "999"
    assert digits(1234) == f"1{NBSP}234"


def test_report_cells_group_thousands_but_files_do_not():
    assert format_value(1234) == f"1{NBSP}234"
    assert format_value(1234, in_file=True) == "1234"
    assert format_value(12.5) == "12,5"


def test_ids_have_no_thousands_separator():
    assert Template("{{ n }}").render(Context({"n": 12345})) == "12345"


@pytest.mark.django_db
def test_a_list_count_groups_thousands(as_manager_a, world):
    assert "2 klienter" in as_manager_a.get(reverse("overview:clients")).content.decode()
    rendered = Template(
        "{% load humanize i18n %}{% blocktranslate count counter=n with shown=n|intcomma %}"
        "{{ shown }} client{% plural %}{{ shown }} clients{% endblocktranslate %}"
    ).render(Context({"n": 1234}))
    assert rendered == f"1{NBSP}234 klienter"


# --- Plurals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("waiting", "expected"),
    [
        (1, "1 aktiv, 1 ledig plats, 1 klient väntar"),
        (2, "2 aktiva, 2 lediga platser, 2 klienter väntar"),
    ],
)
def test_the_balance_agrees_with_each_count(waiting, expected):
    html = Template(
        "{% load i18n %}{% blocktranslate count counter=row.active %}{{ counter }} active"
        "{% plural %}{{ counter }} active{% endblocktranslate %}, "
        "{% blocktranslate count counter=row.free_places %}{{ counter }} free place{% plural %}"
        "{{ counter }} free places{% endblocktranslate %}, "
        "{% blocktranslate count counter=row.waiting %}{{ counter }} client waiting{% plural %}"
        "{{ counter }} clients waiting{% endblocktranslate %}"
    ).render(Context({"row": {"active": waiting, "free_places": waiting, "waiting": waiting}}))
    assert html == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("waiting", "expected"), [(1, "1 klient väntar"), (2, "2 klienter väntar")]
)
def test_the_balance_page_says_clients_waiting_in_the_right_number(as_admin, waiting, expected):
    locality = factories.LocalityFactory(name="Kiruna")
    unit = factories.UnitFactory(locality=locality)
    for _ in range(waiting):
        factories.ClientFactory(unit=unit)
    factories.SupportPersonFactory(locality=locality)
    page = as_admin.get(reverse("assignments:balance")).content.decode()
    assert expected in page


@pytest.mark.parametrize(
    ("registered", "minimum", "expected"),
    [
        (1, 3, "1 anmäld av minst 3"),
        (2, 3, "2 anmälda av minst 3"),
        (0, 0, "0 anmälda"),
        (1, 0, "1 anmäld"),
    ],
)
def test_the_registrations_agree_with_the_count(registered, minimum, expected):
    html = render_to_string(
        "supportpersons/includes/registered_count.html",
        {"registered": registered, "minimum": minimum},
    )
    assert html == expected


@pytest.mark.parametrize(("capacity", "expected"), [(1, "0 av 1 klient"), (2, "0 av 2 klienter")])
def test_a_candidates_load_agrees_with_the_capacity(capacity, expected):
    html = Template(
        "{% load i18n %}{% blocktranslate count counter=capacity with load=0 %}{{ load }} of "
        "{{ counter }} client{% plural %}{{ load }} of {{ counter }} clients{% endblocktranslate %}"
    ).render(Context({"capacity": capacity}))
    assert html == expected


@pytest.mark.parametrize(("done", "expected"), [(1, "1 av 2 klar"), (2, "2 av 2 klara")])
def test_a_batchs_progress_agrees_with_the_count(done, expected):
    html = render_to_string(
        "reports/includes/batch_progress.html",
        {"batch": {"pk": 1, "done": done, "total": 2, "status": "running", "percent": 50}},
    )
    assert expected in html


# --- Uniqueness ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_unit_of_the_same_name_is_refused_in_swedish(world):
    twin = Unit(programme=world.unit_a.programme, name="Enhet A", locality=world.unit_a.locality)
    with pytest.raises(ValidationError) as refused:
        twin.full_clean()
    assert refused.value.messages == [
        "Verksamheten har redan en enhet med det namnet. Välj ett annat namn."
    ]


@pytest.mark.django_db
def test_a_second_locality_of_the_same_name_is_refused_in_swedish():
    Locality.objects.create(name="Umeå")
    with pytest.raises(ValidationError) as refused:
        Locality(name="Umeå").full_clean()
    assert refused.value.message_dict == {"name": ["Det finns redan en ort med det namnet."]}


@pytest.mark.django_db
def test_a_second_registration_is_refused_in_swedish(world):
    registration = factories.RegistrationFactory(support_person=world.sp_with_client)
    twin = Registration(event=registration.event, support_person=world.sp_with_client)
    with pytest.raises(ValidationError) as refused:
        twin.validate_constraints()
    assert refused.value.messages == ["Stödpersonen är redan anmäld till tillfället."]


@pytest.mark.django_db
def test_the_admin_refuses_a_duplicate_unit_in_swedish_and_saves_nothing(world, django_user_model):
    http = HttpClient()
    http.force_login(django_user_model.objects.create_superuser("root", "root@example.se", "x"))
    before = Unit.objects.count()
    response = http.post(
        reverse("admin:clients_unit_add"),
        {
            "programme": world.unit_a.programme.pk,
            "name": "Enhet A",
            "locality": world.unit_a.locality.pk,
        },
    )
    assert response.status_code == 200
    assert Unit.objects.count() == before
    page = response.content.decode()
    assert "Verksamheten har redan en enhet med det namnet. Välj ett annat namn." in page
    assert "med samma" not in page
