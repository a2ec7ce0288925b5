"""Jekyll (Chirpy) posts in and out: pure functions, bytes and text in, values out.

This module knows no model and no database. The import command reads files through
`logs.transfer.sources`, calls `parse_post()` on each, and maps the `Post` onto an entry; the export
command builds the front matter with `export_front_matter()`, writes it with `dump_post()` under
`post_path()`. The two directions are inverses: `parse_post(name, dump_post(front, body))` gives
back the values of `front`, and dumping a parsed post a second time gives the same bytes.

Decisions worth knowing before using it:

- Dates are read from the *text* of the front matter, never through PyYAML's timestamp type,
  which converts `2022-02-09 22:40:00 +0900` to naive UTC and loses the writer's wall time.
  A date with a zone is an aware datetime with that fixed offset; a time without a zone is a
  naive datetime (the caller reads it in the cohort's time zone); a date alone is a naive
  datetime at 00:00 with `date_has_time=False` — the caller must then use `post.date.date()` as
  the learning date and must not apply the late-night cut-off to it. No `date:` key: the date
  comes from the file name's `YYYY-MM-DD-` prefix, again with `date_has_time=False`.
- Only UTF-8 (with or without BOM) and UTF-16/UTF-32 with a BOM are read. A CP949/EUC-KR file
  is recognised and refused with the fix in the message, rather than decoded on a guess.
- YAML comments are presentation, not values: they are kept in `Post.comments` (full-line
  comments above a key, the comment at the end of a key's line, comments after the last key) so
  that an export writes them back, but comments *inside* a nested value are moved above the next
  top-level key, and they do not take part in `Post` equality.
"""

from __future__ import annotations

import codecs
import html
import posixpath
import re
import unicodedata
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, timezone, tzinfo
from datetime import date as date_
from typing import Any, Literal, TypedDict

import yaml
from django.utils.translation import gettext as _

__all__ = [
    "MAX_POST_BYTES",
    "OWN_KEYS",
    "VISIBILITIES",
    "KeyComments",
    "Kind",
    "Post",
    "PostError",
    "SourceText",
    "dump_post",
    "export_front_matter",
    "format_datetime",
    "guess_kind",
    "heading_title",
    "image_refs",
    "parse_post",
    "post_path",
    "rewrite_image_refs",
    "set_keys",
]

MAX_POST_BYTES = 1024 * 1024
VISIBILITIES = ("private", "cohort", "public")
SLUG_MAX_BYTES = 100
# The keys `Post` has a field for; every other front-matter key is kept in `Post.extra`.
OWN_KEYS = frozenset(
    {
        "title",
        "date",
        "categories",
        "category",
        "tags",
        "tag",
        "math",
        "image",
        "description",
        "published",
        "visibility",
        "last_modified_at",
    }
)

Kind = Literal["daily", "weekly", "note"]


