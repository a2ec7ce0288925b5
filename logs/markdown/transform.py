"""Steps 3 and 5 of the pipeline: cmark-gfm's HTML finished before and after sanitizing.

Before nh3 (on cmark's own, well-known output): code blocks coloured, task checkboxes numbered
and named, kramdown attribute lists applied, iframes checked against the players we frame,
footnote ids namespaced. After nh3 (on its normalized output, where every tag is well formed and
attribute values are quoted and escaped): heading ids and the table of contents, `rel` on
external links, and formulas as MathML. Nothing added after nh3 comes from the learner's text
unescaped: ids are slugs, MathML is rebuilt from an allowlist.

Every pass is a regex sweep or a `str.find` walk that moves forward (or, for an attribute list,
back over the one element it applies to), so the cost stays linear.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from logs.markdown import code, embeds, mathml
from logs.markdown.sanitize import IAL_CLASSES
from logs.markdown.source import Prepared

# Before sanitizing ------------------------------------------------------------------------------

# Tokens are `<nonce><kind><index>x` (`source.Prepared.token`); one found with another nonce is
# text the learner typed, and stays text.
_NONCE = r"q[0-9a-f]{10}"
_CODE_BLOCK = re.compile(rf'<pre lang="({_NONCE})c(\d+)x"><code>')


def highlight_code(body: str, prepared: Prepared) -> str:
    """cmark writes a fence with language `<token>` as `<pre lang="<token>"><code>…`."""
    if f'<pre lang="{prepared.nonce}c' not in body:
        return body
    budget = [code.HIGHLIGHT_BUDGET]
    parts, position = [], 0
    for count, m in enumerate(_CODE_BLOCK.finditer(body)):
        if count == MAX_CODE_BLOCKS:  # the rest stay plain: nh3 drops the `lang` token
            break
        if m.start() < position or m.group(1) != prepared.nonce:
            continue
        end = body.find("</code></pre>", m.end())
        if end == -1:
            break
        language = prepared.languages[int(m.group(2))]
        source = html.unescape(body[m.end() : end])
        parts += [body[position : m.start()], code.block(source, language, budget)]
        position = end + len("</code></pre>")
    return "".join([*parts, body[position:]])


# A task item as cmark writes it: with its checkbox, or (in a blockquote, where cmark-gfm's task
# list extension does not look) with the `[ ]` still text. With source positions, for toggling.
TASK_ITEM = re.compile(
    r'<li(?: data-sourcepos="(?P<line>\d+):(?P<column>\d+)-[^"]*")?>'
    r'(?:<input type="checkbox"(?P<checked> checked="")? disabled="" />|\[(?P<state>[ xX])\](?= ))'
)
_LEADING_P = re.compile(r"^\s*<p>")
_LABEL_END = re.compile(r"<(?:ul|ol|/li|/p|li)\b")
_TAG = re.compile(r"<[^>]*>")


MAX_TASKS = 1_000
MAX_CODE_BLOCKS = 500
MAX_HEADINGS = 1_000


def number_tasks(body: str, prepared: Prepared) -> str:
    """Each task checkbox carries its index in the document (what `toggle_task` edits) and its
    task's words as its name; an empty placeholder task is hidden from screen readers."""
    count = 0

    def checkbox(m: re.Match[str]) -> str:
        nonlocal count
        index, count = count, count + 1
        after = _LEADING_P.sub("", body[m.end() : m.end() + 600])
        stop = _LABEL_END.search(after)
        words = plain_text(after[: stop.start() if stop else None], prepared)[:200]
        checked = " checked" if m.group("checked") or m.group("state") in ("x", "X") else ""
        if not words:  # an empty placeholder ("- [ ] "): nothing to tick, hidden from readers
            return f'<li class="task-list-item"><input disabled{checked} aria-hidden="true">'
        label = html.escape(words, quote=True)
        return (
            '<li class="task-list-item">'
            f'<input disabled{checked} data-task-index="{index}" aria-label="{label}">'
        )

    return TASK_ITEM.sub(checkbox, body, count=MAX_TASKS)


