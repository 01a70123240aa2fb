"""The demo (`manage.py seed_demo`, the size "small"): both programmes, so that every screen
has something to show, with a login for each role.

Two years of dated history end today: a patient committee with its volunteer pool in Umeå
and Skellefteå (shaped after the seed report "Rapport stödpersonsverksamheten T3 2022":
about 35 active support persons in Umeå and 15 in Skellefteå, too few men in Skellefteå,
most requests answered within a day), and personal-assistance units whose assistants are
their clients' support persons (the routine "Stödperson uppdrag på personlig assistans").

Names come from fixed lists and all choices from `random.Random(2026)`, so two runs on the
same day give the same data. Phone numbers are from the series PTS keeps for fiction
(070-174 06 05 to 070-174 06 99) and e-mail addresses use the reserved example.org domain.
Big tables are written with bulk_create; the four tables with django-simple-history get one
"created" history row each, dated when the demo was loaded (the dated lifecycle lives in
the models' own date fields, not in the audit history).

The builders per domain are shared with the large sizes (scale.py); this module adds the
demo's units, logins and storyline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from assignments.models import (
    Assignment,
    Decision,
    SatisfactionFollowUp,
    SupportPersonChange,
    SupportRequest,
)
from clients.models import (
    Client,
    Consent,
    Contact,
    Deviation,
    Gender,
    Locality,
    Programme,
    ProtectedIdentity,
    RiskMeasure,
    Unit,
)
from duties.models import DutyCheck
from reports.services import report_create, report_finalise
from stodperson import workdays
from stodperson.roles import ADMINISTRATORS_GROUP
from stodperson.tertials import Tertial
from supportpersons.models import (
    CollaborationActivity,
    Registration,
    StatusChange,
    SupportPerson,
    TrainingEvent,
)

from .allocation import Allocation
from .build import PATIENT_COMMITTEE, Member, Plan
from .care_end import create_care_end_extension
from .clients import Clients
from .contacts import create_volunteer_contacts
from .decisions import Decisions
from .duties import Duties
from .logins import DEMO_LOGINS
from .names import LANGUAGES, WISHED_LANGUAGES
from .offers import seed_offers
from .people import People
from .profiles import SMALL
from .records import Records
from .training import Training
from .volunteers import create_volunteer_records

Status = SupportPerson.Status
EndReason = Assignment.EndReason
ChangeReason = SupportPersonChange.Reason

SEED = 2026
# The demo is there when this unit is: a second run creates nothing.
MARKER_UNIT = "Patientnämnden Umeå"

# (name, locality, manager, assistants, clients)
PA_UNITS = (
    ("Assistansgruppen Centrum", "Umeå", "chef.centrum", 12, 16),
    ("Assistansgruppen Ersboda", "Umeå", "chef.ersboda", 10, 13),
    ("Assistansgruppen Skellefteå", "Skellefteå", "chef.skelleftea", 12, 14),
    ("Assistansgruppen Morö Backe", "Skellefteå", "chef.skelleftea", 10, 11),
)
# (name, locality, clients)
PC_UNITS = (("Patientnämnden Umeå", "Umeå", 115), ("Patientnämnden Skellefteå", "Skellefteå", 55))
PC_MANAGER = "chef.patientnamnden"
# New personal-assistance clients without a support person yet: days since they started.
GRACE_DAYS = {"Assistansgruppen Centrum": 6, "Assistansgruppen Ersboda": 18}

# The volunteer pool today, per locality and status: (women, men, other). The seed report
# counts 35 active in Umeå and 15 in Skellefteå, with too few men in Skellefteå.
PC_POOL: dict[str, dict[str, tuple[int, int, int]]] = {
    "Umeå": {
        Status.ACTIVE: (22, 12, 1),
        Status.PAUSED: (1, 1, 0),
        Status.INACTIVE: (18, 10, 0),
        Status.APPLICANT: (1, 1, 0),
    },
    "Skellefteå": {
        Status.ACTIVE: (12, 3, 0),
        Status.PAUSED: (2, 0, 0),
        Status.INACTIVE: (9, 3, 0),
        Status.APPLICANT: (1, 0, 0),
    },
}


def demo_exists() -> bool:
    return Unit.objects.filter(programme__slug=PATIENT_COMMITTEE, name=MARKER_UNIT).exists()


@dataclass
class DemoResult:
    counts: list[tuple[str, int]]
    existing_users: list[str] = field(default_factory=list)


def demo_create(*, seed: int = SEED) -> DemoResult | None:
    """Create the demo in one transaction, dated up to today; None if it is already there."""
    with transaction.atomic():
        if demo_exists():
            return None
        builder = _Builder(today=timezone.localdate(), seed=seed)
        builder.build()
        seed_offers(now=timezone.now())
    return DemoResult(counts=demo_counts(), existing_users=builder.existing_users)


def demo_counts() -> list[tuple[str, int]]:
    """What the demo holds, in Swedish, for the command's summary."""
    today = timezone.localdate()
    active_clients = Client.objects.active()
    with_support_person = Assignment.objects.active().values("client_id")
    pc_active = SupportPerson.objects.filter(programme__slug=PATIENT_COMMITTEE).active_on(today)
    return [
        ("Enheter", Unit.objects.count()),
        ("Klienter", Client.objects.count()),
        ("  aktiva i dag", active_clients.count()),
        ("  aktiva utan stödperson", active_clients.exclude(pk__in=with_support_person).count()),
        ("Stödpersoner", SupportPerson.objects.count()),
        (
            "  aktiva i patientnämnden, Umeå",
            pc_active.filter(locality__name="Umeå").count(),
        ),
        (
            "  aktiva i patientnämnden, Skellefteå",
            pc_active.filter(locality__name="Skellefteå").count(),
        ),
        ("Statusändringar", StatusChange.objects.count()),
        ("Begäranden", SupportRequest.objects.count()),
        ("  försenade (med orsak)", SupportRequest.objects.exclude(late_reason="").count()),
        ("  ursäktade (pausade)", SupportRequest.objects.filter(delay_excused=True).count()),
        ("  återtagna", SupportRequest.objects.filter(withdrawn_at__isnull=False).count()),
        ("  obesvarade", SupportRequest.objects.open().count()),
        (
            "  med öppna förfrågningar",
            SupportRequest.objects.filter(offers__status="open").distinct().count(),
        ),
        ("Uppdrag", Assignment.objects.count()),
        ("  pågående", Assignment.objects.active().count()),
        ("Byten av stödperson", SupportPersonChange.objects.count()),
        ("Delegationsbeslut", Decision.objects.count()),
        ("Avbockade uppgifter", DutyCheck.objects.count()),
        ("Kontakter", Contact.objects.count()),
        ("Samtycken", Consent.objects.count()),
        ("Riskbedömningar och åtgärder", RiskMeasure.objects.count()),
        ("Avvikelser", Deviation.objects.count()),
        ("Utbildningstillfällen", TrainingEvent.objects.count()),
        ("Anmälningar", Registration.objects.count()),
        ("Samverkansaktiviteter", CollaborationActivity.objects.count()),
        ("Användare", get_user_model().objects.count()),
    ]


