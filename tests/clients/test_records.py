"""Recording consents and deviations from the client page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Consent, Deviation

pytestmark = pytest.mark.django_db


TODAY = timezone.localdate


def test_a_support_person_records_a_consent_and_a_deviation(as_support_person, world):
    client_pk = world.client_a.pk
    response = as_support_person.post(
        reverse("clients:consent_new", args=[client_pk]),
        {"purpose": "Kontakt med vården", "given_on": TODAY().isoformat()},
    )
    assert response.status_code == 302
    assert Consent.objects.get().client == world.client_a
    as_support_person.post(
        reverse("clients:deviation_new", args=[client_pk]),
        {"occurred_on": TODAY().isoformat(), "category": "ordinary", "description": "Sen insats"},
    )
    deviation = Deviation.objects.get()
    assert deviation.reported_by.username == "stod_med"
    assert deviation.status == Deviation.Status.OPEN


def test_a_consent_reviewed_before_it_was_given_gets_a_swedish_error(as_support_person, world):
    response = as_support_person.post(
        reverse("clients:consent_new", args=[world.client_a.pk]),
        {"purpose": "X", "given_on": "2026-05-01", "review_on": "2026-04-01"},
    )
    assert response.status_code == 200
    assert "kan inte vara före" in response.content.decode()
    assert not Consent.objects.exists()


def test_recording_on_a_client_out_of_reach_is_not_found(as_support_person, world):
    response = as_support_person.post(
        reverse("clients:risk_new", args=[world.client_a2.pk]),
        {"kind": "risk", "description": "x", "decided_on": TODAY().isoformat()},
    )
    assert response.status_code == 404
