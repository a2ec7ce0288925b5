"""The browse pages: a cohort's home, a week, a day, a tag and a learner's timeline, each built
for one audience (`logs.caching.fragments.cached_page`): the lists hold what that audience may
see (`logs.access`), with a fixed number of queries whatever their length."""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce, Length, Lower, NullIf, RowNumber
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from accounts.calendar import WEEKDAY_NAMES
from accounts.models import Cohort, Membership
from logs import access, activity, charts, listing, tagging
from logs.access import lookups
from logs.caching import fragments, versions
from logs.models import Entry, Session

User = get_user_model()

PER_PAGE = 20
TAGS_PER_PAGE = 100


# --- Lookups: one per object type, each with its access rule -----------------------------------


# --- Shared pieces -----------------------------------------------------------------------------


def _today(cohort: Cohort) -> date:
    return cohort.calendar.today(timezone.now())


def _week_range(cohort: Cohort, n: int) -> tuple[date, date]:
    dates = cohort.calendar.week_dates(n)
    return dates[0], dates[-1]


def _holidays(cohort: Cohort) -> dict[date, str]:
    return {day.date: day.name for day in cohort.non_learning_days.all()}


def _weekday(d: date) -> str:
    return WEEKDAY_NAMES[d.weekday()] if _is_korean() else date_format(d, "D")


def _is_korean() -> bool:
    return (get_language() or "ko").startswith("ko")


def page_range(page) -> list:
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


# --- Cohort home -------------------------------------------------------------------------------


@dataclass
class WeekRow:
    number: int
    start: date
    end: date
    entries: int
    sessions: int
    stage: Any = None
    stage_index: int = 0
    stage_starts: bool = False
    is_current: bool = False
    is_past: bool = False


def cohort_home(user, slug: str, personal: bool, audience: str) -> dict:
    cohort = lookups.cohort_or_404(slug)
    calendar = cohort.calendar
    today = _today(cohort)
    is_member = access.roles(user).is_member(cohort.pk)
    entries = Entry.objects.filter(
        access.entry_visibility_q(user) if personal else access.shared_entry_q(member=is_member),
        cohort=cohort,
    )
    sessions = Session.objects.visible_to(user).filter(cohort=cohort)
    # count(*), not count(id): the (cohort, week) index holds status and visibility, so the
    # counts of 30,000 logs come from the index alone.
    entry_counts = dict(
        entries.order_by().values_list("week").annotate(n=Count("*")).values_list("week", "n")
    )
    session_counts = dict(
        sessions.order_by().values_list("week").annotate(n=Count("pk")).values_list("week", "n")
    )
    current = calendar.week_of(today) if calendar.contains(today) else None
    stage_order = {stage.slug: i for i, stage in enumerate(calendar.stages)}
    weeks = []
    previous_stage = None
    for n in range(1, calendar.week_count + 1):
        start, end = _week_range(cohort, n)
        learning = [d for d in calendar.week_dates(n)[:5] if calendar.contains(d)]
        stage = calendar.stage_of(learning[0]) if learning else None
        weeks.append(
            WeekRow(
                number=n,
                start=start,
                end=end,
                entries=entry_counts.get(n, 0),
                sessions=session_counts.get(n, 0),
                stage=stage,
                stage_index=stage_order.get(stage.slug, 0) % 4 if stage else 0,
                stage_starts=stage is not None and stage != previous_stage,
                is_current=n == current,
                is_past=end < today,
            )
        )
        previous_stage = stage
    context = {
        "cohort": cohort,
        "weeks": weeks,
        "current_week": current,
        # The cohort's keywords count every tag of every log: rebuilt hourly, not on each
        # save, which at 22:00 comes every few seconds.
        "top_tags": versions.cached(
            f"cohort-keywords:{slug}",
            lambda: tagging.tag_counts(entries, sessions, limit=24),
            depends_on=[versions.SETUP],
            vary=[audience, fragments.hour()],
        ),
        "is_member": is_member,
        "total_entries": sum(entry_counts.values()),
        "total_sessions": sum(session_counts.values()),
        "feed_url": reverse("logs:feed_cohort", args=[cohort.slug]),
    }
    return {
        "cohort_name": cohort.name,
        "feed_url": context["feed_url"],
        "html": fragments.render("logs/browse/_cohort_home_content.html", context),
    }


