"""Image uploads: decoded, encoded again without metadata, stored under a random name, linked to
what shows them.

An upload is reachable at /media/<key>.<ext> (see `Upload.url`); the view checks that the viewer
owns it or may see an entry or session whose Markdown references it. Linking happens on save, so
access follows the Markdown: remove the image from the text and its link is gone too.
"""

import re
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from logs.images import ALLOWED_FORMATS, clean_image
from logs.models import Upload

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_REF = re.compile(r"/media/([0-9a-f]{32})\.(?:png|jpg|gif|webp|avif)\b")


def store_image(owner, data: bytes, original_name: str = "") -> Upload:
    """Store the picture in `data`, decoded and encoded again without its metadata (GPS, camera,
    XMP: see logs/images.py). Raises ValidationError."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The image is larger than %(limit)d MB."), params={"limit": MAX_UPLOAD_BYTES // 2**20}
        )
    image = clean_image(data)
    extension, content_type = ALLOWED_FORMATS[image.format]
    upload = Upload(
        owner=owner,
        key=secrets.token_hex(16),
        extension=extension,
        content_type=content_type,
        original_name=original_name[:255],
        size=len(image.data),
        width=image.width,
        height=image.height,
        created_at=timezone.now(),
    )
    upload.file.save(f"{upload.key}.{extension}", ContentFile(image.data), save=False)
    upload.save()
    return upload


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
