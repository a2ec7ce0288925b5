"""A generated Jekyll (Chirpy) blog on disk, for measuring and testing imports of real size:
`posts` daily logs in the seed's shape under `_posts/`, each showing its own images from
`assets/img/posts/`, written as a folder or a .zip. Deterministic (a seeded generator); the
images are tiny distinct PNGs, so a blog of 10,000 images is a few tens of megabytes.
"""

from __future__ import annotations

import io
import random
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from bench import corpus

__all__ = ["write_blog", "write_blog_zip"]


def _png(number: int, padding: int = 0) -> bytes:
    """A distinct 2 × 2 PNG, built by hand (Pillow would take longer than the import), with
    `padding` bytes of a private chunk that does not compress (a photo's weight, which the
    import's new encoding drops)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
        )

    rgb = number.to_bytes(3, "big")
    rows = b"".join(b"\x00" + rgb * 2 for _row in range(2))
    header = (2).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + (chunk(b"prVt", random.Random(number).randbytes(padding)) if padding else b"")
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _files(posts: int, images: int, start: date, padding: int) -> Iterator[tuple[str, bytes]]:
    """(path from the site's root, bytes) of every file of the blog, each post before its
    images, made as they are written (a blog of gigabytes is never in memory)."""
    rng = random.Random(16)
    made = 0
    for number in range(posts):
        day = start + timedelta(days=number)
        own = images // posts + (1 if number < images % posts else 0)
        paths = [f"assets/img/posts/{day.isoformat()}/{picture:03d}.png" for picture in range(own)]
        links = [f"![그림 {picture}](/{path})" for picture, path in enumerate(paths)]
        body = corpus.daily_body(rng, math=number % 3 == 0)
        tags = ", ".join([corpus.COHORT_TAG, *corpus.topic_tags(rng)])
        front = (
            f'---\ntitle: "[Day {number + 1:03d}] 학습 정리"\n'
            f"date: {day.isoformat()} 22:{number % 60:02d}:00 +0900\n"
            f"categories: [Boostcamp, Daily-Log]\ntags: [{tags}]\n---\n\n"
        )
        text = front + body + ("\n\n" + "\n\n".join(links) + "\n" if links else "")
        yield f"_posts/{day.isoformat()}-day-{number + 1:03d}.md", text.encode()
        for path in paths:
            made += 1
            yield path, _png(made, padding)


def write_blog(root: Path, *, posts: int, images: int, start: date, padding: int = 0) -> Path:
    """The blog as a folder (the blog's root) under `root`; returns it."""
    for path, data in _files(posts, images, start, padding):
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


def write_blog_zip(
    target: Path | io.BytesIO, *, posts: int, images: int, start: date, padding: int = 0
) -> None:
    """The blog as a GitHub "Download ZIP" (one top folder) into `target`."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in _files(posts, images, start, padding):
            archive.writestr(f"blog-main/{path}", data)
