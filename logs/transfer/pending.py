"""A blog uploaded in the browser and not imported yet (`logs.models.PendingImport`): its files in
storage between the preview and the confirmation, and the confirmation run in batches.

Files come in one form post (`keep`) or in parts (`start`, then `receive` for each part, from
`static/js/import-upload.js`). A file sent in parts is a folder of parts, each written only
where the file stands; the row lists them (name and size), so no request lists a folder, and
they are read back as the one file they make (`_Parts`).

The confirmation imports `CONFIRM_BATCH` posts a request (`import_next`), so that no request
is long however large the blog: each batch is one transaction with the row's cursor and
results, taken under the row's lock, and runs only if the cursor is where the browser says it
is. A batch that failed or whose answer was lost is run again from the same cursor; one that
was already written is not run twice.
"""

from __future__ import annotations

import bisect
import io
import itertools
import posixpath
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from logs.models import PendingImport
from logs.transfer.importer import FileResult, ImportReport, import_bundle
from logs.transfer.sources import SourceBundle, bundle_from_files

__all__ = [
    "CONFIRM_BATCH",
    "PartError",
    "bundle",
    "complete",
    "discard",
    "import_next",
    "keep",
    "progress",
    "receive",
    "received",
    "report",
    "resumable",
    "start",
    "sweep",
    "sweep_everyone",
]

PENDING_ROOT = "imports/pending"
PENDING_MAX_AGE = timedelta(days=1)
# Posts imported by one request of the confirmation: a few seconds with their images.
CONFIRM_BATCH = 50


class PartError(ValueError):
    """A part that does not continue its file; `received` is where the file stands."""

    def __init__(self, received: int) -> None:
        self.received = received
        super().__init__(f"the file continues at byte {received}")


def _new(user, cohort_id: int) -> tuple[str, str]:
    """A token and its folder for a new upload of `user`. Her earlier uploads not confirmed go
    (another tab, a closed browser: one blog is previewed at a time), and so does a confirmation
    left half-way for a day (`sweep`)."""
    stale = Q(total__isnull=True) | Q(updated_at__lt=timezone.now() - PENDING_MAX_AGE)
    for pending in PendingImport.objects.filter(stale, owner=user):
        discard(pending)
    token = secrets.token_urlsafe(16)
    return token, f"{PENDING_ROOT}/{user.pk}/{token}"


def keep(user, cohort_id: int, uploads: Iterable[Any]) -> PendingImport:
    """Store the files of one form post (the page without JavaScript)."""
    token, folder = _new(user, cohort_id)
    files = []
    for index, upload in enumerate(uploads):
        upload.seek(0)
        suffix = posixpath.splitext(upload.name.lower())[1][:12]
        stored = default_storage.save(f"{folder}/{index:04d}{suffix}", upload)
        files.append([stored, _name(upload.name)])
    return PendingImport.objects.create(owner=user, cohort_id=cohort_id, token=token, files=files)


def _name(name: str) -> str:
    """A file's name as a JSON column keeps it: Postgres stores no NUL."""
    return name.replace("\x00", "\ufffd")


def start(user, cohort_id: int, files: list[tuple[str, int]]) -> PendingImport:
    """An upload in parts of `files` (name, size), none of them received yet."""
    token, folder = _new(user, cohort_id)
    return PendingImport.objects.create(
        owner=user,
        cohort_id=cohort_id,
        token=token,
        files=[[f"{folder}/{index:04d}", _name(name)] for index, (name, _size) in enumerate(files)],
        sizes=[size for _name, size in files],
        parts=[[] for _file in files],
    )


def resumable(
    user, token: str, cohort_id: int, files: list[tuple[str, int]]
) -> PendingImport | None:
    """`user`'s upload in parts under `token`, if it is of the same `files` (name, size) into
    the same cohort and not confirmed yet: a page reloaded mid-upload goes on with it."""
    if not token or "\x00" in token:
        return None
    kept = PendingImport.objects.filter(
        owner=user, token=token, cohort_id=cohort_id, total__isnull=True, sizes__isnull=False
    ).first()
    if kept is None:
        return None
    names = [name for _stored, name in kept.files]
    if names != [_name(name) for name, _size in files] or kept.sizes != [
        size for _name, size in files
    ]:
        return None
    return kept


def received(pending: PendingImport, index: int) -> int:
    """How much of file `index` is here."""
    return sum(size for _name, size in pending.parts[index])


def receive(pending: PendingImport, index: int, offset: int, part: Any) -> int:
    """Store `part` of file `index` at `offset`; returns how much of the file is here.
    Raises PartError unless the part continues the file and stays within its size."""
    with transaction.atomic():
        # Two requests with the same part (a retry racing the original) append it once.
        row = PendingImport.objects.select_for_update().only("parts", "sizes", "files")
        row = row.get(pk=pending.pk)
        here = received(row, index)
        if offset != here or not part.size or offset + part.size > row.sizes[index]:
            raise PartError(here)
        name = default_storage.save(f"{row.files[index][0]}/{offset:013d}", part)
        row.parts[index].append([name, part.size])
        PendingImport.objects.filter(pk=row.pk).update(parts=row.parts, updated_at=timezone.now())
    pending.parts = row.parts
    return here + part.size


