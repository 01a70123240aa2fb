"""The pool: assistants (personal assistance) and volunteers (the patient committee), each
with a course of statuses that agrees with their status today."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date, timedelta

from django.contrib.auth.models import User

from clients.models import ProtectedIdentity, Unit
from supportpersons.models import SupportPerson

from .build import ONE_DAY, Build, Career, Member
from .names import WISHED_LANGUAGES

Status = SupportPerson.Status
APPLIED = "Intresseanmälan"


def email(name: str) -> str:
    """An address in the reserved example.org domain."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ".".join(ascii_name.lower().split()) + "@example.org"


class People(Build):
    def draw_status(self) -> str:
        return self.rng.choices(
            (Status.ACTIVE, Status.PAUSED, Status.INACTIVE, Status.APPLICANT),
            weights=(76, 4, 18, 2),
        )[0]

    def assistant(self, unit: Unit, gender: str, status: str | None = None) -> Member:
        """A personal assistant of the unit, appointed its clients' support person."""
        rng = self.rng
        chance, capacity, otherwise = self.profile.assistant_capacity
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
            phone=self.phone(),
            status=status or self.draw_status(),
            capacity=capacity if rng.random() < chance else otherwise,
        )
        member = Member(sp=sp, languages=[self.languages["Svenska"]])
        if rng.random() < 0.1:
            member.languages.append(self.languages[rng.choice(("Finska", "Arabiska", "Engelska"))])
        self.lifecycle(member, self.profile.pa_career)
        return member

    def volunteer(self, locality: str, gender: str, status: str | None = None) -> Member:
        """A volunteer of the patient committee in the locality."""
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
            phone=self.phone(),
            email=(
                email(f"{first} {last}")
                if self.profile.emails_from_names
                else f"stodperson{rng.randrange(10**6)}@example.org"
            ),
            status=status or self.draw_status(),
            capacity=rng.choice(self.profile.volunteer_capacities),
        )
        if rng.random() < 0.015:
            sp.protected_identity = ProtectedIdentity.CONFIDENTIALITY_MARK
        member = Member(sp=sp, languages=languages)
        self.lifecycle(member, self.profile.pc_career)
        return member

    def lifecycle(self, member: Member, career: Career) -> None:
        """Dates and StatusChange steps that agree with the person's status today."""
        rng, sp, today, start = self.rng, member.sp, self.today, self.window_start
        profile = self.profile
        if sp.status == Status.APPLICANT:
            member.changes.append(
                (Status.APPLICANT, today - timedelta(days=rng.randint(5, 50)), APPLIED)
            )
            return
        early = date(start.year - 12, 1, 1)
        if sp.status == Status.ACTIVE and rng.random() < 0.3:
            recruited = self.day_between(start, today - timedelta(days=30))
        elif sp.status == Status.INACTIVE and rng.random() < profile.leaver_chance:
            recruited = self.day_between(
                start - timedelta(days=profile.leaver_from_days),
                today - timedelta(days=profile.leaver_until_days),
            )
        else:
            recruited = self.day_between(early, start - ONE_DAY)
        sp.recruited_on = recruited
        if career.applied_reason:
            applied = recruited - timedelta(days=rng.randint(14, 60))
            member.changes.append((Status.APPLICANT, applied, career.applied_reason))
        member.changes.append((Status.ACTIVE, recruited, career.active_reason))
        end = today
        if sp.status == Status.INACTIVE:
            end = self.day_between(
                max(recruited + timedelta(days=90), start - timedelta(days=120)),
                today - timedelta(days=5),
            )
            sp.deactivated_on = end
            sp.deactivation_reason = self.pick(career.inactive_reasons)
        if sp.status == Status.PAUSED:
            paused = max(
                today - timedelta(days=rng.randint(15, 120)), recruited + timedelta(days=30)
            )
            member.pauses.append((paused, None))
            member.changes.append((Status.PAUSED, paused, self.pick(career.pause_reasons)))
        elif rng.random() < profile.past_pause_chance:
            # A past pause, over and done with.
            first = max(recruited, self.history_from) + timedelta(days=30)
            last = end - timedelta(days=60)
            if (last - first).days > 60:
                paused = self.day_between(first, last - timedelta(days=30))
                resumed = min(paused + timedelta(days=rng.randint(30, 150)), last)
                member.pauses.append((paused, resumed))
                reason = self.pick(career.past_pause_reasons)
                member.changes.append((Status.PAUSED, paused, reason))
                member.changes.append((Status.ACTIVE, resumed, "Åter efter uppehåll"))
        if sp.status == Status.INACTIVE:
            member.changes.append((Status.INACTIVE, end, sp.deactivation_reason))

    def make_login(
        self,
        member: Member,
        user: User,
        *,
        first_name: str,
        last_name: str,
        recruited_on: date,
        capacity: int,
        email: str = "",
        languages: Sequence[str] | None = None,
    ) -> Member:
        """Turn a generated support person into one who logs in (a demo login, a persona):
        active since `recruited_on`, never paused, given only the clients a plan names."""
        sp = member.sp
        sp.user = user
        sp.first_name, sp.last_name = first_name, last_name
        sp.email = email
        sp.protected_identity = ProtectedIdentity.NONE
        sp.status = Status.ACTIVE
        sp.recruited_on, sp.deactivated_on, sp.deactivation_reason = recruited_on, None, ""
        sp.capacity = capacity
        if languages is not None:
            member.languages = [self.languages[name] for name in languages]
        member.pauses = []
        member.reserved = True
        if sp.programme_id == self.pc.pk:
            member.changes = [
                (Status.APPLICANT, recruited_on - timedelta(days=40), APPLIED),
                (Status.ACTIVE, recruited_on, "Introduktionsutbildning genomförd"),
            ]
        else:
            member.changes = [(Status.ACTIVE, recruited_on, "Utsedd till stödperson")]
        return member
