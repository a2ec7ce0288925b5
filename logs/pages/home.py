"""The home page of a signed-in person: what their role in the current cohort uses first (a
mentor's teams today, an operator's board of this week), then their cohorts, newest first, with
their teams."""

from dataclasses import dataclass

from accounts.models import Cohort, Membership, Team
from logs.access import lookups
from logs.pages import board as pages_board
from logs.pages import mentor as pages_mentor
from logs.rosters import team_rosters

PREVIEW = 5


def cohorts_with_rosters(user) -> list[Cohort]:
    """The user's cohorts, newest first, each with `.rosters`: the teams the user learns in or
    mentors there (cached fragments, see logs/rosters.py)."""
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("cohort")
        .only("team_id", "cohort__name", "cohort__slug", "cohort__start_date")
        .order_by("-cohort__start_date")
    )
    mentored = list(Team.objects.filter(mentors=user).order_by().values_list("cohort_id", "pk"))
    teams_by_cohort: dict[int, list[int]] = {}
    for membership in memberships:
        if membership.team_id:
            teams_by_cohort.setdefault(membership.cohort_id, []).append(membership.team_id)
    for cohort_id, team_id in mentored:
        teams_by_cohort.setdefault(cohort_id, []).append(team_id)
    rosters = team_rosters(tid for tids in teams_by_cohort.values() for tid in tids)
    cohorts = []
    for membership in memberships:
        cohort = membership.cohort
        cohort.rosters = [
            rosters[tid] for tid in teams_by_cohort.get(cohort.pk, []) if tid in rosters
        ]
        cohorts.append(cohort)
    return cohorts


def mentor_today(user) -> dict[str, list]:
    """The first rows of the mentor page's lists: questions waiting, sessions without the
    mentor's comment, the mentees' newest logs (one query each)."""
    return {name: list(rows[:PREVIEW]) for name, rows in pages_mentor.lists(user).items()}


@dataclass(frozen=True)
class BoardSummary:
    board: pages_board.Board
    day_totals: list[tuple[pages_board.Day, int]]
    learners: int


def board_summary(user, slug: str) -> BoardSummary:
    """The board of the cohort `slug` (which `user` runs) for its latest week with logs: per
    learning day, how many learners published their log."""
    cohort = lookups.board_cohort_or_404(user, slug)
    grid = pages_board.board(cohort, pages_board.latest_written_week(cohort), None)
    learners = pages_board.learners(grid)
    totals = pages_board.day_totals(grid, learners)
    return BoardSummary(grid, list(zip(grid.days, totals, strict=True)), learners.count())
