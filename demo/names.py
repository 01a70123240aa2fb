"""Names, languages and personnummer for synthetic people: fixed lists, so that the same seed
gives the same people."""

from __future__ import annotations

import random
from datetime import date

from clients.models import Gender

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
