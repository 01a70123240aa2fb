"""Merge the translations in locale/sv/pending/*.json into django.po, then compile.

Run after makemessages: uv run --with polib python locale/merge_pending.py
Each JSON maps an English msgid to its Swedish msgstr (a list of two for plurals)."""

import json
import subprocess
from pathlib import Path

import polib  # type: ignore[import-untyped]

HERE = Path(__file__).resolve().parent
po = polib.pofile(str(HERE / "sv" / "LC_MESSAGES" / "django.po"))
pending: dict[str, object] = {}
for path in sorted((HERE / "sv" / "pending").glob("*.json")):
    pending.update(json.loads(path.read_text()))
for entry in po:
    value = pending.get(entry.msgid)
    if value is None or (entry.translated() and "fuzzy" not in entry.flags):
        continue
    if entry.msgid_plural:
        entry.msgstr_plural = {0: value[0], 1: value[1]}  # type: ignore[index]
    else:
        entry.msgstr = value  # type: ignore[assignment]
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    entry.previous_msgid = entry.previous_msgid_plural = None
po.save()
left = [e.msgid for e in po if e.msgid and (not e.translated() or "fuzzy" in e.flags)]
print(f"{len(left)} left untranslated:", *left, sep="\n  ")
subprocess.run(["msgfmt", "-o", str(HERE / "sv/LC_MESSAGES/django.mo"), po.fpath], check=True)
