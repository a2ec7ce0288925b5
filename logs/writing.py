"""The daily routine around the editor: what a new log takes over from the previous one, the
team's sessions of the day to link from it, the learning days a learner has not written yet, and
the one way the editor names the time of unsaved text.

Every read is the viewer's own (their logs) or goes through `logs.access` (`visible_to`, roles).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Cohort
from logs import access, snippets
from logs.entries import TODAY_HEADING, TODAY_KEYWORDS, Task, carried_tasks, carry_over
from logs.models import Entry, Session

# How far back the "missed day" offer looks, and how many days it offers.
MISSED_LOOKBACK = 20
MISSED_OFFERED = 5

# The template section a session's reference goes into, found by a word of its heading (the
# editor's script matches headings the way `logs.entries.find_section` does).
PEER_KEYWORDS = ("피어세션", "Peer session")
MENTORING_KEYWORDS = ("멘토링", "Mentoring")
PEER_HEADING = "## **👥 피어세션 요약**"
MENTORING_HEADING = "## **🏫 멘토링 요약**"


# --- Carry-over ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CarryOver:
    body: str  # the body the editor starts with
    tasks: list[Task]  # what came over (empty: nothing did, or the learner undid it)
    source: Entry | None  # the log it came from
    undone: bool  # the learner asked for the plain template (`?carry=0`)


def previous_daily_log(user, cohort: Cohort, day: dt.date) -> Entry | None:
    """The learner's latest daily log before `day`: the previous learning day's, or, when that
    day was missed, the one before it, so a skipped day loses no open task."""
    return (
        Entry.objects.filter(
            author=user, cohort=cohort, kind=Entry.Kind.DAILY, learning_date__lt=day
        )
        .order_by("-learning_date")
        .only("pk", "body", "title", "learning_date")
        .first()
    )


def new_daily_body(user, cohort: Cohort, day: dt.date, template: str, *, carry: bool) -> CarryOver:
    previous = previous_daily_log(user, cohort, day)
    tasks = carried_tasks(previous.body) if previous else []
    if not carry:
        return CarryOver(template, [], previous if tasks else None, undone=bool(tasks))
    return CarryOver(
        carry_over(template, previous.body if previous else None), tasks, previous, False
    )


# --- The team's sessions of the day -------------------------------------------------------------


@dataclass(frozen=True)
class SessionLink:
    session: Session
    markdown: str  # the reference the editor inserts
    section: tuple[str, ...]  # keywords of the section it goes into
    heading: str  # the section's heading, added when the log has no such section
    section_label: str


def day_session_links(user, cohort: Cohort, day: dt.date, base_url: str) -> list[SessionLink]:
    """The sessions of `user`'s teams (and the cohort's) on `day`, each with the reference to
    insert and the template section it belongs in: peer sessions beside 피어세션 요약, mentoring
    beside 멘토링 요약, office hours and lectures in 오늘 한 일 (they are part of the day's work)."""
    sessions = (
        Session.objects.visible_to(user)
        .on_day(cohort.pk, day)
        .of_viewers_teams(user)
        .select_related("team")
        .only("pk", "kind", "title", "date", "team__name")
        .order_by("created_at", "pk")
    )
    targets = {
        Session.Kind.PEER: (PEER_KEYWORDS, PEER_HEADING, _("Peer session summary")),
        Session.Kind.MENTORING: (MENTORING_KEYWORDS, MENTORING_HEADING, _("Mentoring summary")),
    }
    today = (TODAY_KEYWORDS, TODAY_HEADING, _("What I did today"))
    order = list(targets)  # the template's order: peer sessions, mentoring, then the rest

    def rank(session: Session) -> int:
        return order.index(session.kind) if session.kind in order else len(order)

    return [
        SessionLink(
            session, snippets.session_link(session, base_url), *targets.get(session.kind, today)
        )
        for session in sorted(sessions, key=rank)
    ]


# --- Missed days --------------------------------------------------------------------------------


def missed_days(user, cohort: Cohort, *, limit: int = MISSED_OFFERED) -> list[dt.date]:
    """The most recent learning days up to today (newest first) without a daily log of `user`,
    looking back `MISSED_LOOKBACK` learning days. Today is not missed yet."""
    calendar = cohort.calendar
    today = calendar.today()
    days: list[dt.date] = []
    d = calendar.previous_learning_day(min(today, calendar.end + dt.timedelta(days=1)))
    while d is not None and len(days) < MISSED_LOOKBACK:
        days.append(d)
        d = calendar.previous_learning_day(d)
    if not days:
        return []
    written = set(
        Entry.objects.filter(
            author=user, cohort=cohort, kind=Entry.Kind.DAILY, learning_date__in=days
        ).values_list("learning_date", flat=True)
    )
    return [d for d in days if d not in written][:limit]


def is_learner_of(user, cohort_id: int) -> bool:
    """Whether `user` writes daily logs in the cohort (the write buttons are theirs)."""
    return access.can_write_kind(user, cohort_id, Entry.Kind.DAILY)


def writes_daily_logs_in(user, cohort_slug: str) -> bool:
    cohort_id = access.roles(user).cohort_slugs.get(cohort_slug)
    return cohort_id is not None and is_learner_of(user, cohort_id)


# --- When unsaved text was typed ----------------------------------------------------------------


def when_typed(moment: dt.datetime, cohort: Cohort, now: dt.datetime | None = None) -> str:
    """A moment as the recovery banner names it, in the cohort's time zone: "오늘 21:14", "2월 9일
    21:14", or with the year when it is not this year's. `static/js/routine.js` says a browser
    copy's time the same way."""
    zone = ZoneInfo(cohort.time_zone)
    local = moment.astimezone(zone)
    today = (now or timezone.now()).astimezone(zone).date()
    clock = f"{local:%H:%M}"
    if local.date() == today:
        return _("today %(time)s") % {"time": clock}
    if local.year == today.year:
        return f"{date_format(local, 'MONTH_DAY_FORMAT')} {clock}"
    return f"{date_format(local, 'DATE_FORMAT')} {clock}"


def recovery_texts(saved_at: dt.datetime | None, cohort: Cohort) -> dict[str, str]:
    """The recovery banner's sentence for a server draft saved at `saved_at` (empty without one),
    and its parts for the script that says a browser copy's time the same way."""
    offer = _("You have text from %(when)s that was never saved.")
    return {
        "text": offer % {"when": when_typed(saved_at, cohort)} if saved_at else "",
        "offer": offer,
        "today": _("today %(time)s"),
    }
