"""What a change invalidates: the one place that maps writes to cached-fragment names.

Every cached page fragment depends on some of these names (logs/caching/versions.py, logs/caching/fragments.py):

- `setup`: cohorts and their calendars, teams, memberships, mentors, people's names;
- `cohort:<slug>`: the cohort home's counts and keywords;
- `cohort-keywords:<slug>`: the cohort's keyword cloud, rebuilt hourly, and at once when a log
  leaves the audience it was counted for (made private, back to draft, deleted);
- `week:<slug>:<n>`, `day:<slug>:<yyyy-mm-dd>`: a week's page, a day's page;
- `learner:<username>`: a learner's page, and the previous/next links of their entries;
- `tag:<slug>`: a tag's page;
- `entry:<id>`: an entry's page (article, comments, the team's sessions of that day, the
  previous and next log: a change to those bumps the entry's name too);
- `team-roster:<id>`: who learns in and mentors a team, on the home page (logs/rosters.py);

An entry, session, comment or tag change bumps the names of what it appears on, before and after
the change (an entry moved to another week leaves the old week too). Bumps run after the commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from taggit.models import Tag

from accounts.models import Cohort, Membership, NonLearningDay, Stage, Team, User
from logs.caching import versions
from logs.caching.versions import SETUP
from logs.models import Comment, Entry, Session, TaggedEntry, TaggedSession
from logs.rosters import roster_name

_ENTRY_FIELDS = ("cohort_id", "week", "author_id", "learning_date")
_SESSION_FIELDS = ("cohort_id", "week", "team_id", "date")
# Who may see an entry: a change takes its tags off the keyword clouds of those who no longer may.
_AUDIENCE_FIELDS = ("visibility", "status")


def _slugs(cohort_ids) -> dict[int, str]:
    return dict(Cohort.objects.filter(pk__in=set(cohort_ids)).values_list("pk", "slug"))


def _neighbours(author_id, cohort_id, day) -> list[int]:
    """The ids of the author's daily logs just before and after `day` (one query)."""
    logs = Entry.objects.filter(author_id=author_id, cohort_id=cohort_id, kind=Entry.Kind.DAILY)
    earlier = logs.filter(learning_date__lt=day).order_by("-learning_date").values("pk")[:1]
    later = logs.filter(learning_date__gt=day).order_by("learning_date").values("pk")[:1]
    return [row["pk"] for row in earlier.union(later, all=True)]


def _tag_slugs(obj) -> list[str]:
    through = TaggedEntry if isinstance(obj, Entry) else TaggedSession
    rows = through.objects.filter(content_object_id=obj.pk)
    return list(rows.values_list("tag__slug", flat=True))


def entry_names(entry: Entry, *, tags: bool = True) -> set[str]:
    states = [getattr(entry, "_cache_state", None), tuple(getattr(entry, f) for f in _ENTRY_FIELDS)]
    states = [s for s in states if s and s[0] is not None]
    slugs = _slugs(s[0] for s in states)
    usernames = dict(
        User.objects.filter(pk__in={s[2] for s in states}).values_list("pk", "username")
    )
    names = {f"entry:{entry.pk}"}
    for cohort_id, week, author_id, day in states:
        slug = slugs.get(cohort_id)
        names |= {f"cohort:{slug}", f"week:{slug}:{week}", f"day:{slug}:{day}"}
        names.add(f"learner:{usernames.get(author_id)}")
        # The author's previous and next daily logs link to this one by its title and date.
        names |= {f"entry:{pk}" for pk in _neighbours(author_id, cohort_id, day)}
    if tags and entry.pk:
        names |= {f"tag:{t}" for t in _tag_slugs(entry)}
    before = getattr(entry, "_cache_audience", None)
    if before is not None and before != tuple(getattr(entry, f) for f in _AUDIENCE_FIELDS):
        names |= {f"cohort-keywords:{slug}" for slug in slugs.values()}
    return names


def session_names(session: Session, *, tags: bool = True) -> set[str]:
    states = [
        getattr(session, "_cache_state", None),
        tuple(getattr(session, f) for f in _SESSION_FIELDS),
    ]
    states = [s for s in states if s and s[0] is not None]
    slugs = _slugs(s[0] for s in states)
    names = {f"session:{session.pk}"}
    for cohort_id, week, team_id, day in states:
        slug = slugs.get(cohort_id)
        names |= {f"cohort:{slug}", f"week:{slug}:{week}", f"day:{slug}:{day}"}
        # The entry pages of that day show the session beside the log: the team's, or every
        # log of the day for a cohort-wide session.
        beside = Entry.objects.filter(cohort_id=cohort_id, learning_date=day)
        if team_id is not None:
            beside = beside.filter(
                author__memberships__team_id=team_id, author__memberships__cohort_id=cohort_id
            )
        names |= {f"entry:{pk}" for pk in beside.values_list("pk", flat=True)}
    if tags and session.pk:
        names |= {f"tag:{t}" for t in _tag_slugs(session)}
    return names


