"""The calendar maths (accounts.calendar): plain functions, no database."""

import copy
import itertools
import pickle
import random
import time
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from accounts.calendar import CohortCalendar, StageSpan, validate_calendar

SEOUL = ZoneInfo("Asia/Seoul")
LA = ZoneInfo("America/Los_Angeles")
SEOLLAL = frozenset({date(2022, 1, 31), date(2022, 2, 1), date(2022, 2, 2)})
LV1 = StageSpan("lv1-u-stage", "Level 1 U-stage", date(2022, 1, 17), date(2022, 2, 11))
LV1_P = StageSpan("lv1-p-stage", "Level 1 P-stage", date(2022, 2, 14), date(2022, 3, 11))


def seed_calendar(**fields) -> CohortCalendar:
    """The seed's cohort: Mon 2022-01-17 to Fri 2022-06-10, 설날 01-31…02-02, two stages."""
    fields.setdefault("start", date(2022, 1, 17))
    fields.setdefault("end", date(2022, 6, 10))
    fields.setdefault("non_learning_days", SEOLLAL)
    fields.setdefault("stages", (LV1, LV1_P))
    return CohortCalendar(**fields)


def brute_force_day_number(calendar: CohortCalendar, d: date) -> int | None:
    if not (d.weekday() < 5 and calendar.start <= d <= calendar.end):
        return None
    if d in calendar.non_learning_days:
        return None
    count, day = 0, calendar.start
    while day <= d:
        if day.weekday() < 5 and day not in calendar.non_learning_days:
            count += 1
        day += timedelta(days=1)
    return count


# The seed example


def test_the_seed_log_is_week_04_day_015():
    calendar = seed_calendar()
    d = date(2022, 2, 9)
    assert calendar.week_of(d) == 4
    assert calendar.day_number(d) == 15
    assert calendar.daily_title(d) == "[Week 04 / Day 015] 학습 기록"
    assert calendar.label(d) == "Week 04 / Day 015"
    assert calendar.stage_of(d) == LV1


def test_the_seed_timestamp_is_placed_on_its_own_date():
    # "date: 2022-02-09 22:40:00 +0900" in the seed's front matter.
    moment = datetime(2022, 2, 9, 22, 40, tzinfo=timezone(timedelta(hours=9)))
    assert seed_calendar().learning_date(moment) == date(2022, 2, 9)


def test_the_start_is_week_01_day_001():
    calendar = seed_calendar()
    assert calendar.week_of(date(2022, 1, 17)) == 1
    assert calendar.day_number(date(2022, 1, 17)) == 1
    assert calendar.daily_title(date(2022, 1, 17)) == "[Week 01 / Day 001] 학습 기록"


def test_first_week_has_days_1_to_5():
    calendar = seed_calendar()
    numbers = [calendar.day_number(date(2022, 1, 17) + timedelta(days=i)) for i in range(7)]
    assert numbers == [1, 2, 3, 4, 5, None, None]


def test_it_skips_the_holidays_in_the_count():
    calendar = seed_calendar()
    assert calendar.day_number(date(2022, 1, 28)) == 10  # the Friday before 설날
    assert calendar.day_number(date(2022, 1, 31)) is None
    assert calendar.day_number(date(2022, 2, 2)) is None
    assert calendar.day_number(date(2022, 2, 3)) == 11  # the day after 설날
    assert calendar.day_number(date(2022, 2, 4)) == 12


def test_weeks_keep_counting_through_a_holiday_week():
    calendar = seed_calendar()
    assert calendar.week_of(date(2022, 1, 31)) == 3
    assert calendar.week_of(date(2022, 2, 3)) == 3
    assert calendar.week_of(date(2022, 2, 6)) == 3  # Sunday closes the week
    assert calendar.week_of(date(2022, 2, 7)) == 4


# Non-learning dates: weekends and holidays


