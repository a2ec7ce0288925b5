"""How `Entry.front_matter` keeps the front matter of an imported post (`logs.transfer.importer` writes
it, `logs.transfer.exporter` reads it back).

It is a JSON object of what Camplog has no field for: `date` (the timestamp as written, with its
offset), `categories`, `tags` (as written: order and case, which taggit does not keep), `math`,
`image`, `description`, `last_modified_at` (as written), `extra` (every other key, in file
order) and `comments` (the YAML comments, as `logs.transfer.jekyll.Post.comments`). An entry written in
Camplog has `{}`.

`source` holds the file as it was written (`logs.transfer.jekyll.SourceText`: encoding, byte-order mark,
the front matter block and, when it differs from the entry's body, the body) and `state`, what
the entry was made of it (`entry_state()`): the export gives the file back byte for byte while
the entry's state is the same, and changes only the keys it must once it is not.
"""

import base64
import hashlib
import json
import math
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

__all__ = [
    "KIND_HINT_KEY",
    "SOURCE_KEY",
    "decode_front_matter",
    "encode_front_matter",
    "entry_state",
]

SOURCE_KEY = "source"

# Written by the export only where the kind would be guessed wrong on the way back in (a note
# titled like a daily log); read by the import before it guesses.
KIND_HINT_KEY = "camplog_kind"

# Postgres' jsonb sorts the keys of an object; a mapping whose order is the writer's (a post's
# extra keys, Chirpy's `image:` block) is stored as {"~map": [[key, value], ...]} instead.
_MAP = "~map"


def encode_front_matter(kept: dict[str, Any]) -> dict[str, Any]:
    """`kept` as stored in `Entry.front_matter`: JSON whose mappings keep their order."""
    return json.loads(json.dumps({key: _encode(value) for key, value in kept.items()}))


def decode_front_matter(stored: Any) -> dict[str, Any]:
    """The inverse of `encode_front_matter` (an entry written in Camplog has `{}`)."""
    if not isinstance(stored, dict):
        return {}
    return {key: _decode(value) for key, value in stored.items()}


def _encode(value: Any) -> Any:
    """YAML's safe types as JSON; the rare binary, set and non-finite float become text."""
    if isinstance(value, dict):
        return {_MAP: [[str(key), _encode(item)] for key, item in value.items()]}
    if isinstance(value, (list, tuple)):
        return [_encode(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_encode(item) for item in value), key=str)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {_MAP} and isinstance(value[_MAP], list):
            return {key: _decode(item) for key, item in value[_MAP]}
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def entry_state(
    *, title: str, tags: Iterable[str], learning_date: date, status: str, visibility: str, body: str
) -> dict[str, Any]:
    """What an imported file made of an entry, to tell later whether it was edited since:
    tags compared as taggit compares them, the body by its digest."""
    return {
        "title": title,
        "tags": sorted({tag.casefold() for tag in tags}),
        "learning_date": learning_date.isoformat(),
        "status": status,
        "visibility": visibility,
        "body": hashlib.sha256(body.encode()).hexdigest(),
    }
