"""The security boundary: every rendered fragment goes through nh3 with this explicit allowlist.

Raw HTML in Markdown is rendered the way GitHub renders a README: the tags learners use (sized
images, centred blocks, `<details>`, tables, `<kbd>`…) keep their harmless attributes; scripts,
styles, forms, event handlers and foreign URLs never survive. Iframes survive only pointing at a
known player (`embeds.allowed_frame`) and always sandboxed; video and audio only from this site.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import nh3
from pygments.token import STANDARD_TYPES

from logs.markdown import embeds

_HEADINGS = {f"h{level}" for level in range(1, 7)}
# fmt: off
_TAGS = {
    "a", "abbr", "aside", "audio", "b", "blockquote", "br", "caption", "center", "cite", "code",
    "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
    "figure", "font", "hr", "i", "iframe", "img", "input", "ins", "kbd", "li", "mark", "ol", "p",
    "picture", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "source", "span",
    "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "tt", "u", "ul", "var", "video", "wbr", *_HEADINGS,
}
# fmt: on
_ALIGN = {"align"}
_ATTRIBUTES = {
    "a": {"href", "title", "class", "id", "aria-label"},
    "img": {"src", "alt", "title", "width", "height", "class", "align", "loading", "decoding"},
    "iframe": {"src", "title", "width", "height", "allowfullscreen", "loading", "referrerpolicy"},
    "video": {"src", "controls", "preload", "title", "width", "height", "poster", "loop", "muted"},
    "audio": {"src", "controls", "preload", "title", "loop"},
    "source": {"src", "type"},
    "blockquote": {"class"},
    "p": {"class", "align"},
    "div": {"class", "align", "data-lang"},
    "center": set(),
    "font": {"color", "size"},
    "span": {"class"},
    "code": {"class"},
    "section": {"class"},
    "sup": {"class"},
    "ul": {"class"},
    "ol": {"class", "start", "reversed"},
    "li": {"class", "id"},
    "table": _ALIGN,
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
    "input": {"disabled", "checked", "data-task-index", "aria-label"},
    "details": {"open"},
    "abbr": {"title"},
    **{tag: {"id", "align", "data-toc-skip"} for tag in _HEADINGS},
}
# Classes from kramdown attribute lists (Chirpy's prompts and image classes).
IAL_CLASSES = frozenset(
    {
        *(f"prompt-{kind}" for kind in ("tip", "info", "warning", "danger")),
        *(f"align-{side}" for side in ("center", "left", "right")),
        *("normal", "left", "right", "shadow", "border", "rounded", "light", "dark"),
        *(f"w-{n}" for n in (25, 50, 75, 100)),
    }
)
# Pygments' token classes, but `err`: lexers call Hangul in code an error, and it is not one.
_TOKEN_CLASSES = set(STANDARD_TYPES.values()) - {"", "err"}
_CLASSES = {
    "a": {"footnote-backref"},
    "blockquote": {c for c in IAL_CLASSES if c.startswith("prompt-")},
    "img": IAL_CLASSES,
    "p": IAL_CLASSES,
    "div": {
        "highlight",
        "embed",
        *(f"embed-{kind}" for kind in ("youtube", "bilibili", "twitch", "video", "audio")),
    },
    "code": {"math-error"},
    "section": {"footnotes"},
    "sup": {"footnote-ref"},
    "span": _TOKEN_CLASSES,
    "li": {"task-list-item"},
}
_ID = re.compile(r"^(?:h|fn|fnref)-[\w-]{1,200}$")
_NUMBER = re.compile(r"^\d{1,5}%?$")
_LANG = re.compile(r"^[\w.+# -]{1,60}$")
_COLOR = re.compile(r"^(?:#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,20})$")
_ALIGN_VALUE = re.compile(r"^(?:left|right|center|justify|middle|top|bottom)$", re.I)
_LOCAL_URL = re.compile(r"^/(?![/\\])")  # `/\\host` is `//host` to a browser
# A formula's token becomes its TeX after sanitizing: in a URL it would bypass the scheme check.
_MATH_TOKEN = re.compile(r"q[0-9a-f]{10}m\d+x")
_SCHEME_LIKE = re.compile(r"^[^/?#]*:")
_SAFE_SCHEME = re.compile(r"^\s*(?:https?|mailto):", re.I)


# Attributes whose one value the pipeline writes (in the order it writes them: ammonia would
# shuffle attributes it sets or checks by value itself).
_FIXED = {"loading": "lazy", "decoding": "async", "referrerpolicy": embeds.REFERRER_POLICY}


def _fixed(attr: str) -> Callable[[str, str], str]:
    return lambda tag, value: _FIXED[attr]


@functools.lru_cache(maxsize=4096)  # a body repeats its few classes thousands of times
def _class(tag: str, value: str) -> str | None:
    allowed = _CLASSES.get(tag, frozenset())
    return " ".join(c for c in value.split() if c in allowed) or None


def _matching(pattern: re.Pattern[str]) -> Callable[[str, str], str | None]:
    return lambda tag, value: value if pattern.match(value) else None


def _number(tag: str, value: str) -> str | None:
    return value if _NUMBER.match(value.strip()) else None


def _url(tag: str, value: str) -> str | None:
    if _MATH_TOKEN.search(value):
        return None
    if _SCHEME_LIKE.match(value) and not _SAFE_SCHEME.match(value):
        return None  # `java%09script:`: no scheme a browser reads, but nothing a learner needs
    if tag == "iframe":
        return value if embeds.allowed_frame(value) else None
    if tag in ("video", "audio", "source"):
        return value if _LOCAL_URL.match(value) else None
    return value


def _poster(tag: str, value: str) -> str | None:
    if _MATH_TOKEN.search(value):
        return None
    return value if _LOCAL_URL.match(value) else None


# The check of each attribute that needs one (nh3 asks about every attribute it keeps, tens of
# thousands in a long body: one dictionary lookup for the rest).
_CHECKS: dict[str, Callable[[str, str], str | None]] = {
    **{attr: _fixed(attr) for attr in _FIXED},
    "class": _class,
    "id": _matching(_ID),
    **dict.fromkeys(("width", "height", "colspan", "rowspan", "span", "size", "start"), _number),
    "data-task-index": lambda tag, value: value if value.isascii() and value.isdigit() else None,
    "align": lambda tag, value: value.lower() if _ALIGN_VALUE.match(value) else None,
    "color": _matching(_COLOR),
    "data-lang": _matching(_LANG),
    "href": _url,
    "src": _url,
    "poster": _poster,
    **dict.fromkeys(("cite", "action", "background", "srcset"), _url),
}


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    check = _CHECKS.get(attr)
    return value if check is None else check(tag, value)


_IMG = re.compile(r"<img\b", re.I)


def sanitize(body: str) -> str:
    body = _IMG.sub('<img loading="lazy" decoding="async"', body)
    return nh3.clean(
        body,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        tag_attribute_values={
            "input": {"aria-hidden": {"true"}},
        },
        set_tag_attribute_values={
            "img": {"loading": "lazy", "decoding": "async"},
            "input": {"type": "checkbox", "disabled": ""},
            "iframe": {
                "sandbox": embeds.SANDBOX,
                "loading": "lazy",
                "referrerpolicy": "strict-origin-when-cross-origin",
            },
        },
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
