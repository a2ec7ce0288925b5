"""Helpers for the import/export tests: the fixture corpus, images and archives in memory."""

import io
import zipfile
from pathlib import Path

from PIL import Image

from logs.transfer.importer import import_bundle
from logs.transfer.jekyll import parse_post
from logs.transfer.sources import SourceBundle, SourceFile, read_zip

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "jekyll"
SEED = "2022-02-09-week04-day015.md"
GOOD = sorted(path.name for path in FIXTURES.glob("*.md"))
SEED_IMAGES = {
    "assets/img/posts/Boostcamp-AI-Tech/Daily-Log/week04/d015-1.png": "red",
    "assets/img/posts/Boostcamp-AI-Tech/boostcamp_ai_tech_title.png": "green",
    "assets/img/posts/Boostcamp-AI-Tech/Daily-Log/week04/d016-1.png": "blue",
}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def png(color: str = "red", size: tuple[int, int] = (24, 16)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def make_zip(files: dict[str, bytes] | list[tuple[str, bytes]]) -> bytes:
    """A zip of name -> bytes, names written as given (nothing is cleaned)."""
    items = files.items() if isinstance(files, dict) else files
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in items:
            archive.writestr(name, data)
    return buffer.getvalue()


def site_zip(names=GOOD, images=SEED_IMAGES) -> bytes:
    """The fixture posts under _posts/ and the seed's images under assets/, as a blog's zip."""
    files = {f"_posts/{name}": fixture(name) for name in names}
    files.update({path: png(color) for path, color in images.items()})
    return make_zip(files)


def bundle_of(files: dict[str, bytes]) -> SourceBundle:
    """A bundle of posts (name -> bytes) as if read from a folder, without assets."""
    return SourceBundle(posts=[SourceFile(name=name, data=data) for name, data in files.items()])


def import_zip(data: bytes, author, cohort, **options):
    return import_bundle(read_zip("site.zip", data), author=author, cohort=cohort, **options)


def import_posts(files: dict[str, bytes], author, cohort, **options):
    return import_bundle(bundle_of(files), author=author, cohort=cohort, **options)


def result_for(report, name: str):
    matches = [result for result in report.results if result.name.endswith(name)]
    assert len(matches) == 1, [result.name for result in report.results]
    return matches[0]


def post(front: str, body: str = "본문\n") -> bytes:
    return f"---\n{front.strip()}\n---\n{body}".encode()


def parsed(data: bytes, name: str = "post.md"):
    return parse_post(name, data)