class PostError(ValueError):
    """A file that cannot be imported; str() is a clear, user-facing reason, in the active
    language (Korean on the import page; English in `manage.py import_jekyll`).

    The message does not repeat the file name (the caller shows it); `line` is the line of the
    file the problem is on, when there is one.
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        super().__init__(
            _("line %(line)d: %(message)s") % {"line": line, "message": message}
            if line
            else message
        )


class KeyComments(TypedDict, total=False):
    """The YAML comments attached to one top-level front-matter key (JSON-friendly)."""

    above: list[str]  # full-line comments on the lines just above the key, each "# ..."
    inline: str  # the comment at the end of the key's line, as written with the spaces before it
    below: list[str]  # full-line comments after the key (only for the last key of the block)


@dataclass
class SourceText:
    """A post's file as it was written, so that an export can give it back byte for byte: the
    encoding and byte-order mark, the front matter block (its `---` lines included; "" when the
    file has none) and the body, both with their own line endings (JSON-friendly)."""

    encoding: str
    bom: bool
    head: str
    body: str

    @property
    def newline(self) -> str:
        return "\r\n" if "\r\n" in (self.head or self.body) else "\n"

    def encode(self, head: str | None = None, body: str | None = None) -> bytes:
        """The file, with `head` or `body` in place of the ones written when given."""
        text = (self.head if head is None else head) + (self.body if body is None else body)
        bom = next((b for b, codec, _label in _BOMS if codec == self.encoding), b"")
        return (bom if self.bom else b"") + text.encode(self.encoding)


@dataclass
class Post:
    """One imported file. Two posts are equal when their values are; comments do not count."""

    source_name: str  # the file name as given, e.g. "_posts/2022-02-09-week04-day015.md"
    title: str | None  # None without front matter (see `heading_title()` for Notion pages)
    date: datetime | None  # aware if the zone was written, else naive; see the module docstring
    date_has_time: bool  # False for `date: 2022-02-09` and for a date taken from the file name
    categories: list[str]  # flattened, in order, without repeats
    tags: list[str]  # flattened, in order, without repeats
    math: bool | None  # None when the key is absent
    image: str | dict[str, Any] | None  # a path, or Chirpy's mapping (path, alt, lqip) as given
    description: str | None
    published: bool  # `published: false` means a draft
    visibility: str | None  # one of VISIBILITIES, or None when absent (the caller's default)
    last_modified_at: datetime | None
    extra: dict[Any, Any]  # every other key, in file order (plain YAML values; dates as text)
    body: str  # exactly as written, with `\n` line endings and without a BOM
    comments: dict[str, KeyComments] = field(default_factory=dict, compare=False)
    source: SourceText | None = field(default=None, compare=False)  # None if it cannot be split

    def front_matter(self) -> dict[Any, Any]:
        """The front matter that writes this post back: `dump_post(p.front_matter(), p.body)`."""
        if self.date is None:
            when: datetime | date_ | None = None
        else:
            when = self.date if self.date_has_time else self.date.date()
        modified: datetime | date_ | None = self.last_modified_at
        if modified is not None and modified.tzinfo is None and modified.time() == time():
            modified = modified.date()  # `last_modified_at: 2022-02-16` stays a bare date
        return _front(
            title=self.title,
            date=when,
            tz=None,
            categories=self.categories,
            tags=self.tags,
            math=self.math,  # an explicit `math: false` is written back as it was
            image=self.image,
            description=self.description,
            visibility=self.visibility,
            published=self.published,
            last_modified_at=modified,
            extra=self.extra,
        )

    def dump(self) -> str:
        return dump_post(self.front_matter(), self.body, self.comments)


# --------------------------------------------------------------------------------------------
# Reading


def parse_post(source_name: str, data: bytes) -> Post:
    """Parse one Markdown file with optional Jekyll front matter; raise PostError if unusable."""
    raw, encoding, bom = _decode(data)
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    front_text, body, front_line = _split_front_matter(text)
    if front_text is None:
        front: dict[Any, Any] = {}
        key_lines: dict[Any, int] = {}
        comments: dict[str, KeyComments] = {}
    else:
        front, key_lines, comments = _load_front_matter(front_text, front_line)

    def line(key: str) -> int | None:
        return key_lines.get(key)

    raw_date = front.get("date")
    if raw_date is None or raw_date == "":
        when, has_time = _date_from_name(source_name), False
    else:
        when, has_time = _to_datetime(raw_date, "date", line("date"))
    raw_modified = front.get("last_modified_at")
    modified = None
    if raw_modified is not None and raw_modified != "":
        modified = _to_datetime(raw_modified, "last_modified_at", line("last_modified_at"))[0]

    return Post(
        source_name=source_name,
        title=_text(front.get("title"), "title", line("title")),
        date=when,
        date_has_time=has_time,
        # Jekyll accepts the singular keys too; both spellings end up in one list.
        categories=_unique(
            _names(front.get("categories"), "categories", line("categories"), split_spaces=False)
            + _names(front.get("category"), "category", line("category"), split_spaces=False)
        ),
        tags=_unique(
            _names(front.get("tags"), "tags", line("tags"), split_spaces=True)
            + _names(front.get("tag"), "tag", line("tag"), split_spaces=True)
        ),
        math=_flag(front.get("math"), "math", line("math"), default=None),
        image=_image(front.get("image"), line("image")),
        description=_text(front.get("description"), "description", line("description")),
        published=_flag(front.get("published"), "published", line("published"), default=True),
        visibility=_visibility(front.get("visibility"), line("visibility")),
        last_modified_at=modified,
        extra={key: value for key, value in front.items() if key not in OWN_KEYS},
        body=body,
        comments=comments,
        source=_source_text(raw, encoding, bom, text, body),
    )


_RAW_OPEN = re.compile(r"---[ \t]*\r?\n")
_RAW_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.M)


def _source_text(raw: str, encoding: str, bom: bool, text: str, body: str) -> SourceText | None:
    """The file split as `_split_front_matter` split its normalised text, or None when the
    two splits would not agree (lone `\r` line endings)."""
    head = ""
    opening = _RAW_OPEN.match(raw)
    if opening and len(body) < len(text):
        closing = _RAW_CLOSE.search(raw, opening.end())
        if closing is None:
            return None
        head = raw[: closing.end()]
    source = SourceText(encoding=encoding, bom=bom, head=head, body=raw[len(head) :])
    if source.body.replace("\r\n", "\n").replace("\r", "\n") != body:
        return None
    return source


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
_HANGUL_SYLLABLE = re.compile(r"[\uac00-\ud7a3]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _decode(data: bytes) -> tuple[str, str, bool]:
    """(the text as written, its codec, whether it starts with a byte-order mark)."""
    if not data:
        raise PostError(_("the file is empty"))
    if len(data) > MAX_POST_BYTES:
        raise PostError(
            _("the file is %(size).1f MB; posts larger than %(limit)d MB are not imported")
            % {"size": len(data) / 1024 / 1024, "limit": MAX_POST_BYTES // 1024 // 1024}
        )
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise PostError(
                    _(
                        "the file starts with a %(encoding)s byte-order mark but is not valid "
                        "%(encoding)s (byte %(byte)d)"
                    )
                    % {"encoding": label, "byte": exc.start + len(bom)}
                ) from None
            bom = True
            break
    else:
        bom, codec = False, "utf-8"
        if b"\x00" in data:
            raise PostError(_("this is a binary file (it contains NUL bytes), not a Markdown post"))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _not_utf8(data, exc) from None
    if "\x00" in text:
        raise PostError(
            _("this is a binary file (it contains NUL characters), not a Markdown post")
        )
    controls = len(_CONTROL.findall(text[:4096]))
    if controls > 8 and controls * 20 > len(text[:4096]):
        raise PostError(_("this looks like a binary file (many control characters), not Markdown"))
    if not text.strip():
        raise PostError(_("the file is empty"))
    return text, codec, bom


def _not_utf8(data: bytes, exc: UnicodeDecodeError) -> PostError:
    line = data[: exc.start].count(b"\n") + 1
    try:
        korean = data.decode("cp949")
    except UnicodeDecodeError:
        korean = None
    if korean is not None:
        non_ascii = [ch for ch in korean if ord(ch) > 0x7F]
        hangul = len(_HANGUL_SYLLABLE.findall(korean))
        if non_ascii and hangul * 2 >= len(non_ascii):
            return PostError(
                _(
                    "the file is encoded in CP949/EUC-KR (Korean Windows), not UTF-8; save it as "
                    "UTF-8 (e.g. `iconv -f cp949 -t utf-8 FILE`) and import it again"
                ),
                line=line,
            )
    return PostError(
        _(
            "the file is not UTF-8 text (byte 0x%(byte)02x cannot be read); save it as UTF-8 and "
            "import it again"
        )
        % {"byte": data[exc.start]},
        line=line,
    )


_OPEN = re.compile(r"---[ \t]*\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.M)


def _split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter text or None, body, file line where the front matter text starts)."""
    opening = _OPEN.match(text)
    if not opening:
        return None, text, 0
    closing = _CLOSE.search(text, opening.end())
    if not closing:
        raise PostError(
            _(
                "the front matter opened with `---` on line 1 is never closed "
                "(add a line `---` after the last `key: value` line)"
            ),
            line=1,
        )
    return text[opening.end() : closing.start()], text[closing.end() :], 2


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as text and refuses anchors and aliases.

    Timestamps stay strings so that `_to_datetime` sees the zone as written. Aliases are refused
    because nothing in a post needs them and they let a few lines expand to a huge value.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (`*name`) are not supported", event.start_mark
            )
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None, None, "anchors (`&name`) are not supported", event.start_mark
            )
        return super().compose_node(parent, index)


