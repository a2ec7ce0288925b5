"""A learner's entries out as a Jekyll (Chirpy) site: `_posts/*.md` and their images.

The export is what the learner may take with them: all their own entries, private ones and
drafts included (a draft is written with `published: false`). It is deterministic (the same
entries give the same bytes), and it is the inverse of `logs.transfer.importer`: importing an export
into an empty account and exporting again gives the same files.

- Path: `_posts/<the imported file's name>` when the entry was imported (so the blog's
  permalinks stay and importing the export again finds the same entry), else
  `logs.transfer.jekyll.post_path()` from the learning date and the title.
- An imported post (`Entry.front_matter["source"]`) goes back as the file it came from, byte for
  byte, while the entry is as it was imported; once edited, only the keys that changed are set
  in place (`_as_imported`): title, tags, the date's digits, `published`, `visibility`, and
  `math: true` when an edit brought math to a post without a `math:` key.
- An entry written in Camplog (or imported before the file was kept) gets its front matter
  built: `title`, `date` (the timestamp the post was imported with, or when the entry was
  created, in the cohort's offset, if it falls on the learning date; else the learning date
  alone), `categories` (as imported; `[<cohort name>, <kind>]` only for an entry written in
  Camplog), `tags` (as imported when they are still the entry's tags, else the entry's),
  `math` (as the author wrote it, else `true` when there is math), `image`, `description`,
  `visibility`, `published: false` for a draft, `last_modified_at`, every other kept key in its
  order, and the YAML comments. `camplog_kind` is added only when the kind would otherwise be
  guessed wrong on the way back in.
- Images: each upload an entry shows is written once, at the path it was imported from when
  that is a site path (`assets/…`, `images/…`), else at `assets/img/camplog/<key>.<ext>`; the
  links in the body (and the cover `image`) are rewritten to `/<that path>`, unless the post
  goes back as it came (its own links then name those same paths).
- Sessions (optional): a daily log gets its team's sessions of that day appended, as the seed
  post has its peer-session and mentoring summaries.
"""

from __future__ import annotations

import io
import posixpath
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from django.db.models import Case, Prefetch, Q, Value, When

from accounts.models import Cohort
from logs import access
from logs.models import Entry, Session, TaggedEntry, Upload
from logs.transfer.front_matter import KIND_HINT_KEY, SOURCE_KEY, decode_front_matter, entry_state
from logs.transfer.jekyll import (
    Post,
    SourceText,
    dump_post,
    export_front_matter,
    guess_kind,
    image_refs,
    rewrite_image_refs,
    set_keys,
)
from logs.transfer.jekyll import post_path as jekyll_post_path
from logs.uploads import UPLOAD_REF

__all__ = [
    "ASSET_DIR",
    "KIND_CATEGORIES",
    "Export",
    "export_entries",
    "export_entry",
    "export_paths",
    "write_tree",
    "write_zip",
]

ASSET_DIR = "assets/img/camplog"
# The second category of an exported post; English and fixed, so an export does not depend on
# the language of the page it was downloaded from. "Daily Log" and "Weekly Log" are what
# `guess_kind` recognises on the way back in.
KIND_CATEGORIES = {"daily": "Daily Log", "weekly": "Weekly Log", "note": "Note"}
# In the order a day's sessions are inlined, as in the seed: peer session, then mentoring.
SESSION_ICONS = {"peer": "👥", "mentoring": "🏫", "office_hours": "🙋", "lecture": "🎤"}
PROBLEMS_HEADING = "코딩테스트 스터디"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so that the same export gives the same archive

# The name a post was imported under goes back as it was (`2023-1-1-x.md` too: importing the
# export again must find the same entry), as long as it is a safe file name.
_POST_NAME = re.compile(r"[^./\\\x00-\x1f][^/\\\x00-\x1f]*\.(?:md|markdown)", re.I)
_EXTENSIONS = {
    "png": {".png"},
    "jpg": {".jpg", ".jpeg"},
    "gif": {".gif"},
    "webp": {".webp"},
    "avif": {".avif"},
}


