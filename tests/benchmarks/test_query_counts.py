"""Pinned query counts for the main pages that had none (issue #8): the count must not grow
with the rows. The others are pinned beside their behaviour: the client list, dashboard and
checklist in tests/assignments/test_views.py, the flags page in test_flag_views.py, the
request queue in test_requests.py, the pool list in tests/supportpersons/test_pool.py and
the report page in tests/reports/test_views.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment, SatisfactionFollowUp
from duties.models import DutyTemplate
from flags.models import Flag
from tests import factories


def _client_with_history(world, rows: int) -> None:
    client, current = world.client_a, world.assignment_a
    today = timezone.localdate()
    templates = list(DutyTemplate.objects.filter(programme=world.unit_a.programme))
    # Earlier assignments, one after the other, before the current one began.
    Assignment.objects.filter(pk=current.pk).update(started_on=today - dt.timedelta(days=rows))
    start = client.started_on
    for i in range(rows):
        factories.AssignmentFactory(
            client=client,
            started_on=start + dt.timedelta(days=i),
            ended_on=start + dt.timedelta(days=i + 1),
            end_reason=Assignment.EndReason.CHANGE,
        )
        factories.ContactFactory(client=client)
        factories.ConsentFactory(client=client)
        factories.RiskMeasureFactory(client=client)
        factories.DeviationFactory(client=client)
        factories.FlagFactory(client=client, kind=Flag.Kind.CONSENT_REVIEW, target_id=10_000 + i)
        factories.DutyCheckFactory(
            assignment=current,
            template=templates[i % len(templates)],
            done_on=today - dt.timedelta(days=i),
        )
        SatisfactionFollowUp.objects.create(
            assignment=current, on=today, outcome=SatisfactionFollowUp.Outcome.SATISFIED
        )
        client.save()  # one more row of change history


@pytest.mark.parametrize("rows", [5, 50])
def test_the_client_page_runs_a_fixed_number_of_queries(
    as_manager_a, world, rows, django_assert_num_queries
):
    _client_with_history(world, rows)
    address = reverse("overview:client", args=[world.client_a.pk])
    as_manager_a.get(address)  # the session and the caches warm
    # The session (read; written at most once a minute), the user, the three role checks, the
    # client, the read log, its assignments, the manager check, the checklist (3), the nav
    # badge, open flags, follow-ups, contacts, consents, risk measures, deviations, whether
    # the user may act on the records, and the change history.
    with django_assert_num_queries(CLIENT_PAGE_QUERIES):
        response = as_manager_a.get(address)
    assert response.status_code == 200
    assert len(response.context["assignments"]) == rows + 1


CLIENT_PAGE_QUERIES = 21
