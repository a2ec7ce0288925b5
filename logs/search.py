"""The search domain: what a query means, as a Postgres tsquery; how a snippet is shown.

Pure: strings in, strings out. The QuerySet side (`logs.models`: `search_vector`, the GIN indexes,
`Entry.objects.matching(...)`) and the page (`logs.views.search`) build on it.

Index
    Entries, sessions and comments carry a stored generated column `search_vector` built with
    the `simple` text search configuration (no stemming, no stop words: Postgres ships no Korean
    dictionary and the embedded server has no pg_trgm or mecab). `simple` lowercases and splits
    at spaces and punctuation, so a Korean word keeps its particle: "스케줄러도" is indexed as one
    token `스케줄러도`, and "transformer의" as `transformer의`.

Korean particles: prefix matching, not index-time variants
    Every word of a query becomes a *prefix* lexeme, `'스케줄러':*`, which the GIN index answers
    directly: 스케줄러 finds 스케줄러도, 스케줄러를, 스케줄러의; transformer finds transformer의.
    When the query itself carries a particle (트랜스포머의, ResNet에서) it is cut off first, so
    the bare word and all its other forms are found too. A particle is only cut when at least two
    characters remain (강의, 회의, 정의 stay whole).

    Why not index-time token variants (strip particles while indexing)? It needs either a custom
    dictionary (a C extension or files the embedded server lacks) or a PL/pgSQL function inside
    the generated column — and it guesses wrong on nouns that end like a particle (고양이 → 고양)
    in every document, forever, where prefix matching guesses only in the query. The price of
    prefixes is some over-matching (학습 also finds 학습률), which ranking and the highlighted
    snippet make easy to scan; it is the usual trade for Korean search without a morphological
    analyser.

Syntax (like websearch_to_tsquery, which cannot do prefixes)
    words are ANDed; "a phrase" keeps its words adjacent; -word or -"a phrase" excludes;
    `a or b` (any case) matches either, binding only its neighbours: `x a or b` is x & (a | b).
    Punctuation is ignored. A query with nothing to look for (empty, only punctuation, only
    exclusions) is not searchable, and the page says so instead of running it.

Safety
    A word is letters and digits, joined by inner `-` or `.` (gpt-3, lv1-u-stage, 3.14); it is
    quoted as a tsquery literal, so no user input reaches the tsquery syntax. Postgres re-parses
    each literal with the same parser as the documents (`multi-head` → `multi-head <-> multi <->
    head`), which keeps query and index consistent.
"""

import html
import re
import unicodedata
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_CHARS = 200
MAX_WORDS = 16

# Longest first, so 으로 wins over 로 and 에서 over 에.
PARTICLES = sorted(
    [
        "에서는",
        "으로는",
        "에게서",
        "한테서",
        "이라고",
        "이라는",
        "까지는",
        "부터는",
        "에서도",
        "으로도",
        "이라도",
        "에서",
        "에게",
        "한테",
        "으로",
        "까지",
        "부터",
        "처럼",
        "보다",
        "이나",
        "이랑",
        "에는",
        "에도",
        "로는",
        "께서",
        "마다",
        "조차",
        "밖에",
        "이다",
        "이고",
        "하고",
        "라고",
        "라는",
        "은",
        "는",
        "이",
        "가",
        "을",
        "를",
        "의",
        "에",
        "로",
        "와",
        "과",
        "도",
        "만",
    ],
    key=len,
    reverse=True,
)
MIN_STEM = 2

_WORD = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*")
_TOKEN = re.compile(r'(-*)"([^"]*)"?|(\S+)')
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "″": '"', "＂": '"', "－": "-", "–": "-"})