@dataclass
class Export:
    files: dict[str, bytes] = field(default_factory=dict)  # path -> bytes
    posts: int = 0
    images: int = 0
    problems: list[str] = field(default_factory=list)

    def paths(self) -> list[str]:
        return sorted(self.files)


def export_entries(author, *, with_sessions: bool = False) -> Export:
    """Every entry `author` wrote, as the files of a Jekyll site."""
    entries = list(_with_export_data(Entry.objects.visible_to(author).filter(author=author)))
    cohorts = {
        cohort.pk: cohort
        for cohort in Cohort.objects.filter(
            pk__in={entry.cohort_id for entry in entries}
        ).prefetch_related("non_learning_days", "stages")
    }
    sessions = _sessions_by_day(author) if with_sessions else {}

    export = Export()
    assets = _AssetPaths()
    paths = export_paths(entries)

    for entry in entries:
        day_sessions = (
            sessions.get((entry.cohort_id, entry.learning_date), [])
            if entry.kind == Entry.Kind.DAILY
            else []
        )
        export.files[paths[entry.pk]] = _post_file(
            entry, cohorts[entry.cohort_id], assets, day_sessions
        )
        export.posts += 1

    for path, upload in assets.used.items():
        try:
            with upload.file.open("rb") as fp:
                export.files[path] = fp.read()
        except OSError:
            export.problems.append(f"{path}: the stored image could not be read")
            continue
        export.images += 1
    export.files = dict(sorted(export.files.items()))
    return export


def export_entry(entry: Entry) -> tuple[str, bytes]:
    """One entry as the export writes it (file name, bytes), for downloading it on its own."""
    entry = _with_export_data(Entry.objects.filter(pk=entry.pk)).select_related("cohort").get()
    siblings = Entry.objects.filter(author_id=entry.author_id).only(
        "pk", "source_name", "learning_date", "title"
    )
    path = export_paths(siblings.order_by(*EXPORT_ORDER))[entry.pk]
    return posixpath.basename(path), _post_file(entry, entry.cohort, _AssetPaths(), [])


def _with_export_data(entries):
    return entries.prefetch_related(
        Prefetch(
            "taggedentry_set",
            queryset=TaggedEntry.objects.select_related("tag").order_by("pk"),
        ),
        Prefetch("uploads", queryset=Upload.objects.order_by("created_at", "pk")),
    ).order_by(*EXPORT_ORDER)


def _post_file(
    entry: Entry, cohort: Cohort, assets: _AssetPaths, day_sessions: list[Session]
) -> bytes:
    uploads = {upload.key: upload for upload in entry.uploads.all()}
    for session in day_sessions:
        uploads.update((upload.key, upload) for upload in session.uploads.all())
    sessions_text = "".join(_session_text(s) for s in day_sessions)
    kept = decode_front_matter(entry.front_matter)
    source = kept.get(SOURCE_KEY)
    if entry.source_name and isinstance(source, dict) and isinstance(source.get("state"), dict):
        return _as_imported(entry, kept, source, uploads, assets, sessions_text)
    body = entry.body
    if sessions_text:
        body = body.rstrip("\n") + "\n" + sessions_text
    body = rewrite_image_refs(body, _upload_links(body, uploads, assets))
    front, comments = _front_matter(entry, cohort, body, uploads, assets)
    return dump_post(front, body, comments).encode()


