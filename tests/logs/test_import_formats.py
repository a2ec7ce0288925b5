"""Every image format a blog has comes in: PNG, JPEG, animated GIF, WebP, AVIF, and HEIC
converted to JPEG; an SVG never comes in (it can run script) and says so."""

import io

import pytest
from django.utils import translation
from PIL import Image

from logs.models import Entry, Upload
from tests.logs.transfer_helpers import import_zip, make_zip, result_for


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def encoded(fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), "red").save(buffer, fmt, **options)
    return buffer.getvalue()


def animated_gif() -> bytes:
    frames = [Image.new("P", (8, 8), color) for color in (1, 2, 3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def import_image(learner, cohort, name: str, data: bytes):
    post = f"---\ntitle: x\ndate: 2022-02-09\n---\n![a](/assets/img/{name})\n".encode()
    with translation.override("en"):
        report = import_zip(
            make_zip({"_posts/2022-02-09-x.md": post, f"assets/img/{name}": data}),
            learner,
            cohort,
        )
    return report, Entry.objects.get(author=learner)


@pytest.mark.parametrize(
    ("name", "data", "extension"),
    [
        ("a.png", encoded("PNG"), "png"),
        ("a.jpg", encoded("JPEG"), "jpg"),
        ("a.gif", animated_gif(), "gif"),
        ("a.webp", encoded("WEBP"), "webp"),
        ("a.avif", encoded("AVIF"), "avif"),
    ],
)
def test_each_web_format_is_stored_as_it_came(learner, cohort, name, data, extension):
    report, entry = import_image(learner, cohort, name, data)

    upload = Upload.objects.get(owner=learner)
    assert result_for(report, "x.md").problems == []
    assert upload.extension == extension
    with (
        upload.file.open("rb") as fp,
        Image.open(fp) as stored,
        Image.open(io.BytesIO(data)) as sent,
    ):
        # Encoded again without metadata (logs/images.py), the picture itself kept: an
        # animated GIF keeps its frames.
        assert (stored.format, stored.size) == (sent.format, sent.size)
        assert getattr(stored, "n_frames", 1) == getattr(sent, "n_frames", 1)
    assert upload.url in entry.body


def test_a_heic_photo_becomes_a_jpeg(learner, cohort):
    report, entry = import_image(learner, cohort, "IMG_0001.HEIC", encoded("HEIF"))

    upload = Upload.objects.get(owner=learner)
    assert result_for(report, "x.md").problems == []
    assert (upload.extension, upload.content_type) == ("jpg", "image/jpeg")
    with upload.file.open("rb") as fp, Image.open(fp) as image:
        assert image.format == "JPEG"
    assert upload.url in entry.body


def test_an_svg_is_refused_with_the_reason_and_its_link_kept(learner, cohort):
    report, entry = import_image(learner, cohort, "diagram.svg", SVG)

    [problem] = result_for(report, "x.md").problems
    assert "SVG images are not accepted, as they can carry scripts" in problem
    assert "/assets/img/diagram.svg" in problem
    assert not Upload.objects.exists()
    assert "/assets/img/diagram.svg" in entry.body


def test_an_svg_named_as_a_png_is_refused_too(learner, cohort):
    report, _entry = import_image(learner, cohort, "diagram.png", SVG)

    assert "SVG images are not accepted" in result_for(report, "x.md").problems[0]
    assert not Upload.objects.exists()