_IAL_TOKEN = re.compile(r"""\.([\w-]+)|#([\w-]+)|([\w:-]+)=(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")
_PIXELS = re.compile(r"^(\d{1,4})(?:px)?$")
_HEADING = re.compile(r"^h[1-6]$")
_NESTING = ("blockquote", "ul", "ol", "table", "div", "li", "details")


def _attributes(tag_name: str, spec: str) -> tuple[list[str], dict[str, str]]:
    """The allowlisted part of a kramdown attribute list for a `tag_name` element."""
    classes, attributes = [], {}
    for cls, _id, key, *values in _IAL_TOKEN.findall(html.unescape(spec)):
        value = next((v for v in values if v), "")
        if cls in IAL_CLASSES:
            classes.append(cls)
        elif tag_name == "img" and key in ("width", "height", "w", "h"):
            if px := _PIXELS.match(value):
                attributes["width" if key[0] == "w" else "height"] = px.group(1)
        elif _HEADING.match(tag_name) and key == "data-toc-skip":
            attributes["data-toc-skip"] = ""
        elif tag_name == "div" and key == "file" and value:
            attributes["data-lang"] = value.rsplit("/", 1)[-1][:60]
    return classes, attributes


def _with_attributes(tag: str, spec: str) -> str:
    """An opening tag with an attribute list applied (existing attributes win, classes merge)."""
    name = re.match(r"<(\w+)", tag).group(1).lower()
    classes, attributes = _attributes(name, spec)
    if classes:
        if m := re.search(r'\sclass="([^"]*)"', tag):
            merged = " ".join(dict.fromkeys([*m.group(1).split(), *classes]))
            tag = f"{tag[: m.start(1)]}{merged}{tag[m.end(1) :]}"
        else:
            attributes = {"class": " ".join(dict.fromkeys(classes)), **attributes}
    extra = "".join(
        f' {key}="{html.escape(value, quote=True)}"'
        for key, value in attributes.items()
        if not re.search(rf"\s{key}=", tag)
    )
    if name == "div" and "data-lang" in attributes:  # a file name replaces the language label
        tag = re.sub(r'\sdata-lang="[^"]*"', "", tag)
        extra = f' data-lang="{html.escape(attributes["data-lang"], quote=True)}"'
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    return tag[:end].rstrip() + extra + tag[end:]


class _Opener:
    """Finds the opening tag of the element whose closing tag is at a position, looking back."""

    def __init__(self, body: str) -> None:
        self.body = body

    def find(self, name: str, close_at: int) -> int:
        body, depth, position = self.body, 1, close_at
        opening, closing = f"<{name}", f"</{name}>"
        nesting = name in _NESTING
        while position > 0:
            o = body.rfind(opening, 0, position)
            if o == -1:
                return -1
            c = body.rfind(closing, 0, position) if nesting else -1
            if c > o:
                depth, position = depth + 1, c
                continue
            position = o
            if body[o + len(opening) : o + len(opening) + 1] not in (">", " ", "\n", "/"):
                continue  # `<p` of `<pre`
            depth -= 1
            if depth == 0:
                return o
        return -1


@dataclass
class _Edit:
    start: int
    end: int
    text: str


def _tag_end(body: str, start: int) -> int:
    return body.index(">", start) + 1


_ATTRIBUTE_LIST = re.compile(
    rf"(?P<inline>(?:{_NONCE}i\d+x)+)|(?P<block>(?:<!--{_NONCE}b\d+x-->\s*)+)"
)


def apply_attribute_lists(body: str, prepared: Prepared) -> str:
    if not prepared.attribute_lists:
        return body
    edits: list[_Edit] = []
    opener = _Opener(body)
    for m in _ATTRIBUTE_LIST.finditer(body):
        if prepared.nonce not in m.group(0):
            continue
        if m.group("inline"):
            indices = re.findall(rf"{prepared.nonce}i(\d+)", m.group("inline"))
            spec = " ".join(prepared.attribute_lists[int(i)] for i in indices)
            start = m.start()
            while start and body[start - 1] in " \t":  # `## Title {: … }`: the space goes too
                start -= 1
            edits.append(_Edit(start, m.end(), ""))
            target = _inline_target(body, start, m.end(), opener)
        else:
            indices = re.findall(rf"{prepared.nonce}b(\d+)", m.group("block"))
            spec = " ".join(prepared.attribute_lists[int(i)] for i in indices)
            edits.append(_Edit(m.start(), m.end(), ""))
            target = _block_target(body, m.start(), opener)
        if target is not None:
            end = _tag_end(body, target)
            edits.append(_Edit(target, end, _with_attributes(body[target:end], spec)))
    edits.sort(key=lambda edit: edit.start)
    parts, position = [], 0
    for edit in edits:
        if edit.start < position:
            continue
        parts += [body[position : edit.start], edit.text]
        position = edit.end
    return "".join([*parts, body[position:]])


def _inline_target(body: str, at: int, after: int, opener: _Opener) -> int | None:
    """`![x](a.png){: .normal }` → the image; `## Title {: data-toc-skip='' }` → the heading."""
    before = body[max(0, at - 2000) : at]
    if (
        before.endswith(">")
        and (img := before.rfind("<img")) != -1
        and "<" not in before[img + 1 :]
    ):
        return at - len(before) + img
    if m := re.match(r"\s*</(h[1-6])>", body[after : after + 64]):
        start = opener.find(m.group(1), at)
        return start if start != -1 else None
    return None


def _block_target(body: str, at: int, opener: _Opener) -> int | None:
    """A line `{: … }` under a block: the element that closed just before it."""
    window = body[max(0, at - 64) : at].rstrip()
    m = re.search(r"</(\w+)>$", window)
    if m is None:
        return None
    name = m.group(1).lower()
    close_at = at - (len(body[max(0, at - 64) : at]) - len(window)) - len(m.group(0))
    start = opener.find(name, close_at)
    if start == -1:
        return None
    if name == "p":  # a paragraph that is one image: the list is the image's
        content = _tag_end(body, start)
        inner = body[content:close_at]
        image = inner.lstrip()
        if image.startswith("<img") and image.count("<") == 1:
            return content + len(inner) - len(image)
    return start


_IFRAME = re.compile(r"""<iframe\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.I)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


