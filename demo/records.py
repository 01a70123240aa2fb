"""A personal-assistance client's records: contacts, consents, risk assessments and
measures, deviations."""

from __future__ import annotations

from datetime import date, timedelta

from clients.models import Client, Consent, Contact, Deviation, RiskMeasure

from .build import Build, Plan
from .names import LAST_NAMES, MEN, WOMEN
from .people import email
from .texts import DEVIATION_MEASURES, DEVIATIONS, RISKS


class Records(Build):
    def draw_parties(self, plan: Plan) -> None:
        """Who else is there for a personal-assistance client: a good man, relatives, a case
        officer (their contacts, consents and whom a change of support person informs)."""
        rng = self.rng
        plan.has_good_man = rng.random() < 0.43
        plan.has_relatives = rng.random() < 0.7
        plan.has_case_officer = rng.random() < 0.8
        plan.parties_drawn = True

    def pick_one(self, plans: list[Plan]) -> Plan | None:
        return self.rng.choice(plans) if plans else None

    def contact(self, client: Client, role: str, name: str, *, with_email: bool = False) -> Contact:
        return Contact(
            pk=self.pk(Contact),
            client=client,
            role=role,
            name=name,
            phone=self.phone(),
            email=email(name) if with_email else "",
        )

    def contact_name(self, last: str | None = None) -> str:
        first = self.rng.choice(WOMEN + MEN)
        return f"{first} {last or self.rng.choice(LAST_NAMES)}"

    def create_client_records(self) -> None:
        """Contacts, consents, risk measures and deviations for personal-assistance clients."""
        rng, today = self.rng, self.today
        contacts: list[Contact] = []
        consents: list[Consent] = []
        measures: list[tuple[RiskMeasure, Consent | None]] = []
        deviations: list[Deviation] = []
        pa_plans = [p for p in self.plans if p.personal_assistance]
        for plan in pa_plans:
            if not plan.parties_drawn:
                self.draw_parties(plan)
        withdrawn_for = self.pick_one(
            [p for p in pa_plans if p.has_relatives and not p.client.ended_on]
        )
        # For each unit manager, a consent past review and a measure without a consent to
        # act on (issue 15, item 2), whatever was drawn.
        past_review_for, without_consent_for = self.cases_to_act_on(pa_plans)
        for plan in pa_plans:
            client = plan.client
            relatives: list[Contact] = []
            if plan.has_good_man:
                role = Contact.Role.GOOD_MAN if rng.random() < 0.8 else Contact.Role.ADMINISTRATOR
                contacts.append(self.contact(client, role, self.contact_name(), with_email=True))
            if plan.has_relatives:
                for _ in range(rng.randint(1, 2)):
                    last = client.last_name if rng.random() < 0.6 else None
                    name = self.contact_name(last)
                    relatives.append(self.contact(client, Contact.Role.RELATIVE, name))
                contacts.extend(relatives)
            if plan.has_case_officer:
                for role in (Contact.Role.CASE_OFFICER, Contact.Role.CASE_OFFICER_FK):
                    if rng.random() < 0.65:
                        name = self.contact_name()
                        contacts.append(self.contact(client, role, name, with_email=True))
            end = client.ended_on or today
            purposes = ["Samverkan med hälso- och sjukvården"]
            if plan.has_good_man:
                purposes.append("Informationsutbyte med god man eller förvaltare")
            if plan.has_relatives:
                purposes.append("Kontakt med närstående")
            for purpose in purposes:
                if id(plan) in past_review_for and purpose == purposes[0]:
                    given = today - timedelta(days=400)
                elif client.ended_on is None and rng.random() < 0.13:
                    given = today - timedelta(days=rng.randint(370, 480))  # past its review
                else:
                    given = today - timedelta(days=rng.randint(20, 330))
                given = min(max(given, client.started_on), end)
                consent = Consent(
                    pk=self.pk(Consent),
                    client=client,
                    purpose=purpose,
                    given_on=given,
                    review_on=given + timedelta(days=365),
                    given_by=rng.choice(Consent.GivenBy.values),
                    given_as=rng.choice(Consent.Form.values),
                )
                if purpose == "Kontakt med närstående":
                    # The relatives are contacted on it; withdrawn for one client, whose
                    # relatives' contacts still rest on it (a flag to act on).
                    for relative in relatives:
                        relative.consent = consent
                    if plan is withdrawn_for:
                        consent.withdrawn_on = max(today - timedelta(days=20), given)
                        consent.withdrawal_note = "Brukaren har återkallat samtycket."
                consents.append(consent)
            if client.ended_on is None and rng.random() < 0.55:
                for kind, description in rng.sample(RISKS, rng.randint(1, 2)):
                    measures.append(self.risk_measure(client, kind, description))
            if id(plan) in without_consent_for:
                # Decided without the client's consent: no legal basis (SOU 2006:110).
                measure, _consent = self.risk_measure(
                    client, RiskMeasure.Kind.RESTRICTIVE, "Sänggrind nattetid"
                )
                measure.ended_on = None
                measures.append((measure, None))
            if rng.random() < 0.45:
                for _ in range(rng.randint(1, 2)):
                    deviations.append(self.deviation(plan))
        # Recent ones, so the lists of open deviations have something to follow up; the one
        # open for 48 days is past the programme's 30 days.
        active = [p for p in pa_plans if p.client.ended_on is None]
        for plan, days_ago, status in zip(
            rng.sample(active, min(4, len(active))),
            (3, 9, 26, 48),
            (Deviation.Status.OPEN, Deviation.Status.HANDLING, Deviation.Status.HANDLING, "open"),
            strict=False,
        ):
            on = max(today - timedelta(days=days_ago), plan.client.started_on)
            deviations.append(self.deviation(plan, occurred_on=on, status=status))
        # Two reported under lex Sarah, whatever was drawn.
        lex_sarah = Deviation.Category.LEX_SARAH
        for i, deviation in enumerate(deviations[:2]):
            deviation.category = lex_sarah
            deviation.description = DEVIATIONS[lex_sarah][i]
            self.deviation_steps(deviation, manager_id=deviation.reported_by_id)
        # A serious lex Sarah case decided 18 days ago and not yet reported to IVO (past the
        # programme's 14 days), so the IVO flag has something to show.
        if len(deviations) > 2 and active:
            serious = deviations[-2]
            serious.category = lex_sarah
            serious.description = DEVIATIONS[lex_sarah][0]
            serious.status = Deviation.Status.MEASURES_DECIDED
            self.deviation_steps(serious, manager_id=serious.reported_by_id)
            decided = max(today - timedelta(days=18), serious.investigated_on or today)
            serious.measures_decided_on = min(decided, today)
            serious.is_serious = True
            serious.ivo_reported_on = serious.ivo_reported_by_id = None
        linked = [c for _, c in measures if c is not None]
        self.counts["consents"] = self.store(Consent, consents + linked)
        self.counts["contacts"] = self.store(Contact, contacts)
        for measure, its_consent in measures:
            measure.consent = its_consent
        self.counts["risk measures"] = self.store(RiskMeasure, [m for m, _ in measures])
        self.counts["deviations"] = self.store(Deviation, deviations)

    def cases_to_act_on(self, pa_plans: list[Plan]) -> tuple[set[int], set[int]]:
        """Per unit manager, one active client of over 400 days with a consent past review
        and another client with a measure without a consent (the plans' ids)."""
        settled = self.today - timedelta(days=400)
        by_manager: dict[int, list[Plan]] = {}
        for plan in pa_plans:
            if plan.client.ended_on is None and plan.client.started_on <= settled:
                by_manager.setdefault(plan.manager_id, []).append(plan)
        past_review: set[int] = set()
        without_consent: set[int] = set()
        for plans in by_manager.values():
            chosen = self.rng.sample(plans, min(2, len(plans)))
            past_review.add(id(chosen[0]))
            without_consent.add(id(chosen[-1]))
        return past_review, without_consent

    def risk_measure(
        self, client: Client, kind: str, description: str
    ) -> tuple[RiskMeasure, Consent | None]:
        rng, today = self.rng, self.today
        decided = self.day_between(
            max(client.started_on, today - timedelta(days=700)), today - timedelta(days=30)
        )
        measure = RiskMeasure(
            pk=self.pk(RiskMeasure),
            client=client,
            kind=kind,
            description=description,
            decided_on=decided,
        )
        if rng.random() < 0.15 and decided < today - timedelta(days=60):
            measure.ended_on = self.day_between(
                decided + timedelta(days=30), today - timedelta(days=5)
            )
        elif rng.random() < 0.22:
            measure.follow_up_on = today - timedelta(days=rng.randint(5, 90))  # overdue
        else:
            measure.follow_up_on = today + timedelta(days=rng.randint(10, 170))
        if measure.follow_up_on is not None:
            measure.follow_up_on = max(measure.follow_up_on, decided + timedelta(days=30))
            previous = measure.follow_up_on - timedelta(days=182)
            if previous > decided:
                measure.followed_up_on = previous
        consent = None
        if kind != RiskMeasure.Kind.RISK_ASSESSMENT:
            consent = Consent(
                pk=self.pk(Consent),
                client=client,
                purpose=f"Skydds- eller begränsningsåtgärd: {description.lower()}",
                given_on=decided,
                review_on=decided + timedelta(days=365),
            )
        return measure, consent

    def deviation(
        self, plan: Plan, *, occurred_on: date | None = None, status: str = ""
    ) -> Deviation:
        rng, today = self.rng, self.today
        client = plan.client
        occurred = occurred_on or self.day_between(
            max(client.started_on, self.window_start), client.ended_on or today
        )
        category = rng.choices(
            (Deviation.Category.ORDINARY, Deviation.Category.HSL, Deviation.Category.LEX_SARAH),
            weights=(60, 28, 12),
        )[0]
        age = (today - occurred).days
        if status:
            pass
        elif age < 14:
            status = rng.choice((Deviation.Status.OPEN, Deviation.Status.HANDLING))
        elif age < 60:
            status = rng.choices(
                (
                    Deviation.Status.CLOSED,
                    Deviation.Status.MEASURES_DECIDED,
                    Deviation.Status.HANDLING,
                    Deviation.Status.OPEN,
                ),
                weights=(5, 1, 2, 2),
            )[0]
        else:
            status = Deviation.Status.CLOSED if rng.random() < 0.92 else Deviation.Status.HANDLING
        deviation = Deviation(
            pk=self.pk(Deviation),
            client=client,
            occurred_on=occurred,
            description=rng.choice(DEVIATIONS[category]),
            category=category,
            status=status,
            reported_by_id=plan.manager_id,
            created_at=self.at(occurred, 16),
        )
        self.deviation_steps(deviation, manager_id=plan.manager_id)
        return deviation

    def deviation_steps(self, deviation: Deviation, *, manager_id: int | None) -> None:
        """The steps of the handling its status has reached, each with who and when, in
        order and none in the future (clients/deviation_services.py)."""
        rng, today = self.rng, self.today
        status = deviation.status

        def after(day: date, most: int) -> date:
            return min(day + timedelta(days=rng.randint(0, most)), today)

        deviation.reported_on = after(deviation.occurred_on, 2)
        deviation.created_at = self.at(deviation.reported_on, 16)
        deviation.investigated_on = deviation.measures_decided_on = deviation.closed_on = None
        deviation.ivo_reported_on = None
        deviation.findings, deviation.measures, deviation.is_serious = "", "", None
        if status == Deviation.Status.OPEN:
            return
        deviation.investigated_on = after(deviation.reported_on, 6)
        deviation.investigated_by_id = manager_id
        if status == Deviation.Status.HANDLING:
            return
        deviation.measures = rng.choice(DEVIATION_MEASURES)
        deviation.measures_decided_on = after(deviation.investigated_on, 20)
        deviation.measures_decided_by_id = manager_id
        last = deviation.measures_decided_on
        if deviation.category == Deviation.Category.LEX_SARAH:
            deviation.findings = (
                "Rutinen följdes inte; personalen hade inte fått introduktion i den."
            )
            deviation.is_serious = rng.random() < 0.3
            if deviation.is_serious:
                deviation.ivo_reported_on = after(last, 7)
                deviation.ivo_reported_by_id = manager_id
                last = deviation.ivo_reported_on
        if status == Deviation.Status.CLOSED:
            deviation.closed_on = after(last, 25)
            deviation.closed_by_id = manager_id
