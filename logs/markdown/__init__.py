"""The one Markdown pipeline: learner Markdown in, safe HTML out. Pure: no Django, no models.

`render()` serves entries and sessions, `render_comment()` comments and answers; both run:

1. `source.prepare`: math, kramdown attribute lists, Liquid, comments and emoji taken out or
   resolved, line for line, with tokens this render alone can write.
2. cmark-gfm (`cmarkgfm`, GitHub's own engine, linear time): GFM with tables, task lists,
   autolinks, `~~strikethrough~~`, footnotes, and raw HTML passed through.
3. `transform` on cmark's output: code coloured, tasks numbered, attribute lists applied,
   iframes checked, footnote ids namespaced.
4. `sanitize`: nh3 with an explicit allowlist. This is the security boundary; everything above
   is about fidelity, everything below adds only ids, `rel` and allowlisted MathML.
5. `transform` again: heading ids and the table of contents, external links marked, formulas
   as MathML (`mathml`).

Where kramdown (Jekyll's engine) and GitHub differ, GitHub is followed: no smart quotes, a line
with a `|` is a table only under a separator row, bare URLs are links, raw HTML blocks are not
read as Markdown unless separated by blank lines. kramdown habits that Chirpy posts depend on are
kept: `$$…$$` inside a sentence is inline math, `{: .prompt-tip }` under a quote, `{: width=… }`
on images, `{: file=… }` on code, headerless tables.

`PIPELINE_VERSION` is stored beside rendered HTML; raise it when the output changes, and
`manage.py rerender` brings stored HTML up to date.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import re
from dataclasses import dataclass

import cmarkgfm
from cmarkgfm.cmark import Options

from logs.markdown import source, sourcelines, textmath, transform
from logs.markdown.sanitize import sanitize
from logs.markdown.source import MAX_BODY_BYTES
from logs.markdown.transform import TocItem

__all__ = [
    "MAX_BODY_BYTES",
    "PIPELINE_VERSION",
    "Rendered",
    "TocItem",
    "excerpt",
    "render",
    "render_comment",
    "toggle_task",
]

PIPELINE_VERSION = 4  # 1 was Python-Markdown; 2 cmark-gfm; 3 excerpts without headings or TeX;
# 4 indented code as code, and the element budget
EXCERPT_LENGTH = 200

_OPTIONS = (
    Options.CMARK_OPT_UNSAFE  # raw HTML goes on to nh3, the one boundary
    | Options.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE  # "10~20분" is a range, not a strikethrough
    | Options.CMARK_OPT_GITHUB_PRE_LANG
)
_EXTENSIONS = ["table", "autolink", "strikethrough", "tasklist"]


@dataclass(frozen=True)
class Rendered:
    html: str  # sanitized HTML, safe to mark_safe
    toc: tuple[TocItem, ...]
    has_math: bool
    excerpt: str  # plain text, for list pages


def render(text: str, *, source_lines: bool = False) -> Rendered:
    """Render an entry or a session body. With `source_lines` (the editor's preview only), each
    top-level block carries `data-source-line`, the 1-based line of `text` it starts on."""
    return _render(text, comment=False, source_lines=source_lines)


def render_comment(text: str) -> str:
    """Render a comment: the same pipeline, without heading ids or toc, headings made small."""
    return _render(text, comment=True).html


def excerpt(text: str) -> str:
    """The plain-text excerpt of a comment or an answer (for notifications and their emails):
    the same as an entry's, made by the same pipeline."""
    return _render(text, comment=True).excerpt


MAX_FOOTNOTES = 300


def _footnotes(text: str) -> int:
    """Footnotes, unless there are so many that their HTML would dwarf the text (`[^n]` stays
    text then)."""
    return Options.CMARK_OPT_FOOTNOTES if text.count("[^") <= 2 * MAX_FOOTNOTES else 0


def _cmark(text: str, options: int = 0) -> str:
    return cmarkgfm.markdown_to_html_with_extensions(
        text, options=_OPTIONS | options, extensions=_EXTENSIONS
    )


def _render(text: str, comment: bool, source_lines: bool = False) -> Rendered:
    if not text:
        return Rendered("", (), False, "")
    namespace = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:6]
    kept, rest = source.affordable(source.cut(text))
    prepared = source.prepare(kept, indented_code=False)
    big = len(prepared.text) > _SMALL
    positions = Options.CMARK_OPT_SOURCEPOS if source_lines or big else 0
    body = _cmark(prepared.text, _footnotes(prepared.text) | positions)
    if len(_PLAIN_CODE.findall(body)) > prepared.plain_fences:
        # An indented code block went through the inline pass as prose: once more, as code.
        prepared = source.prepare(kept)
        body = _cmark(prepared.text, _footnotes(prepared.text) | positions)
    if big:
        body, unshown = _within_budget(body, prepared, kept)
        rest = "\n".join(part for part in (unshown, rest) if part)
    if source_lines:
        body = sourcelines.mark(body, prepared)
    elif positions:
        body = _POSITION.sub("", body)
    body = transform.highlight_code(body, prepared)
    body = transform.number_tasks(body, prepared)
    body = transform.apply_attribute_lists(body, prepared)
    body = transform.check_frames(body)
    body = transform.namespace_footnotes(body, namespace)
    body = transform.drop_empty_table_heads(body, prepared)
    body = sanitize(body)
    body = _EMPTY_PARAGRAPH.sub("", body).strip()
    body, toc = transform.headings(body, prepared, comment)
    body = transform.mark_external_links(transform.link_external_images(body))
    excerpt = _excerpt(sourcelines.drop(body, prepared) if source_lines else body, prepared)
    body, has_math = transform.place_math(body, prepared, budget=8 * len(text) + 100_000)
    if source_lines:
        body = sourcelines.place(body, prepared)
    if rest:  # plain text in our own markup, escaped: nothing in it can be live
        body += (
            f'\n<pre class="overflow"><code>{html.escape(rest.rstrip(), quote=False)}</code></pre>'
        )
    return Rendered(body, () if comment else tuple(toc), has_math, excerpt)


