import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from assignments.models import Assignment
from flags.models import Flag
from tests import factories


@pytest.mark.django_db
def test_a_client_cannot_have_two_active_assignments(world):
    other = factories.SupportPersonFactory(unit=world.unit_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            client=world.client_a, support_person=other, started_on=dt.date(2026, 1, 1)
        )
    assert Assignment.objects.filter(client=world.client_a, ended_on__isnull=True).count() == 1


@pytest.mark.django_db
def test_ended_assignments_are_history_and_do_not_block_a_new_one(world):
    world.assignment_a.ended_on = dt.date(2026, 3, 1)
    world.assignment_a.end_reason = Assignment.EndReason.CHANGE
    world.assignment_a.save()
    other = factories.SupportPersonFactory(unit=world.unit_a)
    factories.AssignmentFactory(
        client=world.client_a, support_person=other, started_on=dt.date(2026, 3, 1)
    )
    # and an earlier, ended one on top of that
    factories.AssignmentFactory(
        client=world.client_a,
        support_person=other,
        started_on=dt.date(2020, 1, 1),
        ended_on=dt.date(2021, 1, 1),
        end_reason=Assignment.EndReason.OTHER,
    )
    assert world.client_a.assignments.count() == 3


@pytest.mark.django_db
def test_an_assignment_cannot_end_before_it_started_nor_end_without_a_reason(world):
    a = world.assignment_a
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.filter(pk=a.pk).update(
            ended_on=a.started_on - dt.timedelta(days=1), end_reason="other"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.filter(pk=a.pk).update(ended_on=a.started_on, end_reason="")


@pytest.mark.django_db
def test_only_one_open_flag_per_kind_and_target_but_resolved_ones_stay(world):
    flag = factories.FlagFactory(client=world.client_a2)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.FlagFactory(client=world.client_a2)
    flag.resolved_at = flag.raised_at
    flag.save()
    factories.FlagFactory(client=world.client_a2)
    assert Flag.objects.filter(client=world.client_a2).count() == 2
    assert Flag.objects.open().filter(client=world.client_a2).count() == 1


@pytest.mark.django_db
def test_the_data_migration_gives_personal_assistance_the_routines_twelve_duties():
    programme = factories.lss_programme()
    duties = list(programme.duty_templates.order_by("order"))
    assert len(duties) == 12
    assert duties[0].title.startswith("Samla in information kring brukarens situation")
    assert duties[-1].title.startswith("Fånga upp eventuella avvikelser")
    codes = {d.code: d for d in duties if d.code}
    assert codes["implementation_plan"].interval_months == 12
    assert codes["documentation"].interval_months == 1
