"""Cached fragments with versioned invalidation, shared by every app process.

A fragment is whatever a page computes from the database and can reuse: a team's roster, a
week's summary, a rendered sidebar. It is stored under a key that includes the *version* of
each thing it depends on; `bump(name)` replaces that version, so every fragment built from the
old one is never read again (and expires on its own). A bump is one cache write, whichever
process or host makes it: with REDIS_URL set, an edit on one app server invalidates the
fragment on all of them.

    rosters = cached_many(
        {team.pk: f"team-roster:{team.pk}" for team in teams},
        compute=lambda team_ids: build_rosters(team_ids),
    )
    ...
    post_save.connect(lambda instance, **kw: bump(f"team-roster:{instance.pk}"), sender=Team)

Versions are random tokens, not counters: if Redis evicts a version key, the next reader picks a
new random version instead of restarting at 1 and finding fragments from before the edit.

Fragments are cached for FRAGMENT_CACHE_SECONDS (0, i.e. not at all, without a shared cache:
a per-process cache cannot be invalidated across gunicorn workers). Store plain data (strings,
numbers, tuples, dicts), not model instances, so a fragment survives a deploy.
"""

import hashlib
import secrets
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")
_VERSION_PREFIX = "fragver:"
_FRAGMENT_PREFIX = "frag:"


def _version_key(name: str) -> str:
    return _VERSION_PREFIX + name


def _new_version() -> str:
    return secrets.token_hex(6)


def get_versions(names: Iterable[str]) -> dict[str, str]:
    """The current version of each name, in one round trip (plus one for names never seen)."""
    names = list(dict.fromkeys(names))
    found = cache.get_many([_version_key(n) for n in names])
    versions = {n: found[_version_key(n)] for n in names if _version_key(n) in found}
    missing = [n for n in names if n not in versions]
    if missing:
        fresh = {_version_key(n): _new_version() for n in missing}
        # add, not set: when two processes race, the first version written wins for both.
        for key, value in fresh.items():
            cache.add(key, value, timeout=None)
        written = cache.get_many(list(fresh))
        for n in missing:
            versions[n] = written.get(_version_key(n), fresh[_version_key(n)])
    return versions


def get_version(name: str) -> str:
    return get_versions([name])[name]


def bump(*names: str) -> None:
    """Invalidate every fragment that depends on any of `names`, in every process.

    Inside a transaction the bump waits for the commit: bumping earlier would let a concurrent
    reader rebuild the fragment from the old, still committed rows under the new version.
    """
    if names:
        transaction.on_commit(
            lambda: cache.set_many({_version_key(n): _new_version() for n in names}, timeout=None)
        )


def _fragment_key(name: str, version: str, vary: tuple) -> str:
    raw = "|".join([name, version, *map(str, vary)])
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
    dependencies = [name, *depends_on]
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

    Three cache round trips on a hit, whatever the number of fragments.
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
