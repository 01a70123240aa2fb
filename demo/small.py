"""Demo data for both programmes, so that every screen has something to show.

`manage.py seed_demo` calls `demo_create()`. Two years of dated history end today: a
patient committee with its volunteer pool in Umeå and Skellefteå (shaped after the seed
report "Rapport stödpersonsverksamheten T3 2022": about 35 active support persons in Umeå
and 15 in Skellefteå, too few men in Skellefteå, most requests answered within a day), and
personal-assistance units whose assistants are their clients' support persons (the routine
"Stödperson uppdrag på personlig assistans").

Names come from fixed lists and all choices from `random.Random(2026)`, so two runs on the
same day give the same data. Phone numbers are from the series PTS keeps for fiction
(070-174 06 05 to 070-174 06 99) and e-mail addresses use the reserved example.org domain.
Big tables are written with bulk_create; the four tables with django-simple-history get one
"created" history row each, dated when the demo was loaded (the dated lifecycle lives in
the models' own date fields, not in the audit history).

`manage.py seed_scale` (benchmarks/scale.py) builds the same kind of data at the size of a
region and shares the pieces that must agree: the names, the personnummer, a support person
in the making (`Member`) and where an assignment of a client's chain ends (`assignment_end`).
"""

from __future__ import annotations

import heapq
import itertools
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from assignments import workdays
from assignments.models import (
    Assignment,
    DutyCheck,
    DutyTemplate,
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
from reports.services import report_create, report_finalise
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

SEED = 2026
PERSONAL_ASSISTANCE = "personlig-assistans"
PATIENT_COMMITTEE = "patientnamnden"
# The demo is there when this unit is: a second run creates nothing.
MARKER_UNIT = "Patientnämnden Umeå"

ADMIN_PASSWORD = "demo-Admin-2026"
MANAGER_PASSWORD = "demo-Chef-2026"
SUPPORT_PERSON_PASSWORD = "demo-Stod-2026"

PAUSE_REASON = "Patienten kan inte ta ställning på grund av sitt hälsotillstånd"
CANCEL_REASON = "För få anmälda"
AUTHORITIES_NOTE = "Samverkan med psykiatrin, polisen och kommunernas socialtjänst."
REGIONAL_GROUP = "Regionala stödpersonsgruppen (de fyra norra regionerna)"
NATIONAL_NOTE = "Formerna för ett nationellt erfarenhetsutbyte är ännu inte fastställda."

Status = SupportPerson.Status
EndReason = Assignment.EndReason
ChangeReason = SupportPersonChange.Reason


class DemoError(Exception):
    """The database is not ready for the demo (e.g. the programmes are missing)."""


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    first_name: str
    last_name: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin", ADMIN_PASSWORD, "Administratör (även Django-admin)", "Helena", "Burman"),
    DemoLogin(
        "chef.centrum",
        MANAGER_PASSWORD,
        "Enhetschef, Assistansgruppen Centrum",
        "Maria",
        "Lundmark",
    ),
    DemoLogin(
        "chef.ersboda",
        MANAGER_PASSWORD,
        "Enhetschef, Assistansgruppen Ersboda",
        "Jonas",
        "Marklund",
    ),
    DemoLogin(
        "chef.skelleftea",
        MANAGER_PASSWORD,
        "Enhetschef, Assistansgruppen Skellefteå och Morö Backe",
        "Petra",
        "Öhman",
    ),
    DemoLogin(
        "chef.patientnamnden",
        MANAGER_PASSWORD,
        "Enhetschef, Patientnämnden Umeå och Skellefteå",
        "Lars",
        "Granström",
    ),
    DemoLogin(
        "stod.anna",
        SUPPORT_PERSON_PASSWORD,
        "Stödperson (personlig assistent), Assistansgruppen Centrum",
        "Anna",
        "Berglund",
    ),
    DemoLogin(
        "stod.erik",
        SUPPORT_PERSON_PASSWORD,
        "Stödperson (frivillig), Patientnämnden Umeå",
        "Erik",
        "Nordlund",
    ),
)

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

LANGUAGES = (
    "Svenska",
    "Engelska",
    "Arabiska",
    "Finska",
    "Somaliska",
    "Persiska",
    "Nordsamiska",
    "Tigrinja",
    "Meänkieli",
    "Tyska",
    "Spanska",
)
WISHED_LANGUAGES = ("Arabiska", "Somaliska", "Persiska", "Finska", "Tigrinja", "Nordsamiska")

