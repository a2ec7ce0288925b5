"""Jekyll (Chirpy) posts into entries: the database side of `import_jekyll` and the browser import.

`logs.transfer.sources` reads what was given into a `SourceBundle`, `logs.transfer.jekyll`
parses each post; this
module decides what each post becomes and writes it, and reports per file what it did (created,
updated, skipped, failed) and why. A dry run decides the same things and writes nothing: it is
the browser's preview.

How it is written, so that a bundle of a thousand posts imports in seconds: new entries that
store and link no image are written `BATCH` at a time (one INSERT for the entries, one for their
tag links, one transaction), their Markdown rendered ahead in worker processes when the bundle has
`RENDER_AHEAD_POSTS` posts or more (`logs.rendering.RenderAhead`). Anything else (an update,
images to store) is written on its own, in its own transaction, after what came before it. If
a batch fails, it is rolled back and its files are imported again one by one, each in its own
transaction, exactly as if there had never been a batch: the broken file fails and is named,
the others are imported.

How a post becomes an entry:

- Key: the author and the file's name (its NFC basename, so the same post imported from a
  folder, a .zip or on its own is the same entry). Importing it again updates that entry, or
  skips it when nothing would change; it never makes a second one.
- Learning date: a timestamp with a zone is placed by the cohort calendar (time zone, cut-off
  hour); a time without a zone is read in the cohort's time zone; a date alone (or the
  `YYYY-MM-DD-` of the file name) is the learning date as it is.
- Kind: `logs.transfer.jekyll.guess_kind`, unless the post names it in `camplog_kind` (written by the
  export only where the guess would be wrong, e.g. for a demoted note). A second daily log on a
  date that has one, or a second weekly log in a week, becomes a note: nothing is dropped.
- Title: the front matter's, else the `# heading` the body opens with, else the calendar's.
- The body is kept as written; only image paths found in what was uploaded are rewritten to
  the stored uploads. Missing images keep their links and are reported.
- `Entry.front_matter` keeps what Camplog has no field for, so the export can write it back:
  the timestamp as written (`date`), `categories`, `tags` as written (order and case, which
  taggit does not keep), `math`, `image`, `description`, `last_modified_at`, every other key in
  file order (`extra`) and the YAML comments (`comments`). Mappings are stored as lists of
  pairs (`encode_front_matter`), since Postgres' jsonb does not keep the order of keys. It also
  keeps the file as written and what the entry was made of it (`source`), so that the export
  gives the file back byte for byte until the entry is edited.
- Images are named by their path from the site's root (`logs.transfer.sources.site_paths`) and read one
  at a time as they are stored; a link is matched by `logs.transfer.sources.find_asset`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import posixpath
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from taggit.models import Tag

from accounts.models import Cohort
from logs import access
from logs.caching import invalidation
from logs.models import Entry, TaggedEntry, Upload
from logs.rendering import RenderAhead
from logs.titles import one_line
from logs.transfer.exporter import EXPORT_ORDER, KIND_CATEGORIES, export_paths
from logs.transfer.front_matter import (
    KIND_HINT_KEY,
    SOURCE_KEY,
    decode_front_matter,
    encode_front_matter,
    entry_state,
)
from logs.transfer.jekyll import (
    Post,
    PostError,
    format_datetime,
    guess_kind,
    heading_title,
    image_refs,
    parse_post,
    rewrite_image_refs,
)
from logs.transfer.sources import (
    AssetError,
    AssetIndex,
    SourceBundle,
    SourceFile,
    find_asset,
    source_key,
)
from logs.uploads import UPLOAD_REF, link_uploads, store_image

__all__ = [
    "FileResult",
    "ImportReport",
    "import_bundle",
]

KINDS = ("daily", "weekly", "note")
TITLE_MAX = Entry._meta.get_field("title").max_length
TAG_MAX = Tag._meta.get_field("name").max_length
SOURCE_MAX = Entry._meta.get_field("source_name").max_length

logger = logging.getLogger(__name__)

CREATED, UPDATED, SKIPPED, FAILED = "created", "updated", "skipped", "failed"
ACTIONS = (CREATED, UPDATED, SKIPPED, FAILED)

BATCH = 100  # new entries written in one transaction
# …in INSERTs of this many rows: Postgres computes each row's search vectors while inserting, and
# a statement of a hundred long posts can outlast a request's statement timeout on a busy host.
INSERT_ROWS = 25
# From this many posts on, Markdown is rendered in worker processes: starting one takes about
# 0.25 s, what rendering 35 posts does.
RENDER_AHEAD_POSTS = 100
RENDER_WORKERS_MAX = 4  # more would wait on the one process that writes


@dataclass
class FileResult:
    """What happened (or, in a dry run, would happen) to one file."""

    name: str
    action: str = FAILED
    kind: str = ""
    learning_date: date | None = None
    title: str = ""
    tags: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the reason when failed, else warnings
    entry_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        """What `logs.models.PendingImport.results` keeps of it between requests."""
        data = asdict(self)
        data["learning_date"] = self.learning_date.isoformat() if self.learning_date else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileResult:
        day = data.get("learning_date")
        return cls(**{**data, "learning_date": date.fromisoformat(day) if day else None})


@dataclass
class ImportReport:
    results: list[FileResult]
    dry_run: bool
    seconds: float
    posts: int  # post files looked at (the speed is measured over these)
    total: int = 0  # post files in the bundle (`posts` of them were looked at from `start`)

    def count(self, action: str) -> int:
        return sum(1 for result in self.results if result.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in ACTIONS}

    @property
    def failed(self) -> int:
        return self.count(FAILED)

    @property
    def changes(self) -> int:
        return self.count(CREATED) + self.count(UPDATED)

    @property
    def posts_per_second(self) -> float:
        return self.posts / self.seconds if self.seconds > 0 else 0.0


def import_bundle(
    bundle: SourceBundle,
    *,
    author,
    cohort: Cohort,
    dry_run: bool = False,
    progress: Callable[[FileResult], None] | None = None,
    start: int = 0,
    count: int | None = None,
) -> ImportReport:
    """Import every post of `bundle` for `author` into `cohort` (written as the module
    docstring says: new entries in batches, anything else one file at a time), or only
    `count` posts from the `start`-th on, when earlier calls imported those before it (the
    browser's confirmation, `logs.transfer.pending`); the files refused while reading are
    reported with the first posts.

    The files are taken in the order of their names, so that which of two daily logs of one
    date stays the daily log does not depend on how an archive was packed.
    """
    if not access.can_write_in(author, cohort.pk):
        raise PermissionError(f"{author} does not write in {cohort}")
    started = time.perf_counter()
    results: list[FileResult] = []
    for label, reason in bundle.problems if start == 0 else ():
        result = FileResult(name=label, action=_problem_action(reason), problems=[reason])
        results.append(result)
        if progress:
            progress(result)
    ordered = sorted(bundle.posts, key=lambda source: (source_key(source.name), source.name))
    posts = ordered[start : None if count is None else start + count]
    renders = RenderAhead(0 if dry_run else _render_workers(len(posts)))
    gathered = contextlib.ExitStack()
    try:
        gathered.enter_context(invalidation.gathered())  # one bump for the whole import
        importer = _Importer(bundle, author, cohort, dry_run, renders)
        # A name seen in an earlier batch is taken, as it would be in one run.
        importer.seen.update((source_key(source.name), source.name) for source in ordered[:start])
        for result in importer.run_all(posts):
            results.append(result)
            if progress:
                progress(result)
    finally:
        gathered.close()
        renders.close()
    return ImportReport(
        results=results,
        dry_run=dry_run,
        seconds=time.perf_counter() - started,
        posts=len(posts),
        total=len(ordered),
    )


def _render_workers(posts: int) -> int:
    if posts < RENDER_AHEAD_POSTS:
        return 0
    if hasattr(os, "sched_getaffinity"):  # the cores this process may use (not on macOS)
        return min(len(os.sched_getaffinity(0)), RENDER_WORKERS_MAX)
    return min(os.cpu_count() or 1, RENDER_WORKERS_MAX)


def _problem_action(reason: str) -> str:
    # A whole Jekyll site holds pages (about.md, README.md) beside its posts: leaving them out
    # is what the learner wants, not a failure.
    return SKIPPED if "a page, not a post" in reason else FAILED


class _Failed(Exception):
    pass


@dataclass
class _Plan:
    """Everything decided about one post before anything is written."""

    post: Post
    key: str
    existing: Entry | None
    kind: str
    learning_date: date
    title: str
    visibility: str
    status: str
    front_matter: dict[str, Any]
    cover_ref: str | None
    reused: dict[str, Upload]  # image path as written -> an upload already stored
    to_store: dict[str, str]  # image path as written -> asset key in the bundle

    @property
    def batched(self) -> bool:
        """A new entry whose links to uploads are all this import's: `_Importer.create_batch`
        writes it (a link to an upload pasted from Camplog needs `link_uploads`' check)."""
        return self.existing is None and not UPLOAD_REF.search(self.post.body)


class _Stored(NamedTuple):
    """An upload this import stored, as a later post that shows it needs it."""

    pk: int
    url: str


@dataclass
class _Pending:
    """A file decided and not yet written: a new entry of a batch, or a final result."""

    source: SourceFile
    result: FileResult
    plan: _Plan | None  # None when nothing is to be written (failed or skipped)


@dataclass
class _Batch:
    saved: tuple  # `_Importer.snapshot()` from before its first file
    items: list[_Pending] = field(default_factory=list)


class _Importer:
    def __init__(
        self, bundle: SourceBundle, author, cohort: Cohort, dry_run: bool, renders: RenderAhead
    ) -> None:
        self.bundle = bundle
        self.author = author
        self.dry_run = dry_run
        self.renders = renders
        # One cohort instance with its calendar prefetched, shared by every entry it saves.
        self.cohort = Cohort.objects.with_calendar().get(pk=cohort.pk)
        self.calendar = self.cohort.calendar
        self.zone = ZoneInfo(self.cohort.time_zone)
        keys = {source_key(source.name) for source in bundle.posts}
        adopted = self.own_exports(author, keys)
        self.existing: dict[str, Entry] = {}
        for entry in (
            Entry.objects.filter(Q(source_name__in=keys) | Q(pk__in=adopted), author=author)
            .select_related("cohort")
            .prefetch_related(
                Prefetch(
                    "taggedentry_set",
                    queryset=TaggedEntry.objects.select_related("tag").order_by("pk"),
                )
            )
        ):
            self.existing.setdefault(entry.source_name or adopted[entry.pk], entry)
        own = Entry.objects.filter(author=author, cohort=self.cohort)
        self.daily: dict[date, int] = dict(
            own.filter(kind=Entry.Kind.DAILY).values_list("learning_date", "pk")
        )
        self.weekly: dict[int, int] = dict(
            own.filter(kind=Entry.Kind.WEEKLY).values_list("week", "pk")
        )
        self.uploads: dict[str, list[Upload]] = {}
        if bundle.assets:
            for upload in Upload.objects.filter(
                owner=author, original_name__in=list(bundle.assets)
            ).order_by("created_at", "pk"):
                self.uploads.setdefault(upload.original_name, []).append(upload)
        self.asset_index = AssetIndex(bundle.assets)
        self.stored_now: dict[str, _Stored] = {}  # asset -> its upload, stored by this import
        self.tags: dict[str, Tag] = {}
        self.seen: dict[str, str] = {}
        self.fake_pk = 0

    @staticmethod
    def own_exports(author, keys: set[str]) -> dict[int, str]:
        """Entries written in Camplog whose exported file is being imported: pk -> file name.

        The learner's own export brought back must update those entries, not add copies.
        """
        entries = (
            Entry.objects.filter(author=author)
            .only("pk", "source_name", "learning_date", "title")
            .order_by(*EXPORT_ORDER)
        )
        paths = export_paths(entries)
        adopted = {}
        for entry in entries:
            name = posixpath.basename(paths[entry.pk])
            if not entry.source_name and name in keys:
                adopted[entry.pk] = name
        return adopted

    # --- the files, in order ---------------------------------------------------------------------

    def run_all(self, sources: list[SourceFile]) -> Iterator[FileResult]:
        """Each file's result, in the order of `sources` (see the module docstring)."""
        if self.dry_run:
            yield from map(self.run, sources)
            return
        batches: list[_Batch] = []
        for source in sources:
            if not batches or len(batches[-1].items) >= BATCH:
                if len(batches) == 2:
                    # The older batch is written while the workers render the newer one.
                    yield from self.flush(batches, 1)
                batches.append(_Batch(self.snapshot()))
            result = FileResult(name=_label(source))
            plan = self.decide(source, result)
            if plan is None or plan.batched:
                if plan is not None:
                    self.hold_slot(plan, self.new_pk())
                    if not plan.to_store and not plan.reused:  # else its links change first
                        self.renders.submit(plan.post.body)
                batches[-1].items.append(_Pending(source, result, plan))
                continue
            # It was planned as if the batches were written: when they were not, plan it again.
            written = yield from self.flush(batches)
            yield self.write_one(plan, result) if written else self.run(source)
        yield from self.flush(batches)

    def flush(self, batches: list[_Batch], count: int | None = None) -> Iterator[FileResult]:
        """Write the first `count` of `batches` (all by default), each in one transaction, and
        give their results; returns whether they were written.

        If one fails, it is rolled back and every file of it and of the batches after it is
        imported again on its own, from the state before it: what one broken file does to the
        others is then what it does one file at a time.
        """
        for _number in range(len(batches) if count is None else count):
            batch = batches.pop(0)
            new = [item for item in batch.items if item.plan is not None]
            new_tags: dict[str, Tag] = {}
            entries: list[Entry] = []
            stored: list[list[Upload]] = []
            try:
                if new:
                    with transaction.atomic():
                        entries = self.create_batch(new, new_tags, stored)
            except Exception as exc:
                if not isinstance(exc, (DatabaseError, ValidationError, OSError, ValueError)):
                    logger.exception("Writing a batch of %d posts failed", len(new))
                for upload in (upload for uploads in stored for upload in uploads):
                    default_storage.delete(upload.file.name)
                self.restore(batch.saved)
                again = [item.source for pending in [batch, *batches] for item in pending.items]
                batches.clear()
                yield from map(self.run, again)
                return False
            self.tags.update(new_tags)
            for item, entry, uploads in zip(new, entries, stored, strict=True):
                self.settle(item.plan, entry, uploads)
                self.renders.forget(entry.body)
                item.result.entry_id = entry.pk
            yield from (item.result for item in batch.items)
        return True

    def snapshot(self) -> tuple:
        """What planning changes before anything is written. A slot held by a stand-in id
        (`new_pk`) means what the real id would: only an entry's own plan asks for its id."""
        return dict(self.daily), dict(self.weekly), dict(self.seen)

    def restore(self, saved: tuple) -> None:
        daily, weekly, seen = saved
        self.daily, self.weekly, self.seen = dict(daily), dict(weekly), dict(seen)

    def new_pk(self) -> int:
        """A stand-in id for an entry not written yet: it holds its daily or weekly slot."""
        self.fake_pk -= 1
        return self.fake_pk

    # --- one file ------------------------------------------------------------------------------

    def run(self, source: SourceFile) -> FileResult:
        """Decide one file and write it in its own transaction."""
        result = FileResult(name=_label(source))
        plan = self.decide(source, result)
        if plan is None:
            return result
        if self.dry_run:
            self.hold_slot(plan, plan.existing.pk if plan.existing else self.new_pk())
            return result
        return self.write_one(plan, result)

    def decide(self, source: SourceFile, result: FileResult) -> _Plan | None:
        """The plan of what to write, with `result` filled in; None if nothing is to be written."""
        try:
            plan = self.plan(source, result)
        except _Failed as exc:
            result.action = FAILED
            result.problems.insert(0, str(exc))
            return None
        result.kind = plan.kind
        result.learning_date = plan.learning_date
        result.title = plan.title
        result.tags = plan.post.tags
        if plan.existing is None:
            result.action = CREATED
        elif not plan.to_store and self.unchanged(plan):
            result.action = SKIPPED
            result.entry_id = plan.existing.pk
            return None
        else:
            result.action = UPDATED
        return plan

    def write_one(self, plan: _Plan, result: FileResult) -> FileResult:
        stored: list[Upload] = []
        new_tags: dict[str, Tag] = {}
        try:
            with transaction.atomic():
                entry = self.write(plan, result, stored, new_tags)
        except Exception as exc:  # one broken file must not stop the others
            if not isinstance(exc, (DatabaseError, ValidationError, OSError, ValueError)):
                logger.exception("Importing %s failed", result.name)
            for upload in stored:
                default_storage.delete(upload.file.name)
            result.action = FAILED
            result.problems.insert(0, _("It could not be saved: %(reason)s") % {"reason": exc})
            return result
        self.tags.update(new_tags)
        self.settle(plan, entry, stored)
        result.entry_id = entry.pk
        return result

    def settle(self, plan: _Plan, entry: Entry, stored: list[Upload]) -> None:
        """Take in what was written, once its transaction has committed: only what later
        posts need (a blog of 10,000 images keeps no model instance a picture, nor its
        entries' rendered bodies)."""
        for upload in stored:
            self.stored_now[upload.original_name] = _Stored(upload.pk, upload.url)
        self.hold_slot(plan, entry.pk)

    def plan(self, source: SourceFile, result: FileResult) -> _Plan:
        try:
            post = parse_post(source.name, source.data)
        except PostError as exc:
            raise _Failed(str(exc)) from None
        key = source_key(source.name)
        if len(key) > SOURCE_MAX:
            raise _Failed(
                _("The file name is longer than %(max)d characters.") % {"max": SOURCE_MAX}
            )
        if key in self.seen:
            raise _Failed(
                _("A file with the same name (%(other)s) is in this import already; rename one.")
                % {"other": self.seen[key]}
            )
        self.seen[key] = source.name
        existing = self.existing.get(key)

        if post.date is None:
            raise _Failed(
                _(
                    "The post has no date: add a `date:` line to the front matter or start the "
                    "file name with the date (YYYY-MM-DD-)."
                )
            )
        date_text = None
        far = _(
            "%(date)s is too far from the cohort (%(start)s – %(end)s) to be placed in its "
            "calendar; correct the post's date."
        )
        try:
            if post.date_has_time:
                moment = post.date if post.date.tzinfo else post.date.replace(tzinfo=self.zone)
                learning_date = self.calendar.learning_date(moment)
                date_text = format_datetime(moment)
            else:
                learning_date = post.date.date()
        except (OverflowError, ValueError):  # year 1 or 9999 moved across midnight
            learning_date = None
        if learning_date is None or abs(learning_date.year - self.cohort.start_date.year) > 100:
            # Weeks and learning days are smallints: a century either way is far enough.
            raise _Failed(
                far
                % {
                    "date": post.date.date(),
                    "start": self.cohort.start_date,
                    "end": self.cohort.end_date,
                }
            )
        if not self.calendar.contains(learning_date):
            result.problems.append(
                _("%(date)s is outside the cohort (%(start)s – %(end)s).")
                % {
                    "date": learning_date,
                    "start": self.cohort.start_date,
                    "end": self.cohort.end_date,
                }
            )

        hint = post.extra.get(KIND_HINT_KEY)
        kind = hint if hint in KINDS else guess_kind(post)
        if not access.can_write_kind(self.author, self.cohort.pk, kind):
            result.problems.append(
                _(
                    "Mentors write notes, not daily or weekly logs; this post was imported as a note."
                )
            )
            kind = "note"
        owner = existing.pk if existing else None
        if kind == "daily" and self.daily.get(learning_date, owner) != owner:
            result.problems.append(
                _("%(date)s already has a daily log; this post was imported as a note.")
                % {"date": learning_date}
            )
            kind = "note"
        elif kind == "weekly" and (
            self.weekly.get(self.calendar.week_of(learning_date), owner) != owner
        ):
            result.problems.append(
                _("This week already has a weekly log; this post was imported as a note.")
            )
            kind = "note"
        result.kind = kind
        result.learning_date = learning_date

        title = one_line(post.title or heading_title(post.body) or "")
        if not title:
            title = (
                self.calendar.weekly_title_of(learning_date)
                if kind == "weekly"
                else self.calendar.daily_title(learning_date)
            )
        result.title = title
        if len(title) > TITLE_MAX:
            raise _Failed(
                _("The title is %(length)d characters long; at most %(max)d are kept.")
                % {"length": len(title), "max": TITLE_MAX}
            )
        for tag in post.tags:
            if len(tag) > TAG_MAX:
                raise _Failed(
                    _("The tag “%(tag)s…” is longer than %(max)d characters.")
                    % {"tag": tag[:20], "max": TAG_MAX}
                )

        cover_ref = _cover_path(post.image)
        reused, to_store = self.resolve_images(source, post, cover_ref, existing, result)
        return _Plan(
            post=post,
            key=key,
            existing=existing,
            kind=kind,
            learning_date=learning_date,
            title=title,
            visibility=post.visibility or Entry._meta.get_field("visibility").default,
            status=Entry.Status.PUBLISHED if post.published else Entry.Status.DRAFT,
            front_matter=_kept_front_matter(post, date_text),
            cover_ref=cover_ref,
            reused=reused,
            to_store=to_store,
        )

    def resolve_images(
        self,
        source: SourceFile,
        post: Post,
        cover_ref: str | None,
        existing: Entry | None,
        result: FileResult,
    ) -> tuple[dict[str, Upload], dict[str, str]]:
        media_subpath = post.extra.get("media_subpath") or post.extra.get("img_path")
        if not isinstance(media_subpath, str):
            media_subpath = None
        refs = image_refs(post.body)
        if cover_ref and cover_ref not in refs:
            refs.append(cover_ref)
        reused: dict[str, Upload] = {}
        to_store: dict[str, str] = {}
        for ref in refs:
            if UPLOAD_REF.search(ref):
                continue  # already a Camplog upload
            asset = find_asset(ref, source.name, self.asset_index, media_subpath)
            if asset is None:
                if _is_local(ref):
                    result.problems.append(
                        _("The image %(path)s is not in what was uploaded; its link is kept.")
                        % {"path": ref}
                    )
                continue
            upload = self.stored_upload(asset)
            if upload is not None:
                reused[ref] = upload
            else:
                to_store[ref] = asset
        return reused, to_store

    def stored_upload(self, asset: str) -> Upload | None:
        """An upload of the author's with this path and these bytes, stored by an earlier
        import, so that importing again reuses it instead of storing a copy."""
        candidates = self.uploads.get(asset, ())
        if not candidates:
            return None
        try:
            data = self.bundle.assets[asset]
        except AssetError:
            return None  # reported when it is stored
        for upload in candidates:
            if upload.size != len(data):
                continue
            try:
                with upload.file.open("rb") as fp:
                    if fp.read() == data:
                        return upload
            except OSError:
                continue
        return None

    def unchanged(self, plan: _Plan) -> bool:
        entry = plan.existing
        assert entry is not None
        mapping = {ref: upload.url for ref, upload in plan.reused.items()}
        names = [item.tag.name for item in entry.taggedentry_set.all()]
        return (
            entry.source_name == plan.key
            and entry.cohort_id == self.cohort.pk
            and entry.kind == plan.kind
            and entry.learning_date == plan.learning_date
            and entry.title == plan.title
            and entry.body == rewrite_image_refs(plan.post.body, mapping)
            and entry.visibility == plan.visibility
            and entry.status == plan.status
            and self.same_front_matter(
                entry,
                decode_front_matter(entry.front_matter),
                _with_source(
                    _with_cover(plan.front_matter, plan.cover_ref, mapping),
                    plan,
                    rewrite_image_refs(plan.post.body, mapping),
                ),
                plan.kind,
            )
            and _folded(names) == _folded(plan.post.tags)
        )

    def same_front_matter(self, entry: Entry, stored: dict, planned: dict, kind: str) -> bool:
        """Equal but for what the export writes anyway: `math: true` for a body with math (and
        never `math: false`), and the categories `[<cohort>, <kind>]`. So the learner's own
        export imported again is unchanged."""
        implied = [self.cohort.name, KIND_CATEGORIES[kind]]

        def normal(front: dict) -> dict:
            front = dict(front)
            if front.get("math") is False or (front.get("math") and entry.has_math):
                front.pop("math")
            if front.get("categories") == implied:
                front.pop("categories")
            return encode_front_matter(front)

        return normal(stored) == normal(planned)

    def write(
        self, plan: _Plan, result: FileResult, stored: list[Upload], new_tags: dict[str, Tag]
    ) -> Entry:
        mapping, shown = self.store_images(plan, result, stored, dict(self.stored_now))
        body = rewrite_image_refs(plan.post.body, mapping)
        front_matter = _with_cover(plan.front_matter, plan.cover_ref, mapping)

        entry = plan.existing or Entry(author=self.author)
        if plan.existing is not None:
            # The editor's optimistic lock: an edit saved since this import began wins, and
            # an editor still open on the old version will be told of the import.
            current = (
                Entry.objects.select_for_update()
                .filter(pk=entry.pk)
                .values_list("version", flat=True)
            )
            if list(current) != [entry.version]:
                raise ValueError(
                    _("The entry was changed in Camplog during the import; import the file again.")
                )
            entry.version += 1
        self.fill(entry, plan, body, front_matter)
        if plan.existing is None:
            # As a batch writes it: no post_save, whose invalidation would name every daily
            # log of the author once a post; `entries_written` below names them once.
            entry.derive(self.renders.get(body))
            Entry.objects.bulk_create([entry])
        else:
            entry.save(rendered=self.renders.get(body))

        self.resolve_tags(plan.post.tags, new_tags)
        if plan.existing is not None:
            TaggedEntry.objects.filter(content_object=entry).delete()
        TaggedEntry.objects.bulk_create(
            TaggedEntry(content_object=entry, tag=tag)
            for tag in self.tags_of(plan.post.tags, new_tags)
        )
        invalidation.entries_written([entry])  # its new tags: written in bulk, without signals
        if plan.existing is None and not UPLOAD_REF.search(plan.post.body):
            # A new entry shows only the author's own uploads this import stored or found: link
            # them in one INSERT (what `link_uploads` would decide, without reading them back).
            Upload.entries.through.objects.bulk_create(
                Upload.entries.through(upload_id=pk, entry_id=entry.pk)
                for pk in sorted({upload.pk for upload in shown})
            )
        elif plan.existing is not None or UPLOAD_REF.search(body) or mapping:
            cover = front_matter.get("image")
            cover_text = cover.get("path", "") if isinstance(cover, dict) else cover or ""
            link_uploads(entry, f"{body}\n{cover_text}", self.author)
        return entry

    def store_images(
        self,
        plan: _Plan,
        result: FileResult,
        stored: list[Upload],
        shared: dict[str, Upload | _Stored],
    ) -> tuple[dict[str, str], list[Upload | _Stored]]:
        """Store the images `plan` shows that are not stored yet (into `stored`); returns each
        image path as written -> its upload's URL, and the uploads it shows. `shared`: what
        this import stored already, by asset (two posts that show one image, planned before
        the first was written), and what is stored here is added to it."""
        mapping = {ref: upload.url for ref, upload in plan.reused.items()}
        shown: list[Upload | _Stored] = list(plan.reused.values())
        for ref, asset in plan.to_store.items():
            upload = shared.get(asset)
            if upload is None:
                try:
                    data = self.bundle.assets[asset]
                    upload = store_image(self.author, data, original_name=asset)
                except (ValidationError, AssetError) as exc:
                    reason = (
                        " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                    )
                    result.problems.append(
                        _("The image %(path)s was not imported (%(reason)s); its link is kept.")
                        % {"path": ref, "reason": reason}
                    )
                    continue
                stored.append(upload)
                shared[asset] = upload
            mapping[ref] = upload.url
            shown.append(upload)
        return mapping, shown

    def fill(self, entry: Entry, plan: _Plan, body: str, front_matter: dict[str, Any]) -> None:
        entry.source_name = plan.key
        entry.cohort = self.cohort
        entry.kind = plan.kind
        entry.learning_date = plan.learning_date
        entry.title = plan.title
        entry.body = body
        entry.visibility = plan.visibility
        entry.status = plan.status
        entry.front_matter = encode_front_matter(_with_source(front_matter, plan, body))

    def create_batch(
        self, items: list[_Pending], new_tags: dict[str, Tag], stored: list[list[Upload]]
    ) -> list[Entry]:
        """`write()` for many `_Plan.batched` plans at once: their images stored (each once,
        into `stored`, a list per item), then one INSERT for the entries, one for their tag
        links (so the search trigger runs once for them all) and one for their images' links."""
        plans = [item.plan for item in items]
        entries = []
        shared: dict[str, Upload | _Stored] = dict(self.stored_now)
        links = []
        for item, plan in zip(items, plans, strict=True):
            uploads: list[Upload] = []
            stored.append(uploads)
            mapping, shown = self.store_images(plan, item.result, uploads, shared)
            body = rewrite_image_refs(plan.post.body, mapping)
            entry = Entry(author=self.author)
            self.fill(entry, plan, body, _with_cover(plan.front_matter, plan.cover_ref, mapping))
            entry.derive(self.renders.get(entry.body))
            entries.append(entry)
            links.append(sorted({upload.pk for upload in shown}))
        Entry.objects.bulk_create(entries, batch_size=INSERT_ROWS)
        self.resolve_tags([name for plan in plans for name in plan.post.tags], new_tags)
        TaggedEntry.objects.bulk_create(
            TaggedEntry(content_object=entry, tag=tag)
            for plan, entry in zip(plans, entries, strict=True)
            for tag in self.tags_of(plan.post.tags, new_tags)
        )
        Upload.entries.through.objects.bulk_create(
            Upload.entries.through(upload_id=pk, entry_id=entry.pk)
            for entry, shown in zip(entries, links, strict=True)
            for pk in shown
        )
        invalidation.entries_written(entries)  # bulk inserts send no signals
        return entries

    def resolve_tags(self, names: list[str], new_tags: dict[str, Tag]) -> None:
        """Find or create the tags `names` that are not known yet (into `new_tags`), matched
        case-insensitively as taggit does: one query, and one INSERT per new tag."""
        missing = {
            folded
            for folded in (name.casefold() for name in names)
            if folded not in self.tags and folded not in new_tags
        }
        if not missing:
            return
        query = Q()
        for name in dict.fromkeys(names):
            if name.casefold() in missing:
                query |= Q(name__iexact=name)
        for tag in Tag.objects.filter(query).order_by("pk"):
            new_tags.setdefault(tag.name.casefold(), tag)
        for name in names:
            folded = name.casefold()
            if folded in missing and folded not in new_tags:
                tag = Tag(name=name)
                tag.save()
                new_tags[folded] = tag

    def tags_of(self, names: list[str], new_tags: dict[str, Tag]) -> list[Tag]:
        """The tags of `names` (resolved), in order, each once."""
        wanted = dict.fromkeys(name.casefold() for name in names)
        return [self.tags.get(folded) or new_tags[folded] for folded in wanted]

    def hold_slot(self, plan: _Plan, pk: int) -> None:
        for slots in (self.daily, self.weekly):
            for slot, holder in list(slots.items()):
                if holder == pk:
                    del slots[slot]
        if plan.kind == "daily":
            self.daily[plan.learning_date] = pk
        elif plan.kind == "weekly":
            self.weekly[self.calendar.week_of(plan.learning_date)] = pk


def _label(source: SourceFile) -> str:
    if source.origin.endswith(".zip"):
        return f"{posixpath.basename(source.origin)}:{source.name}"
    return source.name


def _is_local(ref: str) -> bool:
    ref = ref.strip()
    return bool(ref) and not ref.startswith("//") and not re.match(r"^[A-Za-z][\w+.-]*:", ref)


def _cover_path(image: Any) -> str | None:
    if isinstance(image, str):
        return image.strip() or None
    if isinstance(image, dict) and isinstance(image.get("path"), str):
        return image["path"].strip() or None
    return None


def _with_cover(front: dict[str, Any], cover_ref: str | None, mapping: dict[str, str]) -> dict:
    if not cover_ref or cover_ref not in mapping:
        return front
    front = dict(front)
    image = front.get("image")
    if isinstance(image, dict):
        front["image"] = {**image, "path": mapping[cover_ref]}
    else:
        front["image"] = mapping[cover_ref]
    return front


def _with_source(front: dict[str, Any], plan: _Plan, body: str) -> dict[str, Any]:
    """`front` with the file as written and what the entry was made of it (`source`), which
    the export gives back unchanged as long as the entry is (see `logs.transfer.exporter`)."""
    source = plan.post.source
    if source is None:
        return front
    return {
        **front,
        SOURCE_KEY: {
            "encoding": source.encoding,
            "bom": source.bom,
            "head": source.head,
            # Only when the entry's body is not the file's: CRLF lines, rewritten image links.
            "body": source.body if source.body != body else None,
            "state": entry_state(
                title=plan.title,
                tags=plan.post.tags,
                learning_date=plan.learning_date,
                status=plan.status,
                visibility=plan.visibility,
                body=body,
            ),
        },
    }


def _folded(names: Iterable[str]) -> set[str]:
    return {name.casefold() for name in names}


def _kept_front_matter(post: Post, date_text: str | None) -> dict[str, Any]:
    """What `Entry.front_matter` keeps of a post (see the module docstring), decoded."""
    kept: dict[str, Any] = {}
    if date_text:
        kept["date"] = date_text
    if post.categories:
        kept["categories"] = post.categories
    if post.tags:
        kept["tags"] = post.tags
    if post.math is not None:
        kept["math"] = post.math
    if post.image:
        kept["image"] = post.image
    if post.description:
        kept["description"] = post.description
    if post.last_modified_at is not None:
        # As `Post.front_matter()` writes it: `2022-02-16` stays a bare date.
        kept["last_modified_at"] = post.front_matter()["last_modified_at"]
    extra = {key: value for key, value in post.extra.items() if key != KIND_HINT_KEY}
    if extra:
        kept["extra"] = extra
    if post.comments:
        kept["comments"] = post.comments
    return kept
