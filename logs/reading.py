"""What the entry page tells a reader about a text before they read it (pure: no model).

Reading time counts Korean by characters: a Hangul syllable is a good part of a word, and
Korean readers take in about 500 characters a minute, whereas counting space-separated "words"
would make a Korean log read twice as fast as it does. Latin text is counted in words. Code is
skimmed rather than read, so its words weigh less.
"""

from __future__ import annotations

import datetime as dt
import re

HANGUL_CHARS_PER_MINUTE = 500
WORDS_PER_MINUTE = 230
CODE_WORDS_PER_MINUTE = 600

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)", re.M | re.S)
# Markup a reader does not read: link targets, raw tags, attribute lists, Liquid tags.
_MARKUP = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|<[^>\n]*>|\{:[^}\n]*\}|\{%.*?%\}")
# Hangul syllables and jamo, and Han and kana, read a character at a time.
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7a3]")
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")


def reading_minutes(markdown: str) -> int:
    """Minutes a reader takes to read `markdown`, at least 1."""
    code_words = 0

    def take_code(match: re.Match) -> str:
        nonlocal code_words
        code_words += len(_WORD.findall(match.group(0).partition("\n")[2]))  # not the info
        return "\n"

    prose = _MARKUP.sub(" ", _FENCE.sub(take_code, markdown))
    characters = len(_CJK.findall(prose))
    words = len(_WORD.findall(_CJK.sub(" ", prose)))
    minutes = (
        characters / HANGUL_CHARS_PER_MINUTE
        + words / WORDS_PER_MINUTE
        + code_words / CODE_WORDS_PER_MINUTE
    )
    return max(1, round(minutes))


def updated_on(published: dt.date, created: dt.date, updated: dt.date) -> dt.date | None:
    """The day to show as "updated", or None: only a change made on a later day than the one
    the entry is for and the one it was written (or imported) on is worth a reader's notice."""
    return updated if updated > max(published, created) else None
