"""Candidates for a client's support person, ranked by fit, each with the reasons why."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _

from clients.models import Client, Language, Programme
from supportpersons.models import RecruitmentStep, Registration, SupportPerson, TrainingEvent

# Weights: a wish the client expressed counts most, then closeness, then free capacity.
WISHED_GENDER = 30
WISHED_LANGUAGE = 30
SAME_UNIT = 20
SAME_LOCALITY = 15
PER_FREE_PLACE = 5
TRAINING_DONE = 10


@dataclass
class Candidate:
    person: SupportPerson
    load: int
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def free_places(self) -> int:
        return max(self.person.capacity - self.load, 0)


def rank_candidates(
    client: Client,
    *,
    wished_gender: str = "",
    wished_language: Language | None = None,
    exclude: SupportPerson | None = None,
    limit: int = 10,
) -> list[Candidate]:
    """Active support persons of the client's programme, best fit first. Two queries,
    whatever the size of the pool."""
    wished_gender = wished_gender or client.wished_gender
    wished_language = wished_language or client.wished_language
    people = (
        SupportPerson.objects.filter(
            programme_id=client.unit.programme_id, status=SupportPerson.Status.ACTIVE
        )
        .with_load()
        .annotate(
            training_step=_introduction_step(),
            training_event=_introduction_attended(),
        )
        .select_related("locality")
        .prefetch_related(Prefetch("languages", queryset=Language.objects.only("id", "name")))
    )
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    candidates = [_score(p, client, wished_gender, wished_language) for p in people]
    candidates.sort(key=lambda c: (-c.score, c.load, c.person.search_name, c.person.pk))
    return candidates[:limit]


def _score(
    person: SupportPerson, client: Client, wished_gender: str, wished_language: Language | None
) -> Candidate:
    candidate = Candidate(person=person, load=person.load)  # type: ignore[attr-defined]
    if wished_gender:
        if person.gender == wished_gender:
            candidate.score += WISHED_GENDER
            candidate.reasons.append(_("Gender as the client wishes"))
        else:
            candidate.warnings.append(_("Not the gender the client wishes"))
    if wished_language is not None:
        if any(lang.pk == wished_language.pk for lang in person.languages.all()):
            candidate.score += WISHED_LANGUAGE
            candidate.reasons.append(_("Speaks %(language)s") % {"language": wished_language.name})
        else:
            candidate.warnings.append(
                _("Does not speak %(language)s") % {"language": wished_language.name}
            )
    if person.unit_id is not None and person.unit_id == client.unit_id:
        candidate.score += SAME_UNIT
        candidate.reasons.append(_("Works in the client's unit"))
    elif person.locality_id == client.unit.locality_id:
        candidate.score += SAME_LOCALITY
        candidate.reasons.append(_("Same locality"))
    if candidate.free_places > 0:
        candidate.score += PER_FREE_PLACE * min(candidate.free_places, 3)
        candidate.reasons.append(
            _("%(free)s of %(capacity)s places free")
            % {"free": candidate.free_places, "capacity": person.capacity}
        )
    else:
        candidate.score -= 50
        candidate.warnings.append(_("No capacity left"))
    if getattr(person, "training_step", False) or getattr(person, "training_event", False):
        candidate.score += TRAINING_DONE
        candidate.reasons.append(_("Introduction training done"))
    elif client.unit.programme.kind == Programme.Kind.PATIENT_COMMITTEE:
        candidate.warnings.append(_("No introduction training recorded"))
    return candidate


# The introduction training: a recruitment step not failed, or an introduction event
# attended. Subqueries, so the ranking stays at two queries.


def _introduction_step() -> Exists:
    return Exists(
        RecruitmentStep.objects.filter(
            support_person=OuterRef("pk"), step=RecruitmentStep.Step.INTRODUCTION
        ).exclude(outcome=RecruitmentStep.Outcome.FAILED)
    )


def _introduction_attended() -> Exists:
    return Exists(
        Registration.objects.current().filter(
            support_person=OuterRef("pk"),
            attended=True,
            event__kind=TrainingEvent.Kind.INTRODUCTION,
        )
    )
