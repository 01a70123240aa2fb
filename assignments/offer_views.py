"""Offers: the office offers a request's assignment to chosen candidates and appoints from
an acceptance; the volunteer sees their offers on the phone and answers. The access check
is each view's first line: the office's pages go through the request (administrators), the
volunteer's through their own offers (404 for anyone else's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from audit.log import note_reads
from audit.models import ReadLogEntry
from stodperson.access import get_for_user
from stodperson.decorators import ADMINISTRATOR, SUPPORT_PERSON, role_required
from stodperson.errors import ServiceError
from stodperson.types import AuthenticatedRequest
from supportpersons.eligibility import offer_blockers_of

from . import offer_services
from .access import get_request_for_user
from .matching import Candidate, rank_candidates
from .models import SupportRequest
from .offer_forms import DeclineForm, OfferAppointForm, OfferForm
from .offer_models import Offer
from .offer_notices import offer_sms_text

# --- The office ---------------------------------------------------------------------------


@dataclass
class OfferCandidate:
    """A ranked candidate, and whether they may be offered the assignment now."""

    candidate: Candidate
    blockers: list[str]
    offer: Offer | None  # their live offer for the request, if any

    @property
    def choosable(self) -> bool:
        return not self.blockers and self.offer is None


def offer_candidates(req: SupportRequest, *, today: Any) -> list[OfferCandidate]:
    """The ranked candidates with their blockers and live offers: three queries, whatever
    the size of the pool (rank_candidates' two, and the request's live offers)."""
    candidates = rank_candidates(
        req.client, wished_gender=req.wished_gender, wished_language=req.wished_language
    )
    live = {offer.support_person_id: offer for offer in req.offers.live()}
    blockers = offer_blockers_of([c.person for c in candidates], today=today)
    return [
        OfferCandidate(c, blockers.get(c.person.pk, []), live.get(c.person.pk)) for c in candidates
    ]


def _is_open(req: SupportRequest) -> bool:
    return req.withdrawn_at is None and getattr(req, "assignment", None) is None


def request_offers_context(request: HttpRequest, req: SupportRequest) -> dict[str, Any]:
    """The offers section of the request page (templates/assignments/requests/offers.html):
    one query for the offers, whatever their number."""
    now = timezone.now()
    offers = list(req.offers.for_request_page())
    note_reads(request, ReadLogEntry.Subject.SUPPORT_PERSON, [o.support_person for o in offers])
    accepted = next((o for o in offers if o.status == Offer.Status.ACCEPTED), None)
    is_open = _is_open(req)
    return {
        "offers": [
            {
                "offer": o,
                "state": o.state_label(now),
                "sms": offer_sms_text(o) if o.is_open(now) else "",
                "withdrawable": is_open and o.state(now) in Offer.LIVE_STATES,
            }
            for o in offers
        ],
        "accepted_offer": accepted if is_open else None,
        "offers_possible": is_open and not req.client.unit.programme.is_personal_assistance,
        "offer_appoint_form": OfferAppointForm(),
        "late_today": is_open and req.clock_if_answered_on(timezone.localdate()).is_late,
    }


@role_required(ADMINISTRATOR)
def request_offer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Offer the assignment to one or several of the ranked candidates at once."""
    req = get_request_for_user(request, pk, write=True)
    if not _is_open(req):
        messages.info(request, _("The request is no longer open."))
        return redirect("assignments:request", pk=req.pk)
    form = OfferForm(request.POST if request.method == "POST" else None, request=req)
    if form.is_valid():
        try:
            made = offer_services.offers_make(
                request=req,
                support_persons=list(form.cleaned_data["support_persons"]),
                message=form.cleaned_data["message"],
                by=request.user,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "The offer has been sent to %(count)d support person.",
                    "The offer has been sent to %(count)d support persons.",
                    len(made),
                )
                % {"count": len(made)},
            )
            return redirect("assignments:request", pk=req.pk)
    candidates = offer_candidates(req, today=timezone.localdate())
    note_reads(
        request, ReadLogEntry.Subject.SUPPORT_PERSON, [c.candidate.person for c in candidates]
    )
    chosen = {str(v) for v in form["support_persons"].value() or []}
    return render(
        request,
        "assignments/requests/offer.html",
        {
            "req": req,
            "client": req.client,
            "candidates": candidates,
            "chosen": chosen,
            "form": form,
            "expiry_hours": req.client.unit.programme.offer_expiry_hours,
        },
    )


def _office_offer(request: AuthenticatedRequest, pk: int, offer_pk: int) -> Offer:
    req = get_request_for_user(request, pk, write=True)
    return get_object_or_404(
        Offer.objects.select_related("support_person", "request"), pk=offer_pk, request=req
    )


