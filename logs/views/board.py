"""The operator's board: for a cohort and a week, who wrote each learning day's log.

Rows are the cohort's learners (optionally one team's), columns the week's learning days. A cell
is *written* (a published daily log), *draft* (started, not published), *missing* (a past or
current learning day without one) or *upcoming* (a day still ahead in the cohort's time zone).
The board says that a log exists, never what it says: the cell links to the log only when the
operator may read it (`access.entry_visibility_q`), so a private log is a tick without a link.
"""

import csv
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.calendar import WEEKDAY_NAMES, CohortCalendar
from accounts.models import Cohort, Membership, Team
from logs import access
from logs.access import lookups
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


def _week(request: HttpRequest, calendar: CohortCalendar) -> int:
    """?week=N, or the current week (the first before the start, the last after the end)."""
    default = min(max(calendar.week_of(calendar.today()), 1), calendar.week_count)
    raw = request.GET.get("week")
    if raw is None or raw == "":
        return default
    try:
        week = int(raw)
    except ValueError:
        week = 0
    if not 1 <= week <= calendar.week_count:
        messages.error(
            request,
            _("There is no week “%(week)s”: this cohort has weeks 1 to %(count)d.")
            % {"week": raw, "count": calendar.week_count},
        )
        return default
    return week


def _team(request: HttpRequest, cohort: Cohort, teams: list[Team]) -> Team | None:
    raw = request.GET.get("team")
    if not raw:
        return None
    team = next((t for t in teams if str(t.pk) == raw), None)
    if team is None:
        messages.error(request, _("That team is not in this cohort; showing every learner."))
    return team


def _board(request: HttpRequest, cohort: Cohort, teams: list[Team]) -> Board:
    calendar = cohort.calendar
    week = _week(request, calendar)
    today = calendar.today()
    days = [Day(d, calendar.day_number(d), d > today) for d in calendar.learning_days_of_week(week)]
    return Board(cohort, week, days, _team(request, cohort, teams))


def _learners(board: Board) -> QuerySet[Membership]:
    learners = Membership.objects.filter(cohort=board.cohort, role=Membership.Role.LEARNER)
    if board.team is not None:
        learners = learners.filter(team=board.team)
    return learners.select_related("user", "team").order_by(
        "team__name", "user__display_name", "user__username"
    )


def _rows(board: Board, memberships: list[Membership], viewer) -> list[Row]:
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


def _day_totals(board: Board, learners: QuerySet[Membership]) -> list[int]:
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


@login_required
@require_GET
def board(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = lookups.board_cohort_or_404(request.user, slug)
    teams = list(cohort.teams.order_by("name"))
    grid = _board(request, cohort, teams)
    learners = _learners(grid)
    paginator = Paginator(learners, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = _rows(grid, list(page.object_list), request.user)
    totals = _day_totals(grid, learners)
    week_count = cohort.calendar.week_count
    params = {"week": grid.week, **({"team": grid.team.pk} if grid.team else {})}
    return render(
        request,
        "logs/board.html",
        {
            "board": grid,
            "cohort": cohort,
            "teams": teams,
            "rows": rows,
            "day_totals": totals,
            "learner_total": paginator.count,
            "page_obj": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "query_string": urlencode(params),
            "csv_query": urlencode(params),
            "weeks": range(1, week_count + 1),
            "previous_week": grid.week - 1 if grid.week > 1 else None,
            "next_week": grid.week + 1 if grid.week < week_count else None,
            "nav_section": "cohort",
        },
    )


def _cell(text: str) -> str:
    """A name as a spreadsheet cell: text a spreadsheet would run as a formula is quoted."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_GET
def board_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The same grid for every learner (no pages), for a spreadsheet: 1 = published daily log,
    0 = none or a draft, empty = a day still ahead. UTF-8 with BOM so Excel reads the Korean."""
    cohort = lookups.board_cohort_or_404(request.user, slug)
    teams = list(cohort.teams.order_by("name"))
    grid = _board(request, cohort, teams)
    rows = _rows(grid, list(_learners(grid)), request.user)

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="board-{cohort.slug}-week{grid.week:02d}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("username"),
            _("name"),
            _("team"),
            *(f"{day.date:%Y-%m-%d} (Day {day.number:03d})" for day in grid.days),
            _("written"),
            _("due"),
        ]
    )
    values = {WRITTEN: "1", DRAFT: "0", MISSING: "0", UPCOMING: ""}
    for row in rows:
        membership = row.membership
        writer.writerow(
            [
                _cell(membership.user.username),
                _cell(membership.user.name),
                _cell(membership.team.name if membership.team else ""),
                *(values[cell.state] for cell in row.cells),
                row.written,
                row.due,
            ]
        )
    return response
