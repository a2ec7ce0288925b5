"""Uploaded pictures keep the picture and nothing else: no GPS position, camera, serial number,
XMP or IPTC is served, a sideways photo comes out upright, animations stay animated, transparency
stays, and a picture that would take too much memory to decode is refused before it is decoded.

Every image is made here with Pillow, sent through the editor's upload (or a blog import) and read
back from `/media/…` as the browser would get it.
"""

import io
import struct
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image, ImageSequence, PngImagePlugin

from logs.models import Entry, Upload
from tests.logs.transfer_helpers import import_zip, make_zip, post

SECRETS = (b"ZQXCAMERA", b"ZQXSERIAL", b"ZQXXMP", b"ZQXIPTC", b"ZQXCOMMENT")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "ZQXCAMERA"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = "ZQXSERIAL"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (37.0, 29.0, 55.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (127.0, 1.0, 48.2)
    return exif


def _with_iptc(jpeg: bytes) -> bytes:
    """An APP13 (Photoshop IPTC) segment right after the JPEG's start marker."""
    payload = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00" + struct.pack(">I", 14) + b"ZQXIPTC byline"
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:2] + segment + jpeg[2:]


def gps_photo(orientation: int = 1, size=(40, 20)) -> bytes:
    """A phone photo: left half red, right half blue, with GPS, camera, serial, XMP and IPTC."""
    image = Image.new("RGB", size, "blue")
    image.paste("red", (0, 0, size[0] // 2, size[1]))
    buffer = io.BytesIO()
    image.save(
        buffer,
        "JPEG",
        quality=92,
        exif=_exif(orientation),
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">ZQXXMP</x:xmpmeta>',
        comment=b"ZQXCOMMENT",
    )
    return _with_iptc(buffer.getvalue())


def upload(client, data: bytes, name: str = "photo.jpg"):
    return client.post(
        "/markdownx/upload/",
        {"image": SimpleUploadedFile(name, data, content_type="image/jpeg")},
        headers={"x-requested-with": "XMLHttpRequest", "accept-language": "en"},
    )


def served(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def uploaded(client, data: bytes, name: str = "photo.jpg") -> tuple[bytes, Upload]:
    response = upload(client, data, name)
    assert response.status_code == 200, response.content
    stored = Upload.objects.get(key=response.json()["url"].split("/")[-1].split(".")[0])
    return served(client, stored.url), stored


def assert_no_metadata(data: bytes) -> None:
    for secret in SECRETS:
        assert secret not in data, secret
    assert b"Exif\x00\x00" not in data
    assert b"http://ns.adobe.com/xap" not in data and b"xmpmeta" not in data
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
        assert ExifTags.Base.Make not in exif


# --- Metadata ----------------------------------------------------------------------------------


def test_the_photo_made_here_does_carry_gps_and_camera():
    """The fixture is what a phone sends, so the tests below can fail."""
    data = gps_photo()
    for secret in SECRETS:
        assert secret in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"


def test_an_uploaded_photo_is_served_without_gps_camera_xmp_or_iptc(login, learner):
    data, stored = uploaded(login(learner), gps_photo())
    assert_no_metadata(data)
    assert stored.size == len(data)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and image.size == (40, 20)


def test_a_sideways_photo_comes_out_upright(login, learner):
    # Orientation 6: the camera was turned, the viewer rotates the pixels 90° clockwise.
    data, stored = uploaded(login(learner), gps_photo(orientation=6))
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (20, 40)
        assert image.getexif().get(ExifTags.Base.Orientation) in (None, 1)
        red, blue = image.convert("RGB").getpixel((10, 5)), image.convert("RGB").getpixel((10, 35))
    assert red[0] > 200 and red[2] < 60, red
    assert blue[2] > 200 and blue[0] < 60, blue
    assert (stored.width, stored.height) == (20, 40)


def test_a_photo_keeps_its_quality(login, learner):
    """Encoded again with its own quantization tables: close in size and in every pixel."""
    gradient = Image.linear_gradient("L").resize((400, 300)).convert("RGB")
    buffer = io.BytesIO()
    gradient.save(buffer, "JPEG", quality=90, exif=_exif())
    original = buffer.getvalue()
    data, _ = uploaded(login(learner), original)
    assert 0.7 < len(data) / len(original) < 1.3, (len(data), len(original))
    with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(data)) as after:
        first, second = before.convert("L").tobytes(), after.convert("L").tobytes()
    assert max(abs(a - b) for a, b in zip(first, second, strict=True)) <= 8


def test_a_png_keeps_its_transparency_and_loses_its_text(login, learner):
    image = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    image.paste((255, 0, 0, 255), (0, 0, 5, 10))
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "ZQXCAMERA")
    text.add_itxt("XML:com.adobe.xmp", "ZQXXMP")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=text, exif=_exif())
    data, _ = uploaded(login(learner), buffer.getvalue(), "screen.png")
    assert_no_metadata(data)
    with Image.open(io.BytesIO(data)) as clean:
        assert clean.mode == "RGBA"
        assert clean.getpixel((8, 5))[3] == 0 and clean.getpixel((2, 5)) == (255, 0, 0, 255)