# The element budget ---------------------------------------------------------------------------

# nh3 (html5ever) costs about 1.5 µs an element whatever the element, so a 200 KB body of tiny
# blocks (`#` lines, `$a` paragraphs, 18,000 task items) made 0.5–1.5 MB of HTML and 100–300 ms
# of sanitizing. `source.affordable` keeps most of that from cmark; past `MAX_TAGS` tags of
# cmark's output the rest of the body is shown as its Markdown source, plain. A real log writes
# about 50 tags a kilobyte (the seed: 310 in 6 KB); under `_SMALL` characters no body reaches it.
MAX_TAGS = 20_000
_SMALL = MAX_TAGS // 2
_TAG_START = re.compile("<")
_PLAIN_CODE = re.compile(r'<pre(?: data-sourcepos="[^"]*")?><code>')
_POSITION = re.compile(r' data-sourcepos="(\d+):\d+-\d+:\d+"')


def _within_budget(body: str, prepared: source.Prepared, text: str) -> tuple[str, str]:
    """cmark's HTML (written with source positions) cut at the start of the block holding its
    `MAX_TAGS`-th tag; and the lines of `text` from that block on, to show as text."""
    if body.count("<") <= MAX_TAGS:
        return body, ""
    over = next(itertools.islice(_TAG_START.finditer(body), MAX_TAGS, None)).start()
    position = _POSITION.search(body, max(body.rfind(" data-sourcepos=", 0, over), 0))
    if position is None or position.start() > over:  # no block starts before it: keep nothing
        return "", text
    line = prepared.origins[min(max(int(position.group(1)), 1), len(prepared.origins)) - 1]
    kept = body[: body.rfind("<", 0, position.start())]
    return kept, "\n".join(text.split("\n")[line:])


_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>\n?")


# Task lists -----------------------------------------------------------------------------------

