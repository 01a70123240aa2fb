"""Clients, and the patient committee's requests with their working-day clock: a request
answered fast, late, after a pause, withdrawn, or still waiting."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from assignments.models import RequestPause, SupportPersonChange, SupportRequest
from clients.models import Client, Gender, ProtectedIdentity, Unit
from stodperson import workdays

from .build import ONE_DAY, Build, EndReason, Plan
from .names import WISHED_LANGUAGES, fake_personnummer
from .texts import LATE_REASON_MAN_SKELLEFTEA

ChangeReason = SupportPersonChange.Reason
# Requests that wait today: within the target, late, and paused (the demo draws the dates
# a pause would have had; "paused" draws nothing).
WAITING = ("open", "open_late", "open_paused")


class Clients(Build):
    def new_client(self, unit: Unit, *, started_on: date, born: tuple[int, int]) -> Client:
        rng, profile = self.rng, self.profile
        gender = Gender.WOMAN if rng.random() < 0.5 else Gender.MAN
        client = Client(pk=self.pk(Client), unit=unit, started_on=started_on)
        language = None
        if rng.random() < 0.08:
            language = rng.choice(WISHED_LANGUAGES)
            client.wished_language_id = self.languages[language]
        if rng.random() < 0.18:
            same = rng.random() < 0.75
            other = Gender.MAN if gender == Gender.WOMAN else Gender.WOMAN
            client.wished_gender = gender if same else other
        client.first_name, client.last_name = self.name(gender, language)
        first, last = date(born[0], 1, 1), date(born[1], 12, 31)
        birthday = self.day_between(first, last) if profile.birthday_always else None
        if rng.random() < 0.95:
            birthday = birthday or self.day_between(first, last)
            client.personnummer = fake_personnummer(rng, birthday, gender)
        if profile.protected_chance and rng.random() < profile.protected_chance:
            client.protected_identity = rng.choice(
                (
                    ProtectedIdentity.CONFIDENTIALITY_MARK,
                    ProtectedIdentity.PROTECTED_REGISTRATION,
                    ProtectedIdentity.FICTITIOUS_IDENTITY,
                )
            )
        return client

    def pa_plan(
        self,
        unit: Unit,
        *,
        pool: str,
        manager_id: int,
        long_standing: bool,
        newest: int,
        ended_chance: float,
    ) -> Plan:
        """A personal-assistance client and the start of their assignments: a long-standing
        client began before the window, the others within it (at least `newest` days ago);
        some have ended since."""
        rng, today, start = self.rng, self.today, self.window_start
        if long_standing:
            started = self.day_between(date(start.year - 14, 1, 1), start)
            first = max(
                started + timedelta(days=rng.randint(3, 20)),
                start - timedelta(days=rng.randint(0, 700)),
            )
        else:
            started = self.day_between(start, today - timedelta(days=newest))
            first = started + timedelta(days=rng.randint(0, 14))
        client = self.new_client(unit, started_on=started, born=(1948, 2008))
        plan = Plan(client, pool, True, manager_id, first_start=first)
        if rng.random() < ended_chance and first < today - timedelta(days=120):
            client.ended_on = self.day_between(
                max(first + timedelta(days=60), start), today - timedelta(days=10)
            )
            plan.chain_end = client.ended_on
        return plan

    def change_span(self, plan: Plan) -> int:
        """The days of the chain within the window, in which a change may be planned."""
        first = max(plan.first_start or self.today, self.window_start)
        return ((plan.chain_end or self.today) - first).days

    def planned_change(self, plan: Plan) -> tuple[date, str]:
        """A change of support person, a month or more into the chain (or the window) and
        at least 20 days before its end, and why."""
        first = max(plan.first_start or self.today, self.window_start)
        last = plan.chain_end or self.today
        on = self.day_between(first + timedelta(days=30), last - timedelta(days=20))
        reason = self.rng.choices(
            (ChangeReason.CLIENT_WISH, ChangeReason.SUPPORT_PERSON_WISH, ChangeReason.OTHER),
            weights=(5, 3, 2),
        )[0]
        return on, reason

    def received_at(self, day: date) -> datetime:
        rng, profile = self.rng, self.profile
        if not workdays.is_working_day(day):
            hour = rng.randint(*profile.weekend_hours)
        elif rng.random() < 0.85:
            hour = rng.randint(8, 16)
        else:
            hour = rng.randint(*profile.evening_hours)
        return self.at(day, hour, rng.randrange(60))

    def pc_plan(self, unit: Unit, locality: str, day: date, *, pool: str, kind: str = "") -> Plan:
        """A patient's request received on `day` and the course of their assignments: the
        kind of answer is drawn unless given (WAITING, or "paused")."""
        rng, today, profile = self.rng, self.today, self.profile
        basis = rng.choices(
            (Client.LegalBasis.LPT, Client.LegalBasis.LRV, Client.LegalBasis.SML),
            weights=(75, 15, 10),
        )[0]
        client = self.new_client(unit, started_on=day, born=(1942, 2007))
        client.legal_basis = basis
        plan = Plan(client, pool, False, self.admin_id)
        received = self.received_at(day)
        if kind in WAITING and profile.open_received_at is not None:
            received = self.at(day, *profile.open_received_at)
        request = SupportRequest(
            pk=self.pk(SupportRequest),
            client=client,
            received_at=received,
            source=rng.choices(
                [s for s, _ in SupportRequest.Source.choices], weights=(55, 35, 6, 4)
            )[0],
            wished_gender=client.wished_gender,
            wished_language_id=client.wished_language_id,
            registered_by_id=self.pick(self.registrar_ids),
        )
        plan.request = request
        if kind in ("open", "open_late"):
            return plan
        if kind == "paused":
            request.delay_excused = True
            request.late_reason = profile.excused_reason
            self.pause(request, workdays.add_working_days(day, 1), None)
            return plan
        if not kind:
            fresh = profile.fresh_wait_chance
            if fresh and workdays.working_days_elapsed(day, today) <= 2 and rng.random() < fresh:
                return plan  # waiting, within the target
            kind = rng.choices(
                ("fast", "normal", "late", "excused", "withdrawn"), weights=(70, 19, 5, 3, 3)
            )[0]
        if kind == "withdrawn":
            request.withdrawn_at = min(
                received + timedelta(hours=rng.randint(2, 72)), self.at(today, 8)
            )
            request.note = "Patienten tog tillbaka sin begäran."
            client.ended_on = max(timezone.localdate(request.withdrawn_at), client.started_on)
            return plan
        if kind == "fast":
            late_afternoon = timezone.localtime(received).hour >= 15
            k = 1 if late_afternoon else rng.randint(0, 1)
            appointed = workdays.add_working_days(day, k)
        elif kind == "normal":
            appointed = workdays.add_working_days(day, rng.randint(2, 3))
        elif kind == "late":
            appointed = workdays.add_working_days(day, rng.randint(4, 6))
            if locality == profile.short_of_men and client.wished_gender == Gender.MAN:
                request.late_reason = LATE_REASON_MAN_SKELLEFTEA
            else:
                request.late_reason = self.pick(profile.late_reasons)
        else:  # excused, or open with a pause that has not ended
            paused = workdays.add_working_days(day, 1)
            resumed_on = workdays.add_working_days(paused, rng.randint(3, 7))
            appointed = workdays.add_working_days(resumed_on, rng.randint(0, 1))
            resumed: date | None = resumed_on
            if kind == "open_paused" or appointed > today:
                resumed, appointed = None, today + ONE_DAY
            request.late_reason = profile.excused_reason
            request.delay_excused = True
            if paused <= today:
                self.pause(request, paused, resumed)
        if appointed > today:
            return plan  # still waiting
        plan.first_start = appointed
        self.plan_care(plan, basis, appointed)
        return plan

    def pause(self, request: SupportRequest, started_on: date, ended_on: date | None) -> None:
        self.pauses.append(
            RequestPause(
                pk=self.pk(RequestPause),
                request=request,
                started_on=started_on,
                ended_on=ended_on,
                reason=self.profile.pause_reason,
            )
        )

    def plan_care(self, plan: Plan, basis: str, appointed: date) -> None:
        """How long the care and the assignment last, from the legal basis."""
        rng, today, client = self.rng, self.today, plan.client
        if basis == Client.LegalBasis.LRV:
            days = rng.randint(120, 900)
        elif basis == Client.LegalBasis.SML:
            days = rng.randint(14, 90)
        else:
            # Most compulsory psychiatric care under LPT is short; some of it is not.
            short, medium, long = rng.randint(14, 60), rng.randint(60, 150), rng.randint(150, 400)
            days = rng.choice((short, short, medium, long))
        end = appointed + timedelta(days=days)
        chance = self.profile.care_ended_chance
        if end <= today:
            plan.chain_end = client.ended_on = end
            if rng.random() < 0.85:
                plan.end_reason = EndReason.CARE_ENDED
                care_ended = end - timedelta(days=rng.randint(0, 14))
                client.compulsory_care_ended_on = max(care_ended, client.started_on)
            else:
                plan.end_reason = EndReason.CLIENT_WISH
        elif basis == Client.LegalBasis.LPT and chance and rng.random() < chance:
            # Care ended, the assignment runs on (rule 6): some within four weeks, some not.
            client.compulsory_care_ended_on = max(
                today - timedelta(days=rng.randint(3, 70)), appointed
            )
        if rng.random() < 0.04 and (end - appointed).days > 40:
            on = appointed + timedelta(days=rng.randint(10, (end - appointed).days - 10))
            if on < today:
                plan.changes.append((on, ChangeReason.CLIENT_WISH))
