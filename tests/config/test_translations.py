"""Korean is the default language: every string the app shows must be translated."""

import re
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "ko" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_korean_translation():
    po = polib.pofile(str(CATALOGUE))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [], "translate these in locale/ko/LC_MESSAGES/django.po"
    assert fuzzy == [], "check these guesses of makemessages, then drop the fuzzy flag"


def test_placeholders_survive_translation():
    po = polib.pofile(str(CATALOGUE))
    broken = [
        e.msgid
        for e in po.translated_entries()
        if not e.msgid_plural and sorted(_placeholders(e.msgid)) != sorted(_placeholders(e.msgstr))
    ]
    assert broken == []


def _placeholders(text: str) -> list[str]:

    return re.findall(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}", text)
