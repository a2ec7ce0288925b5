"""Fenced code: Pygments colours, a language label for the page, a bounded cost."""

from __future__ import annotations

import html
from functools import lru_cache

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

# Pygments lexes ~0.5 MB/s: past this many characters of code in one document, blocks are shown
# uncoloured, so that no body costs more than a few tens of milliseconds.
HIGHLIGHT_BUDGET = 20_000

_FORMATTER = HtmlFormatter(nowrap=True)


@lru_cache(maxsize=256)
def _lexer(language: str) -> Lexer | None:
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


@lru_cache(maxsize=1024)
def _coloured(code: str, language: str) -> str | None:
    lexer = _lexer(language)
    return None if lexer is None else highlight(code, lexer, _FORMATTER)


def block(code: str, language: str, budget: list[int]) -> str:
    """A code block: `code` is plain text, `language` the fence's first word (may be empty).

    `budget` is the characters of code left to colour in this document; it is spent here.
    """
    label = html.escape(language, quote=True)
    inner = None
    cost = len(code) + 500  # a lexer's start costs about as much as 500 characters
    if language and cost <= budget[0]:
        budget[0] -= cost
        inner = _coloured(code, language.lower())
    if inner is None:
        inner = html.escape(code, quote=False)
    lang_attr = f' data-lang="{label}"' if language else ""
    return f'<div class="highlight"{lang_attr}><pre><code>{inner}</code></pre></div>'