def _remember(sender, instance, **kwargs) -> None:
    fields = _ENTRY_FIELDS if sender is Entry else _SESSION_FIELDS
    if instance.pk is not None:
        instance._cache_state = tuple(instance.__dict__.get(f) for f in fields)
        if sender is Entry:
            instance._cache_audience = tuple(instance.__dict__.get(f) for f in _AUDIENCE_FIELDS)


# The entries written inside `gathered()`, whose names are computed once at its end.
_gathered: ContextVar[list[Entry] | None] = ContextVar("camplog_gathered_entries", default=None)


@contextmanager
def gathered() -> Iterator[None]:
    """For an import: inside, `entries_written` only gathers its entries and every bump waits
    (`versions.deferred`); at the end the names of all of them are computed once and bumped in
    one statement, instead of once a batch or a post (each of which named every daily log of
    the author again)."""
    if _gathered.get() is not None:
        yield
        return
    entries: list[Entry] = []
    token = _gathered.set(entries)
    with versions.deferred():
        try:
            yield
        finally:
            _gathered.reset(token)
            _bump_written(entries)


def entries_written(entries: list[Entry]) -> None:
    """For bulk writes (the importer): the names of every page `entries` show on, in four
    queries whatever their number. Their neighbours are every daily log of their authors in
    their cohorts: an import adds many days at once."""
    waiting = _gathered.get()
    if waiting is not None:
        waiting.extend(entries)
        return
    _bump_written(entries)


def _bump_written(entries: list[Entry]) -> None:
    if not entries:
        return
    slugs = _slugs(e.cohort_id for e in entries)
    authors = {e.author_id for e in entries}
    usernames = dict(User.objects.filter(pk__in=authors).values_list("pk", "username"))
    names = set()
    for e in entries:
        slug = slugs.get(e.cohort_id)
        names |= {f"cohort:{slug}", f"week:{slug}:{e.week}", f"day:{slug}:{e.learning_date}"}
        names.add(f"learner:{usernames.get(e.author_id)}")
    tags = TaggedEntry.objects.filter(content_object__in=[e.pk for e in entries])
    names |= {f"tag:{t}" for t in tags.values_list("tag__slug", flat=True).distinct()}
    siblings = Entry.objects.filter(author_id__in=authors, cohort_id__in=slugs.keys())
    names |= {f"entry:{pk}" for pk in siblings.values_list("pk", flat=True)}
    versions.bump(*names)


def entry_saved(entry: Entry) -> None:
    """For writes that send no signal (an UPDATE, a bulk insert)."""
    versions.bump(*entry_names(entry))
    _remember(Entry, entry)


def _entry_changed(sender, instance: Entry, signal, **kwargs) -> None:
    if signal is post_delete:
        keywords = {f"cohort-keywords:{slug}" for slug in _slugs([instance.cohort_id]).values()}
        versions.bump(*entry_names(instance), *keywords)
        return
    entry_saved(instance)


def _session_changed(sender, instance: Session, **kwargs) -> None:
    versions.bump(*session_names(instance))
    _remember(Session, instance)


def _comment_changed(sender, instance: Comment, **kwargs) -> None:
    if instance.entry_id:
        entry = Entry.objects.filter(pk=instance.entry_id).first()
        if entry is not None:
            versions.bump(*entry_names(entry))
    if instance.session_id:
        session = Session.objects.filter(pk=instance.session_id).first()
        if session is not None:
            versions.bump(*session_names(session))


def _tags_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action == "pre_clear" and not reverse:  # which tags go: post_clear does not say
        instance._cache_cleared_tags = _tag_slugs(instance)
    if not action.startswith("post_"):
        return
    if reverse:  # tag.<related>.add(entry): rare; the tag's objects are in pk_set
        model = Entry if sender is TaggedEntry else Session
        objects = model.objects.filter(pk__in=pk_set or ())
        tag_names = {f"tag:{instance.slug}"}
    else:
        objects = [instance]
        added = Tag.objects.filter(pk__in=pk_set or ()).values_list("slug", flat=True)
        cleared = getattr(instance, "_cache_cleared_tags", [])
        tag_names = {f"tag:{t}" for t in [*added, *cleared]}
    for obj in objects:
        names = entry_names(obj) if isinstance(obj, Entry) else session_names(obj)
        versions.bump(*names, *tag_names)


