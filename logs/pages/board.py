"""The operator's board: for a cohort and a week, who wrote each learning day's log.

Rows are the cohort's learners (optionally one team's), columns the week's learning days. A cell
is *written* (a published daily log), *draft* (started, not published), *missing* (a past or
current learning day without one) or *upcoming* (a day still ahead in the cohort's time zone).
The board says that a log exists, never what it says: the cell links to the log only when the
operator may read it (`access.entry_visibility_q`), so a private log is a tick without a link.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, Count, ExpressionWrapper, Max, QuerySet

from accounts.calendar import WEEKDAY_NAMES
from accounts.models import Cohort, Membership, Team
from logs import access
from logs.models import Entry

PAGE_SIZE = 100

WRITTEN, DRAFT, MISSING, UPCOMING = "written", "draft", "missing", "upcoming"


@dataclass(frozen=True)
class Day:
    date: date
    number: int
    upcoming: bool

    @property
    def short_date(self) -> str:
        return f"{self.date:%m-%d} {WEEKDAY_NAMES[self.date.weekday()]}"


@dataclass(frozen=True)
class Cell:
    state: str
    entry_id: int | None = None  # set only when the viewer may open the log


@dataclass(frozen=True)
class Row:
    membership: Membership
    cells: list[Cell]
    written: int
    due: int  # learning days of the week that are not upcoming


@dataclass(frozen=True)
class Board:
    cohort: Cohort
    week: int
    days: list[Day]
    team: Team | None


def current_week(cohort: Cohort) -> int:
    """This week of the cohort: the first before it starts, the last after it ends."""
    calendar = cohort.calendar
    return min(max(calendar.week_of(calendar.today()), 1), calendar.week_count)


def latest_written_week(cohort: Cohort) -> int:
    """The latest week up to this one in which a daily log was published (one query), else this
    week: after the cohort has ended, or on a Monday morning, this week is only zeros."""
    current = current_week(cohort)
    latest = Entry.objects.filter(
        cohort=cohort, kind=Entry.Kind.DAILY, status=Entry.Status.PUBLISHED, week__lte=current
    ).aggregate(week=Max("week"))["week"]
    return latest or current


def board(cohort: Cohort, week: int, team: Team | None) -> Board:
    calendar = cohort.calendar
    today = calendar.today()
    days = [Day(d, calendar.day_number(d), d > today) for d in calendar.learning_days_of_week(week)]
    return Board(cohort, week, days, team)


def learners(board: Board) -> QuerySet[Membership]:
    learners = Membership.objects.filter(cohort=board.cohort, role=Membership.Role.LEARNER)
    if board.team is not None:
        learners = learners.filter(team=board.team)
    return learners.select_related("user", "team").order_by(
        "team__name", "user__display_name", "user__username"
    )


def rows(board: Board, memberships: list[Membership], viewer) -> list[Row]:
    """One query for the week's daily logs of these learners, whatever their number."""
    dates = [day.date for day in board.days]
    found: dict[tuple[int, date], Cell] = {}
    if dates and memberships:
        entries = (
            Entry.objects.filter(
                cohort=board.cohort,
                kind=Entry.Kind.DAILY,
                learning_date__in=dates,
                author_id__in=[m.user_id for m in memberships],
            )
            .annotate(
                readable=ExpressionWrapper(
                    access.entry_visibility_q(viewer), output_field=BooleanField()
                )
            )
            .values_list("author_id", "learning_date", "status", "pk", "readable")
        )
        for author_id, learning_date, status, pk, readable in entries:
            state = WRITTEN if status == Entry.Status.PUBLISHED else DRAFT
            found[author_id, learning_date] = Cell(state, pk if readable else None)
    due = sum(1 for day in board.days if not day.upcoming)
    rows = []
    for membership in memberships:
        cells = [
            found.get((membership.user_id, day.date), Cell(UPCOMING if day.upcoming else MISSING))
            for day in board.days
        ]
        written = sum(1 for cell in cells if cell.state == WRITTEN)
        rows.append(Row(membership, cells, written, due))
    return rows


def day_totals(board: Board, learners: QuerySet[Membership]) -> list[int]:
    """Per day, how many of the (filtered) learners published their log: one query."""
    if not board.days:
        return []
    counts = dict(
        Entry.objects.filter(
            cohort=board.cohort,
            kind=Entry.Kind.DAILY,
            status=Entry.Status.PUBLISHED,
            learning_date__in=[day.date for day in board.days],
            author_id__in=learners.values("user_id"),
        )
        .values_list("learning_date")
        .annotate(n=Count("author_id", distinct=True))
        .values_list("learning_date", "n")
    )
    return [counts.get(day.date, 0) for day in board.days]


def teams(cohort: Cohort) -> list[Team]:
    """The cohort's teams for the board's filter, by name."""
    return list(cohort.teams.order_by("name"))
