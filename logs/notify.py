"""Who hears about what: the notification fan-out and its email.

Events and their recipients:

- a comment on an entry: the entry's author (verb ``comment``);
- a comment on a team session: the team's learners and mentors; on a cohort-wide session: its
  host and the person who wrote it down (verb ``comment``);
- a reply: the author of the comment it answers (verb ``reply``), and the object's audience
  above as for a comment — one notification per person, the reply taking precedence;
- an answer to a mentoring question: the learner who asked (verb ``answer``), once per unread
  answer.

Never the actor, and never anyone who cannot see the object (`access.viewers_among`, the
same rules as the pages). Email goes to the *author* of what was commented on or answered — the
entry's author, the session's writer, the comment replied to, the asker — when they have an
address and have not turned `User.email_notifications` off. It is sent after the transaction
commits, through the configured backend, in the recipient's language; a failing mail server is
logged and never breaks the page that triggered it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Membership, User
from logs import access, markdown
from logs.models import Comment, Entry, MentoringQuestion, Notification, Session
from logs.titles import one_line

log = logging.getLogger(__name__)

Verb = Notification.Verb


@dataclass(frozen=True)
class _Mail:
    recipient_id: int
    verb: str
    actor: str
    title: str
    text: str
    path: str


def _audience(obj: Entry | Session) -> set[int]:
    """Who follows an object's comments."""
    if isinstance(obj, Entry):
        return {obj.author_id}
    if obj.team_id is None:
        return {uid for uid in (obj.host_id, obj.created_by_id) if uid}
    learners = Membership.objects.filter(team_id=obj.team_id, role=Membership.Role.LEARNER)
    ids = set(learners.values_list("user_id", flat=True))
    ids |= set(obj.team.mentors.values_list("id", flat=True))
    return ids


def _owner(obj: Entry | Session) -> int | None:
    return obj.author_id if isinstance(obj, Entry) else obj.created_by_id


def comment_posted(comment: Comment, base_url: str = "") -> list[Notification]:
    """Fan out a new comment or reply. Returns the notifications created."""
    target = comment.target
    recipients: dict[int, str] = dict.fromkeys(_audience(target), Verb.COMMENT)
    mail_to = {_owner(target)}
    if comment.parent_id:
        parent_author = comment.parent.author_id
        recipients[parent_author] = Verb.REPLY
        mail_to.add(parent_author)
    recipients.pop(comment.author_id, None)
    allowed = access.viewers_among(recipients, target)
    notes = [
        Notification(
            recipient_id=uid,
            actor_id=comment.author_id,
            verb=verb,
            entry=target if isinstance(target, Entry) else None,
            session=target if isinstance(target, Session) else None,
            comment=comment,
        )
        for uid, verb in sorted(recipients.items())
        if uid in allowed
    ]
    Notification.objects.bulk_create(notes)
    _mail_later(
        [
            _Mail(
                n.recipient_id,
                n.verb,
                str(comment.author),
                str(target),
                markdown.excerpt(comment.body),
                comment.get_absolute_url(),
            )
            for n in notes
            if n.recipient_id in mail_to
        ],
        base_url,
    )
    return notes


def answer_saved(
    question: MentoringQuestion, actor: User, base_url: str = ""
) -> list[Notification]:
    """Tell the asker their question has an answer (once while the last one is unread)."""
    asker = question.asked_by_id
    session = question.session
    if not asker or asker == actor.pk or asker not in access.viewers_among({asker}, session):
        return []
    already = Notification.objects.filter(
        recipient_id=asker, question=question, verb=Verb.ANSWER, read_at__isnull=True
    ).exists()
    if already:
        return []
    note = Notification.objects.create(
        recipient_id=asker, actor=actor, verb=Verb.ANSWER, session=session, question=question
    )
    _mail_later(
        [
            _Mail(
                asker,
                Verb.ANSWER,
                str(actor),
                question.question,
                markdown.excerpt(question.answer),
                question.get_absolute_url(),
            )
        ],
        base_url,
    )
    return [note]


def excerpts(notes: list[Notification]) -> None:
    """Give each notification about a comment its `.excerpt`: plain text, formulas as text, no
    Markdown (the pipeline's excerpt, as list pages show)."""
    for note in notes:
        note.excerpt = markdown.excerpt(note.comment.body) if note.comment_id else ""


# --- Email -------------------------------------------------------------------------------------


def _subject(mail: _Mail) -> str:
    if mail.verb == Verb.REPLY:
        return _("%(actor)s replied to your comment on “%(title)s”") % {
            "actor": mail.actor,
            "title": mail.title,
        }
    if mail.verb == Verb.ANSWER:
        return _("%(actor)s answered your question “%(title)s”") % {
            "actor": mail.actor,
            "title": mail.title[:60],
        }
    return _("%(actor)s commented on “%(title)s”") % {"actor": mail.actor, "title": mail.title}


def _body(mail: _Mail, url: str) -> str:
    footer = _(
        "You get this email because you turned on email notifications. "
        "Turn them off on your profile page."
    )
    link = _("Open it in Camplog:")
    return f"{mail.text}\n\n{link} {url}\n\n-- \n{footer}\n"


def _mail_later(mails: list[_Mail], base_url: str) -> None:
    if mails:
        transaction.on_commit(lambda: send_emails(mails, base_url))


def send_emails(mails: list[_Mail], base_url: str) -> int:
    users = {
        u.pk: u
        for u in User.objects.filter(
            pk__in={m.recipient_id for m in mails}, email_notifications=True, is_active=True
        ).exclude(email="")
    }
    messages = []
    for mail in mails:
        user = users.get(mail.recipient_id)
        if user is None:
            continue
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            messages.append(
                EmailMessage(
                    # Titles saved before they were kept to one line, and questions, may
                    # hold line breaks: a subject with one is refused and the email lost.
                    subject=one_line(f"[Camplog] {_subject(mail)}"),
                    body=_body(mail, f"{base_url}{mail.path}"),
                    to=[user.email],
                )
            )
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # a mail server outage must not break commenting
        log.exception("Could not send %d notification emails", len(messages))
        return 0
