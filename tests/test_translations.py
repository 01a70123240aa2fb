"""The interface is Swedish throughout: every message has a Swedish translation."""

from pathlib import Path

import polib
from django.conf import settings

PO_FILE = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(PO_FILE))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_the_compiled_catalogue_is_not_older_than_the_translations():
    mo_file = PO_FILE.with_suffix(".mo")
    compiled = polib.mofile(str(mo_file))
    translated = {e.msgid: e.msgstr for e in polib.pofile(str(PO_FILE)) if e.msgstr}
    assert {e.msgid: e.msgstr for e in compiled if e.msgstr} == translated
