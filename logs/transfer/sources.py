"""Reading what a learner brings to import: files, folders and .zip archives.

Nothing here parses a post (that is `logs.transfer.jekyll`) or touches the database. Posts are read when
the input is read; images only when the import asks for one (`Assets`), one at a time, so a blog
of any size is never held in memory whole. Everything read is bounded: an archive entry is read
through a reader that stops at the limit and checks the inflation ratio as the bytes come,
whatever sizes the archive declares, and nothing is ever written to disk. A bundle keeps the
files and archives its images are read from open until it is closed (`with bundle:`).

What is kept: Markdown files (`.md`, `.markdown`) as posts, images as assets keyed by their
normalized path (forward slashes, NFC, no `.`/`..`), so that the links in a post can be matched
with `find_asset()`. When what was given is a whole Jekyll site (it has a `_posts/` folder),
only the Markdown under `_posts/` and `_drafts/` is taken as posts. Dotfiles, `__MACOSX/` and
build folders (`_site/`, `node_modules/`, `vendor/`) are skipped silently; everything refused is
listed in `problems` with the reason.
"""

from __future__ import annotations

import contextlib
import io
import os
import posixpath
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

from django.utils.translation import gettext as _

from logs.transfer.limits import (
    ASSET_EXTENSIONS,
    DEFAULT_LIMITS,
    MB,
    POST_EXTENSIONS,
    Limits,
)

__all__ = [
    "AssetError",
    "AssetIndex",
    "Assets",
    "SourceBundle",
    "SourceFile",
    "bundle_from_files",
    "find_asset",
    "read_sources",
    "read_zip",
    "site_paths",
    "source_key",
]

SKIPPED_FOLDERS = frozenset({"__MACOSX", "_site", "node_modules", "vendor"})


@dataclass
class SourceFile:
    name: str  # path relative to what was given: zip-internal path, path inside the folder
    data: bytes
    origin: str = ""  # the file, folder or archive it came from, for messages


class AssetError(ValueError):
    """An image that could not be read when it was asked for (over its limit, a zip bomb, a
    broken entry); str() says why."""


class Assets(MutableMapping[str, bytes]):
    """Images by path, each read only when it is looked up. Set a value to bytes, or give
    `add_reader` a function that reads them (and may raise `AssetError`)."""

    def __init__(self, items: Mapping[str, bytes] | None = None) -> None:
        self._readers: dict[str, Callable[[], bytes]] = {}
        for name, data in (items or {}).items():
            self[name] = data

    def add_reader(self, name: str, reader: Callable[[], bytes]) -> None:
        self._readers[name] = reader

    def reader(self, name: str) -> Callable[[], bytes]:
        return self._readers[name]

    def __getitem__(self, name: str) -> bytes:
        return self._readers[name]()

    def __setitem__(self, name: str, data: bytes) -> None:
        data = bytes(data)
        self._readers[name] = lambda: data

    def __delitem__(self, name: str) -> None:
        del self._readers[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._readers)

    def __len__(self) -> int:
        return len(self._readers)

    def __contains__(self, name: object) -> bool:
        return name in self._readers

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        return set(self) == set(other) and all(self[name] == other[name] for name in self)

    __hash__ = None  # type: ignore[assignment]


@dataclass
class SourceBundle:
    posts: list[SourceFile] = field(default_factory=list)
    assets: Assets = field(default_factory=Assets)
    problems: list[tuple[str, str]] = field(default_factory=list)
    # What the images are read from, closed by `close()`.
    opened: list[Callable[[], None]] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.assets, Assets):
            self.assets = Assets(self.assets)

    def extend(self, other: SourceBundle) -> None:
        self.posts.extend(other.posts)
        for name in other.assets:
            if name in self.assets:
                self.problems.append((name, _("an image with this path was already read; skipped")))
            else:
                self.assets.add_reader(name, other.assets.reader(name))
        self.problems.extend(other.problems)
        self.opened.extend(other.opened)

    def close(self) -> None:
        while self.opened:
            self.opened.pop()()

    def __enter__(self) -> SourceBundle:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class _Refused(Exception):
    """The whole input is refused (too big, too many files, a zip bomb)."""