def complete(pending: PendingImport) -> bool:
    return not pending.in_parts or all(
        received(pending, index) == size for index, size in enumerate(pending.sizes)
    )


def _open(pending: PendingImport, index: int) -> Any:
    if not pending.in_parts:
        return default_storage.open(pending.files[index][0], "rb")
    return io.BufferedReader(_Parts(pending.parts[index]), buffer_size=1024 * 1024)


class Gone(Exception):
    """The upload's files are no longer kept (swept, or deleted from the media folder)."""


def bundle(pending: PendingImport) -> SourceBundle:
    """The kept files as a bundle, which reads its images from them: use it in `with`.
    Raises Gone when a file is missing."""
    opened = []
    try:
        for index, (_stored, name) in enumerate(pending.files):
            opened.append((name, _open(pending, index)))
        source = bundle_from_files(opened)
    except FileNotFoundError as missing:
        for _name, fp in opened:
            fp.close()
        raise Gone from missing
    except BaseException:
        for _name, fp in opened:
            fp.close()
        raise
    source.opened.extend(fp.close for _name, fp in opened)
    return source


def import_next(pending: PendingImport, cursor: int) -> PendingImport:
    """Import the next `CONFIRM_BATCH` posts of `pending` if its import stands at `cursor`
    (else another request did them: nothing is done); returns the row as it now stands.

    One transaction for the batch and the row: a batch that fails is rolled back whole and the
    browser sends the same cursor again. The files go once the last batch is written.
    """
    with transaction.atomic():
        row = PendingImport.objects.select_for_update().select_related("owner", "cohort")
        row = row.get(pk=pending.pk)
        if row.cursor != cursor or row.done:
            return row
        with bundle(row) as source:
            batch = import_bundle(
                source, author=row.owner, cohort=row.cohort, start=row.cursor, count=CONFIRM_BATCH
            )
        row.results.extend(result.as_json() for result in batch.results)
        row.cursor += batch.posts
        row.total = batch.total
        row.seconds += batch.seconds
        row.updated_at = timezone.now()
        row.save(update_fields=["results", "cursor", "total", "seconds", "updated_at"])
    if row.done:
        _delete_files(row)
    return row


def progress(pending: PendingImport) -> dict[str, Any]:
    """Where the confirmation stands, as the page's script reads it."""
    counts = report(pending).counts
    return {
        "cursor": pending.cursor,
        "total": pending.total,
        "done": pending.done,
        "counts": counts,
    }


def report(pending: PendingImport) -> ImportReport:
    """The confirmation's report so far (the whole import's once `pending.done`)."""
    return ImportReport(
        results=[FileResult.from_json(data) for data in pending.results],
        dry_run=False,
        seconds=pending.seconds,
        posts=pending.cursor,
        total=pending.total or 0,
    )


def discard(pending: PendingImport) -> int:
    """Delete the upload's files and its row; returns how many files went."""
    deleted = _delete_files(pending)
    pending.delete()
    return deleted


def _delete_files(pending: PendingImport) -> int:
    paths = [
        name
        for index, (stored, _name) in enumerate(pending.files)
        for name in (
            [part for part, _size in pending.parts[index]] if pending.in_parts else [stored]
        )
    ]
    for path in paths:
        default_storage.delete(path)
    return len(paths)


def sweep(user, older_than: timedelta = PENDING_MAX_AGE) -> int:
    """Delete the user's uploads untouched for a day (previewed and never confirmed, or a
    confirmation left half-way). Returns how many files went."""
    limit = timezone.now() - older_than
    return sum(
        discard(pending)
        for pending in PendingImport.objects.filter(owner=user, updated_at__lt=limit)
    )


def sweep_everyone(older_than: timedelta = PENDING_MAX_AGE) -> int:
    """`sweep` for every user, for those who never upload again (`manage.py sweep_imports`),
    and any folder of files no row knows of any more."""
    limit = timezone.now() - older_than
    deleted = sum(
        discard(pending) for pending in PendingImport.objects.filter(updated_at__lt=limit)
    )
    try:
        users, _files = default_storage.listdir(PENDING_ROOT)
    except (FileNotFoundError, NotImplementedError):
        return deleted
    known = set(PendingImport.objects.values_list("token", flat=True))
    for user in users:
        tokens, _files = default_storage.listdir(f"{PENDING_ROOT}/{user}")
        for token in tokens:
            paths = _files_under(f"{PENDING_ROOT}/{user}/{token}")
            if token in known or any(
                default_storage.get_modified_time(path) >= limit for path in paths
            ):
                continue
            for path in paths:
                default_storage.delete(path)
            deleted += len(paths)
    return deleted


def _files_under(folder: str) -> list[str]:
    dirs, names = default_storage.listdir(folder)
    return [f"{folder}/{name}" for name in names] + [
        path for sub in dirs for path in _files_under(f"{folder}/{sub}")
    ]


class _Parts(io.RawIOBase):
    """The parts of a file sent in parts, read as the one file they make (seekable, as a zip
    needs), each part opened only while it is read."""

    def __init__(self, parts: list[list]) -> None:
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
