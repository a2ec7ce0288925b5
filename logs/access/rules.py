"""Who may see and change what: the one place for Camplog's access rules.

Roles come from `accounts.Membership` (learner, mentor, operator of a cohort) and team mentorships.
Rules:

- An entry is seen by its author always. Others see it only when it is published and either
  public, or cohort-visible and they are a member (any role) of its cohort. Nobody — not a mentor,
  an operator or a superuser — sees someone else's private entry or draft.
- Sessions are cohort-internal: members of the cohort see them.
- A comment is seen by whoever sees the object it is on.
- Only the author edits or deletes an entry. A session is edited (and deleted) by the learners of
  its team and the team's mentors; a cohort-wide session by the cohort's mentors and operators.
- Commenting needs membership of the object's cohort and the right to see the object. A comment is
  edited by its author and deleted by its author or an operator of its cohort. Replies go one
  level deep: a reply to a reply is refused.
- The operator's board (who wrote which day's log) is for the cohort's operators and superusers.
- Mentoring answers are written by the team's mentors (or by learners, as unconfirmed notes);
  only the team's mentors confirm them.
- Notifications reach only people who can see the object they are about (`viewers_among`).

List pages use the `*_visibility_q` expressions through `visible_to(user)` QuerySet methods;
detail views use the `can_*` predicates. Membership facts are loaded once per user object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

from accounts.models import Membership
from logs.access.roles import Roles, roles

if TYPE_CHECKING:
    from logs.models import Comment, Entry, Session


# --- Entries -----------------------------------------------------------------------------------


def entry_visibility_q(user, prefix: str = "", *, own: bool = True) -> Q:
    """Entries `user` may see. `prefix` applies the rule across a relation (`"entry__"`). Without
    `own`, only what the user sees as a member of their cohorts, not their own drafts and
    private entries: what a cached list shared by the same members may hold (logs/caching/fragments.py)."""
    p = prefix
    public = Q(**{f"{p}status": "published", f"{p}visibility": "public"})
    if not user.is_authenticated:
        return public
    cohort_ids = list(roles(user).cohorts)
    return (
        (Q(**{f"{p}author": user}) if own else Q(pk__in=[]))
        | public
        | Q(
            **{
                f"{p}status": "published",
                f"{p}visibility": "cohort",
                f"{p}cohort_id__in": cohort_ids,
            }
        )
    )


def shared_entry_q(*, member: bool) -> Q:
    """Entries of one cohort that every member of it sees (`member`), or that everyone sees: what
    a cached list shared by those viewers may hold. A viewer's own drafts and private entries are
    added only to a list of their own (logs/caching/fragments.py)."""
    if member:
        return Q(status="published", visibility__in=["public", "cohort"])
    return Q(status="published", visibility="public")


def can_view_entry(user, entry: Entry) -> bool:
    if user.is_authenticated and entry.author_id == user.pk:
        return True
    if entry.status != "published":
        return False
    if entry.visibility == "public":
        return True
    return entry.visibility == "cohort" and roles(user).is_member(entry.cohort_id)


def is_public_entry(entry: Entry) -> bool:
    """Whether anyone at all, signed in or not, may read the entry: only then may a page say
    anything of it to link previews and search engines (logs/sharing.py)."""
    return entry.status == "published" and entry.visibility == "public"


def can_edit_entry(user, entry: Entry) -> bool:
    return user.is_authenticated and entry.author_id == user.pk


def can_write_in(user, cohort_id: int) -> bool:
    """Learners (and mentors, for notes) write entries in their cohorts."""
    return roles(user).role(cohort_id) in {"learner", "mentor"}


# Daily and weekly logs are a learner's; anyone who writes in a cohort may write notes.
KINDS_BY_ROLE = {"learner": ("daily", "weekly", "note"), "mentor": ("note",)}


def can_write_kind(user, cohort_id: int, kind: str) -> bool:
    return kind in KINDS_BY_ROLE.get(roles(user).role(cohort_id) or "", ())


def writable_cohort_ids(user) -> list[int]:
    """The cohorts `user` may write entries in (for the cohort picker and /write/)."""
    return [cohort_id for cohort_id, role in roles(user).cohorts.items() if role in KINDS_BY_ROLE]


def can_use_editor(user) -> bool:
    """The Markdown preview and image upload answer logged-in members of some cohort only."""
    return user.is_authenticated and bool(roles(user).cohorts)


# --- Cohort pages ------------------------------------------------------------------------------
#
# The cohort home, week and day pages are open to everyone: each list on them is filtered by
# `entry_visibility_q` / `session_visibility_q`, so a visitor sees the cohort's calendar and its
# public logs only, a member everything the cohort shares. Insights (who wrote on which day) are
# for members only.


def can_view_cohort_insights(user, cohort_id: int) -> bool:
    return roles(user).is_member(cohort_id)


# --- Sessions ----------------------------------------------------------------------------------


def session_visibility_q(user, prefix: str = "") -> Q:
    if not user.is_authenticated:
        return Q(**{f"{prefix}pk__in": []})
    return Q(**{f"{prefix}cohort_id__in": list(roles(user).cohorts)})


def can_view_session(user, session: Session) -> bool:
    return roles(user).is_member(session.cohort_id)


def can_edit_session(user, session: Session) -> bool:
    r = roles(user)
    if session.team_id is None:
        return r.role(session.cohort_id) in {"mentor", "operator"}
    return session.team_id in r.teams or session.team_id in r.mentored_teams


def can_create_session_for_team(user, team) -> bool:
    r = roles(user)
    return team.pk in r.teams or team.pk in r.mentored_teams


def can_create_cohort_session(user, cohort_id: int) -> bool:
    """Office hours and special lectures are written by the cohort's mentors and operators."""
    return roles(user).role(cohort_id) in {"mentor", "operator"}