# What of a user the cached pages show: everywhere (lists, rosters, the header) and on their own
# page only. A password, an email, a language or a login changes no page.
_USER_EVERYWHERE = ("username", "display_name", "is_active")
_USER_OWN_PAGE = ("bio",)


def _user_loaded(sender, instance: User, **kwargs) -> None:
    instance._cache_shown = tuple(
        instance.__dict__.get(f) for f in (*_USER_EVERYWHERE, *_USER_OWN_PAGE)
    )


def _user_changed(sender, instance: User, created: bool = False, **kwargs) -> None:
    """A user's save bumps what shows them: every page for a new name, their own page for a new
    bio, nothing for the rest (a new user is on no page until they join a cohort)."""
    before = getattr(instance, "_cache_shown", None)
    _user_loaded(sender, instance)
    if created:
        return
    now = instance._cache_shown
    everywhere = len(_USER_EVERYWHERE)
    if before is None or before[:everywhere] != now[:everywhere]:
        _setup_changed(sender, instance, **kwargs)
        if before is not None and before[0] != now[0]:
            versions.bump(f"learner:{before[0]}")
    elif before[everywhere:] != now[everywhere:]:
        versions.bump(f"learner:{instance.get_username()}")


def _setup_changed(sender, instance, update_fields=None, **kwargs) -> None:
    # A new tag is on no page yet (the entries that get it bump theirs); a renamed one may be.
    if sender is Tag and kwargs.get("created"):
        return
    versions.bump(SETUP, *_rosters_of(sender, instance, created=kwargs.get("created", False)))


def _rosters_of(sender, instance, *, created: bool) -> list[str]:
    """The team rosters a user, team or membership change shows on."""
    if sender is User:
        return [] if created else [roster_name(t) for t in _teams_of(instance)]
    if sender is Team:
        return [roster_name(instance.pk)]
    if sender is Membership:
        teams = {instance.team_id, getattr(instance, "_roster_team_id", None)} - {None}
        instance._roster_team_id = instance.team_id
        return [roster_name(t) for t in teams]
    return []


def _teams_of(user: User) -> list[int]:
    learner_teams = Membership.objects.filter(user=user, team__isnull=False).values("team_id")
    mentored = Team.mentors.through.objects.filter(user=user).values("team_id")
    return [row["team_id"] for row in learner_teams.union(mentored)]


def _membership_loaded(sender, instance: Membership, **kwargs) -> None:
    instance._roster_team_id = instance.team_id


def _mentors_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if not reverse:  # team.mentors.add(user), .remove(), .clear()
        if action.startswith("post_"):
            versions.bump(SETUP, roster_name(instance.pk))
    elif action == "pre_clear":  # user.mentored_teams.clear(): remember which teams lose them
        instance._roster_cleared = list(
            Team.mentors.through.objects.filter(user=instance).values_list("team_id", flat=True)
        )
    elif action == "post_clear":
        cleared = getattr(instance, "_roster_cleared", [])
        versions.bump(SETUP, *(roster_name(t) for t in cleared))
    elif action.startswith("post_"):  # user.mentored_teams.add(team) / .remove(team)
        versions.bump(SETUP, *(roster_name(t) for t in pk_set or ()))


def connect() -> None:
    """Called from LogsConfig.ready()."""
    for model, changed in ((Entry, _entry_changed), (Session, _session_changed)):
        post_init.connect(_remember, sender=model, dispatch_uid=f"cache-init-{model.__name__}")
        post_save.connect(changed, sender=model, dispatch_uid=f"cache-save-{model.__name__}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"cache-delete-{model.__name__}")
    post_save.connect(_comment_changed, sender=Comment, dispatch_uid="cache-comment")
    post_delete.connect(_comment_changed, sender=Comment, dispatch_uid="cache-comment-delete")
    for through in (TaggedEntry, TaggedSession):
        m2m_changed.connect(_tags_changed, sender=through, dispatch_uid=f"cache-{through.__name__}")
    for model in (Cohort, NonLearningDay, Stage, Team, Membership, Tag):
        post_save.connect(_setup_changed, sender=model, dispatch_uid=f"cache-{model.__name__}")
    for model in (User, Cohort, NonLearningDay, Stage, Team, Membership, Tag):
        post_delete.connect(
            _setup_changed, sender=model, dispatch_uid=f"cache-delete-{model.__name__}"
        )
    post_init.connect(_user_loaded, sender=User, dispatch_uid="cache-user-init")
    post_save.connect(_user_changed, sender=User, dispatch_uid="cache-user")
    post_init.connect(_membership_loaded, sender=Membership, dispatch_uid="cache-membership-init")
    m2m_changed.connect(_mentors_changed, sender=Team.mentors.through, dispatch_uid="cache-mentors")