WOMEN = (
    "Anna", "Maria", "Karin", "Sara", "Emma", "Elin", "Johanna", "Linnea", "Kristina", "Lena",
    "Eva", "Ingrid", "Sofia", "Hanna", "Ida", "Malin", "Jenny", "Camilla", "Helena", "Ulrika",
    "Annika", "Birgitta", "Margareta", "Elisabeth", "Marie", "Louise", "Frida", "Matilda",
    "Julia", "Ebba", "Agnes", "Alva", "Maja", "Astrid", "Klara", "Lisa", "Therese", "Jessica",
    "Sandra", "Susanne", "Gunilla", "Monica", "Anneli", "Åsa", "Märta", "Siv", "Britt",
    "Inger", "Ylva", "Cecilia", "Tove", "Stina", "Elsa", "Wilma", "Saga", "Signe",
)  # fmt: skip
MEN = (
    "Erik", "Lars", "Karl", "Anders", "Johan", "Per", "Nils", "Mikael", "Jan", "Hans", "Peter",
    "Olof", "Gustav", "Lennart", "Magnus", "Fredrik", "Daniel", "Mattias", "Henrik", "Jonas",
    "Stefan", "Andreas", "Niklas", "Tobias", "Oskar", "Axel", "Viktor", "Emil", "Filip",
    "Anton", "Linus", "Simon", "Björn", "Göran", "Kjell", "Bengt", "Åke", "Sven", "Ulf",
    "Rolf", "Tomas", "Patrik", "Sebastian", "Jesper", "Robin", "Joakim", "Pontus", "Leif",
    "Torbjörn", "Håkan", "Arvid", "Hugo", "Elias", "Albin",
)  # fmt: skip
LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
    "Lindberg", "Magnusson", "Olofsson", "Lindström", "Lindqvist", "Lindgren", "Berg",
    "Bergström", "Lundberg", "Lundgren", "Lundqvist", "Mattsson", "Berglund", "Sandberg",
    "Forsberg", "Sjöberg", "Wallin", "Engström", "Eklund", "Lundin", "Björk", "Bergman",
    "Holm", "Wikström", "Isaksson", "Nyström", "Holmberg", "Löfgren", "Söderberg", "Nyberg",
    "Blomqvist", "Nordström", "Lundström", "Viklund", "Björklund", "Eliasson", "Sandström",
    "Nordin", "Ström", "Åberg", "Ekström", "Holmgren", "Hedlund", "Sundberg", "Öberg",
    "Strömberg", "Lindholm", "Lundmark", "Marklund", "Öhman", "Granström", "Nordlund",
    "Renström", "Holmlund", "Lidström", "Nyman", "Forslund", "Lindmark", "Stenlund",
    "Boström", "Vikström", "Holmström", "Wiklund", "Hedström", "Sundström", "Backman",
    "Brännström", "Burström", "Burman", "Lundkvist", "Åström", "Sehlstedt", "Granlund",
)  # fmt: skip
# Names for clients who wish for, and support persons who speak, another language:
# (women, men, last names).
NAMES_BY_LANGUAGE: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "Arabiska": (
        ("Fatima", "Amira", "Layla", "Noor", "Rania"),
        ("Ahmad", "Omar", "Khaled", "Hassan", "Yousef"),
        ("Haddad", "Khalil", "Mansour", "Saleh", "Ibrahim"),
    ),
    "Somaliska": (
        ("Hodan", "Fadumo", "Sahra", "Ayaan", "Hawa"),
        ("Abdi", "Mohamed", "Abdirahman", "Farah", "Yusuf"),
        ("Warsame", "Abdullahi", "Osman", "Hussein", "Jama"),
    ),
    "Persiska": (
        ("Shirin", "Maryam", "Parisa", "Leila", "Nasrin"),
        ("Reza", "Ali", "Mehdi", "Amir", "Dariush"),
        ("Ahmadi", "Karimi", "Hosseini", "Rahimi", "Rostami"),
    ),
    "Finska": (
        ("Aila", "Marjatta", "Päivi", "Tuula", "Sirpa"),
        ("Pekka", "Jukka", "Matti", "Kari", "Timo"),
        ("Niemi", "Heikkinen", "Virtanen", "Mäkinen", "Koskinen"),
    ),
    "Tigrinja": (
        ("Selam", "Senait", "Mebrat", "Rahel", "Hiwet"),
        ("Yonas", "Dawit", "Tesfay", "Filmon", "Robel"),
        ("Tesfaye", "Gebremedhin", "Haile", "Kidane", "Berhane"),
    ),
    "Nordsamiska": (
        ("Máret", "Elle", "Ristin", "Ánne", "Inga"),
        ("Ánte", "Niillas", "Jovnna", "Áslat", "Mikkel"),
        ("Labba", "Utsi", "Kuhmunen", "Pavval", "Omma"),
    ),
    "Engelska": (
        ("Emily", "Rachel", "Claire", "Hannah", "Laura"),
        ("James", "David", "Thomas", "Michael", "Daniel"),
        ("Smith", "Taylor", "Brown", "Wilson", "Walker"),
    ),
}

PC_INACTIVE_REASONS = (
    "Eget önskemål",
    "Flyttat från orten",
    "Tidsbrist",
    "Hälsoskäl",
    "Anställd inom psykiatrin (jäv)",
)
PC_PAUSE_REASONS = (
    "Föräldraledighet",
    "Egen sjukdom",
    "Tillfälligt uppehåll på egen begäran",
    "Studier på annan ort",
)
PA_INACTIVE_REASONS = ("Avslutat sin anställning", "Bytt arbetsplats inom kommunen")
PA_PAUSE_REASONS = ("Föräldraledig", "Tjänstledig för studier")
LATE_REASONS = (
    "Ingen stödperson med önskat språk var ledig; förfrågan gick till flera stödpersoner.",
    "Den tillfrågade stödpersonen tackade nej och en ny förfrågan skickades.",
    "Hög arbetsbelastning på kansliet under semesterperioden.",
)
LATE_REASON_MAN_SKELLEFTEA = (
    "Patienten önskade en manlig stödperson; det finns för få manliga stödpersoner i Skellefteå."
)
LATE_REASON_EXCUSED = "Patienten kunde inte ta ställning på grund av sitt hälsotillstånd."

CHANGE_NOTES = {
    ChangeReason.CLIENT_WISH: "Brukaren har önskat en annan stödperson.",
    ChangeReason.SUPPORT_PERSON_WISH: "Stödpersonen har bett att få lämna uppdraget efter "
    "ändrat schema.",
    ChangeReason.SUPPORT_PERSON_LEFT: "Stödpersonen har slutat eller är ledig en längre tid.",
    ChangeReason.OTHER: "Ny schemaläggning i arbetsgruppen.",
}

