"""Two volunteers accept the same request's offers at the same moment (issue 16, item 3):
one acceptance, one appointment, and a clear Swedish message to the other."""

import threading

import pytest
from django.db import connection, connections

from assignments import offer_services
from assignments.models import Assignment, Offer
from stodperson.errors import ServiceError

from .offer_setup import committee


@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_once_leave_one_appointment_and_a_clear_message(admin_user):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite takes one writer at a time to begin with")
    pc = committee()
    offers = offer_services.offers_make(
        request=pc.request, support_persons=[pc.erik, pc.maja], by=admin_user
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(offer: Offer, user) -> None:
        try:
            barrier.wait(timeout=10)
            offer_services.offer_accept(offer=offer, by=user)
            outcomes.append("accepted")
        except ServiceError as error:
            outcomes.append(error.message)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=accept, args=(offers[0], pc.erik_user)),
        threading.Thread(target=accept, args=(offers[1], pc.maja_user)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == sorted(
        [
            "accepted",
            "En annan stödperson accepterade uppdraget före dig. Tack för ditt svar: kansliet "
            "hör av sig om du ändå behövs.",
        ]
    )
    accepted = Offer.objects.get(request=pc.request, status=Offer.Status.ACCEPTED)
    offer_services.offer_appoint(offer=accepted, by=admin_user)
    assert Assignment.objects.filter(request=pc.request).count() == 1
    assert Assignment.objects.get(request=pc.request).support_person == accepted.support_person
    other = Offer.objects.exclude(pk=accepted.pk).get(request=pc.request)
    assert other.status == Offer.Status.CLOSED and other.closing_message
