"""A blog uploaded in the browser and not imported yet: kept in storage between the preview
and the confirmation.

Files come in one form post (`PendingImport.save`) or in parts (`PendingImport.start`, then
`receive` for each part: `static/js/import-upload.js`). The preview and the import read them back
as a `SourceBundle` (`bundle()`); what nobody confirms is swept after a day.
"""

from __future__ import annotations

import bisect
import io
import itertools
import posixpath
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files.storage import default_storage
from django.utils import timezone

from logs.transfer.sources import SourceBundle, bundle_from_files

__all__ = ["PartError", "PendingImport"]

PENDING_ROOT = "imports/pending"
PENDING_MAX_AGE = timedelta(days=1)


class PartError(ValueError):
    """A part that does not continue its file; `received` is where the file stands."""

    def __init__(self, received: int) -> None:
        self.received = received
        super().__init__(f"the file continues at byte {received}")


@dataclass
class PendingImport:
    """Uploaded files kept in storage between the preview and the confirmation.

    Only `token` travels through the browser; the cohort and the stored names live in the
    learner's session, so nothing the client sends decides what is imported or where.

    A file sent in parts (`sizes` is set) is a folder of parts named by their offset, each
    written only where the file stands, and read back as one file (`_Parts`).
    """

    token: str
    cohort_id: int
    files: list[tuple[str, str]]  # (stored name, or the folder of its parts; uploaded name)
    sizes: list[int] | None = None  # the size of each file sent in parts

    SESSION_KEY = "camplog_pending_import"

    @classmethod
    def save(cls, user, cohort_id: int, uploads: Iterable[Any]) -> PendingImport:
        cls.sweep(user)
        token = secrets.token_urlsafe(16)
        folder = f"{PENDING_ROOT}/{user.pk}/{token}"
        files = []
        for index, upload in enumerate(uploads):
            upload.seek(0)
            suffix = posixpath.splitext(upload.name.lower())[1][:12]
            stored = default_storage.save(f"{folder}/{index:04d}{suffix}", upload)
            files.append((stored, upload.name))
        return cls(token=token, cohort_id=cohort_id, files=files)

    @classmethod
    def start(cls, user, cohort_id: int, files: list[tuple[str, int]]) -> PendingImport:
        """An upload in parts of `files` (name, size), none of them received yet."""
        cls.sweep(user)
        token = secrets.token_urlsafe(16)
        folder = f"{PENDING_ROOT}/{user.pk}/{token}"
        return cls(
            token=token,
            cohort_id=cohort_id,
            files=[(f"{folder}/{index:04d}", name) for index, (name, _size) in enumerate(files)],
            sizes=[size for _name, size in files],
        )

    def received(self, index: int) -> int:
        return sum(size for _name, size in self._parts(index))

    def receive(self, index: int, offset: int, part: Any) -> int:
        """Store `part` of file `index` at `offset`; returns how much of the file is here.
        Raises PartError unless the part continues the file and stays within its size."""
        assert self.sizes is not None
        received = self.received(index)
        if offset != received or offset + part.size > self.sizes[index] or not part.size:
            raise PartError(received)
        default_storage.save(f"{self.files[index][0]}/{offset:013d}", part)
        return received + part.size

    @property
    def complete(self) -> bool:
        return self.sizes is None or all(
            self.received(index) == size for index, size in enumerate(self.sizes)
        )

    def _parts(self, index: int) -> list[tuple[str, int]]:
        folder = self.files[index][0]
        try:
            _dirs, names = default_storage.listdir(folder)
        except (FileNotFoundError, NotImplementedError):
            return []
        return [
            (f"{folder}/{name}", default_storage.size(f"{folder}/{name}")) for name in sorted(names)
        ]

    def open(self, index: int) -> Any:
        if self.sizes is None:
            return default_storage.open(self.files[index][0], "rb")
        return io.BufferedReader(_Parts(self._parts(index)), buffer_size=1024 * 1024)

    @staticmethod
    def sweep(user, older_than: timedelta = PENDING_MAX_AGE) -> int:
        """Delete the user's uploads that were previewed and never confirmed (another tab, a
        closed browser): they are kept a day at most. Returns how many files went."""
        return _sweep_folder(f"{PENDING_ROOT}/{user.pk}", timezone.now() - older_than)

    @staticmethod
    def sweep_everyone(older_than: timedelta = PENDING_MAX_AGE) -> int:
        """`sweep` for every user, for those who never upload again (`manage.py sweep_imports`)."""
        try:
            folders, _files = default_storage.listdir(PENDING_ROOT)
        except (FileNotFoundError, NotImplementedError):
            return 0
        limit = timezone.now() - older_than
        return sum(_sweep_folder(f"{PENDING_ROOT}/{folder}", limit) for folder in folders)

    def to_session(self, session) -> None:
        session[self.SESSION_KEY] = {
            "token": self.token,
            "cohort_id": self.cohort_id,
            "files": [list(pair) for pair in self.files],
            "sizes": self.sizes,
        }

    @classmethod
    def from_session(cls, session, user) -> PendingImport | None:
        data = session.get(cls.SESSION_KEY)
        if not isinstance(data, dict):
            return None
        prefix = f"{PENDING_ROOT}/{user.pk}/"
        files = [(stored, name) for stored, name in data.get("files", [])]
        if not all(pair[0].startswith(prefix) for pair in files):
            return None
        return cls(
            token=data["token"],
            cohort_id=data["cohort_id"],
            files=files,
            sizes=data.get("sizes"),
        )

    def bundle(self) -> SourceBundle:
        """The kept files as a bundle, which reads its images from them: use it in `with`."""
        opened = []
        try:
            for index, (_stored, name) in enumerate(self.files):
                opened.append((name, self.open(index)))
            bundle = bundle_from_files(opened)
        except BaseException:
            for _name, fp in opened:
                fp.close()
            raise
        bundle.opened.extend(fp.close for _name, fp in opened)
        return bundle

    def discard(self, session=None) -> None:
        for index, (stored, _name) in enumerate(self.files):
            if self.sizes is None:
                default_storage.delete(stored)
            else:
                for part, _size in self._parts(index):
                    default_storage.delete(part)
        if session is not None and session.get(self.SESSION_KEY, {}).get("token") == self.token:
            del session[self.SESSION_KEY]


