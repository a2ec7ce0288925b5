"""Team rosters (who learns in a team, who mentors it), cached for every app process.

Shown on the home page beside each cohort. A roster changes when someone edits their name, joins
or leaves a team, or a team is renamed or gets a mentor: logs/caching/invalidation.py bumps exactly the
rosters concerned, so a change on one app server shows on all of them at once (logs/caching/versions.py).
Bulk loads (bulk_create, QuerySet.update) send no signals: their rosters refresh when the
fragment expires (FRAGMENT_CACHE_SECONDS).
"""

from collections.abc import Iterable

from accounts.models import Membership, Team
from logs.caching import versions


def roster_name(team_id: int) -> str:
    return f"team-roster:{team_id}"


def team_rosters(team_ids: Iterable[int]) -> dict[int, dict]:
    """{team id: {"name": "7조", "learners": [names], "mentors": [names]}}, from the cache when
    it can; the teams not cached are built with three queries, whatever their number."""
    return versions.cached_many({tid: roster_name(tid) for tid in team_ids}, _build_rosters)


_USER_FIELDS = ("username", "display_name", "first_name", "last_name")


def _build_rosters(team_ids: list[int]) -> dict[int, dict]:
    rosters = {
        team.pk: {"name": team.name, "learners": [], "mentors": []}
        for team in Team.objects.filter(pk__in=team_ids).only("name").order_by()
    }
    learners = (
        Membership.objects.filter(team_id__in=rosters, role=Membership.Role.LEARNER)
        .select_related("user")
        .only("team_id", *(f"user__{f}" for f in _USER_FIELDS))
        .order_by("user__display_name", "user__username")
    )
    for membership in learners:
        rosters[membership.team_id]["learners"].append(membership.user.name)
    mentors = (
        Team.mentors.through.objects.filter(team_id__in=rosters)
        .select_related("user")
        .only("team_id", *(f"user__{f}" for f in _USER_FIELDS))
        .order_by("user__display_name", "user__username")
    )
    for link in mentors:
        rosters[link.team_id]["mentors"].append(link.user.name)
    return rosters