def test_a_weekend_has_no_day_number_and_is_titled_by_week_and_date():
    calendar = seed_calendar()
    saturday = date(2022, 2, 12)
    assert not calendar.is_learning_day(saturday)
    assert calendar.day_number(saturday) is None
    assert calendar.week_of(saturday) == 4
    assert calendar.label(saturday) == "Week 04 / 02-12 토"
    assert calendar.daily_title(saturday) == "[Week 04 / 02-12 토] 학습 기록"
    assert calendar.label(date(2022, 2, 13)) == "Week 04 / 02-13 일"


def test_a_holiday_is_titled_by_week_and_date():
    calendar = seed_calendar()
    assert not calendar.is_learning_day(date(2022, 2, 1))
    assert calendar.daily_title(date(2022, 2, 1)) == "[Week 03 / 02-01 화] 학습 기록"


def test_a_holiday_on_a_weekend_changes_nothing():
    plain = seed_calendar()
    with_saturday = seed_calendar(non_learning_days=SEOLLAL | {date(2022, 2, 5)})
    for offset in range(60):
        d = date(2022, 1, 17) + timedelta(days=offset)
        assert with_saturday.day_number(d) == plain.day_number(d)


def test_holidays_outside_the_cohort_change_nothing():
    calendar = seed_calendar(non_learning_days=SEOLLAL | {date(2022, 1, 10), date(2022, 7, 1)})
    assert calendar.day_number(date(2022, 2, 9)) == 15
    assert calendar.day_number(date(2022, 6, 10)) == seed_calendar().day_number(date(2022, 6, 10))


def test_it_accepts_any_iterable_of_holidays_and_stays_hashable():
    calendar = seed_calendar(non_learning_days=[*SEOLLAL], stages=[LV1_P, LV1])
    assert calendar == seed_calendar()
    assert hash(calendar) == hash(seed_calendar())
    assert calendar.stages == (LV1, LV1_P)


def test_it_survives_pickling_and_copying():
    # Model instances, and the calendar cached on them, go through Django's cache and deepcopy.
    calendar = seed_calendar()
    for clone in (pickle.loads(pickle.dumps(calendar)), copy.deepcopy(calendar)):
        assert clone == calendar
        assert clone.day_number(date(2022, 2, 9)) == 15
        assert clone.learning_date(datetime(2022, 2, 9, 19, 0, tzinfo=UTC)) == date(2022, 2, 10)


# A cohort starting mid-week


def test_a_thursday_start_is_day_001_of_week_01():
    calendar = CohortCalendar(start=date(2022, 1, 20), end=date(2022, 3, 31))
    assert calendar.day_number(date(2022, 1, 20)) == 1
    assert calendar.day_number(date(2022, 1, 21)) == 2
    assert calendar.week_of(date(2022, 1, 23)) == 1
    assert calendar.week_of(date(2022, 1, 24)) == 2
    assert calendar.day_number(date(2022, 1, 24)) == 3
    assert calendar.daily_title(date(2022, 1, 24)) == "[Week 02 / Day 003] 학습 기록"


def test_the_days_before_a_midweek_start_are_in_week_01_but_pre_course():
    calendar = CohortCalendar(start=date(2022, 1, 20), end=date(2022, 3, 31))
    monday = date(2022, 1, 17)
    assert calendar.week_of(monday) == 1
    assert calendar.week_dates(1)[0] == monday
    assert calendar.day_number(monday) is None
    assert calendar.label(monday) == "2022-01-17"  # before the start: named plainly
    assert calendar.learning_days_of_week(1) == [date(2022, 1, 20), date(2022, 1, 21)]


def test_a_weekend_start_has_its_first_learning_day_on_monday():
    calendar = CohortCalendar(start=date(2022, 1, 15), end=date(2022, 3, 31))
    assert calendar.day_number(date(2022, 1, 15)) is None
    assert calendar.label(date(2022, 1, 15)) == "Week 01 / 01-15 토"
    assert calendar.day_number(date(2022, 1, 17)) == 1
    assert calendar.week_of(date(2022, 1, 17)) == 2