_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_constructor(_TIMESTAMP_TAG, yaml.SafeLoader.construct_yaml_str)


def _load_front_matter(
    front_text: str, first_line: int
) -> tuple[dict[Any, Any], dict[Any, int], dict[str, KeyComments]]:
    try:
        loader = _Loader(front_text)
    except yaml.YAMLError as exc:  # the reader refuses control characters up front
        raise _yaml_error(exc, front_text, first_line) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}, {}
        if not isinstance(node, yaml.MappingNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
            raise PostError(
                _("the front matter must be `key: value` lines, but it is %(kind)s")
                % {"kind": kind},
                line=node.start_mark.line + first_line,
            )
        keys: list[tuple[Any, yaml.Node]] = []
        seen: dict[Any, int] = {}
        for key_node, _value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                continue  # construct_document reports unhashable keys with their position
            key_line = key_node.start_mark.line + first_line
            if key in seen:
                raise PostError(
                    _(
                        "the key `%(key)s` appears twice in the front matter (lines %(first)s "
                        "and %(second)s); keep one"
                    )
                    % {"key": key, "first": seen[key], "second": key_line},
                    line=key_line,
                )
            seen[key] = key_line
            keys.append((key, key_node))
        loader.constructed_objects = {}
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, front_text, first_line) from None
    finally:
        loader.dispose()
    comments = _extract_comments(front_text, [(str(k), n.start_mark.index) for k, n in keys])
    return data, seen, comments


