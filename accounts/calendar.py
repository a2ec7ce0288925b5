"""A cohort's calendar: which learning date a moment belongs to, and its week, day and stage.

Pure: dates in, numbers and titles out. Imports no model and nothing from `logs`, so views,
models, importers and the benchmark all share this one definition of the rules below.

Learning date
    A moment (an aware `datetime`, in any time zone) is converted to the cohort's time zone; if
    its *wall-clock* hour there is before `cutoff_hour`, it belongs to the previous date. With the
    default 04:00, a log written at 01:20 on Thursday is Wednesday's. The rule reads the local
    clock, so it follows DST: 03:30 on the night clocks spring forward is still the previous
    day, and both 01:30s of the night clocks fall back are too. A naive datetime is refused
    (`ValueError`): it has no instant to convert. `cutoff_hour` 0 means days end at midnight.

Week
    Calendar weeks, Monday to Sunday, counted from the week that holds `start`: that week is
    Week 1, whatever weekday the cohort starts on. Weeks are pure arithmetic, so they are defined
    for every date: weeks before the start's week are 0, -1, …, and weeks keep counting after
    `end`. A date before `start` in the start's own week (the Monday of a cohort starting on
    Thursday) is in Week 1, because Week 1's page shows all seven dates of that week.
    `week_count` is the week of `end`; `week_dates(n)` and `learning_days_of_week(n)` accept
    1 ≤ n ≤ week_count and raise `ValueError` otherwise.

Learning day and day number
    A learning day is a weekday (Mon–Fri) within [start, end] that is not one of the cohort's
    non-learning days (holidays). Its day number counts the learning days from `start` up to and
    including it, so the first learning day is Day 1. Non-learning days on a weekend or outside
    the cohort change nothing. Every other date — a weekend, a holiday, a date before `start` or
    after `end` — has no day number (`None`): it is not a learning day, and borrowing a
    neighbour's number would give two different dates the same "Day 015". The day number is
    O(log h) arithmetic (weekdays counted by formula, holidays by bisection), not a loop.

Titles and labels
    The label names a date on pages; titles wrap it in brackets.

    - a learning day: ``Week 04 / Day 015``, titled ``[Week 04 / Day 015] 학습 기록``;
    - a weekend or a holiday: ``Week 04 / 02-12 토``, titled ``[Week 04 / 02-12 토] 학습 기록``;
    - a date outside the cohort (before its start, after its end): the date itself,
      ``2023-03-01``, titled plainly ``2023-03-01 학습 기록``. Its week number would only
      mislead ("Week 255" for a note written a year after the cohort).

    A learning day's number is unique; a day off is named by week and date (``MM-DD`` and the
    Korean weekday), which keeps every date's title distinct and still says where in the cohort
    it sits. `weekly_title(4)` is ``[Week 04] 주간 회고``; `weekly_title_of(d)` names the week
    of `d`, plainly by its Monday (``2023-02-27 주간 회고``) when that week is not one of the
    cohort's. Numbers are zero-padded to two (week) and three (day) digits and grow wider if
    they must.

Stages
    `stage_of(d)` is the first stage, in order of start date, whose [start, end] holds `d`, or
    `None`. Stages should not overlap; `validate_calendar` reports it when they do.
"""

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

WEEKDAY_NAMES = "월화수목금토일"
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class StageSpan:
    slug: str
    name: str
    start: date
    end: date

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end


def _weekdays_before(ordinal: int) -> int:
    """The number of weekdays with a proleptic ordinal below `ordinal` (ordinal 1 is a Monday)."""
    weeks, rest = divmod(ordinal - 1, 7)
    return weeks * 5 + min(rest, 5)


def _short_date(d: date) -> str:
    return f"{d:%m-%d} {WEEKDAY_NAMES[d.weekday()]}"


