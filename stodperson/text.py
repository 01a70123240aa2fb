"""Text helpers shared by the apps."""

import re
import unicodedata


def fold(text: str) -> str:
    """Fold case the same way on every database: SQLite's LIKE folds only ASCII, so Swedish
    names are compared as casefolded, NFC-normalised text stored beside the original."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


# Letters people type for one another in names: "Sundstrom" for Sundström, "Ake" for Åke,
# "Andre" for André. Each letter of a group stands for any of them in a folded search.
_SAME_LETTERS = ["aåäàáâã", "oöøóòôõ", "eéèêë", "uüúùû", "iíìîï", "yý", "cç", "nñ"]
_LETTER_CLASS = {letter: f"[{group}]" for group in _SAME_LETTERS for letter in group}


def folded_pattern(word: str) -> str:
    """A regular expression (for `__regex` on a folded column, on PostgreSQL and SQLite alike)
    that matches the folded word with å, ä and ö and their plain letters as one:
    "sundstrom" -> "s[uüúùû][nñ]dstr[oöøóòôõ]m"."""
    return "".join(_LETTER_CLASS.get(c, re.escape(c)) for c in fold(word))
