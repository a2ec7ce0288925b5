"""Step 1 of the pipeline: the Markdown source made ready for cmark-gfm, line for line.

What GFM does not know is taken out before the parser sees it and put back after sanitizing:

- math (`$…$`, `$$…$$` with blank lines inside, `\\(…\\)`, `\\[…\\]`, ```` ```math ````) becomes a
  token, so `_` and `*` inside a formula never turn into emphasis;
- kramdown attribute lists (`{: .prompt-tip }`) become tokens (inline) or HTML comments (a line
  of its own, which ends the block above it as kramdown reads it);
- Liquid: `{% raw %}` vanishes, `{{ site.baseurl }}` and `relative_url` resolve to the path,
  Chirpy's `{% include embed/… %}` becomes the player, `{% highlight %}` a fence, any other tag
  is shown as code;
- HTML comments are dropped (Jekyll hides them), raw `<input>` too (checkboxes are the task
  list's), `:emoji:` shortcodes become the emoji and `==text==` is marked.

Tokens are `<nonce><kind><index>x`, with a nonce drawn per render: text cannot forge one, and
every token maps to an entry of this render's tables. Code spans, fenced and indented code are
copied untouched. Every step keeps the line count, except the header row given to a table that
starts with its separator row and the blank lines that cut absurdly long paragraphs; `origins`
maps every prepared line to its source line, so that source positions from cmark lead back to
the learner's lines (`toggle_task`).

Each step is one pass with `str.find` lookups whose results are reused for later positions, so
the cost is linear in the input whatever its shape.
"""

from __future__ import annotations

import bisect
import itertools
import re
import secrets
from dataclasses import dataclass, field
from functools import lru_cache

import cmarkgfm
from cmarkgfm.cmark import Options

from logs.markdown import embeds

MAX_BODY_BYTES = 200_000
MAX_FORMULAS = 1_000
MAX_FORMULA_CHARS = 5_000
MAX_ATTRIBUTE_LISTS = 200
MAX_SPECIAL_LINES = (
    5_000  # fences, attribute lists, table separators: past it, lines go as they are
)
MAX_INLINE = 5_000  # math, Liquid, comments, emoji, escapes: past it, text goes as it is
MAX_RAW_TAGS = 2_000  # html5ever's cost grows with the nesting of unclosed tags
MAX_PARAGRAPH = 4_096
MAX_CODE_RUNS = 4_000
MAX_EMBEDS = 50  # players a document may embed
MAX_NESTING = 32  # quote and list markers at a line's start; html5ever's cost grows with depth
MAX_TABLE_COLUMNS = 64  # cmark fills every row up to the header's columns  # backtick runs read for code spans; past them, text goes as it is


@dataclass(frozen=True)
class Formula:
    tex: str
    display: bool  # written as display math ($$, \[, ```math); shown as a block when alone


@dataclass
class Prepared:
    text: str
    nonce: str
    formulas: list[Formula] = field(default_factory=list)
    attribute_lists: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    origins: list[int] = field(default_factory=list)  # each prepared line's line in the source
    headerless_tables: int = 0
    plain_fences: int = 0  # fences without a language: cmark writes them as `<pre><code>`
    inline_left: int = MAX_INLINE
    liquid_raw: bool = False  # inside `{% raw %}`
    embeds_left: int = MAX_EMBEDS
    raw_tags_left: int = MAX_RAW_TAGS

    def token(self, kind: str, index: int) -> str:
        return f"{self.nonce}{kind}{index}x"


def cut(text: str) -> str:
    """The body as stored and rendered: at most `MAX_BODY_BYTES`, newlines as `\\n`, no NUL."""
    text = text.encode()[:MAX_BODY_BYTES].decode(errors="ignore")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")


# What cmark, nh3 and the Python steps cost grows with the elements a body makes, not its bytes.
# `markup_cost` over-counts them from the source at C speed: four a line, one a markup character,
# more for what makes an element or a step of Python of its own (weights from `bench
# --markdown-only`). The seed log costs 657 in 6 KB (21,500 at the body limit, were it all like
# that); 200 KB of `#` lines, `$a` paragraphs, task items or Liquid tags cost 100,000–300,000.
# Past `MAX_MARKUP` the rest of a body is shown as its source, as plain text (and `MAX_TAGS` in
# the package bounds what is left).
MAX_MARKUP = 30_000
_MARKUP = "<>*_`[|$~"
_CHUNK = 4_096