# Before the start and after the end


def test_dates_before_the_start_are_named_plainly():
    calendar = seed_calendar()
    friday = date(2022, 1, 14)
    assert calendar.week_of(friday) == 0
    assert calendar.week_of(date(2022, 1, 10)) == 0  # the Monday before the start's week
    assert calendar.week_of(date(2022, 1, 9)) == -1
    assert calendar.day_number(friday) is None
    assert not calendar.contains(friday)
    assert calendar.label(friday) == "2022-01-14"
    assert calendar.daily_title(friday) == "2022-01-14 학습 기록"
    assert calendar.stage_of(friday) is None


def test_dates_after_the_end_keep_their_week_but_have_no_day_number():
    calendar = seed_calendar()
    last = date(2022, 6, 10)
    after = date(2022, 6, 13)
    assert calendar.is_learning_day(last)
    assert calendar.day_number(last) == brute_force_day_number(calendar, last)
    assert calendar.week_of(last) == calendar.week_count == 21
    assert calendar.week_of(after) == 22
    assert calendar.day_number(after) is None
    assert not calendar.contains(after)
    assert calendar.label(after) == "2022-06-13"
    assert calendar.daily_title(after) == "2022-06-13 학습 기록"


def test_a_date_long_after_the_cohort_is_not_given_a_week_number():
    """A note a year after the cohort was titled "Week 255"; now it is the date."""
    calendar = seed_calendar()
    d = date(2023, 3, 1)
    assert calendar.label(d) == "2023-03-01"
    assert calendar.daily_title(d) == "2023-03-01 학습 기록"
    assert calendar.weekly_title_of(d) == "2023-02-27 주간 회고"


def test_widths_grow_beyond_the_padding():
    calendar = CohortCalendar(start=date(2018, 1, 1), end=date(2022, 12, 30))
    d = date(2022, 12, 30)
    assert calendar.label(d) == f"Week {calendar.week_of(d)} / Day {calendar.day_number(d)}"
    assert calendar.week_of(d) >= 100 and calendar.day_number(d) >= 1000


def test_weekly_titles():
    calendar = seed_calendar()
    assert calendar.weekly_title(4) == "[Week 04] 주간 회고"
    assert calendar.weekly_title(21) == "[Week 21] 주간 회고"
    assert calendar.weekly_title_of(date(2022, 2, 9)) == "[Week 04] 주간 회고"
    assert calendar.weekly_title_of(date(2022, 6, 11)) == "[Week 21] 주간 회고"  # last week's Sat
    assert calendar.weekly_title_of(date(2022, 1, 14)) == "2022-01-10 주간 회고"


# Learning date: the cut-off and time zones


def test_just_before_the_cutoff_is_the_previous_day():
    calendar = seed_calendar()
    assert calendar.learning_date(datetime(2022, 2, 10, 3, 59, 59, tzinfo=SEOUL)) == date(
        2022, 2, 9
    )
    assert calendar.learning_date(datetime(2022, 2, 10, 1, 20, tzinfo=SEOUL)) == date(2022, 2, 9)
    assert calendar.learning_date(datetime(2022, 2, 10, 0, 0, tzinfo=SEOUL)) == date(2022, 2, 9)


def test_the_cutoff_itself_starts_the_day():
    calendar = seed_calendar()
    assert calendar.learning_date(datetime(2022, 2, 10, 4, 0, tzinfo=SEOUL)) == date(2022, 2, 10)
    assert calendar.learning_date(datetime(2022, 2, 10, 23, 59, tzinfo=SEOUL)) == date(2022, 2, 10)


def test_a_utc_moment_is_read_in_seoul():
    calendar = seed_calendar()
    # 18:59 UTC is 03:59 KST the next day: still the day before that.
    assert calendar.learning_date(datetime(2022, 2, 9, 18, 59, tzinfo=UTC)) == date(2022, 2, 9)
    assert calendar.learning_date(datetime(2022, 2, 9, 19, 0, tzinfo=UTC)) == date(2022, 2, 10)
    assert calendar.learning_date(datetime(2022, 2, 9, 13, 40, tzinfo=UTC)) == date(2022, 2, 9)