def _yaml_error(exc: yaml.YAMLError, front_text: str, first_line: int) -> PostError:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        what = exc.problem or "invalid YAML"
        if exc.context:
            context = exc.context
            if exc.context_mark is not None and exc.context_mark.line != mark.line:
                context += f" started on line {exc.context_mark.line + first_line}"
            what = f"{context}: {what}"
        return PostError(
            _("the front matter is not valid YAML (column %(column)d): %(problem)s")
            % {"column": mark.column + 1, "problem": what},
            line=mark.line + first_line,
        )
    if isinstance(exc, yaml.reader.ReaderError):
        line = front_text[: exc.position].count("\n") + first_line
        return PostError(
            _("the front matter contains a character YAML does not allow (%(character)r)")
            % {"character": exc.character},
            line=line,
        )
    return PostError(_("the front matter is not valid YAML: %(problem)s") % {"problem": exc})


def _extract_comments(text: str, keys: list[tuple[str, int]]) -> dict[str, KeyComments]:
    """Attach each YAML comment to a top-level key, from the gaps between scanner tokens.

    Everything between two tokens is whitespace or a comment, so this never mistakes a `#`
    inside a quoted value for a comment.
    """
    if not keys or "#" not in text:
        return {}
    found: list[tuple[int, str, bool]] = []  # (index, comment, on a line of its own)
    position = 0
    for token in yaml.scan(text, Loader=_Loader):
        start, end = token.start_mark.index, token.end_mark.index
        if start > position:
            for match in re.finditer(r"#[^\n]*", text[position:start]):
                index = position + match.start()
                line_start = text.rfind("\n", 0, index) + 1
                if not text[line_start:index].strip():
                    found.append((index, match.group().rstrip(), True))
                else:
                    spaces = index
                    while spaces > position and text[spaces - 1] in " \t":
                        spaces -= 1
                    found.append((index, text[spaces:index] + match.group().rstrip(), False))
        position = max(position, end)

    comments: dict[str, KeyComments] = {}
    for index, comment, own_line in found:
        if own_line:
            after = next((name for name, at in keys if at > index), None)
            if after is None:
                comments.setdefault(keys[-1][0], {}).setdefault("below", []).append(comment)
            else:
                comments.setdefault(after, {}).setdefault("above", []).append(comment)
        else:
            owner = next((name for name, at in reversed(keys) if at <= index), keys[0][0])
            slot = comments.setdefault(owner, {})
            slot["inline"] = slot.get("inline", "") + comment
    return comments


def _text(value: Any, key: str, line: int | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        raise PostError(
            _("`%(key)s` must be text, not a %(kind)s") % {"key": key, "kind": _kind_of(value)},
            line=line,
        )
    if isinstance(value, bool):
        value = "true" if value else "false"
    return str(value) if str(value) != "" else None


def _kind_of(value: Any) -> str:
    return {list: "list", dict: "mapping"}.get(type(value), type(value).__name__)


_EXAMPLE = "2022-02-09 22:40:00 +0900"

_DATE_RE = re.compile(
    r"""(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})
    (?:(?:[Tt]|[ \t]+)
       (?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d{1,9}))?)?
       [ \t]*(?P<tz>[Zz]|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?
    )?""",
    re.X,
)


def _to_datetime(value: Any, key: str, line: int | None) -> tuple[datetime, bool]:
    """A front-matter date as (datetime, has a time); accepts text, date or datetime values."""
    if isinstance(value, datetime):
        return value, True
    if isinstance(value, date_):
        return datetime.combine(value, time()), False
    not_a_date = _(
        "`%(key)s: %(value)s` is not a date (expected e.g. `2022-02-09` or `%(example)s`)"
    )
    if not isinstance(value, str):
        raise PostError(not_a_date % {"key": key, "value": value, "example": _EXAMPLE}, line=line)
    match = _DATE_RE.fullmatch(value.strip())
    if not match:
        raise PostError(not_a_date % {"key": key, "value": value, "example": _EXAMPLE}, line=line)
    parts = match.groupdict()
    try:
        day = date_(int(parts["y"]), int(parts["m"]), int(parts["d"]))
        if parts["H"] is None:
            return datetime.combine(day, time()), False
        fraction = (parts["f"] or "").ljust(6, "0")[:6]
        moment = datetime.combine(
            day,
            time(int(parts["H"]), int(parts["M"]), int(parts["S"] or 0), int(fraction or 0)),
        )
    except ValueError as exc:
        raise PostError(
            _("`%(key)s: %(value)s` is not a valid date (%(problem)s)")
            % {"key": key, "value": value, "problem": exc},
            line=line,
        ) from None
    zone = parts["tz"]
    if zone:
        moment = moment.replace(tzinfo=_zone(zone, key, value, line))
    return moment, True


def _zone(text: str, key: str, value: str, line: int | None) -> tzinfo:
    if text in ("Z", "z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    if hours > 23 or minutes > 59:
        raise PostError(
            _("`%(key)s: %(value)s` has an impossible time zone offset")
            % {"key": key, "value": value},
            line=line,
        )
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


_NAME_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})-")


