"""Team rosters (who learns in a team, who mentors it), cached for every app process.

Shown on the home page beside each cohort. A roster changes when someone edits their name, joins
or leaves a team, or a team is renamed or gets a mentor; the receivers below bump exactly the
rosters concerned, so a change on one app server shows on all of them at once (logs/cache.py).
Bulk loads (bulk_create, QuerySet.update) send no signals: their rosters refresh when the
fragment expires (FRAGMENT_CACHE_SECONDS).
"""

from collections.abc import Iterable

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from accounts.models import Membership, Team, User
from logs import cache


def roster_name(team_id: int) -> str:
    return f"team-roster:{team_id}"


def team_rosters(team_ids: Iterable[int]) -> dict[int, dict]:
    """{team id: {"name": "7조", "learners": [names], "mentors": [names]}}, from the cache when
    it can; the teams not cached are built with three queries, whatever their number."""
    return cache.cached_many({tid: roster_name(tid) for tid in team_ids}, _build_rosters)


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


def _teams_of(user: User) -> list[int]:
    learner_teams = Membership.objects.filter(user=user, team__isnull=False).values("team_id")
    mentored = Team.mentors.through.objects.filter(user=user).values("team_id")
    return [row["team_id"] for row in learner_teams.union(mentored)]


def _user_saved(sender, instance: User, created: bool, update_fields=None, **kwargs) -> None:
    # Logging in saves last_login only; that changes no roster and happens all the time.
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    cache.bump(*(roster_name(tid) for tid in _teams_of(instance)))


def _membership_loaded(sender, instance: Membership, **kwargs) -> None:
    instance._roster_team_id = instance.team_id


def _membership_changed(sender, instance: Membership, **kwargs) -> None:
    teams = {instance.team_id, getattr(instance, "_roster_team_id", None)} - {None}
    cache.bump(*(roster_name(tid) for tid in teams))
    instance._roster_team_id = instance.team_id


def _team_changed(sender, instance: Team, **kwargs) -> None:
    cache.bump(roster_name(instance.pk))


def _mentors_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if not reverse:  # team.mentors.add(user), .remove(), .clear()
        if action.startswith("post_"):
            cache.bump(roster_name(instance.pk))
    elif action == "pre_clear":  # user.mentored_teams.clear(): remember which teams lose them
        instance._roster_cleared = list(
            Team.mentors.through.objects.filter(user=instance).values_list("team_id", flat=True)
        )
    elif action == "post_clear":
        cache.bump(*(roster_name(tid) for tid in getattr(instance, "_roster_cleared", [])))
    elif action.startswith("post_"):  # user.mentored_teams.add(team) / .remove(team)
        cache.bump(*(roster_name(tid) for tid in pk_set or ()))


def connect() -> None:
    """Called from LogsConfig.ready()."""
    post_save.connect(_user_saved, sender=User, dispatch_uid="roster-user")
    post_init.connect(_membership_loaded, sender=Membership, dispatch_uid="roster-membership-init")
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="roster-membership")
    post_delete.connect(
        _membership_changed, sender=Membership, dispatch_uid="roster-membership-delete"
    )
    post_save.connect(_team_changed, sender=Team, dispatch_uid="roster-team")
    m2m_changed.connect(_mentors_changed, sender=Team.mentors.through, dispatch_uid="roster-m2m")
