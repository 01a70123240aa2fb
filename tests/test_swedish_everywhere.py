"""No English word in the visible text of the Swedish interface, on every page each persona
can open (the pages come from the access matrix: tests/everypage.py).

The visible text is what a reader sees or a screen reader reads: the text outside <script>
and <style>, the page title, and the attributes that are shown or read aloud (aria-label,
alt, title, placeholder, a button's value, the column label a card shows on a phone).

The English words are the project's own: every word of a msgid that occurs in no Swedish
msgstr and in none of the test data (factories, personas, Faker's Swedish names), plus a
short list of the English of a generic interface. A word that is the same in both languages
is allowed below, each with the reason.
"""

from __future__ import annotations

import ast
import functools
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from faker.providers.person.sv_SE import Provider as SwedishNames

from tests.everypage import PERSONAS, furnish, html_pages
from tests.test_access_matrix import http_as  # noqa: F401 (a fixture)

PO_FILE = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po"
TEST_DATA = [Path(__file__).parent / name for name in ("factories.py", "conftest.py")]
WORD = re.compile(r"[^\W\d_]{2,}")  # one letter is no evidence ("Enhet A")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}|<[^>]+>")

# The English of a generic interface, whether or not the project has a msgid for it.
# fmt: off
COMMON_UI_ENGLISH = {
    "save", "cancel", "delete", "edit", "search", "next", "previous", "page", "of", "none",
    "true", "false", "yes", "no", "home", "submit", "log", "login", "logout", "filter", "show",
    "back", "close", "open", "add", "remove", "update", "create", "new", "view", "details",
    "loading", "select", "choose", "all", "more", "less", "first", "last", "sort", "clear",
    "reset", "apply", "confirm", "required", "optional", "error", "warning", "success", "info",
    "help", "settings", "profile", "account", "username", "password", "email", "name", "date",
    "time", "today", "yesterday", "tomorrow", "and", "or", "the", "to", "from", "with",
    "without", "for", "by", "is", "are",
}
# fmt: on

# Words of the project's English that are Swedish words too, or names, and may stand on a
# Swedish page.
ALLOWED = {
    "gdpr": "the regulation's name, the same in Swedish (GDPR art. 15)",
    "moment": "Swedish too: a step (ett moment i rekryteringen)",
    "register": "Swedish too (register, belastningsregister)",
    "information": "Swedish too (informationen, information om)",
    "personal": "Swedish too: the staff (personalen)",
    "import": "Swedish too: the import of a file (Importera, import)",
    "data": "Swedish too (data, datan)",
    "app": "Swedish too: an authenticator app (autentiseringsapp, appen)",
    "median": "Swedish too (medianen)",
    "minimum": "Swedish too",
    "position": "Swedish too",
    "service": "Swedish too",
    "total": "Swedish too (totalt)",
}


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(PLACEHOLDER.sub(" ", text))}


def _texts(path: Path) -> list[str]:
    """The test data's texts in a module: its string literals that read as text (capitalised
    or with a space: names, titles, places), not field names, dotted paths or docstrings."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and "_" not in node.value
        and (node.value[:1].isupper() or " " in node.value.strip())
    ]


@functools.cache
def english_words() -> frozenset[str]:
    english: set[str] = set()
    swedish: set[str] = set()
    for entry in polib.pofile(str(PO_FILE)):
        if entry.obsolete:
            continue
        english |= _words(entry.msgid) | _words(entry.msgid_plural or "")
        swedish |= _words(entry.msgstr)
        for text in entry.msgstr_plural.values():
            swedish |= _words(text)
    data = set().union(*(_words(text) for path in TEST_DATA for text in _texts(path)))
    names = _words(" ".join([*SwedishNames.first_names, *SwedishNames.last_names]))
    derived = english - swedish - data - names
    return frozenset((derived | COMMON_UI_ENGLISH) - set(ALLOWED))


# Attributes whose value is shown or read aloud. `data-label` is a column header a card
# shows before the value on a phone (table.table-cards, static/css/app.css).
SHOWN_ATTRIBUTES = {"aria-label", "alt", "title", "placeholder", "data-label"}
BUTTON_INPUTS = {"submit", "button", "reset"}
# Not language: script and style, and machine text a person copies or types as it stands (a
# two-factor key "GQXY 3CTI UP22…", a file's column header `first_name`).
NOT_LANGUAGE = {"script", "style", "code", "kbd", "samp"}


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in NOT_LANGUAGE:
            self._hidden += 1
        values = dict(attrs)
        self.parts.extend(v for k, v in attrs if k in SHOWN_ATTRIBUTES and v)
        if tag == "input" and values.get("type") in BUTTON_INPUTS and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in NOT_LANGUAGE and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


def english_in(html: str) -> list[str]:
    """The English words of a page, each with a little of the text around it."""
    text = " ".join(visible_text(html).split())
    found = []
    for match in WORD.finditer(text):
        if match.group().lower() in english_words():
            around = text[max(0, match.start() - 30) : match.end() + 30]
            found.append(f"{match.group()!r} in “…{around}…”")
    return found


def test_the_visible_text_is_what_a_reader_sees_or_hears():
    html = """<html><head><title>Klienter</title><style>.save{}</style></head><body>
      <script>const cancel = 1;</script><!-- Save --><code>UP22 first_name</code>
      <a href="/edit/" class="delete" aria-label="Ändra klient">Ändra</a>
      <img src="x.png" alt="Logotyp"><input type="submit" value="Spara">
      <input type="hidden" name="next" value="Next"><td data-label="Enhet">A</td></body></html>"""
    text = " ".join(visible_text(html).split())
    assert text == "Klienter Ändra klient Ändra Logotyp Spara Enhet A"


def test_it_finds_english_words_and_lets_swedish_and_names_through():
    assert english_words() >= {"save", "cancel", "client", "request", "overdue"}
    assert english_in("<p>Åke Öberg: Spara klienten</p>") == []
    assert english_in('<button aria-label="Save">Spara</button>') == ["'Save' in “…Save Spara…”"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_shows_an_english_word(persona, world, http_as, admin_user):  # noqa: F811
    furnish(world, admin=admin_user)
    http = http_as(persona)
    english = {}
    for url, response in html_pages(persona, world, http):
        if found := english_in(response.content.decode()):
            english[url] = found
    if english:
        pytest.fail("\n".join(f"{url}: {'; '.join(words)}" for url, words in english.items()))