class _Builder(People, Clients, Allocation, Decisions, Duties, Records, Training):
    """The demo's units, logins and storyline around the shared builders."""

    def __init__(self, *, today: date, seed: int) -> None:
        super().__init__(profile=SMALL, today=today, seed=seed)
        self.existing_users: list[str] = []
        self.users: dict[str, User] = {}

    def build(self) -> None:
        self.load_programmes()
        self.localities = {
            name: Locality.objects.get_or_create(name=name)[0] for name in ("Umeå", "Skellefteå")
        }
        self.load_languages(LANGUAGES)
        self.create_users()
        self.registrar_ids = [self.admin_id]
        self.create_units()
        self.plan_support_persons()
        self.plan_pa_clients()
        self.plan_pc_clients()
        self.allocate()
        self.save_core()
        self.create_decisions()
        self.create_duty_checks()
        self.create_client_records()
        self.create_training_events()
        self.create_collaboration()
        create_care_end_extension(today=self.today, recorded_by=User.objects.get(pk=self.admin_id))
        self.create_follow_ups()
        self.create_reports()
        create_volunteer_records(programme=self.pc, today=self.today, rng=self.rng)
        create_volunteer_contacts(username="stod.erik", admin=self.admin, today=self.today)

    def create_users(self) -> None:
        user_model = get_user_model()
        hashes = {
            password: make_password(password)
            for password in {login.password for login in DEMO_LOGINS}
        }
        administrators = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)[0]
        for login in DEMO_LOGINS:
            user = user_model.objects.filter(username=login.username).first()
            if user is None:
                user = user_model.objects.create(
                    username=login.username,
                    first_name=login.first_name,
                    last_name=login.last_name,
                    email=f"{login.username}@example.org",
                    password=hashes[login.password],
                )
            else:
                # Someone made this account before the demo: keep its password.
                self.existing_users.append(login.username)
            self.users[login.username] = user
            self.used_names.add(f"{login.first_name} {login.last_name}")
        admin = self.users["admin"]
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
        admin.groups.add(administrators)
        self.admin = admin

    def create_units(self) -> None:
        self.units: dict[str, Unit] = {}
        for name, locality, manager, _, _ in PA_UNITS:
            self.units[name] = self._unit(self.lss, name, locality, manager)
        for name, locality, _ in PC_UNITS:
            self.units[name] = self._unit(self.pc, name, locality, PC_MANAGER)

    def _unit(self, programme: Programme, name: str, locality: str, manager: str) -> Unit:
        unit = Unit.objects.get_or_create(
            programme=programme, name=name, defaults={"locality": self.localities[locality]}
        )[0]
        unit.managers.add(self.users[manager])
        return unit

    # ---- support persons ---------------------------------------------------------------

    def plan_support_persons(self) -> None:
        rng = self.rng
        for locality, by_status in PC_POOL.items():
            pool = self.pools.setdefault(locality, [])
            for status, per_gender in by_status.items():
                for gender, count in zip(
                    (Gender.WOMAN, Gender.MAN, Gender.OTHER), per_gender, strict=True
                ):
                    for _ in range(count):
                        pool.append(self.volunteer(locality, gender, status))
        # stod.erik: a volunteer in Umeå, one of the 35 active there (the pool above has 11
        # active men in Umeå plus him).
        erik = self.pools["Umeå"].pop(
            next(
                i
                for i, m in enumerate(self.pools["Umeå"])
                if m.sp.status == Status.ACTIVE and m.sp.gender == Gender.MAN
            )
        )
        self.used_names.discard(erik.sp.full_name)
        self.erik = self.login_member(
            erik,
            "stod.erik",
            recruited_on=date(self.today.year - 5, 3, 14),
            capacity=3,
            languages=["Svenska", "Engelska"],
        )
        self.pools["Umeå"].append(self.erik)
        for locality in PC_POOL:
            # Make sure each wished-for language is spoken by someone active.
            active = [
                m for m in self.pools[locality] if m.sp.status == Status.ACTIVE and not m.reserved
            ]
            for language in WISHED_LANGUAGES:
                if not any(self.languages[language] in m.languages for m in active):
                    rng.choice(active).languages.append(self.languages[language])

        for name, _, _, assistants, _ in PA_UNITS:
            unit = self.units[name]
            pool = self.pools.setdefault(name, [])
            for i in range(assistants):
                if i == 0:
                    status = Status.INACTIVE
                elif i == 1 and name != "Assistansgruppen Morö Backe":
                    status = Status.INACTIVE if rng.random() < 0.5 else Status.PAUSED
                else:
                    status = Status.ACTIVE
                gender = Gender.WOMAN if rng.random() < 0.78 else Gender.MAN
                pool.append(self.assistant(unit, gender, status))
        centrum = self.pools["Assistansgruppen Centrum"]
        anna_template = next(
            m for m in centrum if m.sp.status == Status.ACTIVE and m.sp.gender == Gender.WOMAN
        )
        self.used_names.discard(anna_template.sp.full_name)
        self.anna = self.login_member(
            anna_template,
            "stod.anna",
            recruited_on=date(self.today.year - 7, 8, 19),
            capacity=2,
            languages=["Svenska"],
        )
        for pool in self.pools.values():
            self.members.extend(pool)

    def login_member(
        self,
        member: Member,
        username: str,
        *,
        recruited_on: date,
        capacity: int,
        languages: Sequence[str],
    ) -> Member:
        """Turn a generated support person into one of the demo logins."""
        login = next(login for login in DEMO_LOGINS if login.username == username)
        return self.make_login(
            member,
            self.users[username],
            first_name=login.first_name,
            last_name=login.last_name,
            recruited_on=recruited_on,
            capacity=capacity,
            email=f"{username}@example.org",
            languages=languages,
        )

    def plan_pa_clients(self) -> None:
        rng, today = self.rng, self.today
        for name, _, manager, _, count in PA_UNITS:
            unit = self.units[name]
            for i in range(count):
                plan = self.pa_plan(
                    unit,
                    pool=name,
                    manager_id=self.users[manager].pk,
                    long_standing=i < count - 3,
                    newest=60,
                    ended_chance=0.1,
                )
                if rng.random() < 0.3 and self.change_span(plan) > 60:
                    plan.changes.append(self.planned_change(plan))
                self.draw_parties(plan)
                self.plans.append(plan)
            if name in GRACE_DAYS:
                # A new client, still in the grace period, without a support person yet.
                client = self.new_client(
                    unit, started_on=today - timedelta(days=GRACE_DAYS[name]), born=(1950, 2008)
                )
                plan = Plan(
                    client=client,
                    pool=name,
                    personal_assistance=True,
                    manager_id=self.users[manager].pk,
                )
                self.draw_parties(plan)
                self.plans.append(plan)
        pa_plans = [p for p in self.plans if p.personal_assistance]
        ongoing = [
            p
            for p in pa_plans
            if p.first_start and p.chain_end is None and p.first_start < today - timedelta(days=500)
        ]
        # One client whose support person left 45 days ago, with no successor yet.
        orphan = next(p for p in ongoing if p.pool == "Assistansgruppen Ersboda")
        orphan.chain_end = today - timedelta(days=45)
        orphan.end_reason = EndReason.SUPPORT_PERSON_WISH
        orphan.changes = []
        # stod.anna takes over two clients in Centrum: one on the client's wish, one when
        # the previous support person asked to leave.
        centrum = [p for p in ongoing if p.pool == "Assistansgruppen Centrum" and p is not orphan]
        for plan, days_ago, reason in (
            (centrum[0], 420, ChangeReason.CLIENT_WISH),
            (centrum[1], 160, ChangeReason.SUPPORT_PERSON_WISH),
        ):
            plan.changes = [(today - timedelta(days=days_ago), reason)]
            plan.preferred, plan.preferred_from = self.anna, today - timedelta(days=days_ago)
        rest = [p for p in ongoing if p is not orphan and p.preferred is None]
        for plan in rng.sample(rest, 5):
            plan.overdue_plan = True
        for plan in rng.sample(rest, 3):
            plan.documentation_lapsed = True
        self.protect([p.client for p in pa_plans])

    def protect(self, clients: list[Client]) -> None:
        """Every level of protected identity, in each programme."""
        chosen = self.rng.sample(clients, 4)
        levels = (
            ProtectedIdentity.CONFIDENTIALITY_MARK,
            ProtectedIdentity.CONFIDENTIALITY_MARK,
            ProtectedIdentity.PROTECTED_REGISTRATION,
            ProtectedIdentity.FICTITIOUS_IDENTITY,
        )
        for client, level in zip(chosen, levels, strict=True):
            client.protected_identity = level

    def plan_pc_clients(self) -> None:
        rng, today = self.rng, self.today
        pc_plans: list[Plan] = []
        for name, locality, count in PC_UNITS:
            unit = self.units[name]
            days = [
                self.request_day(self.history_from, today - timedelta(days=12))
                for _ in range(count)
            ]
            days.extend(self.holiday_days())
            for day in sorted(days):
                pc_plans.append(self.pc_plan(unit, locality, day, pool=locality))
            # The last days: requests waiting within target, one paused, one late.
            recent = [workdays.add_working_days(today - timedelta(days=14), n) for n in range(9)]
            for day in recent:
                if day < today:
                    pc_plans.append(self.pc_plan(unit, locality, day, pool=locality, kind="fast"))
            if locality == "Umeå":
                yesterday = today - timedelta(days=1)
                while not workdays.is_working_day(yesterday):
                    yesterday -= timedelta(days=1)
                pc_plans.append(self.pc_plan(unit, locality, yesterday, pool=locality, kind="open"))
                pc_plans.append(
                    self.pc_plan(unit, locality, recent[0], pool=locality, kind="open_late")
                )
            else:
                pc_plans.append(
                    self.pc_plan(unit, locality, recent[-3], pool=locality, kind="open_paused")
                )
        ongoing_lpt = [
            p
            for p in pc_plans
            if p.first_start
            and p.chain_end is None
            and p.client.legal_basis == Client.LegalBasis.LPT
            and p.first_start < today - timedelta(days=90)
        ]
        # Compulsory care ended but the assignment runs on: two within the four weeks the
        # committee allows (domain.md rule 6), two past it.
        for plan, days_ago in zip(rng.sample(ongoing_lpt, 4), (8, 19, 37, 62), strict=True):
            plan.client.compulsory_care_ended_on = today - timedelta(days=days_ago)
        # stod.erik: two patients now and one earlier, none wishing for a woman or for
        # another language.
        suits_erik = [
            p
            for p in pc_plans
            if p.pool == "Umeå"
            and p.first_start is not None
            and p.first_start > today - timedelta(days=500)
            and p.client.wished_language_id is None
            and p.client.wished_gender != Gender.WOMAN
        ]
        now = [
            p
            for p in suits_erik
            if p.chain_end is None
            and p.client.compulsory_care_ended_on is None
            and p.first_start is not None
            and p.first_start < today - timedelta(days=14)
        ]
        earlier = [p for p in suits_erik if p.chain_end is not None]
        for plan in [*now[-2:], earlier[0]]:
            plan.preferred = self.erik
            plan.changes = []
        self.protect([p.client for p in pc_plans])
        self.plans.extend(pc_plans)

    def request_day(self, first: date, last: date) -> date:
        """Requests come mostly on working days, some on weekends and holidays."""
        while True:
            day = self.day_between(first, last)
            if workdays.is_working_day(day) or self.rng.random() < 0.3:
                return day

    def holiday_days(self) -> list[date]:
        """Christmas and Midsummer eves, when the working-day clock stands still."""
        days: list[date] = []
        for year in range(self.history_from.year, self.today.year + 1):
            midsummer_eve = next(
                date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4
            )
            days.extend((date(year, 12, 23), date(year, 12, 24), midsummer_eve))
        return [d for d in days if self.history_from <= d <= self.today - timedelta(days=12)]

    def create_follow_ups(self) -> None:
        """The unit managers' satisfaction follow-ups: most clients are satisfied; one
        wishes to change, which the dashboard shows until it is handled."""
        active = list(
            Assignment.objects.active()
            .filter(client__unit__programme=self.lss)
            .order_by("client__unit_id", "id")[:4]
        )
        outcomes = ["satisfied", "satisfied", "partly", "wants_change"]
        SatisfactionFollowUp.objects.bulk_create(
            SatisfactionFollowUp(
                assignment=assignment,
                on=max(assignment.started_on, self.today - timedelta(days=10 * (i + 1))),
                outcome=outcome,
                note="Vill hellre ha någon som talar finska." if outcome == "wants_change" else "",
                recorded_by=self.admin,
            )
            for i, (assignment, outcome) in enumerate(zip(active, outcomes, strict=False))
        )

    def create_reports(self) -> None:
        """The patient committee's last ended tertial as a final report, and the current
        one as a draft, so the report screens have content."""
        current = Tertial.of(self.today)
        ended = current.previous()
        final = report_create(
            programme=self.pc,
            year=ended.year,
            tertial=ended.number,
            by=self.admin,
            today=self.today,
        )
        report_finalise(report=final, by=self.admin, today=self.today)
        report_create(
            programme=self.pc,
            year=current.year,
            tertial=current.number,
            by=self.admin,
            today=self.today,
        )
