"""What every size of the synthetic data shares: the profile of a size, a support person and
a client in the making (`Member`, `Plan`), and the build's state and small helpers.

The builders per domain (people.py, clients.py, allocation.py, duties.py, records.py,
training.py) are mixins of `Build`; small.py (the demo) and scale.py (a region, the nation,
or an exact number of clients for the benchmark) put them together with their own units,
logins and storyline. Where the sizes differ on purpose, the `Profile` says how: the large
sizes sample the pool, write rows with preset keys in one statement per table and leave
out the demo's scoring, notes and informed parties.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TypeVar

from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone

from assignments.models import Assignment, RequestPause, SupportPersonChange, SupportRequest
from clients.models import Client, Language, Locality, Programme
from supportpersons.models import SupportPerson

from .names import random_name
from .writing import write_objects

PERSONAL_ASSISTANCE = "personlig-assistans"
PATIENT_COMMITTEE = "patientnamnden"
EndReason = Assignment.EndReason
ONE_DAY = timedelta(days=1)
T = TypeVar("T")


class DemoError(Exception):
    """The database is not ready for the data (the programmes are missing, or it holds data
    already and the large sizes were not told to reset it)."""


@dataclass(frozen=True)
class Career:
    """The words of a support person's course: why they started, paused and stopped."""

    applied_reason: str  # "" when there is no application (assistants are appointed)
    active_reason: str
    pause_reasons: tuple[str, ...]  # a pause that goes on today
    past_pause_reasons: tuple[str, ...]
    inactive_reasons: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    """How a size builds its data, where the demo and the large sizes differ on purpose."""

    window_days: int  # the dated history ends today and begins this many days earlier
    history_lead_days: int  # past pauses (and the demo's requests) may begin this much earlier
    preset_keys: bool  # primary keys chosen in Python, rows written in one statement a table
    unique_names: bool  # no two people share a name (the demo's people are looked at)
    phones_in_series: bool  # 070-174 06 05, 06, ... in turn; else drawn
    emails_from_names: bool  # a volunteer's address from the name; else a drawn number
    birthday_always: bool  # a birthday is drawn for every client, not only with a personnummer
    protected_chance: float  # clients drawn as protected (the demo chooses four by hand)
    pa_career: Career
    pc_career: Career
    leaver_chance: float  # an inactive person recruited within the window ...
    leaver_from_days: int  # ... from this many days before the window ...
    leaver_until_days: int  # ... to this many days before today
    past_pause_chance: float
    assistant_capacity: tuple[float, int, int]  # (chance, capacity, else capacity)
    volunteer_capacities: tuple[int, ...]
    weekend_hours: tuple[int, int]  # when a request comes in on a day off
    evening_hours: tuple[int, int]  # when one in seven on a working day comes in
    open_received_at: tuple[int, int] | None  # the waiting requests' hour and minute
    fresh_wait_chance: float  # a request at most two working days old still waits
    care_ended_chance: float  # compulsory care ended while the assignment runs on
    late_reasons: tuple[str, ...]
    short_of_men: str  # where a request for a man is late for want of men ("" nowhere)
    excused_reason: str
    pause_reason: str
    candidate_sample: int  # a manager asks this many around (0: the whole pool is scored)
    score_availability: bool  # prefer someone who will not stop soon
    informed_parties: bool  # a change records the good man, relatives and case officer
    decision_lag_drawn: bool  # a first decision before the request: 1-3 hours after it
    ongoing_ticks_monthly: bool  # ongoing duties ticked every month, not only lately
    withdrawn_tick_chance: float
    history_reason: str  # the change reason of the "created" history rows


# A language as the builders keep it: its id.
@dataclass(eq=False)
class Member:
    """A support person in the making, with what the allocation needs to know."""

    sp: SupportPerson
    languages: list[int]
    pauses: list[tuple[date, date | None]] = field(default_factory=list)
    changes: list[tuple[str, date, str]] = field(default_factory=list)
    reserved: bool = False  # assigned only to the clients a plan names it for
    intervals: list[tuple[date, date | None]] = field(default_factory=list)

    def available_on(self, day: date) -> bool:
        if not self.sp.is_active_on(day):
            return False
        return not any(
            begin <= day and (resume is None or day < resume) for begin, resume in self.pauses
        )

    def available_until(self, day: date) -> date | None:
        """The first day after `day` on which the person stops taking clients."""
        ends = [begin for begin, _ in self.pauses if begin > day]
        if self.sp.deactivated_on is not None:
            ends.append(self.sp.deactivated_on)
        return min(ends, default=None)

    def load_on(self, day: date) -> int:
        return sum(1 for s, e in self.intervals if s <= day and (e is None or day < e))


