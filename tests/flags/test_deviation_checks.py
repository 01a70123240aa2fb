"""The checks of a deviation's handling (flags/deviation_checks.py): not investigated within
the programme's `deviation_investigation_days`, and a serious lex Sarah case not reported to
IVO within its `ivo_report_days`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clients.models import Deviation
from flags import checks
from flags.deviation_checks import check_deviation_uninvestigated, check_ivo_report_late
from flags.models import Flag
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
Kind = Flag.Kind


def _open(kind: str) -> set[int]:
    return set(Flag.objects.open().filter(kind=kind).values_list("target_id", flat=True))


def test_both_checks_run_with_the_others():
    assert checks.CHECKS[Kind.DEVIATION_UNINVESTIGATED] is check_deviation_uninvestigated
    assert checks.CHECKS[Kind.IVO_REPORT_LATE] is check_ivo_report_late


def test_a_deviation_not_investigated_within_the_programmes_days_is_flagged(world):
    limit = factories.lss_programme().deviation_investigation_days
    today = TODAY()
    in_time = factories.DeviationFactory(
        client=world.client_a, reported_on=today - timedelta(days=limit)
    )
    late = factories.DeviationFactory(
        client=world.client_a, reported_on=today - timedelta(days=limit + 1)
    )
    taken_up = factories.DeviationFactory(
        client=world.client_a,
        reported_on=today - timedelta(days=limit + 5),
        status=Deviation.Status.HANDLING,
        investigated_on=today - timedelta(days=1),
    )
    check_deviation_uninvestigated(today)
    assert _open(Kind.DEVIATION_UNINVESTIGATED) == {late.pk}
    flag = Flag.objects.get(kind=Kind.DEVIATION_UNINVESTIGATED)
    assert flag.client_id == world.client_a.pk and str(late.reported_on) in flag.detail
    # On the N-th day it is still in time; the next day it is flagged.
    check_deviation_uninvestigated(today + timedelta(days=1))
    assert _open(Kind.DEVIATION_UNINVESTIGATED) == {late.pk, in_time.pk}
    assert taken_up.pk not in _open(Kind.DEVIATION_UNINVESTIGATED)


def test_the_investigation_limit_is_the_programmes_setting(world):
    programme = world.client_a.unit.programme
    programme.deviation_investigation_days = 3
    programme.save()
    deviation = factories.DeviationFactory(
        client=world.client_a, reported_on=TODAY() - timedelta(days=4)
    )
    check_deviation_uninvestigated(TODAY())
    assert _open(Kind.DEVIATION_UNINVESTIGATED) == {deviation.pk}
    programme.deviation_investigation_days = 4
    programme.save()
    check_deviation_uninvestigated(TODAY())
    assert _open(Kind.DEVIATION_UNINVESTIGATED) == set()


def test_taking_it_under_investigation_resolves_the_flag_on_the_next_run(world):
    deviation = factories.DeviationFactory(
        client=world.client_a, reported_on=TODAY() - timedelta(days=60)
    )
    check_deviation_uninvestigated(TODAY())
    Deviation.objects.filter(pk=deviation.pk).update(
        status=Deviation.Status.HANDLING, investigated_on=TODAY()
    )
    (result,) = check_deviation_uninvestigated(TODAY())
    assert result.resolved == 1 and _open(Kind.DEVIATION_UNINVESTIGATED) == set()


def _serious(world, decided_days_ago: int, **extra) -> Deviation:
    fields = {
        "client": world.client_a,
        "category": Deviation.Category.LEX_SARAH,
        "status": Deviation.Status.MEASURES_DECIDED,
        "is_serious": True,
        "measures_decided_on": TODAY() - timedelta(days=decided_days_ago),
        "measures": "Ny rutin",
        **extra,
    }
    return factories.DeviationFactory(**fields)


def test_a_serious_lex_sarah_case_not_reported_to_ivo_in_time_is_flagged(world):
    limit = factories.lss_programme().ivo_report_days
    in_time = _serious(world, limit)
    late = _serious(world, limit + 1)
    reported = _serious(world, limit + 9, ivo_reported_on=TODAY() - timedelta(days=2))
    not_serious = _serious(world, limit + 9, is_serious=False)
    ordinary = _serious(world, limit + 9, category=Deviation.Category.ORDINARY)
    check_ivo_report_late(TODAY())
    assert _open(Kind.IVO_REPORT_LATE) == {late.pk}
    check_ivo_report_late(TODAY() + timedelta(days=1))
    assert _open(Kind.IVO_REPORT_LATE) == {late.pk, in_time.pk}
    assert not {reported.pk, not_serious.pk, ordinary.pk} & _open(Kind.IVO_REPORT_LATE)
    Deviation.objects.filter(pk=late.pk).update(ivo_reported_on=TODAY())
    check_ivo_report_late(TODAY() + timedelta(days=1))
    assert _open(Kind.IVO_REPORT_LATE) == {in_time.pk}


def test_the_ivo_limit_is_the_programmes_setting(world):
    programme = world.client_a.unit.programme
    programme.ivo_report_days = 1
    programme.save()
    deviation = _serious(world, 2)
    check_ivo_report_late(TODAY())
    assert _open(Kind.IVO_REPORT_LATE) == {deviation.pk}


def test_the_flags_stay_after_the_client_ended(world):
    deviation = factories.DeviationFactory(
        client=world.client_a2, reported_on=TODAY() - timedelta(days=90)
    )
    world.client_a2.ended_on = TODAY() - timedelta(days=1)
    world.client_a2.save()
    check_deviation_uninvestigated(TODAY())
    assert _open(Kind.DEVIATION_UNINVESTIGATED) == {deviation.pk}
    assert Kind.DEVIATION_UNINVESTIGATED in checks.STAYS_AFTER_THE_CLIENT_ENDED


@pytest.mark.parametrize("n", [5, 60])
@pytest.mark.parametrize(
    "check", [check_deviation_uninvestigated, check_ivo_report_late], ids=["uninvestigated", "ivo"]
)
def test_each_check_runs_a_fixed_number_of_queries(world, n, check, django_assert_num_queries):
    for _ in range(n):
        factories.DeviationFactory(client=world.client_a, reported_on=TODAY() - timedelta(days=90))
        _serious(world, 90)
    check(TODAY())
    Flag.objects.filter(pk__in=Flag.objects.open().values("pk")[:2]).update(
        resolved_at=timezone.now()
    )
    # The programmes, the rule, SAVEPOINT, the open flags, INSERT, RELEASE.
    with django_assert_num_queries(6):
        (result,) = check(TODAY())
    assert result.open == n and result.opened >= 1
