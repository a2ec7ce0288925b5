"""Image uploads: validated by decoding, stored under a random name, linked to what shows them.

An upload is reachable at /media/<key>.<ext> (see `Upload.url`); the view checks that the viewer
owns it or may see an entry or session whose Markdown references it. Linking happens on save, so
access follows the Markdown: remove the image from the text and its link is gone too.
"""

import io
import re
import secrets

import pillow_heif
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from logs.models import Upload

# Phones save HEIC; no browser but Safari shows it, so it is read to be converted (below).
pillow_heif.register_heif_opener()

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
# What Pillow decoded -> (extension, content type). Anything else (SVG above all) is refused.
ALLOWED_FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
    "AVIF": ("avif", "image/avif"),
}
# Decoded, then stored as JPEG: formats browsers do not show.
CONVERTED_FORMATS = {"HEIF"}
UPLOAD_REF = re.compile(r"/media/([0-9a-f]{32})\.(?:png|jpg|gif|webp|avif)\b")
_SVG = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]",
    re.S | re.I,
)


def store_image(owner, data: bytes, original_name: str = "") -> Upload:
    """Validate `data` as an image by decoding it and store it. Raises ValidationError."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The image is larger than %(limit)d MB."), params={"limit": MAX_UPLOAD_BYTES // 2**20}
        )
    if _SVG.match(data[:4096]):
        # An SVG is a document that can run script when opened on its own: never stored. (Like
        # every image, it is judged by its content, not its name.)
        raise ValidationError(
            _(
                "SVG images are not accepted, as they can carry scripts; save it as PNG and use that."
            )
        )
    not_an_image = _(
        "This file is not an image Camplog accepts (PNG, JPEG, GIF, WebP, AVIF or HEIC)."
    )
    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(_("The image has too many pixels."))
            image.verify()
        if fmt in CONVERTED_FORMATS:
            data, fmt = _as_jpeg(data), "JPEG"
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(not_an_image) from None
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(not_an_image)
    extension, content_type = ALLOWED_FORMATS[fmt]
    upload = Upload(
        owner=owner,
        key=secrets.token_hex(16),
        extension=extension,
        content_type=content_type,
        original_name=original_name[:255],
        size=len(data),
        width=width,
        height=height,
        created_at=timezone.now(),
    )
    upload.file.save(f"{upload.key}.{extension}", ContentFile(data), save=False)
    upload.save()
    return upload


def _as_jpeg(data: bytes) -> bytes:
    """A HEIC photo as the JPEG a browser shows, turned upright as the phone held it."""
    with Image.open(io.BytesIO(data)) as image:
        picture = ImageOps.exif_transpose(image).convert("RGB")
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()


def referenced_keys(markdown_text: str) -> set[str]:
    return set(UPLOAD_REF.findall(markdown_text or ""))


def link_uploads(obj, text: str, editor) -> None:
    """Point the uploads referenced in `text` at `obj` (an Entry or Session), and only those.

    An upload already linked stays linked while it is referenced; a new reference links only the
    editor's own uploads, so nobody can expose someone else's private picture by pasting its URL.
    """
    keys = referenced_keys(text)
    kept = obj.uploads.filter(key__in=keys)
    new = Upload.objects.filter(key__in=keys, owner=editor)
    obj.uploads.set(list(kept.union(new)))