def read_sources(paths: Iterable[str | Path], limits: Limits = DEFAULT_LIMITS) -> SourceBundle:
    """Read files, folders (recursively) and .zip archives given on the command line."""
    bundle = SourceBundle()
    for given in paths:
        path = Path(given)
        label = str(given)
        if path.is_symlink() and not path.exists():
            bundle.problems.append((label, _("a broken symbolic link")))
        elif not path.exists():
            bundle.problems.append((label, _("no such file or folder")))
        elif path.is_dir():
            bundle.extend(_read_folder(path, limits))
        elif path.suffix.lower() == ".zip":
            archive = path.open("rb")
            bundle.opened.append(archive.close)
            bundle.extend(read_zip(path.name, archive, limits))
        else:
            kind = _kind(path.name)
            if kind not in ("post", "asset"):
                bundle.problems.append(
                    (label, _("not a Markdown post, an image, a folder or a .zip"))
                )
                continue
            with path.open("rb") as fp:
                data = _read_bounded(fp, _limit(kind, limits))
            single = SourceBundle()
            _store(single, kind, _nfc(path.name), data, label, limits, str(path.parent))
            bundle.extend(single)
    return bundle


def bundle_from_files(
    files: Iterable[tuple[str, BinaryIO]], limits: Limits = DEFAULT_LIMITS
) -> SourceBundle:
    """A bundle from files uploaded in the browser (Markdown posts, images and .zip archives),
    read as the same kinds of file are read from a folder; the images when they are stored."""
    bundle = SourceBundle()
    seen: set[str] = set()
    for raw_name, fileobj in files:
        name = source_key(raw_name) or "upload"
        if name in seen:
            bundle.problems.append(
                (name, _("This file name was uploaded twice; the first one was used."))
            )
            continue
        seen.add(name)
        kind = _kind(name)
        if kind == "zip":
            bundle.extend(read_zip(name, fileobj, limits))
        elif kind == "post":
            data = _read_bounded(fileobj, limits.max_post_bytes)
            _store(bundle, kind, name, data, name, limits, "upload")
        elif kind == "asset":
            bundle.assets.add_reader(name, _asset_reader(_rewound(fileobj), limits))
        else:
            bundle.problems.append(
                (name, _("Not a Markdown post (.md), an image or a .zip archive; skipped."))
            )
    return bundle


def _rewound(fileobj: BinaryIO) -> Callable[[], contextlib.AbstractContextManager[BinaryIO]]:
    def open_file() -> contextlib.AbstractContextManager[BinaryIO]:
        fileobj.seek(0)
        return contextlib.nullcontext(fileobj)  # the upload stays open for the next read

    return open_file


def source_key(name: str) -> str:
    """The import key of a file: its name without folders, NFC (macOS writes Hangul as NFD)."""
    return _nfc(posixpath.basename(name.replace("\\", "/")))


def read_zip(name: str, data: bytes | BinaryIO, limits: Limits = DEFAULT_LIMITS) -> SourceBundle:
    """Read a .zip archive (an upload or a file) into memory, refusing anything unsafe.

    Entries with an absolute path or a `..` that leaves the archive, symbolic links, encrypted
    entries, nested archives and repeated names are skipped and named in `problems`. Too many
    entries, too many bytes once uncompressed, or one entry that inflates more than
    `max_ratio` times refuse the whole archive: that is what a zip bomb looks like.
    """
    fileobj: BinaryIO = (
        io.BytesIO(data) if isinstance(data, (bytes, bytearray, memoryview)) else data
    )
    declared = _declared_entries(fileobj)
    if declared is not None and declared > limits.max_entries:
        return SourceBundle(problems=[(name, _too_many(declared, limits))])
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        problem = _("not a readable .zip archive (%(problem)s)") % {"problem": exc}
        return SourceBundle(problems=[(name, problem)])
    bundle = SourceBundle(opened=[archive.close])
    try:
        _read_entries(archive, name, bundle, limits)
    except _Refused as exc:
        archive.close()
        return SourceBundle(problems=[(name, str(exc))])
    return _only_site_posts(bundle, f"{name}:")


