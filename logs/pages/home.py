"""The home page of a signed-in person: their cohorts, newest first, with their teams."""

from accounts.models import Cohort, Membership, Team
from logs.rosters import team_rosters


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