# Private-use characters mark a highlight inside Postgres' ts_headline output; they are turned
# into <mark> only after the text around them has been escaped.
START_SEL = "\ue000"
STOP_SEL = "\ue001"
_MARKED = re.compile(f"{START_SEL}([^{START_SEL}{STOP_SEL}]*){STOP_SEL}")
_MARKDOWN_NOISE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images: keep the alt text
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links: keep the text
    (re.compile(r"(?:^|\s)(?:[-*+]|\d+\.)\s+\[[ xX]\]\s"), " "),  # task list items
    (re.compile(r"(?m)^\s*(?:#{1,6}|>+|[-*+]|\d+\.)\s+"), " "),  # headings, quotes, bullets
    (re.compile(r"<br\s*/?>|\*\*|__|`+|\$\$?|~~|\|"), " "),
    (re.compile(r"\s+"), " "),
]


def strip_particle(word: str) -> str:
    """The word without a trailing Korean particle, when at least MIN_STEM characters remain."""
    if not _HANGUL.match(word[-1:]):
        return word
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= MIN_STEM:
            return word[: -len(particle)]
    return word


@dataclass(frozen=True)
class Clause:
    """One AND-ed part of a query: alternatives (each a phrase of one or more words)."""

    alternatives: tuple[tuple[str, ...], ...]
    negated: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    clauses: tuple[Clause, ...] = ()
    truncated: bool = False

    @property
    def is_searchable(self) -> bool:
        return any(not clause.negated for clause in self.clauses)

    @property
    def words(self) -> list[str]:
        """The words looked for, as searched (particles cut), for display."""
        return [w for c in self.clauses if not c.negated for alt in c.alternatives for w in alt]

    def to_tsquery(self) -> str:
        """The query as text for Postgres' to_tsquery('simple', …); '' when not searchable."""
        if not self.is_searchable:
            return ""
        parts = []
        for clause in self.clauses:
            alternatives = [_phrase(alt) for alt in clause.alternatives]
            part = alternatives[0] if len(alternatives) == 1 else f"({' | '.join(alternatives)})"
            parts.append(f"!{part}" if clause.negated else part)
        return " & ".join(parts)


def _phrase(words: tuple[str, ...]) -> str:
    lexemes = [f"'{word}':*" for word in words]
    return lexemes[0] if len(lexemes) == 1 else f"({' <-> '.join(lexemes)})"


def _words(text: str) -> tuple[str, ...]:
    return tuple(strip_particle(word) for word in _WORD.findall(text.lower()))


def parse(text: str | None) -> ParsedQuery:
    """Read a search box's text (see the module docstring for the syntax)."""
    text = unicodedata.normalize("NFC", (text or "").translate(_QUOTES)).strip()
    truncated = len(text) > MAX_QUERY_CHARS
    text = text[:MAX_QUERY_CHARS]
    clauses: list[Clause] = []
    budget = MAX_WORDS
    pending_or = False
    for match in _TOKEN.finditer(text):
        dashes, phrase, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            pending_or = bool(clauses) and not clauses[-1].negated
            continue
        if bare is not None:
            negated = bare.startswith("-")
            words = _words(bare.lstrip("-"))
        else:
            negated = bool(dashes)
            words = _words(phrase)
        words = words[:budget]
        if not words:
            continue
        budget -= len(words)
        if any(words in c.alternatives and c.negated == negated for c in clauses):
            pending_or = False
            continue
        if pending_or and not negated:
            last = clauses[-1]
            clauses[-1] = Clause(alternatives=(*last.alternatives, words))
        else:
            clauses.append(Clause(alternatives=(words,), negated=negated))
        pending_or = False
        if budget <= 0:
            truncated = truncated or match.end() < len(text)
            break
    return ParsedQuery(text=text, clauses=tuple(clauses), truncated=truncated)


def snippet_html(headline: str | None) -> SafeString:
    """ts_headline output (with START_SEL/STOP_SEL around matches) as safe HTML with <mark>.

    The headline is cut from Markdown source, so its markup noise is dropped first; then the
    text is escaped, and only then do the markers become <mark> elements."""
    text = headline or ""
    for pattern, replacement in _MARKDOWN_NOISE:
        text = pattern.sub(replacement, text)
    escaped = html.escape(text.strip())
    marked = _MARKED.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(marked.replace(START_SEL, "").replace(STOP_SEL, ""))