RISKS = (
    (RiskMeasure.Kind.RISK_ASSESSMENT, "Fallrisk vid förflyttning"),
    (RiskMeasure.Kind.RISK_ASSESSMENT, "Risk för trycksår"),
    (RiskMeasure.Kind.RISK_ASSESSMENT, "Risk för undernäring"),
    (RiskMeasure.Kind.RISK_ASSESSMENT, "Risk för fall i duschen"),
    (RiskMeasure.Kind.PROTECTIVE, "Larmmatta vid sängen nattetid"),
    (RiskMeasure.Kind.PROTECTIVE, "Rörelselarm på ytterdörren"),
    (RiskMeasure.Kind.RESTRICTIVE, "Sänggrind nattetid"),
    (RiskMeasure.Kind.RESTRICTIVE, "Bälte i rullstolen vid transport"),
)
DEVIATIONS = {
    Deviation.Category.ORDINARY: (
        "Assistenten kom inte till avtalad tid.",
        "Planerad aktivitet blev inställd på grund av personalbrist.",
        "Hjälpmedel var inte laddat inför utflykt.",
        "Överlämningen mellan passen uteblev.",
    ),
    Deviation.Category.HSL: (
        "Läkemedel gavs två timmar för sent.",
        "Fall i badrummet, utan synlig skada.",
        "Dosett saknades efter helgen.",
    ),
    Deviation.Category.LEX_SARAH: (
        "Brukaren lämnades ensam under ett pass trots behov av dubbelbemanning.",
        "Kränkande bemötande från vikarie.",
    ),
}
DEVIATION_MEASURES = (
    "Genomgång i arbetsgruppen; rutinen för överlämning förtydligad.",
    "Samtal med berörd medarbetare; uppföljning på nästa verksamhetsmöte.",
    "Schemat ändrat så att passet alltid bemannas.",
)
# Notes for ticks on some of the twelve duties (by their order in the routine).
DUTY_NOTES = {
    1: "Läst journalanteckningar och pratat med arbetslaget",
    2: "Samverkansmöte med brukaren och anhöriga",
    3: "Noterat ökat behov av stöd på kvällarna",
    4: "Nytt hjälpmedel beställt via arbetsterapeut",
    5: "Kontakt med god man om fickpengar",
    10: "Informerat på brukargenomgången",
    12: "Avvikelse lämnad till enhetschef",
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
        ("Begäranden", Request.objects.count()),
        ("  försenade (med orsak)", Request.objects.exclude(late_reason="").count()),
        ("  ursäktade (pausade)", Request.objects.filter(delay_excused=True).count()),
        ("  återtagna", Request.objects.filter(withdrawn_at__isnull=False).count()),
        ("  obesvarade", Request.objects.open().count()),
        ("Uppdrag", Assignment.objects.count()),
        ("  pågående", Assignment.objects.active().count()),
        ("Byten av stödperson", SupportPersonChange.objects.count()),
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


# A language as the builder keeps it: the Language itself (the demo) or its id (seed_scale).
LanguageT = TypeVar("LanguageT")


@dataclass(eq=False)
class Member(Generic[LanguageT]):
    """A support person in the making, with what the allocation needs to know."""

    sp: SupportPerson
    languages: list[LanguageT]
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


_Member = Member[Language]


@dataclass(eq=False)
class _Plan:
    """A client and the course of their assignments, before any support person is chosen."""

    client: Client
    pool: str
    personal_assistance: bool
    manager: User
    first_start: date | None = None
    chain_end: date | None = None  # the last assignment ends here; None: still going
    end_reason: str = EndReason.CARE_ENDED
    changes: list[tuple[date, str]] = field(default_factory=list)  # planned changes
    request: Request | None = None
    preferred: _Member | None = None
    preferred_from: date = date.min
    has_good_man: bool = False
    has_relatives: bool = False
    has_case_officer: bool = False
    overdue_plan: bool = False
    documentation_lapsed: bool = False
    assignments: list[Assignment] = field(default_factory=list)


class _Builder:
    def __init__(self, *, today: date, seed: int) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.now = timezone.now()
        self.window_start = today - timedelta(days=730)
        # Patient-committee requests begin a little earlier, so that the first tertials of
        # the window already have assignments running.
        self.requests_from = self.window_start - timedelta(days=240)
        self.used_names: set[str] = set()
        self.existing_users: list[str] = []
        self.users: dict[str, User] = {}
        self.pools: dict[str, list[_Member]] = {}
        self.members: list[_Member] = []
        self.plans: list[_Plan] = []
        self.changes: list[SupportPersonChange] = []
        self.pauses: list[RequestPause] = []
        self.phone_numbers = itertools.cycle(range(5, 100))

    # ---- small helpers ----------------------------------------------------------------

    def day_between(self, first: date, last: date) -> date:
        if last <= first:
            return first
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """An aware local datetime, never later than now."""
        moment = timezone.make_aware(datetime.combine(day, time(hour, minute)))
        return min(moment, self.now)

    def name(self, gender: str, language: str | None = None) -> tuple[str, str]:
        """A name no one else in the demo has."""
        for _ in range(200):
            first, last = random_name(self.rng, gender, language)
            if f"{first} {last}" not in self.used_names:
                self.used_names.add(f"{first} {last}")
                return first, last
        raise DemoError("Slut på namn")

    def contact_name(self, last: str | None = None) -> str:
        first = self.rng.choice(WOMEN + MEN)
        return f"{first} {last or self.rng.choice(LAST_NAMES)}"

    def phone(self) -> str:
        # PTS keeps 070-174 06 05 to 070-174 06 99 for fiction: never a real subscriber.
        return f"070-174 06 {next(self.phone_numbers):02d}"

    @staticmethod
    def email(name: str) -> str:
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        return ".".join(ascii_name.lower().split()) + "@example.org"

    def received_at(self, day: date) -> datetime:
        rng = self.rng
        if not workdays.is_working_day(day):
            hour = rng.randint(9, 20)
        elif rng.random() < 0.85:
            hour = rng.randint(8, 16)
        else:
            hour = rng.randint(17, 21)
        return self.at(day, hour, rng.randrange(60))

    def request_day(self, first: date, last: date) -> date:
        """Requests come mostly on working days, some on weekends and holidays."""
        while True:
            day = self.day_between(first, last)
            if workdays.is_working_day(day) or self.rng.random() < 0.3:
                return day

    # ---- the build ---------------------------------------------------------------------

    def build(self) -> None:
        try:
            self.lss = Programme.objects.get(slug=PERSONAL_ASSISTANCE)
            self.pc = Programme.objects.get(slug=PATIENT_COMMITTEE)
        except Programme.DoesNotExist:
            raise DemoError(
                "Verksamheterna saknas; kör `manage.py migrate` först (datamigreringen "
                "assignments 0002 skapar dem)."
            ) from None
        self.localities = {
            name: Locality.objects.get_or_create(name=name)[0] for name in ("Umeå", "Skellefteå")
        }
        self.languages = {name: Language.objects.get_or_create(name=name)[0] for name in LANGUAGES}
        self.create_users()
        self.create_units()
        self.plan_support_persons()
        self.plan_pa_clients()
        self.plan_pc_clients()
        self.allocate()
        self.save_core()
        self.create_duty_checks()
        self.create_client_records()
        self.create_training_events()
        self.create_collaboration()
        self.create_follow_ups()
        self.create_reports()

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
                        pool.append(self.pc_volunteer(locality, status, gender))
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
        self.erik = self._named_member(
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
                pool.append(self.assistant(unit, status, gender))
        centrum = self.pools["Assistansgruppen Centrum"]
        anna_template = next(
            m for m in centrum if m.sp.status == Status.ACTIVE and m.sp.gender == Gender.WOMAN
        )
        self.used_names.discard(anna_template.sp.full_name)
        self.anna = self._named_member(
            anna_template,
            "stod.anna",
            recruited_on=date(self.today.year - 7, 8, 19),
            capacity=2,
            languages=["Svenska"],
        )
        for pool in self.pools.values():
            self.members.extend(pool)

    def _named_member(
        self,
        member: _Member,
        username: str,
        *,
        recruited_on: date,
        capacity: int,
        languages: Sequence[str],
    ) -> _Member:
        """Turn a generated support person into one of the demo logins."""
        login = next(login for login in DEMO_LOGINS if login.username == username)
        sp = member.sp
        sp.user = self.users[username]
        sp.first_name, sp.last_name = login.first_name, login.last_name
        sp.email = f"{username}@example.org"
        sp.protected_identity = ProtectedIdentity.NONE
        sp.status = Status.ACTIVE
        sp.recruited_on, sp.deactivated_on, sp.deactivation_reason = recruited_on, None, ""
        sp.capacity = capacity
        member.languages = [self.languages[name] for name in languages]
        member.pauses = []
        member.reserved = True
        if sp.programme_id == self.pc.pk:
            member.changes = [
                (Status.APPLICANT, recruited_on - timedelta(days=40), "Intresseanmälan"),
                (Status.ACTIVE, recruited_on, "Introduktionsutbildning genomförd"),
            ]
        else:
            member.changes = [(Status.ACTIVE, recruited_on, "Utsedd till stödperson")]
        return member

    def pc_volunteer(self, locality: str, status: str, gender: str) -> _Member:
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
            programme=self.pc,
            first_name=first,
            last_name=last,
            gender=gender,
            birth_year=rng.randint(1948, 1998),
            locality=self.localities[locality],
            phone=self.phone(),
            email=self.email(f"{first} {last}"),
            status=status,
            capacity=rng.choice((2, 2, 3, 3, 4)),
        )
        if rng.random() < 0.015:
            sp.protected_identity = ProtectedIdentity.CONFIDENTIALITY_MARK
        member = _Member(sp=sp, languages=languages)
        self._lifecycle(
            member,
            applied_reason="Intresseanmälan",
            active_reason="Introduktionsutbildning genomförd",
            pause_reasons=PC_PAUSE_REASONS,
            inactive_reasons=PC_INACTIVE_REASONS,
        )
        return member

    def assistant(self, unit: Unit, status: str, gender: str) -> _Member:
        rng = self.rng
        first, last = self.name(gender)
        sp = SupportPerson(
            programme=self.lss,
            unit=unit,
            first_name=first,
            last_name=last,
            gender=gender,
            birth_year=rng.randint(1962, 2002),
            locality=unit.locality,
            phone=self.phone(),
            status=status,
            capacity=2 if rng.random() < 0.85 else 1,
        )
        member = _Member(sp=sp, languages=[self.languages["Svenska"]])
        if rng.random() < 0.1:
            member.languages.append(self.languages[rng.choice(("Finska", "Arabiska", "Engelska"))])
        self._lifecycle(
            member,
            applied_reason="",
            active_reason="Utsedd till stödperson",
            pause_reasons=PA_PAUSE_REASONS,
            inactive_reasons=PA_INACTIVE_REASONS,
        )
        return member

    def _lifecycle(
        self,
        member: _Member,
        *,
        applied_reason: str,
        active_reason: str,
        pause_reasons: Sequence[str],
        inactive_reasons: Sequence[str],
    ) -> None:
        """Dates and StatusChange steps that agree with the person's status today."""
        rng, sp, today, start = self.rng, member.sp, self.today, self.window_start
        if sp.status == Status.APPLICANT:
            member.changes.append(
                (Status.APPLICANT, today - timedelta(days=rng.randint(5, 50)), applied_reason)
            )
            return
        early = date(start.year - 12, 1, 1)
        if sp.status == Status.ACTIVE and rng.random() < 0.3:
            recruited = self.day_between(start, today - timedelta(days=30))
        elif sp.status == Status.INACTIVE and rng.random() < 0.15:
            recruited = self.day_between(start - timedelta(days=200), today - timedelta(days=250))
        else:
            recruited = self.day_between(early, start - timedelta(days=1))
        sp.recruited_on = recruited
        if applied_reason:
            applied = recruited - timedelta(days=rng.randint(14, 60))
            member.changes.append((Status.APPLICANT, applied, applied_reason))
        member.changes.append((Status.ACTIVE, recruited, active_reason))
        end = today
        if sp.status == Status.INACTIVE:
            end = self.day_between(
                max(recruited + timedelta(days=90), start - timedelta(days=120)),
                today - timedelta(days=5),
            )
            sp.deactivated_on = end
            sp.deactivation_reason = rng.choice(inactive_reasons)
        if sp.status == Status.PAUSED:
            paused = max(
                today - timedelta(days=rng.randint(15, 120)), recruited + timedelta(days=30)
            )
            member.pauses.append((paused, None))
            member.changes.append((Status.PAUSED, paused, rng.choice(pause_reasons)))
        elif rng.random() < 0.2:
            # A past pause, over and done with.
            first = max(recruited, self.requests_from) + timedelta(days=30)
            last = end - timedelta(days=60)
            if (last - first).days > 60:
                paused = self.day_between(first, last - timedelta(days=30))
                resumed = min(paused + timedelta(days=rng.randint(30, 150)), last)
                member.pauses.append((paused, resumed))
                member.changes.append((Status.PAUSED, paused, rng.choice(pause_reasons)))
                member.changes.append((Status.ACTIVE, resumed, "Åter efter uppehåll"))
        if sp.status == Status.INACTIVE:
            member.changes.append((Status.INACTIVE, end, sp.deactivation_reason))

    # ---- clients -----------------------------------------------------------------------

    def new_client(self, unit: Unit, *, started_on: date, born: tuple[int, int]) -> Client:
        rng = self.rng
        gender = Gender.WOMAN if rng.random() < 0.5 else Gender.MAN
        client = Client(unit=unit, started_on=started_on)
        language = None
        if rng.random() < 0.08:
            language = rng.choice(WISHED_LANGUAGES)
            client.wished_language = self.languages[language]
        if rng.random() < 0.18:
            same = rng.random() < 0.75
            other = Gender.MAN if gender == Gender.WOMAN else Gender.WOMAN
            client.wished_gender = gender if same else other
        client.first_name, client.last_name = self.name(gender, language)
        birthday = self.day_between(date(born[0], 1, 1), date(born[1], 12, 31))
        if rng.random() < 0.95:
            client.personnummer = fake_personnummer(self.rng, birthday, gender)
        return client

    def plan_pa_clients(self) -> None:
        rng, today, start = self.rng, self.today, self.window_start
        for name, _, manager, _, count in PA_UNITS:
            unit = self.units[name]
            for i in range(count):
                if i < count - 3:
                    started = self.day_between(date(start.year - 14, 1, 1), start)
                    first = max(
                        started + timedelta(days=rng.randint(3, 20)),
                        start - timedelta(days=rng.randint(0, 700)),
                    )
                else:
                    started = self.day_between(start, today - timedelta(days=60))
                    first = started + timedelta(days=rng.randint(0, 14))
                client = self.new_client(unit, started_on=started, born=(1948, 2008))
                plan = _Plan(
                    client=client,
                    pool=name,
                    personal_assistance=True,
                    manager=self.users[manager],
                    first_start=first,
                )
                if rng.random() < 0.1 and first < today - timedelta(days=120):
                    client.ended_on = self.day_between(
                        max(first + timedelta(days=60), start), today - timedelta(days=10)
                    )
                    plan.chain_end = client.ended_on
                last = plan.chain_end or today
                if rng.random() < 0.3 and (last - max(first, start)).days > 60:
                    on = self.day_between(
                        max(first, start) + timedelta(days=30), last - timedelta(days=20)
                    )
                    reason = rng.choices(
                        (
                            ChangeReason.CLIENT_WISH,
                            ChangeReason.SUPPORT_PERSON_WISH,
                            ChangeReason.OTHER,
                        ),
                        weights=(5, 3, 2),
                    )[0]
                    plan.changes.append((on, reason))
                self.add_contacts_flags(plan)
                self.plans.append(plan)
            if name in GRACE_DAYS:
                # A new client, still in the grace period, without a support person yet.
                client = self.new_client(
                    unit, started_on=today - timedelta(days=GRACE_DAYS[name]), born=(1950, 2008)
                )
                plan = _Plan(
                    client=client, pool=name, personal_assistance=True, manager=self.users[manager]
                )
                self.add_contacts_flags(plan)
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

    def add_contacts_flags(self, plan: _Plan) -> None:
        rng = self.rng
        plan.has_good_man = rng.random() < 0.43
        plan.has_relatives = rng.random() < 0.7
        plan.has_case_officer = rng.random() < 0.8

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
        manager = self.users[PC_MANAGER]
        pc_plans: list[_Plan] = []
        for name, locality, count in PC_UNITS:
            unit = self.units[name]
            days = [
                self.request_day(self.requests_from, today - timedelta(days=12))
                for _ in range(count)
            ]
            days.extend(self.holiday_days())
            for day in sorted(days):
                pc_plans.append(self.pc_plan(unit, locality, day, manager))
            # The last days: requests waiting within target, one paused, one late.
            recent = [workdays.add_working_days(today - timedelta(days=14), n) for n in range(9)]
            for day in recent:
                if day < today:
                    pc_plans.append(self.pc_plan(unit, locality, day, manager, kind="fast"))
            if locality == "Umeå":
                yesterday = today - timedelta(days=1)
                while not workdays.is_working_day(yesterday):
                    yesterday -= timedelta(days=1)
                pc_plans.append(self.pc_plan(unit, locality, yesterday, manager, kind="open"))
                pc_plans.append(self.pc_plan(unit, locality, recent[0], manager, kind="open_late"))
            else:
                pc_plans.append(
                    self.pc_plan(unit, locality, recent[-3], manager, kind="open_paused")
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
            and p.client.wished_language is None
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

    def holiday_days(self) -> list[date]:
        """Christmas and Midsummer eves, when the working-day clock stands still."""
        days: list[date] = []
        for year in range(self.requests_from.year, self.today.year + 1):
            midsummer_eve = next(
                date(year, 6, d) for d in range(19, 26) if date(year, 6, d).weekday() == 4
            )
            days.extend((date(year, 12, 23), date(year, 12, 24), midsummer_eve))
        return [d for d in days if self.requests_from <= d <= self.today - timedelta(days=12)]

    def pc_plan(self, unit: Unit, locality: str, day: date, manager: User, kind: str = "") -> _Plan:
        rng, today = self.rng, self.today
        basis = rng.choices(
            (Client.LegalBasis.LPT, Client.LegalBasis.LRV, Client.LegalBasis.SML),
            weights=(75, 15, 10),
        )[0]
        client = self.new_client(unit, started_on=day, born=(1942, 2007))
        client.legal_basis = basis
        plan = _Plan(client=client, pool=locality, personal_assistance=False, manager=manager)
        received = self.received_at(day)
        if kind in ("open", "open_late", "open_paused"):
            received = self.at(day, 14, 5)
        request = Request(
            client=client,
            received_at=received,
            source=rng.choices([s for s, _ in Request.Source.choices], weights=(55, 35, 6, 4))[0],
            wished_gender=client.wished_gender,
            wished_language=client.wished_language,
            registered_by=self.admin,
        )
        plan.request = request
        if not kind:
            kind = rng.choices(
                ("fast", "normal", "late", "excused", "withdrawn"), weights=(70, 19, 5, 3, 3)
            )[0]
        if kind == "withdrawn":
            request.withdrawn_at = min(
                received + timedelta(hours=rng.randint(2, 72)), self.at(today, 8)
            )
            request.note = "Patienten tog tillbaka sin begäran."
            client.ended_on = timezone.localdate(request.withdrawn_at)
            return plan
        if kind in ("open", "open_late"):
            return plan
        if kind == "fast":
            late_afternoon = timezone.localtime(received).hour >= 15
            k = 1 if late_afternoon else rng.randint(0, 1)
            appointed = workdays.add_working_days(day, k)
        elif kind == "normal":
            appointed = workdays.add_working_days(day, rng.randint(2, 3))
        elif kind == "late":
            appointed = workdays.add_working_days(day, rng.randint(4, 6))
            if locality == "Skellefteå" and client.wished_gender == Gender.MAN:
                request.late_reason = LATE_REASON_MAN_SKELLEFTEA
            else:
                request.late_reason = rng.choice(LATE_REASONS)
        else:  # excused, or open with a pause that has not ended
            paused = workdays.add_working_days(day, 1)
            resumed_on = workdays.add_working_days(paused, rng.randint(3, 7))
            appointed = workdays.add_working_days(resumed_on, rng.randint(0, 1))
            resumed: date | None = resumed_on
            if kind == "open_paused" or appointed > today:
                resumed, appointed = None, today + timedelta(days=1)
            request.late_reason = LATE_REASON_EXCUSED
            request.delay_excused = True
            self.pauses.append(
                RequestPause(
                    request=request, started_on=paused, ended_on=resumed, reason=PAUSE_REASON
                )
            )
        if appointed > today:
            return plan  # still waiting
        plan.first_start = appointed
        if basis == Client.LegalBasis.LRV:
            days = rng.randint(120, 900)
        elif basis == Client.LegalBasis.SML:
            days = rng.randint(14, 90)
        else:
            # Most compulsory psychiatric care under LPT is short; some of it is not.
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
        if rng.random() < 0.04 and (end - appointed).days > 40:
            on = appointed + timedelta(days=rng.randint(10, (end - appointed).days - 10))
            if on < today:
                plan.changes.append((on, ChangeReason.CLIENT_WISH))
        return plan

    # ---- assignments -------------------------------------------------------------------

    def allocate(self) -> None:
        """Walk through time, choosing a support person each time one is needed, so that no
        one is given a client while inactive, paused or at capacity."""
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
            assignment = Assignment(
                client=plan.client,
                support_person=member.sp,
                request=plan.request if previous is None else None,
                started_on=start,
                ended_on=end,
                end_reason=end_reason if end is not None else "",
                decided_by=plan.manager if plan.personal_assistance else self.admin,
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

    def choose(self, plan: _Plan, start: date, previous: Assignment | None) -> _Member | None:
        preferred = plan.preferred
        if (
            preferred is not None
            and start >= plan.preferred_from
            and preferred.available_on(start)
            and preferred.load_on(start) < preferred.sp.capacity
        ):
            return preferred
        excluded = previous.support_person if previous is not None else None
        available = [
            m
            for m in self.pools[plan.pool]
            if not m.reserved and m.sp is not excluded and m.available_on(start)
        ]
        candidates = [m for m in available if m.load_on(start) < m.sp.capacity] or available
        if not candidates:
            return None
        client = plan.client

        def fit(member: _Member) -> float:
            score = self.rng.random()
            if client.wished_gender and member.sp.gender == client.wished_gender:
                score += 3
            if client.wished_language and client.wished_language in member.languages:
                score += 4
            until = member.available_until(start)
            if until is None or until > start + timedelta(days=60):
                score += 1.5
            return score - 0.7 * member.load_on(start)

        chosen = max(candidates, key=fit)
        # Everyone was full: the unit manager asked someone to take one more.
        chosen.sp.capacity = max(chosen.sp.capacity, chosen.load_on(start) + 1)
        return chosen

    def decided_at(self, plan: _Plan, start: date, previous: Assignment | None) -> datetime:
        moment = self.at(start, self.rng.randint(9, 15), self.rng.randrange(60))
        request = plan.request
        if previous is None and request is not None and moment <= request.received_at:
            moment = min(request.received_at + timedelta(hours=self.rng.randint(1, 3)), self.now)
        return moment

    def change(
        self, plan: _Plan, previous: Assignment, successor: Assignment, reason: str
    ) -> SupportPersonChange:
        """Byte av stödperson: the client is told in good time, the others where needed."""
        rng = self.rng
        on = successor.started_on
        lead = (
            rng.randint(2, 10) if reason == ChangeReason.SUPPORT_PERSON_LEFT else rng.randint(7, 21)
        )
        informed = max(on - timedelta(days=lead), previous.started_on)

        def maybe(chance: bool) -> date | None:
            return (
                max(on - timedelta(days=rng.randint(0, 5)), previous.started_on) if chance else None
            )

        return SupportPersonChange(
            previous=previous,
            successor=successor,
            reason=reason,
            reason_note=CHANGE_NOTES[ChangeReason(reason)],
            client_informed_on=informed,
            good_man_informed_on=maybe(plan.has_good_man),
            relatives_informed_on=maybe(plan.has_relatives and rng.random() < 0.8),
            case_officer_informed_on=maybe(plan.has_case_officer and rng.random() < 0.4),
            decided_by=plan.manager,
        )

    # ---- saving ------------------------------------------------------------------------

    def save_core(self) -> None:
        sps = [m.sp for m in self.members]
        for sp in sps:
            sp.search_name = sp.derived_search_name()
        SupportPerson.objects.bulk_create(sps)
        through = SupportPerson.languages.through
        through.objects.bulk_create(
            through(supportperson_id=m.sp.pk, language_id=language.pk)
            for m in self.members
            for language in dict.fromkeys(m.languages)
        )
        StatusChange.objects.bulk_create(
            StatusChange(support_person=m.sp, status=status, on=on, reason=reason, by=self.admin)
            for m in self.members
            for status, on, reason in sorted(m.changes, key=lambda change: change[1])
        )
        clients = [p.client for p in self.plans]
        for client in clients:
            client.search_name = client.derived_search_name()
        Client.objects.bulk_create(clients)
        requests = [p.request for p in self.plans if p.request is not None]
        Request.objects.bulk_create(requests)
        RequestPause.objects.bulk_create(self.pauses)
        assignments = [a for p in self.plans for a in p.assignments]
        Assignment.objects.bulk_create(assignments)
        SupportPersonChange.objects.bulk_create(self.changes)
        for model, rows in (
            (SupportPerson, sps),
            (Client, clients),
            (Request, requests),
            (Assignment, assignments),
        ):
            model.history.bulk_history_create(  # type: ignore[attr-defined]
                rows,
                default_user=self.admin,
                default_change_reason="Demodata (seed_demo)",
                default_date=self.now,
            )

    def create_duty_checks(self) -> None:
        rng, today = self.rng, self.today
        templates = list(DutyTemplate.objects.filter(programme=self.lss, is_active=True))
        by_code = {t.code: t for t in templates if t.code}
        documentation = by_code.get(DutyTemplate.Code.DOCUMENTATION)
        plan_template = by_code.get(DutyTemplate.Code.IMPLEMENTATION_PLAN)
        yearly = [t for t in templates if not t.code and t.interval_months == 12]
        ongoing = [t for t in templates if t.interval_months is None]
        this_month = today.replace(day=1)
        last_month = (this_month - timedelta(days=1)).replace(day=1)
        checks: list[DutyCheck] = []

        def tick(assignment: Assignment, template: DutyTemplate, on: date, note: str = "") -> None:
            checks.append(
                DutyCheck(
                    assignment=assignment,
                    template=template,
                    done_on=on,
                    note=note,
                    # An assistant without an account: the unit manager recorded it.
                    by=assignment.support_person.user or assignment.decided_by,
                    created_at=self.at(on, rng.randint(13, 17), rng.randrange(60)),
                )
            )

        for plan in self.plans:
            if not plan.personal_assistance:
                continue
            for assignment in plan.assignments:
                last = (
                    assignment.ended_on - timedelta(days=1)
                    if assignment.ended_on is not None
                    else today
                )
                is_current = assignment.ended_on is None
                if documentation is not None:
                    for month in month_starts(max(assignment.started_on, self.window_start), last):
                        first_day = max(month, assignment.started_on)
                        last_day = min(last_day_of_month(month), last)
                        lapsed = plan.documentation_lapsed and is_current and month >= last_month
                        if lapsed or rng.random() < 0.06:
                            continue
                        if month == this_month and rng.random() < 0.4:
                            continue
                        tick(assignment, documentation, self.day_between(first_day, last_day))
                for template, note in [(plan_template, "Genomförandeplanen uppdaterad")] + [
                    (t, "") for t in yearly
                ]:
                    if template is None:
                        continue
                    dates = self.yearly(assignment.started_on, last)
                    if template is not plan_template:
                        dates = [d for d in dates if rng.random() < 0.7]
                    elif plan.overdue_plan and is_current:
                        dates = [d for d in dates if d < today - timedelta(days=380)]
                    for on in dates:
                        tick(assignment, template, on, note)
                if is_current and ongoing:
                    for _ in range(rng.randint(1, 3)):
                        template = rng.choice(ongoing)
                        on = self.day_between(
                            max(assignment.started_on, today - timedelta(days=120)), today
                        )
                        tick(assignment, template, on, DUTY_NOTES.get(template.order, ""))
        DutyCheck.objects.bulk_create(checks)

    def yearly(self, started_on: date, last: date) -> list[date]:
        """About once a year, the first time within the 30 days' grace of a new assignment."""
        dates = []
        on = started_on + timedelta(days=self.rng.randint(7, 28))
        while on <= last:
            if on >= self.window_start - timedelta(days=365):
                dates.append(on)
            on += timedelta(days=self.rng.randint(320, 364))
        return dates

    def create_client_records(self) -> None:
        """Contacts, consents, risk measures and deviations for personal-assistance clients."""
        rng, today = self.rng, self.today
        contacts: list[Contact] = []
        consents: list[Consent] = []
        measures: list[tuple[RiskMeasure, Consent | None]] = []
        deviations: list[Deviation] = []
        pa_plans = [p for p in self.plans if p.personal_assistance]
        withdrawn_for = rng.choice(
            [p for p in pa_plans if p.has_relatives and not p.client.ended_on]
        )
        for plan in pa_plans:
            client = plan.client
            if plan.has_good_man:
                role = Contact.Role.GOOD_MAN if rng.random() < 0.8 else Contact.Role.ADMINISTRATOR
                name = self.contact_name()
                contacts.append(
                    Contact(
                        client=client,
                        role=role,
                        name=name,
                        phone=self.phone(),
                        email=self.email(name),
                    )
                )
            if plan.has_relatives:
                for _ in range(rng.randint(1, 2)):
                    last = client.last_name if rng.random() < 0.6 else None
                    contacts.append(
                        Contact(
                            client=client,
                            role=Contact.Role.RELATIVE,
                            name=self.contact_name(last),
                            phone=self.phone(),
                        )
                    )
            if plan.has_case_officer:
                for role in (Contact.Role.CASE_OFFICER, Contact.Role.CASE_OFFICER_FK):
                    if rng.random() < 0.65:
                        name = self.contact_name()
                        contacts.append(
                            Contact(
                                client=client,
                                role=role,
                                name=name,
                                phone=self.phone(),
                                email=self.email(name),
                            )
                        )
            end = client.ended_on or today
            purposes = ["Samverkan med hälso- och sjukvården"]
            if plan.has_good_man:
                purposes.append("Informationsutbyte med god man eller förvaltare")
            if plan.has_relatives:
                purposes.append("Kontakt med närstående")
            for purpose in purposes:
                if client.ended_on is None and rng.random() < 0.13:
                    given = today - timedelta(days=rng.randint(370, 480))  # past its review
                else:
                    given = today - timedelta(days=rng.randint(20, 330))
                given = min(max(given, client.started_on), end)
                consent = Consent(
                    client=client,
                    purpose=purpose,
                    given_on=given,
                    review_on=given + timedelta(days=365),
                )
                if plan is withdrawn_for and purpose == "Kontakt med närstående":
                    consent.withdrawn_on = max(today - timedelta(days=20), given)
                    consent.note = "Brukaren har återkallat samtycket."
                consents.append(consent)
            if client.ended_on is None and rng.random() < 0.55:
                for kind, description in rng.sample(RISKS, rng.randint(1, 2)):
                    measures.append(self.risk_measure(client, kind, description))
            if rng.random() < 0.45:
                for _ in range(rng.randint(1, 2)):
                    deviations.append(self.deviation(plan))
        # Recent ones, so the lists of open deviations have something to follow up; the one
        # open for 48 days is past the programme's 30 days.
        active = [p for p in pa_plans if p.client.ended_on is None]
        for plan, days_ago, status in zip(
            rng.sample(active, 4),
            (3, 9, 26, 48),
            (Deviation.Status.OPEN, Deviation.Status.HANDLING, Deviation.Status.HANDLING, "open"),
            strict=True,
        ):
            on = max(today - timedelta(days=days_ago), plan.client.started_on)
            deviations.append(self.deviation(plan, occurred_on=on, status=status))
        for i, category in enumerate((Deviation.Category.LEX_SARAH, Deviation.Category.LEX_SARAH)):
            deviations[i].category = category
            deviations[i].description = DEVIATIONS[category][i]
        Contact.objects.bulk_create(contacts)
        Consent.objects.bulk_create(consents + [c for _, c in measures if c is not None])
        for measure, linked in measures:
            measure.consent = linked
        RiskMeasure.objects.bulk_create(m for m, _ in measures)
        Deviation.objects.bulk_create(deviations)

    def risk_measure(
        self, client: Client, kind: str, description: str
    ) -> tuple[RiskMeasure, Consent | None]:
        rng, today = self.rng, self.today
        decided = self.day_between(
            max(client.started_on, today - timedelta(days=700)), today - timedelta(days=30)
        )
        measure = RiskMeasure(client=client, kind=kind, description=description, decided_on=decided)
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
                client=client,
                purpose=f"Skydds- eller begränsningsåtgärd: {description.lower()}",
                given_on=decided,
                review_on=decided + timedelta(days=365),
            )
        return measure, consent

    def deviation(
        self, plan: _Plan, *, occurred_on: date | None = None, status: str = ""
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
                (Deviation.Status.CLOSED, Deviation.Status.HANDLING, Deviation.Status.OPEN),
                weights=(5, 3, 2),
            )[0]
        else:
            status = Deviation.Status.CLOSED if rng.random() < 0.92 else Deviation.Status.HANDLING
        deviation = Deviation(
            client=client,
            occurred_on=occurred,
            description=rng.choice(DEVIATIONS[category]),
            category=category,
            status=status,
            reported_by=plan.manager,
        )
        if status != Deviation.Status.OPEN:
            deviation.measures = rng.choice(DEVIATION_MEASURES)
        if status == Deviation.Status.CLOSED:
            deviation.closed_on = min(occurred + timedelta(days=rng.randint(2, 45)), today)
        return deviation

    # ---- training and collaboration (the patient committee) ----------------------------

    def create_training_events(self) -> None:
        """The seed report's pattern: information evenings in September, an evening meeting
        in December (the latest one cancelled for too few registrations: 11 in Umeå, 3 in
        Skellefteå), a training weekend in spring and introductions for new volunteers."""
        today, rng = self.today, self.rng
        umea, skelleftea = self.localities["Umeå"], self.localities["Skellefteå"]
        kind = TrainingEvent.Kind
        # (kind, title, locality, date, minimum registrations, who may register)
        specs: list[tuple[str, str, Locality, date, int, tuple[Locality, ...]]] = []
        for year in range(self.window_start.year, today.year + 2):
            # The weekend was held at Medlefors until it ran out of rooms (the seed report).
            place, title = (
                (skelleftea, "Utbildningshelg på Medlefors")
                if year % 2
                else (
                    umea,
                    "Utbildningshelg",
                )
            )
            both = (umea, skelleftea)
            specs.append(
                (kind.TRAINING_WEEKEND, title, place, _nth_weekday(year, 4, 5, 3), 15, both)
            )
            for month in (3, 10):
                specs.append(
                    (
                        kind.INTRODUCTION,
                        "Introduktionsutbildning för nya stödpersoner",
                        umea,
                        _nth_weekday(year, month, 3, 2),
                        0,
                        both,
                    )
                )
            for place in both:
                here = (place,)
                meeting_minimum = 12 if place == umea else 5
                for local_kind, title, month, weekday, minimum in (
                    (
                        kind.EVENING_MEETING,
                        "Kvällsmöte: att möta människor i kris",
                        2,
                        1,
                        meeting_minimum,
                    ),
                    (kind.INFORMATION_EVENING, f"Informationskväll: Vän i {place}", 9, 1, 5),
                    (kind.EVENING_MEETING, "Kvällsmöte med Hjärnkoll", 12, 2, meeting_minimum),
                ):
                    on = _nth_weekday(year, month, weekday, 2 if month == 2 else 1)
                    specs.append((local_kind, title, place, on, minimum, here))
        specs = sorted(
            (s for s in specs if self.window_start <= s[3] <= today + timedelta(days=200)),
            key=lambda s: s[3],
        )
        held_before = [s[3] for s in specs if s[3] < today]
        cancelled = {
            max((d for d in held_before if d.month == 12), default=None),
            min((d for d in held_before if d.month == 2), default=None),
        }
        latest_september = max((d for d in held_before if d.month == 9), default=None)
        pc_members = [m for m in self.members if m.sp.programme_id == self.pc.pk]
        events: list[TrainingEvent] = []
        registrations: list[Registration] = []
        for event_kind, title, place, on, minimum, from_places in specs:
            pool = [m for m in pc_members if m.sp.locality in from_places and m.available_on(on)]
            if event_kind == kind.INTRODUCTION:
                pool = [
                    m
                    for m in pool
                    if m.sp.recruited_on and m.sp.recruited_on >= on - timedelta(days=180)
                ]
                if not pool and on < today:
                    continue
            event = TrainingEvent(
                programme=self.pc,
                kind=event_kind,
                title=title,
                locality=place,
                on=on,
                min_registrations=minimum,
            )
            in_umea = place == umea
            if on in cancelled:
                event.status, event.cancel_reason = TrainingEvent.Status.CANCELLED, CANCEL_REASON
                count = (11 if in_umea else 3) if on.month == 12 else (6 if in_umea else 2)
                attending = 0
            elif on >= today:
                event.status = TrainingEvent.Status.PLANNED
                soon = on <= today + timedelta(days=60)
                count = (rng.randint(4, 9) if in_umea else rng.randint(2, 5)) if soon else 0
                attending = 0
            else:
                event.status = TrainingEvent.Status.HELD
                if on == latest_september:
                    count, attending = (15, 13) if in_umea else (11, 10)
                elif event_kind == kind.TRAINING_WEEKEND:
                    count = rng.randint(20, 28)
                    attending = count - rng.randint(1, 4)
                elif event_kind == kind.INTRODUCTION:
                    count = len(pool)
                    attending = count - rng.randint(0, 1)
                else:
                    count = rng.randint(minimum + 1, minimum + 6)
                    attending = count - rng.randint(0, 3)
            events.append(event)
            held = event.status == TrainingEvent.Status.HELD
            for i, member in enumerate(rng.sample(pool, min(count, len(pool)))):
                registered = on - timedelta(days=rng.randint(3, 25))
                registered = max(registered, member.sp.recruited_on or registered)
                registrations.append(
                    Registration(
                        event=event,
                        support_person=member.sp,
                        registered_on=min(registered, today),
                        attended=i < attending if held else None,
                    )
                )
        TrainingEvent.objects.bulk_create(events)
        Registration.objects.bulk_create(registrations)

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

    def create_collaboration(self) -> None:
        """The forums of the seed report's T3 2022, at their usual rhythm."""
        # (month, day or None for the first Saturday, forum, note)
        rhythm = (
            (3, 14, "Myndighetssamverkan", AUTHORITIES_NOTE),
            (6, 14, "Myndighetssamverkan", AUTHORITIES_NOTE),
            (11, 14, "Myndighetssamverkan", AUTHORITIES_NOTE),
            (4, 22, REGIONAL_GROUP, ""),
            (10, 22, REGIONAL_GROUP, ""),
            (10, None, "Frivilligdagen", "Kansliet informerade om stödpersonsuppdraget."),
            (11, 8, "Erfarenhetsutbyte initierat av Riksförbundet frivilliga samhällsarbetare", ""),
            (5, 20, "Nationellt erfarenhetsutbyte mellan patientnämnderna", NATIONAL_NOTE),
        )
        activities = []
        for year in range(self.window_start.year, self.today.year + 1):
            for month, day, forum, note in rhythm:
                on = date(year, month, day) if day else _nth_weekday(year, month, 5, 1)
                if self.window_start <= on <= self.today:
                    activities.append(
                        CollaborationActivity(programme=self.pc, on=on, forum=forum, note=note)
                    )
        CollaborationActivity.objects.bulk_create(activities)


class ChainPlan(Protocol):
    """A client's course of assignments, as `assignment_end` reads it."""

    chain_end: date | None  # the last assignment ends here; None: still going
    end_reason: str  # why the last one ends
    changes: list[tuple[date, str]]  # planned changes of support person: (day, reason)
    personal_assistance: bool


def assignment_end(
    plan: ChainPlan, start: date, unavailable_from: date | None, deactivated_on: date | None
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


def random_name(rng: random.Random, gender: str, language: str | None = None) -> tuple[str, str]:
    """A first name for the gender and a last name, most often (7 in 10) from the names of
    the language when there are some."""
    pool = NAMES_BY_LANGUAGE.get(language or "")
    if pool is not None and rng.random() < 0.7:
        women, men, last_names = pool
    else:
        women, men, last_names = WOMEN, MEN, LAST_NAMES
    if gender == Gender.WOMAN:
        first = rng.choice(women)
    elif gender == Gender.MAN:
        first = rng.choice(men)
    else:
        first = rng.choice(women + men)
    return first, rng.choice(last_names)


def fake_personnummer(rng: random.Random, born: date, gender: str) -> str:
    """A number with a correct check digit; a few are coordination numbers (day + 60)."""
    day = born.day + (60 if rng.random() < 0.05 else 0)
    # The ninth digit is odd for men and even for women (Skatteverket, SKV 704).
    parity = {"man": 1, "woman": 0}.get(gender, rng.randint(0, 1))
    serial = f"{rng.randint(1, 99):02d}{rng.randrange(parity, 10, 2)}"
    short = f"{born:%y%m}{day:02d}{serial}"
    return f"{born:%Y%m}{day:02d}-{serial}{_luhn(short)}"


def _luhn(digits: str) -> int:
    """The check digit of a personnummer: Luhn over YYMMDDNNN (Skatteverket, SKV 704)."""
    total = 0
    for position, char in enumerate(digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday (Monday 0) of a month."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


__all__ = [
    "DEMO_LOGINS",
    "ChainPlan",
    "DemoError",
    "DemoLogin",
    "DemoResult",
    "Member",
    "assignment_end",
    "demo_counts",
    "demo_create",
    "demo_exists",
    "fake_personnummer",
    "random_name",
]
