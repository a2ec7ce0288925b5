"""A cohort's insights, for its members: logs written per learning day, who wrote on which day
of a week, and each week's top keywords. A fixed number of queries whatever the cohort's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from accounts.calendar import WEEKDAY_NAMES, CohortCalendar
from accounts.models import Cohort, Membership
from logs import activity, charts, tagging
from logs.models import Entry, Session


@dataclass
class GridRow:
    name: str
    username: str
    team: str | None
    cells: list[bool]
    total: int


def build(cohort: Cohort, user, week: str | None) -> dict:
    """The context of `/c/<slug>/insights/?week=<week>` for `user`, a member of `cohort`."""
    calendar = cohort.calendar
    today = activity.clamp_today(calendar, calendar.today(timezone.now()))
    entries = Entry.objects.visible_to(user).filter(cohort=cohort)
    daily = entries.filter(kind=Entry.Kind.DAILY)
    per_day, bar_chart, days_so_far = _logs_per_day(cohort, daily, today)
    n = _week(calendar, today, week, per_day)
    week_days = [d for d in calendar.week_dates(n) if calendar.is_learning_day(d)]
    grid = _who_wrote(cohort, daily, n, week_days)
    dates = calendar.week_dates(n)
    return {
        "cohort": cohort,
        "bar_chart": bar_chart,
        "total_daily": sum(per_day.values()),
        "learning_days_so_far": days_so_far,
        "n": n,
        "start": dates[0],
        "end": dates[-1],
        "week_days": [(d, _weekday(d), calendar.label(d)) for d in week_days],
        "grid": grid,
        "day_totals": [sum(row.cells[i] for row in grid) for i in range(len(week_days))],
        "previous_week": n - 1 if n > 1 else None,
        "next_week": n + 1 if n < calendar.week_count else None,
        "keywords": _keywords(cohort, user, entries),
    }


def _weekday(d: date) -> str:
    korean = (get_language() or "ko").startswith("ko")
    return WEEKDAY_NAMES[d.weekday()] if korean else date_format(d, "D")


def _week(
    calendar: CohortCalendar, today: date, asked: str | None, per_day: dict[date, int]
) -> int:
    """The week asked for, else the latest up to this one (the last after the cohort) in which
    logs were written: a cohort that has ended, or a week that has just begun, would otherwise
    open on a week of zeros."""
    current = calendar.week_of(today) if calendar.contains(today) else calendar.week_count
    written = [calendar.week_of(d) for d, count in per_day.items() if count and d <= today]
    current = max((w for w in written if w <= current), default=current)
    n = int(asked) if asked and asked.isascii() and asked.isdigit() and len(asked) < 6 else current
    return max(1, min(calendar.week_count, n))


def _logs_per_day(cohort: Cohort, daily, today: date) -> tuple[dict[date, int], str, int]:
    """Daily logs per learning day up to today (one grouped query), and their bar chart."""
    calendar = cohort.calendar
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
        previous = calendar.previous_learning_day(d)
        starts_week = (
            calendar.day_number(d) == 1
            or previous is None
            or calendar.week_of(previous) != calendar.week_of(d)
        )
        bars.append(
            charts.Bar(
                value=count,
                title=f"{d.isoformat()} · {calendar.label(d)} · "
                + ngettext("%(count)d log", "%(count)d logs", count) % {"count": count},
                label=f"W{calendar.week_of(d):02d}" if starts_week else "",
                url=reverse("logs:day", args=[cohort.slug, d]),
                highlight=d == today,
            )
        )
    chart = charts.bar_chart_svg(
        bars,
        title=_("Daily logs written per learning day"),
        description=_("One bar per learning day; the label marks the first day of each week."),
    )
    return per_day, chart, len(bars)


def _who_wrote(cohort: Cohort, daily, n: int, week_days: list[date]) -> list[GridRow]:
    """The learner × day grid of week `n`: learners (one query), who wrote when (one query)."""
    learners = (
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
        team = m.team.name if m.team else None
        grid.append(GridRow(m.user.name, m.user.username, team, cells, sum(cells)))
    return grid


def _keywords(cohort: Cohort, user, entries) -> list[tuple[int, list[tagging.TagCount]]]:
    """Each week's six top keywords over logs and sessions: one grouped query per kind."""
    per_week: dict[int, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    sessions = Session.objects.visible_to(user).filter(cohort=cohort)
    for kind in (entries, sessions):
        rows = kind.order_by().values("week", "tags__name", "tags__slug").annotate(n=Count("pk"))
        for row in rows:
            if row["tags__name"]:
                per_week[row["week"]][(row["tags__name"], row["tags__slug"])] += row["n"]

    def ranked(counts: dict[tuple[str, str], int]) -> list:
        return sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))[:6]

    return [
        (
            week,
            [tagging.TagCount(name, slug, count) for (name, slug), count in ranked(per_week[week])],
        )
        for week in sorted(per_week)
        if 1 <= week <= cohort.calendar.week_count
    ]