def markup_cost(text: str) -> int:
    return (
        4 * text.count("\n")
        + sum(text.count(c) for c in _MARKUP)
        # What costs a step of Python of its own: a link to mark, a player to check, a comment
        # to drop, and (each some 25 µs) a Liquid tag to resolve or an attribute list to apply.
        + 6 * (text.count("://") + text.count("www.") + text.count("<!--"))
        + 20 * text.count("<iframe")
        + 30 * (text.count("{%") + text.count("{:"))
        + 3 * text.count("{{")
        # Elements: a table cell, a task's box and item, a mark, an emoji looked up.
        + text.count("|")
        + 10 * (text.count("[ ]") + text.count("[x]"))
        + 2 * text.count("==")
        + text.count(":")
    )


def affordable(text: str) -> tuple[str, str]:
    """`text` (as `cut` leaves it) split at a line end where its markup cost passes
    `MAX_MARKUP`, at a blank line if the chunk that passes it has one: what to render, and the
    rest."""
    spent, start = 0, 0
    while start < len(text):
        end = text.find("\n", start + _CHUNK)
        end = len(text) if end == -1 else end
        spent += markup_cost(text[start:end])
        if spent > MAX_MARKUP:
            at = text.rfind("\n\n", start, end)
            at = start if at == -1 else at  # `start` is 0 or the newline ending the last chunk
            return text[:at], text[at:].removeprefix("\n")
        start = end
    return text, ""


def prepare(text: str, *, indented_code: bool = True) -> Prepared:
    """`text` made ready for cmark. Without `indented_code`, indented code blocks are read as
    prose (cheaper: `render` asks again only when cmark finds one)."""
    prepared = Prepared("", "q" + secrets.token_hex(5))
    text = _DEEP.sub(_shallower, cut(text))
    lines = text.split("\n")
    indented = _indented_code(text, lines) if indented_code else []
    out: list[str] = []
    prose: list[str] = []  # lines waiting for the inline pass
    prose_origins: list[int] = []

    def flush() -> None:
        if prose:
            block, origins = _split_long_paragraphs("\n".join(prose), prose_origins)
            out.append(_Inline(prepared, block).run())
            prepared.origins.extend(origins)
            prose.clear()
            prose_origins.clear()

    def verbatim(start: int, stop: int) -> None:
        flush()
        out.extend(lines[start:stop])
        prepared.origins.extend(range(start, stop))

    def copy(start: int, stop: int) -> None:
        if fence is None:
            for run_start, run_stop, code in _runs(indented, start, stop):
                if code:
                    verbatim(run_start, run_stop)
                else:
                    prose.extend(lines[run_start:run_stop])
                    prose_origins.extend(range(run_start, run_stop))
            return
        code = [_LIQUID_RAW.sub("", line) if "{%" in line else line for line in lines[start:stop]]
        out.extend((fence.feed(line, prepared) for line in code) if fence.math else code)
        prepared.origins.extend(range(start, stop))

    fence: _Fence | None = None
    done = 0  # lines of `lines` copied so far
    # Only lines that may open or close a fence, hold an attribute list or a `{% %}` tag, or
    # be a table's separator row need a look of their own; the rest are copied in bulk.
    for number in _special_lines(text):
        copy(done, number)
        done = number + 1
        line = lines[number]
        if fence is None and _runs(indented, number, number + 1)[0][2]:
            verbatim(number, number + 1)
            continue
        if fence is not None:  # Jekyll drops raw markers in code too, and ends its highlight
            line = _jekyll_highlight(_LIQUID_RAW.sub("", line))
            out.append(fence.feed(line, prepared))
            prepared.origins.append(number)
            if fence.closed:
                fence = None
            continue
        line = _jekyll_highlight(line)
        fence = _Fence.opening(line)
        if fence is not None:
            flush()
            out.append(fence.open_line(line, prepared))
            prepared.origins.append(number)
            continue
        if _IAL_LINE.match(line) and len(prepared.attribute_lists) < MAX_ATTRIBUTE_LISTS:
            prefix = line[: len(line) - len(line.lstrip(" \t>"))]
            prepared.attribute_lists.append(" ".join(_IAL.findall(line)))
            line = f"{prefix}<!--{prepared.token('b', len(prepared.attribute_lists) - 1)}-->"
        elif _DELIMITER_ROW.match(line) and line.count("|") > MAX_TABLE_COLUMNS:
            line = line.replace("-", "\\-", 1)  # no table of thousands of empty cells
        elif _DELIMITER_ROW.match(line) and _starts_table(lines, number):
            prepared.headerless_tables += 1
            prose.append("|" + "  |" * (line.strip().strip("|").count("|") + 1))
            prose_origins.append(number)
        prose.append(line)
        prose_origins.append(number)
    copy(done, len(lines))
    if fence is not None:
        fence.finish(prepared)
    flush()
    prepared.text = "\n".join(out)
    return prepared


