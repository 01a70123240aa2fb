"""The large sizes of `manage.py seed_demo`: a region (20,000 clients), the nation
(100,000), or an exact number of clients (`--clients N`, the benchmark's sizes).

The builders per domain are the demo's (people.py, clients.py, allocation.py, duties.py,
records.py, training.py) with the large sizes' profile (profiles.LARGE); this module adds the
units, personas and pools of a size, the resolved flags of three years, and the checks and
draft reports of today. Everything scales with the number of clients. At 20,000 clients:
about 45 % in personal assistance (long-lived clients, units of about 50 clients, three
years of duty ticks: about a million DutyChecks) and 55 % at the patient committee (one
request each, short assignments), 6,000 support persons (three in four are assistants),
about 25,000 assignments over three years, units in up to twelve localities, a few hundred
users, the flags the checks raise today and the resolved flags of three years.

Speed: every row is built in Python with its primary key already chosen (the tables are
empty, or flushed with --reset), then written in one statement per table (writing.py); the
pool is sampled, not scored whole, when a support person is chosen. Model constraints hold
(one active assignment per client, dates in order, a reason for every end, one open pause
per request), and `search_name` comes from `Person.derived_search_name()` as `save()` would
set it.

Personas for the benchmark, with the password PERSONA_PASSWORD (a local data set only):
`bench.admin` (administrator, superuser for the Django admin), `bench.manager` (manager of
one ordinary personal-assistance unit) and `bench.support` (an assistant in that unit with
three clients).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.utils import timezone

from assignments.models import SatisfactionFollowUp
from clients.models import Gender, Language, Locality, Unit
from flags import checks
from flags.models import Flag
from reports.models import TertialReport
from stodperson import workdays
from stodperson.dates import month_starts
from stodperson.roles import ADMINISTRATORS_GROUP
from stodperson.tertials import Tertial
from supportpersons.models import SupportPerson

from .allocation import Allocation
from .build import ONE_DAY, PERSONAL_ASSISTANCE, DemoError, EndReason, Plan
from .clients import Clients
from .duties import Duties
from .names import WISHED_LANGUAGES
from .people import People
from .profiles import LARGE
from .records import Records
from .training import Training
from .writing import data_models, flush, holds_data, reset_sequences, write_objects, write_rows

# Bumped whenever the generator changes, so that `bench` seeds its databases again (3: the
# duty ticks, records, training and resolved flags come from the demo's builders).
SCALE_VERSION = 3
DEFAULT_CLIENTS = 20_000
# The sizes of `seed_demo --size`: "small" is the demo (demo/small.py), the others this.
SMALL = "small"
SIZES = {"region": DEFAULT_CLIENTS, "national": 100_000}
DEFAULT_SEED = 2026

PERSONA_PASSWORD = "bench-Skala-2026"
ADMIN_USERNAME = "bench.admin"
MANAGER_USERNAME = "bench.manager"
SUPPORT_USERNAME = "bench.support"
PERSONA_CLIENTS = 3

LOCALITIES = (
    "Umeå",
    "Skellefteå",
    "Luleå",
    "Piteå",
    "Boden",
    "Kiruna",
    "Gällivare",
    "Lycksele",
    "Örnsköldsvik",
    "Sundsvall",
    "Östersund",
    "Härnösand",
)
LANGUAGES = ("Svenska", "Engelska", *WISHED_LANGUAGES, "Meänkieli", "Tyska", "Spanska")

Status = SupportPerson.Status


@dataclass(frozen=True)
class Size:
    """How many of everything, from the number of clients."""

    clients: int

    @property
    def pa_clients(self) -> int:
        return max(2, round(0.45 * self.clients))

    @property
    def pc_clients(self) -> int:
        return max(2, self.clients - self.pa_clients)

    @property
    def localities(self) -> int:
        return max(2, min(len(LOCALITIES), round(self.clients / 1700)))

    @property
    def pa_units(self) -> int:
        return max(2, round(self.pa_clients / 50))

    @property
    def assistants(self) -> int:
        # At least three per unit, and the persona beside them.
        return max(3 * self.pa_units, round(0.3 * self.clients * 0.75))

    @property
    def volunteers(self) -> int:
        return max(6 * self.localities, round(0.3 * self.clients * 0.25))


@dataclass
class ScaleResult:
    counts: list[tuple[str, int]]
    timings: list[tuple[str, float]]


class _Builder(People, Clients, Allocation, Duties, Records, Training):
    """The large sizes' units, personas and pools around the shared builders."""

    def __init__(self, *, size: Size, seed: int, today: date, log: Callable[[str], None]):
        super().__init__(profile=LARGE, today=today, seed=seed)
        self.size = size
        self.log = log
        self.timings: list[tuple[str, float]] = []

    def step(self, label: str, started: float) -> None:
        elapsed = time.monotonic() - started
        self.timings.append((label, elapsed))
        self.log(f"  {label}: {elapsed:.1f} s")

    def build(self) -> None:
        self.load_programmes()
        started = time.monotonic()
        self.create_reference_data()
        self.create_users()
        self.create_units()
        self.step("localities, users and units", started)
        started = time.monotonic()
        self.plan_support_persons()
        self.plan_pa_clients()
        self.plan_pc_clients()
        self.allocate()
        self.step("planning clients, support persons and assignments", started)
        started = time.monotonic()
        self.save_core()
        self.step("writing clients, support persons, requests and assignments", started)
        started = time.monotonic()
        self.create_duty_checks()
        self.step("writing duty checks", started)
        started = time.monotonic()
        self.create_client_records()
        self.create_follow_ups()
        self.create_training_events()
        self.create_collaboration()
        self.create_flag_history()
        reset_sequences(data_models())
        self.step("writing client records, training, flag history", started)

    def create_reference_data(self) -> None:
        names = LOCALITIES[: self.size.localities]
        Locality.objects.bulk_create([Locality(name=name) for name in names])
        self.localities = {loc.name: loc for loc in Locality.objects.filter(name__in=names)}
        Language.objects.bulk_create([Language(name=name) for name in LANGUAGES])
        self.languages = {lang.name: lang.pk for lang in Language.objects.all()}

    def create_users(self) -> None:
        user_model = get_user_model()
        persona_hash = make_password(PERSONA_PASSWORD)
        unusable = make_password(None)
        wanted: list[tuple[str, str, str, str]] = [
            (ADMIN_USERNAME, "Helena", "Burman", persona_hash),
            (MANAGER_USERNAME, "Maria", "Lundmark", persona_hash),
            (SUPPORT_USERNAME, "Anna", "Berglund", persona_hash),
        ]
        offices = max(1, self.size.localities // 4)
        wanted += [(f"scale.kansli{i}", *self.name(Gender.WOMAN), unusable) for i in range(offices)]
        # The persona manages one unit; the other managers two units each.
        self.pa_manager_names = [MANAGER_USERNAME] + [
            f"scale.chef{i}" for i in range(1, (self.size.pa_units - 1 + 1) // 2 + 1)
        ]
        self.pc_manager_names = [
            f"scale.pnchef{i}" for i in range(max(1, (self.size.localities + 2) // 3))
        ]
        for username in self.pa_manager_names[1:] + self.pc_manager_names:
            gender = self.rng.choice((Gender.WOMAN, Gender.MAN))
            wanted.append((username, *self.name(gender), unusable))
        existing = {
            u.username: u for u in user_model.objects.filter(username__in=[w[0] for w in wanted])
        }
        user_model.objects.bulk_create(
            [
                user_model(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@example.org",
                    password=password,
                )
                for username, first, last, password in wanted
                if username not in existing
            ]
        )
        self.users: dict[str, User] = {
            u.username: u for u in user_model.objects.filter(username__in=[w[0] for w in wanted])
        }
        admin = self.users[ADMIN_USERNAME]
        user_model.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
        group = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)[0]
        self.office = [self.users[w[0]] for w in wanted if w[0].startswith("scale.kansli")]
        group.user_set.add(admin, *self.office)
        self.admin = admin
        self.registrar_ids = [admin.pk, *(user.pk for user in self.office)]

    def create_units(self) -> None:
        localities = list(self.localities.values())
        units: list[Unit] = []
        managers: list[tuple[int, int]] = []
        self.pa_units: list[Unit] = []
        for i in range(self.size.pa_units):
            locality = localities[i % len(localities)]
            unit = Unit(
                pk=self.pk(Unit),
                programme=self.lss,
                name=f"Assistansgruppen {locality.name} {i // len(localities) + 1}",
                locality=locality,
            )
            units.append(unit)
            self.pa_units.append(unit)
            # Unit 0 is the persona's own; the others two by two.
            manager = self.pa_manager_names[0 if i == 0 else (i + 1) // 2]
            managers.append((unit.pk, self.users[manager].pk))
        self.pc_units: dict[str, Unit] = {}
        for j, locality in enumerate(localities):
            unit = Unit(pk=self.pk(Unit), programme=self.pc, name=f"Patientnämnden {locality.name}")
            unit.locality = locality
            units.append(unit)
            self.pc_units[locality.name] = unit
            manager = self.pc_manager_names[j // 3]
            managers.append((unit.pk, self.users[manager].pk))
        write_objects(Unit, units)
        through = Unit.managers.through
        write_rows(
            through,
            ["id", "unit_id", "user_id"],
            ((self.pk(through), u, m) for u, m in managers),
        )
        self.unit_manager = dict(managers)
        self.counts["units"] = len(units)

    # ---- support persons ---------------------------------------------------------------

    def plan_support_persons(self) -> None:
        rng = self.rng
        for i in range(self.size.assistants):
            unit = self.pa_units[i % len(self.pa_units)]
            gender = Gender.WOMAN if rng.random() < 0.78 else Gender.MAN
            self.pools.setdefault(f"pa{unit.pk}", []).append(self.assistant(unit, gender))
        localities = list(self.localities)
        for i in range(self.size.volunteers):
            locality = localities[i % len(localities)]
            gender = rng.choices((Gender.WOMAN, Gender.MAN, Gender.OTHER), weights=(62, 35, 3))[0]
            self.pools.setdefault(f"pc{locality}", []).append(self.volunteer(locality, gender))
        # The persona: an assistant of unit 0 with an account, never paused or deactivated.
        unit = self.pa_units[0]
        self.persona = self.make_login(
            self.assistant(unit, Gender.WOMAN, status=Status.ACTIVE),
            self.users[SUPPORT_USERNAME],
            first_name="Anna",
            last_name="Berglund",
            recruited_on=self.today - timedelta(days=365 * 8),
            capacity=PERSONA_CLIENTS,
        )
        self.pools[f"pa{unit.pk}"].append(self.persona)
        for pool in self.pools.values():
            self.members.extend(pool)

    def plan_pa_clients(self) -> None:
        rng, today = self.rng, self.today
        for i in range(self.size.pa_clients):
            unit = self.pa_units[i % len(self.pa_units)]
            manager_id = self.unit_manager[unit.pk]
            roll = rng.random()
            if roll < 0.005:
                # A new client, still in the grace period, without a support person yet.
                client = self.new_client(
                    unit, started_on=today - timedelta(days=rng.randint(2, 20)), born=(1950, 2008)
                )
                self.plans.append(Plan(client, f"pa{unit.pk}", True, manager_id))
                continue
            plan = self.pa_plan(
                unit,
                pool=f"pa{unit.pk}",
                manager_id=manager_id,
                long_standing=roll < 0.85,
                newest=40,
                ended_chance=0.08,
            )
            client, first = plan.client, plan.first_start or today
            if (
                plan.chain_end is None
                and rng.random() < 0.01
                and first < today - timedelta(days=120)
            ):
                # The support person left and nobody has taken over yet.
                plan.chain_end = today - timedelta(days=rng.randint(20, 90))
                plan.end_reason = EndReason.SUPPORT_PERSON_WISH
            changes = rng.choices((0, 1, 2), weights=(76, 20, 4))[0]
            for _ in range(changes):
                if self.change_span(plan) > 90:
                    plan.changes.append(self.planned_change(plan))
            plan.changes.sort()
            if client.ended_on is None and plan.chain_end is None:
                plan.overdue_plan = rng.random() < 0.04
                plan.documentation_lapsed = rng.random() < 0.03
            self.plans.append(plan)
        # The persona's clients: ongoing ones of unit 0, with nobody else before them.
        own = [
            p
            for p in self.plans
            if p.pool == f"pa{self.pa_units[0].pk}"
            and p.first_start is not None
            and p.chain_end is None
            and p.client.ended_on is None
            and not p.client.is_protected
        ][:PERSONA_CLIENTS]
        for plan in own:
            plan.preferred = self.persona
            plan.changes = []
            plan.overdue_plan = plan.documentation_lapsed = False

    def plan_pc_clients(self) -> None:
        rng, today = self.rng, self.today
        localities = list(self.localities)
        first_day = self.window_start - timedelta(days=60)
        span = (today - timedelta(days=1) - first_day).days
        # Whatever the size, each office has requests waiting today: one within the target,
        # one late and one paused (so every size shows the queue the same way).
        waiting = [
            (locality, kind) for locality in localities for kind in ("open", "open_late", "paused")
        ]
        regular = max(0, self.size.pc_clients - len(waiting))
        for i in range(regular):
            locality = localities[i % len(localities)]
            day = first_day + timedelta(days=int(span * (i / regular)))
            day = self.day_between(day, min(day + timedelta(days=6), today - ONE_DAY))
            if not workdays.is_working_day(day) and rng.random() < 0.7:
                day = workdays.first_working_day_on_or_after(day)
                if day >= today:
                    day = today - ONE_DAY
            self.plans.append(self.pc_request(locality, day))
        last_working_day = today - ONE_DAY
        while not workdays.is_working_day(last_working_day):
            last_working_day -= ONE_DAY
        week_ago = today - timedelta(days=10)
        for locality, kind in waiting:
            day = last_working_day if kind == "open" else week_ago
            self.plans.append(self.pc_request(locality, day, kind=kind))

    def pc_request(self, locality: str, day: date, kind: str = "") -> Plan:
        unit = self.pc_units[locality]
        return self.pc_plan(unit, locality, day, pool=f"pc{locality}", kind=kind)

    def create_follow_ups(self) -> None:
        """The unit managers' satisfaction follow-ups of a third of the current assignments,
        within the last year; some of those who wished a change have been handled."""
        rng, today = self.rng, self.today
        follow_ups: list[SatisfactionFollowUp] = []
        for plan in self.plans:
            current = next((a for a in plan.assignments if a.ended_on is None), None)
            if not plan.personal_assistance or current is None or rng.random() >= 0.3:
                continue
            on = self.day_between(max(current.started_on, today - timedelta(days=365)), today)
            outcome = rng.choices(
                [o for o, _ in SatisfactionFollowUp.Outcome.choices], weights=(80, 15, 5)
            )[0]
            handled = outcome == "wants_change" and rng.random() < 0.5
            follow_ups.append(
                SatisfactionFollowUp(
                    pk=self.pk(SatisfactionFollowUp),
                    assignment=current,
                    on=on,
                    outcome=outcome,
                    recorded_by_id=plan.manager_id,
                    handled_at=self.at(on, 15) if handled else None,
                )
            )
        self.store(SatisfactionFollowUp, follow_ups)

    def create_flag_history(self) -> None:
        """The flags of three years that have been resolved since: missing documentation
        in a few client-months, and requests that were due soon or late."""
        rng = self.rng
        flags: list[tuple] = []
        kind = Flag.Kind
        for plan in self.plans:
            client = plan.client
            if plan.personal_assistance:
                for month in month_starts(max(client.started_on, self.window_start), self.today):
                    if rng.random() < 0.04:
                        raised = self.at(month, 5, 30)
                        resolved = raised + timedelta(days=rng.randint(1, 20))
                        if resolved < self.now:
                            flags.append(
                                (kind.DOCUMENTATION_MISSING, client.pk, client.pk, raised, resolved)
                            )
            elif plan.request is not None and plan.assignments:
                request = plan.request
                raised = request.received_at + timedelta(days=1)
                resolved = self.at(plan.assignments[0].started_on, 11)
                if request.late_reason and resolved > raised:
                    flags.append((kind.REQUEST_LATE, request.pk, client.pk, raised, resolved))
                elif rng.random() < 0.25 and resolved > raised:
                    flags.append((kind.REQUEST_DUE_SOON, request.pk, client.pk, raised, resolved))
        next_id = self.pk(Flag) or 0
        self.counts["resolved flags"] = write_rows(
            Flag,
            FLAG_COLUMNS,
            (
                (next_id + i, k, client_id, target, "", raised, raised, resolved)
                for i, (k, target, client_id, raised, resolved) in enumerate(flags)
            ),
        )
        self.next_id[Flag] = next_id + len(flags)


FLAG_COLUMNS = [
    "id",
    "kind",
    "client_id",
    "target_id",
    "detail",
    "raised_at",
    "notified_at",
    "resolved_at",
]


def last_complete_tertial(today: date) -> Tertial:
    return Tertial.of(today).previous()


def scale_create(
    *,
    clients: int = DEFAULT_CLIENTS,
    seed: int = DEFAULT_SEED,
    reset: bool = False,
    today: date | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> ScaleResult:
    """Build the data set; refuses a database that holds data unless `reset`."""
    from reports import services as report_services

    if clients < 10:
        raise DemoError("Use at least 10 clients.")
    today = today or timezone.localdate()
    if holds_data():
        if not reset:
            raise DemoError(
                "The database already holds data (units, clients, support persons ...). "
                "Use --reset to empty the data tables first, or another database."
            )
        started = time.monotonic()
        flush()
        log(f"  emptied the data tables: {time.monotonic() - started:.1f} s")
    builder = _Builder(size=Size(clients), seed=seed, today=today, log=log)
    with transaction.atomic():
        builder.build()
        started = time.monotonic()
    # PostgreSQL checks Django's (deferred) foreign keys of every row here.
    builder.step("commit", started)
    # Fresh statistics for the planner before anything reads the data (on tables it has
    # never analysed, PostgreSQL plans the checks' queries for a handful of rows and runs
    # them for minutes), and again at the end for what the checks and reports wrote.
    _analyse(builder)
    started = time.monotonic()
    # The flags of today, as the morning's run leaves them.
    results = checks.run_checks(today=today)
    builder.counts["open flags"] = sum(r.open for r in results)
    tertial = last_complete_tertial(today)
    for programme in (builder.lss, builder.pc):
        report_services.report_create(
            programme=programme,
            year=tertial.year,
            tertial=tertial.number,
            by=builder.admin,
            today=today,
        )
    builder.step("the checks of today and two draft reports", started)
    _analyse(builder)
    counts = [(label, builder.counts[label]) for label in sorted(builder.counts)]
    return ScaleResult(counts=counts, timings=builder.timings)


def _analyse(builder: _Builder) -> None:
    """ANALYZE; on PostgreSQL outside a transaction VACUUM ANALYZE, which also sets the
    visibility map, so that the benchmark does not race autovacuum (VACUUM cannot run
    inside a transaction, as in a test)."""
    started = time.monotonic()
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    statement = "VACUUM ANALYZE" if vacuum else "ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(statement)
    builder.step(statement, started)


def persona_report(programme_slug: str = PERSONAL_ASSISTANCE) -> TertialReport | None:
    return (
        TertialReport.objects.filter(programme__slug=programme_slug)
        .order_by("-year", "-tertial")
        .first()
    )