def test_a_moment_in_another_zone_is_read_in_the_cohorts_zone():
    calendar = seed_calendar()
    # 10:00 in Los Angeles on 02-09 (PST, UTC-8) is 03:00 KST on 02-10.
    assert calendar.learning_date(datetime(2022, 2, 9, 10, 0, tzinfo=LA)) == date(2022, 2, 9)
    assert calendar.learning_date(datetime(2022, 2, 9, 11, 0, tzinfo=LA)) == date(2022, 2, 10)


def test_a_cohort_in_los_angeles():
    calendar = seed_calendar(time_zone="America/Los_Angeles")
    assert calendar.learning_date(datetime(2022, 2, 10, 11, 59, tzinfo=UTC)) == date(2022, 2, 9)
    assert calendar.learning_date(datetime(2022, 2, 10, 12, 0, tzinfo=UTC)) == date(2022, 2, 10)
    seoul_noon = datetime(2022, 2, 10, 12, 0, tzinfo=SEOUL)  # 19:00 on 02-09 in Los Angeles
    assert calendar.learning_date(seoul_noon) == date(2022, 2, 9)


def test_the_cutoff_follows_the_wall_clock_when_clocks_spring_forward():
    calendar = CohortCalendar(
        start=date(2022, 3, 1), end=date(2022, 11, 30), time_zone="America/Los_Angeles"
    )
    # 2022-03-13 02:00 PST jumps to 03:00 PDT, so 04:00 local is 11:00 UTC, not 12:00.
    assert calendar.learning_date(datetime(2022, 3, 13, 10, 30, tzinfo=UTC)) == date(2022, 3, 12)
    assert calendar.learning_date(datetime(2022, 3, 13, 10, 59, tzinfo=UTC)) == date(2022, 3, 12)
    assert calendar.learning_date(datetime(2022, 3, 13, 11, 0, tzinfo=UTC)) == date(2022, 3, 13)
    # The day before, still on PST, 11:30 UTC is 03:30 local.
    assert calendar.learning_date(datetime(2022, 3, 12, 11, 30, tzinfo=UTC)) == date(2022, 3, 11)


def test_the_cutoff_follows_the_wall_clock_when_clocks_fall_back():
    calendar = CohortCalendar(
        start=date(2022, 3, 1), end=date(2022, 11, 30), time_zone="America/Los_Angeles"
    )
    # 2022-11-06 01:00–02:00 happens twice: 08:30 UTC is 01:30 PDT, 09:30 UTC is 01:30 PST.
    assert calendar.learning_date(datetime(2022, 11, 6, 8, 30, tzinfo=UTC)) == date(2022, 11, 5)
    assert calendar.learning_date(datetime(2022, 11, 6, 9, 30, tzinfo=UTC)) == date(2022, 11, 5)
    assert calendar.learning_date(datetime(2022, 11, 6, 11, 59, tzinfo=UTC)) == date(2022, 11, 5)
    assert calendar.learning_date(datetime(2022, 11, 6, 12, 0, tzinfo=UTC)) == date(2022, 11, 6)
    # Both folds of the repeated hour, given as local times.
    first = datetime(2022, 11, 6, 1, 30, tzinfo=LA)
    second = datetime(2022, 11, 6, 1, 30, fold=1, tzinfo=LA)
    assert calendar.learning_date(first) == calendar.learning_date(second) == date(2022, 11, 5)


