"""Sentences generated from the figures, in the style of the model report ("Rapport
stödpersonsverksamheten T3 2022"), to prefill the sections the administrator writes.

The sentences are written in Swedish here, not as English msgids to translate: the report
is a Swedish document (an official record in Swedish), its sentences are content, not
interface, and Swedish grammar (en/ett, plural forms, "båda två") does not survive being
assembled from translated fragments.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import cast

from .figure_types import EventFigures, Flow, GenderCounts, PeriodFigures, ReportFigures
from .pool import GENDERS
from .tables import is_small

MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
NUMBER_WORDS = ["noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio"]

# kind -> (definite singular, definite plural)
EVENT_KINDS = {
    "evening_meeting": ("kvällsmötet", "kvällsmötena"),
    "information_evening": ("informationskvällen", "informationskvällarna"),
    "training_weekend": ("utbildningshelgen", "utbildningshelgerna"),
    "introduction": ("introduktionsutbildningen", "introduktionsutbildningarna"),
}
# gender -> (adjective singular, adjective plural)
GENDER_ADJECTIVES = {"woman": ("kvinnlig", "kvinnliga"), "man": ("manlig", "manliga")}
# gender -> (one, many) for a count of people
GENDER_NOUNS = {
    "woman": ("kvinna", "kvinnor"),
    "man": ("man", "män"),
    "other": ("med annat eller okänt kön", "med annat eller okänt kön"),
}


def digits(n: int) -> str:
    """A count in digits, thousands apart with a non-breaking space: "1 234"."""
    return "\N{NO-BREAK SPACE}".join(f"{n:,}".split(","))


def number(n: int) -> str:
    """1 is "en" (stödperson, som i förlagan); other counts are digits."""
    return "en" if n == 1 else digits(n)


def count(n: int, figures: ReportFigures) -> str:
    """A count of clients (requests, assignments, deviations) under the small-count rule
    (tables.is_small): "färre än 5" instead of a count that could identify someone."""
    smallest = int(figures["min_group_size"])
    return f"färre än {smallest}" if is_small(n, smallest) else digits(n)


def percent(value: float) -> str:
    text = f"{value:.1f}".replace(".", ",")
    return f"{text.removesuffix(',0')} %"


def period_phrase(figures: ReportFigures) -> str:
    first = date.fromisoformat(figures["period"]["first_day"])
    last = date.fromisoformat(figures["period"]["last_day"])
    return f"{MONTHS[first.month - 1]} – {MONTHS[last.month - 1]}"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " och " + parts[-1]


def _people(n: int, gender: str) -> str:
    """ "en kvinnlig stödperson", "3 manliga stödpersoner", "2 stödpersoner med annat …"."""
    if gender in GENDER_ADJECTIVES:
        singular, plural = GENDER_ADJECTIVES[gender]
        return f"en {singular} stödperson" if n == 1 else f"{digits(n)} {plural} stödpersoner"
    if n == 1:
        return "en stödperson med annat eller okänt kön"
    return f"{digits(n)} stödpersoner med annat eller okänt kön"


def _where(by_locality: dict[str, int], total: int) -> str:
    """ ", 2 i Umeå och en i Skellefteå", ", båda två i Umeå", ", samtliga i Umeå"."""
    places = [(name, n) for name, n in by_locality.items() if n]
    if len(places) == 1:
        name = places[0][0]
        if total == 2:
            return f", båda två i {name}"
        return f", samtliga i {name}"
    return ", " + _join([f"{number(n)} i {name}" for name, n in places])


def flow_sentences(
    block: PeriodFigures, flow: Flow, verb: str, *, period_last: bool = False
) -> list[str]:
    """The seed's "Under perioden har 3 kvinnliga stödpersoner inaktiverats som stödperson,
    2 i Umeå och en i Skellefteå. Under samma period har även 2 manliga …"; with
    `period_last`, its "En kvinnlig stödperson i Umeå har rekryterats under perioden."."""
    by_gender: dict[str, dict[str, int]] = defaultdict(dict)
    for row in block["support_persons"]["by_locality"]:
        for gender, n in row[flow].items():
            if n:
                by_gender[gender][row["locality"]] = n
    sentences: list[str] = []
    for gender in GENDERS:
        places = by_gender.get(gender)
        if not places:
            continue
        total = sum(places.values())
        if total == 1:
            subject, where = f"{_people(1, gender)} i {next(iter(places))}", ""
        else:
            subject, where = _people(total, gender), _where(places, total)
        if not sentences and period_last:
            sentences.append(f"{_capitalise(subject)} har {verb} under perioden{where}.")
        elif not sentences:
            sentences.append(f"Under perioden har {subject} {verb}{where}.")
        else:
            # The seed repeats only the verb: "… har även 2 manliga stödpersoner inaktiverats".
            short = verb.split(" ", 1)[0]
            sentences.append(f"Under samma period har även {subject} {short}{where}.")
    return sentences


def _gender_counts(counts: GenderCounts) -> str:
    parts = []
    for gender in GENDERS:
        n = counts.get(gender, 0)
        if n:
            one, many = GENDER_NOUNS[gender]
            parts.append(f"{digits(n)} {one if n == 1 else many}")
    return _join(parts)


# --- The four sections -----------------------------------------------------------------------


def activities_text(figures: ReportFigures) -> str:
    block = figures["current"]
    activities = block["activities"]
    period = period_phrase(figures)
    events = [e for e in activities["events"] if e["status"] in ("held", "cancelled")]
    paragraphs: list[str] = []
    if not events:
        paragraphs.append(f"Under perioden {period} har inga utbildningstillfällen hållits.")
    else:
        held, cancelled = activities["held"], activities["cancelled"]
        total = held + cancelled
        offered = "ett utbildningstillfälle" if total == 1 else f"{total} utbildningstillfällen"
        sentence = f"Under perioden {period} har stödpersonerna erbjudits {offered}"
        if cancelled and held:
            sentence += f", varav {held} har genomförts och {cancelled} har ställts in."
        elif cancelled:
            sentence += ", som har ställts in."
        else:
            sentence += "."
        sentences = [sentence]
        groups: dict[tuple[str, int, str], list[EventFigures]] = defaultdict(list)
        for event in events:
            month = date.fromisoformat(event["date"]).month
            groups[(event["kind"], month, event["status"])].append(event)
        for (kind, month, status), group in groups.items():
            singular, plural = EVENT_KINDS.get(kind, ("tillfället", "tillfällena"))
            name = _capitalise(singular if len(group) == 1 else plural)
            rows = [row for event in group for row in event["localities"]]
            if status == "held":
                parts = [
                    f"av {row['active']} aktiva stödpersoner i {row['locality']} "
                    f"deltog {row['attended']} st"
                    for row in rows
                ]
                sentences.append(f"{name} i {MONTHS[month - 1]}: {', och '.join(parts)}.")
            else:
                reasons = sorted({e["cancel_reason"] for e in group if e["cancel_reason"]})
                because = f" ({'; '.join(r.lower() for r in reasons)})" if reasons else ""
                registered = [
                    f"i {row['locality']}{' anmälde sig' if i == 0 else ''} "
                    + (f"{row['registered']} st" if row["registered"] else "ingen")
                    for i, row in enumerate(rows)
                ]
                sentences.append(
                    f"{name} i {MONTHS[month - 1]} ställdes in{because}. "
                    f"{_capitalise(_join(registered))}."
                )
        paragraphs.append(" ".join(sentences))
    collaboration = block["collaboration"]
    number_of = figures["period"]["tertial"]
    if collaboration["forums"]:
        paragraphs.append(
            f"Under tertial {number_of} har representanter från förvaltningen deltagit vid "
            f"olika samverkansgrupper: {_join(collaboration['forums'])}."
        )
    else:
        paragraphs.append(f"Under tertial {number_of} har ingen samverkan registrerats.")
    return "\n\n".join(paragraphs)


def support_persons_text(figures: ReportFigures) -> str:
    block = figures["current"]
    pool = block["support_persons"]
    sentences = flow_sentences(block, "deactivated", "inaktiverats som stödperson")
    if not sentences:
        sentences.append("Under perioden har ingen stödperson inaktiverats.")
    recruited = flow_sentences(block, "recruited", "rekryterats", period_last=True)
    if recruited:
        sentences.extend(recruited)
    else:
        sentences.append("Ingen stödperson har rekryterats under perioden.")
    sentences.extend(flow_sentences(block, "reactivated", "återaktiverats", period_last=True))
    places = [
        f"{sum(row['active'].values())} i {row['locality']} ({_gender_counts(row['active'])})"
        for row in pool["by_locality"]
        if sum(row["active"].values())
    ]
    closing = (
        f"Vid periodens slut fanns {pool['closing']} aktiva stödpersoner"
        f" (vid periodens början {pool['opening']})"
    )
    sentences.append(closing + (f": {_join(places)}." if places else "."))
    return " ".join(sentences)


def assignments_text(figures: ReportFigures) -> str:
    block = figures["current"]
    requests = block["requests"]
    assignments = block["assignments"]
    target = requests["target_working_days"]
    days = NUMBER_WORDS[target] if target < len(NUMBER_WORDS) else str(target)
    day_word = "arbetsdag" if target == 1 else "arbetsdagar"
    period = period_phrase(figures)
    is_committee = figures["programme"]["kind"] != "lss"
    smallest = int(figures["min_group_size"])
    # Too few answered for a share or a median to say nothing of a single request.
    few = is_small(requests["answered"], smallest)
    paragraphs: list[str] = []
    if requests["answered"]:
        sentences: list[str] = []
        if requests["missed"] == 0:
            sentences.append(
                "Under hela aktuell period har målvärdet uppfyllts i att stödperson skall ha "
                f"förordnats till patienten inom {days} {day_word} sedan hen uttryckt önskemål "
                "om detta."
            )
        elif (
            few
            or is_small(requests["within_target"], smallest)
            or is_small(requests["missed"], smallest)
        ):
            # Either count, with the number answered, would tell the other.
            sentences.append(
                f"Målvärdet att stödperson ska ha förordnats inom {days} {day_word} sedan "
                "patienten uttryckt önskemål om detta har inte uppfyllts i samtliga fall."
            )
        else:
            # Some were answered, so there is a share.
            within_target_share = cast(float, requests["within_target_share"])
            sentences.append(
                f"Målvärdet att stödperson ska ha förordnats inom {days} {day_word} sedan "
                f"patienten uttryckt önskemål om detta har uppfyllts i "
                f"{requests['within_target']} av {requests['answered']} fall "
                f"({percent(within_target_share)}). I {requests['missed']} fall "
                "har målvärdet inte uppfyllts."
            )
        within_one_share = requests["within_one_share"]
        if not few and within_one_share is not None and within_one_share > 50:
            sentences.append(
                "I de flesta fall har stödperson varit utsedd inom en arbetsdag "
                f"({percent(within_one_share)})."
            )
        if requests["excused"]:
            sentences.append(
                f"I vissa fall har handläggningstiden överskridit {days} {day_word} på grund "
                "av att patienten ej kunnat ta ställning i frågan relaterat till "
                "hälsotillstånd eller andra omständigheter."
            )
        median = requests["median_working_days"]
        if median is not None and not few:
            value = f"{median:g}".replace(".", ",")
            sentences.append(
                f"Mediantiden från önskemål till förordnande var {value} "
                f"{'arbetsdag' if median == 1 else 'arbetsdagar'}."
            )
        paragraphs.append(" ".join(sentences))
    elif is_committee:
        paragraphs.append(
            "Under perioden har inga önskemål om stödperson besvarats med förordnande."
        )
    if requests["waiting_late_at_end"]:
        n = count(requests["waiting_late_at_end"], figures)
        paragraphs.append(f"Vid periodens slut väntade {n} önskemål längre än målvärdet.")
    appointed, released = assignments["appointed"], assignments["released"]
    if is_small(appointed, smallest) or is_small(released, smallest):
        # The sentence names no total, so the two hidden together tell nothing more.
        appointed_text, released_text = count(appointed, figures), count(released, figures)
    else:
        appointed_text, released_text = digits(appointed), digits(released)
    if is_committee:
        paragraphs.append(
            f"Under perioden {period} har totalt {appointed_text} "
            f"stödpersonsuppdrag förordnats och {released_text} uppdrag entledigats."
        )
    else:
        paragraphs.append(
            f"Under perioden {period} har totalt {appointed_text} "
            f"stödpersonsuppdrag påbörjats och {released_text} uppdrag avslutats."
        )
        paragraphs.extend(_personal_assistance_sentences(figures))
    return "\n\n".join(paragraphs)


def _personal_assistance_sentences(figures: ReportFigures) -> list[str]:
    pa = figures["current"]["personal_assistance"]
    if not pa:
        return []
    smallest = int(figures["min_group_size"])

    def shown(n: int, of: int) -> bool:
        # A share tells n with the group: neither n, the group nor the rest may be small.
        return not (is_small(n, smallest) or is_small(of, smallest) or is_small(of - n, smallest))

    sentences: list[str] = []
    if not is_small(pa["clients"], smallest) and pa["clients"]:
        parts = []
        if shown(pa["with_support_person"], pa["clients"]):
            parts.append(f"{percent(cast(float, pa['support_person_share']))} en stödperson")
        if pa["plan_share"] is not None and shown(pa["with_current_plan"], pa["with_duties"]):
            parts.append(f"{percent(pa['plan_share'])} en aktuell genomförandeplan")
        if pa["documented_every_month_share"] is not None and shown(
            pa["documented_every_month"], pa["documentation_clients"]
        ):
            documented = pa["documented_every_month_share"]
            parts.append(f"{percent(documented)} dokumentation varje månad under perioden")
        if parts:
            sentences.append(
                f"Av de {pa['clients']} brukare som var aktiva vid periodens slut hade "
                f"{_join(parts)}."
            )
    sentences.append(
        f"Under perioden har {count(pa['deviations_opened'], figures)} avvikelser registrerats "
        f"och {count(pa['deviations_closed'], figures)} avslutats; vid periodens slut var "
        f"{count(pa['deviations_open_at_end'], figures)} avvikelser öppna."
    )
    return [" ".join(sentences)]


# Below this share of men in a locality's pool, the report points out a shortage (the seed:
# "det finns fortfarande ett underskott av manliga stödpersoner i Skellefteå"); a pool
# smaller than MIN_POOL is too small to speak of a share.
MEN_SHORTAGE_SHARE = 25.0
MIN_POOL = 5


def planned_actions_text(figures: ReportFigures) -> str:
    """Observations from the figures that usually lead to an action; the administrator
    turns them into the plan."""
    block = figures["current"]
    observations = []
    for row in block["support_persons"]["by_locality"]:
        active = sum(row["active"].values())
        men = row["active"].get("man", 0)
        if active >= MIN_POOL and 100 * men / active < MEN_SHORTAGE_SHARE:
            observations.append(
                f"Det finns ett underskott av manliga stödpersoner i {row['locality']} "
                f"({men} av {active} aktiva)."
            )
    pool = block["support_persons"]
    if pool["deactivated"] > pool["recruited"] + pool["reactivated"]:
        observations.append(
            f"Fler stödpersoner har inaktiverats ({pool['deactivated']}) än rekryterats "
            f"({pool['recruited'] + pool['reactivated']}); rekryteringsbehovet behöver ses över."
        )
    cancelled = block["activities"]["cancelled"]
    if cancelled:
        what = (
            "Ett utbildningstillfälle" if cancelled == 1 else f"{cancelled} utbildningstillfällen"
        )
        observations.append(
            f"{what} har ställts in; formerna för utbildningstillfällena kan behöva ses över."
        )
    missed = block["requests"]["missed"]
    if missed:
        observations.append(
            f"Målvärdet för förordnande har inte uppfyllts i {count(missed, figures)} fall; "
            "orsakerna följs upp."
        )
    if not observations:
        return ""
    return "Att ta ställning till inför nästa period: " + " ".join(observations)


def generated_texts(figures: ReportFigures) -> dict[str, str]:
    """The four sections, keyed by the TertialReport field they prefill."""
    return {
        "activities_text": activities_text(figures),
        "support_persons_text": support_persons_text(figures),
        "assignments_text": assignments_text(figures),
        "planned_actions_text": planned_actions_text(figures),
    }
