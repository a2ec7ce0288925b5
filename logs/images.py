"""Uploaded pictures, made safe to share: decoded within a pixel budget and encoded again.

Pure: bytes in, bytes out, no model. A phone's photo carries where it was taken (GPS), the
camera's serial number and maker notes in EXIF, XMP and IPTC; uploads are shown to a cohort or to
everyone, so none of that may survive. Encoding the decoded pixels again keeps nothing but the
picture (and its colour profile): the EXIF orientation is applied to the pixels first, so a
photo taken sideways still stands upright; animations keep their frames and timing, PNG and
WebP their transparency, JPEG its own quantization tables (the same quality as sent).

The budget is counted before anything is decoded, from the header: width × height × frames.
A PNG of 37 KB can hold 40 million pixels (160 MB decoded), a GIF of a few MB 300 frames of a
megapixel; either would tie up a worker and every browser that shows it.
"""

import io
import re
from dataclasses import dataclass

import pillow_heif
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, ImageSequence, JpegImagePlugin, UnidentifiedImageError

# Phones save HEIC; no browser but Safari shows it, so it is read to be stored as JPEG.
pillow_heif.register_heif_opener()

# A 6000 × 4000 camera photo is 24 million; an animation counts every frame.
MAX_PIXELS = 25_000_000
# What Pillow decoded -> (extension, content type). Anything else (SVG above all) is refused.
ALLOWED_FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
    "AVIF": ("avif", "image/avif"),
}
# Decoded, then stored as JPEG: formats browsers do not show.
CONVERTED_FORMATS = {"HEIF": "JPEG"}
_SVG = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]",
    re.S | re.I,
)
# All that a picture keeps of what its file said about it: how to draw it, nothing of who took it.
KEPT_INFO = {"transparency", "background", "duration", "icc_profile"}


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    format: str
    width: int
    height: int


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("This file is not an image Camplog accepts (PNG, JPEG, GIF, WebP, AVIF or HEIC).")
    )


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _(
            "The image has too many pixels: at most %(limit)d million, counting every frame "
            "of an animation. Make it smaller and upload it again."
        ),
        params={"limit": MAX_PIXELS // 1_000_000},
    )


def clean_image(data: bytes) -> CleanImage:
    """The picture in `data` encoded again without its metadata. Raises ValidationError."""
    if _SVG.match(data[:4096]):
        # An SVG is a document that can run script when opened on its own: never stored. (Like
        # every image, it is judged by its content, not its name.)
        raise ValidationError(
            _(
                "SVG images are not accepted, as they can carry scripts; save it as PNG and use that."
            )
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ALLOWED_FORMATS and image.format not in CONVERTED_FORMATS:
                raise _not_an_image()
            width, height = image.size
            if width * height * getattr(image, "n_frames", 1) > MAX_PIXELS:
                raise _too_many_pixels()
            return _encode(image, data)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _not_an_image() from None


def _frames(image: Image.Image) -> tuple[list[Image.Image], list[int]]:
    """Every frame decoded and turned upright, with its duration; the budget holds even when a
    header under-counts its frames."""
    frames, durations, decoded = [], [], 0
    for frame in ImageSequence.Iterator(image):
        decoded += frame.width * frame.height
        if decoded > MAX_PIXELS:
            raise _too_many_pixels()
        upright = ImageOps.exif_transpose(frame)
        # Encoders read some metadata (comments, text chunks) from `info` itself.
        upright.info = {k: v for k, v in frame.info.items() if k in KEPT_INFO}
        frames.append(upright)
        durations.append(frame.info.get("duration", 0))
    return frames, durations


def _encode(image: Image.Image, data: bytes) -> CleanImage:
    fmt = CONVERTED_FORMATS.get(image.format, image.format)
    options: dict = {}
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    if image.format in CONVERTED_FORMATS or fmt == "AVIF":
        options["quality"] = 90
    elif fmt == "JPEG":
        options["qtables"] = image.quantization
        sampling = JpegImagePlugin.get_sampling(image)
        if sampling != -1:
            options["subsampling"] = sampling
        options["progressive"] = "progressive" in image.info
    elif fmt == "WEBP":
        # A lossless WebP (a screenshot) stays lossless.
        if data[12:16] == b"VP8L":
            options["lossless"] = True
        else:
            options["quality"] = 90
    frames, durations = _frames(image)
    first = frames[0]
    if "transparency" in first.info:
        options["transparency"] = first.info["transparency"]
    if len(frames) > 1:
        options.update(
            save_all=True,
            append_images=frames[1:],
            duration=durations,
            loop=image.info.get("loop", 0),
        )
    if fmt == "JPEG" and first.mode not in ("RGB", "L", "CMYK"):
        first = first.convert("RGB")
    out = io.BytesIO()
    first.save(out, format=fmt, **options)
    return CleanImage(out.getvalue(), fmt, first.width, first.height)
