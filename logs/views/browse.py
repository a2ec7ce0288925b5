"""Browsing: a cohort's weeks, a week, a day, tags, a learner's page and the cohort's insights.

Who sees what: every list goes through `visible_to(user)`. Cohort, week and day pages are open to
everyone (a visitor sees the calendar and the public logs, a member everything the cohort
shares); insights are for members (`permissions.can_view_cohort_insights`). Every page runs a
fixed number of queries whatever the data size (pinned in tests/logs/).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from taggit.models import Tag

from accounts.calendar import WEEKDAY_NAMES
from accounts.models import Cohort, Membership
from logs import activity, charts, listing, permissions, tagging
from logs.models import Entry, Session

User = get_user_model()

PER_PAGE = 20
TAGS_PER_PAGE = 100


# --- Lookups: one per object type, each with its access rule -----------------------------------


def _get_cohort_for_user(user, slug: str, *, insights: bool = False) -> Cohort:
    """The cohort with its calendar loaded (holidays, stages). Browsing is open to everyone;
    insights need membership. 404 either way, so a private cohort's name is not confirmed."""
    cohort = get_object_or_404(
        Cohort.objects.prefetch_related("non_learning_days", "stages"), slug=slug
    )
    if insights and not permissions.can_view_cohort_insights(user, cohort.pk):
        raise Http404
    return cohort


def _get_tag_for_user(user, slug: str) -> Tag:
    """The tag by its slug (Hangul kept, as taggit makes it), else by its name in any case. An
    unknown tag is a 404; a tag with nothing the viewer may see is one too (see tag_detail)."""
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        tag = Tag.objects.filter(Q(slug__iexact=slug) | Q(name__iexact=slug)).first()
    if tag is None:
        raise Http404
    return tag


def _get_learner_for_user(user, username: str):
    """An active user by username. Their page is public; what it lists is filtered."""
    return get_object_or_404(User, username=username, is_active=True)


# --- Shared pieces -----------------------------------------------------------------------------


def _today(cohort: Cohort) -> date:
    return cohort.calendar.today(timezone.now())


def _entries(user, cohort: Cohort):
    return (
        Entry.objects.visible_to(user)
        .filter(cohort=cohort)
        .for_list()
        .with_comment_count()
        .with_team_name()
    )


def _sessions(user, cohort: Cohort):
    return Session.objects.visible_to(user).filter(cohort=cohort).for_list().with_comment_count()


def _week_range(cohort: Cohort, n: int) -> tuple[date, date]:
    dates = cohort.calendar.week_dates(n)
    return dates[0], dates[-1]


def _holidays(cohort: Cohort) -> dict[date, str]:
    return {day.date: day.name for day in cohort.non_learning_days.all()}


def _weekday(d: date) -> str:
    return WEEKDAY_NAMES[d.weekday()] if _is_korean() else date_format(d, "D")


def _is_korean() -> bool:
    return (get_language() or "ko").startswith("ko")


def _query_string(request: HttpRequest, drop: tuple[str, ...] = ("page",)) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()


def _page_range(page) -> list:
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


def _by_team(entries, team_key=lambda e: e.team_name) -> list[tuple[str | None, list]]:
    groups: dict[str | None, list] = defaultdict(list)
    for entry in entries:
        groups[team_key(entry)].append(entry)
    return sorted(groups.items(), key=lambda item: (item[0] is None, item[0] or ""))


def _entry_order(entry) -> tuple:
    return (entry.team_name is None, entry.team_name or "", entry.author.name.lower())


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