def _date_from_name(source_name: str) -> datetime | None:
    match = _NAME_DATE.match(posixpath.basename(source_name.replace("\\", "/")))
    if not match:
        return None
    try:
        return datetime(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _names(value: Any, key: str, line: int | None, *, split_spaces: bool) -> list[str]:
    """Categories or tags: a list (nested lists flattened in order) or a string.

    A tags string is split on commas, or on spaces when it has no comma, as Jekyll does. A
    categories string is split on commas only, because Korean category names contain spaces
    ("부스트캠프 AI Tech 3기").
    """
    if value is None:
        return []
    if isinstance(value, list):
        return _flatten(value, key, line)
    text = _scalar_text(value, key, line)
    if "," in text:
        parts = text.split(",")
    elif split_spaces:
        parts = text.split()
    else:
        parts = [text]
    return [part.strip() for part in parts if part.strip()]


def _flatten(items: list[Any], key: str, line: int | None) -> list[str]:
    names: list[str] = []
    for item in items:
        if isinstance(item, list):
            names.extend(_flatten(item, key, line))
        elif item is not None and _scalar_text(item, key, line).strip():
            names.append(_scalar_text(item, key, line).strip())
    return names


def _scalar_text(value: Any, key: str, line: int | None) -> str:
    if isinstance(value, (dict, set)):
        raise PostError(
            _("`%(key)s` must be a list or text, not a mapping") % {"key": key}, line=line
        )
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def _flag(value: Any, key: str, line: int | None, default: bool | None) -> Any:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if str(value).strip().lower() in _TRUE:
        return True
    if str(value).strip().lower() in _FALSE:
        return False
    raise PostError(
        _("`%(key)s: %(value)s` must be true or false") % {"key": key, "value": value}, line=line
    )


def _image(value: Any, line: int | None) -> str | dict[str, Any] | None:
    if value is None or value == "":
        return None
    if isinstance(value, (str, dict)):
        return value
    raise PostError(
        _("`image` must be a path or a mapping with `path:`, not a %(kind)s")
        % {"kind": _kind_of(value)},
        line=line,
    )


def _visibility(value: Any, line: int | None) -> str | None:
    if value is None or value == "":
        return None
    normalized = str(value).strip().lower()
    if normalized not in VISIBILITIES:
        raise PostError(
            _("`visibility: %(value)s` is not one of %(choices)s")
            % {"value": value, "choices": ", ".join(VISIBILITIES)},
            line=line,
        )
    return normalized


# --------------------------------------------------------------------------------------------
# Kinds

_DAY_IN_TITLE = re.compile(
    r"\[\s*week\s*\d+\s*[/|,·-]?\s*day\s*\d+\s*\]|\bweek\s*\d+\W*day\s*\d+|\d+\s*주차\s*\d+\s*일차",
    re.I,
)
_WEEK_IN_TITLE = re.compile(r"\[\s*week\s*\d+\s*\]|\[\s*\d+\s*주차\s*\]", re.I)
_DAILY_WORDS = re.compile(r"daily[\s_-]*log|\bdaily\b|학습\s*기록|일일\s*회고", re.I)
_WEEKLY_WORDS = re.compile(r"weekly[\s_-]*log|\bweekly\b|주간\s*회고|주간\s*학습\s*정리", re.I)


_HEADING = re.compile(r"\A\s*#[ \t]+(.+?)[ \t#]*$", re.M)


def heading_title(body: str) -> str | None:
    """The `# Title` a body opens with, as in a Notion export that has no front matter."""
    match = _HEADING.match(body)
    return match.group(1).strip() if match else None


def guess_kind(post: Post) -> Kind:
    """Daily log, weekly log or note, from the title, then the tags, then the categories.

    A post without a title (a Notion export) is judged by the `# heading` its body opens with.

    The first source that points at exactly one kind decides; a text that names both kinds
    ("Daily & Weekly Log", Chirpy's usual category) counts for neither, and a paper review that
    names none is a note.
    """
    title = post.title or heading_title(post.body) or ""
    if _DAY_IN_TITLE.search(title):
        return "daily"
    if _WEEK_IN_TITLE.search(title):
        return "weekly"
    for texts in ([title], post.tags, post.categories):
        kinds: set[Kind] = set()
        for text in texts:
            daily, weekly = bool(_DAILY_WORDS.search(text)), bool(_WEEKLY_WORDS.search(text))
            if daily != weekly:
                kinds.add("daily" if daily else "weekly")
        if len(kinds) == 1:
            return kinds.pop()
    return "note"


# --------------------------------------------------------------------------------------------
# Writing


class _Dumper(yaml.SafeDumper):
    """Chirpy-looking YAML: lists of scalars inline (`[a, b]`), Hangul unescaped, no aliases,
    double quotes where quoting is needed, and timestamps written plain like Jekyll's."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


_Dumper.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flat = all(not isinstance(item, (list, tuple, dict, set)) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flat)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _represent_datetime(dumper: yaml.SafeDumper, data: datetime) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", format_datetime(data))


def _represent_date(dumper: yaml.SafeDumper, data: date_) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", data.isoformat())


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(tuple, _represent_list)
_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(datetime, _represent_datetime)
_Dumper.add_representer(date_, _represent_date)


def format_datetime(moment: datetime) -> str:
    """Jekyll's date format: `2022-02-09 22:40:00 +0900`, without the zone when naive."""
    text = moment.strftime("%Y-%m-%d %H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}"
    if moment.utcoffset() is not None:
        text += moment.strftime(" %z")
    return text


def _dump_key(key: Any, value: Any) -> str:
    text = yaml.dump(
        {key: value},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=float("inf"),
    )
    if value is None and text.endswith(": null\n"):
        text = text[: -len(" null\n")] + "\n"  # `image:` rather than `image: null`, as people write
    return text


def dump_post(
    front: Mapping[Any, Any], body: str, comments: Mapping[str, KeyComments] | None = None
) -> str:
    """A Jekyll post: `---`, the front matter as YAML in the given key order, `---`, the body.

    `comments` (as in `Post.comments`) are written back beside their keys; comments of keys that
    are not in `front` go after the last key. Line endings of the body become `\\n`.
    """
    comments = dict(comments or {})
    out = ["---\n"]
    for key, value in front.items():
        chunk = _dump_key(key, value)
        slot = comments.pop(str(key), None) or {}
        out.extend(_comment_lines(slot.get("above", [])))
        inline = slot.get("inline")
        if inline:
            spaces = inline[: len(inline) - len(inline.lstrip(" \t"))] or " "
            inline = spaces + _comment(inline)
            first, newline, rest = chunk.partition("\n")
            if not rest:
                chunk = f"{first}{inline}\n"
            elif first.endswith(":"):
                chunk = f"{first}{inline}{newline}{rest}"
            else:
                # A block scalar or a quoted value over several lines: the comment cannot go on
                # its first line without changing the value, so it goes above the key.
                out.extend(_comment_lines([inline]))
        out.append(chunk)
        out.extend(_comment_lines(slot.get("below", [])))
    for slot in comments.values():
        inline = [slot["inline"]] if slot.get("inline") else []
        out.extend(_comment_lines([*slot.get("above", []), *inline, *slot.get("below", [])]))
    out.append("---\n")
    return "".join(out) + body.replace("\r\n", "\n").replace("\r", "\n")


_TOP_KEY = re.compile(
    r"""(?P<key>"[^"\n]*"|'[^'\n]*'|[^\s#'"\-?:,\[\]{}][^:#\r\n]*?)[ \t]*:(?:[ \t]|\r?$)"""
)
_DATE_DIGITS = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def set_keys(
    head: str,
    values: Mapping[str, Any],
    *,
    comments: Mapping[str, KeyComments] | None = None,
    moved_date: date_ | None = None,
) -> str:
    """`head` (a front matter block as written, `---` lines included) with only the top-level
    keys of `values` changed, in place: every other line stays as it was. A key that is not
    there is added before the closing `---`; `None` removes a key. A block-style list is written
    back in block style. `moved_date` changes only the date digits of `date:` (keeping its time,
    offset and quoting); without a `date:` key it is added.
    """
    newline = "\r\n" if "\r\n" in head else "\n"
    lines = head.splitlines(keepends=True)
    if not lines:
        lines = ["---\n", "---\n"]
    spans = _key_spans(lines)
    replaced: dict[int, list[str]] = {}
    removed: set[int] = set()
    added: list[str] = []
    comments = comments or {}

    def render(key: str, value: Any, old: tuple[int, int] | None) -> list[str]:
        text = _dump_key(key, value)
        if old is not None and isinstance(value, list) and value and old[1] - old[0] > 1:
            item = lines[old[0] + 1]
            indent = item[: len(item) - len(item.lstrip(" \t"))]
            if item.lstrip().startswith("-"):
                text = f"{key}:\n" + "".join(
                    f"{indent}- {_dump_key('k', element)[3:]}" for element in value
                )
        inline = (comments.get(key) or {}).get("inline")
        if inline and text.count("\n") == 1:
            text = text[:-1] + inline + "\n"
        return [line + newline for line in text.splitlines()]

    wanted = dict(values)
    if moved_date is not None:
        span = spans.get("date")
        if span is None:
            wanted["date"] = moved_date.isoformat()
        else:
            first = lines[span[0]]
            colon = _TOP_KEY.match(first).end()  # type: ignore[union-attr]
            value = _DATE_DIGITS.sub(moved_date.isoformat(), first[colon:], count=1)
            replaced[span[0]] = [first[:colon] + value, *lines[span[0] + 1 : span[1]]]
    for key, value in wanted.items():
        span = spans.get(key)
        if span is None:
            if value is not None:
                added.extend(render(key, value, None))
        elif value is None:
            removed.add(span[0])
        else:
            replaced[span[0]] = render(key, value, span)
    out: list[str] = []
    skip_until = 0
    by_start = dict(spans.values())
    for index, line in enumerate(lines):
        if index < skip_until:
            continue
        if index == len(lines) - 1:
            out.extend(added)
        if index in replaced or index in removed:
            out.extend(replaced.get(index, []))
            skip_until = by_start[index]
            continue
        out.append(line)
    return "".join(out)


def _key_spans(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Top-level key -> (first line, line after its value) in a front matter block's lines."""
    spans: dict[str, tuple[int, int]] = {}
    last = len(lines) - 1  # the closing `---`
    index = 1
    while index < last:
        match = _TOP_KEY.match(lines[index])
        if not match:
            index += 1
            continue
        end = index + 1
        following = end
        while following < last:
            line = lines[following]
            if not line.strip():
                following += 1
                continue
            if line[0] in " \t" or (line.startswith("-") and not line.startswith("---")):
                following += 1
                end = following
                continue
            break
        spans[match.group("key").strip("'\"")] = (index, end)
        index = end
    return spans


def _comment(text: str) -> str:
    text = text.replace("\r", " ").replace("\n", " ").strip()  # one line, whatever was stored
    return text if text.startswith("#") else f"# {text}"


def _comment_lines(texts: Iterable[str]) -> list[str]:
    return [f"{_comment(text)}\n" for text in texts]


def export_front_matter(
    *,
    title: str | None,
    date: datetime | date_ | None,
    tz: tzinfo | None = None,
    categories: Iterable[str] = (),
    tags: Iterable[str] = (),
    math: bool | None = None,
    image: str | Mapping[str, Any] | None = None,
    description: str | None = None,
    visibility: str | None = None,
    published: bool = True,
    last_modified_at: datetime | date_ | None = None,
    extra: Mapping[Any, Any] | None = None,
) -> dict[Any, Any]:
    """The ordered front matter of an exported post, from plain values.

    `date` is a datetime (aware, or naive wall time in `tz`) written as
    `2022-02-09 22:40:00 +0900` in `tz` (the cohort's zone) when `tz` is given, or a `date`
    written as `2022-02-09`. `math` is written as given (None leaves it out), `published: false` only for a
    draft, empty values not at all; `extra` keys follow, except those that would override the
    keys above.
    """
    return _front(
        title=title,
        date=date,
        tz=tz,
        categories=categories,
        tags=tags,
        math=math,
        image=image,
        description=description,
        visibility=visibility,
        published=published,
        last_modified_at=last_modified_at,
        extra=extra,
    )


def _front(
    *,
    title: str | None,
    date: datetime | date_ | None,
    tz: tzinfo | None,
    categories: Iterable[str],
    tags: Iterable[str],
    math: bool | None,
    image: str | Mapping[str, Any] | None,
    description: str | None,
    visibility: str | None,
    published: bool,
    last_modified_at: datetime | date_ | None,
    extra: Mapping[Any, Any] | None,
) -> dict[Any, Any]:
    front: dict[Any, Any] = {}
    if title:
        front["title"] = title
    if date is not None:
        front["date"] = _export_date(date, tz)
    categories, tags = list(categories), list(tags)
    if categories:
        front["categories"] = categories
    if tags:
        front["tags"] = tags
    if math is not None:
        front["math"] = math
    if image:
        front["image"] = dict(image) if isinstance(image, Mapping) else image
    if description:
        front["description"] = description
    if visibility:
        front["visibility"] = visibility
    if not published:
        front["published"] = False
    if last_modified_at is not None:
        front["last_modified_at"] = _export_date(last_modified_at, tz)
    for key, value in (extra or {}).items():
        if key not in OWN_KEYS:
            front[key] = value
    return front


def _export_date(value: datetime | date_, tz: tzinfo | None) -> str:
    if not isinstance(value, datetime):
        return value.isoformat()
    if tz is not None:
        value = value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz)
    return format_datetime(value)


_SLUG_JUNK = re.compile(r"[\W_]+")


def post_path(d: date_, title: str, *, taken: Container[str] = ()) -> str:
    """`_posts/YYYY-MM-DD-<slug>.md`; the slug keeps Hangul and is at most SLUG_MAX_BYTES bytes.

    The same date and title always give the same path; pass the paths already used as `taken`
    to get `-2`, `-3`… for two posts with one title on one day.
    """
    slug = _SLUG_JUNK.sub("-", unicodedata.normalize("NFC", title).lower()).strip("-")
    if len(slug.encode()) > SLUG_MAX_BYTES:
        slug = slug.encode()[:SLUG_MAX_BYTES].decode(errors="ignore")
        if "-" in slug[len(slug) // 2 :]:
            slug = slug.rsplit("-", 1)[0]  # cut at a word boundary when one is near the end
        slug = slug.strip("-")
    slug = slug or "untitled"
    path = f"_posts/{d:%Y-%m-%d}-{slug}.md"
    number = 2
    while path in taken:
        path = f"_posts/{d:%Y-%m-%d}-{slug}-{number}.md"
        number += 1
    return path


# --------------------------------------------------------------------------------------------
# Images in the body

_FENCE = re.compile(r"^[ \t]*(?:>[ \t]*)*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S)
# A bare destination may hold Liquid with spaces, as Chirpy posts write it:
# `![a]({{ site.baseurl }}/assets/a.png)`, `![a]({{ "/assets/a.png" | relative_url }})`.
_MD_IMAGE = re.compile(
    r"""!\[(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*\]   # ![alt], one level of brackets inside
    \(\s*
      (?:<(?P<angle>[^<>\n]*)>|(?P<bare>(?:\{\{[^{}\n]*\}\}|[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))+))
      (?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?
    \s*\)""",
    re.X,
)
_IMG_TAG = re.compile(
    r"""<img\s(?:[^>]*?\s)?src\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<uq>[^\s"'=<>`]+))""",
    re.I | re.S,
)


def _code_ranges(body: str) -> list[tuple[int, int]]:
    """Spans of fenced code blocks and inline code, where image syntax is only text."""
    fenced: list[tuple[int, int]] = []
    position = 0
    fence: str | None = None
    fence_start = 0
    for line in body.splitlines(keepends=True):
        match = _FENCE.match(line)
        if fence is None:
            if match:
                fence, fence_start = match.group(1), position
        elif (
            match
            and match.group(1)[0] == fence[0]
            and len(match.group(1)) >= len(fence)
            and not line[match.end() :].strip()
        ):
            fenced.append((fence_start, position + len(line)))
            fence = None
        position += len(line)
    if fence is not None:
        fenced.append((fence_start, len(body)))
    ranges = list(fenced)
    text_start = 0
    for start, end in [*fenced, (len(body), len(body))]:
        ranges.extend(span.span() for span in _CODE_SPAN.finditer(body, text_start, start))
        text_start = end
    return sorted(ranges)


def _image_matches(body: str) -> list[tuple[int, int, str, str]]:
    """(start, end) of each image path in `body`, the path, and how it is written."""
    code = _code_ranges(body)

    def in_code(index: int) -> bool:
        return any(start <= index < end for start, end in code)

    found: list[tuple[int, int, str, str]] = []
    for match in _MD_IMAGE.finditer(body):
        if in_code(match.start()):
            continue
        group = "angle" if match.group("angle") is not None else "bare"
        found.append((match.start(group), match.end(group), match.group(group), group))
    for match in _IMG_TAG.finditer(body):
        if in_code(match.start()):
            continue
        group = next(name for name in ("dq", "sq", "uq") if match.group(name) is not None)
        found.append(
            (match.start(group), match.end(group), html.unescape(match.group(group)), group)
        )
    return sorted(found)


def image_refs(body: str) -> list[str]:
    """Paths of the images a body shows, `![alt](path)` and `<img src="path">`, in order, once.

    Image syntax inside code blocks and inline code is text, not an image, and is left out.
    """
    return _unique(path for _, _, path, _ in _image_matches(body) if path)


def rewrite_image_refs(body: str, mapping: Mapping[str, str]) -> str:
    """Replace the image paths in `mapping` (as returned by `image_refs`), and nothing else."""
    pieces: list[str] = []
    position = 0
    for start, end, path, style in _image_matches(body):
        if path not in mapping:
            continue
        new = mapping[path]
        if style == "bare" and re.search(r"[\s<>()]", new):
            new = f"<{new}>"
        elif style in ("dq", "sq", "uq"):
            new = html.escape(new, quote=True)
            if style == "uq" and re.search(r"[\s\"'=<>`]", new):
                new = f'"{new}"'
        pieces.append(body[position:start])
        pieces.append(new)
        position = end
    pieces.append(body[position:])
    return "".join(pieces)
