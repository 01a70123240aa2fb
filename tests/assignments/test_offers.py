"""Offers (issue 16, item 3): the office offers a request's assignment to several ranked
candidates, the volunteers answer on the phone, the first acceptance is appointed in one
step and the other offers close with a message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assignments import offer_services, services
from assignments.models import Assignment, Offer
from assignments.offer_notices import offer_mail, offer_sms_text
from audit.models import ReadLogEntry
from stodperson.errors import ServiceError
from supportpersons.models import SupportPerson
from tests import factories, volunteers

from .offer_setup import Committee, committee

PATIENT_WORDS = ["Pia", "Patientsson", "Psykiatrisk", "avdelning", "Umeå", "LPT", "lpt"]


@pytest.fixture
def pc(db) -> Committee:
    return committee()


def _offer(pc: Committee, admin_user, *people: SupportPerson, now=None) -> list[Offer]:
    return offer_services.offers_make(
        request=pc.request,
        support_persons=list(people or [pc.erik, pc.maja]),
        by=admin_user,
        now=now,
    )


def _as(client, user):
    client.force_login(user)
    return client


# --- The whole flow, as the people do it -------------------------------------------------------


def test_the_whole_flow_from_offer_to_appointment(
    client, admin_user, pc, django_capture_on_commit_callbacks
):
    _as(client, admin_user)
    url = reverse("assignments:request_offer", args=[pc.request.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="offer-candidate"') == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"support_persons": [pc.erik.pk, pc.maja.pk], "message": "Besök helst på dagtid."}
        )
    assert response.status_code == 302
    offers = Offer.objects.filter(request=pc.request)
    assert offers.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["erik@example.se", "maja@example.se"]
    erik_offer = offers.get(support_person=pc.erik)
    programme = pc.patient.unit.programme
    assert erik_offer.expires_at - erik_offer.offered_at == dt.timedelta(
        hours=programme.offer_expiry_hours
    )

    # The volunteer sees the offer on the phone: the ward and the wishes, never the name.
    _as(client, pc.erik_user)
    mine = client.get(reverse("assignments:my_offers")).content.decode()
    assert "Psykiatrisk avdelning 3" in mine and "Pia" not in mine and "Patientsson" not in mine
    detail = client.get(reverse("assignments:my_offer", args=[erik_offer.pk])).content.decode()
    assert "Besök helst på dagtid." in detail and "Patientsson" not in detail
    assert ReadLogEntry.objects.filter(
        user=pc.erik_user, subject=ReadLogEntry.Subject.CLIENT, subject_id=pc.patient.pk
    ).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assignments:my_offer_accept", args=[erik_offer.pk]))
    erik_offer.refresh_from_db()
    assert erik_offer.status == Offer.Status.ACCEPTED and erik_offer.answered_at is not None
    assert [m.to for m in mail.outbox] == [[admin_user.email]]  # the office is told

    # The office appoints from the acceptance, in one step; Maja's offer closes, with word.
    _as(client, admin_user)
    page = client.get(reverse("assignments:request", args=[pc.request.pk])).content.decode()
    assert 'data-testid="appoint-accepted"' in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assignments:offer_appoint", args=[pc.request.pk, erik_offer.pk]))
    assignment = Assignment.objects.get(request=pc.request)
    assert assignment.support_person == pc.erik
    assert assignment.started_on == timezone.localdate()
    maja_offer = offers.get(support_person=pc.maja)
    assert maja_offer.status == Offer.Status.CLOSED
    assert "En annan stödperson har förordnats" in maja_offer.closing_message
    assert [m.to for m in mail.outbox] == [["maja@example.se"]]
    assert "En annan stödperson har förordnats" in mail.outbox[0].body
    erik_offer.refresh_from_db()
    assert erik_offer.status == Offer.Status.ACCEPTED

    _as(client, pc.maja_user)
    maja_page = client.get(reverse("assignments:my_offer", args=[maja_offer.pk])).content.decode()
    assert "En annan stödperson har förordnats" in maja_page
    assert 'data-testid="accept"' not in maja_page
    assert maja_offer.history.count() == 2  # made, closed


def test_a_volunteer_declines_with_a_reason(client, admin_user, pc):
    offer = _offer(pc, admin_user, pc.erik)[0]
    _as(client, pc.erik_user)
    url = reverse("assignments:my_offer_decline", args=[offer.pk])
    response = client.post(url, {"reason": "  "})
    assert "Ange skälet till att du tackar nej." in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.OPEN
    client.post(url, {"reason": "Bortrest i december"})
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DECLINED and offer.decline_reason == "Bortrest i december"
    _as(client, admin_user)
    page = client.get(reverse("assignments:request", args=[pc.request.pk])).content.decode()
    assert "Avböjd: Bortrest i december" in page


def test_the_request_clock_keeps_running_while_offers_are_out(admin_user, pc):
    before = pc.request.clock(timezone.localdate() + dt.timedelta(days=10))
    offer = _offer(pc, admin_user)[0]
    offer_services.offer_accept(offer=offer, by=pc.erik_user)
    pc.request.refresh_from_db()
    after = pc.request.clock(timezone.localdate() + dt.timedelta(days=10))
    assert after == before
    assert after.is_late


# --- Bad input ----------------------------------------------------------------------------------


def test_an_offer_to_an_inactive_volunteer_is_refused_and_nothing_is_saved(client, admin_user, pc):
    SupportPerson.objects.filter(pk=pc.maja.pk).update(status=SupportPerson.Status.INACTIVE)
    _as(client, admin_user)
    response = client.post(
        reverse("assignments:request_offer", args=[pc.request.pk]),
        {"support_persons": [pc.erik.pk, pc.maja.pk]},
    )
    assert response.status_code == 200
    assert "Maja Volontär är inte aktiv i poolen." in response.content.decode()
    assert not Offer.objects.exists()
    assert not mail.outbox


def test_a_candidate_with_blockers_is_shown_with_the_reason_and_cannot_be_chosen(
    client, admin_user, pc
):
    SupportPerson.objects.filter(pk=pc.maja.pk).update(
        recruited_on=timezone.localdate() + dt.timedelta(days=3)
    )
    _as(client, admin_user)
    page = client.get(reverse("assignments:request_offer", args=[pc.request.pk])).content.decode()
    assert "Kan inte tillfrågas: Maja Volontär är inte aktiv i poolen." in page
    assert page.count(" disabled>") == 1


def test_no_one_chosen_is_a_swedish_error(client, admin_user, pc):
    _as(client, admin_user)
    response = client.post(reverse("assignments:request_offer", args=[pc.request.pk]), {})
    assert "Välj minst en stödperson." in response.content.decode()
    assert not Offer.objects.exists()


def test_the_same_volunteer_is_not_offered_twice(admin_user, pc):
    _offer(pc, admin_user, pc.erik)
    with pytest.raises(ServiceError, match="har redan en förfrågan"):
        _offer(pc, admin_user, pc.erik, pc.maja)
    assert Offer.objects.count() == 1


def test_offers_are_only_for_the_patient_committee(admin_user, world):
    request = factories.RequestFactory(client=world.client_a2)
    with pytest.raises(ServiceError, match="patientnämndens"):
        offer_services.offers_make(
            request=request, support_persons=[world.sp_without_client], by=admin_user
        )


def test_a_closed_offer_cannot_be_accepted(admin_user, pc):
    offer = _offer(pc, admin_user, pc.erik)[0]
    offer_services.offer_withdraw(offer=offer, by=admin_user)
    with pytest.raises(ServiceError, match="Kansliet har återkallat förfrågan"):
        offer_services.offer_accept(offer=offer, by=pc.erik_user)


def test_an_offer_of_a_withdrawn_request_closes_and_cannot_be_accepted(
    client, admin_user, pc, django_capture_on_commit_callbacks
):
    offer = _offer(pc, admin_user, pc.erik)[0]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_withdraw(
            request=pc.request,
            withdrawn_at=timezone.now(),
            withdrawal_reason="Patienten vill inte",
            by=admin_user,
        )
    offer.refresh_from_db()
    assert offer.status == Offer.Status.CLOSED
    assert len(mail.outbox) == 1
    _as(client, pc.erik_user)
    response = client.post(reverse("assignments:my_offer_accept", args=[offer.pk]), follow=True)
    assert "Begäran behöver inte längre någon stödperson." in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.CLOSED


def test_a_second_acceptance_is_told_that_the_first_won(admin_user, pc):
    erik_offer, maja_offer = _offer(pc, admin_user)
    offer_services.offer_accept(offer=erik_offer, by=pc.erik_user)
    with pytest.raises(ServiceError, match="En annan stödperson accepterade uppdraget före dig"):
        offer_services.offer_accept(offer=maja_offer, by=pc.maja_user)
    maja_offer.refresh_from_db()
    assert maja_offer.status == Offer.Status.OPEN
    # Erik changes his mind before the appointment: now Maja may accept.
    offer_services.offer_decline(offer=erik_offer, reason="Blev sjuk", by=pc.erik_user)
    offer_services.offer_accept(offer=maja_offer, by=pc.maja_user)
    assert Offer.objects.get(pk=maja_offer.pk).status == Offer.Status.ACCEPTED


def test_an_inactive_volunteer_cannot_accept(admin_user, pc):
    offer = _offer(pc, admin_user, pc.erik)[0]
    SupportPerson.objects.filter(pk=pc.erik.pk).update(status=SupportPerson.Status.INACTIVE)
    with pytest.raises(ServiceError, match="inte aktiv i poolen"):
        offer_services.offer_accept(offer=offer, by=pc.erik_user)


def test_appointing_from_an_offer_that_is_not_accepted_is_refused(client, admin_user, pc):
    offer = _offer(pc, admin_user, pc.erik)[0]
    _as(client, admin_user)
    response = client.post(
        reverse("assignments:offer_appoint", args=[pc.request.pk, offer.pk]), follow=True
    )
    assert "Bara en accepterad förfrågan leder till förordnande." in response.content.decode()
    assert not Assignment.objects.filter(request=pc.request).exists()


def test_a_late_appointment_from_an_offer_needs_the_reason(client, admin_user, pc):
    pc.request.received_at = timezone.now() - dt.timedelta(days=20)
    pc.request.save()
    offer = _offer(pc, admin_user, pc.erik)[0]
    offer_services.offer_accept(offer=offer, by=pc.erik_user)
    _as(client, admin_user)
    url = reverse("assignments:offer_appoint", args=[pc.request.pk, offer.pk])
    response = client.post(url, follow=True)
    assert "ange anledningen" in response.content.decode()
    assert not Assignment.objects.filter(request=pc.request).exists()
    client.post(url, {"late_reason": "Patienten var inte kontaktbar"})
    assert Assignment.objects.filter(request=pc.request, support_person=pc.erik).exists()


# --- Expiry -------------------------------------------------------------------------------------


def test_an_offer_expires_exactly_at_expires_at(admin_user, pc):
    offer = _offer(pc, admin_user, pc.erik)[0]
    moment = offer.expires_at
    assert offer.state(moment - dt.timedelta(microseconds=1)) == Offer.Status.OPEN
    assert offer.state(moment) == Offer.Status.EXPIRED
    with pytest.raises(ServiceError, match="Förfrågan gick ut"):
        offer_services.offer_accept(offer=offer, by=pc.erik_user, now=moment)
    with pytest.raises(ServiceError, match="Förfrågan gick ut"):
        offer_services.offer_decline(offer=offer, reason="För sent", by=pc.erik_user, now=moment)
    assert offer_services.offers_expire(now=moment - dt.timedelta(microseconds=1)) == 0
    assert offer_services.offers_expire(now=moment) == 1
    offer.refresh_from_db()
    assert offer.status == Offer.Status.EXPIRED and offer.closed_at == moment
    assert offer.history.first().status == Offer.Status.EXPIRED
    assert offer_services.offers_expire(now=moment) == 0


def test_an_expired_offer_is_shown_as_expired_before_the_job_has_run(client, admin_user, pc):
    past = timezone.now() - dt.timedelta(days=3)
    offer = _offer(pc, admin_user, pc.erik, now=past)[0]
    assert offer.status == Offer.Status.OPEN
    _as(client, pc.erik_user)
    page = client.get(reverse("assignments:my_offers")).content.decode()
    assert 'data-testid="waiting-offer"' not in page
    assert "Utgången" in page
    response = client.post(reverse("assignments:my_offer_accept", args=[offer.pk]), follow=True)
    assert "Förfrågan gick ut" in response.content.decode()


# --- Mail and SMS: no patient data --------------------------------------------------------------


def test_the_mail_and_the_sms_carry_no_patient_data(admin_user, pc):
    pc.request.wished_language = factories.LanguageFactory(name="Arabiska")
    pc.request.save()
    offer = _offer(pc, admin_user, pc.erik)[0]
    subject, body = offer_mail(offer)
    sms = offer_sms_text(offer)
    assert "Patientnämndens kansli frågar om du kan ta ett uppdrag som stödperson." in body
    assert reverse("assignments:my_offer", args=[offer.pk]) in body
    assert len(sms) <= 160 and reverse("assignments:my_offer", args=[offer.pk]) in sms
    for text in (subject, body, sms):
        for word in [*PATIENT_WORDS, "Arabiska", pc.patient.first_name, pc.patient.last_name]:
            assert word not in text, (word, text)


# --- Access -------------------------------------------------------------------------------------


def test_another_volunteers_offer_is_404(client, admin_user, pc):
    offer = _offer(pc, admin_user, pc.erik)[0]
    _as(client, pc.maja_user)
    assert client.get(reverse("assignments:my_offer", args=[offer.pk])).status_code == 404
    for name in ("my_offer_accept", "my_offer_decline"):
        assert (
            client.post(
                reverse(f"assignments:{name}", args=[offer.pk]), {"reason": "x"}
            ).status_code
            == 404
        )
    offer.refresh_from_db()
    assert offer.status == Offer.Status.OPEN
    mine = client.get(reverse("assignments:my_offers")).content.decode()
    assert 'data-testid="waiting-offer"' not in mine


def test_the_office_cannot_answer_for_a_volunteer(client, admin_user, pc):
    offer = _offer(pc, admin_user, pc.erik)[0]
    _as(client, admin_user)
    assert client.post(reverse("assignments:my_offer_accept", args=[offer.pk])).status_code == 403


# --- Queries ------------------------------------------------------------------------------------


def _more_volunteers(pc: Committee, n: int) -> list[SupportPerson]:
    programme = pc.patient.unit.programme
    return [
        volunteers.ready(
            factories.SupportPersonFactory(programme=programme, locality=pc.patient.unit.locality)
        )
        for _ in range(n)
    ]


def _count_queries(django_assert_max_num_queries, fetch) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = fetch()
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_candidate_list_takes_the_same_queries_whatever_the_pool(
    client, admin_user, pc, django_assert_max_num_queries
):
    _as(client, admin_user)
    url = reverse("assignments:request_offer", args=[pc.request.pk])
    client.get(url)
    small = _count_queries(django_assert_max_num_queries, lambda: client.get(url))
    people = _more_volunteers(pc, 5)
    _offer(pc, admin_user, people[0], people[1])
    big = _count_queries(django_assert_max_num_queries, lambda: client.get(url))
    assert big == small


def test_the_candidate_list_query_count_is_pinned(
    client, admin_user, pc, django_assert_num_queries
):
    _as(client, admin_user)
    _more_volunteers(pc, 4)
    url = reverse("assignments:request_offer", args=[pc.request.pk])
    client.get(url)
    # Session, user, role, the request, rank_candidates (2), the live offers, what may
    # block an offer (supportpersons.eligibility.offer_blockers_of); the header (units,
    # support person, flags); the read log.
    with django_assert_num_queries(12):
        client.get(url)


def test_the_volunteers_offer_list_takes_one_query_for_the_offers(
    client, admin_user, pc, django_assert_num_queries
):
    _as(client, pc.erik_user)
    url = reverse("assignments:my_offers")
    _offer(pc, admin_user, pc.erik)
    client.get(url)
    # Session, user, role (support person), the offers; the header (role, units, flags);
    # the read log.
    with django_assert_num_queries(8):
        client.get(url)
    for _ in range(3):
        other = factories.RequestFactory(client=factories.ClientFactory(unit=pc.patient.unit))
        offer_services.offers_make(request=other, support_persons=[pc.erik], by=admin_user)
    with django_assert_num_queries(8):
        assert client.get(url).content.decode().count('data-testid="waiting-offer"') == 4


def test_a_protected_patients_ward_is_not_shown_before_the_appointment(client, admin_user, pc):
    from clients.models import Client, ProtectedIdentity

    Client.objects.filter(pk=pc.patient.pk).update(
        protected_identity=ProtectedIdentity.PROTECTED_REGISTRATION
    )
    offer = _offer(pc, admin_user, pc.erik)[0]
    _as(client, pc.erik_user)
    page = client.get(reverse("assignments:my_offer", args=[offer.pk])).content.decode()
    assert "Psykiatrisk avdelning 3" not in page and "Umeå" in page


def test_the_periodic_task_marks_the_expired_offers(admin_user, pc):
    from assignments.tasks import expire_offers

    past = timezone.now() - dt.timedelta(days=2)
    _offer(pc, admin_user, pc.erik, now=past)
    _offer(pc, admin_user, pc.maja)
    assert expire_offers.delay().get() == 1
    assert Offer.objects.get(support_person=pc.erik).status == Offer.Status.EXPIRED
    assert Offer.objects.get(support_person=pc.maja).status == Offer.Status.OPEN


def test_appointing_someone_else_on_the_appoint_page_closes_the_acceptance_too(
    admin_user, pc, django_capture_on_commit_callbacks
):
    erik_offer, maja_offer = _offer(pc, admin_user)
    offer_services.offer_accept(offer=erik_offer, by=pc.erik_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_appoint(
            request=pc.request,
            support_person=pc.maja,
            started_on=timezone.localdate(),
            by=admin_user,
        )
    erik_offer.refresh_from_db()
    maja_offer.refresh_from_db()
    assert erik_offer.status == Offer.Status.CLOSED
    assert "En annan stödperson har förordnats" in erik_offer.closing_message
    assert maja_offer.status == Offer.Status.CLOSED and maja_offer.closing_message == ""
    assert [m.to for m in mail.outbox] == [["erik@example.se"]]
