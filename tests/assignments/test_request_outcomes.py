"""A request's outcomes beside "appointed" (domain.md, "The end"): withdrawn by the patient,
declined after an offer, care ended before appointment, each with a required reason; shown
on the request, in the list and its filters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments import services
from assignments.models import SupportRequest
from stodperson.errors import ServiceError
from tests import factories

pytestmark = pytest.mark.django_db

Kind = SupportRequest.WithdrawalKind


def url(name, *args):
    return reverse(f"assignments:{name}", args=args)


@pytest.fixture
def unit(db):
    return factories.UnitFactory(programme=factories.patient_committee_programme())


def new_request(unit) -> SupportRequest:
    return factories.RequestFactory(
        client=factories.ClientFactory(unit=unit),
        received_at=timezone.now() - dt.timedelta(days=1),
    )


def posted(kind: str | None, reason: str = "Patienten tackar nej") -> dict[str, str]:
    data = {
        "withdrawn_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "withdrawal_reason": reason,
        "confirm": "1",
    }
    if kind is not None:
        data["withdrawal_kind"] = kind
    return data


SWEDISH = {
    Kind.WITHDRAWN_BY_PATIENT: "Återkallad av patienten",
    Kind.DECLINED_AFTER_OFFER: "Avböjd efter erbjudande",
    Kind.CARE_ENDED: "Vården upphörde före förordnande",
}


@pytest.mark.parametrize("kind", list(SWEDISH))
def test_each_outcome_is_recorded_with_its_reason_and_history(as_admin, unit, kind):
    req = new_request(unit)
    response = as_admin.post(url("request_withdraw", req.pk), posted(kind))
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.withdrawal_kind == kind and req.withdrawal_reason == "Patienten tackar nej"
    assert req.history.first().withdrawal_kind == kind
    page = as_admin.get(url("request", req.pk)).content.decode()
    assert f"Utfall: {SWEDISH[kind]}" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (posted(None), "withdrawal_kind", "Välj hur begäran avslutades"),
        (posted(Kind.CARE_ENDED, reason=" "), "withdrawal_reason", "Ange skälet"),
        (posted("made_up"), "withdrawal_kind", "Välj ett giltigt alternativ"),
    ],
)
def test_an_outcome_needs_its_kind_and_reason_and_saves_nothing_without(
    as_admin, unit, data, field, message
):
    req = new_request(unit)
    response = as_admin.post(url("request_withdraw", req.pk), data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    req.refresh_from_db()
    assert req.withdrawn_at is None and req.withdrawal_kind == "" and req.withdrawal_reason == ""


def test_the_service_refuses_an_unknown_outcome(unit, admin_user):
    req = new_request(unit)
    with pytest.raises(ServiceError):
        services.request_withdraw(
            request=req,
            withdrawn_at=timezone.now(),
            withdrawal_reason="x",
            withdrawal_kind="nonsense",
            by=admin_user,
        )
    req.refresh_from_db()
    assert req.withdrawn_at is None


def test_the_list_filters_by_outcome(as_admin, unit, admin_user):
    made = {}
    for kind in Kind.values:
        req = new_request(unit)
        services.request_withdraw(
            request=req,
            withdrawn_at=timezone.now(),
            withdrawal_reason="Skäl",
            withdrawal_kind=kind,
            by=admin_user,
        )
        made[kind] = req
    # A request withdrawn before outcomes were recorded reads as "another reason".
    legacy = factories.RequestFactory(
        client=factories.ClientFactory(unit=unit), withdrawn_at=timezone.now()
    )
    for kind, req in made.items():
        response = as_admin.get(url("requests"), {"outcome": kind})
        rows = [row.request for row in response.context["page"]]
        expected = [req, legacy] if kind == Kind.OTHER else [req]
        assert set(rows) == set(expected), kind
    everything = as_admin.get(url("requests"), {"outcome": "withdrawn"})
    assert len(everything.context["page"]) == len(Kind.values) + 1
    page = everything.content.decode()
    for kind in Kind.values:
        assert f'data-outcome="{kind}"' in page
    assert "Återkallad av patienten" in page
