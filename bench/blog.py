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
from datetime import date, timedelta
from pathlib import Path

from bench import corpus

__all__ = ["write_blog", "write_blog_zip"]


def _png(number: int) -> bytes:
    """A distinct 2 × 2 PNG, built by hand (Pillow would take longer than the import)."""

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
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _files(posts: int, images: int, start: date) -> list[tuple[str, bytes]]:
    """(path from the site's root, bytes) of every file of the blog, posts first."""
    rng = random.Random(16)
    files: list[tuple[str, bytes]] = []
    pictures: list[tuple[str, bytes]] = []
    for number in range(posts):
        day = start + timedelta(days=number)
        own = images // posts + (1 if number < images % posts else 0)
        links = []
        for picture in range(own):
            path = f"assets/img/posts/{day.isoformat()}/{picture:03d}.png"
            pictures.append((path, _png(len(pictures) + 1)))
            links.append(f"![그림 {picture}](/{path})")
        body = corpus.daily_body(rng, math=number % 3 == 0)
        tags = ", ".join([corpus.COHORT_TAG, *corpus.topic_tags(rng)])
        front = (
            f'---\ntitle: "[Day {number + 1:03d}] 학습 정리"\n'
            f"date: {day.isoformat()} 22:{number % 60:02d}:00 +0900\n"
            f"categories: [Boostcamp, Daily-Log]\ntags: [{tags}]\n---\n\n"
        )
        text = front + body + ("\n\n" + "\n\n".join(links) + "\n" if links else "")
        files.append((f"_posts/{day.isoformat()}-day-{number + 1:03d}.md", text.encode()))
    return files + pictures


def write_blog(root: Path, *, posts: int, images: int, start: date) -> Path:
    """The blog as a folder (the blog's root) under `root`; returns it."""
    for path, data in _files(posts, images, start):
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


def write_blog_zip(target: Path | io.BytesIO, *, posts: int, images: int, start: date) -> None:
    """The blog as a GitHub "Download ZIP" (one top folder) into `target`."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in _files(posts, images, start):
            archive.writestr(f"blog-main/{path}", data)