def _as_imported(
    entry: Entry,
    kept: dict[str, Any],
    source: dict[str, Any],
    uploads: dict[str, Upload],
    assets: _AssetPaths,
    sessions_text: str,
) -> bytes:
    """The file the entry was imported from: byte for byte while the entry is as it was
    imported, else with only the keys that changed (title, tags, date, draft, visibility, and
    `math: true` for new math) set in place, and the body as it is now."""
    text = SourceText(
        encoding=source.get("encoding") or "utf-8",
        bom=bool(source.get("bom")),
        head=source.get("head") or "",
        body=source.get("body") if source.get("body") is not None else entry.body,
    )
    was = source["state"]
    names = [item.tag.name for item in entry.taggedentry_set.all()]
    now = entry_state(
        title=entry.title,
        tags=names,
        learning_date=entry.learning_date,
        status=entry.status,
        visibility=entry.visibility,
        body=entry.body,
    )
    links = _upload_links(entry.body, uploads, assets)
    _cover(kept.get("image"), uploads, assets)
    # The file's own links hold while every image goes back to the path it came from.
    links_hold = all(
        path == "/" + (_site_path(uploads[UPLOAD_REF.fullmatch(ref.strip()).group(1)]) or "")
        for ref, path in links.items()
    )
    body: str | None = None
    if now["body"] != was["body"] or not links_hold or sessions_text:
        body = entry.body
        if sessions_text:
            body = body.rstrip("\n") + "\n" + sessions_text
        body = rewrite_image_refs(body, _upload_links(body, uploads, assets))
        body = body.replace("\n", text.newline) if text.newline != "\n" else body
    head: str | None = None
    if now != {**was, "body": now["body"]} or (body is not None and _needs_math(entry, kept)):
        values: dict[str, Any] = {}
        if now["title"] != was["title"]:
            values["title"] = entry.title
        if now["tags"] != was["tags"]:
            written = kept.get("tags") if isinstance(kept.get("tags"), list) else []
            only_tag = re.search(r"^tag[ \t]*:", text.head, re.M) and not re.search(
                r"^tags[ \t]*:", text.head, re.M
            )
            values["tag" if only_tag else "tags"] = (
                written if _folded(written) == _folded(names) else names
            )
        if now["status"] != was["status"]:
            values["published"] = entry.status == Entry.Status.PUBLISHED
        if now["visibility"] != was["visibility"]:
            values["visibility"] = entry.visibility
        if body is not None and _needs_math(entry, kept):
            values["math"] = True
        moved = None
        if now["learning_date"] != was["learning_date"]:
            moved = _moved_date(kept.get("date"), was["learning_date"], entry.learning_date)
        comments = kept.get("comments") if isinstance(kept.get("comments"), dict) else {}
        head = set_keys(text.head or "---\n---\n", values, comments=comments, moved_date=moved)
    return text.encode(head=head, body=body)


def _needs_math(entry: Entry, kept: dict[str, Any]) -> bool:
    """An edit brought math into a post whose author wrote no `math:` key."""
    return entry.has_math and "math" not in kept


def _moved_date(written: Any, was: str, now: date) -> date:
    """The date to write for an entry moved from learning day `was` to `now`: the written
    date moved by as many days (its time and offset stay), or `now` when none was written."""
    moment = _parse_moment(written)
    if moment is None:
        return now
    day = moment.date() if isinstance(moment, datetime) else moment
    return day + (now - date.fromisoformat(was))


def _folded(names: Iterable[str]) -> set[str]:
    return {name.casefold() for name in names}


def export_paths(entries: Iterable[Entry]) -> dict[int, str]:
    """Entry pk -> its path in the export, for one author's entries in export order
    (learning date, creation, pk). Needs only `pk`, `source_name`, `learning_date`, `title`."""
    entries = list(entries)
    paths: dict[int, str] = {}
    taken: set[str] = set()
    for entry in entries:
        name = entry.source_name
        if name and _POST_NAME.fullmatch(name) and f"_posts/{name}" not in taken:
            paths[entry.pk] = f"_posts/{name}"
            taken.add(paths[entry.pk])
    for entry in entries:
        if entry.pk not in paths:
            paths[entry.pk] = jekyll_post_path(entry.learning_date, entry.title, taken=taken)
            taken.add(paths[entry.pk])
    return paths


EXPORT_ORDER = ("learning_date", "created_at", "pk")


class _AssetPaths:
    """Where each upload goes in the export: one path per upload, never two uploads on one."""

    def __init__(self) -> None:
        self.by_key: dict[str, str] = {}
        self.used: dict[str, Upload] = {}

    def path(self, upload: Upload) -> str:
        if upload.key in self.by_key:
            return self.by_key[upload.key]
        path = _site_path(upload)
        if path is None or path in self.used:
            path = f"{ASSET_DIR}/{upload.key}.{upload.extension}"
        self.by_key[upload.key] = path
        self.used[path] = upload
        return path