_DEEP = re.compile(
    rf"^(?:[ \t]*+(?:>|[-+*]|\d{{1,9}}[.)])(?=[ \t>]|$)){{{MAX_NESTING + 1},}}", re.M
)
_MARKER = re.compile(r"[ \t]*+(?:>|[-+*]|\d{1,9}[.)])")


def _shallower(m: re.Match[str]) -> str:
    """Containers nested deeper than `MAX_NESTING` at a line's start lose the extra levels."""
    return "".join(_MARKER.findall(m.group())[:MAX_NESTING])


def _split_long_paragraphs(block: str, origins: list[int]) -> tuple[str, list[int]]:
    """Paragraphs longer than `MAX_PARAGRAPH` cut in several at line ends (a single line that
    long at a space). cmark's inline parsing grows faster than linearly with a paragraph's
    length (delimiter runs, brackets); no paragraph a person writes is this long."""
    if len(block) <= MAX_PARAGRAPH:
        return block, origins
    starts = [0, *(m.end() for m in _BLANK_LINE.finditer(block)), len(block)]
    if all(b - a <= MAX_PARAGRAPH for a, b in itertools.pairwise(starts)):
        return block, origins
    parts, position = [], 0
    extra: dict[int, int] = {}  # original line -> lines added after it
    for a, b in itertools.pairwise(starts):
        at = a + MAX_PARAGRAPH
        while at < b:
            if _ROW_AT.match(block, block.rfind("\n", 0, at) + 1):
                break  # tables are not paragraphs; cutting one would end it
            cut = block.find("\n", at, b)
            if cut != -1 and cut - at <= MAX_PARAGRAPH:  # at a line end: add a blank line
                prefix = _QUOTE_AT.match(block, cut + 1).group().rstrip()
                parts += [block[position:cut], "\n" + prefix]
                added, position = 1, cut
            else:  # one absurdly long line: cut at a space
                cut = block.rfind(" ", at - MAX_PARAGRAPH // 2, at)
                cut = cut if cut > a else at
                parts += [block[position:cut], "\n\n"]
                added, position = 2, cut + (block[cut : cut + 1] == " ")
            line = block.count("\n", 0, cut)
            extra[line] = extra.get(line, 0) + added
            at = cut + MAX_PARAGRAPH
    if not extra:
        return block, origins
    text = "".join([*parts, block[position:]])
    new_origins: list[int] = []
    done = 0
    for line in sorted(extra):
        new_origins += origins[done : line + 1]
        new_origins += [origins[line]] * extra[line]
        done = line + 1
    new_origins += origins[done:]
    return text, new_origins


# Indented code blocks -------------------------------------------------------------------------

# An indented code block starts after a blank line (or the start), four spaces or a tab in.
_MAYBE_INDENTED_CODE = re.compile(r"(?:\A|^[ \t>]*\n)[ \t>]*?(?: {4}|\t)[ \t]*\S", re.M)
_CODE_BLOCK = re.compile(r'<pre data-sourcepos="(\d+):(\d+)-(\d+):(\d+)"')
_FENCE_AT = re.compile(r"`{3}|~{3}")


def _indented_code(text: str, lines: list[str]) -> list[tuple[int, int]]:
    """The line ranges (start, stop) of indented code blocks, which are code as they are: only
    cmark knows a list item's continuation from code, so cmark (with source positions, raw HTML
    left out) finds them."""
    if not _MAYBE_INDENTED_CODE.search(text):
        return []
    found = []
    html = cmarkgfm.markdown_to_html(text, options=Options.CMARK_OPT_SOURCEPOS)
    for m in _CODE_BLOCK.finditer(html):
        first, column, last, end_column = (int(n) for n in m.groups())
        if first > len(lines) or _FENCE_AT.match(lines[first - 1], column - 1):
            continue  # a fenced block: `prepare` reads fences itself
        found.append((first - 1, last if end_column else last - 1))
    return found


def _runs(ranges: list[tuple[int, int]], start: int, stop: int) -> list[tuple[int, int, bool]]:
    """Lines start..stop cut into runs in and out of `ranges` (sorted, disjoint)."""
    if not ranges:
        return [(start, stop, False)]
    runs = []
    at = max(bisect.bisect_right(ranges, (start, stop)) - 1, 0)
    while start < stop:
        while at < len(ranges) and ranges[at][1] <= start:
            at += 1
        if at == len(ranges) or ranges[at][0] >= stop:
            runs.append((start, stop, False))
            break
        first, last = ranges[at]
        if first > start:
            runs.append((start, first, False))
        runs.append((max(first, start), min(last, stop), True))
        start = min(last, stop)
    return runs


_SPECIAL_LINE = re.compile(r"^[ \t>]*+(?:`{3}|~{3}|\{[%:]|\|?[ \t]*+:?-+:?[ \t]*+\|)", re.M)


def _special_lines(text: str) -> list[int]:
    numbers, line, position = [], 0, 0
    for m in _SPECIAL_LINE.finditer(text):
        line += text.count("\n", position, m.start())
        position = m.start()
        numbers.append(line)
        if len(numbers) == MAX_SPECIAL_LINES:
            break
    return numbers


# Fenced code -----------------------------------------------------------------------------------

_FENCE_OPEN = re.compile(r"^(?P<prefix>[ \t>]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_FENCE_CLOSE = re.compile(r"^[ \t>]*(?P<fence>`{3,}|~{3,})[ \t]*$")
_HIGHLIGHT = re.compile(
    r"^(?P<prefix>[ \t>]*)\{%-?\s*highlight\s+(?P<lang>[\w+#.-]+)[^%]*-?%\}\s*$"
)
_END_HIGHLIGHT = re.compile(r"^(?P<prefix>[ \t>]*)\{%-?\s*endhighlight\s*-?%\}\s*$")


def _jekyll_highlight(line: str) -> str:
    """`{% highlight python %}` … `{% endhighlight %}` is a fenced block in Jekyll."""
    if m := _HIGHLIGHT.match(line):
        return f"{m['prefix']}```{m['lang']}"
    if m := _END_HIGHLIGHT.match(line):
        return f"{m['prefix']}```"
    return line


class _Fence:
    def __init__(self, marker: str, math: bool, prefix: str) -> None:
        self.marker = marker
        self.math = math
        self.prefix = prefix
        self.closed = False
        self.tex: list[str] = []
        self.index = -1  # the formula a math fence becomes

    @classmethod
    def opening(cls, line: str) -> _Fence | None:
        m = _FENCE_OPEN.match(line)
        if m is None or (m["fence"][0] == "`" and "`" in m["info"]):
            return None
        language = m["info"].strip().split(" ", 1)[0].strip("{}.")
        return cls(m["fence"], language.lower() == "math", m["prefix"])

    def open_line(self, line: str, prepared: Prepared) -> str:
        m = _FENCE_OPEN.match(line)
        assert m is not None
        if self.math and len(prepared.formulas) < MAX_FORMULAS:
            prepared.formulas.append(Formula("", display=True))  # its TeX comes at the close
            self.index = len(prepared.formulas) - 1
            return f"{m['prefix']}{prepared.token('m', self.index)}"
        self.math = False
        language = m["info"].strip().split(" ", 1)[0].strip("{}.")
        if not language:
            prepared.plain_fences += 1
            return line
        prepared.languages.append(language[:60])
        return f"{m['prefix']}{m['fence']}{prepared.token('c', len(prepared.languages) - 1)}"

    def feed(self, line: str, prepared: Prepared) -> str:
        m = _FENCE_CLOSE.match(line)
        if m and m["fence"][0] == self.marker[0] and len(m["fence"]) >= len(self.marker):
            self.closed = True
            if self.math:
                self.finish(prepared)
                return prepared.token("m", self.index)
            return line
        if self.math:
            self.tex.append(_strip_quote(line, self.prefix))
            return prepared.token("m", self.index)
        return line

    def finish(self, prepared: Prepared) -> None:
        if self.math:
            prepared.formulas[self.index] = Formula("\n".join(self.tex).strip(), display=True)


def _strip_quote(line: str, prefix: str) -> str:
    if ">" in prefix:
        return re.sub(r"^[ \t]*(?:>[ \t]?)*", "", line)
    return line


# Tables, attribute lists, Liquid --------------------------------------------------------------

_DELIMITER_ROW = re.compile(
    r"^ {0,3}(?:\|[ \t]*+:?-++:?[ \t]*+)++\|?[ \t]*$"
    r"|^ {0,3}:?-++:?[ \t]*+(?:\|[ \t]*+:?-++:?[ \t]*+)++\|?[ \t]*$"
)
_TABLE_ROW = re.compile(r"^ {0,3}\|?.*\|")


def _starts_table(lines: list[str], number: int) -> bool:
    """A separator row with no header above it, and a row under it: kramdown's headerless table."""
    above = lines[number - 1] if number else ""
    below = lines[number + 1] if number + 1 < len(lines) else ""
    return not above.strip() and bool(_TABLE_ROW.match(below))


_IAL_SPEC = r"""\{:((?:[^{}"'\n]|"[^"\n]*"|'[^'\n]*'){0,300})\}"""
_IAL = re.compile(_IAL_SPEC)
_IAL_LINE = re.compile(rf"^[ \t>]*(?:{_IAL_SPEC}[ \t]*)+$")
_LIQUID_RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_SITE_URL = re.compile(r"^site\.(?:baseurl|url|github\.url)(?:\s*\|.*)?$")
_RELATIVE_URL = re.compile(r"""^(['"])(?P<path>[^'"]*)\1\s*\|\s*(?:relative_url|absolute_url)$""")
_INCLUDE_EMBED = re.compile(r"^include\s+embed/(?P<name>\w+)\.html(?P<args>.*)$", re.S)


def _code_span(text: str) -> str:
    """`text` as an inline code span that its own backticks cannot close."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    return f"{ticks} {text} {ticks}" if longest else f"{ticks}{text}{ticks}"


def _liquid_output(inner: str, source: str) -> str:
    inner = inner.strip("-").strip()
    if _SITE_URL.match(inner):
        return ""
    if m := _RELATIVE_URL.match(inner):
        return m["path"]
    return _code_span(source)


@lru_cache(maxsize=1)
def _emoji() -> dict[str, str]:
    import emoji

    names: dict[str, str] = {}
    for character, data in emoji.EMOJI_DATA.items():
        for name in (data["en"], *data.get("alias", ())):
            names.setdefault(name, character)
    return names


# Inline scanning ------------------------------------------------------------------------------

_TICKS = re.compile(r"`+")
_BLANK_LINE = re.compile(r"\n[ \t>]*+\n")
_START = re.compile(r"[$\\]|\{[{%:]|<!--|<input\b|:(?=[a-z0-9_+-]{1,40}:)|==", re.I)
_RAW_TAG = re.compile(r"<(?=[A-Za-z/!?])")
_TEX_LOOKING = re.compile(r"\\[a-zA-Z]|[\^_=]")
_QUOTE_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)*")
_QUOTE_AT = re.compile(r"[ \t]*(?:>[ \t]?)*")  # for match(text, position)
_ROW_AT = re.compile(r"[ \t>]*\|[^\n]*\|")


class _Closer:
    """The next position of `delimiter` at or after a point, remembered: scanning stays linear."""

    def __init__(self, text: str, delimiter: str) -> None:
        self.text, self.delimiter, self.at = text, delimiter, -2

    def after(self, position: int) -> int:
        if self.at == -1 or (self.at >= position):
            return self.at
        self.at = self.text.find(self.delimiter, position)
        return self.at


class _Inline:
    def __init__(self, prepared: Prepared, text: str) -> None:
        self.p = prepared
        self.text = text
        self.out: list[str] = []
        self.closers: dict[str, _Closer] = {}
        self.blanks = [m.start() for m in _BLANK_LINE.finditer(text)]

    def closer(self, delimiter: str, position: int) -> int:
        if delimiter not in self.closers:
            self.closers[delimiter] = _Closer(self.text, delimiter)
        return self.closers[delimiter].after(position)

    def has_blank(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.blanks, start)
        return i < len(self.blanks) and self.blanks[i] < end

    def run(self) -> str:
        position = 0
        spans, stop = self.code_spans()
        for start, end in spans:
            self.scan(position, start)
            self.out.append(self.text[start:end])
            position = end
        self.scan(position, stop)
        self.out.append(self.text[stop:])
        return "".join(self.out)

    def code_spans(self) -> tuple[list[tuple[int, int]], int]:
        """CommonMark code spans: a run of n backticks up to the next run of exactly n, within
        the paragraph. Linear: each run knows the next run of its length. Also where reading
        stops: past `MAX_CODE_RUNS` runs the text is copied as it is."""
        runs, stop = [], len(self.text)
        for m in _TICKS.finditer(self.text):
            if len(runs) == MAX_CODE_RUNS:
                stop = m.start()
                break
            start = m.start()
            if start and self.text[start - 1] == "\\":
                start += 1  # an escaped backtick is text
            if m.end() > start:
                runs.append((start, m.end()))
        following: list[int | None] = [None] * len(runs)
        last: dict[int, int] = {}
        for i in range(len(runs) - 1, -1, -1):
            length = runs[i][1] - runs[i][0]
            following[i] = last.get(length)
            last[length] = i
        spans, i = [], 0
        while i < len(runs):
            j = following[i]
            if j is not None and not self.has_blank(runs[i][1], runs[j][0]):
                spans.append((runs[i][0], runs[j][1]))
                i = j + 1
            else:
                i += 1
        return spans, stop

    def scan(self, position: int, end: int) -> None:
        text, out, prepared = self.text, self.out, self.p
        while position < end:
            m = _START.search(text, position, end) if prepared.inline_left > 0 else None
            if m is None:
                out.append(self.plain(text[position:end]))
                return
            start = m.start()
            out.append(self.plain(text[position:start]))
            prepared.inline_left -= 1
            position = self.dispatch(start, end)

    def plain(self, piece: str) -> str:
        """Text as it is, but raw tags past `MAX_RAW_TAGS` are shown as text."""
        left = self.p.raw_tags_left
        if left > piece.count("<"):
            self.p.raw_tags_left -= piece.count("<")
            return piece
        tags = [m.start() for m in _RAW_TAG.finditer(piece)]
        self.p.raw_tags_left = max(0, left - len(tags))
        if len(tags) <= left:
            return piece
        cut = tags[left] if left > 0 else 0
        return piece[:cut] + _RAW_TAG.sub("&lt;", piece[cut:])

    def dispatch(self, start: int, end: int) -> int:
        text = self.text
        head = text[start : start + 3]
        handled = None
        if head.startswith("$$"):
            handled = self.math(start, "$$", "$$", end, display=True)
        elif head.startswith("$"):
            handled = self.inline_math(start, end)
        elif head.startswith("\\\\") and head[2:3] in ("[", "("):
            close = "\\\\]" if head[2] == "[" else "\\\\)"
            handled = self.math(start, head, close, end, display=head[2] == "[")
        elif head[:2] in ("\\[", "\\("):
            close = "\\]" if head[1] == "[" else "\\)"
            handled = self.math(start, head[:2], close, end, display=head[1] == "[", tex_only=True)
        elif head.startswith("\\"):
            self.out.append(text[start : start + 2])
            return start + 2
        elif head.startswith("{%") and (raw := _LIQUID_RAW.match(self.text, start)):
            self.p.liquid_raw = "end" not in raw.group()  # `{% raw %}` … `{% endraw %}`
            return raw.end()
        elif self.p.liquid_raw and head[:2] in ("{{", "{%"):
            handled = None  # Liquid inside `{% raw %}` is text, as Jekyll shows it
        elif head.startswith("{{"):
            handled = self.delimited(start, "}}", end, 300, _liquid_output)
        elif head.startswith("{%"):
            handled = self.delimited(start, "%}", end, 300, self.liquid_tag)
        elif head.startswith("{:"):
            handled = self.delimited(start, "}", end, 300, self.attribute_list)
        elif head.startswith("<!"):
            handled = self.comment(start, end)
        elif head.startswith("<"):
            handled = self.delimited(start, ">", end, 500, lambda inner, source: "", skip=1)
        elif head.startswith(":"):
            handled = self.emoji(start, end)
        elif head.startswith("=="):
            handled = self.delimited(start, "==", end, 300, self.mark)
        if handled is None:
            self.out.append(text[start])
            return start + 1
        return handled

    def delimited(self, start, close, end, limit, make, skip=2):
        """`make(inner, source)` for text from `start` to the next `close` (on one line)."""
        stop = self.closer(close, start + skip)
        if stop == -1 or stop + len(close) > end or stop - start > limit:
            return None
        source = self.text[start : stop + len(close)]
        if "\n" in source:
            return None
        replacement = make(self.text[start + skip : stop], source)
        if replacement is None:
            return None
        self.out.append(replacement)
        return stop + len(close)

    def math(self, start, opening, closing, end, display, tex_only=False):
        stop = self.closer(closing, start + len(opening))
        if stop == -1 or stop + len(closing) > end or stop - start > MAX_FORMULA_CHARS:
            return None
        tex = self.text[start + len(opening) : stop]
        if not tex.strip() or (tex_only and not _TEX_LOOKING.search(tex)):
            return None
        if not display and "\n" in tex:
            return None
        return self.formula(start, stop + len(closing), tex, display)

    def inline_math(self, start, end):
        """`$…$` as MathJax reads Chirpy posts, but not prices: the inside must not start and
        end differently (`$5 and $`), nor be followed by a digit, nor hold a blank line."""
        if start and self.text[start - 1] == "$":
            return None
        stop = self.closer("$", start + 1)
        if stop == -1 or stop >= end or stop - start > 2_000:
            return None
        tex = self.text[start + 1 : stop]
        after = self.text[stop + 1 : stop + 2]
        if (
            not tex.strip()
            or tex[0].isspace() != tex[-1].isspace()
            or after.isdigit()
            or after == "$"
            or self.has_blank(start, stop)
        ):
            return None
        return self.formula(start, stop + 1, tex, display=False)

    def formula(self, start, stop, tex, display):
        source = self.text[start:stop]
        if len(self.p.formulas) >= MAX_FORMULAS:
            self.out.append(source)
            return stop
        if "\n" in tex and ">" in self.text[self.text.rfind("\n", 0, start) + 1 : start]:
            tex = "\n".join(_QUOTE_PREFIX.sub("", line) for line in tex.split("\n"))
        self.p.formulas.append(Formula(tex.strip(), display))
        token = self.p.token("m", len(self.p.formulas) - 1)
        self.out.append("\n".join([token] * (source.count("\n") + 1)))
        return stop

    def comment(self, start, end):
        if not self.text.startswith("<!--", start):
            return None
        stop = self.closer("-->", start + 4)
        if stop == -1 or stop + 3 > end:
            return None
        if self.text.startswith(f"<!--{self.p.nonce}b", start):  # an attribute list's own
            self.out.append(self.text[start : stop + 3])
        else:  # its lines stay, empty but for their quote markers: a quote goes on around it
            lines = self.text[start:stop].split("\n")[1:]
            self.out.append(
                "".join("\n" + _QUOTE_PREFIX.match(line).group().rstrip() for line in lines)
            )
        return stop + 3

    def liquid_tag(self, inner: str, source: str) -> str:
        """A player for Chirpy's embed includes (at most `MAX_EMBEDS` a document; each is an
        iframe a reader's browser loads), any other tag as code."""
        inner = inner.strip("-").strip()
        if (m := _INCLUDE_EMBED.match(inner)) and self.p.embeds_left > 0:
            embed = embeds.include(m["name"], m["args"])
            if embed is not None:
                self.p.embeds_left -= 1
                return embed
        return _code_span(source)

    def attribute_list(self, inner: str, source: str) -> str:
        if len(self.p.attribute_lists) >= MAX_ATTRIBUTE_LISTS:
            return ""
        self.p.attribute_lists.append(inner)
        return self.p.token("i", len(self.p.attribute_lists) - 1)

    def emoji(self, start, end):
        stop = self.text.find(":", start + 1, min(end, start + 42))
        if stop == -1:
            return None
        character = _emoji().get(self.text[start : stop + 1])
        if character is None:
            return None
        self.out.append(character)
        return stop + 1

    @staticmethod
    def mark(inner: str, source: str) -> str | None:
        if not inner.strip() or inner[0].isspace() or inner[-1].isspace() or "=" in inner:
            return None
        return f"<mark>{inner}</mark>"
