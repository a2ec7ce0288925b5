"""The day page: /c/<slug>/days/<yyyy-mm-dd>/."""

import pytest

from logs.models import Entry, Session
from tests import factories
from tests.logs.browsing import WED, make_world, populate

URL = "/c/ai-tech-3/days/2022-02-09/"


@pytest.fixture
def world(learner, cohort, team):
    return make_world(learner, cohort, team)


def _html(client, request, persona, url=URL):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_author_sees_their_log_draft_and_the_teams_session(login, learner, world):
    html = login(learner).get(URL).content.decode()
    assert "COHORT-LOG" in html
    assert "DRAFT-LOG" in html
    assert "SESSION-NOTE" in html
    assert "PUBLIC-LOG" not in html  # written on another day


@pytest.mark.parametrize("persona", ["teammate", "mentor", "other_learner", "operator"])
def test_members_see_cohort_logs_and_sessions_but_no_drafts(client, request, world, persona):
    html = _html(client, request, persona)
    assert "COHORT-LOG" in html
    assert "SESSION-NOTE" in html
    assert "DRAFT-LOG" not in html


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "foreign_operator"])
def test_strangers_see_only_public_logs(client, request, world, persona):
    html = _html(client, request, persona)
    assert "COHORT-LOG" not in html
    assert "SESSION-NOTE" not in html
    public = _html(client, request, persona, "/c/ai-tech-3/days/2022-02-10/")
    assert "PUBLIC-LOG" in public


def test_it_groups_logs_and_sessions_team_by_team(
    login, learner, teammate, other_learner, mentor, cohort, team, other_team
):
    factories.make_entry(learner, cohort, title="A-7조-LOG")
    factories.make_entry(teammate, cohort, title="B-7조-LOG")
    factories.make_entry(other_learner, cohort, title="C-8조-LOG")
    factories.make_entry(mentor, cohort, kind=Entry.Kind.NOTE, title="D-MENTOR-NOTE")
    factories.make_session(other_team, title="E-8조-SESSION")
    Session.objects.create(
        cohort=cohort, kind=Session.Kind.LECTURE, date=WED, title="F-특강", summary="특강"
    )
    response = login(learner).get(URL, HTTP_ACCEPT_LANGUAGE="en")
    groups = [(g.kind, g.name) for g in response.context["groups"]]
    assert groups == [("team", "7조"), ("team", "8조"), ("cohort", None), ("none", None)]
    html = response.content.decode()
    assert html.index("A-7조-LOG") < html.index("C-8조-LOG") < html.index("E-8조-SESSION")
    assert html.index("E-8조-SESSION") < html.index("Whole cohort") < html.index("F-특강")
    assert html.index("Without a team") < html.index("D-MENTOR-NOTE")


def test_a_holiday_is_named_and_an_empty_day_says_so(login, learner, cohort):
    html = login(learner).get("/c/ai-tech-3/days/2022-01-31/", HTTP_ACCEPT_LANGUAGE="en")
    html = html.content.decode()
    assert "설날" in html
    assert "Nothing written on this day" in html
    assert "It was not a learning day." in html


def test_it_links_the_neighbouring_learning_days_and_the_week(login, learner, cohort):
    html = login(learner).get("/c/ai-tech-3/days/2022-02-07/").content.decode()
    assert 'href="/c/ai-tech-3/days/2022-02-04/"' in html  # Friday before
    assert 'href="/c/ai-tech-3/days/2022-02-08/"' in html
    assert 'href="/c/ai-tech-3/weeks/4/"' in html


@pytest.mark.parametrize(
    "day", ["2022-02-30", "2022-13-01", "2022-2-9", "yesterday", "2021-12-31", "2023-01-02"]
)
def test_an_invalid_or_out_of_cohort_date_is_a_404(client, cohort, day):
    assert client.get(f"/c/ai-tech-3/days/{day}/").status_code == 404


@pytest.mark.parametrize("learners", [2, 12])
def test_the_day_page_runs_a_fixed_number_of_queries(
    login, learner, cohort, django_assert_num_queries, learners
):
    """With nothing cached: the session with its user; the page's cache versions with the
    unread count; the viewer's roles; the cohort with its calendar; the page of teams; their
    entries (comment counts and tags in the row); the sessions. The same at 2 and 12 learners:
    no query per log, per team, per tag or per comment count."""
    populate(cohort, learners, [WED])
    client = login(learner)
    with django_assert_num_queries(7):
        response = client.get(URL)
    assert response.context["entry_count"] == learners