@dataclass(eq=False)
class Plan:
    """A client and the course of their assignments, before any support person is chosen."""

    client: Client
    pool: str
    personal_assistance: bool
    manager_id: int  # decides the assignments and reports the deviations
    first_start: date | None = None
    chain_end: date | None = None  # the last assignment ends here; None: still going
    end_reason: str = EndReason.CARE_ENDED
    changes: list[tuple[date, str]] = field(default_factory=list)  # planned changes
    request: SupportRequest | None = None
    preferred: Member | None = None
    preferred_from: date = date.min
    parties_drawn: bool = False
    has_good_man: bool = False
    has_relatives: bool = False
    has_case_officer: bool = False
    overdue_plan: bool = False
    documentation_lapsed: bool = False
    assignments: list[Assignment] = field(default_factory=list)


class Build:
    """The state of one build and the helpers every domain's builder uses."""

    lss: Programme
    pc: Programme
    localities: dict[str, Locality]
    admin: User
    registrar_ids: Sequence[int]  # who registers the requests

    def __init__(self, *, profile: Profile, today: date, seed: int) -> None:
        self.profile = profile
        self.rng = random.Random(seed)
        self.today = today
        self.now = timezone.now()
        self.window_start = today - timedelta(days=profile.window_days)
        self.history_from = self.window_start - timedelta(days=profile.history_lead_days)
        self.used_names: set[str] = set()
        self.phone_numbers = itertools.cycle(range(5, 100))
        self.midnights: dict[date, datetime] = {}
        self.next_id: dict[type[models.Model], int] = {}
        self.counts: dict[str, int] = {}
        self.languages: dict[str, int] = {}
        self.pools: dict[str, list[Member]] = {}
        self.members: list[Member] = []
        self.plans: list[Plan] = []
        self.pauses: list[RequestPause] = []
        self.changes: list[SupportPersonChange] = []

    @property
    def admin_id(self) -> int:
        return self.admin.pk

    def load_programmes(self) -> None:
        try:
            self.lss = Programme.objects.get(slug=PERSONAL_ASSISTANCE)
            self.pc = Programme.objects.get(slug=PATIENT_COMMITTEE)
        except Programme.DoesNotExist:
            raise DemoError(
                "Verksamheterna saknas; kör `manage.py migrate` först (datamigreringen "
                "assignments 0002 skapar dem)."
            ) from None

    def load_languages(self, names: Sequence[str]) -> None:
        for name in names:
            self.languages[name] = Language.objects.get_or_create(name=name)[0].pk

    # ---- keys and writing ------------------------------------------------------------

    def pk(self, model: type[models.Model]) -> int | None:
        """The next primary key of the table when keys are preset; else None (the database
        chooses)."""
        if not self.profile.preset_keys:
            return None
        if model not in self.next_id:
            last = model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
            self.next_id[model] = last + 1
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def store(self, model: type[models.Model], objects: Sequence[models.Model]) -> int:
        """Write the rows: one statement with their preset keys, or bulk_create (which
        stamps auto_now_add fields with the time of the load)."""
        if self.profile.preset_keys:
            return write_objects(model, objects)
        model._default_manager.bulk_create(objects)
        return len(objects)

    # ---- drawing -----------------------------------------------------------------------

    def pick(self, options: Sequence[T]) -> T:
        """One of the options; a single option is taken without a draw."""
        return options[0] if len(options) == 1 else self.rng.choice(options)

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
        """An aware local datetime, never later than now."""
        return min(self.midnight(day) + timedelta(hours=hour, minutes=minute), self.now)

    def name(self, gender: str, language: str | None = None) -> tuple[str, str]:
        """A name; with `unique_names`, one no one else in the data has."""
        if not self.profile.unique_names:
            return random_name(self.rng, gender, language)
        for _ in range(200):
            first, last = random_name(self.rng, gender, language)
            if f"{first} {last}" not in self.used_names:
                self.used_names.add(f"{first} {last}")
                return first, last
        raise DemoError("Slut på namn")

    def phone(self) -> str:
        # PTS keeps 070-174 06 05 to 070-174 06 99 for fiction: never a real subscriber.
        number = next(self.phone_numbers) if self.profile.phones_in_series else None
        return f"070-174 06 {number or self.rng.randint(5, 99):02d}"