def test_a_cutoff_inside_the_skipped_hour():
    calendar = CohortCalendar(
        start=date(2022, 3, 1),
        end=date(2022, 11, 30),
        time_zone="America/Los_Angeles",
        cutoff_hour=2,
    )
    # 01:59:59 PST is followed by 03:00 PDT: the new day starts with the first instant after 02:00.
    assert calendar.learning_date(datetime(2022, 3, 13, 9, 59, 59, tzinfo=UTC)) == date(2022, 3, 12)
    assert calendar.learning_date(datetime(2022, 3, 13, 10, 0, tzinfo=UTC)) == date(2022, 3, 13)


def test_cutoff_hour_zero_ends_days_at_midnight():
    calendar = seed_calendar(cutoff_hour=0)
    assert calendar.learning_date(datetime(2022, 2, 9, 23, 59, tzinfo=SEOUL)) == date(2022, 2, 9)
    assert calendar.learning_date(datetime(2022, 2, 10, 0, 0, tzinfo=SEOUL)) == date(2022, 2, 10)
    assert calendar.learning_date(datetime(2022, 2, 10, 1, 20, tzinfo=SEOUL)) == date(2022, 2, 10)


def test_another_cutoff_hour():
    calendar = seed_calendar(cutoff_hour=6)
    assert calendar.learning_date(datetime(2022, 2, 10, 5, 59, tzinfo=SEOUL)) == date(2022, 2, 9)
    assert calendar.learning_date(datetime(2022, 2, 10, 6, 0, tzinfo=SEOUL)) == date(2022, 2, 10)


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="aware"):
        seed_calendar().learning_date(datetime(2022, 2, 9, 22, 40))


def test_a_date_is_refused_where_a_moment_is_needed():
    with pytest.raises(TypeError):
        seed_calendar().learning_date(date(2022, 2, 9))  # type: ignore[arg-type]


def test_today_applies_the_cutoff_to_now():
    calendar = seed_calendar()
    assert calendar.today(datetime(2022, 2, 9, 18, 0, tzinfo=UTC)) == date(2022, 2, 9)
    assert calendar.today(datetime(2022, 2, 9, 19, 0, tzinfo=UTC)) == date(2022, 2, 10)
    before = datetime.now(UTC)
    today = calendar.today()
    after = datetime.now(UTC)
    assert today in {calendar.learning_date(before), calendar.learning_date(after)}


def test_a_bad_cutoff_hour_or_time_zone_fails_loudly():
    with pytest.raises(ValueError):
        seed_calendar(cutoff_hour=24)
    with pytest.raises(ValueError):
        seed_calendar(cutoff_hour=-1)
    with pytest.raises(KeyError):  # ZoneInfoNotFoundError
        seed_calendar(time_zone="Asia/Nowhere")


# Weeks


def test_week_dates_are_monday_to_sunday():
    calendar = seed_calendar()
    assert calendar.week_dates(1) == [date(2022, 1, 17) + timedelta(days=i) for i in range(7)]
    assert calendar.week_dates(4) == [date(2022, 2, 7) + timedelta(days=i) for i in range(7)]
    assert calendar.week_dates(21)[-1] == date(2022, 6, 12)
    for n in range(1, calendar.week_count + 1):
        assert {calendar.week_of(d) for d in calendar.week_dates(n)} == {n}


def test_week_dates_refuse_weeks_outside_the_cohort():
    calendar = seed_calendar()
    for n in (0, -1, 22):
        with pytest.raises(ValueError):
            calendar.week_dates(n)
        with pytest.raises(ValueError):
            calendar.learning_days_of_week(n)


def test_learning_days_of_week():
    calendar = seed_calendar()
    assert calendar.learning_days_of_week(3) == [date(2022, 2, 3), date(2022, 2, 4)]
    assert calendar.learning_days_of_week(4) == [
        date(2022, 2, 7) + timedelta(days=i) for i in range(5)
    ]
    assert [calendar.day_number(d) for d in calendar.learning_days_of_week(4)] == [
        13,
        14,
        15,
        16,
        17,
    ]


def test_a_week_can_have_no_learning_day():
    week = [date(2022, 2, 7) + timedelta(days=i) for i in range(5)]
    calendar = seed_calendar(non_learning_days=SEOLLAL | set(week))
    assert calendar.learning_days_of_week(4) == []
    assert calendar.day_number(date(2022, 2, 14)) == 13