@require_POST
@role_required(ADMINISTRATOR)
def offer_appoint(request: AuthenticatedRequest, pk: int, offer_pk: int) -> HttpResponse:
    """Förordnande in one step from the acceptance."""
    offer = _office_offer(request, pk, offer_pk)
    form = OfferAppointForm(request.POST)
    if form.is_valid():
        try:
            offer_services.offer_appoint(offer=offer, by=request.user, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The support person has been appointed."))
    return redirect("assignments:request", pk=pk)


@require_POST
@role_required(ADMINISTRATOR)
def offer_withdraw(request: AuthenticatedRequest, pk: int, offer_pk: int) -> HttpResponse:
    offer = _office_offer(request, pk, offer_pk)
    try:
        offer_services.offer_withdraw(offer=offer, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The offer has been withdrawn."))
    return redirect("assignments:request", pk=pk)


# --- The volunteer --------------------------------------------------------------------------


@dataclass
class VolunteerOffer:
    offer: Offer
    state: str
    state_label: str
    taken: bool  # another volunteer has accepted first
    appointed: bool  # the request was answered with this volunteer

    @property
    def preview(self) -> Any:
        return self.offer.preview()

    @property
    def waiting(self) -> bool:
        return self.state == Offer.Status.OPEN


def _volunteer_rows(offers: list[Offer], now: datetime) -> list[VolunteerOffer]:
    rows = []
    for offer in offers:
        answer = getattr(offer.request, "assignment", None)
        rows.append(
            VolunteerOffer(
                offer=offer,
                state=offer.state(now),
                state_label=offer.state_label(now),
                taken=bool(getattr(offer, "taken", False)),
                appointed=answer is not None
                and answer.support_person_id == offer.support_person_id,
            )
        )
    return rows


def _volunteer_offers(user: Any) -> Any:
    taken = Offer.objects.filter(
        request_id=OuterRef("request_id"), status=Offer.Status.ACCEPTED
    ).exclude(pk=OuterRef("pk"))
    return (
        Offer.objects.filter(support_person__user=user)
        .for_volunteer()
        .select_related("request__assignment")
        .annotate(taken=Exists(taken))
    )


# Answered and closed offers stay on the volunteer's page this long.
EARLIER_DAYS = 60


def volunteer_offers_context(request: HttpRequest) -> dict[str, Any]:
    """The volunteer's offers for their page and the home page's include
    (templates/assignments/includes/volunteer_offers.html): `waiting_offers` (open now) and
    `earlier_offers` (answered or closed in the last EARLIER_DAYS days). One query; the
    patients shown (their ward and wishes, never the name) go in the read log."""
    now = timezone.now()
    since = now - timedelta(days=EARLIER_DAYS)
    offers = list(_volunteer_offers(request.user).filter(offered_at__gte=since))
    note_reads(request, ReadLogEntry.Subject.CLIENT, [o.request.client for o in offers])
    rows = _volunteer_rows(offers, now)
    return {
        "waiting_offers": [row for row in rows if row.waiting],
        "earlier_offers": [row for row in rows if not row.waiting],
    }


@role_required(SUPPORT_PERSON)
def my_offers(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "assignments/offers/mine.html", volunteer_offers_context(request))


def _own_offer(request: AuthenticatedRequest, pk: int, *, write: bool = False) -> VolunteerOffer:
    """The volunteer's own offer, or 404 (another's, or none)."""
    offer = get_for_user(request.user, _volunteer_offers(request.user), pk, write=write)
    note_reads(request, ReadLogEntry.Subject.CLIENT, [offer.request.client])
    return _volunteer_rows([offer], timezone.now())[0]


def _offer_page(
    request: AuthenticatedRequest, row: VolunteerOffer, form: DeclineForm
) -> HttpResponse:
    return render(request, "assignments/offers/detail.html", {"row": row, "decline_form": form})


@role_required(SUPPORT_PERSON)
def my_offer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _offer_page(request, _own_offer(request, pk), DeclineForm())


@require_POST
@role_required(SUPPORT_PERSON)
def my_offer_accept(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    row = _own_offer(request, pk, write=True)
    try:
        offer_services.offer_accept(offer=row.offer, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Thank you! You have accepted. The office will appoint you and tell you more."),
        )
    return redirect("assignments:my_offer", pk=pk)


@require_POST
@role_required(SUPPORT_PERSON)
def my_offer_decline(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    row = _own_offer(request, pk, write=True)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            offer_services.offer_decline(
                offer=row.offer, reason=form.cleaned_data["reason"], by=request.user
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("You have declined. Thank you for answering."))
            return redirect("assignments:my_offers")
    return _offer_page(request, row, form)
