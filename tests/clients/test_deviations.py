"""A deviation's handling (issue 15, item 1): reported -> under investigation -> measures
decided -> (reported to IVO) -> closed, with who and when at each step; bad input, steps out
of order and a concurrent edit refused in Swedish with nothing saved; who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import ReadLogEntry
from clients import deviation_services
from clients.models import Deviation
from flags.models import Flag
from stodperson.concurrency import version_of
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _days_ago(n: int) -> str:
    return (TODAY() - timedelta(days=n)).isoformat()


@pytest.fixture
def lex_sarah(world, sp_user):
    return factories.DeviationFactory(
        client=world.client_a,
        category=Deviation.Category.LEX_SARAH,
        occurred_on=TODAY() - timedelta(days=20),
        reported_on=TODAY() - timedelta(days=19),
        reported_by=sp_user,
        description="Fel läkemedel gavs",
    )


def _post(http, deviation, step, **data):
    fresh = Deviation.objects.get(pk=deviation.pk)
    data.setdefault("version", version_of(fresh))
    return http.post(reverse(f"clients:deviation_{step}", args=[deviation.pk]), data)


def _flag(deviation, kind):
    return factories.FlagFactory(client=deviation.client, kind=kind, target_id=deviation.pk)


def test_the_flag_kinds_a_step_resolves_are_the_flags_apps():
    assert deviation_services.UNINVESTIGATED == Flag.Kind.DEVIATION_UNINVESTIGATED
    assert deviation_services.IVO_REPORT_LATE == Flag.Kind.IVO_REPORT_LATE
    assert deviation_services.OPEN_TOO_LONG == Flag.Kind.DEVIATION_OPEN


def test_a_serious_lex_sarah_case_goes_through_every_step(as_manager_a, manager_a, lex_sarah):
    uninvestigated = _flag(lex_sarah, Flag.Kind.DEVIATION_UNINVESTIGATED)
    open_too_long = _flag(lex_sarah, Flag.Kind.DEVIATION_OPEN)

    page = as_manager_a.get(reverse("clients:deviation", args=[lex_sarah.pk])).content.decode()
    assert "Påbörja utredningen" in page and "Rapporterad" in page

    response = _post(as_manager_a, lex_sarah, "investigate", on=_days_ago(15))
    assert response.status_code == 302
    lex_sarah.refresh_from_db()
    assert lex_sarah.status == Deviation.Status.HANDLING
    assert (lex_sarah.investigated_on, lex_sarah.investigated_by) == (
        TODAY() - timedelta(days=15),
        manager_a,
    )
    # The same transaction can tell: the flag of a deviation not investigated goes at once.
    assert Flag.objects.get(pk=uninvestigated.pk).resolved_at is not None
    assert Flag.objects.get(pk=open_too_long.pk).resolved_at is None

    response = _post(
        as_manager_a,
        lex_sarah,
        "decide",
        on=_days_ago(10),
        findings="Rutinen för läkemedel följdes inte.",
        is_serious="yes",
        measures="Ny rutin och utbildning.",
    )
    assert response.status_code == 302
    lex_sarah.refresh_from_db()
    assert lex_sarah.status == Deviation.Status.MEASURES_DECIDED
    assert lex_sarah.is_serious is True and lex_sarah.measures_decided_by == manager_a
    assert lex_sarah.findings == "Rutinen för läkemedel följdes inte."
    assert lex_sarah.next_step == "ivo"

    # A serious wrong is not closed before it has been reported to IVO.
    response = _post(as_manager_a, lex_sarah, "close", on=_days_ago(1))
    assert response.status_code == 200
    assert "Steget kan inte tas nu" in response.content.decode()
    assert Deviation.objects.get(pk=lex_sarah.pk).closed_on is None

    ivo_late = _flag(lex_sarah, Flag.Kind.IVO_REPORT_LATE)
    assert _post(as_manager_a, lex_sarah, "ivo", on=_days_ago(2)).status_code == 302
    lex_sarah.refresh_from_db()
    assert lex_sarah.ivo_reported_on == TODAY() - timedelta(days=2)
    assert lex_sarah.ivo_reported_by == manager_a
    assert Flag.objects.get(pk=ivo_late.pk).resolved_at is not None

    assert _post(as_manager_a, lex_sarah, "close", on=_days_ago(1)).status_code == 302
    lex_sarah.refresh_from_db()
    assert lex_sarah.status == Deviation.Status.CLOSED
    assert (lex_sarah.closed_on, lex_sarah.closed_by) == (TODAY() - timedelta(days=1), manager_a)
    assert Flag.objects.get(pk=open_too_long.pk).resolved_at is not None
    # Every step is in the history: created, then four steps.
    assert lex_sarah.history.count() == 5
    page = as_manager_a.get(reverse("clients:deviation", args=[lex_sarah.pk])).content.decode()
    assert "Anmäld till IVO" in page and "Avslutad" in page
    assert 'data-testid="deviation-step-form"' not in page


def test_an_ordinary_deviation_is_closed_without_findings_or_ivo(as_manager_a, world):
    deviation = factories.DeviationFactory(client=world.client_a, reported_on=TODAY())
    _post(as_manager_a, deviation, "investigate", on=_days_ago(0))
    response = _post(as_manager_a, deviation, "decide", on=_days_ago(0), measures="Samtal.")
    assert response.status_code == 302
    deviation.refresh_from_db()
    assert deviation.is_serious is None and deviation.next_step == "close"
    assert _post(as_manager_a, deviation, "close", on=_days_ago(0)).status_code == 302
    assert Deviation.objects.get(pk=deviation.pk).status == Deviation.Status.CLOSED


@pytest.mark.parametrize(
    "on, message",
    [
        (lambda: (TODAY() + timedelta(days=1)).isoformat(), "kan inte vara i framtiden"),
        (lambda: _days_ago(25), "Utredningen kan inte påbörjas innan avvikelsen inträffade"),
        (lambda: "", "Detta fält måste fyllas i."),
    ],
    ids=["future", "before-the-report", "missing"],
)
def test_a_bad_date_is_refused_at_the_field_and_in_the_summary(
    as_manager_a, lex_sarah, on, message
):
    response = _post(as_manager_a, lex_sarah, "investigate", on=on())
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="error-summary"' in page
    assert page.count(message) == 2  # at the field and in the summary
    assert Deviation.objects.get(pk=lex_sarah.pk).status == Deviation.Status.OPEN
    assert lex_sarah.history.count() == 1


def test_a_lex_sarah_decision_needs_findings_and_the_answer_serious_or_not(as_manager_a, lex_sarah):
    _post(as_manager_a, lex_sarah, "investigate", on=_days_ago(15))
    response = _post(as_manager_a, lex_sarah, "decide", on=_days_ago(20), measures="")
    page = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Skriv vad utredningen kom fram till.",
        "Ange om det är ett allvarligt missförhållande.",
        "Skriv vilka åtgärder som vidtagits.",
        "Beslutet kan inte vara före utredningens början",
    ):
        assert page.count(message) == 2, message
    deviation = Deviation.objects.get(pk=lex_sarah.pk)
    assert deviation.status == Deviation.Status.HANDLING and deviation.measures == ""


def test_a_step_out_of_order_is_refused_in_swedish(as_manager_a, lex_sarah):
    response = _post(
        as_manager_a, lex_sarah, "decide", on=_days_ago(1), findings="X", is_serious="no"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Steget kan inte tas nu: avvikelsens status är ”Rapporterad”" in page
    assert "Nästa steg är: påbörja utredningen" in page
    assert Deviation.objects.get(pk=lex_sarah.pk).status == Deviation.Status.OPEN


def test_the_service_refuses_a_step_out_of_order(manager_a, lex_sarah):
    with pytest.raises(deviation_services.ServiceError):
        deviation_services.deviation_close(
            deviation=lex_sarah, on=TODAY(), version=version_of(lex_sarah), by=manager_a
        )


def test_a_concurrent_edit_is_refused_and_nothing_is_saved(as_manager_a, manager_a, lex_sarah):
    opened = version_of(lex_sarah)
    # Someone else takes it under investigation after the page was opened.
    deviation_services.deviation_investigate(
        deviation=lex_sarah, on=TODAY(), version=opened, by=manager_a
    )
    response = _post(as_manager_a, lex_sarah, "investigate", on=_days_ago(1), version=opened)
    assert response.status_code == 200
    assert "Någon annan har ändrat" in response.content.decode()
    deviation = Deviation.objects.get(pk=lex_sarah.pk)
    assert deviation.investigated_on == TODAY()
    assert deviation.history.count() == 2


def test_a_stale_decision_keeps_what_was_saved(as_manager_a, manager_a, lex_sarah):
    deviation_services.deviation_investigate(
        deviation=lex_sarah, on=TODAY(), version=version_of(lex_sarah), by=manager_a
    )
    opened = version_of(Deviation.objects.get(pk=lex_sarah.pk))
    Deviation.objects.filter(pk=lex_sarah.pk).update(updated_at=timezone.now())
    response = _post(
        as_manager_a,
        lex_sarah,
        "decide",
        on=_days_ago(0),
        findings="F",
        is_serious="no",
        measures="M",
        version=opened,
    )
    assert response.status_code == 200
    assert Deviation.objects.get(pk=lex_sarah.pk).measures == ""


# --- Who may do what ----------------------------------------------------------------


def test_the_support_person_of_the_client_reads_the_deviation_but_takes_no_step(
    as_support_person, lex_sarah
):
    page = as_support_person.get(reverse("clients:deviation", args=[lex_sarah.pk]))
    assert page.status_code == 200
    assert "Enhetschefen tar nästa steg." in page.content.decode()
    response = _post(as_support_person, lex_sarah, "investigate", on=_days_ago(1))
    assert response.status_code == 403
    assert Deviation.objects.get(pk=lex_sarah.pk).status == Deviation.Status.OPEN


def test_a_deviation_of_another_client_or_unit_is_out_of_reach(
    as_support_person, as_manager_b, world
):
    other = factories.DeviationFactory(client=world.client_a2)
    url = reverse("clients:deviation", args=[other.pk])
    assert as_support_person.get(url).status_code == 404
    of_a = factories.DeviationFactory(client=world.client_a)
    assert as_manager_b.get(reverse("clients:deviation", args=[of_a.pk])).status_code == 404
    assert _post(as_manager_b, of_a, "investigate", on=_days_ago(1)).status_code == 404
    assert as_manager_b.get(reverse("clients:deviation", args=[987654])).status_code == 404


def test_an_administrator_reads_every_deviation_and_takes_no_step(as_admin, lex_sarah):
    page = as_admin.get(reverse("clients:deviation", args=[lex_sarah.pk]))
    assert page.status_code == 200
    assert 'data-testid="deviation-step-form"' not in page.content.decode()
    assert _post(as_admin, lex_sarah, "investigate", on=_days_ago(1)).status_code == 403
    assert Deviation.objects.get(pk=lex_sarah.pk).status == Deviation.Status.OPEN


def test_the_deviation_page_writes_the_read_log(as_manager_a, manager_a, lex_sarah):
    as_manager_a.get(reverse("clients:deviation", args=[lex_sarah.pk]))
    assert ReadLogEntry.objects.filter(
        user=manager_a, subject=ReadLogEntry.Subject.CLIENT, subject_id=lex_sarah.client_id
    ).exists()


def test_the_client_page_links_each_deviation_to_its_page(as_support_person, lex_sarah):
    page = as_support_person.get(reverse("overview:client", args=[lex_sarah.client_id]))
    assert reverse("clients:deviation", args=[lex_sarah.pk]) in page.content.decode()


def test_a_new_deviation_is_reported_today_by_whoever_reported_it(as_support_person, world):
    as_support_person.post(
        reverse("clients:deviation_new", args=[world.client_a.pk]),
        {"occurred_on": _days_ago(2), "category": "lex_sarah", "description": "Fall"},
    )
    deviation = Deviation.objects.get()
    assert deviation.reported_on == TODAY() and deviation.reported_by.username == "stod_med"
    assert deviation.history.count() == 1