def test_week_count_is_the_week_of_the_end():
    assert seed_calendar().week_count == 21
    assert CohortCalendar(start=date(2022, 1, 17), end=date(2022, 1, 17)).week_count == 1
    assert CohortCalendar(start=date(2022, 1, 21), end=date(2022, 1, 24)).week_count == 2
    assert CohortCalendar(start=date(2022, 1, 21), end=date(2022, 1, 20)).week_count == 0


# Learning days: iteration and neighbours


def test_learning_days_are_every_numbered_day_in_order():
    calendar = seed_calendar()
    days = list(calendar.learning_days())
    assert days[0] == date(2022, 1, 17)
    assert days[-1] == date(2022, 6, 10)
    assert [calendar.day_number(d) for d in days] == list(range(1, len(days) + 1))
    assert not SEOLLAL & set(days)


def test_previous_and_next_learning_day_across_the_holidays():
    calendar = seed_calendar()
    assert calendar.next_learning_day(date(2022, 1, 28)) == date(2022, 2, 3)
    assert calendar.previous_learning_day(date(2022, 2, 3)) == date(2022, 1, 28)
    assert calendar.next_learning_day(date(2022, 2, 1)) == date(2022, 2, 3)
    assert calendar.previous_learning_day(date(2022, 2, 1)) == date(2022, 1, 28)


def test_previous_and_next_learning_day_across_a_weekend():
    calendar = seed_calendar()
    assert calendar.next_learning_day(date(2022, 2, 11)) == date(2022, 2, 14)
    assert calendar.next_learning_day(date(2022, 2, 12)) == date(2022, 2, 14)
    assert calendar.previous_learning_day(date(2022, 2, 14)) == date(2022, 2, 11)
    assert calendar.previous_learning_day(date(2022, 2, 13)) == date(2022, 2, 11)
    assert calendar.next_learning_day(date(2022, 2, 9)) == date(2022, 2, 10)
    assert calendar.previous_learning_day(date(2022, 2, 9)) == date(2022, 2, 8)


def test_neighbours_at_the_edges_of_the_cohort():
    calendar = seed_calendar()
    assert calendar.previous_learning_day(date(2022, 1, 17)) is None
    assert calendar.previous_learning_day(date(2022, 1, 1)) is None
    assert calendar.next_learning_day(date(2022, 1, 1)) == date(2022, 1, 17)
    assert calendar.next_learning_day(date(2022, 1, 16)) == date(2022, 1, 17)
    assert calendar.next_learning_day(date(2022, 6, 10)) is None
    assert calendar.next_learning_day(date(2022, 7, 1)) is None
    assert calendar.previous_learning_day(date(2022, 7, 1)) == date(2022, 6, 10)
    assert calendar.previous_learning_day(date(2022, 6, 11)) == date(2022, 6, 10)


def test_contains_is_inclusive():
    calendar = seed_calendar()
    assert calendar.contains(date(2022, 1, 17))
    assert calendar.contains(date(2022, 6, 10))
    assert not calendar.contains(date(2022, 1, 16))
    assert not calendar.contains(date(2022, 6, 11))


# Stages


def test_stage_of_at_the_boundaries():
    calendar = seed_calendar()
    assert calendar.stage_of(date(2022, 1, 16)) is None
    assert calendar.stage_of(date(2022, 1, 17)) == LV1
    assert calendar.stage_of(date(2022, 2, 11)) == LV1
    assert calendar.stage_of(date(2022, 2, 12)) is None  # the weekend between stages
    assert calendar.stage_of(date(2022, 2, 14)) == LV1_P
    assert calendar.stage_of(date(2022, 3, 11)) == LV1_P
    assert calendar.stage_of(date(2022, 3, 14)) is None


