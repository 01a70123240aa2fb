"""A large, realistic data set for the benchmark (issue #8): `manage.py seed_scale`.

The rules are the demo's (reports/demo.py) at the size of a large region, and everything
scales with the number of clients. At the default 20,000 clients: about 45 % in personal
assistance (long-lived clients, units of about 50 clients, three years of duty ticks: about
a million DutyChecks) and 55 % at the patient committee (one request each, short assignments),
6,000 support persons (three in four are assistants), about 25,000 assignments over three
years, units in up to twelve localities, a few hundred users, the flags the checks raise
today and the resolved flags of three years.

Speed: every row is built in Python with its primary key already chosen (the tables are
empty, or flushed with --reset), then written in one statement per table: COPY on
PostgreSQL (psycopg's `cursor.copy()`), executemany on SQLite; the sequences are moved past
the keys afterwards. Model constraints hold (one active assignment per client, dates in
order, a reason for every end, one open pause per request), and `search_name` comes from
`Person.derived_search_name()` as `save()` would set it.

Personas for the benchmark, with the password PERSONA_PASSWORD (a local data set only):
`bench.admin` (administrator, superuser for the Django admin), `bench.manager` (manager of
one ordinary personal-assistance unit) and `bench.support` (an assistant in that unit with
three clients).
"""

from __future__ import annotations