@dataclass(frozen=True)
class CohortCalendar:
    start: date
    end: date
    time_zone: str = "Asia/Seoul"
    cutoff_hour: int = 4
    non_learning_days: frozenset[date] = frozenset()
    stages: tuple[StageSpan, ...] = ()

    # Derived once; excluded from equality, hashing and repr.
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)
    _holidays: tuple[date, ...] = field(init=False, repr=False, compare=False)
    _week1_monday: date = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not 0 <= self.cutoff_hour <= 23:
            raise ValueError(f"cutoff_hour must be within 0–23, not {self.cutoff_hour}")
        # Accept any iterable from callers while keeping the instance hashable.
        object.__setattr__(self, "non_learning_days", frozenset(self.non_learning_days))
        object.__setattr__(self, "stages", tuple(sorted(self.stages, key=lambda s: s.start)))
        object.__setattr__(self, "_zone", ZoneInfo(self.time_zone))
        # Only holidays that would otherwise be learning days shift the day numbers.
        holidays = (
            d for d in self.non_learning_days if self.start <= d <= self.end and d.weekday() < 5
        )
        object.__setattr__(self, "_holidays", tuple(sorted(holidays)))
        object.__setattr__(self, "_week1_monday", self.start - timedelta(days=self.start.weekday()))

    # Learning date

    def learning_date(self, moment: datetime) -> date:
        if not isinstance(moment, datetime):
            raise TypeError(f"learning_date() needs a datetime, not {type(moment).__name__}")
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("learning_date() needs an aware datetime; got a naive one")
        local = moment.astimezone(self._zone)
        return local.date() - _DAY if local.hour < self.cutoff_hour else local.date()

    def today(self, now: datetime | None = None) -> date:
        return self.learning_date(now if now is not None else datetime.now(UTC))

    # Weeks

    def week_of(self, d: date) -> int:
        return (d - self._week1_monday).days // 7 + 1

    @property
    def week_count(self) -> int:
        return self.week_of(self.end) if self.end >= self.start else 0

    def week_dates(self, n: int) -> list[date]:
        if not 1 <= n <= self.week_count:
            raise ValueError(f"week {n} is not within weeks 1–{self.week_count}")
        monday = self._week1_monday + timedelta(weeks=n - 1)
        return [monday + timedelta(days=i) for i in range(7)]

    def learning_days_of_week(self, n: int) -> list[date]:
        return [d for d in self.week_dates(n) if self.is_learning_day(d)]

    # Learning days

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def is_learning_day(self, d: date) -> bool:
        return d.weekday() < 5 and self.contains(d) and d not in self.non_learning_days

    def day_number(self, d: date) -> int | None:
        if not self.is_learning_day(d):
            return None
        weekdays = _weekdays_before(d.toordinal() + 1) - _weekdays_before(self.start.toordinal())
        return weekdays - bisect.bisect_right(self._holidays, d)

    def learning_days(self) -> Iterator[date]:
        d = self.start
        while d <= self.end:
            if self.is_learning_day(d):
                yield d
            d += _DAY

    def previous_learning_day(self, d: date) -> date | None:
        if d <= self.start:
            return None
        candidate = min(d - _DAY, self.end)
        while candidate >= self.start:
            if self.is_learning_day(candidate):
                return candidate
            candidate -= _DAY
        return None

    def next_learning_day(self, d: date) -> date | None:
        if d >= self.end:
            return None
        candidate = max(d + _DAY, self.start)
        while candidate <= self.end:
            if self.is_learning_day(candidate):
                return candidate
            candidate += _DAY
        return None

    def stage_of(self, d: date) -> StageSpan | None:
        return next((stage for stage in self.stages if stage.contains(d)), None)

    # Titles

    def label(self, d: date) -> str:
        if not self.contains(d):
            return d.isoformat()
        day = self.day_number(d)
        tail = f"Day {day:03d}" if day is not None else _short_date(d)
        return f"Week {self.week_of(d):02d} / {tail}"

    def daily_title(self, d: date) -> str:
        return f"[{self.label(d)}] 학습 기록" if self.contains(d) else f"{d.isoformat()} 학습 기록"

    def weekly_title(self, week: int) -> str:
        return f"[Week {week:02d}] 주간 회고"

    def weekly_title_of(self, d: date) -> str:
        week = self.week_of(d)
        if 1 <= week <= self.week_count:
            return self.weekly_title(week)
        return f"{self._week1_monday + timedelta(weeks=week - 1)} 주간 회고"


def validate_calendar(
    start: date,
    end: date,
    non_learning_days: Iterable[tuple[date, str]],
    stages: Iterable[StageSpan],
) -> list[str]:
    """The problems of a calendar as sentences an operator can act on; empty when it is valid.

    Reported: end before start; a holiday outside the cohort or listed twice; a stage that ends
    before it starts, lies outside the cohort, reuses a slug or overlaps another stage; a cohort
    left with no learning day. A holiday on a weekend is allowed (it simply changes nothing).
    The sentences are translated into the active language (gettext), the only Django this
    module touches.
    """
    problems: list[str] = []
    valid_range = start <= end
    if not valid_range:
        problems.append(
            _("The end date (%(end)s) is before the start date (%(start)s).")
            % {"end": end, "start": start}
        )
    period = f"{start} – {end}"

    holidays: set[date] = set()
    for day, name in non_learning_days:
        if day in holidays:
            problems.append(_("The non-learning day %(date)s is listed twice.") % {"date": day})
            continue
        holidays.add(day)
        if valid_range and not start <= day <= end:
            problems.append(
                _("The non-learning day %(date)s (%(name)s) is outside the cohort (%(period)s).")
                % {"date": day, "name": name, "period": period}
            )

    spans = list(stages)
    slugs: set[str] = set()
    for stage in spans:
        if stage.slug in slugs:
            problems.append(_("The stage slug “%(slug)s” is used twice.") % {"slug": stage.slug})
        slugs.add(stage.slug)
        if stage.end < stage.start:
            problems.append(
                _("The stage “%(name)s” ends (%(end)s) before it starts (%(start)s).")
                % {"name": stage.name, "end": stage.end, "start": stage.start}
            )
        elif valid_range and not (start <= stage.start and stage.end <= end):
            problems.append(
                _("The stage “%(name)s” (%(start)s – %(end)s) is outside the cohort (%(period)s).")
                % {"name": stage.name, "start": stage.start, "end": stage.end, "period": period}
            )

    # Sorted by start, a stage overlaps an earlier one iff it starts on or before the latest end.
    latest: StageSpan | None = None
    for stage in sorted((s for s in spans if s.start <= s.end), key=lambda s: (s.start, s.end)):
        if latest is not None and stage.start <= latest.end:
            problems.append(
                _("The stages “%(first)s” and “%(second)s” overlap.")
                % {"first": latest.name, "second": stage.name}
            )
        if latest is None or stage.end > latest.end:
            latest = stage

    if valid_range:
        calendar = CohortCalendar(start, end, non_learning_days=frozenset(holidays))
        if next(calendar.learning_days(), None) is None:
            problems.append(_("The cohort (%(period)s) has no learning day.") % {"period": period})
    return problems
