"""A patient committee with a request and two volunteers who log in, for the offer tests."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from assignments.models import SupportRequest
from clients.models import Client
from supportpersons.models import SupportPerson
from tests import factories, volunteers


@dataclass
class Committee:
    request: SupportRequest
    patient: Client
    erik: SupportPerson
    maja: SupportPerson
    erik_user: User
    maja_user: User


def committee() -> Committee:
    programme = factories.patient_committee_programme()
    umea = factories.LocalityFactory(name="Umeå")
    ward = factories.UnitFactory(programme=programme, name="Psykiatrisk avdelning 3", locality=umea)
    patient = factories.ClientFactory(
        unit=ward,
        first_name="Pia",
        last_name="Patientsson",
        legal_basis="lpt",
        personnummer="",
    )
    erik_user = factories.UserFactory(
        username="stod.erik", first_name="Erik", last_name="Volontär", email="erik@example.se"
    )
    maja_user = factories.UserFactory(
        username="stod.maja", first_name="Maja", last_name="Volontär", email="maja@example.se"
    )
    erik = factories.SupportPersonFactory(
        programme=programme,
        locality=umea,
        user=erik_user,
        first_name="Erik",
        last_name="Volontär",
        email="erik@example.se",
    )
    maja = factories.SupportPersonFactory(
        programme=programme,
        locality=umea,
        user=maja_user,
        first_name="Maja",
        last_name="Volontär",
        email="",
    )
    # Both may be offered an assignment: the undertaking accepted, the check in date.
    volunteers.ready(erik)
    volunteers.ready(maja)
    request = factories.RequestFactory(client=patient)
    return Committee(request, patient, erik, maja, erik_user, maja_user)