def test_stage_of_without_stages():
    assert seed_calendar(stages=()).stage_of(date(2022, 2, 9)) is None


# validate_calendar


def test_a_valid_calendar_has_no_problems():
    holidays = [(d, "설날") for d in sorted(SEOLLAL)]
    assert validate_calendar(date(2022, 1, 17), date(2022, 6, 10), holidays, [LV1, LV1_P]) == []
    assert validate_calendar(date(2022, 1, 17), date(2022, 6, 10), [], []) == []


def test_it_reports_an_end_before_the_start():
    problems = validate_calendar(date(2022, 6, 10), date(2022, 1, 17), [], [])
    assert len(problems) == 1
    assert "2022-01-17" in problems[0] and "2022-06-10" in problems[0]


def test_it_reports_a_holiday_outside_the_cohort():
    holidays = [(date(2022, 1, 31), "설날"), (date(2022, 7, 1), "방학")]
    problems = validate_calendar(date(2022, 1, 17), date(2022, 6, 10), holidays, [])
    assert len(problems) == 1
    assert "2022-07-01" in problems[0] and "방학" in problems[0]


def test_it_reports_a_duplicate_holiday():
    holidays = [(date(2022, 1, 31), "설날"), (date(2022, 1, 31), "설 연휴")]
    problems = validate_calendar(date(2022, 1, 17), date(2022, 6, 10), holidays, [])
    assert len(problems) == 1
    assert "2022-01-31" in problems[0]


def test_a_holiday_on_a_weekend_is_allowed():
    holidays = [(date(2022, 3, 5), "토요일")]
    assert validate_calendar(date(2022, 1, 17), date(2022, 6, 10), holidays, []) == []


def test_it_reports_a_stage_ending_before_it_starts():
    stage = StageSpan("p", "P-stage", date(2022, 3, 1), date(2022, 2, 1))
    problems = validate_calendar(date(2022, 1, 17), date(2022, 6, 10), [], [stage])
    assert len(problems) == 1
    assert "P-stage" in problems[0]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2022, 1, 10), date(2022, 2, 11)),
        (date(2022, 6, 1), date(2022, 6, 30)),
        (date(2022, 1, 1), date(2022, 12, 31)),
    ],
)
def test_it_reports_a_stage_outside_the_cohort(start, end):
    stage = StageSpan("x", "Outside", start, end)
    problems = validate_calendar(date(2022, 1, 17), date(2022, 6, 10), [], [stage])
    assert len(problems) == 1
    assert "Outside" in problems[0]


def test_a_stage_may_span_the_whole_cohort():
    stage = StageSpan("all", "All", date(2022, 1, 17), date(2022, 6, 10))
    assert validate_calendar(date(2022, 1, 17), date(2022, 6, 10), [], [stage]) == []


@pytest.mark.parametrize(
    "second",
    [
        StageSpan("b", "B", date(2022, 2, 11), date(2022, 3, 1)),  # shares a boundary day
        StageSpan("b", "B", date(2022, 1, 20), date(2022, 1, 25)),  # inside the first
        StageSpan("b", "B", date(2022, 1, 17), date(2022, 2, 11)),  # the same span
    ],
)
def test_it_reports_overlapping_stages(second):
    problems = validate_calendar(date(2022, 1, 17), date(2022, 6, 10), [], [second, LV1])
    assert len(problems) == 1
    assert "Level 1 U-stage" in problems[0] and "B" in problems[0]


def test_it_reports_an_overlap_with_a_long_earlier_stage():
    long = StageSpan("a", "Long", date(2022, 1, 17), date(2022, 5, 1))
    short = StageSpan("b", "Short", date(2022, 1, 18), date(2022, 1, 20))
    late = StageSpan("c", "Late", date(2022, 3, 1), date(2022, 3, 5))
    problems = validate_calendar(date(2022, 1, 17), date(2022, 6, 10), [], [late, short, long])
    assert len(problems) == 2
    assert any("Late" in p for p in problems)


