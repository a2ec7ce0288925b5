"""The search domain: what a query means, as a Postgres tsquery; how a snippet is shown.

Pure: strings in, strings out. The QuerySet side (`logs.models`: `search_vector`, the GIN indexes,
`Entry.objects.matching(...)`) and the results (`logs.search.results`) build on it.

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
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
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

_MARKDOWN_NOISE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images: keep the alt text
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links: keep the text
    (re.compile(r"(?:^|\s)(?:[-*+]|\d+\.)\s+\[[ xX]\]\s"), " "),  # task list items
    (re.compile(r"(?m)^\s*(?:#{1,6}|>+|[-*+]|\d+\.)\s+"), " "),  # headings, quotes, bullets
    (re.compile(r"<br\s*/?>|\*\*|__|`+|\$\$?|~~|\|"), " "),
    (re.compile(r"\s+"), " "),
]
_SPACE = re.compile(r"\s")
_WORD_CHAR = re.compile(r"[^\W_]")


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
        """The words looked for, as searched (particles cut), for display and highlighting."""
        return [w for c in self.clauses if not c.negated for alt in c.alternatives for w in alt]

    def to_tsquery(self, *, estimable: bool = False) -> str:
        """The query as text for Postgres' to_tsquery('simple', …); '' when not searchable.

        `estimable` spells every prefix lexeme with its exact form beside it, ('w' | 'w':*): the
        same matches, but the planner estimates an exact lexeme from the column's statistics,
        where it can guess a prefix far too rare ("attention":* in comments: 1,000 rows for
        4,200). With the fair estimate it finds the newest matches of a common word by walking
        the date index instead of gathering and checking all of them, four times faster. Filter
        with it; rank with the plain query, which weighs the two spellings alike."""
        if not self.is_searchable:
            return ""
        parts = []
        for clause in self.clauses:
            alternatives = [_phrase(alt, estimable) for alt in clause.alternatives]
            part = alternatives[0] if len(alternatives) == 1 else f"({' | '.join(alternatives)})"
            parts.append(f"!{part}" if clause.negated else part)
        return " & ".join(parts)


def _phrase(words: tuple[str, ...], estimable: bool = False) -> str:
    lexemes = [f"('{word}' | '{word}':*)" if estimable else f"'{word}':*" for word in words]
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


# A snippet is up to FRAGMENTS passages of the body around the query's words, each about a
# sentence (LENGTH characters of Markdown, starting CONTEXT characters before a match).
FRAGMENTS = 2
CONTEXT = 40
LENGTH = 200
MAX_MATCHES = 200  # matches looked at for the passages: a common word recurs all over a log


@dataclass(frozen=True)
class Highlighter:
    """Finds the words of a query in a text the way the index matches them — a word matches the
    start of a token (`transformer` matches `transformer의` and the `head` of `multi-head`),
    ignoring case — and shows them marked in escaped text.

    Snippets are cut here rather than by Postgres' ts_headline, which parses the whole 2–6 KB
    body of every result again: finding a word in Python and cleaning only the passages shown
    costs a small fraction of that."""

    pattern: re.Pattern[str] | None

    def title(self, text: str) -> SafeString:
        return self._marked(text)

    def snippet(self, markdown: str) -> SafeString:
        """Passages of `markdown` around the words as plain text; its beginning when they are
        not in it (the query matched the title or the tags)."""
        spans = self._passages(markdown) or [(0, _snap_end(markdown, LENGTH))]
        return mark_safe(" … ".join(self._marked(_plain(markdown[a:b])) for a, b in spans))

    def _matches(self, text: str) -> Iterator[re.Match[str]]:
        """The matches that start a token (the pattern has no lookbehind for it: a regex that
        begins with its words is found several times faster)."""
        for m in self.pattern.finditer(text) if self.pattern else ():
            if not (m.start() and _WORD_CHAR.match(text, m.start() - 1)):
                yield m

    def _passages(self, text: str) -> list[tuple[int, int]]:
        found = [
            (m.start(), m.group(1).lower())
            for m in itertools.islice(self._matches(text), MAX_MATCHES)
        ]
        # A passage starts CONTEXT before a match; the best covers the most different words,
        # then the most matches, then comes first.
        candidates = []
        covered: Counter[str] = Counter()
        j = 0
        for i, (start, word) in enumerate(found):
            while j < len(found) and found[j][0] < start + LENGTH - CONTEXT:
                covered[found[j][1]] += 1
                j += 1
            begin = max(0, start - CONTEXT)
            candidates.append((-len(covered), i - j, begin, begin + LENGTH))
            covered[word] -= 1
            if not covered[word]:
                del covered[word]
        chosen: list[tuple[int, int]] = []
        for *_, begin, end in sorted(candidates):
            if all(end <= a or begin >= b for a, b in chosen):
                chosen.append((begin, end))
                if len(chosen) == FRAGMENTS:
                    break
        return [(_snap_start(text, a), _snap_end(text, b, a + CONTEXT)) for a, b in sorted(chosen)]

    def _marked(self, text: str) -> SafeString:
        parts, last = [], 0
        for m in self._matches(text):
            parts += [html.escape(text[last : m.start()]), f"<mark>{html.escape(m[0])}</mark>"]
            last = m.end()
        parts.append(html.escape(text[last:]))
        return mark_safe("".join(parts))


def highlighter(words: list[str]) -> Highlighter:
    if not words:
        return Highlighter(None)
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return Highlighter(re.compile(rf"({alternatives})[^\W_]*", re.IGNORECASE))


def _snap_start(text: str, at: int) -> int:
    """`at`, moved forward past the word it cuts (at most CONTEXT characters)."""
    if at <= 0:
        return 0
    space = _SPACE.search(text, at - 1, at + CONTEXT)
    return space.end() if space else at


def _snap_end(text: str, at: int, floor: int = 0) -> int:
    """`at`, moved back to just after the last space before the word it cuts (not back to
    `floor`): a list marker or heading mark left at the end still reads as one and is dropped."""
    if at >= len(text):
        return len(text)
    cut = max(text.rfind(" ", floor, at + 1), text.rfind("\n", floor, at + 1))
    return cut + 1 if cut > floor else at


def _plain(markdown: str) -> str:
    """A passage of Markdown without its markup noise, on one line."""
    text = markdown
    for pattern, replacement in _MARKDOWN_NOISE:
        text = pattern.sub(replacement, text)
    return text.strip()
