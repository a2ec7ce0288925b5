"""Fetch-and-check: each view gets its object here, loaded with what the page needs and checked
by the rule in its name, so no view can forget the check (Zulip's `access_*` pattern).

404 when the viewer may not know the object exists (a private entry, another cohort's session),
403 when they may see it but not do what they ask.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from taggit.models import Tag

from accounts.models import Cohort, Team, User
from logs.access import rules
from logs.access.roles import roles
from logs.models import Comment, Entry, Notification, PendingImport, Session, Upload
from logs.params import parse_int


def _number(raw: str | int | None) -> int:
    """An id from a URL or a form (`logs.params`), or a 404."""
    number = parse_int(str(raw) if raw is not None else None)
    if number is None:
        raise Http404
    return number


# --- Entries -----------------------------------------------------------------------------------


def entry_or_404(user, pk: int, *, edit: bool = False) -> Entry:
    """The entry if `user` may see it (404 otherwise: a private entry's existence is not
    confirmed); with `edit`, also only if they may change it (403)."""
    entry = get_object_or_404(
        Entry.objects.select_related("author", "cohort", "stage").prefetch_related("tags"), pk=pk
    )
    if not rules.can_view_entry(user, entry):
        raise Http404
    if edit and not rules.can_edit_entry(user, entry):
        raise PermissionDenied
    return entry


def writable_cohort(user, slug: str | None = None) -> Cohort | None:
    """A cohort `user` may write in: the one named by `slug` (404 if not theirs), or their most
    recent one (None when they have none). Calendar rows come along for the calendar maths."""
    cohorts = Cohort.objects.filter(pk__in=rules.writable_cohort_ids(user)).with_calendar()
    if slug:
        return get_object_or_404(cohorts, slug=slug)
    return cohorts.order_by("-start_date").first()


def importable_cohort_or_404(user, pk: int) -> Cohort:
    """The cohort, if `user` may import into it (they write in it); else 404."""
    if not rules.can_write_in(user, pk):
        raise Http404
    cohort = Cohort.objects.filter(pk=pk).first()
    if cohort is None:
        raise Http404
    return cohort


def calendar_of(entry: Entry) -> Cohort:
    """The cohort of an entry already checked, with its calendar rows, in one query."""
    return Cohort.objects.with_calendar().get(pk=entry.cohort_id)


# --- Cohorts, tags, learners -------------------------------------------------------------------


def cohort_or_404(slug: str, user=None, *, insights: bool = False) -> Cohort:
    """The cohort with its calendar loaded (holidays, stages). Browsing is open to everyone;
    insights need membership. 404 either way, so a private cohort's name is not confirmed."""
    cohort = get_object_or_404(Cohort.objects.with_calendar(), slug=slug)
    if insights and not rules.can_view_cohort_insights(user, cohort.pk):
        raise Http404
    return cohort


def board_cohort_or_404(user, slug: str) -> Cohort:
    """The cohort, if `user` runs it (the operator's board)."""
    cohort = Cohort.objects.with_calendar().filter(slug=slug).first()
    if cohort is None or not rules.can_view_board(user, cohort.pk):
        raise Http404
    return cohort


_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")


def member_cohort_or_404(user, key: str) -> Cohort:
    """The cohort named by id or slug, if `user` is a member of it."""
    pk = parse_int(str(key))
    if pk is None and not _SLUG.fullmatch(str(key)):
        raise Http404  # not a slug (a NUL would not even reach Postgres)
    lookup = {"pk": pk} if pk is not None else {"slug": str(key)}
    cohort = Cohort.objects.filter(**lookup).first()
    if cohort is None or not roles(user).is_member(cohort.pk):
        raise Http404
    return cohort


def tag_or_404(slug: str) -> Tag:
    """The tag by its slug (Hangul kept, as taggit makes it), else by its name in any case. An
    unknown tag is a 404; a tag with nothing the viewer may see is one too (see tag_detail)."""
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        tag = Tag.objects.filter(Q(slug__iexact=slug) | Q(name__iexact=slug)).first()
    if tag is None:
        raise Http404
    return tag


def learner_or_404(username: str) -> User:
    """An active user by username. Their page is public; what it lists is filtered."""
    return get_object_or_404(User, username=username, is_active=True)


# --- Sessions ----------------------------------------------------------------------------------