# --- Week --------------------------------------------------------------------------------------


@dataclass
class WeekDay:
    date: date
    label: str
    weekday: str
    url: str
    is_learning: bool
    holiday: str | None = None
    is_today: bool = False
    entries: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    entry_total: int = 0
    session_total: int = 0
    write_url: str | None = None  # the viewer's own log of the day, when it can be written


WEEK_DAY_LIMIT = 8  # logs listed a day on the week page; the day page lists them all
WEEK_SESSION_LIMIT = 4
WEEKLY_PER_PAGE = 12


def _natural(name: str) -> tuple:
    """Team names in the order people count them: 2조 before 10조."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name))


def _team_order():
    """The same order in SQL, for names like "7조": shorter names first, then by name."""
    return [Length("team_name").asc(nulls_last=True), F("team_name").asc(nulls_last=True)]


def _author_order():
    return Lower(Coalesce(NullIf("author__display_name", Value("")), "author__username"))


def _top_per_day(queryset, date_field: str, order_by: list, limit: int) -> list:
    """The first `limit` rows of each day of `queryset`, each with `day_total`: one query.
    The rows are ranked on their keys alone, and only the rows shown get the costly columns
    (tags, comment counts): a busy week ranks 1,500 logs to show 40."""
    ranked = (
        queryset.annotate(rank=Window(RowNumber(), partition_by=[F(date_field)], order_by=order_by))
        .filter(rank__lte=limit)
        .values("pk")
    )
    same_day = (
        queryset.filter(**{date_field: OuterRef(date_field)})
        .order_by()
        .values(date_field)
        .annotate(n=Count("*"))
        .values("n")
    )
    shown = queryset.filter(pk__in=ranked).annotate(day_total=Subquery(same_day))
    return tagging.attach_tags(shown.order_by(date_field, *order_by))


def _week_entries(user, cohort: Cohort, personal: bool):
    """A week's or day's entries for the list's audience: the viewer's own included only in a
    personal list (see logs/caching/fragments.py)."""
    is_member = access.roles(user).is_member(cohort.pk)
    q = access.entry_visibility_q(user) if personal else access.shared_entry_q(member=is_member)
    entries = Entry.objects.filter(q, cohort=cohort).for_row().with_tag_pairs()
    sessions = Session.objects.filter(cohort=cohort) if is_member else Session.objects.none()
    return entries, sessions.for_row().with_tag_pairs()


def _new_entry_url(cohort: Cohort, kind: str, day: date) -> str:
    return f"{reverse('logs:entry_new')}?{urlencode({'kind': kind, 'date': day, 'cohort': cohort.slug})}"


def week(user, slug: str, n: int, personal: bool, page_number, *, writer: bool = False) -> dict:
    """The week page's content. `writer`: the viewer writes daily logs in the cohort, and is
    offered to write theirs where the page is empty (the page is cached for writers apart)."""
    cohort = lookups.cohort_or_404(slug)
    calendar = cohort.calendar
    if not 1 <= n <= calendar.week_count:
        raise Http404
    today = _today(cohort)
    entries, sessions = _week_entries(user, cohort, personal)
    entries, sessions = entries.filter(week=n), sessions.filter(week=n)
    # Each day lists its first logs (by team, then name) and says how many there are in all:
    # a cohort of 300 writes 1,500 logs a week, which the day pages list.
    by_date: dict[date, list] = defaultdict(list)
    for entry in _top_per_day(
        entries.exclude(kind=Entry.Kind.WEEKLY),
        "learning_date",
        [*_team_order(), _author_order(), "pk"],
        WEEK_DAY_LIMIT,
    ):
        by_date[entry.learning_date].append(entry)
    sessions_by_date: dict[date, list] = defaultdict(list)
    for session in _top_per_day(
        sessions,
        "date",
        [Length("team__name").asc(nulls_first=True), F("team__name").asc(nulls_first=True), "pk"],
        WEEK_SESSION_LIMIT,
    ):
        sessions_by_date[session.date].append(session)
    weekly = Paginator(
        entries.filter(kind=Entry.Kind.WEEKLY).order_by(*_team_order(), _author_order(), "pk"),
        WEEKLY_PER_PAGE,
    ).get_page(page_number)
    weekly_entries = tagging.attach_tags(weekly.object_list)

    holidays = _holidays(cohort)
    days = []
    for d in calendar.week_dates(n):
        is_learning = calendar.is_learning_day(d)
        holiday = holidays.get(d) if d.weekday() < 5 else None
        if not (is_learning or holiday or by_date.get(d) or sessions_by_date.get(d)):
            continue
        day_entries, day_sessions = by_date.get(d, []), sessions_by_date.get(d, [])
        days.append(
            WeekDay(
                date=d,
                label=calendar.label(d),
                weekday=_weekday(d),
                url=reverse("logs:day", args=[cohort.slug, d]),
                is_learning=is_learning,
                holiday=holiday,
                is_today=d == today,
                entries=day_entries,
                sessions=day_sessions,
                entry_total=day_entries[0].day_total if day_entries else 0,
                session_total=day_sessions[0].day_total if day_sessions else 0,
                write_url=_new_entry_url(cohort, Entry.Kind.DAILY, d)
                if writer and is_learning and d <= today
                else None,
            )
        )
    start, end = _week_range(cohort, n)
    stages = []
    for d in calendar.week_dates(n):
        stage = calendar.stage_of(d)
        if stage and stage not in stages:
            stages.append(stage)
    context = {
        "cohort": cohort,
        "n": n,
        "start": start,
        "end": end,
        "days": days,
        "weekly_entries": weekly_entries,
        "weekly_page": weekly,
        "weekly_page_range": page_range(weekly),
        "stages": stages,
        "keywords": tagging.tag_counts(entries, sessions, limit=30),
        "entry_count": sum(d.entry_total for d in days) + weekly.paginator.count,
        "session_count": sum(d.session_total for d in days),
        "previous_week": n - 1 if n > 1 else None,
        "next_week": n + 1 if n < calendar.week_count else None,
        "is_current": calendar.contains(today) and calendar.week_of(today) == n,
        "writer": writer,
    }
    if writer and start <= today:
        # This week's weekly log, and a note dated today or, in a past week, its last day.
        context["weekly_url"] = _new_entry_url(cohort, Entry.Kind.WEEKLY, min(today, end))
        context["note_url"] = _new_entry_url(cohort, Entry.Kind.NOTE, min(today, end))
    return {
        "cohort_name": cohort.name,
        "n": n,
        "html": fragments.render("logs/browse/_week_content.html", context),
    }


# --- Day ---------------------------------------------------------------------------------------


@dataclass
class TeamGroup:
    name: str | None  # the team's name; None for the two groups below
    kind: str = "team"  # "team", "cohort" (cohort-wide sessions) or "none" (no team: mentors…)
    entries: list = field(default_factory=list)
    sessions: list = field(default_factory=list)


DAY_TEAMS_PER_PAGE = 8  # teams a page (40 logs for teams of five); a team is never split


def day(user, slug: str, day: date, personal: bool, page_number) -> dict:
    cohort = lookups.cohort_or_404(slug)
    calendar = cohort.calendar
    n = calendar.week_of(day)
    if not 1 <= n <= calendar.week_count:
        raise Http404
    entries, sessions = _week_entries(user, cohort, personal)
    entries = entries.filter(learning_date=day)
    # Pages of whole teams: the teams that wrote (one grouped query), then their logs.
    team_counts = sorted(
        entries.order_by().values_list("team_name").annotate(n=Count("pk")),
        key=lambda row: (row[0] is None, _natural(row[0] or "")),
    )
    page = Paginator(team_counts, DAY_TEAMS_PER_PAGE).get_page(page_number)
    teams_here = [name for name, _ in page.object_list if name]
    here = Q(team_name__in=teams_here)
    if any(name is None for name, _ in page.object_list):
        here |= Q(team_name__isnull=True)
    page_entries = tagging.attach_tags(entries.filter(here).order_by(_author_order(), "pk"))
    # The sessions of the teams on this page, and the cohort-wide ones on the first page.
    team_filter = Q(team__name__in=teams_here)
    if page.number == 1:
        team_filter |= Q(team__isnull=True)
    day_sessions = tagging.attach_tags(sessions.filter(team_filter, date=day).order_by("pk"))
    groups: dict[tuple, TeamGroup] = {}
    for entry in page_entries:
        key = (0, entry.team_name) if entry.team_name else (2, "")
        kind = "team" if entry.team_name else "none"
        groups.setdefault(key, TeamGroup(entry.team_name, kind)).entries.append(entry)
    for session in day_sessions:
        key = (0, session.team.name) if session.team else (1, "")
        kind = "team" if session.team else "cohort"
        groups.setdefault(key, TeamGroup(key[1] or None, kind)).sessions.append(session)
    context = {
        "cohort": cohort,
        "day": day,
        "weekday": _weekday(day),
        "label": calendar.label(day),
        "week": n,
        "is_learning": calendar.is_learning_day(day),
        "holiday": _holidays(cohort).get(day),
        "stage": calendar.stage_of(day),
        "groups": [groups[key] for key in sorted(groups, key=lambda k: (k[0], _natural(k[1])))],
        "page_obj": page,
        "page_range": page_range(page),
        "entry_count": sum(n for _, n in team_counts),
        "session_count": len(day_sessions),
        "previous_day": calendar.previous_learning_day(day),
        "next_day": calendar.next_learning_day(day),
    }
    return {
        "cohort_name": cohort.name,
        "day": day,
        "html": fragments.render("logs/browse/_day_content.html", context),
    }


# --- Tags --------------------------------------------------------------------------------------


TAG_KINDS = ("daily", "weekly", "note", "session")


def _load_entries(ids: list[int]) -> dict[int, Entry]:
    entries = Entry.objects.for_row().with_tag_pairs().filter(pk__in=ids)
    return {entry.pk: entry for entry in tagging.attach_tags(entries)}


def _load_sessions(ids: list[int]) -> dict[int, Session]:
    sessions = Session.objects.for_row().with_tag_pairs().filter(pk__in=ids)
    return {session.pk: session for session in tagging.attach_tags(sessions)}


def tag(user, slug: str, personal: bool, cohort_slug: str, kind, page_number) -> dict:
    tag = lookups.tag_or_404(slug)
    if tag.slug != slug:
        return {"redirect": tag.slug}
    cohorts = list(Cohort.objects.order_by("-start_date").only("pk", "slug", "name"))
    cohort = next((c for c in cohorts if c.slug == cohort_slug), None)
    entries = Entry.objects.filter(access.entry_visibility_q(user, own=personal))
    sessions = Session.objects.visible_to(user)
    if cohort:
        entries, sessions = entries.filter(cohort=cohort), sessions.filter(cohort=cohort)
    branches = []
    if kind in (None, "daily", "weekly", "note"):
        tagged = entries.tagged(tag).filter(kind=kind) if kind else entries.tagged(tag)
        branches.append(listing.keys(tagged, "entry", F("learning_date"), F("created_at")))
    if kind in (None, "session"):
        branches.append(listing.keys(sessions.tagged(tag), "session", F("date"), F("created_at")))
    page = listing.mixed_page(
        branches,
        {"entry": _load_entries, "session": _load_sessions},
        page_number,
        PER_PAGE,
    )
    filtered = cohort is not None or kind is not None
    if page.paginator.count == 0 and not filtered:
        raise Http404  # nothing under this tag that the viewer may see: do not confirm it
    context = {
        "tag": tag,
        "page_obj": page,
        "rows": page.object_list,
        "page_range": page_range(page),
        "query_string": urlencode(
            {k: v for k, v in (("cohort", cohort_slug), ("kind", kind)) if v}
        ),
        "related": tagging.related_tags(tag, entries, sessions),
        "cohorts": cohorts,
        "cohort": cohort,
        "kind": kind,
        "kinds": [
            ("daily", _("Daily logs")),
            ("weekly", _("Weekly logs")),
            ("note", _("Notes")),
            ("session", _("Sessions")),
        ],
        "filtered": filtered,
        "feed_url": reverse("logs:feed_tag", args=[tag.slug]),
    }
    return {
        "tag_name": tag.name,
        "html": fragments.render("logs/browse/_tag_content.html", context),
    }


# --- Learner -----------------------------------------------------------------------------------


@dataclass
class TimelineWeek:
    cohort: Cohort
    week: int
    start: date | None
    end: date | None
    entries: list = field(default_factory=list)


def _heatmap(cohort: Cohort, counts: dict[date, int], today: date) -> str:
    calendar = cohort.calendar
    weeks = activity.heatmap_weeks(calendar, counts, activity.clamp_today(calendar, today))
    holidays = _holidays(cohort)
    columns = []
    for days in weeks:
        column = []
        for d in days:
            if d.state == "outside" and not calendar.contains(d.date):
                column.append(None)
                continue
            parts = [f"{d.date.isoformat()} ({_weekday(d.date)})", d.label]
            if d.state == "off":
                parts.append(holidays.get(d.date) or _("no learning day"))
            if d.count or d.state == "learning":
                parts.append(
                    ngettext("%(count)d log", "%(count)d logs", d.count) % {"count": d.count}
                )
            column.append(
                charts.HeatCell(
                    title=" · ".join(parts),
                    level=charts.heat_level(d.count),
                    state=d.state,
                    url=reverse("logs:day", args=[cohort.slug, d.date]) if d.count else "",
                )
            )
        columns.append(column)
    labels = [f"W{i:02d}" if i == 1 or i % 4 == 0 else "" for i in range(1, len(weeks) + 1)]
    row_labels = [_weekday(date(2024, 1, 1 + i)) if i in (0, 2, 4) else "" for i in range(7)]
    return charts.heatmap_svg(
        columns,
        labels,
        row_labels,
        title=_("Activity in %(cohort)s") % {"cohort": cohort.name},
        description=_("One square per day, one column per week; darker means more logs."),
    )


def learner(user, username: str, cohort_slug: str, page_number) -> dict:
    person = lookups.learner_or_404(username)
    # The calendar rows come with the memberships' cohorts: the shown cohort is not fetched again.
    memberships = list(
        Membership.objects.filter(user=person)
        .select_related("cohort", "team")
        .prefetch_related("cohort__non_learning_days", "cohort__stages")
        .order_by("-cohort__start_date")
    )
    membership = next(
        (m for m in memberships if m.cohort.slug == cohort_slug),
        memberships[0] if memberships else None,
    )
    viewer_roles = access.roles(user)
    entries = Entry.objects.filter(
        access.entry_visibility_q(user, own=user == person), author=person
    )
    context: dict[str, Any] = {
        "person": person,
        "own": user == person,  # the fragment is then the viewer's own (views/browse.py)
        "memberships": memberships,
        "membership": membership,
        "shows_membership": membership is not None
        and (viewer_roles.is_member(membership.cohort_id) or user == person),
        "feed_url": reverse("logs:feed_learner", args=[person.username]),
    }
    if membership is not None:
        cohort = membership.cohort
        entries = entries.filter(cohort=cohort)
        today = _today(cohort)
        counts = dict(
            entries.order_by()
            .values_list("learning_date")
            .annotate(n=Count("pk"))
            .values_list("learning_date", "n")
        )
        calendar = cohort.calendar
        context.update(
            cohort=cohort,
            heatmap=_heatmap(cohort, counts, today),
            streaks=activity.streaks(calendar, counts, activity.clamp_today(calendar, today)),
        )
    page = Paginator(
        entries.for_row().with_tag_pairs().order_by("-learning_date", "-created_at"), PER_PAGE
    ).get_page(page_number)
    tagging.attach_tags(page.object_list)
    timeline: list[TimelineWeek] = []
    shown = context.get("cohort")
    for entry in page.object_list:
        if timeline and (timeline[-1].cohort.pk, timeline[-1].week) == (
            entry.cohort_id,
            entry.week,
        ):
            timeline[-1].entries.append(entry)
            continue
        start = end = None
        if shown and entry.cohort_id == shown.pk and 1 <= entry.week <= shown.calendar.week_count:
            start, end = _week_range(shown, entry.week)
        timeline.append(TimelineWeek(entry.cohort, entry.week, start, end, [entry]))
    context.update(
        page_obj=page,
        timeline=timeline,
        page_range=page_range(page),
        query_string=urlencode({"cohort": cohort_slug} if cohort_slug else {}),
    )
    return {
        "person_name": person.name,
        "feed_url": context["feed_url"],
        "html": fragments.render("logs/browse/_learner_content.html", context),
    }


# --- Insights (members) ------------------------------------------------------------------------
