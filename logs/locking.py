"""Optimistic locking, one implementation for every row people edit together (entries,
sessions, mentoring answers): each such row has a `version`, an editor posts the version it
started from, and the write happens only if the row is still at it. The loser of two saves
changes nothing and is shown what is stored beside what they typed."""

import difflib

from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _

from logs.params import MAX_INTEGER, parse_int


def claim_version(row: models.Model, expected: int | None, **values) -> bool:
    """Bump `row`'s version (and write `values`) only if nobody saved since `expected`.

    The check is in the UPDATE itself (`WHERE id = … AND version = …`), so of two editors that
    loaded version 3, the first wins and the second writes nothing and gets False. An editor
    that posts no version (or one no row can have) is treated as stale: it never overwrites
    blindly.
    """
    if expected is None or not 0 < expected <= MAX_INTEGER:
        return False
    written = (
        type(row)
        ._default_manager.filter(pk=row.pk, version=expected)
        .update(version=F("version") + 1, **values)
    )
    if written:
        row.version = expected + 1
    return bool(written)


def parse_version(raw: str | None) -> int | None:
    """A version as an editor posted it; None for anything no row can have (`²`, 30 digits)."""
    version = parse_int(raw, MAX_INTEGER)
    return version if version else None


def diff_lines(saved: str, mine: str) -> list[tuple[str, str]]:
    """The lines that differ between the stored text and the one typed, as (sign, line)."""
    diff = difflib.unified_diff(
        saved.replace("\r\n", "\n").splitlines(),
        mine.replace("\r\n", "\n").splitlines(),
        fromfile=_("saved version"),
        tofile=_("your version"),
        lineterm="",
        n=2,
    )
    return [(line[:1], line) for line in list(diff)[2:]]