def test_adjacent_stages_do_not_overlap():
    a = StageSpan("a", "A", date(2022, 1, 17), date(2022, 2, 11))
    b = StageSpan("b", "B", date(2022, 2, 12), date(2022, 3, 1))
    assert validate_calendar(date(2022, 1, 17), date(2022, 6, 10), [], [a, b]) == []


def test_it_reports_a_duplicate_stage_slug():
    again = StageSpan("lv1-u-stage", "Again", date(2022, 3, 14), date(2022, 4, 1))
    problems = validate_calendar(date(2022, 1, 17), date(2022, 6, 10), [], [LV1, again])
    assert len(problems) == 1
    assert "lv1-u-stage" in problems[0]


def test_it_reports_a_cohort_without_learning_days():
    problems = validate_calendar(date(2022, 1, 22), date(2022, 1, 23), [], [])
    assert len(problems) == 1
    holidays = [(date(2022, 1, 17), "a"), (date(2022, 1, 18), "b")]
    assert len(validate_calendar(date(2022, 1, 17), date(2022, 1, 18), holidays, [])) == 1


def test_it_reports_every_problem_at_once():
    holidays = [
        (date(2022, 7, 1), "방학"),
        (date(2022, 1, 31), "설날"),
        (date(2022, 1, 31), "설날"),
    ]
    stages = [
        StageSpan("a", "A", date(2022, 3, 1), date(2022, 2, 1)),
        StageSpan("b", "B", date(2022, 6, 1), date(2022, 7, 1)),
    ]
    assert len(validate_calendar(date(2022, 1, 17), date(2022, 6, 10), holidays, stages)) == 4


# day_number against brute force, and its speed


@pytest.mark.parametrize("seed", range(5))
def test_day_number_agrees_with_a_brute_force_count_over_a_year(seed):
    rng = random.Random(seed)
    start = date(2022, 1, 3) + timedelta(days=rng.randrange(7))
    end = start + timedelta(days=365)
    span = [start + timedelta(days=i) for i in range(-20, 400)]
    holidays = frozenset(rng.sample(span, 40))
    calendar = CohortCalendar(start=start, end=end, non_learning_days=holidays)
    for d in span:
        expected = brute_force_day_number(calendar, d)
        assert calendar.day_number(d) == expected, d
        assert calendar.is_learning_day(d) == (expected is not None)
        if expected is not None:
            assert calendar.label(d) == f"Week {calendar.week_of(d):02d} / Day {expected:03d}"
    days = list(calendar.learning_days())
    assert [calendar.day_number(d) for d in days] == list(range(1, len(days) + 1))
    for before, after in itertools.pairwise(days):
        assert calendar.next_learning_day(before) == after
        assert calendar.previous_learning_day(after) == before


def test_week_of_agrees_with_iso_weeks():
    calendar = seed_calendar()
    start_week = date(2022, 1, 17).isocalendar()
    for offset in range(-30, 400):
        d = date(2022, 1, 17) + timedelta(days=offset)
        monday_of = d - timedelta(days=d.weekday())
        assert calendar.week_of(d) == (monday_of - date(2022, 1, 17)).days // 7 + 1
        if d.isocalendar().year == start_week.year:
            assert calendar.week_of(d) == d.isocalendar().week - start_week.week + 1


def test_day_number_is_fast_for_a_six_month_cohort():
    rng = random.Random(0)
    start, end = date(2022, 1, 3), date(2022, 7, 1)
    holidays = frozenset(start + timedelta(days=rng.randrange(180)) for _ in range(15))
    calendar = CohortCalendar(start=start, end=end, non_learning_days=holidays)
    dates = [start + timedelta(days=rng.randrange(180)) for _ in range(30_000)]
    began = time.perf_counter()
    for d in dates:
        calendar.day_number(d)
        calendar.week_of(d)
    # O(log h) per call takes ~30 ms here; a day-by-day loop would take seconds.
    assert time.perf_counter() - began < 1.0