@require_GET
def cohort_home(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _get_cohort_for_user(request.user, slug)
    calendar = cohort.calendar
    today = _today(cohort)
    entries = Entry.objects.visible_to(request.user).filter(cohort=cohort)
    sessions = Session.objects.visible_to(request.user).filter(cohort=cohort)
    entry_counts = dict(
        entries.order_by().values_list("week").annotate(n=Count("pk")).values_list("week", "n")
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
    is_member = permissions.roles(request.user).is_member(cohort.pk)
    return render(
        request,
        "logs/browse/cohort_home.html",
        {
            "cohort": cohort,
            "weeks": weeks,
            "current_week": current,
            "top_tags": tagging.tag_counts(entries, sessions, limit=24),
            "is_member": is_member,
            "total_entries": sum(entry_counts.values()),
            "total_sessions": sum(session_counts.values()),
            "feed_url": reverse("logs:feed_cohort", args=[cohort.slug]),
            "nav_section": "cohort",
        },
    )


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


@require_GET
def week(request: HttpRequest, slug: str, n: int) -> HttpResponse:
    cohort = _get_cohort_for_user(request.user, slug)
    calendar = cohort.calendar
    if not 1 <= n <= calendar.week_count:
        raise Http404
    today = _today(cohort)
    # One query for every entry of the week (with comment counts and teams) and one for their
    # tags; the same for sessions. Up to 300 learners × 7 days, no query per row.
    entries = list(_entries(request.user, cohort).filter(week=n))
    sessions = list(_sessions(request.user, cohort).filter(week=n))
    holidays = _holidays(cohort)
    by_date: dict[date, list] = defaultdict(list)
    weekly = []
    for entry in sorted(entries, key=_entry_order):
        (weekly if entry.kind == Entry.Kind.WEEKLY else by_date[entry.learning_date]).append(entry)
    sessions_by_date: dict[date, list] = defaultdict(list)
    for session in sorted(sessions, key=lambda s: (s.team is None, s.team.name if s.team else "")):
        sessions_by_date[session.date].append(session)

    days = []
    for d in calendar.week_dates(n):
        is_learning = calendar.is_learning_day(d)
        holiday = holidays.get(d) if d.weekday() < 5 else None
        if not (is_learning or holiday or by_date.get(d) or sessions_by_date.get(d)):
            continue
        days.append(
            WeekDay(
                date=d,
                label=calendar.label(d),
                weekday=_weekday(d),
                url=reverse("logs:day", args=[cohort.slug, d]),
                is_learning=is_learning,
                holiday=holiday,
                is_today=d == today,
                entries=by_date.get(d, []),
                sessions=sessions_by_date.get(d, []),
            )
        )
    start, end = _week_range(cohort, n)
    stages = []
    for d in calendar.week_dates(n):
        stage = calendar.stage_of(d)
        if stage and stage not in stages:
            stages.append(stage)
    return render(
        request,
        "logs/browse/week.html",
        {
            "cohort": cohort,
            "n": n,
            "start": start,
            "end": end,
            "days": days,
            "weekly_entries": weekly,
            "stages": stages,
            "keywords": tagging.count_tags([*entries, *sessions])[:30],
            "entry_count": len(entries),
            "session_count": len(sessions),
            "previous_week": n - 1 if n > 1 else None,
            "next_week": n + 1 if n < calendar.week_count else None,
            "is_current": calendar.contains(today) and calendar.week_of(today) == n,
            "nav_section": "cohort",
        },
    )


# --- Day ---------------------------------------------------------------------------------------


@dataclass
class TeamGroup:
    name: str | None  # the team's name; None for the two groups below
    kind: str = "team"  # "team", "cohort" (cohort-wide sessions) or "none" (no team: mentors…)
    entries: list = field(default_factory=list)
    sessions: list = field(default_factory=list)


@require_GET
def day(request: HttpRequest, slug: str, day: date) -> HttpResponse:
    cohort = _get_cohort_for_user(request.user, slug)
    calendar = cohort.calendar
    n = calendar.week_of(day)
    if not 1 <= n <= calendar.week_count:
        raise Http404
    entries = sorted(_entries(request.user, cohort).filter(learning_date=day), key=_entry_order)
    sessions = list(_sessions(request.user, cohort).filter(date=day))
    groups: dict[tuple, TeamGroup] = {}
    for entry in entries:
        key = (0, entry.team_name) if entry.team_name else (2, "")
        kind = "team" if entry.team_name else "none"
        groups.setdefault(key, TeamGroup(entry.team_name, kind)).entries.append(entry)
    for session in sessions:
        key = (0, session.team.name) if session.team else (1, "")
        kind = "team" if session.team else "cohort"
        groups.setdefault(key, TeamGroup(key[1] or None, kind)).sessions.append(session)
    ordered = [groups[key] for key in sorted(groups)]
    previous_day = calendar.previous_learning_day(day)
    next_day = calendar.next_learning_day(day)
    return render(
        request,
        "logs/browse/day.html",
        {
            "cohort": cohort,
            "day": day,
            "weekday": _weekday(day),
            "label": calendar.label(day),
            "week": n,
            "is_learning": calendar.is_learning_day(day),
            "holiday": _holidays(cohort).get(day),
            "stage": calendar.stage_of(day),
            "groups": ordered,
            "entry_count": len(entries),
            "session_count": len(sessions),
            "previous_day": previous_day,
            "next_day": next_day,
            "nav_section": "cohort",
        },
    )


# --- Tags --------------------------------------------------------------------------------------


@require_GET
def tag_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(tagging.visible_tags(request.user), TAGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "logs/browse/tag_list.html",
        {
            "page_obj": page,
            "tags": page.object_list,
            "page_range": _page_range(page),
            "nav_section": "tags",
        },
    )


TAG_KINDS = ("daily", "weekly", "note", "session")


def _load_entries(ids: list[int]) -> dict[int, Entry]:
    return Entry.objects.for_list().with_comment_count().with_team_name().in_bulk(ids)


def _load_sessions(ids: list[int]) -> dict[int, Session]:
    return Session.objects.for_list().with_comment_count().in_bulk(ids)


@require_GET
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = _get_tag_for_user(request.user, slug)
    if tag.slug != slug:
        return redirect("logs:tag_detail", tag.slug, permanent=False)
    cohorts = list(Cohort.objects.order_by("-start_date").only("pk", "slug", "name"))
    cohort = next((c for c in cohorts if c.slug == request.GET.get("cohort")), None)
    kind = request.GET.get("kind") if request.GET.get("kind") in TAG_KINDS else None

    entries = Entry.objects.visible_to(request.user)
    sessions = Session.objects.visible_to(request.user)
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
        request.GET.get("page"),
        PER_PAGE,
    )
    filtered = cohort is not None or kind is not None
    if page.paginator.count == 0 and not filtered:
        raise Http404  # nothing under this tag that the viewer may see: do not confirm it
    return render(
        request,
        "logs/browse/tag_detail.html",
        {
            "tag": tag,
            "page_obj": page,
            "rows": page.object_list,
            "page_range": _page_range(page),
            "query_string": _query_string(request),
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
            "nav_section": "tags",
        },
    )


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


@require_GET
def learner(request: HttpRequest, username: str) -> HttpResponse:
    person = _get_learner_for_user(request.user, username)
    # The calendar rows come with the memberships' cohorts: the shown cohort is not fetched again.
    memberships = list(
        Membership.objects.filter(user=person)
        .select_related("cohort", "team")
        .prefetch_related("cohort__non_learning_days", "cohort__stages")
        .order_by("-cohort__start_date")
    )
    membership = next(
        (m for m in memberships if m.cohort.slug == request.GET.get("cohort")),
        memberships[0] if memberships else None,
    )
    viewer_roles = permissions.roles(request.user)
    entries = Entry.objects.visible_to(request.user).filter(author=person)
    context: dict[str, Any] = {
        "person": person,
        "memberships": memberships,
        "membership": membership,
        "shows_membership": membership is not None
        and (viewer_roles.is_member(membership.cohort_id) or request.user == person),
        "feed_url": reverse("logs:feed_learner", args=[person.username]),
        "nav_section": "learner" if request.user == person else None,
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
        entries.for_list().with_comment_count().order_by("-learning_date", "-created_at"),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
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
        page_range=_page_range(page),
        query_string=_query_string(request),
    )
    return render(request, "logs/browse/learner.html", context)


# --- Insights (members) ------------------------------------------------------------------------


@dataclass
class GridRow:
    name: str
    username: str
    team: str | None
    cells: list[bool]
    total: int


@login_required
@require_GET
def insights(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _get_cohort_for_user(request.user, slug, insights=True)
    calendar = cohort.calendar
    today = activity.clamp_today(calendar, _today(cohort))
    entries = Entry.objects.visible_to(request.user).filter(cohort=cohort)
    daily = entries.filter(kind=Entry.Kind.DAILY)

    # Logs per learning day: one grouped query.
    per_day = dict(
        daily.order_by()
        .values_list("learning_date")
        .annotate(n=Count("pk"))
        .values_list("learning_date", "n")
    )
    bars = []
    for d in calendar.learning_days():
        if d > today:
            break
        count = per_day.get(d, 0)
        label = calendar.label(d)
        bars.append(
            charts.Bar(
                value=count,
                title=f"{d.isoformat()} · {label} · "
                + ngettext("%(count)d log", "%(count)d logs", count) % {"count": count},
                label=f"W{calendar.week_of(d):02d}"
                if calendar.day_number(d) == 1
                or calendar.previous_learning_day(d) is None
                or calendar.week_of(calendar.previous_learning_day(d)) != calendar.week_of(d)
                else "",
                url=reverse("logs:day", args=[cohort.slug, d]),
                highlight=d == today,
            )
        )
    bar_chart = charts.bar_chart_svg(
        bars,
        title=_("Daily logs written per learning day"),
        description=_("One bar per learning day; the label marks the first day of each week."),
    )

    # The learner × day grid of one week: learners (one query) and who wrote when (one query).
    current = calendar.week_of(today) if calendar.contains(today) else calendar.week_count
    try:
        n = int(request.GET.get("week", current))
    except ValueError:
        n = current
    n = max(1, min(calendar.week_count, n))
    week_days = [d for d in calendar.week_dates(n) if calendar.is_learning_day(d)]
    learners = list(
        Membership.objects.filter(cohort=cohort, role=Membership.Role.LEARNER)
        .select_related("user", "team")
        .order_by(F("team__name").asc(nulls_last=True), "user__username")
    )
    written = set(
        daily.filter(week=n, learning_date__in=week_days).values_list("author_id", "learning_date")
    )
    grid = []
    for m in learners:
        cells = [(m.user_id, d) in written for d in week_days]
        grid.append(
            GridRow(
                m.user.name, m.user.username, m.team.name if m.team else None, cells, sum(cells)
            )
        )
    day_totals = [sum(row.cells[i] for row in grid) for i in range(len(week_days))]

    # Top keywords per week: one grouped query per kind of object.
    per_week: dict[int, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for through_rows in (
        entries.order_by().values("week", "tags__name", "tags__slug").annotate(n=Count("pk")),
        Session.objects.visible_to(request.user)
        .filter(cohort=cohort)
        .order_by()
        .values("week", "tags__name", "tags__slug")
        .annotate(n=Count("pk")),
    ):
        for row in through_rows:
            if row["tags__name"]:
                per_week[row["week"]][(row["tags__name"], row["tags__slug"])] += row["n"]
    keywords = [
        (
            week_number,
            [
                tagging.TagCount(name, slug, count)
                for (name, slug), count in sorted(
                    per_week[week_number].items(), key=lambda item: (-item[1], item[0][0])
                )[:6]
            ],
        )
        for week_number in sorted(per_week)
        if 1 <= week_number <= calendar.week_count
    ]
    start, end = _week_range(cohort, n)
    return render(
        request,
        "logs/browse/insights.html",
        {
            "cohort": cohort,
            "bar_chart": bar_chart,
            "total_daily": sum(per_day.values()),
            "learning_days_so_far": len(bars),
            "n": n,
            "start": start,
            "end": end,
            "week_days": [(d, _weekday(d), calendar.label(d)) for d in week_days],
            "grid": grid,
            "day_totals": day_totals,
            "previous_week": n - 1 if n > 1 else None,
            "next_week": n + 1 if n < calendar.week_count else None,
            "keywords": keywords,
            "nav_section": "cohort",
        },
    )
