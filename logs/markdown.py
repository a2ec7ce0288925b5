"""The one Markdown pipeline: learner Markdown in, safe HTML out. Pure: no Django, no models.

`render()` serves entries and sessions, `render_comment()` comments; both run the same steps:

1. Prepare the source, line by line (`_prepare`). The body is cut at `MAX_BODY_BYTES`. Task-list
   items get an invisible marker carrying their index, found by the same scanner `toggle_task()`
   uses, so a rendered checkbox's `data-task-index` always names the line that toggling edits.
   Liquid `{% raw %}` markers vanish (Jekyll drops them too). Lists are re-indented to the 4
   spaces Python-Markdown needs, so 2-space nesting (GitHub, Notion) nests like 4-space; a list,
   a kramdown `{: …}` line or text after a fence gets the blank line Python-Markdown wants first.
   Nesting is capped at `MAX_NESTING` (the parser recurses per level) and absurdly long
   paragraphs are split (inline parsing is quadratic in a paragraph's matches).
2. Python-Markdown with pymdownx. Raw HTML is not passed through: HTML blocks are off and only
   a few harmless inline tags (`<br>`, `<kbd>`, `<details>`…) are re-emitted, without attributes;
   any other `<` is text. The stock link and code-span parsers, quadratic on runs of `[`, `(` or
   backticks, are replaced by bounded ones. Math is only *found* here (arithmatex, generic mode).
   A tree pass applies kramdown attribute lists through an allowlist, marks external links
   `nofollow noopener` and makes images lazy.
3. String passes on that HTML: checkboxes get `data-task-index`; each formula is swapped for a
   placeholder, because nh3 has no safe MathML support.
4. nh3 sanitizes everything against an explicit allowlist (tags, attributes, classes, ids, URL
   schemes). This is the security boundary; the steps above are about fidelity and time.
5. Placeholders become MathML from latex2mathml, itself rebuilt through a strict MathML
   allowlist with all text escaped. Math is rendered on the server, so nothing shifts on load.
"""

from __future__ import annotations

import hashlib
import html
import re
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

import markdown
import nh3
from latex2mathml.converter import convert as latex_to_mathml
from markdown.extensions import Extension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.inlinepatterns import (
    BacktickInlineProcessor,
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    InlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)
from markdown.treeprocessors import Treeprocessor
from markdown.util import INLINE_PLACEHOLDER_RE, AtomicString
from pygments.token import STANDARD_TYPES
from pymdownx import emoji, slugs

__all__ = ["MAX_BODY_BYTES", "Rendered", "TocItem", "render", "render_comment", "toggle_task"]

MAX_BODY_BYTES = 200_000
MAX_NESTING = 12  # list/blockquote levels; deeper markers are flattened
MAX_FORMULAS = 1_000  # beyond this, formulas are shown as source
MAX_FORMULA_CHARS = 5_000
MAX_HIGHLIGHTED = 200  # code blocks; Pygments costs ~1 ms a block, so beyond this none is colored
MAX_FENCES = 1_000  # superfences slows down quadratically with the number of blocks
MAX_FOOTNOTES = 500  # so does the footnotes extension: beyond this, `[^1]` stays text
EXCERPT_LENGTH = 200
LINK_WINDOW = 2_048  # the furthest a link's closing `]` or `)` is looked for
CODE_SPAN_WINDOW = 1_000  # the furthest an inline code span's closing backticks are looked for
MAX_PARAGRAPH = 8_192  # characters; longer paragraphs are split (inline parsing is quadratic)


@dataclass(frozen=True)
class TocItem:
    level: int
    id: str
    title: str


@dataclass(frozen=True)
class Rendered:
    html: str  # sanitized HTML, safe to mark_safe
    toc: tuple[TocItem, ...]
    has_math: bool
    excerpt: str  # plain text, for list pages


def render(text: str) -> Rendered:
    """Render an entry or a session body."""
    return _render(text, comment=False)


def render_comment(text: str) -> str:
    """Render a comment: the same pipeline, without heading ids or toc, headings made small."""
    return _render(text, comment=True).html


def toggle_task(text: str, index: int, checked: bool) -> str:
    """Check or uncheck the `index`-th task (0-based, document order) in the Markdown source.

    Task-like lines inside fenced code do not count; the numbering is the one `render()` puts in
    the checkboxes' `data-task-index`. Everything but the one state character is left untouched.
    """
    tasks = _find_tasks(text)
    if not 0 <= index < len(tasks):
        raise IndexError(f"task {index} out of range ({len(tasks)} tasks)")
    state_at = tasks[index][0]
    if (text[state_at] != " ") == checked:
        return text
    return text[:state_at] + ("x" if checked else " ") + text[state_at + 1 :]


# 1. Preparing the source ----------------------------------------------------------------------

