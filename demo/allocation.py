"""Assignments and changes of support person: a walk through time that chooses a support
person each time one is needed, so that no one is given a client while inactive, paused or
at capacity; and the step that writes the people, clients, requests and assignments."""

from __future__ import annotations

import heapq
import itertools
from datetime import date, datetime, timedelta

from assignments.models import Assignment, RequestPause, SupportPersonChange, SupportRequest
from clients.models import Client
from supportpersons.models import StatusChange, SupportPerson

from .build import Build, EndReason, Member, Plan
from .texts import CHANGE_NOTES

ChangeReason = SupportPersonChange.Reason


class Allocation(Build):
    def allocate(self) -> None:
        queue: list[tuple[date, int, Plan, Assignment | None, str]] = []
        counter = itertools.count()
        for plan in self.plans:
            if plan.first_start is not None:
                queue.append((plan.first_start, next(counter), plan, None, ""))
        heapq.heapify(queue)
        while queue:
            start, _, plan, previous, change_reason = heapq.heappop(queue)
            if start > self.today or (plan.chain_end is not None and start >= plan.chain_end):
                continue
            member = self.choose(plan, start, previous)
            if member is None:
                continue
            end, end_reason, next_reason = assignment_end(
                plan, start, member.available_until(start), member.sp.deactivated_on
            )
            assignment = Assignment(
                pk=self.pk(Assignment),
                client=plan.client,
                support_person=member.sp,
                request=plan.request if previous is None else None,
                started_on=start,
                ended_on=end,
                end_reason=end_reason if end is not None else "",
                decided_by_id=plan.manager_id,
                decided_at=self.decided_at(plan, start, previous),
            )
            member.intervals.append((start, end))
            plan.assignments.append(assignment)
            if previous is not None and plan.personal_assistance:
                self.changes.append(self.change(plan, previous, assignment, change_reason))
            if next_reason and end is not None:
                gap = 0 if plan.personal_assistance else self.rng.choice((0, 0, 1, 2))
                following = end + timedelta(days=gap)
                heapq.heappush(queue, (following, next(counter), plan, assignment, next_reason))

    def choose(self, plan: Plan, start: date, previous: Assignment | None) -> Member | None:
        preferred = plan.preferred
        if (
            preferred is not None
            and start >= plan.preferred_from
            and preferred.available_on(start)
            and preferred.load_on(start) < preferred.sp.capacity
        ):
            return preferred
        candidates = self.candidates(plan, start, previous)
        if not candidates:
            return None
        rng, client, profile = self.rng, plan.client, self.profile

        def fit(member: Member) -> float:
            score = rng.random()
            if client.wished_gender and member.sp.gender == client.wished_gender:
                score += 3
            if client.wished_language_id and client.wished_language_id in member.languages:
                score += 4
            if profile.score_availability:
                until = member.available_until(start)
                if until is None or until > start + timedelta(days=60):
                    score += 1.5
            return score - 0.7 * member.load_on(start)

        chosen = max(candidates, key=fit)
        # Everyone was full: the unit manager asked someone to take one more.
        chosen.sp.capacity = max(chosen.sp.capacity, chosen.load_on(start) + 1)
        return chosen

    def candidates(self, plan: Plan, start: date, previous: Assignment | None) -> list[Member]:
        """Those free to take the client (those available when everyone is full): the whole
        pool, or a handful as a manager asks around, and everyone only when none fits."""
        pool = self.pools[plan.pool]
        excluded = previous.support_person if previous is not None else None

        def usable(m: Member) -> bool:
            return not m.reserved and m.sp is not excluded and m.available_on(start)

        size = self.profile.candidate_sample
        if size:
            sample = [m for m in self.rng.sample(pool, min(size, len(pool))) if usable(m)]
            free = [m for m in sample if m.load_on(start) < m.sp.capacity]
            if free:
                return free
        available = [m for m in pool if usable(m)]
        return [m for m in available if m.load_on(start) < m.sp.capacity] or available

    def decided_at(self, plan: Plan, start: date, previous: Assignment | None) -> datetime:
        moment = self.at(start, self.rng.randint(9, 15), self.rng.randrange(60))
        request = plan.request
        if previous is not None or request is None:
            return moment
        if self.profile.decision_lag_drawn:
            if moment <= request.received_at:
                hours = self.rng.randint(1, 3)
                moment = min(request.received_at + timedelta(hours=hours), self.now)
            return moment
        return max(moment, min(request.received_at + timedelta(hours=1), self.now))

    def change(
        self, plan: Plan, previous: Assignment, successor: Assignment, reason: str
    ) -> SupportPersonChange:
        """Byte av stödperson: the client is told in good time, the others where needed."""
        rng = self.rng
        on = successor.started_on
        change = SupportPersonChange(
            pk=self.pk(SupportPersonChange),
            previous=previous,
            successor=successor,
            reason=reason,
            decided_by_id=plan.manager_id,
            created_at=self.at(on, 10),
        )
        if not self.profile.informed_parties:
            informed = max(on - timedelta(days=rng.randint(2, 21)), previous.started_on)
            change.client_informed_on = informed
            change.relatives_informed_on = informed if rng.random() < 0.5 else None
            return change
        lead = (
            rng.randint(2, 10) if reason == ChangeReason.SUPPORT_PERSON_LEFT else rng.randint(7, 21)
        )
        change.client_informed_on = max(on - timedelta(days=lead), previous.started_on)

        def maybe(chance: bool) -> date | None:
            return (
                max(on - timedelta(days=rng.randint(0, 5)), previous.started_on) if chance else None
            )

        change.reason_note = CHANGE_NOTES[ChangeReason(reason)]
        change.good_man_informed_on = maybe(plan.has_good_man)
        change.relatives_informed_on = maybe(plan.has_relatives and rng.random() < 0.8)
        change.case_officer_informed_on = maybe(plan.has_case_officer and rng.random() < 0.4)
        return change

    def save_core(self) -> None:
        """The people, their statuses, the clients, requests and assignments, each with one
        "created" history row dated when the data was loaded (the dated course lives in the
        models' own date fields)."""
        sps = [m.sp for m in self.members]
        for sp in sps:
            sp.search_name = sp.derived_search_name()
        self.counts["support persons"] = self.store(SupportPerson, sps)
        through = SupportPerson.languages.through
        languages = [
            through(id=self.pk(through), supportperson_id=m.sp.pk, language_id=language)
            for m in self.members
            for language in dict.fromkeys(m.languages)
        ]
        self.store(through, languages)
        self.counts["status changes"] = self.store(
            StatusChange,
            [
                StatusChange(
                    pk=self.pk(StatusChange),
                    support_person=m.sp,
                    status=status,
                    on=on,
                    reason=reason,
                    by=self.admin,
                    created_at=self.at(on, 12),
                )
                for m in self.members
                for status, on, reason in sorted(m.changes, key=lambda change: change[1])
            ],
        )
        clients = [p.client for p in self.plans]
        for client in clients:
            client.search_name = client.derived_search_name()
            client.created_at = self.at(client.started_on, 9)
        self.counts["clients"] = self.store(Client, clients)
        requests = [p.request for p in self.plans if p.request is not None]
        self.counts["requests"] = self.store(SupportRequest, requests)
        self.store(RequestPause, self.pauses)
        assignments = [a for p in self.plans for a in p.assignments]
        self.counts["assignments"] = self.store(Assignment, assignments)
        self.store(SupportPersonChange, self.changes)
        for model, rows in (
            (SupportPerson, sps),
            (Client, clients),
            (SupportRequest, requests),
            (Assignment, assignments),
        ):
            model.history.bulk_history_create(  # type: ignore[attr-defined]
                rows,
                batch_size=2000,
                default_user=self.admin,
                default_change_reason=self.profile.history_reason,
                default_date=self.now,
            )


def assignment_end(
    plan: Plan, start: date, unavailable_from: date | None, deactivated_on: date | None
) -> tuple[date | None, str, str]:
    """Where an assignment of the chain beginning on `start` ends, why, and the reason for
    the one that follows ("" when none follows): at the chain's end, at the next planned
    change, or when the support person stops taking clients (`unavailable_from`: a pause,
    or the deactivation on `deactivated_on`), whichever comes first."""
    end, end_reason, next_reason = plan.chain_end, plan.end_reason, ""
    planned = next(((d, r) for d, r in plan.changes if d > start), None)
    if planned is not None and (end is None or planned[0] < end):
        end, next_reason = planned
        end_reason = EndReason.CHANGE if plan.personal_assistance else EndReason.CLIENT_WISH
    if unavailable_from is not None and (end is None or unavailable_from < end):
        end, next_reason = unavailable_from, ChangeReason.SUPPORT_PERSON_LEFT
        if unavailable_from == deactivated_on:
            end_reason = EndReason.SUPPORT_PERSON_INACTIVE
        elif plan.personal_assistance:
            end_reason = EndReason.CHANGE
        else:
            end_reason = EndReason.SUPPORT_PERSON_WISH
    return end, end_reason, next_reason