def _read_entries(
    archive: zipfile.ZipFile, name: str, bundle: SourceBundle, limits: Limits
) -> None:
    entries = archive.infolist()
    if len(entries) > limits.max_entries:
        raise _Refused(_too_many(len(entries), limits))
    wanted: list[tuple[zipfile.ZipInfo, str, str, str]] = []
    seen: set[str] = set()
    stem = _nfc(posixpath.splitext(posixpath.basename(name))[0])
    to_site = site_paths(
        (path for info in entries for path in [_clean_path(info.filename)[0]] if path), stem
    )
    for info in entries:
        label = f"{name}:{info.filename}"
        if info.is_dir():
            continue
        path, reason = _clean_path(info.filename)
        if path is None:
            bundle.problems.append((label, reason))
            continue
        path = to_site(path)
        if _ignored(path):
            continue
        if stat.S_ISLNK(info.external_attr >> 16):
            bundle.problems.append((label, _("a symbolic link; skipped")))
            continue
        if path in seen:
            bundle.problems.append(
                (label, _("this name appears more than once in the archive; the first was used"))
            )
            continue
        seen.add(path)
        kind = _kind(path)
        if kind == "zip":
            bundle.problems.append(
                (
                    label,
                    _("an archive inside the archive is not opened; unzip it and add its files"),
                )
            )
            continue
        if kind is None:
            continue
        # What the archive declares can already give a bomb away; what it inflates to is
        # checked again while reading, since the declared sizes are the attacker's to write.
        _check_ratio(info.file_size, info, limits, label)
        if info.flag_bits & 0x1:
            bundle.problems.append((label, _("the entry is password-protected; skipped")))
        elif info.file_size > _limit(kind, limits):
            bundle.problems.append((label, _too_large(kind, limits)))
        else:
            wanted.append((info, path, kind, label))

    declared = sum(info.file_size for info, *_ in wanted)
    if declared > limits.max_total_bytes:
        raise _Refused(
            _(
                "the archive holds %(size).0f MB of posts and images once uncompressed, more "
                "than the %(limit)d MB accepted; import it in parts"
            )
            % {"size": declared / MB, "limit": limits.max_total_bytes // MB}
        )
    budget = _Budget(limits.max_total_bytes)
    for info, path, kind, label in wanted:
        if kind == "asset":
            bundle.assets.add_reader(path, _entry_reader(archive, info, budget, limits, label))
            continue
        try:
            data = _read_archived(archive, info, _limit(kind, limits), budget, limits, label)
        except AssetError as exc:
            bundle.problems.append((label, str(exc)))
            continue
        _store(bundle, kind, path, data, label, limits, name)


def _read_archived(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    limit: int,
    budget: _Budget,
    limits: Limits,
    label: str,
) -> bytes:
    try:
        with archive.open(info) as fp:
            return _read_entry(fp, info, limit, budget, limits, label)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError) as exc:
        raise AssetError(_("the entry cannot be read (%(problem)s)") % {"problem": exc}) from None


def _entry_reader(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget, limits: Limits, label: str
) -> Callable[[], bytes]:
    def read() -> bytes:
        try:
            data = _read_archived(archive, info, limits.max_asset_bytes, budget, limits, label)
        except _Refused as exc:  # found only now: the archive lied about this entry's size
            raise AssetError(str(exc)) from None
        if len(data) > limits.max_asset_bytes:
            raise AssetError(_too_large("asset", limits))
        return data

    return read


def _too_many(count: int, limits: Limits) -> str:
    return _(
        "the archive has %(count)d entries, more than the %(limit)d accepted; zip only the "
        "_posts folder and the images"
    ) % {"count": count, "limit": limits.max_entries}


