"""Cached fragments with versioned invalidation, correct across every app process and host.

A fragment is whatever a page computes from the database and can reuse: a week's list, an entry's
article, a team's roster. It is stored under a key that includes the *version* of each name it
depends on; `bump(name)` replaces that version, so every fragment built from the old one is never
read again (and expires on its own).

Versions live in Postgres (`logs.FragmentVersion`), not in the cache: one small query per page
reads them, and every process and host reads the same rows. So fragments can sit in any cache —
each worker's own memory when there is no Redis, Redis when `REDIS_URL` is set — and an edit on
one app server still invalidates them on all of them.

    html = cached(f"week:{slug}:{n}", build, depends_on=["people"], vary=[language, viewer])
    ...
    bump(f"week:{slug}:{n}")   # in a save signal (logs/caching/invalidation.py)

A name never bumped has the database's *epoch*, a random token written by the migration; bumps
write new random tokens. Versions are never counters, so a fragment cached for another database
(a restore, a second install on the same Redis) can never match.

Store plain data (strings, numbers, tuples, dicts), not model instances, so a fragment survives a
deploy (the keys also change with the models' fields, for the entry page's cached instance).
`FRAGMENT_CACHE_SECONDS=0` turns caching off (every read computes).
"""

import functools
import hashlib
import secrets
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connections, router, transaction

T = TypeVar("T")
_FRAGMENT_PREFIX = "frag:"
EPOCH = ""  # the row holding the version of names never bumped
# The name every page fragment depends on: cohorts and their calendars, teams, memberships and
# people's names (bumped by logs/caching/invalidation.py).
SETUP = "setup"


def _table():
    from logs.models import FragmentVersion

    return FragmentVersion


# Versions read during the current request: a page with two fragments on the same names reads
# them once. Only within a request (None outside one), and a bump updates it.
_request = threading.local()


def _request_started(**kwargs) -> None:
    _request.versions = {}


def _request_finished(**kwargs) -> None:
    _request.versions = None


request_started.connect(_request_started, dispatch_uid="fragment-versions-start")
request_finished.connect(_request_finished, dispatch_uid="fragment-versions-finish")


def get_versions(names: Iterable[str]) -> dict[str, str]:
    """The current version of each name, in one query (raw SQL: this runs on every cached page,
    and building it through the ORM would cost more than the query)."""
    names = list(dict.fromkeys(names))
    memo = getattr(_request, "versions", None)
    if memo is not None and all(name in memo for name in names):
        return {name: memo[name] for name in names}
    model = _table()
    with connections[router.db_for_read(model)].cursor() as cursor:
        cursor.execute(
            f"SELECT name, version FROM {model._meta.db_table} WHERE name = ANY(%s)",
            [[EPOCH, *names]],
        )
        rows = dict(cursor.fetchall())
    epoch = rows.get(EPOCH, "")
    versions = {name: rows.get(name, epoch) for name in names}
    if memo is not None:
        memo.update(versions)
    return versions


def remember_versions(names: Iterable[str], found: dict[str, str]) -> None:
    """Versions read by another query of this request (the viewer's roles query): `found` holds
    the rows of `names` (and of the epoch, "") that exist."""
    memo = getattr(_request, "versions", None)
    if memo is not None:
        epoch = found.get(EPOCH, "")
        memo.update({name: found.get(name, epoch) for name in names})


def get_version(name: str) -> str:
    return get_versions([name])[name]


def bump(*names: str) -> None:
    """Invalidate every fragment that depends on any of `names`, in every process.

    Inside a transaction the bump runs after the commit, in a statement of its own: bumping
    earlier would let a concurrent reader rebuild the fragment from the old, still committed rows
    under the new version, and holding the version rows' locks until the commit would make
    concurrent writers wait on each other. Names are written in order, so two bumps never
    deadlock.
    """
    waiting = _deferred.get()
    if waiting is not None:
        waiting.update(names)
        return
    names = sorted(set(names) - {EPOCH})
    if names:
        _after_commit(lambda: _write_versions(names))