def session_or_404(
    user, pk: int, *, edit: bool = False, sessions: QuerySet | None = None
) -> Session:
    """The session (from `sessions`, by default all) with its cohort's calendar; 404 unless the
    user may see it, 403 when `edit` and they may not change it."""
    session = get_object_or_404(
        (sessions if sessions is not None else Session.objects)
        .select_related("cohort", "team", "host", "created_by")
        .prefetch_related("cohort__non_learning_days", "cohort__stages"),
        pk=pk,
    )
    if not rules.can_view_session(user, session):
        raise Http404
    if edit and not rules.can_edit_session(user, session):
        raise PermissionDenied
    return session


def team_for_new_session_or_404(user, team_id: str) -> Team:
    """The team, if `user` may write its sessions (404 outside its cohort, 403 inside)."""
    team = Team.objects.select_related("cohort").filter(pk=_number(team_id)).first()
    if team is None or not roles(user).is_member(team.cohort_id):
        raise Http404
    if not rules.can_create_session_for_team(user, team):
        raise PermissionDenied
    return team


# --- Comments ----------------------------------------------------------------------------------


def commentable_or_404(user, entry_id: str | None, session_id: str | None) -> Entry | Session:
    """The entry or the session (exactly one of the two ids) if `user` may see it."""
    if bool(entry_id) == bool(session_id):
        raise Http404
    if entry_id:
        obj = Entry.objects.select_related("author").filter(pk=_number(entry_id)).first()
    else:
        obj = Session.objects.select_related("team").filter(pk=_number(session_id)).first()
    if obj is None or not rules.can_view_commented(user, obj):
        raise Http404
    return obj


def comment_or_404(user, pk: int, *, action: str = "view") -> Comment:
    """The comment, 404 unless its object is visible; 403 unless the user may `action` it
    ("edit": its author; "delete": its author or an operator of its cohort)."""
    comment = get_object_or_404(
        Comment.objects.select_related("author", "entry", "session", "parent"), pk=pk
    )
    if not rules.can_view_commented(user, comment.target):
        raise Http404
    if action == "edit" and not rules.can_edit_comment(user, comment):
        raise PermissionDenied
    if action == "delete" and not rules.can_delete_comment(user, comment):
        raise PermissionDenied
    return comment


def reply_parent_or_404(raw: str | None, target: Entry | Session) -> Comment | None:
    """The comment replied to: it must be on the same object (404 otherwise)."""
    if not raw:
        return None
    parent = Comment.objects.select_related("parent").filter(pk=_number(raw)).first()
    field = "entry_id" if isinstance(target, Entry) else "session_id"
    if parent is None or getattr(parent, field) != target.pk:
        raise Http404
    return parent


# --- Notifications and uploads ------------------------------------------------------------------


def notification_or_404(user, pk: int) -> Notification:
    """One of `user`'s own notifications."""
    return get_object_or_404(
        Notification.objects.for_recipient(user).select_related(
            "entry", "session", "comment", "question"
        ),
        pk=_number(pk),
    )


def upload_or_404(user, key: str, extension: str) -> Upload:
    """The upload, if `user` owns it or may see an entry or session that shows it; else 404
    (never 403, which would confirm that a private picture exists)."""
    upload = Upload.objects.filter(key=key, extension=extension).first()
    if upload is None:
        raise Http404
    if user.is_authenticated and upload.owner_id == user.pk:
        return upload
    if Entry.objects.visible_to(user).filter(uploads=upload).exists():
        return upload
    if Session.objects.filter(rules.session_visibility_q(user), uploads=upload).exists():
        return upload
    raise Http404


# --- Imports -----------------------------------------------------------------------------------


def importable_cohorts(user) -> list[Cohort]:
    """The cohorts `user` may import into (they write in them), the most recent first."""
    return list(
        Cohort.objects.filter(pk__in=rules.writable_cohort_ids(user)).order_by("-start_date")
    )


def own_pending_import(user, token: str) -> PendingImport | None:
    """The blog `user` uploaded under `token` and has not imported yet; None when there is
    none (imported already, expired, or someone else's: a token is no key to another's)."""
    if not token or "\x00" in token:  # Postgres stores no NUL: no token holds one
        return None
    return PendingImport.objects.filter(owner=user, token=token).first()


def own_pending_import_or_404(user, token: str, *, in_parts: bool = False) -> PendingImport:
    """`own_pending_import`, or 404; with `in_parts`, only a blog being sent in parts."""
    pending = own_pending_import(user, token)
    if pending is None or (in_parts and not pending.in_parts):
        raise Http404
    return pending