_TASK_AT = re.compile(r"(?:[-+*]|\d{1,9}[.)])[ \t]+\[([ xX])\]")
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def toggle_task(text: str, index: int, checked: bool) -> str:
    """Check or uncheck the `index`-th task (0-based, document order) in the Markdown source.

    Tasks are what cmark-gfm reads as task items in the prepared source, the very numbering
    `render()` writes into the checkboxes' `data-task-index`; their source positions lead back to
    the learner's line. Everything but the one state character is left untouched (CRLF too).
    """
    lines = _LINES.findall(text)
    prepared = source.prepare(text)
    html_with_positions = _cmark(
        prepared.text, Options.CMARK_OPT_SOURCEPOS | _footnotes(prepared.text)
    )
    items = list(transform.TASK_ITEM.finditer(html_with_positions))[: transform.MAX_TASKS]
    if not 0 <= index < len(items):
        raise IndexError(f"task {index} out of range ({len(items)} tasks)")
    item = items[index]
    if item.group("line") is None:  # a list item written in raw HTML: no line to edit
        raise IndexError(f"task {index} is not in the text's own lists")
    line_number = prepared.origins[int(item.group("line")) - 1]
    line = lines[line_number] if line_number < len(lines) else ""
    column = len(line.encode()[: int(item.group("column")) - 1].decode(errors="ignore"))
    # The box must sit right after the item's marker, where cmark found the item.
    state = _TASK_AT.match(line, column)
    if state is None:
        raise IndexError(f"task {index} is not a list item's box in the text")
    if (state.group(1) != " ") == checked:
        return text
    at = state.start(1)
    lines[line_number] = line[:at] + ("x" if checked else " ") + line[at + 1 :]
    return "".join(lines)


# Excerpt --------------------------------------------------------------------------------------


_SKIPPED = re.compile(
    r'<(?P<name>pre|iframe|video|audio)\b|<(?P<notes>section) class="footnotes"'
    r'|<(?P<mark>sup) class="footnote-ref"'
)
_SKIPPED_WITH_HEADINGS = re.compile(f"{_SKIPPED.pattern}|<(?P<heading>h[1-6])\\b")
_BLOCK_TAG = re.compile(r"</?(?:p|li|br|hr|tr|td|th|div|blockquote|summary|aside|h[1-6])\b[^>]*>")
_TAG = re.compile(r"<[^>]*>")
_REPEATED_TOKEN = re.compile(r"(q[0-9a-f]{10}m\d+x)(?:\n\1)+")  # one formula, a token a line


def _prose(fragment: str, *, headings: bool = False) -> str:
    """The words of sanitized HTML, without code, players and footnotes, and without headings
    unless `headings` (nh3's output nests none of these in itself, so each ends at the first
    closing tag of its name)."""
    skipped = _SKIPPED if headings else _SKIPPED_WITH_HEADINGS
    kept, position = [], 0
    while m := skipped.search(fragment, position):
        kept.append(fragment[position : m.start()])
        name = next(n for n in m.groups() if n)
        end = fragment.find(f"</{name}>", m.end())
        if end == -1:
            position = len(fragment)
            break
        position = end + len(name) + 3
    kept.append(fragment[position:])
    text = _TAG.sub("", _BLOCK_TAG.sub(" ", " ".join(kept)))
    return " ".join(html.unescape(text).split())


def _excerpt(body: str, prepared: source.Prepared) -> str:
    """The first words that say something: headings (a daily log's are always the same
    template's) are skipped, code, players and footnotes too, and formulas read as text
    (`√dₖ`), a long one as "…"."""
    if prepared.formulas:
        read: dict[int, str] = {}  # a formula over many lines is one token a line

        def short(m: re.Match[str]) -> str:
            if m.group(1) != prepared.nonce:
                return m.group(0)
            index = int(m.group(2))
            if index not in read:
                text = textmath.to_text(prepared.formulas[index].tex[:200])
                read[index] = html.escape(text) if len(text) <= 40 else "…"
            return read[index]

        body = transform.MATH_TOKEN.sub(short, _REPEATED_TOKEN.sub(r"\1", body))
    # Only the beginning is needed: a growing window, until it holds more than an excerpt.
    window, text = 2048, ""
    while True:  # a body with no prose in its first 16 KB has no excerpt
        text = _prose(body[:window])
        if len(text) > EXCERPT_LENGTH or window >= min(len(body), 16_384):
            break
        window *= 4
    if not text:  # nothing but headings: they are what it says
        text = _prose(body[:window], headings=True)
    if len(text) <= EXCERPT_LENGTH:
        return text
    cut_text = text[: EXCERPT_LENGTH - 1]
    if (space := cut_text.rfind(" ")) > EXCERPT_LENGTH * 3 // 4:
        cut_text = cut_text[:space]
    return cut_text.rstrip(" ,.;:") + "…"