# Private-use characters carry markers through Markdown; any typed by the user are removed.
_TASK_OPEN, _TASK_CLOSE, _MATH_OPEN, _MATH_CLOSE = "\ue000", "\ue001", "\ue002", "\ue003"
_SENTINELS = re.compile("[\x00\ue000-\ue003]")
_TASK_MARK = re.compile(f"{_TASK_OPEN}(\\d+){_TASK_CLOSE}")

_NEWLINE = re.compile(r"\r\n|\r|\n")
_FENCE_OPEN = re.compile(r"^[ \t>]*(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_FENCE_CLOSE = re.compile(r"^[ \t>]*(?P<fence>`{3,}|~{3,})[ \t]*$")
# What pymdownx.tasklist turns into a checkbox: a list item starting "[ ] " or "[x] ".
_TASK = re.compile(r"^[ \t>]*(?:[-*+]|\d{1,9}\.)[ \t]+\[(?P<state>[ xX])\] +(?=\S)")
_LIQUID_RAW = re.compile(
    r"^[ \t]*\{%-?\s*(?:end)?raw\s*-?%\}[ \t]*\n|\{%-?\s*(?:end)?raw\s*-?%\}", re.M
)

_LIST_ITEM = re.compile(
    r"^(?P<indent> *)(?P<marker>[-*+]|(?P<number>\d{1,9})\.)(?P<space> +)(?=\S)"
)
_HR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}(?:> ?)+")
_NOT_PARAGRAPH = re.compile(r"^\s*(?:[>#|]|`{3}|~{3}|\{:)")
_IAL_LINE = re.compile(r"^\s*\{:[^{}]*\}\s*$")
_CONTAINER_PREFIX = re.compile(r"^(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}\.)(?=[ \t])))*[ \t]*")
_CONTAINER_TOKEN = re.compile(r"([ \t]*)(>|[-*+]|\d{1,9}\.)")


class _Fences:
    """Tracks fenced code blocks line by line, so line rules leave code alone."""

    def __init__(self, limit: int | None = None) -> None:
        self.open: str | None = None
        self.left = limit  # how many more blocks may open

    @staticmethod
    def opening(line: str) -> str | None:
        """The fence `line` opens (a backtick fence's info string has no backtick), if any."""
        m = _FENCE_OPEN.match(line)
        if m is None or (m["fence"][0] == "`" and "`" in m["info"]):
            return None
        return m["fence"]

    def feed(self, line: str) -> bool:
        """Whether `line` belongs to a fenced block (fence lines included)."""
        if self.open is None:
            if self.left == 0 or (fence := self.opening(line)) is None:
                return False
            self.open = fence
            if self.left is not None:
                self.left -= 1
            return True
        m = _FENCE_CLOSE.match(line)
        if m and m["fence"][0] == self.open[0] and len(m["fence"]) >= len(self.open):
            self.open = None
        return True


def _lines(text: str) -> list[tuple[int, str]]:
    """Lines with their offsets, split on any newline convention (forms post CRLF)."""
    lines, start = [], 0
    for m in _NEWLINE.finditer(text):
        lines.append((start, text[start : m.start()]))
        start = m.end()
    lines.append((start, text[start:]))
    return lines


def _find_tasks(text: str) -> list[tuple[int, int]]:
    """(offset of the state character, offset of the item's text) for every task item."""
    fences, tasks = _Fences(), []
    for offset, line in _lines(text):
        if not fences.feed(line) and (m := _TASK.match(line)):
            tasks.append((offset + m.start("state"), offset + m.end()))
    return tasks


_LABEL_NOISE = re.compile(r"[*`~]+|\\(?=\S)")


def _task_labels(text: str) -> dict[int, str]:
    """Each task's text as plain words, escaped for an attribute: the checkbox's accessible name
    (a checkbox needs one; its visible text sits beside it, outside any label element)."""
    text = _NEWLINE.sub("\n", text.encode()[:MAX_BODY_BYTES].decode(errors="ignore"))
    labels = {}
    for number, (_, content_at) in enumerate(_find_tasks(text)):
        line = text[content_at:].split("\n", 1)[0]
        words = " ".join(_LABEL_NOISE.sub("", line).split())[:200]
        labels[number] = html.escape(words, quote=True)
    return labels


def _mark_tasks(text: str) -> str:
    parts, last = [], 0
    for number, (_, content_at) in enumerate(_find_tasks(text)):
        parts += [text[last:content_at], f"{_TASK_OPEN}{number}{_TASK_CLOSE}"]
        last = content_at
    return "".join([*parts, text[last:]])


def _container_prefix(line: str) -> str:
    """The blockquote and list markers (and indentation) a line starts with."""
    m = _CONTAINER_PREFIX.match(line)
    return m.group() if m else ""


def _cap_nesting(line: str) -> str:
    prefix = _container_prefix(line)
    if len(prefix) <= 4 * MAX_NESTING:
        return line
    kept = [
        space[: 4 * MAX_NESTING] + marker
        for space, marker in _CONTAINER_TOKEN.findall(prefix)[:MAX_NESTING]
    ]
    return "".join(kept) + " " + line[len(prefix) :]


@dataclass
class _Item:
    content_col: int  # where the item's content starts in the source (CommonMark's rule)
    level: int  # its nesting level in the output, 4 spaces each


def _normalize_blocks(text: str) -> str:
    """Re-indent lists to 4 spaces a level and add the blank lines Python-Markdown needs."""
    out: list[str] = []
    items: list[_Item] = []
    fences = _Fences(limit=MAX_FENCES)
    shift = 0  # re-indentation of the fenced block being copied
    prev = ""
    quoted_list = False  # inside a list within a blockquote
    after_fence = False
    for line in text.split("\n"):
        if fences.open:
            fences.feed(line)
            indent = len(line) - len(line.lstrip(" "))
            out.append(" " * max(0, indent + shift) + line.lstrip(" "))
            prev, after_fence = line, fences.open is None
            continue
        if not line.strip():
            out.append("")
            prev, quoted_list = "", False
            continue
        if fences.left == 0 and fences.opening(line):
            line = line.replace("`", "\\`", 1).replace("~", "\\~", 1)  # over budget: plain text
        # Text right after a closing fence, or a kramdown `{: …}` line, must start a new block.
        if prev and (after_fence or _IAL_LINE.match(line)):
            out.append("")
            prev = ""
        after_fence = False
        indent = len(line) - len(line.lstrip(" "))
        item = _LIST_ITEM.match(line)
        shift = 0
        if item and not _HR.match(line):
            # A list may interrupt a paragraph (CommonMark), ordered ones only from 1; an item
            # ends a blockquote or table above it, which Python-Markdown would continue lazily.
            starts_list = not items and item["number"] in (None, "1")
            if prev and (starts_list or _NOT_PARAGRAPH.match(prev)):
                out.append("")
            while items and indent < items[-1].content_col:
                items.pop()
            level = min(len(items), MAX_NESTING)
            out.append(" " * 4 * level + item["marker"] + " " + line[item.end() :])
            space = len(item["space"]) if len(item["space"]) <= 4 else 1
            items.append(_Item(indent + len(item["marker"]) + space, level))
        elif items:
            lazy = bool(prev) and not (_NOT_PARAGRAPH.match(line) or _HR.match(line))
            while items and not lazy and indent < items[-1].content_col:
                items.pop()
            if items:
                extra = indent - items[-1].content_col
                new_indent = 4 * (items[-1].level + 1) + (extra if extra >= 4 else 0)
                shift = new_indent - indent
                out.append(" " * new_indent + line.lstrip(" "))
            else:
                out += ["", line] if prev else [line]
        else:
            quote = _QUOTE.match(line)
            rest = line[quote.end() :] if quote else ""
            if quote and _LIST_ITEM.match(rest):
                prev_quote = _QUOTE.match(prev)
                if not quoted_list and prev_quote and prev[prev_quote.end() :].strip():
                    out.append(quote.group().rstrip())
                quoted_list = True
            out.append(line)
        fences.feed(line)
        prev = line
    return "\n".join(out)


def _split_paragraphs(text: str) -> str:
    """Break paragraphs longer than `MAX_PARAGRAPH` into several.

    Python-Markdown rebuilds a paragraph's whole string for every inline match, so a paragraph
    of n matches costs n²: 100 000 `\\*` in a row took a minute. Only absurd paragraphs are cut.
    """
    out: list[str] = []
    fences = _Fences(limit=MAX_FENCES)
    run = 0  # characters since the last blank line
    for line in text.split("\n"):
        if fences.feed(line) or not line.strip():
            out.append(line)
            run = 0
            continue
        line = _cap_nesting(line)  # also keeps `prefix` short, so that the cutting ends
        prefix = _container_prefix(line)
        # What continues this line's blocks on a new line: its quote markers, its indentation.
        follow = re.sub(r"[-*+]|\d{1,9}\.", lambda m: " " * len(m.group()), prefix)
        if run and run + len(line) > MAX_PARAGRAPH and not line[len(prefix) :].startswith("|"):
            out.append(follow.rstrip())
            run = 0
        while len(line) > MAX_PARAGRAPH:
            cut = line.rfind(" ", MAX_PARAGRAPH // 2, MAX_PARAGRAPH)
            cut = cut if cut > len(prefix) else MAX_PARAGRAPH
            out += [line[:cut], follow.rstrip()]
            line = follow + line[cut:].lstrip()
        out.append(line)
        run += len(line)
    return "\n".join(out)


def _prepare(text: str) -> str:
    text = text.encode()[:MAX_BODY_BYTES].decode(errors="ignore")
    text = _mark_tasks(_SENTINELS.sub("", text))
    text = _NEWLINE.sub("\n", text).expandtabs(4)
    text = _LIQUID_RAW.sub("", text)
    return _normalize_blocks(_split_paragraphs(text))


# 2. Markdown ------------------------------------------------------------------------------------

# Inline raw HTML that learners type and that is harmless; re-emitted without attributes.
_RAW_TAGS = (
    "br|wbr|hr|details|summary|aside|sup|sub|kbd|mark|ins|del|s|u|small|b|i|em|strong|q|abbr|ruby|"
    "rt|rp"
)
_RAW_TAG = re.compile(
    rf"<(/?)({_RAW_TAGS})\b(?:\s[^<>]*)?/?>|<!--(?:(?!<!--|-->).)*-->", re.I | re.S
)


class _RawTagProcessor(InlineProcessor):
    """Keeps the allowlisted tags and drops HTML comments; any other `<` stays text."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:
        closing, name = m.group(1), (m.group(2) or "").lower()
        if not name:  # an HTML comment, hidden as in Jekyll
            tag = ""
        elif name == "details" and not closing and re.search(r"\sopen\b", m.group(0), re.I):
            tag = "<details open>"
        else:
            tag = f"<{closing}{name}>"
        return self.md.htmlStash.store(tag), m.start(0), m.end(0)


_BRACKET = re.compile(r"[\[\]]")
_LINK_TARGET = re.compile(
    r"""\(\s*+(?P<href><[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*+\))*+)"""
    r"""(?:\s++(?P<title>"[^"\n]*"|'[^'\n]*'))?\s*+\)"""
)


class _BoundedLinks(LinkInlineProcessor):
    """Link parsing in C-speed regexes within `LINK_WINDOW`, instead of a Python loop per char.

    Trade-offs against the stock parser: link text nests brackets at most 8 deep, and a URL may
    nest parentheses once and contains no spaces (unless written as `<url>`), like CommonMark.
    """

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        if data.find("]", index, index + LINK_WINDOW) < 0:
            return "", index, False
        depth = 1
        for m in _BRACKET.finditer(data, index, index + LINK_WINDOW):
            depth += 1 if m.group() == "[" else -1
            if depth == 0:
                return data[index : m.start()], m.end(), True
            if depth > 8:
                break
        return "", index, False

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        m = _LINK_TARGET.match(data, index, index + LINK_WINDOW)
        if not m:
            return "", None, index, False
        href = m["href"][1:-1] if m["href"].startswith("<") else m["href"]
        title = m["title"][1:-1] if m["title"] else None
        return self.unescape(href).strip(), title, m.end(), True


class _Link(_BoundedLinks): ...


class _Image(_BoundedLinks, ImageInlineProcessor): ...


class _Reference(_BoundedLinks, ReferenceInlineProcessor): ...


class _ShortReference(_BoundedLinks, ShortReferenceInlineProcessor): ...


class _ImageReference(_BoundedLinks, ImageReferenceInlineProcessor): ...


class _ShortImageReference(_BoundedLinks, ShortImageReferenceInlineProcessor): ...


_TICKS = re.compile(r"`+")


@lru_cache(maxsize=64)
def _closing_ticks(count: int) -> re.Pattern[str]:
    return re.compile(f"(?<!`){'`' * count}(?!`)")


class _BoundedBackticks(BacktickInlineProcessor):
    """The stock span search is a Python loop to the end of the text for every unmatched run of
    backticks (`\\``` ` lines make thousands): here a regex within `CODE_SPAN_WINDOW`. As in
    CommonMark, a run without a closing run of the same length is literal text."""

    def find_code_spans(self, start: int, text: str) -> tuple[int, int | None]:
        run = _TICKS.match(text, start)  # handleMatch found a backtick here
        ticks = len(run.group()) if run else 1
        start += ticks
        closing = _closing_ticks(ticks).search(text, start, start + CODE_SPAN_WINDOW)
        return start, closing.start() if closing else None


class _KramdownInlineMath(InlineProcessor):
    """kramdown writes inline math as `$$…$$` inside a sentence; Chirpy posts are full of it."""

    def handleMatch(
        self, m: re.Match[str], data: str
    ) -> tuple[ET.Element | None, int | None, int | None]:
        if not m.group(1).strip():
            return None, None, None
        el = ET.Element("span", {"class": "arithmatex"})
        el.text = AtomicString(f"\\({m.group(1).strip()}\\)")
        return el, m.start(0), m.end(0)


def _math_fence(source: str, *args: Any, **kwargs: Any) -> str:
    """```math fences are display math (the generic arithmatex formatter does not escape)."""
    return f'<div class="arithmatex">\\[{html.escape(source)}\\]</div>'


# kramdown attribute lists: `{: .prompt-info }`, `{: width="400px" .normal }`.
_IAL = re.compile(r"""\{:((?:[^{}"']|"[^"]*"|'[^']*')*)\}""")
_IAL_TOKEN = re.compile(r"""\.([\w-]+)|#([\w-]+)|([\w:-]+)=(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")
_IAL_CLASSES = frozenset(
    {
        *(f"prompt-{kind}" for kind in ("tip", "info", "warning", "danger")),
        *(f"align-{side}" for side in ("center", "left", "right")),
        *("normal", "left", "right", "shadow", "border", "rounded", "light", "dark"),
        *(f"w-{n}" for n in (25, 50, 75, 100)),
    }
)
_PIXELS = re.compile(r"^(\d{1,4})(?:px)?$")


def _apply_ial(el: ET.Element, spec: str) -> None:
    """Apply the allowlisted part of an attribute list: known classes, pixel sizes on images."""
    if el.tag == "p" and len(el) == 1 and el[0].tag == "img" and not (el.text or "").strip():
        el = el[0]  # `{: width=… }` under a lone image is meant for the image
    classes = (el.get("class") or "").split()
    for cls, _id, key, *values in _IAL_TOKEN.findall(spec):
        value = next((v for v in values if v), "")
        if cls in _IAL_CLASSES and cls not in classes:
            classes.append(cls)
        elif el.tag == "img" and key in ("width", "height") and (px := _PIXELS.match(value)):
            el.set(key, px.group(1))
    if classes:
        el.set("class", " ".join(classes))


_INLINE_MATH_TEXT = re.compile(r"\\\((.*?)\\\)")


def _is_external(href: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", href.strip(), re.I))


class _TreeFixes(Treeprocessor):
    """Runs after inline parsing and before the toc: attribute lists, link rel, comment headings."""

    def __init__(self, md: markdown.Markdown, comment: bool) -> None:
        super().__init__(md)
        self.comment = comment

    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            kept: list[ET.Element] = []
            for child in parent:
                text = (child.text or "").strip()
                if child.tag == "p" and len(child) == 0 and (m := _IAL.fullmatch(text)):
                    if kept:  # a block attribute list applies to the block above it
                        _apply_ial(kept[-1], m.group(1))
                    continue  # and is dropped; a block's tail is only whitespace
                kept.append(child)
                if child.tail and (m := _IAL.match(child.tail)):  # `![x](y){: .normal}`
                    _apply_ial(child, m.group(1))
                    child.tail = child.tail[m.end() :]
                if child.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    _strip_trailing_ial(child)
                    if self.comment:
                        child.tag = f"h{min(6, int(child.tag[1]) + 3)}"
                if child.tag == "a" and _is_external(child.get("href", "")):
                    child.set("rel", "nofollow noopener")
                elif child.tag == "img":
                    child.set("loading", "lazy")
                    child.set("decoding", "async")
                for name in ("title", "alt"):
                    if value := child.get(name):
                        child.set(name, self._plain(value))
            if len(kept) != len(parent):
                parent[:] = kept

    @staticmethod
    def _plain(value: str) -> str:
        """An attribute as text. Inline parsing may have run inside a link title (`$x$`, `` `c` ``)
        and left its placeholders there, with nodes that are gone: they are dropped."""
        return _INLINE_MATH_TEXT.sub(r"\1", INLINE_PLACEHOLDER_RE.sub("", value))


def _strip_trailing_ial(heading: ET.Element) -> None:
    """`## Title {: data-toc-skip='' }`: kramdown attributes on a heading; none are kept."""
    last = heading[-1] if len(heading) else None
    text = last.tail if last is not None else heading.text
    if text and (m := re.search(r"\s*" + _IAL.pattern + r"\s*$", text)):
        if last is not None:
            last.tail = text[: m.start()]
        else:
            heading.text = text[: m.start()]


_UNICODE_SLUG = slugs.slugify(case="lower")


def _slugify(value: str, separator: str) -> str:
    # Prefixed so that no heading id can clobber a DOM global; Hangul is kept.
    slug = re.sub(f"{re.escape(separator)}+", separator, _UNICODE_SLUG(value, separator))
    return "h-" + (slug.strip(separator) or "section")


class _CamplogExtension(Extension):
    def __init__(self, comment: bool) -> None:
        super().__init__()
        self.comment = comment

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.register(_RawTagProcessor(_RAW_TAG.pattern, md), "html", 90)
        patterns = md.inlinePatterns
        patterns.register(_BoundedBackticks(patterns["backtick"].pattern), "backtick", 190)
        # Replace each stock link parser by its bounded twin, under the same name and priority.
        for name, cls, priority in [
            ("reference", _Reference, 170),
            ("link", _Link, 160),
            ("image_link", _Image, 150),
            ("image_reference", _ImageReference, 140),
            ("short_reference", _ShortReference, 130),
            ("short_image_ref", _ShortImageReference, 125),
        ]:
            patterns.register(cls(patterns[name].pattern, md), name, priority)
        inline_math = r"(?<![\\$])\$\$(?!\$)((?:\\.|[^\\$])+?)\$\$(?!\$)"
        patterns.register(_KramdownInlineMath(inline_math, md), "kramdown-math", 189.95)
        md.treeprocessors.register(_TreeFixes(md, self.comment), "camplog-fixes", 12)


def _markdown(
    comment: bool, footnote_ns: str, highlight: bool, footnotes: bool
) -> markdown.Markdown:
    extensions: list[Any] = [
        "tables",
        "sane_lists",
        "pymdownx.arithmatex",
        "pymdownx.superfences",
        "pymdownx.highlight",
        "pymdownx.tasklist",
        "pymdownx.tilde",
        "pymdownx.mark",
        "pymdownx.magiclink",
        "pymdownx.emoji",
        _CamplogExtension(comment),
    ]
    if footnotes:
        extensions.append("footnotes")
    if not comment:
        extensions.append("toc")
    return markdown.Markdown(
        extensions=extensions,
        extension_configs={
            "tables": {"use_align_attribute": True},
            "footnotes": {"SEPARATOR": f"-{footnote_ns}-", "BACKLINK_TITLE": "↩ %d"},
            "pymdownx.arithmatex": {"generic": True},
            "pymdownx.superfences": {
                "custom_fences": [{"name": "math", "class": "arithmatex", "format": _math_fence}]
            },
            "pymdownx.highlight": {
                "css_class": "highlight",
                "guess_lang": False,
                "use_pygments": highlight,
            },
            "pymdownx.tasklist": {"custom_checkbox": False, "clickable_checkbox": False},
            # `~x~` subscript would eat Korean ranges like "10~20분".
            "pymdownx.tilde": {"subscript": False},
            "pymdownx.emoji": {"emoji_index": emoji.gemoji, "emoji_generator": emoji.to_alt},
            "toc": {"slugify": _slugify, "marker": "", "toc_depth": "1-6"},
        },
        output_format="html",
    )


# 3. and 5. Tasks and math -------------------------------------------------------------------

_CHECKBOX = re.compile(
    f'(<input type="checkbox" disabled(?: checked)?)(/?>\\s*){_TASK_OPEN}(\\d+){_TASK_CLOSE}'
)
_EMPTY_CHECKBOX = re.compile(r'(<input type="checkbox" disabled(?: checked)?)(/?>)')
_MATH_HTML = re.compile(
    r'<span class="arithmatex">\\\((.*?)\\\)</span>|<div class="arithmatex">\\\[(.*?)\\\]</div>',
    re.S,
)
_PLACEHOLDER = re.compile(f"{_MATH_OPEN}(\\d+){_MATH_CLOSE}")


@dataclass(frozen=True)
class _Formula:
    tex: str
    display: bool


def _extract_math(body: str) -> tuple[str, list[_Formula]]:
    formulas: list[_Formula] = []

    def placeholder(m: re.Match[str]) -> str:
        display = m.group(2) is not None
        formulas.append(_Formula(html.unescape(m.group(2) if display else m.group(1)), display))
        return f"{_MATH_OPEN}{len(formulas) - 1}{_MATH_CLOSE}"

    return _MATH_HTML.sub(placeholder, body), formulas


_MATHML = "{http://www.w3.org/1998/Math/MathML}"
# fmt: off
_MATHML_TAGS = frozenset({
    "math", "semantics", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup",
    "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd",
    "mstyle", "mpadded", "mphantom", "menclose", "merror", "mmultiscripts", "mprescripts", "none",
})
_MATHML_ATTRIBUTES = frozenset({
    "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace", "minsize", "maxsize",
    "movablelimits", "accent", "accentunder", "linethickness", "columnalign", "rowalign",
    "columnspacing", "rowspacing", "columnlines", "rowlines", "frame", "framespacing", "width",
    "height", "depth", "voffset", "scriptlevel", "displaystyle", "notation", "form", "symmetric",
    "largeop", "mathcolor", "mathbackground", "mathsize",
})
# fmt: on
_MATHML_VALUE = re.compile(r"^[\w .%#+-]*$")  # no quotes, parentheses or colons: no url()/js:
# latex2mathml copies `\text{…}` verbatim: escape what is not markup it could have produced.
_BARE_AMPERSAND = re.compile(r"&(?!#?\w+;)")
_BARE_LT = re.compile(rf"<(?!/?(?:{'|'.join(_MATHML_TAGS)})[\s>/])")


def _serialize_mathml(el: ET.Element, out: list[str]) -> None:
    tag = el.tag.removeprefix(_MATHML)
    if tag in _MATHML_TAGS:
        attrs = "".join(
            f' {name}="{html.escape(value)}"'
            for name, value in sorted(el.attrib.items())
            if name in _MATHML_ATTRIBUTES and _MATHML_VALUE.match(value)
        )
        out.append(f"<{tag}{attrs}>{html.escape(el.text or '')}")
        for child in el:
            _serialize_mathml(child, out)
        out.append(f"</{tag}>")
    out.append(html.escape(el.tail or ""))  # an unknown element is dropped with its content


# Environments latex2mathml lacks, as ones it has (`aligned` is all over study notes).
_ENVIRONMENTS = {
    "aligned": ("align*", ""),
    "gathered": ("array", "{c}"),
    "gather": ("array", "{c}"),
    "gather*": ("array", "{c}"),
    "eqnarray": ("array", "{rcl}"),
    "eqnarray*": ("array", "{rcl}"),
}
_ENVIRONMENT = re.compile(r"\\(begin|end)\{(aligned|gathered|gather\*?|eqnarray\*?)\}")


def _alias_environment(m: re.Match[str]) -> str:
    name, columns = _ENVIRONMENTS[m.group(2)]
    return f"\\{m.group(1)}{{{name}}}" + (columns if m.group(1) == "begin" else "")


@lru_cache(maxsize=2048)
def _mathml(tex: str, display: bool) -> str:
    """latex2mathml's output, rebuilt from an allowlist; never raises."""
    try:
        converted = latex_to_mathml(_ENVIRONMENT.sub(_alias_environment, tex))
        xml = _BARE_LT.sub("&lt;", _BARE_AMPERSAND.sub("&amp;", converted))
        root = ET.fromstring(xml)
        if root.tag != f"{_MATHML}math":
            raise ValueError(root.tag)
        out = [f'<math display="{"block" if display else "inline"}">']
        for child in root:
            _serialize_mathml(child, out)
        return "".join([*out, "</math>"])
    except Exception:  # latex2mathml raises many kinds; a formula must never break a page
        source = f"$${tex}$$" if display else f"${tex}$"
        return f'<code class="math-error">{html.escape(source)}</code>'


def _insert_math(body: str, formulas: list[_Formula]) -> str:
    def mathml(m: re.Match[str]) -> str:
        index = int(m.group(1))
        formula = formulas[index]
        if index >= MAX_FORMULAS or len(formula.tex) > MAX_FORMULA_CHARS:
            return f'<code class="math-error">{html.escape(formula.tex)}</code>'
        return _mathml(formula.tex, formula.display)

    return _PLACEHOLDER.sub(mathml, body)


# 4. Sanitizing ---------------------------------------------------------------------------------

# fmt: off
_TAGS = {
    "a", "abbr", "aside", "b", "blockquote", "br", "code", "del", "details", "div", "em", "hr",
    "i", "img", "input", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby",
    "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead",
    "tr", "u", "ul", "wbr", "h1", "h2", "h3", "h4", "h5", "h6",
}
# fmt: on
_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title", "width", "height", "class"},
    "blockquote": {"class"},
    "p": {"class"},
    "div": {"class"},
    "span": {"class"},
    "code": {"class"},
    "ul": {"class"},
    "ol": {"class", "start"},
    "li": {"class", "id"},
    "sup": {"id"},
    "th": {"align"},
    "td": {"align"},
    "input": {"disabled", "checked", "data-task-index", "aria-label"},
    "details": {"open"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
_CLASSES = {
    "a": {"footnote-ref", "footnote-backref"},
    "blockquote": {c for c in _IAL_CLASSES if c.startswith("prompt-")},
    "img": _IAL_CLASSES,
    "p": _IAL_CLASSES,
    "div": {"highlight", "footnote"},
    "span": set(STANDARD_TYPES.values()) - {""},  # Pygments token classes
    "ul": {"task-list"},
    "ol": {"task-list"},
    "li": {"task-list-item"},
}
_ID = re.compile(r"^(?:h|fn|fnref)-[\w-]{1,1000}$")
_NUMBER = re.compile(r"^\d{1,6}$")


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if attr == "class":
        allowed = _CLASSES.get(tag, set())
        return " ".join(c for c in value.split() if c in allowed) or None
    if attr == "id":
        return value if _ID.match(value) else None
    if attr in ("width", "height", "start", "data-task-index"):
        return value if _NUMBER.match(value) else None
    return value


def _sanitize(body: str) -> str:
    return nh3.clean(
        body,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        tag_attribute_values={
            "a": {"rel": {"nofollow noopener"}},
            "img": {"loading": {"lazy"}, "decoding": {"async"}},
            "input": {"type": {"checkbox"}, "aria-hidden": {"true"}},
        },
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )


# The whole pipeline ----------------------------------------------------------------------------

_instances = threading.local()


def _reusable_markdown(
    comment: bool, footnote_ns: str, highlight: bool, footnotes: bool
) -> markdown.Markdown:
    """A reset Markdown instance for this thread. Building one costs ~60 ms (the emoji index),
    more than rendering a typical log, so each thread keeps one per configuration; only the
    footnote separator changes per document, and the extension reads it at render time."""
    cache = _instances.__dict__.setdefault("by_config", {})
    key = (comment, highlight, footnotes)
    md = cache.get(key)
    if md is None:
        md = cache[key] = _markdown(comment, footnote_ns, highlight, footnotes)
    md.reset()
    for extension in md.registeredExtensions:
        if isinstance(extension, FootnoteExtension):
            extension.setConfig("SEPARATOR", f"-{footnote_ns}-")
    return md


# Fence lines (opening and closing) and indented code after a blank line: an upper bound.
_CODE_START = re.compile(r"^[ \t>]*(?:`{3,}|~{3,})|\n\n {4,}\S", re.M)


def _render(text: str, comment: bool) -> Rendered:
    footnote_ns = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:6]
    source = _prepare(text)
    md = _reusable_markdown(
        comment,
        footnote_ns,
        highlight=len(_CODE_START.findall(source)) <= 2 * MAX_HIGHLIGHTED,
        footnotes=source.count("[^") <= 2 * MAX_FOOTNOTES,
    )
    try:
        body = md.convert(source)
    except RecursionError:  # a shape the nesting caps missed: show the text rather than fail
        body = "".join(f"<p>{html.escape(p)}</p>" for p in source.split("\n\n"))
    labels = _task_labels(text)
    body = _CHECKBOX.sub(
        lambda m: f'{m[1]} data-task-index="{m[3]}" aria-label="{labels.get(int(m[3]), "")}"{m[2]}',
        body,
    )
    # An empty placeholder ("- [ ] " with nothing after it) says nothing: hidden from screen
    # readers rather than read out as an unnamed checkbox (it is disabled, so never focused).
    body = _EMPTY_CHECKBOX.sub(r'\1 aria-hidden="true"\2', body)
    body = _TASK_MARK.sub("", body)
    body, formulas = _extract_math(body)
    body = _sanitize(body)
    body = re.sub(r"<p>\s*</p>", "", body)  # left by <details> lines and removed comments
    toc = () if comment else tuple(_toc(md))
    excerpt = _excerpt(_PLACEHOLDER.sub(lambda m: _excerpt_math(formulas[int(m.group(1))]), body))
    return Rendered(_insert_math(body, formulas), toc, bool(formulas), excerpt)


def _toc(md: markdown.Markdown) -> list[TocItem]:
    items: list[TocItem] = []

    def walk(tokens: list[dict[str, Any]]) -> None:
        for token in tokens:
            title = re.sub(r"\\\((.*?)\\\)", r"\1", html.unescape(token["name"]))
            items.append(TocItem(token["level"], token["id"], _SENTINELS.sub("", title).strip()))
            walk(token["children"])

    walk(getattr(md, "toc_tokens", []))
    return items


class _TextCollector(HTMLParser):
    """The prose of sanitized HTML: no code blocks, footnotes or footnote marks."""

    _BLOCK = frozenset(
        {"p", "li", "br", "hr", "tr", "td", "th", "div", "blockquote", "summary", "aside"}
        | {f"h{level}" for level in range(1, 7)}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.append(tag)
        elif self._skips(tag, attributes):
            self.skipping.append(tag)
        if tag in self._BLOCK:
            self.parts.append(" ")

    @staticmethod
    def _skips(tag: str, attributes: dict[str, str | None]) -> bool:
        if tag == "div":
            return attributes.get("class") == "footnote"
        return tag == "pre" or (tag == "sup" and "id" in attributes)  # footnote marks have ids

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        if tag in self._BLOCK:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _excerpt_math(formula: _Formula) -> str:
    """Short inline math (c_0) reads fine as TeX in a plain-text excerpt; long formulas are noise."""
    return html.escape(formula.tex) if not formula.display and len(formula.tex) <= 16 else "…"


def _excerpt(body: str) -> str:
    collector = _TextCollector()
    text = ""
    # Only the beginning is needed, and parsing HTML is the cost: it is read 512 characters at a
    # time until the text is longer than an excerpt (more HTML cannot change its start) or,
    # looked at every 4096, holds more than 4 × EXCERPT_LENGTH characters before spaces are
    # collapsed (the earlier rule, kept so that no excerpt changes).
    for start in range(0, len(body), 512):
        collector.feed(body[start : start + 512])
        text = " ".join("".join(collector.parts).split())
        if len(text) > EXCERPT_LENGTH:
            break
        if (start + 512) % 4096 == 0 and sum(map(len, collector.parts)) > 4 * EXCERPT_LENGTH:
            break
    if len(text) <= EXCERPT_LENGTH:
        return text
    cut = text[: EXCERPT_LENGTH - 1]
    if (space := cut.rfind(" ")) > EXCERPT_LENGTH * 3 // 4:
        cut = cut[:space]
    return cut.rstrip(" ,.;:") + "…"