def check_frames(body: str) -> str:
    """An iframe of a known player is kept (nh3 sandboxes it); any other becomes a link."""
    if "<iframe" not in body.lower():
        return body

    def frame(m: re.Match[str]) -> str:
        attributes = {
            a[0].lower(): html.unescape(next(v for v in a[1:] if v is not None))
            for a in _ATTRIBUTE.findall(m.group(0)[7:])
        }
        return embeds.iframe(attributes.get("src", ""), attributes.get("title", ""))

    return _IFRAME.sub(frame, body)


_FOOTNOTE_ID = re.compile(r'(id="|href="#)(fn(?:ref)?-)')


def namespace_footnotes(body: str, namespace: str) -> str:
    """Footnote ids unique on a page that shows several entries."""
    if "footnote" not in body:
        return body
    return _FOOTNOTE_ID.sub(rf"\g<1>\g<2>{namespace}-", body)


_EMPTY_HEAD = re.compile(r"<thead>\n<tr>\n(?:<th(?: align=\"\w+\")?></th>\n)+</tr>\n</thead>\n")


def drop_empty_table_heads(body: str, prepared: Prepared) -> str:
    return _EMPTY_HEAD.sub("", body) if prepared.headerless_tables else body


# After sanitizing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TocItem:
    level: int
    id: str
    title: str


_HEADING_ELEMENT = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>", re.S)
_ID_ATTRIBUTE = re.compile(r'\sid="[^"]*"')


def slug(title: str) -> str:
    """`h-` and the heading's words, Hangul kept: no heading id can clobber a DOM global."""
    words = re.sub(r"[^\w\- ]", "", title.lower())
    words = re.sub(r"-{2,}", "-", re.sub(r"\s+", "-", words.strip()))
    return "h-" + (words.strip("-") or "section")


def headings(body: str, prepared: Prepared, comment: bool) -> tuple[str, list[TocItem]]:
    """Entries: ids and the table of contents (Chirpy's `data-toc-skip` is honoured).
    Comments: headings three levels smaller, no ids."""
    toc: list[TocItem] = []
    seen: dict[str, int] = {}

    def heading(m: re.Match[str]) -> str:
        level, attributes, inner = int(m.group(1)), _ID_ATTRIBUTE.sub("", m.group(2)), m.group(3)
        if comment:
            level = min(6, level + 3)
            return f"<h{level}{attributes}>{inner}</h{level}>"
        title = plain_text(inner, prepared)
        base = slug(title)
        number = seen.get(base, 0)
        seen[base] = number + 1
        anchor = base if number == 0 else f"{base}_{number}"
        if "data-toc-skip" not in attributes:
            toc.append(TocItem(level, anchor, title))
        return f'<h{level} id="{anchor}"{attributes}>{inner}</h{level}>'

    if "<h" not in body:
        return body, toc
    # Past `MAX_HEADINGS`, headings keep no id and no place in the table of contents.
    return _HEADING_ELEMENT.sub(heading, body, count=MAX_HEADINGS), toc


_LINK = re.compile(r'<a href="([^"]*)"')
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)


_IMAGE_OR_LINK = re.compile(r"<img\b[^>]*>|<a\b|</a>")
_SRC = re.compile(r'\ssrc="([^"]*)"')
_ALT = re.compile(r'\salt="([^"]*)"')


def link_external_images(body: str) -> str:
    """Pictures load from Camplog only (CSP `img-src 'self'`): one from another site would be a
    tracking pixel on every reader. It becomes a link to it, named by its alt text or its host;
    inside a link already (a badge), just its name. One forward pass."""
    if "<img" not in body:
        return body
    in_link = False

    def visit(m: re.Match[str]) -> str:
        nonlocal in_link
        tag = m.group(0)
        if tag == "<a":
            in_link = True
            return tag
        if tag == "</a>":
            in_link = False
            return tag
        src = _SRC.search(tag)
        url = html.unescape(src.group(1)) if src else ""
        if not _EXTERNAL.match(url):
            return tag
        alt = _ALT.search(tag)
        name = alt.group(1) if alt and alt.group(1).strip() else html.escape(_host(url))
        if in_link:
            return name
        return f'<a href="{src.group(1)}" class="external-image">{name}</a>'

    return _IMAGE_OR_LINK.sub(visit, body)