def _site_path(upload: Upload) -> str | None:
    """The path an imported image had in its Jekyll site (`assets/…`, `images/…`), if it is a
    safe one outside the site's own folders (`_posts/`, `_site/`…)."""
    name = unicodedata.normalize("NFC", upload.original_name or "")
    parts = name.split("/")
    if (
        len(parts) < 2
        or parts[0].startswith("_")
        or any(part in ("", ".", "..") or part.startswith(".") for part in parts)
        or re.search(r"[\x00-\x1f\x7f\\]", name)
        or len(name.encode()) > 240
        or posixpath.splitext(name.lower())[1] not in _EXTENSIONS.get(upload.extension, set())
    ):
        return None
    return name


def _upload_links(body: str, uploads: dict[str, Upload], assets: _AssetPaths) -> dict[str, str]:
    mapping = {}
    for ref in image_refs(body):
        match = UPLOAD_REF.fullmatch(ref.strip())
        if match and match.group(1) in uploads:
            mapping[ref] = "/" + assets.path(uploads[match.group(1)])
    return mapping


def _front_matter(
    entry: Entry,
    cohort: Cohort,
    body: str,
    uploads: dict[str, Upload],
    assets: _AssetPaths,
) -> tuple[dict[Any, Any], dict[str, Any]]:
    kept = decode_front_matter(entry.front_matter)
    zone = ZoneInfo(cohort.time_zone)
    names = [item.tag.name for item in entry.taggedentry_set.all()]
    written = kept.get("tags") if isinstance(kept.get("tags"), list) else None
    if written is not None and {t.casefold() for t in written} == {t.casefold() for t in names}:
        tags = written
    else:
        tags = names
    # An imported post keeps the categories its author wrote, and only those.
    categories = kept.get("categories") or (
        [] if entry.source_name else [cohort.name, KIND_CATEGORIES[entry.kind]]
    )
    extra = kept.get("extra") if isinstance(kept.get("extra"), dict) else {}
    extra = {key: value for key, value in extra.items() if key != KIND_HINT_KEY}
    image = _cover(kept.get("image"), uploads, assets)
    title = entry.title
    # Would the way back in guess this kind? If not, say it (a note titled like a daily log).
    probe = Post(
        source_name="",
        title=title,
        date=None,
        date_has_time=False,
        categories=list(categories),
        tags=list(tags),
        math=None,
        image=None,
        description=None,
        published=True,
        visibility=None,
        last_modified_at=None,
        extra={},
        body=body,
    )
    if guess_kind(probe) != entry.kind:
        extra[KIND_HINT_KEY] = entry.kind
    front = export_front_matter(
        title=title,
        date=_export_date(entry, cohort, kept.get("date")),
        tz=zone,
        categories=categories,
        tags=tags,
        # As the author wrote it (`math: false` too); else only where there is math.
        math=kept["math"] if isinstance(kept.get("math"), bool) else (entry.has_math or None),
        image=image,
        description=kept.get("description"),
        visibility=entry.visibility,
        published=entry.status == Entry.Status.PUBLISHED,
        last_modified_at=_parse_moment(kept.get("last_modified_at")),
        extra=extra,
    )
    comments = kept.get("comments") if isinstance(kept.get("comments"), dict) else {}
    return front, comments


def _cover(image: Any, uploads: dict[str, Upload], assets: _AssetPaths) -> Any:
    path = image.get("path") if isinstance(image, dict) else image
    if not isinstance(path, str):
        return image
    match = UPLOAD_REF.fullmatch(path.strip())
    if not match or match.group(1) not in uploads:
        return image
    new = "/" + assets.path(uploads[match.group(1)])
    return {**image, "path": new} if isinstance(image, dict) else new