class _Parts(io.RawIOBase):
    """The parts of a file sent in parts, read as the one file they make (seekable, as a zip
    needs), each part opened only while it is read."""

    def __init__(self, parts: list[tuple[str, int]]) -> None:
        self.parts = parts
        self.starts = list(itertools.accumulate((size for _name, size in parts), initial=0))
        self.size = self.starts[-1]
        self.position = 0
        self.current: tuple[int, Any] | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def readinto(self, buffer: Any) -> int:
        if self.position >= self.size:
            return 0
        index = bisect.bisect_right(self.starts, self.position) - 1
        if self.current is None or self.current[0] != index:
            self._close_current()
            self.current = (index, default_storage.open(self.parts[index][0], "rb"))
        fp = self.current[1]
        fp.seek(self.position - self.starts[index])
        want = min(len(buffer), self.starts[index + 1] - self.position)
        data = fp.read(want)
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)

    def _close_current(self) -> None:
        if self.current is not None:
            self.current[1].close()
            self.current = None

    def close(self) -> None:
        self._close_current()
        super().close()


def _sweep_folder(folder: str, limit) -> int:
    """Delete the previews under `folder` whose files (and parts) are all older than `limit`."""
    try:
        tokens, _files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return 0
    deleted = 0
    for token in tokens:
        paths = _files_under(f"{folder}/{token}")
        if all(default_storage.get_modified_time(path) < limit for path in paths):
            for path in paths:
                default_storage.delete(path)
            deleted += len(paths)
    return deleted


def _files_under(folder: str) -> list[str]:
    dirs, names = default_storage.listdir(folder)
    return [f"{folder}/{name}" for name in names] + [
        path for sub in dirs for path in _files_under(f"{folder}/{sub}")
    ]
