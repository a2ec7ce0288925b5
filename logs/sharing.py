"""What a link to a public entry shows where it is pasted (KakaoTalk, Slack, a search engine):
a description, a picture, the canonical address. Entries that are not public say nothing of the
kind, so no preview ever carries a line of a cohort's or a private log.

`card(entry)` is cached with the entry page (relative paths, nothing of the request);
`meta(request, entry, card)` makes the addresses absolute for the request's host.
"""

from __future__ import annotations

import re
from typing import TypedDict

from django.http import HttpRequest
from django.templatetags.static import static

from logs import access
from logs.models import Entry

DESCRIPTION_CHARS = 160
# The card shown when a public entry has no picture of its own (1200 × 630, as previews want).
DEFAULT_IMAGE = "img/share-card.png"
DEFAULT_SIZE = (1200, 630)
# Not AVIF: few link previews can show it.
_UPLOADED_IMG = re.compile(r'<img\b[^>]*?\bsrc="/media/([0-9a-f]{32})\.(png|jpg|gif|webp)"')


class Picture(TypedDict):
    path: str
    width: int
    height: int


class Card(TypedDict):
    description: str
    image: Picture | None  # the entry's first picture anyone may load


class Meta(TypedDict):
    title: str
    description: str
    url: str
    image: str
    image_width: int
    image_height: int
    published: str


def description(excerpt: str) -> str:
    """The excerpt cut at a word near `DESCRIPTION_CHARS`, as previews show about that much."""
    text = " ".join(excerpt.split())
    if len(text) <= DESCRIPTION_CHARS:
        return text
    cut = text[: DESCRIPTION_CHARS - 1]
    if " " in cut[DESCRIPTION_CHARS // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:·") + "…"


def _first_picture(entry: Entry) -> Picture | None:
    """The first uploaded picture in the entry that anyone may load: one linked to the entry
    (logs/uploads.py links only the author's own), so a pasted URL of someone else's private
    picture is never offered to a preview. One query, only if the entry shows an upload."""
    found = [(m.group(1), m.group(2)) for m in _UPLOADED_IMG.finditer(entry.body_html)]
    if not found:
        return None
    linked = {
        key: (width, height)
        for key, width, height in entry.uploads.filter(
            key__in={key for key, _ in found}
        ).values_list("key", "width", "height")
    }
    return next(
        (
            {"path": f"/media/{key}.{ext}", "width": linked[key][0], "height": linked[key][1]}
            for key, ext in found
            if key in linked
        ),
        None,
    )


def card(entry: Entry) -> Card | None:
    if not access.is_public_entry(entry):
        return None
    text = description(entry.excerpt) or entry.title  # a text of only code or pictures
    return {"description": text, "image": _first_picture(entry)}


def meta(request: HttpRequest, entry: Entry, cached: Card | None) -> Meta | None:
    """The page's description, Open Graph and Twitter values with absolute addresses, or None for
    an entry that is not public (checked again here: `cached` may predate a change)."""
    if cached is None or not access.is_public_entry(entry):
        return None
    picture = cached["image"] or {
        "path": static(DEFAULT_IMAGE),
        "width": DEFAULT_SIZE[0],
        "height": DEFAULT_SIZE[1],
    }
    return {
        "title": entry.title,
        "description": cached["description"],
        "url": request.build_absolute_uri(entry.get_absolute_url()),
        "image": request.build_absolute_uri(picture["path"]),
        "image_width": picture["width"],
        "image_height": picture["height"],
        "published": entry.learning_date.isoformat(),
    }