def _animation(fmt: str) -> bytes:
    frames = [Image.new("RGB", (12, 12), color) for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(
        buffer,
        fmt,
        save_all=True,
        append_images=frames[1:],
        duration=[100, 200, 300],
        loop=0,
        comment=b"ZQXCOMMENT" if fmt == "GIF" else None,
        exif=_exif() if fmt == "WEBP" else None,
    )
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_an_animation_stays_animated(login, learner, fmt):
    data, _ = uploaded(login(learner), _animation(fmt), f"loop.{fmt.lower()}")
    assert_no_metadata(data)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == fmt and image.n_frames == 3
        frames = [(f.convert("RGB"), f.info["duration"]) for f in ImageSequence.Iterator(image)]
    durations = [duration for _frame, duration in frames]
    colours = [frame.getpixel((6, 6)) for frame, _duration in frames]
    assert durations == [100, 200, 300]
    assert [max(range(3), key=c.__getitem__) for c in colours] == [0, 1, 2]


def test_a_blog_import_stores_its_photos_without_gps(learner, cohort):
    data = make_zip(
        {
            "2022-02-09-trip.md": post("title: 답사\ndate: 2022-02-09", "![사진](trip.jpg)\n"),
            "trip.jpg": gps_photo(orientation=6),
        }
    )
    import_zip(data, learner, cohort)
    stored = Entry.objects.get(source_name="2022-02-09-trip.md").uploads.get()
    with stored.file.open("rb") as file:
        clean = file.read()
    assert_no_metadata(clean)
    assert (stored.width, stored.height) == (20, 40)


# --- Pixel bombs -------------------------------------------------------------------------------


def _bomb_png() -> bytes:
    """39.7 million pixels of one grey in about 37 KB."""
    buffer = io.BytesIO()
    Image.new("L", (6300, 6300), 0).save(buffer, "PNG", compress_level=9)
    return buffer.getvalue()


def _bomb_gif(frames: int = 300) -> bytes:
    """300 frames of 1000 × 1000: one frame's blocks written again and again."""
    buffer = io.BytesIO()
    Image.new("P", (1000, 1000), 0).save(buffer, "GIF")
    single = buffer.getvalue()
    start = single.index(b"\x2c", 13 + 3 * 2 ** ((single[10] & 7) + 1))
    frame = single[start:-1]  # the image descriptor and its data, without the trailer
    return single[:start] + frame * frames + b"\x3b"


def test_the_bombs_made_here_are_small_and_huge():
    png, gif = _bomb_png(), _bomb_gif()
    assert len(png) < 40_000
    assert len(gif) < 5 * 2**20
    with Image.open(io.BytesIO(png)) as image:
        assert image.width * image.height > 39_000_000
    with Image.open(io.BytesIO(gif)) as image:
        assert image.n_frames == 300 and image.size == (1000, 1000)


@pytest.mark.parametrize(("bomb", "name"), [(_bomb_png, "bomb.png"), (_bomb_gif, "bomb.gif")])
def test_a_pixel_bomb_is_refused_before_it_is_decoded(login, learner, bomb, name):
    data = bomb()
    start = time.monotonic()
    response = upload(login(learner), data, name)
    elapsed = time.monotonic() - start
    assert response.status_code == 400
    assert "too many pixels" in response.json()["error"]
    assert "25 million" in response.json()["error"]
    assert elapsed < 2, f"{elapsed:.2f} s"
    assert not Upload.objects.exists()