def _declared_entries(fileobj: BinaryIO) -> int | None:
    """The entry count the archive's end record declares, read before `ZipFile` builds an
    object per entry (a crafted central directory could otherwise take the memory)."""
    end_record = getattr(zipfile, "_EndRecData", None)  # private, but stable since Python 2
    if end_record is None:
        return None
    try:
        record = end_record(fileobj)
        fileobj.seek(0)
    except (OSError, ValueError, struct.error):
        return None
    return record[zipfile._ECD_ENTRIES_TOTAL] if record else None


class _Budget:
    def __init__(self, total: int) -> None:
        self.left = total
        self.total = total

    def spend(self, size: int, label: str) -> None:
        self.left -= size
        if self.left < 0:
            raise _Refused(
                _(
                    "more than %(limit)d MB once uncompressed (stopped at %(name)s); import it "
                    "in parts, e.g. the _posts folder on its own"
                )
                % {"limit": self.total // MB, "name": label}
            )


def _read_entry(
    fp: BinaryIO, info: zipfile.ZipInfo, limit: int, budget: _Budget, limits: Limits, label: str
) -> bytes:
    """Read at most `limit` + 1 bytes, checking the ratio and the budget as the bytes come."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = fp.read(min(64 * 1024, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        budget.spend(len(chunk), label)
        _check_ratio(size, info, limits, label)
    return b"".join(chunks)


def _check_ratio(size: int, info: zipfile.ZipInfo, limits: Limits, label: str) -> None:
    """Refuse the archive when an entry inflates (or says it will) past `max_ratio`."""
    if size > limits.ratio_floor and size > limits.max_ratio * max(info.compress_size, 1):
        raise _Refused(
            _(
                "%(name)s inflates more than %(ratio)d times; this looks like a zip bomb and the "
                "archive was not read"
            )
            % {"name": label, "ratio": limits.max_ratio}
        )


def _read_bounded(fp: BinaryIO, limit: int) -> bytes:
    return fp.read(limit + 1)


def _store(
    bundle: SourceBundle,
    kind: str,
    path: str,
    data: bytes,
    label: str,
    limits: Limits,
    origin: str,
) -> None:
    if len(data) > _limit(kind, limits):
        bundle.problems.append((label, _too_large(kind, limits)))
    elif kind == "post":
        bundle.posts.append(SourceFile(name=path, data=bytes(data), origin=origin))
    else:
        bundle.assets[path] = bytes(data)


def _read_folder(root: Path, limits: Limits) -> SourceBundle:
    bundle = SourceBundle()
    budget = _Budget(limits.max_total_bytes)
    found: list[tuple[Path, str]] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_FOLDERS)
        found.extend(
            (Path(folder, name), _nfc(Path(folder, name).relative_to(root).as_posix()))
            for name in sorted(files)
        )
    to_site = site_paths([path for _full, path in found], _nfc(root.resolve().name))
    count = 0
    try:
        for full, path in found:
            label = f"{root}/{path}"
            if _ignored(path):
                continue
            kind = _kind(path)
            if kind is None:
                continue
            if full.is_symlink():
                bundle.problems.append((label, _("a symbolic link; skipped")))
                continue
            if kind == "zip":
                bundle.problems.append(
                    (label, _("an archive inside a folder is not opened; give it on its own"))
                )
                continue
            if full.stat().st_size > _limit(kind, limits):
                bundle.problems.append((label, _too_large(kind, limits)))
                continue
            count += 1
            if count > limits.max_entries:
                raise _Refused(
                    _("more than %(limit)d posts and images; import it in parts")
                    % {"limit": limits.max_entries}
                )
            if kind == "asset":
                budget.spend(full.stat().st_size, label)
                bundle.assets.add_reader(to_site(path), _file_reader(full, limits))
                continue
            with full.open("rb") as fp:
                data = _read_bounded(fp, _limit(kind, limits))
            budget.spend(len(data), label)
            _store(bundle, kind, to_site(path), data, label, limits, str(root))
    except _Refused as exc:
        return SourceBundle(problems=[(str(root), str(exc))])
    return _only_site_posts(bundle, f"{root}/")


# The folders a Jekyll site has at its root: where one of them is, the site's root is.
SITE_FOLDERS = ("_posts", "_drafts", "assets")


def site_paths(paths: Iterable[str], given: str = "") -> Callable[[str], str]:
    """How the paths read from one input (relative to it) become paths from the site's root,
    which is what a post's `/assets/img/a.png` names.

    The root is the folder that holds `_posts/`, `_drafts/` or `assets/` (`blog-main/` in a
    GitHub "Download ZIP", the folder itself for a blog's root); when there is none and the
    input is itself one of those folders (`~/blog/assets`, `assets.zip`), its name is put in
    front. Otherwise the paths stay as they are (a Notion export: links are relative).
    """
    depth: int | None = None
    prefix = ""
    for path in paths:
        parts = path.split("/")[:-1]
        for index, part in enumerate(parts):
            if part in SITE_FOLDERS:
                if depth is None or index < depth:
                    depth, prefix = index, "/".join(parts[:index])
                break
    if depth is not None:
        if not prefix:
            return lambda path: path
        start = prefix + "/"
        return lambda path: path[len(start) :] if path.startswith(start) else path
    if given in SITE_FOLDERS:
        return lambda path: f"{given}/{path}"
    return lambda path: path


def _file_reader(path: Path, limits: Limits) -> Callable[[], bytes]:
    return _asset_reader(lambda: path.open("rb"), limits)


def _asset_reader(open_file: Callable[[], BinaryIO], limits: Limits) -> Callable[[], bytes]:
    """Read an image when the import asks for it, within its limit."""

    def read() -> bytes:
        try:
            with open_file() as fp:
                data = _read_bounded(fp, limits.max_asset_bytes)
        except OSError as exc:
            raise AssetError(str(exc)) from None
        if len(data) > limits.max_asset_bytes:
            raise AssetError(_too_large("asset", limits))
        return data

    return read


def _only_site_posts(bundle: SourceBundle, prefix: str) -> SourceBundle:
    """In a whole Jekyll site, README.md and the pages are not posts: keep _posts and _drafts."""
    if not any("_posts" in post.name.split("/")[:-1] for post in bundle.posts):
        return bundle
    kept = []
    for post in bundle.posts:
        folders = post.name.split("/")[:-1]
        if "_posts" in folders or "_drafts" in folders:
            kept.append(post)
        else:
            bundle.problems.append(
                (prefix + post.name, _("not in _posts/ or _drafts/ (a page, not a post); skipped"))
            )
    bundle.posts = kept
    return bundle


_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _clean_path(name: str) -> tuple[str | None, str]:
    """A normalized relative path, or None and why the name is refused."""
    raw = name.replace("\\", "/")
    if _CONTROL.search(raw):
        return None, _("the name contains control characters; skipped")
    if raw.startswith("/") or _DRIVE.match(raw):
        return None, _("an absolute path; refused")
    parts: list[str] = []
    for part in raw.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None, _("the path leaves the archive (`..`); refused")
            parts.pop()
        else:
            parts.append(part)
    if not parts:
        return None, _("an empty name; skipped")
    return _nfc("/".join(parts)), ""


def _nfc(path: str) -> str:
    # macOS writes Hangul file names decomposed (NFD); links in the posts are composed.
    return unicodedata.normalize("NFC", path)


def _ignored(path: str) -> bool:
    parts = path.split("/")
    return any(part.startswith(".") for part in parts) or any(
        part in SKIPPED_FOLDERS for part in parts[:-1]
    )


def _kind(path: str) -> str | None:
    suffix = posixpath.splitext(path.lower())[1]
    if suffix in POST_EXTENSIONS:
        return "post"
    if suffix in ASSET_EXTENSIONS:
        return "asset"
    if suffix == ".zip":
        return "zip"
    return None


def _limit(kind: str, limits: Limits) -> int:
    return limits.max_post_bytes if kind == "post" else limits.max_asset_bytes


def _too_large(kind: str, limits: Limits) -> str:
    if kind == "post":
        return _("larger than %(limit)g MB; posts that large are not imported") % {
            "limit": limits.max_post_bytes / MB
        }
    return _("larger than %(limit)g MB; images that large are not imported") % {
        "limit": limits.max_asset_bytes / MB
    }


class AssetIndex:
    """The assets' paths, indexed for `find_asset`: by exact path, by case-folded path, and by
    every ending of the path (`assets/img/a.png`, `img/a.png`, `a.png`, case-folded), each
    kept only while one path has it."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.paths: set[str] = set()
        self.folded: dict[str, str | None] = {}
        self.endings: dict[str, str | None] = {}
        for path in paths:
            self.add(path)

    def add(self, path: str) -> None:
        self.paths.add(path)
        self._claim(self.folded, path.casefold(), path)
        parts = path.split("/")
        for index in range(len(parts)):
            self._claim(self.endings, "/".join(parts[index:]).casefold(), path)

    @staticmethod
    def _claim(index: dict[str, str | None], key: str, path: str) -> None:
        # Two paths with one key: neither is a guess worth making.
        index[key] = path if index.get(key, path) == path else None

    def find(self, keys: list[str]) -> str | None:
        for key in keys:
            if key in self.paths:
                return key
        for key in keys:
            if self.folded.get(key.casefold()):
                return self.folded[key.casefold()]
        for key in keys:
            parts = key.split("/")
            # `assets/img/a.png` given as the folder `img` or `assets/img`: drop leading folders.
            for index in range(len(parts)):
                found = self.endings.get("/".join(parts[index:]).casefold())
                if found:
                    return found
        return None


def find_asset(
    ref: str,
    post_name: str,
    assets: Mapping[str, bytes] | AssetIndex,
    media_subpath: str | None = None,
) -> str | None:
    """The key in `assets` an image reference of a post points at, or None.

    `ref` is as written in the post (`/assets/img/a.png`, `images/a.png`, Notion's
    `Page%20abc/Untitled.png`, `{{ site.baseurl }}/assets/a.png` in any spacing,
    `{{ "/assets/a.png" | relative_url }}`); a relative path is resolved against Chirpy's
    `media_subpath` (or `img_path`) when given, then against the post's folder. Then the same
    path in another case, then a unique asset whose path ends with the path or with the path
    without its leading folders (the site was given as a folder inside what was read, or only
    its `assets/img` folder). URLs and `data:` references are never assets.
    """
    ref = liquid_path(ref.strip())
    if not ref or ref.startswith("//") or _SCHEME.match(ref):
        return None
    ref = _nfc(unquote(ref.split("#", 1)[0].split("?", 1)[0]))
    candidates = []
    if ref.startswith("/"):
        candidates.append(ref)
    else:
        if media_subpath:
            candidates.append(posixpath.join("/" + media_subpath.strip("/"), ref))
        candidates.append(posixpath.join("/" + posixpath.dirname(post_name), ref))
    keys = [posixpath.normpath(candidate).lstrip("/") for candidate in candidates]
    index = assets if isinstance(assets, AssetIndex) else AssetIndex(assets)
    return index.find(keys)


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_LIQUID_FILTERED = re.compile(
    r"""^\{\{-?\s*(?P<q>["'])(?P<path>[^"'{}]*)(?P=q)\s*\|\s*(?:relative_url|absolute_url)\s*-?\}\}"""
)
# `{{ site.baseurl }}`, `{{site.url}}` and any other value put in front of a path.
_LIQUID_BASE = re.compile(r"^\{\{[^{}]*\}\}")


def liquid_path(ref: str) -> str:
    """The path a Liquid-built image link names: `{{ site.url }}{{ site.baseurl }}/a.png` and
    `{{ "/a.png" | relative_url }}` (any spacing) are `/a.png`."""
    match = _LIQUID_FILTERED.match(ref)
    if match:
        return "/" + match.group("path").lstrip("/") + ref[match.end() :]
    while match := _LIQUID_BASE.match(ref):
        ref = ref[match.end() :]
    return ref
