"""How much an import may bring: every size and count limit of `logs.transfer`, in one place.

Two kinds of bound. What one input (a folder or an archive) may hold (`Limits`) is a bound against
a zip bomb or a runaway folder, not against a blog's size: a few years of screenshots is
gigabytes, read one image at a time. What the browser may send (`upload_problem`) is checked
once, whether the files come in one form post (without JavaScript) or in parts.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from logs.transfer.jekyll import MAX_POST_BYTES

__all__ = [
    "ASSET_EXTENSIONS",
    "DEFAULT_LIMITS",
    "FORM_MAX_BYTES",
    "MB",
    "PARTS_MAX_BYTES",
    "PART_BYTES",
    "POST_EXTENSIONS",
    "UPLOAD_MAX_FILES",
    "Limits",
    "upload_problem",
]

MB = 1024 * 1024
POST_EXTENSIONS = frozenset({".md", ".markdown"})
ASSET_EXTENSIONS = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif", ".bmp", ".ico", ".tif", ".tiff"}
    | {".heic", ".heif", ".pdf"}
)


@dataclass(frozen=True)
class Limits:
    """What one input (a folder or an archive) may hold before it is refused."""

    max_entries: int = 100_000
    # Uncompressed: as declared, and again as actually read.
    max_total_bytes: int = 20 * 1024 * MB
    max_post_bytes: int = MAX_POST_BYTES
    max_asset_bytes: int = 20 * MB
    max_ratio: int = 100  # uncompressed / compressed size of one entry…
    ratio_floor: int = 1 * MB  # …checked once the entry has given this much


DEFAULT_LIMITS = Limits()

# The browser: at most this many files at a time (a blog is one .zip)…
UPLOAD_MAX_FILES = 100
# …adding up to this in one form post (the page without JavaScript)…
FORM_MAX_BYTES = 50 * MB
# …or to this sent in parts (`static/js/import-upload.js`), each request one part, so that no
# request is large or long.
PARTS_MAX_BYTES = 8 * 1024 * MB
PART_BYTES = 8 * MB


def upload_problem(files: Sequence[tuple[str, int]], *, in_parts: bool) -> str | None:
    """Why the browser may not send `files` (name, size), or None.

    A file of another type is refused up front only when sent in parts (nothing of it should
    travel); a form post names it on its own row of the preview.
    """
    limit = PARTS_MAX_BYTES if in_parts else FORM_MAX_BYTES
    total = sum(size for _name, size in files)
    if len(files) > UPLOAD_MAX_FILES:
        return _("Choose at most %(max)d files at a time, or put them in one .zip.") % {
            "max": UPLOAD_MAX_FILES
        }
    if total > limit:
        return _("The files add up to %(size)s; at most %(max)s can be imported at a time.") % {
            "size": filesizeformat(total),
            "max": filesizeformat(limit),
        }
    if in_parts:
        known = POST_EXTENSIONS | ASSET_EXTENSIONS | {".zip"}
        odd = [name for name, _size in files if posixpath.splitext(name.lower())[1] not in known]
        if odd:
            return _("Not a Markdown post (.md), an image or a .zip archive: %(names)s") % {
                "names": ", ".join(odd[:5])
            }
    return None
