"""The operator's board (`logs.pages.board` builds it): the view reads the week and the team
asked for, with a message for one that does not exist, and renders the page or the CSV."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Cohort, Team
from logs.access import lookups
from logs.pages import board as pages_board
from logs.pages.board import DRAFT, MISSING, PAGE_SIZE, UPCOMING, WRITTEN


def _week(request: HttpRequest, cohort: Cohort) -> int:
    """?week=N, or the current week (the first before the start, the last after the end)."""
    default = pages_board.current_week(cohort)
    calendar = cohort.calendar
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


def _board(request: HttpRequest, cohort: Cohort, teams: list[Team]) -> pages_board.Board:
    return pages_board.board(cohort, _week(request, cohort), _team(request, cohort, teams))


@login_required
@require_GET
def board(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = lookups.board_cohort_or_404(request.user, slug)
    teams = pages_board.teams(cohort)
    grid = _board(request, cohort, teams)
    learners = pages_board.learners(grid)
    paginator = Paginator(learners, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = pages_board.rows(grid, list(page.object_list), request.user)
    totals = pages_board.day_totals(grid, learners)
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
            "nav_section": "board",
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
    teams = pages_board.teams(cohort)
    grid = _board(request, cohort, teams)
    rows = pages_board.rows(grid, list(pages_board.learners(grid)), request.user)

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
