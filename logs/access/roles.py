"""Who is looking: the viewer's roles (memberships, teams, mentorships, unread count, where their
own unshared entries are), loaded in one query per request, or from the cache on cached pages."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date

from django.db import connections, router

from accounts.models import Membership, Team
from logs.caching import versions


@dataclass(frozen=True)
class Roles:
    """What every page needs to know about its viewer, loaded in one query (and, on cached
    pages, kept in the cache: `load_page_roles`)."""

    cohorts: dict[int, str] = field(default_factory=dict)  # cohort id -> role
    teams: frozenset[int] = frozenset()  # team ids the user learns in
    mentored_teams: frozenset[int] = frozenset()
    # (id, name, slug) of the cohort that started last among the user's: the header links it.
    latest_cohort: tuple[int, str, str] | None = None
    # (id, name, slug) of each of the user's cohorts, the latest started first: the switcher.
    cohort_list: tuple[tuple[int, str, str], ...] = ()
    unread_notifications: int = 0
    cohort_slugs: dict[str, int] = field(default_factory=dict)  # slug -> id of the user's cohorts
    # Where the user's own unshared entries (drafts, private) are: (cohort slug, week) pairs and
    # their tags. Cached lists hold shared entries only; a page with some of these is the
    # viewer's own (logs/caching/fragments.py).
    unshared_weeks: frozenset[tuple[int, int]] = frozenset()
    unshared_days: frozenset[tuple[str, date]] = frozenset()
    unshared_tags: frozenset[str] = frozenset()  # slugs

    def is_member(self, cohort_id: int) -> bool:
        return cohort_id in self.cohorts

    def role(self, cohort_id: int) -> str | None:
        return self.cohorts.get(cohort_id)


NO_ROLES = Roles()


def roles(user) -> Roles:
    if not user.is_authenticated:
        return NO_ROLES
    cached = getattr(user, "_camplog_roles", None)
    if cached is None:
        cached = _load_roles(user)
        user._camplog_roles = cached
    return cached


def load_page_roles(user, names: list[str]) -> None:
    """For a cached page (logs/caching/fragments.py `expect`): load, in one query, the cache versions of
    the page's fragments (`names`), those the user's roles are cached under, and the user's
    unread count; then the roles themselves from the cache. They are rebuilt by `_load_roles`
    only after something they are made of has changed: `setup` (memberships, teams, mentors,
    cohorts) or one of the user's own entries (`learner:<username>`, bumped by every change of
    one). Nothing to do for a visitor or when the roles are loaded already: the page's versions
    are then read when its fragments are."""
    if not user.is_authenticated or getattr(user, "_camplog_roles", None) is not None:
        return
    from logs.models import FragmentVersion, Notification

    roles_name = f"roles:{user.pk}"
    of_roles = [versions.SETUP, f"learner:{user.get_username()}"]
    wanted = list(dict.fromkeys([*names, roles_name, *of_roles]))
    with connections[router.db_for_read(FragmentVersion)].cursor() as cursor:
        cursor.execute(
            f"""SELECT name, version FROM {FragmentVersion._meta.db_table}
                 WHERE name = ANY(%(names)s)
                UNION ALL
                SELECT NULL, count(*)::text FROM {Notification._meta.db_table}
                 WHERE recipient_id = %(u)s AND read_at IS NULL""",
            {"names": [versions.EPOCH, *wanted], "u": user.pk},
        )
        rows = cursor.fetchall()
    versions.remember_versions(wanted, {key: version for key, version in rows if key is not None})
    unread = int(next(version for key, version in rows if key is None))
    facts = versions.cached(
        roles_name, lambda: _load_roles(user), depends_on=of_roles, vary=[_ROLES_SHAPE]
    )
    user._camplog_roles = dataclasses.replace(facts, unread_notifications=unread)


# In the key of cached roles: roles pickled by code with other fields are never read.
_ROLES_SHAPE = ",".join(f.name for f in dataclasses.fields(Roles))


def _load_roles(user) -> Roles:
    """Memberships (with their cohort's name, slug and start for the header), mentored teams,
    the unread count and where the user's unshared entries are, in one query: every page asks
    for all of them. Raw SQL, as it runs on every request and the ORM's UNION of five
    querysets costs more to build than the query takes to run."""
    from logs.models import Entry, Notification, TaggedEntry

    tables = {
        "membership": Membership._meta.db_table,
        "cohort": Membership._meta.get_field("cohort").related_model._meta.db_table,
        "mentors": Team.mentors.through._meta.db_table,
        "notification": Notification._meta.db_table,
        "entry": Entry._meta.db_table,
        "tagged": TaggedEntry._meta.db_table,
        "tag": TaggedEntry._meta.get_field("tag").related_model._meta.db_table,
    }
    unshared = "e.author_id = %(u)s AND (e.status <> 'published' OR e.visibility = 'private')"
    sql = f"""
        SELECT 'member', m.cohort_id, m.team_id, m.role, c.name, c.slug, c.start_date
          FROM {tables["membership"]} m JOIN {tables["cohort"]} c ON c.id = m.cohort_id
         WHERE m.user_id = %(u)s
        UNION ALL
        SELECT 'mentor', t.team_id, NULL, NULL, NULL, NULL, NULL
          FROM {tables["mentors"]} t WHERE t.user_id = %(u)s
        UNION ALL
        SELECT 'unread', count(*), NULL, NULL, NULL, NULL, NULL
          FROM {tables["notification"]} n WHERE n.recipient_id = %(u)s AND n.read_at IS NULL
        UNION ALL
        (SELECT DISTINCT 'week', e.cohort_id, e.week, NULL, NULL, c.slug, e.learning_date
           FROM {tables["entry"]} e JOIN {tables["cohort"]} c ON c.id = e.cohort_id
          WHERE {unshared})
        UNION ALL
        (SELECT DISTINCT 'tag', NULL::bigint, NULL::integer, NULL, NULL, t.slug, NULL::date
           FROM {tables["tagged"]} te JOIN {tables["entry"]} e ON e.id = te.content_object_id
           JOIN {tables["tag"]} t ON t.id = te.tag_id
          WHERE {unshared})
    """  # table names from the models; values as parameters
    with connections[router.db_for_read(Membership)].cursor() as cursor:
        cursor.execute(sql, {"u": user.pk})
        rows = cursor.fetchall()
    joined = [row for row in rows if row[0] == "member"]
    latest = max(joined, key=lambda row: (row[6], row[1]), default=None)
    return Roles(
        cohorts={row[1]: row[3] for row in joined},
        teams=frozenset(row[2] for row in joined if row[2]),
        mentored_teams=frozenset(row[1] for row in rows if row[0] == "mentor"),
        latest_cohort=(latest[1], latest[4], latest[5]) if latest else None,
        cohort_list=tuple(
            (row[1], row[4], row[5])
            for row in sorted(joined, key=lambda row: (row[6], row[1]), reverse=True)
        ),
        unread_notifications=next((row[1] for row in rows if row[0] == "unread"), 0),
        cohort_slugs={row[5]: row[1] for row in joined},
        unshared_weeks=frozenset((row[5], row[2]) for row in rows if row[0] == "week"),
        unshared_days=frozenset((row[5], row[6]) for row in rows if row[0] == "week"),
        unshared_tags=frozenset(row[5] for row in rows if row[0] == "tag"),
    )


def forget_roles(user) -> None:
    """Drop the cached roles (after a membership change in the same request)."""
    user.__dict__.pop("_camplog_roles", None)