# The names bumped inside `deferred()`, bumped once at its end.
_deferred: ContextVar[set[str] | None] = ContextVar("camplog_deferred_bumps", default=None)


@contextmanager
def deferred() -> Iterator[None]:
    """Every bump inside waits to the end and goes with the others in one statement: an import
    of a thousand posts bumps its week pages once, not once a post. (Inside another, the outer
    one bumps.)"""
    if _deferred.get() is not None:
        yield
        return
    waiting: set[str] = set()
    token = _deferred.set(waiting)
    try:
        yield
    finally:
        _deferred.reset(token)
        bump(*waiting)


def _after_commit(write: Callable[[], None]) -> None:
    # The test suite runs writes immediately: its tests run inside a transaction that never
    # commits (tests/conftest.py).
    transaction.on_commit(write, using=_write_alias())


def _write_alias() -> str:
    return router.db_for_write(_table())


def _write_versions(names: list[str]) -> None:
    model = _table()
    rows = [(name, secrets.token_hex(8)) for name in names]
    memo = getattr(_request, "versions", None)
    if memo is not None:
        memo.update(rows)
    placeholders = ", ".join(["(%s, %s)"] * len(rows))
    with connections[_write_alias()].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} (name, version) VALUES {placeholders} "
            "ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version",
            [value for row in rows for value in row],
        )


@functools.cache
def _schema() -> str:
    """The models' fields, in short: a deploy that changes them reads no fragment cached (and
    pickled) by the code before it, even when a fragment holds a model instance."""
    fields = sorted(
        f"{model._meta.label}.{field.attname}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
    )
    return hashlib.blake2b("|".join(fields).encode(), digest_size=6).hexdigest()


def _fragment_key(name: str, version: str, vary: tuple) -> str:
    raw = "|".join([name, version, _schema(), *map(str, vary)])
    digest = hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()
    return f"{_FRAGMENT_PREFIX}{name[:80]}:{digest}"


def timeout() -> int:
    return settings.FRAGMENT_CACHE_SECONDS


def cached(
    name: str,
    compute: Callable[[], T],
    *,
    depends_on: Iterable[str] = (),
    vary: Iterable[Any] = (),
) -> T:
    """The fragment `name` (for these `vary` values, e.g. the language), computed on a miss.

    It is invalidated by `bump(name)` and by `bump()` of any name in `depends_on`.
    """
    if timeout() <= 0:
        return compute()
    dependencies = list(dict.fromkeys([name, *depends_on]))
    versions = get_versions(dependencies)
    key = _fragment_key(name, ".".join(versions[d] for d in dependencies), tuple(vary))
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout=timeout())
    return value


def cached_many(
    names: Mapping[Hashable, str],
    compute: Callable[[list], Mapping[Hashable, T]],
    *,
    vary: Iterable[Any] = (),
) -> dict[Hashable, T]:
    """Several fragments of one kind at once: `names` maps an id to the fragment's name, and
    `compute(missing_ids)` builds the missing ones in one go (one query for all, not one each).

    One version query and two cache round trips on a hit, whatever the number of fragments.
    """
    if not names:
        return {}
    if timeout() <= 0:
        return dict(compute(list(names)))
    vary = tuple(vary)
    versions = get_versions(names.values())
    keys = {ident: _fragment_key(name, versions[name], vary) for ident, name in names.items()}
    found = cache.get_many(list(keys.values()))
    result = {ident: found[key] for ident, key in keys.items() if key in found}
    missing = [ident for ident in names if ident not in result]
    if missing:
        built = compute(missing)
        cache.set_many({keys[i]: built[i] for i in missing if i in built}, timeout=timeout())
        result.update({i: built[i] for i in missing if i in built})
    return result


class _Missing:
    pass


_MISSING = _Missing()