def can_answer_question(user, session: Session) -> bool:
    """Mentors answer (and confirm); team learners may write an answer down, unconfirmed."""
    return can_edit_session(user, session)


def is_mentor_of(user, session: Session) -> bool:
    return session.team_id is not None and session.team_id in roles(user).mentored_teams


def can_use_mentor_page(user) -> bool:
    """The mentor's page is for whoever mentors a team or is a mentor in some cohort."""
    r = roles(user)
    return bool(r.mentored_teams) or "mentor" in r.cohorts.values()


# --- Comments ----------------------------------------------------------------------------------


def can_view_commented(user, obj: Entry | Session) -> bool:
    from logs.models import Entry

    return can_view_entry(user, obj) if isinstance(obj, Entry) else can_view_session(user, obj)


def can_comment_on(user, obj: Entry | Session) -> bool:
    return (
        user.is_authenticated
        and roles(user).is_member(obj.cohort_id)
        and can_view_commented(user, obj)
    )


def comment_visibility_q(user) -> Q:
    """Comments on entries and sessions `user` may see (the rule of the object commented on)."""
    return (Q(entry__isnull=False) & entry_visibility_q(user, "entry__")) | (
        Q(session__isnull=False) & session_visibility_q(user, "session__")
    )


def can_edit_comment(user, comment: Comment) -> bool:
    return user.is_authenticated and comment.author_id == user.pk and comment.deleted_at is None


def can_reply_to(comment: Comment) -> bool:
    """One level of replies: only a top-level comment that still stands takes replies."""
    return comment.parent_id is None and comment.deleted_at is None


# --- Notifications -----------------------------------------------------------------------------


def viewers_among(user_ids, obj: Entry | Session) -> set[int]:
    """Which of `user_ids` may see `obj`, by the rules above, in one query.

    Notifications use it: nobody is told about something they cannot see.
    """
    from logs.models import Entry

    user_ids = set(user_ids)
    if not user_ids:
        return set()
    if isinstance(obj, Entry):
        visible = {obj.author_id} & user_ids
        if obj.status != "published":
            return visible
        if obj.visibility == "public":
            return user_ids
        if obj.visibility != "cohort":
            return visible
    else:
        visible = set()
    members = Membership.objects.filter(cohort_id=obj.cohort_id, user_id__in=user_ids)
    return visible | set(members.values_list("user_id", flat=True))


# --- Deleting ----------------------------------------------------------------------------------


def can_delete_entry(user, entry: Entry) -> bool:
    return can_edit_entry(user, entry)


def can_delete_session(user, session: Session) -> bool:
    return can_edit_session(user, session)


def can_delete_comment(user, comment: Comment) -> bool:
    """Its author, or an operator of the cohort it was written in (moderation) who may see what
    it is on. Load the comment's entry or session (select_related) to spare a query."""
    if can_edit_comment(user, comment):
        return True
    target = comment.entry if comment.entry_id else comment.session
    return (
        target is not None
        and roles(user).role(target.cohort_id) == "operator"
        and can_view_commented(user, target)
    )


# --- Running a cohort --------------------------------------------------------------------------


def can_view_board(user, cohort_id: int) -> bool:
    """The operator's board (who wrote which day's log): the cohort's operators and superusers.
    It shows that a log exists, never what a private one says. The Django admin applies the same
    rule to its pages through `Cohort.objects.run_by(user)` (accounts cannot import this module)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or roles(user).role(cohort_id) == "operator"


# --- Home and header ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Navigation:
    """Where a viewer is and what they use: the header's links and the home page they land on.
    `home` is the role of the current cohort that the home page is made for: "operator" (its
    board), "mentor" (the teams' day), else "learner" (today's log and the cohorts)."""

    cohort: tuple[int, str, str] | None  # the current cohort: (id, name, slug)
    cohorts: tuple[tuple[int, str, str], ...]  # all of the viewer's, for the switcher
    home: str
    writes: bool  # they write daily logs somewhere: "My log"
    mentors: bool  # the mentor's page
    board_slug: str | None  # the board they run: the current cohort's, else their first
    admin: bool


def navigation(user, *, page_slug: str | None = None, chosen: object = None) -> Navigation:
    """The current cohort is the one the page shows, if the viewer is a member of it; else the
    one they chose (`chosen`, an id kept in their session); else the one that started last."""
    r = roles(user)
    cohort = _current_cohort(r, page_slug, chosen)
    role = r.role(cohort[0]) if cohort else None
    operated = [c for c in r.cohort_list if r.role(c[0]) == "operator"]
    if role == "operator" or (cohort and user.is_superuser):
        board_slug = cohort[2]
    else:
        board_slug = operated[0][2] if operated else None
    return Navigation(
        cohort=cohort,
        cohorts=r.cohort_list,
        home=role if role in {"operator", "mentor"} else "learner",
        writes="learner" in r.cohorts.values(),
        mentors=can_use_mentor_page(user),
        board_slug=board_slug,
        admin=user.is_staff,
    )


def _current_cohort(r: Roles, page_slug: str | None, chosen: object) -> tuple[int, str, str] | None:
    by_id = {c[0]: c for c in r.cohort_list}
    if page_slug is not None and page_slug in r.cohort_slugs:
        return by_id[r.cohort_slugs[page_slug]]
    if isinstance(chosen, int) and chosen in by_id:
        return by_id[chosen]
    return r.cohort_list[0] if r.cohort_list else None