import enum
import heapq
import itertools
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from assignments import checks, workdays
from assignments.models import (
    Assignment,
    DutyCheck,
    DutyTemplate,
    Flag,
    Request,
    RequestPause,
    SatisfactionFollowUp,
    SupportPersonChange,
)
from clients.models import (
    Client,
    Consent,
    Contact,
    Deviation,
    Gender,
    Language,
    Locality,
    Programme,
    ProtectedIdentity,
    RiskMeasure,
    Unit,
)
from demo.small import (
    DEVIATION_MEASURES,
    DEVIATIONS,
    RISKS,
    WISHED_LANGUAGES,
    Member,
    assignment_end,
    fake_personnummer,
    random_name,
)
from reports.models import TertialReport
from reports.tertials import Tertial
from stodperson.dates import last_day_of_month, month_starts
from stodperson.roles import ADMINISTRATORS_GROUP
from supportpersons.models import (
    CollaborationActivity,
    Registration,
    StatusChange,
    SupportPerson,
    TrainingEvent,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Bumped whenever the generator changes, so that `bench` seeds its databases again.
SCALE_VERSION = 2
DEFAULT_CLIENTS = 20_000
# The sizes of `seed_demo --size`: "small" is the demo (demo/small.py), the others this.
SMALL = "small"
SIZES = {"region": DEFAULT_CLIENTS, "national": 100_000}
DEFAULT_SEED = 2026
YEARS = 3

PERSONA_PASSWORD = "bench-Skala-2026"
ADMIN_USERNAME = "bench.admin"
MANAGER_USERNAME = "bench.manager"
SUPPORT_USERNAME = "bench.support"
PERSONA_CLIENTS = 3

PERSONAL_ASSISTANCE = "personlig-assistans"
PATIENT_COMMITTEE = "patientnamnden"

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
CHANGE_REASON = "Skaldata (seed_scale)"

Status = SupportPerson.Status
EndReason = Assignment.EndReason
ChangeReason = SupportPersonChange.Reason
_ONE_DAY = timedelta(days=1)


class ScaleError(Exception):
    """The database is not ready for the data set, or already holds data."""


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


# --- Writing rows fast ---------------------------------------------------------------------


def _adapter(field_: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """What the database driver needs for one column's Python value."""
    ops = connection.ops
    if isinstance(field_, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field_, models.DateField):
        return ops.adapt_datefield_value
    return lambda value: value.value if isinstance(value, enum.Enum) else value


def write_rows(model: type[models.Model], attnames: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert rows (values in the order of `attnames`, primary key included) in one
    statement: COPY on PostgreSQL, executemany on SQLite. Returns the number of rows."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_attname[name] for name in attnames]
    adapters = [_adapter(f) for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    # The first row before the statement: a generator that reads the database (the next
    # primary key) must do so before COPY holds the connection.
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    count = 0

    def adapted() -> Iterator[tuple]:
        nonlocal count
        for row in itertools.chain([first], iterator):
            count += 1
            yield tuple(
                adapt(value) if value is not None else None
                for adapt, value in zip(adapters, row, strict=True)
            )

    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql":
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in adapted():
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in fields)
            raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", adapted())
    return count


def write_objects(model: type[models.Model], objects: Sequence[models.Model]) -> int:
    """Model instances whose primary keys are set, every concrete field as it stands (an
    auto_now_add field that is still empty gets the current time, as save() would)."""
    now = timezone.now()
    concrete = model._meta.concrete_fields
    stamped = [
        f.attname
        for f in concrete
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
    ]
    for obj in objects:
        for name in stamped:
            if getattr(obj, name) is None:
                setattr(obj, name, now)
    attnames = [f.attname for f in concrete]
    return write_rows(
        model, attnames, (tuple(getattr(o, name) for name in attnames) for o in objects)
    )


def _reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


# --- Flushing and refusing ---------------------------------------------------------------

# The data the scale set writes; the programmes and duty templates of the data migration
# stay, and so do users (the read log points at them and is append-only) and the audit app.
DATA_APPS = ("clients", "supportpersons", "assignments", "reports")
KEPT_MODELS = {("clients", "programme"), ("assignments", "dutytemplate")}


def data_models() -> list[type[models.Model]]:
    result = []
    for label in DATA_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if (model._meta.app_label, model._meta.model_name) not in KEPT_MODELS:
                result.append(model)
    return result


def holds_data() -> bool:
    return any(
        model.objects.exists()
        for model in (Unit, Client, SupportPerson, Assignment, Request, Locality)
    )


def flush() -> None:
    """Empty the data tables (TRUNCATE on PostgreSQL), keeping the programmes, their duty
    templates, the users and the audit log."""
    tables = [m._meta.db_table for m in data_models()]
    quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Checks still deferred in this transaction (a test's) would block TRUNCATE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        else:
            # Foreign keys are checked at commit on SQLite: the order does not matter.
            for table in tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
            marks = ", ".join("%s" for _ in tables)
            cursor.execute(f"DELETE FROM sqlite_sequence WHERE name IN ({marks})", tables)


# --- The plan of the data set ------------------------------------------------------------


_Member = Member[int]  # languages by id


@dataclass(eq=False)
class _Plan:
    """A client and the course of their assignments."""

    client: Client
    pool: str
    personal_assistance: bool
    manager_id: int
    first_start: date | None = None
    chain_end: date | None = None
    end_reason: str = EndReason.CARE_ENDED
    changes: list[tuple[date, str]] = field(default_factory=list)
    request: Request | None = None
    preferred: _Member | None = None
    overdue_plan: bool = False
    documentation_lapsed: bool = False
    assignments: list[Assignment] = field(default_factory=list)


@dataclass
class ScaleResult:
    counts: list[tuple[str, int]]
    timings: list[tuple[str, float]]


class _Builder:
    def __init__(self, *, size: Size, seed: int, today: date, log: Callable[[str], None]):
        self.size = size
        self.rng = random.Random(seed)
        self.today = today
        self.now = timezone.now()
        self.window_start = today - timedelta(days=365 * YEARS)
        self.log = log
        self.next_id: dict[type[models.Model], int] = {}
        self.timings: list[tuple[str, float]] = []
        self.counts: dict[str, int] = defaultdict(int)
        self.pools: dict[str, list[_Member]] = {}
        self.members: list[_Member] = []
        self.plans: list[_Plan] = []
        self.pauses: list[RequestPause] = []
        self.changes: list[SupportPersonChange] = []
        self.midnights: dict[date, datetime] = {}

    # ---- helpers -----------------------------------------------------------------------

    def pk(self, model: type[models.Model]) -> int:
        if model not in self.next_id:
            last = model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
            self.next_id[model] = last + 1
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def step(self, label: str, started: float) -> None:
        elapsed = time.monotonic() - started
        self.timings.append((label, elapsed))
        self.log(f"  {label}: {elapsed:.1f} s")

    def day_between(self, first: date, last: date) -> date:
        if last <= first:
            return first
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def midnight(self, day: date) -> datetime:
        moment = self.midnights.get(day)
        if moment is None:
            moment = timezone.make_aware(datetime.combine(day, datetime.min.time()))
            self.midnights[day] = moment
        return moment

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return min(self.midnight(day) + timedelta(hours=hour, minutes=minute), self.now)

    def name(self, gender: str, language: str | None = None) -> tuple[str, str]:
        return random_name(self.rng, gender, language)

    def personnummer(self, born: date, gender: str) -> str:
        return fake_personnummer(self.rng, born, gender)

    # ---- the build ---------------------------------------------------------------------

    def build(self) -> None:
        try:
            self.lss = Programme.objects.get(slug=PERSONAL_ASSISTANCE)
            self.pc = Programme.objects.get(slug=PATIENT_COMMITTEE)
        except Programme.DoesNotExist:
            raise ScaleError(
                "The programmes are missing: run `manage.py migrate` first (the data "
                "migration assignments 0002 creates them)."
            ) from None
        self.templates = list(DutyTemplate.objects.filter(programme=self.lss, is_active=True))
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
        self.counts["duty checks"] = write_rows(DutyCheck, DUTY_CHECK_COLUMNS, self.duty_checks())
        self.step("writing duty checks", started)
        started = time.monotonic()
        self.create_client_records()
        self.create_training_and_collaboration()
        self.create_flag_history()
        _reset_sequences(data_models())
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
        persona = self.assistant(unit, Gender.WOMAN, status=Status.ACTIVE)
        sp = persona.sp
        sp.user = self.users[SUPPORT_USERNAME]
        sp.first_name, sp.last_name = "Anna", "Berglund"
        sp.protected_identity = ProtectedIdentity.NONE
        sp.recruited_on, sp.deactivated_on, sp.deactivation_reason = (
            self.today - timedelta(days=365 * 8),
            None,
            "",
        )
        sp.capacity = PERSONA_CLIENTS
        persona.pauses = []
        persona.changes = [(Status.ACTIVE, sp.recruited_on, "Utsedd till stödperson")]
        persona.reserved = True
        self.persona = persona
        self.pools[f"pa{unit.pk}"].append(persona)
        for pool in self.pools.values():
            self.members.extend(pool)

    def _status(self) -> str:
        return self.rng.choices(
            (Status.ACTIVE, Status.PAUSED, Status.INACTIVE, Status.APPLICANT),
            weights=(76, 4, 18, 2),
        )[0]

    def assistant(self, unit: Unit, gender: str, status: str | None = None) -> _Member:
        rng = self.rng
        first, last = self.name(gender)
        sp = SupportPerson(
            pk=self.pk(SupportPerson),
            programme=self.lss,
            unit=unit,
            first_name=first,
            last_name=last,
            gender=gender,
            birth_year=rng.randint(1962, 2002),
            locality_id=unit.locality_id,
            phone=f"070-174 06 {rng.randint(5, 99):02d}",
            status=status or self._status(),
            capacity=3 if rng.random() < 0.4 else 2,
        )
        languages = [self.languages["Svenska"]]
        if rng.random() < 0.1:
            languages.append(self.languages[rng.choice(("Finska", "Arabiska", "Engelska"))])
        member = _Member(sp=sp, languages=languages)
        self._lifecycle(member, applied_reason="", active_reason="Utsedd till stödperson")
        return member

    def volunteer(self, locality: str, gender: str) -> _Member:
        rng = self.rng
        languages = [self.languages["Svenska"]]
        if rng.random() < 0.5:
            languages.append(self.languages["Engelska"])
        extra = None
        if rng.random() < 0.22:
            extra = rng.choice((*WISHED_LANGUAGES, "Meänkieli", "Tyska", "Spanska"))
            languages.append(self.languages[extra])
        first, last = self.name(gender, extra)
        sp = SupportPerson(
            pk=self.pk(SupportPerson),
            programme=self.pc,
            first_name=first,
            last_name=last,
            gender=gender,
            birth_year=rng.randint(1948, 1998),
            locality=self.localities[locality],
            phone=f"070-174 06 {rng.randint(5, 99):02d}",
            email=f"stodperson{rng.randrange(10**6)}@example.org",
            status=self._status(),
            capacity=rng.choice((2, 3, 3, 4)),
        )
        if rng.random() < 0.015:
            sp.protected_identity = ProtectedIdentity.CONFIDENTIALITY_MARK
        member = _Member(sp=sp, languages=languages)
        self._lifecycle(
            member, applied_reason="Intresseanmälan", active_reason="Introduktion genomförd"
        )
        return member

    def _lifecycle(self, member: _Member, *, applied_reason: str, active_reason: str) -> None:
        """Dates and StatusChange steps that agree with the status today (as the demo)."""
        rng, sp, today, start = self.rng, member.sp, self.today, self.window_start
        if sp.status == Status.APPLICANT:
            member.changes.append(
                (Status.APPLICANT, today - timedelta(days=rng.randint(5, 50)), "Intresseanmälan")
            )
            return
        early = date(start.year - 12, 1, 1)
        if sp.status == Status.ACTIVE and rng.random() < 0.3:
            recruited = self.day_between(start, today - timedelta(days=30))
        elif sp.status == Status.INACTIVE and rng.random() < 0.2:
            recruited = self.day_between(start, today - timedelta(days=200))
        else:
            recruited = self.day_between(early, start - _ONE_DAY)
        sp.recruited_on = recruited
        if applied_reason:
            member.changes.append(
                (Status.APPLICANT, recruited - timedelta(days=rng.randint(14, 60)), applied_reason)
            )
        member.changes.append((Status.ACTIVE, recruited, active_reason))
        end = today
        if sp.status == Status.INACTIVE:
            end = self.day_between(
                max(recruited + timedelta(days=90), start - timedelta(days=120)),
                today - timedelta(days=5),
            )
            sp.deactivated_on = end
            sp.deactivation_reason = rng.choice(("Eget önskemål", "Flyttat", "Tidsbrist"))
        if sp.status == Status.PAUSED:
            paused = max(
                today - timedelta(days=rng.randint(15, 120)), recruited + timedelta(days=30)
            )
            member.pauses.append((paused, None))
            member.changes.append((Status.PAUSED, paused, "Föräldraledig"))
        elif rng.random() < 0.08:
            first = max(recruited, start) + timedelta(days=30)
            last = end - timedelta(days=60)
            if (last - first).days > 60:
                paused = self.day_between(first, last - timedelta(days=30))
                resumed = min(paused + timedelta(days=rng.randint(30, 150)), last)
                member.pauses.append((paused, resumed))
                member.changes.append((Status.PAUSED, paused, "Tjänstledig"))
                member.changes.append((Status.ACTIVE, resumed, "Åter efter uppehåll"))
        if sp.status == Status.INACTIVE:
            member.changes.append((Status.INACTIVE, end, sp.deactivation_reason))

    # ---- clients -----------------------------------------------------------------------

    def new_client(self, unit: Unit, *, started_on: date, born: tuple[int, int]) -> Client:
        rng = self.rng
        gender = Gender.WOMAN if rng.random() < 0.5 else Gender.MAN
        client = Client(pk=self.pk(Client), unit=unit, started_on=started_on)
        language = None
        if rng.random() < 0.08:
            language = rng.choice(WISHED_LANGUAGES)
            client.wished_language_id = self.languages[language]
        if rng.random() < 0.18:
            other = Gender.MAN if gender == Gender.WOMAN else Gender.WOMAN
            client.wished_gender = gender if rng.random() < 0.75 else other
        client.first_name, client.last_name = self.name(gender, language)
        if rng.random() < 0.95:
            birthday = self.day_between(date(born[0], 1, 1), date(born[1], 12, 31))
            client.personnummer = self.personnummer(birthday, gender)
        if rng.random() < 0.004:
            client.protected_identity = rng.choice(
                (
                    ProtectedIdentity.CONFIDENTIALITY_MARK,
                    ProtectedIdentity.PROTECTED_REGISTRATION,
                    ProtectedIdentity.FICTITIOUS_IDENTITY,
                )
            )
        return client

    def plan_pa_clients(self) -> None:
        rng, today, start = self.rng, self.today, self.window_start
        for i in range(self.size.pa_clients):
            unit = self.pa_units[i % len(self.pa_units)]
            manager_id = self.unit_manager[unit.pk]
            roll = rng.random()
            if roll < 0.005:
                # A new client, still in the grace period, without a support person yet.
                client = self.new_client(
                    unit, started_on=today - timedelta(days=rng.randint(2, 20)), born=(1950, 2008)
                )
                self.plans.append(_Plan(client, f"pa{unit.pk}", True, manager_id))
                continue
            if roll < 0.85:
                started = self.day_between(date(start.year - 14, 1, 1), start)
                first = max(
                    started + timedelta(days=rng.randint(3, 20)),
                    start - timedelta(days=rng.randint(0, 700)),
                )
            else:
                started = self.day_between(start, today - timedelta(days=40))
                first = started + timedelta(days=rng.randint(0, 14))
            client = self.new_client(unit, started_on=started, born=(1948, 2008))
            plan = _Plan(client, f"pa{unit.pk}", True, manager_id, first_start=first)
            if rng.random() < 0.08 and first < today - timedelta(days=120):
                client.ended_on = self.day_between(
                    max(first + timedelta(days=60), start), today - timedelta(days=10)
                )
                plan.chain_end = client.ended_on
            elif rng.random() < 0.01 and first < today - timedelta(days=120):
                # The support person left and nobody has taken over yet.
                plan.chain_end = today - timedelta(days=rng.randint(20, 90))
                plan.end_reason = EndReason.SUPPORT_PERSON_WISH
            last = plan.chain_end or today
            changes = rng.choices((0, 1, 2), weights=(76, 20, 4))[0]
            for _ in range(changes):
                if (last - max(first, start)).days > 90:
                    on = self.day_between(
                        max(first, start) + timedelta(days=30), last - timedelta(days=20)
                    )
                    reason = rng.choices(
                        (ChangeReason.CLIENT_WISH, ChangeReason.SUPPORT_PERSON_WISH, "other"),
                        weights=(5, 3, 2),
                    )[0]
                    plan.changes.append((on, reason))
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
            day = self.day_between(day, min(day + timedelta(days=6), today - _ONE_DAY))
            if not workdays.is_working_day(day) and rng.random() < 0.7:
                day = workdays.first_working_day_on_or_after(day)
                if day >= today:
                    day = today - _ONE_DAY
            self.plans.append(self.pc_plan(locality, day))
        last_working_day = today - _ONE_DAY
        while not workdays.is_working_day(last_working_day):
            last_working_day -= _ONE_DAY
        week_ago = today - timedelta(days=10)
        for locality, kind in waiting:
            day = last_working_day if kind == "open" else week_ago
            self.plans.append(self.pc_plan(locality, day, kind=kind))

    def pc_plan(self, locality: str, day: date, kind: str = "") -> _Plan:
        rng, today = self.rng, self.today
        unit = self.pc_units[locality]
        basis = rng.choices(
            (Client.LegalBasis.LPT, Client.LegalBasis.LRV, Client.LegalBasis.SML),
            weights=(75, 15, 10),
        )[0]
        client = self.new_client(unit, started_on=day, born=(1942, 2007))
        client.legal_basis = basis
        plan = _Plan(client, f"pc{locality}", False, self.admin.pk)
        if workdays.is_working_day(day) and rng.random() < 0.85:
            hour = rng.randint(8, 16)
        else:
            hour = rng.randint(9, 21)
        received = self.at(day, hour, rng.randrange(60))
        request = Request(
            pk=self.pk(Request),
            client=client,
            received_at=received,
            source=rng.choices([s for s, _ in Request.Source.choices], weights=(55, 35, 6, 4))[0],
            wished_gender=client.wished_gender,
            wished_language_id=client.wished_language_id,
            registered_by=rng.choice([self.admin, *self.office]),
        )
        plan.request = request
        if kind in ("open", "open_late"):
            return plan
        if kind == "paused":
            paused = workdays.add_working_days(day, 1)
            request.delay_excused = True
            request.late_reason = "Patienten kunde inte ta ställning."
            self.pauses.append(
                RequestPause(
                    pk=self.pk(RequestPause),
                    request=request,
                    started_on=paused,
                    reason="Patienten kan inte ta ställning",
                )
            )
            return plan
        waiting = workdays.working_days_elapsed(day, today)
        if waiting <= 2 and rng.random() < 0.6:
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
            appointed = workdays.add_working_days(day, 1 if hour >= 15 else rng.randint(0, 1))
        elif kind == "normal":
            appointed = workdays.add_working_days(day, rng.randint(2, 3))
        elif kind == "late":
            appointed = workdays.add_working_days(day, rng.randint(4, 6))
            request.late_reason = "Den tillfrågade stödpersonen tackade nej."
        else:
            paused = workdays.add_working_days(day, 1)
            resumed_on = workdays.add_working_days(paused, rng.randint(3, 7))
            appointed = workdays.add_working_days(resumed_on, rng.randint(0, 1))
            resumed: date | None = resumed_on
            if appointed > today:
                resumed, appointed = None, today + _ONE_DAY
            request.late_reason = "Patienten kunde inte ta ställning."
            request.delay_excused = True
            if paused <= today:
                self.pauses.append(
                    RequestPause(
                        pk=self.pk(RequestPause),
                        request=request,
                        started_on=paused,
                        ended_on=resumed,
                        reason="Patienten kan inte ta ställning",
                    )
                )
        if appointed > today:
            return plan
        plan.first_start = appointed
        if basis == Client.LegalBasis.LRV:
            days = rng.randint(120, 900)
        elif basis == Client.LegalBasis.SML:
            days = rng.randint(14, 90)
        else:
            short, medium, long = rng.randint(14, 60), rng.randint(60, 150), rng.randint(150, 400)
            days = rng.choice((short, short, medium, long))
        end = appointed + timedelta(days=days)
        if end <= today:
            plan.chain_end = client.ended_on = end
            if rng.random() < 0.85:
                plan.end_reason = EndReason.CARE_ENDED
                care_ended = end - timedelta(days=rng.randint(0, 14))
                client.compulsory_care_ended_on = max(care_ended, client.started_on)
            else:
                plan.end_reason = EndReason.CLIENT_WISH
        elif basis == Client.LegalBasis.LPT and rng.random() < 0.03:
            # Care ended, the assignment runs on (rule 6): some within four weeks, some not.
            client.compulsory_care_ended_on = max(
                today - timedelta(days=rng.randint(3, 70)), appointed
            )
        if rng.random() < 0.04 and (end - appointed).days > 40:
            on = appointed + timedelta(days=rng.randint(10, (end - appointed).days - 10))
            if on < today:
                plan.changes.append((on, ChangeReason.CLIENT_WISH))
        return plan

    # ---- assignments -------------------------------------------------------------------

    def allocate(self) -> None:
        """Walk through time as the demo does, choosing a support person each time one is
        needed, so no one is given a client while inactive or paused."""
        queue: list[tuple[date, int, _Plan, Assignment | None, str]] = []
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
            decided = self.at(start, self.rng.randint(9, 15), self.rng.randrange(60))
            if previous is None and plan.request is not None:
                decided = max(decided, min(plan.request.received_at + timedelta(hours=1), self.now))
            assignment = Assignment(
                pk=self.pk(Assignment),
                client=plan.client,
                support_person=member.sp,
                request=plan.request if previous is None else None,
                started_on=start,
                ended_on=end,
                end_reason=end_reason if end is not None else "",
                decided_by_id=plan.manager_id,
                decided_at=decided,
            )
            member.intervals.append((start, end))
            plan.assignments.append(assignment)
            if previous is not None and plan.personal_assistance:
                self.changes.append(self.change(plan, previous, assignment, change_reason))
            if next_reason and end is not None:
                gap = 0 if plan.personal_assistance else self.rng.choice((0, 0, 1, 2))
                heapq.heappush(
                    queue, (end + timedelta(days=gap), next(counter), plan, assignment, next_reason)
                )

    def choose(self, plan: _Plan, start: date, previous: Assignment | None) -> _Member | None:
        preferred = plan.preferred
        if preferred is not None and preferred.available_on(start):
            return preferred
        rng = self.rng
        pool = self.pools[plan.pool]
        excluded = previous.support_person if previous is not None else None

        def usable(m: _Member) -> bool:
            return not m.reserved and m.sp is not excluded and m.available_on(start)

        # A handful of candidates, as a manager asks around; everyone only when none fits.
        sample = [m for m in rng.sample(pool, min(8, len(pool))) if usable(m)]
        free = [m for m in sample if m.load_on(start) < m.sp.capacity]
        if not free:
            everyone = [m for m in pool if usable(m)]
            free = [m for m in everyone if m.load_on(start) < m.sp.capacity]
            sample = free or everyone
        candidates = free or sample
        if not candidates:
            return None
        client = plan.client

        def fit(member: _Member) -> float:
            score = rng.random()
            if client.wished_gender and member.sp.gender == client.wished_gender:
                score += 3
            if client.wished_language_id and client.wished_language_id in member.languages:
                score += 4
            return score - 0.7 * member.load_on(start)

        chosen = max(candidates, key=fit)
        # Everyone was full: the manager asked someone to take one more.
        chosen.sp.capacity = max(chosen.sp.capacity, chosen.load_on(start) + 1)
        return chosen

    def change(
        self, plan: _Plan, previous: Assignment, successor: Assignment, reason: str
    ) -> SupportPersonChange:
        rng = self.rng
        on = successor.started_on
        informed = max(on - timedelta(days=rng.randint(2, 21)), previous.started_on)
        return SupportPersonChange(
            pk=self.pk(SupportPersonChange),
            previous=previous,
            successor=successor,
            reason=reason,
            client_informed_on=informed,
            relatives_informed_on=informed if rng.random() < 0.5 else None,
            decided_by_id=plan.manager_id,
            created_at=self.at(on, 10),
        )

    # ---- saving ------------------------------------------------------------------------

    def save_core(self) -> None:
        sps = [m.sp for m in self.members]
        for sp in sps:
            sp.search_name = sp.derived_search_name()
        self.counts["support persons"] = write_objects(SupportPerson, sps)
        through = SupportPerson.languages.through
        write_rows(
            through,
            ["id", "supportperson_id", "language_id"],
            (
                (self.pk(through), m.sp.pk, language)
                for m in self.members
                for language in dict.fromkeys(m.languages)
            ),
        )
        self.counts["status changes"] = write_objects(
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
        self.counts["clients"] = write_objects(Client, clients)
        requests = [p.request for p in self.plans if p.request is not None]
        self.counts["requests"] = write_objects(Request, requests)
        write_objects(RequestPause, self.pauses)
        assignments = [a for p in self.plans for a in p.assignments]
        self.counts["assignments"] = write_objects(Assignment, assignments)
        write_objects(SupportPersonChange, self.changes)
        for model, rows in (
            (SupportPerson, sps),
            (Client, clients),
            (Request, requests),
            (Assignment, assignments),
        ):
            model.history.bulk_history_create(  # type: ignore[attr-defined]
                rows,
                batch_size=2000,
                default_user=self.admin,
                default_change_reason=CHANGE_REASON,
                default_date=self.now,
            )
        self.assignments = assignments

    def duty_checks(self) -> Iterator[tuple]:
        """Three years of ticks on the personal-assistance checklists: documentation most
        months, the plan and the other yearly duties about once a year, the ongoing duties
        a couple of times a month."""
        rng, today = self.rng, self.today
        by_code = {t.code: t for t in self.templates if t.code}
        documentation = by_code.get(DutyTemplate.Code.DOCUMENTATION)
        plan_template = by_code.get(DutyTemplate.Code.IMPLEMENTATION_PLAN)
        yearly = [t for t in self.templates if not t.code and t.interval_months == 12]
        ongoing = [t.pk for t in self.templates if t.interval_months is None]
        this_month = today.replace(day=1)
        last_month = (this_month - _ONE_DAY).replace(day=1)
        persona_sp = self.persona.sp
        persona_user = self.users[SUPPORT_USERNAME].pk
        next_id = self.pk(DutyCheck)

        for plan in self.plans:
            if not plan.personal_assistance:
                continue
            for assignment in plan.assignments:
                last = assignment.ended_on - _ONE_DAY if assignment.ended_on else today
                current = assignment.ended_on is None
                by = persona_user if assignment.support_person is persona_sp else plan.manager_id
                ticks: list[tuple[int, date]] = []
                first = max(assignment.started_on, self.window_start)
                for month in month_starts(first, last):
                    first_day = max(month, assignment.started_on)
                    last_day = min(last_day_of_month(month), last)
                    if documentation is not None:
                        lapsed = plan.documentation_lapsed and current and month >= last_month
                        skip = lapsed or rng.random() < 0.06
                        if month == this_month and rng.random() < 0.4:
                            skip = True
                        if not skip:
                            ticks.append((documentation.pk, self.day_between(first_day, last_day)))
                    for _ in range(rng.choice((1, 2, 2, 3)) if ongoing else 0):
                        ticks.append((rng.choice(ongoing), self.day_between(first_day, last_day)))
                for template in (plan_template, *yearly):
                    if template is None:
                        continue
                    on = assignment.started_on + timedelta(days=rng.randint(7, 28))
                    while on <= last:
                        keep = on >= self.window_start - timedelta(days=365)
                        if template is plan_template:
                            if plan.overdue_plan and current and on >= today - timedelta(days=380):
                                keep = False
                        elif rng.random() >= 0.7:
                            keep = False
                        if keep:
                            ticks.append((template.pk, on))
                        on += timedelta(days=rng.randint(320, 364))
                for template_id, on in ticks:
                    created = self.at(on, rng.randint(13, 17), rng.randrange(60))
                    withdrawn = rng.random() < 0.005
                    yield (
                        next_id,
                        assignment.pk,
                        template_id,
                        on,
                        "",
                        by,
                        created,
                        created + timedelta(minutes=10) if withdrawn else None,
                        by if withdrawn else None,
                    )
                    next_id += 1
        self.next_id[DutyCheck] = next_id

    def create_client_records(self) -> None:
        rng, today = self.rng, self.today
        contacts: list[Contact] = []
        consents: list[Consent] = []
        measures: list[RiskMeasure] = []
        deviations: list[Deviation] = []
        follow_ups: list[SatisfactionFollowUp] = []
        for plan in self.plans:
            if not plan.personal_assistance:
                continue
            client = plan.client
            end = client.ended_on or today
            roles = [Contact.Role.RELATIVE] * rng.randint(0, 2)
            if rng.random() < 0.43:
                roles.append(Contact.Role.GOOD_MAN)
            if rng.random() < 0.5:
                roles.append(Contact.Role.CASE_OFFICER)
            for role in roles:
                contacts.append(
                    Contact(
                        pk=self.pk(Contact),
                        client=client,
                        role=role,
                        name=" ".join(self.name(rng.choice((Gender.WOMAN, Gender.MAN)))),
                        phone=f"070-174 06 {rng.randint(5, 99):02d}",
                    )
                )
            for purpose in ("Samverkan med hälso- och sjukvården", "Kontakt med närstående")[
                : rng.randint(1, 2)
            ]:
                if client.ended_on is None and rng.random() < 0.1:
                    given = today - timedelta(days=rng.randint(370, 480))
                else:
                    given = today - timedelta(days=rng.randint(20, 330))
                given = min(max(given, client.started_on), end)
                consent = Consent(
                    pk=self.pk(Consent),
                    client=client,
                    purpose=purpose,
                    given_on=given,
                    review_on=given + timedelta(days=365),
                )
                if client.ended_on is None and rng.random() < 0.01:
                    consent.withdrawn_on = max(today - timedelta(days=20), given)
                consents.append(consent)
            if client.ended_on is None and rng.random() < 0.55:
                for kind, description in rng.sample(RISKS, rng.randint(1, 2)):
                    decided = self.day_between(
                        max(client.started_on, today - timedelta(days=700)),
                        today - timedelta(days=30),
                    )
                    measure = RiskMeasure(
                        pk=self.pk(RiskMeasure),
                        client=client,
                        kind=kind,
                        description=description,
                        decided_on=decided,
                    )
                    if rng.random() < 0.15:
                        measure.ended_on = self.day_between(decided, today - _ONE_DAY)
                    elif rng.random() < 0.2:
                        measure.follow_up_on = today - timedelta(days=rng.randint(5, 90))
                    else:
                        measure.follow_up_on = today + timedelta(days=rng.randint(10, 170))
                    measures.append(measure)
            if rng.random() < 0.45:
                for _ in range(rng.randint(1, 2)):
                    deviations.append(self.deviation(plan))
            current = next((a for a in plan.assignments if a.ended_on is None), None)
            if current is not None and rng.random() < 0.3:
                on = self.day_between(max(current.started_on, today - timedelta(days=365)), today)
                outcome = rng.choices(
                    [o for o, _ in SatisfactionFollowUp.Outcome.choices], weights=(80, 15, 5)
                )[0]
                follow_ups.append(
                    SatisfactionFollowUp(
                        pk=self.pk(SatisfactionFollowUp),
                        assignment=current,
                        on=on,
                        outcome=outcome,
                        recorded_by_id=plan.manager_id,
                        handled_at=(
                            self.at(on, 15)
                            if outcome == "wants_change" and rng.random() < 0.5
                            else None
                        ),
                    )
                )
        self.counts["contacts"] = write_objects(Contact, contacts)
        self.counts["consents"] = write_objects(Consent, consents)
        self.counts["risk measures"] = write_objects(RiskMeasure, measures)
        self.counts["deviations"] = write_objects(Deviation, deviations)
        write_objects(SatisfactionFollowUp, follow_ups)

    def deviation(self, plan: _Plan) -> Deviation:
        rng, today = self.rng, self.today
        client = plan.client
        occurred = self.day_between(
            max(client.started_on, self.window_start), client.ended_on or today
        )
        category = rng.choices(list(DEVIATIONS), weights=(60, 28, 12))[0]
        age = (today - occurred).days
        if age < 14:
            status = rng.choice((Deviation.Status.OPEN, Deviation.Status.HANDLING))
        elif age < 60:
            status = rng.choices(
                (Deviation.Status.CLOSED, Deviation.Status.HANDLING, Deviation.Status.OPEN),
                weights=(5, 3, 2),
            )[0]
        else:
            status = Deviation.Status.CLOSED if rng.random() < 0.95 else Deviation.Status.HANDLING
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
        if status != Deviation.Status.OPEN:
            deviation.measures = rng.choice(DEVIATION_MEASURES)
        if status == Deviation.Status.CLOSED:
            deviation.closed_on = min(occurred + timedelta(days=rng.randint(2, 45)), today)
        return deviation

    def create_training_and_collaboration(self) -> None:
        """Per locality: evening meetings in February and December and an information
        evening in September; a training weekend and two introductions a year."""
        rng, today = self.rng, self.today
        kind = TrainingEvent.Kind
        volunteers = [m for m in self.members if m.sp.programme_id == self.pc.pk]
        by_locality: dict[int, list[_Member]] = defaultdict(list)
        for member in volunteers:
            by_locality[member.sp.locality_id].append(member)
        events: list[TrainingEvent] = []
        registrations: list[Registration] = []
        localities = list(self.localities.values())
        for year in range(self.window_start.year, today.year + 1):
            specs: list[tuple[str, str, Locality, date, int]] = [
                (kind.TRAINING_WEEKEND, "Utbildningshelg", localities[0], date(year, 4, 20), 15),
                (kind.INTRODUCTION, "Introduktionsutbildning", localities[0], date(year, 3, 9), 0),
                (kind.INTRODUCTION, "Introduktionsutbildning", localities[0], date(year, 10, 9), 0),
            ]
            for locality in localities:
                specs += [
                    (kind.EVENING_MEETING, "Kvällsmöte", locality, date(year, 2, 10), 5),
                    (kind.INFORMATION_EVENING, "Informationskväll", locality, date(year, 9, 5), 5),
                    (kind.EVENING_MEETING, "Kvällsmöte", locality, date(year, 12, 3), 5),
                ]
            for event_kind, title, locality, on, minimum in specs:
                if not self.window_start <= on <= today + timedelta(days=120):
                    continue
                event = TrainingEvent(
                    pk=self.pk(TrainingEvent),
                    programme=self.pc,
                    kind=event_kind,
                    title=title,
                    locality=locality,
                    on=on,
                    min_registrations=minimum,
                )
                pool = (
                    volunteers
                    if event_kind in (kind.TRAINING_WEEKEND, kind.INTRODUCTION)
                    else by_locality[locality.pk]
                )
                pool = [m for m in pool if m.available_on(min(on, today))]
                count = min(len(pool), rng.randint(4, 25))
                held = on < today
                if on >= today:
                    event.status = TrainingEvent.Status.PLANNED
                elif count < minimum or rng.random() < 0.08:
                    event.status = TrainingEvent.Status.CANCELLED
                    event.cancel_reason = "För få anmälda"
                    held = False
                else:
                    event.status = TrainingEvent.Status.HELD
                events.append(event)
                for member in rng.sample(pool, count):
                    registrations.append(
                        Registration(
                            pk=self.pk(Registration),
                            event=event,
                            support_person=member.sp,
                            registered_on=min(on - timedelta(days=rng.randint(3, 25)), today),
                            attended=(rng.random() < 0.85) if held else None,
                        )
                    )
        self.counts["training events"] = write_objects(TrainingEvent, events)
        self.counts["registrations"] = write_objects(Registration, registrations)
        forums = ("Myndighetssamverkan", "Regionala stödpersonsgruppen", "Frivilligdagen")
        activities = [
            CollaborationActivity(
                pk=self.pk(CollaborationActivity),
                programme=self.pc,
                on=on,
                forum=forums[i % len(forums)],
            )
            for i, on in enumerate(
                self.window_start + timedelta(days=d) for d in range(10, 365 * YEARS, 45)
            )
        ]
        write_objects(CollaborationActivity, activities)

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
        next_id = self.pk(Flag)
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
DUTY_CHECK_COLUMNS = [
    "id",
    "assignment_id",
    "template_id",
    "done_on",
    "note",
    "by_id",
    "created_at",
    "withdrawn_at",
    "withdrawn_by_id",
]


def last_complete_tertial(today: date) -> Tertial:
    return Tertial.of(today).previous()


def seed_scale(
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
        raise ScaleError("Use at least 10 clients.")
    today = today or timezone.localdate()
    if holds_data():
        if not reset:
            raise ScaleError(
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
