"""Text helpers shared by the apps."""

import unicodedata


def fold(text: str) -> str:
    """Fold case the same way on every database: SQLite's LIKE folds only ASCII, so Swedish
    names are compared as casefolded, NFC-normalised text stored beside the original."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())
