"""One msgid, one meaning: an English word with two Korean meanings ("Cohort": the noun 기수, or
the visibility choice 기수 공개) is split by a translation context (`pgettext`, `{% translate …
context … %}`), and the catalogue and the source agree on the contexts."""

import re
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po"

# Korean words that carry one meaning only: an entry translated by one of them must be in its
# context, so the same English word elsewhere (a label, a heading) is never translated by it.
MEANINGS = {"visibility": {"나만 보기", "기수 공개", "전체 공개", "비공개"}}

_PY_CONTEXT = re.compile(r"""\b(?:n?pgettext(?:_lazy)?)\(\s*"([^"]+)"\s*,\s*"((?:[^"\\]|\\.)+)\"""")
_TEMPLATE_CONTEXT = re.compile(
    r"""\{%\s*(?:translate|trans)\s+"((?:[^"\\]|\\.)+)"\s+context\s+"([^"]+)"[^%]*%\}"""
)


def _source_contexts() -> set[tuple[str, str]]:
    """(context, msgid) of every use with a context in the app's Python and templates."""
    found = set()
    for folder in ("accounts", "config", "logs", "ops", "templates"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix == ".py" and "migrations" not in path.parts:
                found |= set(_PY_CONTEXT.findall(path.read_text()))
            elif path.suffix in {".html", ".txt"}:
                found |= {(ctx, mid) for mid, ctx in _TEMPLATE_CONTEXT.findall(path.read_text())}
    return found


def test_a_word_of_one_meaning_translates_only_in_its_context():
    po = polib.pofile(str(CATALOGUE))
    wrong = [
        (entry.msgctxt, entry.msgid, entry.msgstr)
        for entry in po
        for meaning, words in MEANINGS.items()
        if entry.msgstr in words and entry.msgctxt != meaning
    ]
    assert wrong == [], f"give these msgctxt {list(MEANINGS)} (pgettext / context)"


def test_every_context_used_in_the_source_is_translated():
    """Django falls back to the English msgid when an entry with the context is missing."""
    po = polib.pofile(str(CATALOGUE))
    catalogue = {(e.msgctxt, e.msgid) for e in po.translated_entries() if e.msgctxt}
    used = _source_contexts()
    assert used, "the source uses contexts (logs/models.py Visibility, _visibility_badge.html)"
    assert sorted(used - catalogue) == []
    assert sorted(catalogue - used) == [], "entries with a context nothing uses any more"


def test_the_cohort_noun_and_the_visibility_choice_read_differently():
    po = polib.pofile(str(CATALOGUE))
    noun = po.find("Cohort")
    visibility = po.find("Cohort", msgctxt="visibility")
    assert noun is not None and visibility is not None
    assert (noun.msgstr, visibility.msgstr) == ("기수", "기수 공개")
