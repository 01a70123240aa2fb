"""Candidates for a client's support person, ranked by fit, each with the reasons why."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _

from clients.models import Client, Language
from supportpersons.models import RecruitmentStep, Registration, SupportPerson, TrainingEvent

# The patient committee's weights: a wish the client expressed counts most, then
# closeness, then free capacity.
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
    # Personal assistance: the group the candidate is offered in (their unit first), and
    # the order within it (rank_candidates); empty and unused at the patient committee.
    group: str = ""
    rank: tuple[int, ...] = ()

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
    whatever the size of the pool.

    Personal assistance (the routine: the support person is one of the assistants who work
    close to the client): the assistants of the client's unit first, then those of other
    units in the same locality; nobody from another locality. Within each group, a person
    with a free place before one without, then the client's wishes met (gender, language),
    then the lighter load. The screen shows the group as a heading and the reasons in that
    order, so they say why one stands above the next. The patient committee's volunteers
    are ranked by a score instead."""
    wished_gender = wished_gender or client.wished_gender
    wished_language = wished_language or client.wished_language
    programme = client.unit.programme
    people = (
        SupportPerson.objects.filter(programme_id=programme.pk, status=SupportPerson.Status.ACTIVE)
        .with_load()
        .annotate(
            training_step=_introduction_step(),
            training_event=_introduction_attended(),
        )
        .select_related("locality", "unit__locality")
        .prefetch_related(Prefetch("languages", queryset=Language.objects.only("id", "name")))
    )
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    if programme.is_personal_assistance:
        people = people.filter(_near(client))
        candidates = [_rank(p, client, wished_gender, wished_language) for p in people]
        candidates.sort(key=lambda c: (c.rank, c.person.search_name, c.person.pk))
        return candidates[:limit]
    candidates = [_score(p, client, wished_gender, wished_language) for p in people]
    candidates.sort(key=lambda c: (-c.score, c.load, c.person.search_name, c.person.pk))
    return candidates[:limit]


def _near(client: Client) -> Q:
    """Who may be offered in personal assistance: an assistant of the client's unit, or of
    another unit in its locality (where they work), or, with no unit, living there."""
    locality = client.unit.locality_id
    return (
        Q(unit_id=client.unit_id)
        | Q(unit__locality_id=locality)
        | Q(unit__isnull=True, locality_id=locality)
    )


def _wishes(
    candidate: Candidate,
    person: SupportPerson,
    wished_gender: str,
    wished_language: Language | None,
) -> int:
    """Add the reasons and warnings of the client's wishes; the number of wishes met."""
    met = 0
    if wished_gender:
        if person.gender == wished_gender:
            met += 1
            candidate.reasons.append(_("Gender as the client wishes"))
        else:
            candidate.warnings.append(_("Not the gender the client wishes"))
    if wished_language is not None:
        if any(lang.pk == wished_language.pk for lang in person.languages.all()):
            met += 1
            candidate.reasons.append(_("Speaks %(language)s") % {"language": wished_language.name})
        else:
            candidate.warnings.append(
                _("Does not speak %(language)s") % {"language": wished_language.name}
            )
    return met


def _capacity(candidate: Candidate, person: SupportPerson) -> None:
    if candidate.free_places > 0:
        candidate.reasons.append(
            _("%(free)s of %(capacity)s places free")
            % {"free": candidate.free_places, "capacity": person.capacity}
        )
    else:
        candidate.warnings.append(_("No capacity left"))


def _trained(person: SupportPerson) -> bool:
    return bool(getattr(person, "training_step", False) or getattr(person, "training_event", False))


def _rank(
    person: SupportPerson, client: Client, wished_gender: str, wished_language: Language | None
) -> Candidate:
    candidate = Candidate(person=person, load=person.load)  # type: ignore[attr-defined]
    in_unit = person.unit_id == client.unit_id
    if in_unit:
        candidate.group = _("Works in the client's unit")
    else:
        candidate.group = _("Works elsewhere in %(locality)s") % {
            "locality": client.unit.locality.name
        }
    _capacity(candidate, person)
    met = _wishes(candidate, person, wished_gender, wished_language)
    trained = _trained(person)
    if trained:
        candidate.reasons.append(_("Introduction training done"))
    candidate.rank = (
        0 if in_unit else 1,
        0 if candidate.free_places > 0 else 1,
        -met,
        candidate.load,
        0 if trained else 1,
    )
    return candidate


def _score(
    person: SupportPerson, client: Client, wished_gender: str, wished_language: Language | None
) -> Candidate:
    candidate = Candidate(person=person, load=person.load)  # type: ignore[attr-defined]
    met = _wishes(candidate, person, wished_gender, wished_language)
    # Each wish weighs the same (WISHED_GENDER == WISHED_LANGUAGE).
    candidate.score += WISHED_GENDER * met
    if person.unit_id is not None and person.unit_id == client.unit_id:
        candidate.score += SAME_UNIT
        candidate.reasons.append(_("Works in the client's unit"))
    elif person.locality_id == client.unit.locality_id:
        candidate.score += SAME_LOCALITY
        candidate.reasons.append(_("Same locality"))
    _capacity(candidate, person)
    if candidate.free_places > 0:
        candidate.score += PER_FREE_PLACE * min(candidate.free_places, 3)
    else:
        candidate.score -= 50
    if _trained(person):
        candidate.score += TRAINING_DONE
        candidate.reasons.append(_("Introduction training done"))
    else:
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