def _export_date(entry: Entry, cohort: Cohort, written: Any) -> datetime | date:
    """The post's timestamp if it still falls on the learning date, else when it was created,
    else the learning date alone (which Jekyll accepts as well)."""
    calendar = cohort.calendar
    moment = _parse_moment(written)
    if (
        isinstance(moment, datetime)
        and moment.tzinfo is not None
        and calendar.learning_date(moment) == entry.learning_date
    ):
        return moment
    created = entry.created_at
    if created is not None and calendar.learning_date(created) == entry.learning_date:
        return created.replace(microsecond=0)
    return entry.learning_date


_MOMENT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2})(?:\.(\d{6}))?(?: ([+-])(\d{2})(\d{2}))?)?"
)


def _parse_moment(text: Any) -> datetime | date | None:
    """Read back what `logs.transfer.jekyll.format_datetime` (or `date.isoformat`) wrote."""
    if not isinstance(text, str):
        return None
    match = _MOMENT.fullmatch(text.strip())
    if not match:
        return None
    y, mo, d, h, mi, s, frac, sign, oh, om = match.groups()
    try:
        if h is None:
            return date(int(y), int(mo), int(d))
        moment = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), int(frac or 0))
    except ValueError:
        return None
    if sign:
        offset = timedelta(hours=int(oh), minutes=int(om))
        moment = moment.replace(tzinfo=timezone(-offset if sign == "-" else offset))
    return moment


# --- Sessions ------------------------------------------------------------------------------------


def _sessions_by_day(author) -> dict[tuple[int, date], list[Session]]:
    """The author's team sessions (and cohort sessions they attended), by cohort and date."""
    teams = access.roles(author).teams
    sessions = (
        Session.objects.visible_to(author)
        .filter(Q(team_id__in=teams) | Q(attendees=author))
        .distinct()
        .prefetch_related(
            "problems",
            "questions",
            Prefetch("uploads", queryset=Upload.objects.order_by("created_at", "pk")),
        )
        .annotate(
            kind_order=Case(
                *(When(kind=kind, then=Value(i)) for i, kind in enumerate(SESSION_ICONS)),
                default=Value(len(SESSION_ICONS)),
            )
        )
        .order_by("date", "kind_order", "pk")
    )
    by_day: dict[tuple[int, date], list[Session]] = defaultdict(list)
    for session in sessions:
        by_day[(session.cohort_id, session.date)].append(session)
    return by_day


def _session_text(session: Session) -> str:
    icon = SESSION_ICONS.get(session.kind, "📌")
    parts = [f"\n<br>\n\n## **{icon} {_one_line(session.title)}**\n"]
    if session.summary.strip():
        parts.append(session.summary.replace("\r\n", "\n").rstrip("\n") + "\n")
    problems = list(session.problems.all())
    if problems:
        parts.append(f"\n### **{PROBLEMS_HEADING}**\n")
        for problem in problems:
            title = _one_line(problem.title)
            parts.append(f"- [{title}]({problem.url})\n" if problem.url else f"- {title}\n")
    questions = list(session.questions.all())
    if questions:
        parts.append("\n")
        for question in questions:
            parts.append(f"{question.number}. **{_one_line(question.question)}**\n")
            for line in question.answer.replace("\r\n", "\n").strip("\n").split("\n"):
                parts.append(f"    {line}\n" if line.strip() else "\n")
    return "".join(parts)


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- Writing -------------------------------------------------------------------------------------


def write_zip(export: Export, fileobj: BinaryIO | None = None) -> BinaryIO:
    """The export as a .zip (into `fileobj`, or a new in-memory file), rewound to the start."""
    out: BinaryIO = fileobj if fileobj is not None else io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in export.paths():
            info = zipfile.ZipInfo(path, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, export.files[path])
    out.seek(0)
    return out


def write_tree(export: Export, root: str | Path) -> list[Path]:
    """Write the export's files under `root` (created if needed); returns the paths written."""
    base = Path(root).resolve()
    written = []
    for path in export.paths():
        target = (base / path).resolve()
        if not target.is_relative_to(base):  # paths are built here, but never trust a name
            raise ValueError(f"{path} would leave {base}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(export.files[path])
        written.append(target)
    return written