def _host(url: str) -> str:
    return re.sub(r"^(?:[a-z][a-z0-9+.-]*:)?//", "", url, flags=re.I).split("/", 1)[0] or url


def mark_external_links(body: str) -> str:
    def link(m: re.Match[str]) -> str:
        href = html.unescape(m.group(1)).strip()
        if _EXTERNAL.match(href) and not href.lower().startswith("mailto:"):
            return f'{m.group(0)} rel="nofollow noopener"'
        return m.group(0)

    return _LINK.sub(link, body)


# latex2mathml takes ~0.1 ms a formula and ~0.01 ms a character of TeX: past this budget of
# distinct formulas in one document (~250 short ones), formulas are shown as their TeX.
MATH_BUDGET = 6_000
_FORMULA_COST = 12


def place_math(body: str, prepared: Prepared, budget: int) -> tuple[str, bool]:
    """Formula tokens become MathML: a display formula alone in its paragraph as a block, any
    other inline. In an attribute (an image's alt text) a formula is its TeX. Each formula is
    MathML at most once and all of them within `budget` characters, so no input can make the
    output more than a small multiple of its own size."""
    if not prepared.formulas:
        return body, False
    placed: set[int] = set()
    converted: set[str] = set()
    left = [budget, MATH_BUDGET]

    def formula(index: int, display: bool) -> str:
        tex = prepared.formulas[index].tex
        if index in placed:
            return html.escape(tex)
        placed.add(index)
        if tex not in converted:
            if len(tex) + _FORMULA_COST > left[1]:
                return mathml.error(tex, display)
            left[1] -= len(tex) + _FORMULA_COST
            converted.add(tex)
        out = mathml.mathml(tex, display)
        if len(out) > left[0]:
            return mathml.error(tex, display)
        left[0] -= len(out)
        return out

    def as_text(t: re.Match[str]) -> str:
        if t.group(1) != prepared.nonce:
            return t.group(0)
        return html.escape(prepared.formulas[int(t.group(2))].tex, quote=True)

    # Tokens are found by their nonce; what surrounds each says how it is placed.
    parts, position, marker = [], 0, prepared.nonce + "m"
    while (at := body.find(marker, position)) != -1:
        token = MATH_TOKEN.match(body, at)
        if token is None:
            parts.append(body[position : at + 1])
            position = at + 1
            continue
        index, end = int(token.group(2)), token.end()
        while body.startswith("\n" + token.group(0), end):  # one formula over several lines
            end += 1 + len(token.group(0))
        tag_start = body.rfind("<", position, at)
        if tag_start > body.rfind(">", position, at):  # inside a tag
            tag_end = body.index(">", at)
            attribute = _ATTRIBUTE_NAME.search(body, tag_start, at)
            in_text = attribute is not None and attribute.group(1) in _TEXT_ATTRIBUTES
            replace = as_text if in_text else (lambda t: "")
            parts += [body[position:at], MATH_TOKEN.sub(replace, body[at:tag_end])]
            position = tag_end
            continue
        alone = body.endswith("<p>", 0, at) and body.startswith("</p>", end)
        if alone and prepared.formulas[index].display:
            parts += [body[position : at - 3], formula(index, display=True)]
            position = end + 4
        else:
            parts += [body[position:at], formula(index, display=False)]
            position = end
    parts.append(body[position:])
    return "".join(parts), True


MATH_TOKEN = re.compile(rf"({_NONCE})m(\d+)x")
# In a tag, a formula becomes its TeX only in an attribute that is text (an image's alt text);
# anywhere else (a URL, an id) it is dropped.
_TEXT_ATTRIBUTES = frozenset({"alt", "title", "aria-label"})
_ATTRIBUTE_NAME = re.compile(r'\s([\w:-]+)="[^"]*$')


# Text ------------------------------------------------------------------------------------------


def plain_text(fragment: str, prepared: Prepared) -> str:
    """A fragment's words: tags dropped, entities decoded, formulas as TeX, spaces collapsed."""
    text = html.unescape(_TAG.sub("", fragment))
    if prepared.formulas:
        text = MATH_TOKEN.sub(
            lambda m: (
                prepared.formulas[int(m.group(2))].tex
                if m.group(1) == prepared.nonce
                else m.group(0)
            ),
            text,
        )
    return " ".join(text.split())
