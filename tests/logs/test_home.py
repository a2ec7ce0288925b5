"""The home page: the user's cohorts, each with the rosters of their teams (cached fragments)."""

import pytest
from django.core.cache import cache as django_cache

from accounts.models import Membership
from tests import factories


@pytest.fixture
def fragments_on(settings):
    """Cache fragments as with Redis; the test process's cache stands in for it."""
    settings.FRAGMENT_CACHE_SECONDS = 600
    django_cache.clear()
    yield
    django_cache.clear()


def _html(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_visitors_see_the_introduction_and_no_roster(client, learner):
    html = _html(client)
    assert "team-roster" not in html
    assert "이캠퍼" not in html


def test_a_learner_sees_her_team_with_its_mentor(login, learner, teammate, mentor, team):
    html = _html(login(learner))
    assert team.name in html
    assert "이캠퍼" in html and "박동료" in html
    assert "김멘토" in html


def test_a_teammate_sees_the_same_roster(login, learner, teammate, team):
    html = _html(login(teammate))
    assert "이캠퍼" in html and "박동료" in html


def test_a_learner_of_another_team_sees_only_her_own_team(login, learner, other_learner):
    html = _html(login(other_learner))
    assert "8조" in html
    assert "이캠퍼" not in html


def test_a_mentor_sees_the_teams_she_mentors(login, mentor, learner, team):
    html = _html(login(mentor))
    assert team.name in html
    assert "이캠퍼" in html


def test_a_mentor_of_another_team_does_not_see_this_one(login, other_mentor, learner, other_team):
    html = _html(login(other_mentor))
    assert "8조" in html
    assert "이캠퍼" not in html


def test_an_operator_sees_the_cohort_without_a_team(login, operator, learner, cohort):
    html = _html(login(operator))
    assert cohort.name in html
    assert "team-roster" not in html


def test_an_operator_of_another_cohort_sees_only_hers(login, foreign_operator, learner):
    html = _html(login(foreign_operator))
    assert "다른 기수" in html
    assert "이캠퍼" not in html


def test_an_outsider_sees_the_empty_state(login, outsider, learner):
    html = _html(login(outsider))
    assert "team-roster" not in html
    assert "이캠퍼" not in html


def test_a_new_display_name_shows_at_once_despite_the_cache(
    fragments_on, login, learner, teammate, django_capture_on_commit_callbacks
):
    client = login(learner)
    assert "박동료" in _html(client)
    with django_capture_on_commit_callbacks(execute=True):
        teammate.display_name = "박새이름"
        teammate.save()
    html = _html(client)
    assert "박새이름" in html and "박동료" not in html


def test_the_roster_is_served_from_the_cache(fragments_on, login, learner, teammate):
    client = login(learner)
    assert "박동료" in _html(client)
    # A change that bypasses the model (and so its signals) is not seen until the next bump:
    # proof that the second page came from the cache.
    type(teammate).objects.filter(pk=teammate.pk).update(display_name="몰래 바뀐 이름")
    assert "박동료" in _html(client)


@pytest.mark.parametrize(
    "change",
    ["join", "leave", "rename_team", "add_mentor", "remove_mentor_reverse", "clear_reverse"],
)
def test_team_changes_refresh_the_roster(
    fragments_on, login, learner, mentor, team, cohort, change, django_capture_on_commit_callbacks
):
    client = login(learner)
    _html(client)
    newcomer = factories.make_user("newcomer", display_name="최신입")
    with django_capture_on_commit_callbacks(execute=True):
        if change == "join":
            factories.join(newcomer, cohort, "learner", team)
            expected, gone = "최신입", None
        elif change == "leave":
            factories.join(newcomer, cohort, "learner", team)
            Membership.objects.get(user=newcomer).delete()
            expected, gone = "이캠퍼", "최신입"
        elif change == "rename_team":
            team.name = "칠조"
            team.save()
            expected, gone = "칠조", None
        elif change == "add_mentor":
            team.mentors.add(newcomer)
            expected, gone = "최신입", None
        elif change == "remove_mentor_reverse":
            mentor.mentored_teams.remove(team)
            expected, gone = "이캠퍼", "김멘토"
        else:
            mentor.mentored_teams.clear()
            expected, gone = "이캠퍼", "김멘토"
    html = _html(client)
    assert expected in html
    if gone:
        assert gone not in html


def test_moving_a_learner_refreshes_both_teams(
    fragments_on,
    login,
    learner,
    teammate,
    other_learner,
    other_team,
    django_capture_on_commit_callbacks,
):
    client = login(other_learner)
    assert "박동료" not in _html(client)
    with django_capture_on_commit_callbacks(execute=True):
        membership = Membership.objects.get(user=teammate)
        membership.team = other_team
        membership.save()
    assert "박동료" in _html(client)
    assert "박동료" not in _html(login(learner))


def _grow(cohort, team, n: int) -> None:
    """n more teammates, n more cohorts for the learner (each with a team and a mentor)."""
    learner = Membership.objects.get(team=team, user__username="learner").user
    for i in range(n):
        factories.join(factories.make_user(display_name=f"동료{i}"), cohort, "learner", team)
        other = factories.make_cohort()
        other_team = factories.make_team(other, mentors=[factories.make_user()])
        factories.join(learner, other, "learner", other_team)
        factories.join(factories.make_user(), other, "learner", other_team)


@pytest.mark.parametrize("size", [1, 12])
def test_home_queries_do_not_grow_with_teams_or_cohorts(
    login, learner, mentor, team, cohort, size, django_assert_num_queries
):
    _grow(cohort, team, size)
    client = login(learner)
    # the session with its user, memberships (with cohorts), mentored teams, the rosters'
    # versions, then the rosters (teams, learners, mentors: three queries for all teams, not a
    # query per team or per member), the viewer's roles (header cohort, unread count).
    with django_assert_num_queries(8):
        client.get("/")


@pytest.mark.parametrize("size", [1, 12])
def test_cached_rosters_cost_no_query(
    fragments_on, login, learner, mentor, team, cohort, size, django_assert_num_queries
):
    _grow(cohort, team, size)
    client = login(learner)
    client.get("/")
    # The three roster queries are gone once the fragments are cached.
    with django_assert_num_queries(5):
        client.get("/")
