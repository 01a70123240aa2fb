"""The patient committee's training events with their registrations and attendance, and
its collaboration with other forums."""

from __future__ import annotations

from datetime import date, timedelta

from clients.models import Locality
from supportpersons.models import CollaborationActivity, Registration, TrainingEvent

from .build import Build
from .texts import AUTHORITIES_NOTE, CANCEL_REASON, NATIONAL_NOTE, REGIONAL_GROUP


class Training(Build):
    def create_training_events(self) -> None:
        """The seed report's pattern: information evenings in September, an evening meeting
        in December (the latest one cancelled for too few registrations: 11 in Umeå, 3 in
        Skellefteå), a training weekend in spring and introductions for new volunteers. The
        first locality (Umeå in the demo) is the largest office, the second hosts the
        weekend every other year; the large sizes have more localities, each with its
        evening meetings."""
        today, rng = self.today, self.rng
        places = tuple(self.localities.values())
        umea, skelleftea = places[0], places[1 % len(places)]
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
            both = places
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
                pk=self.pk(TrainingEvent),
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
                        pk=self.pk(Registration),
                        event=event,
                        support_person=member.sp,
                        registered_on=min(registered, today),
                        attended=i < attending if held else None,
                    )
                )
        self.counts["training events"] = self.store(TrainingEvent, events)
        self.counts["registrations"] = self.store(Registration, registrations)

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
                        CollaborationActivity(
                            pk=self.pk(CollaborationActivity),
                            programme=self.pc,
                            on=on,
                            forum=forum,
                            note=note,
                        )
                    )
        self.store(CollaborationActivity, activities)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday (Monday 0) of a month."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
