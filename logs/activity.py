"""A learner's activity over the cohort calendar: streaks and the heatmap's grid.

Pure: a `CohortCalendar`, the dates that have entries and "today" in; numbers and cells out.

Streaks count learning days only. Weekends and holidays neither break a streak nor extend it
(an entry written on a Saturday shows on the heatmap, but the streak is about learning days).
The current streak ends at the latest learning day up to today; when today is a learning day
without a log yet, it is not held against the learner until it is over, so the count runs from
the learning day before. After the cohort's end the current streak is the one the cohort ended on.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from accounts.calendar import CohortCalendar


@dataclass(frozen=True)
class Streaks:
    current: int
    longest: int
    active_days: int  # learning days with at least one entry
    learning_days: int  # learning days so far (up to today)


def streaks(calendar: CohortCalendar, active: Iterable[date], today: date) -> Streaks:
    active_dates = set(active)
    days = [d for d in calendar.learning_days() if d <= today]
    longest = run = 0
    for d in days:
        run = run + 1 if d in active_dates else 0
        longest = max(longest, run)
    current = 0
    remaining = list(days)
    if remaining and remaining[-1] == today and today not in active_dates:
        remaining.pop()  # today is still being written
    for d in reversed(remaining):
        if d not in active_dates:
            break
        current += 1
    return Streaks(
        current=current,
        longest=longest,
        active_days=sum(1 for d in days if d in active_dates),
        learning_days=len(days),
    )


@dataclass(frozen=True)
class Day:
    """A date of the heatmap grid and what is known about it."""

    date: date
    count: int
    state: str  # "learning", "off" (weekend, holiday) or "outside" (not in the cohort, or future)
    label: str  # calendar label: "Week 04 / Day 015" or "Week 04 / 02-12 토"


def heatmap_weeks(
    calendar: CohortCalendar, counts: Mapping[date, int], today: date
) -> list[list[Day]]:
    """One list of seven days (Monday first) per cohort week, Week 1 to the last week."""
    weeks = []
    for n in range(1, calendar.week_count + 1):
        days = []
        for d in calendar.week_dates(n):
            if not calendar.contains(d) or d > today:
                state = "outside"
            elif calendar.is_learning_day(d):
                state = "learning"
            else:
                state = "off"
            days.append(Day(date=d, count=counts.get(d, 0), state=state, label=calendar.label(d)))
        weeks.append(days)
    return weeks


def clamp_today(calendar: CohortCalendar, today: date) -> date:
    """The cohort's "now" for charts: today, but no later than the day after the end."""
    return min(today, calendar.end + timedelta(days=1))
