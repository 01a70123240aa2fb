"""The personnummer for payroll is written in the admin and never shown there."""

import pytest
from django.urls import reverse

from payments.models import Payee
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_admin(django_user_model):
    """The Django admin is for staff (tests/test_admin.py)."""
    from django.test import Client

    http = Client()
    http.force_login(django_user_model.objects.create_superuser("root", "root@example.se", "x"))
    return http


PNR = "19121212-1212"


def test_the_admin_never_shows_a_payees_personnummer(as_admin):
    payee = Payee.objects.create(support_person=factories.SupportPersonFactory(), personnummer=PNR)
    for url in (
        reverse("admin:payments_payee_changelist"),
        reverse("admin:payments_payee_change", args=[payee.pk]),
        reverse("admin:payments_payee_history", args=[payee.pk]),
    ):
        response = as_admin.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "191212121212" not in page.replace("-", "")
        assert "1212-1212" not in page


def test_a_change_with_the_field_left_empty_keeps_the_stored_number(as_admin):
    person = factories.SupportPersonFactory()
    payee = Payee.objects.create(support_person=person, personnummer=PNR)
    url = reverse("admin:payments_payee_change", args=[payee.pk])
    response = as_admin.post(url, {"support_person": person.pk, "personnummer": ""})
    assert response.status_code == 302
    payee.refresh_from_db()
    assert payee.personnummer == PNR


def test_a_new_payee_needs_a_valid_personnummer(as_admin):
    person = factories.SupportPersonFactory()
    url = reverse("admin:payments_payee_add")
    assert (
        "Ange personnumret." in as_admin.post(url, {"support_person": person.pk}).content.decode()
    )
    response = as_admin.post(url, {"support_person": person.pk, "personnummer": "19850412-1235"})
    assert response.status_code == 200
    assert not Payee.objects.exists()


def test_others_than_administrators_do_not_reach_it(as_manager_a, as_support_person):
    for client in (as_manager_a, as_support_person):
        assert client.get(reverse("admin:payments_payee_changelist")).status_code in (302, 403)
