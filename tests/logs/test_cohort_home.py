"""The cohort home: /c/<slug>/."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.logs.browsing import make_world, populate, week_days

URL = "/c/ai-tech-3/"


@pytest.fixture
def world(learner, cohort, team):
    return make_world(learner, cohort, team)


def _get(client, request, persona, **extra):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client.get(URL, **extra)


def _week(response, n):
    return response.context["weeks"][n - 1]


def test_it_lists_every_week_with_dates_and_stages(client, cohort):
    response = client.get(URL)
    weeks = response.context["weeks"]
    assert len(weeks) == cohort.calendar.week_count == 21
    assert (weeks[3].start, weeks[3].end) == (dt.date(2022, 2, 7), dt.date(2022, 2, 13))
    assert weeks[0].stage.name == "Level 1 U-stage" and weeks[0].stage_starts
    assert not weeks[1].stage_starts
    assert weeks[5].stage is None  # the factory cohort has only the first stage
    html = response.content.decode()
    assert 'href="/c/ai-tech-3/weeks/21/"' in html
    assert "Level 1 U-stage" in html


@pytest.mark.parametrize(
    ("persona", "entries", "sessions"),
    [
        ("learner", 4, 1),  # private, cohort, public and the draft
        ("teammate", 2, 1),
        ("mentor", 2, 1),
        ("other_learner", 2, 1),
        ("operator", 2, 1),
        ("anonymous", 1, 0),
        ("outsider", 1, 0),
        ("foreign_operator", 1, 0),
    ],
)
def test_week_counts_count_only_what_the_viewer_may_see(
    client, request, world, persona, entries, sessions
):
    response = _get(client, request, persona)
    assert (_week(response, 4).entries, _week(response, 4).sessions) == (entries, sessions)


@pytest.mark.parametrize("persona", ["teammate", "anonymous", "outsider"])
def test_top_tags_leave_out_tags_the_viewer_cannot_see(client, request, world, persona):
    response = _get(client, request, persona)
    names = {tag.name for tag in response.context["top_tags"]}
    assert "shared-tag" in names
    assert "secret-tag" not in names
    assert "draft-tag" not in names
    assert ("session-tag" in names) == (persona == "teammate")


def test_it_highlights_the_current_week(client, cohort, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2022, 2, 9, 12, tzinfo=dt.UTC))
    response = client.get(URL)
    assert response.context["current_week"] == 4
    assert [w.number for w in response.context["weeks"] if w.is_current] == [4]
    html = response.content.decode()
    assert 'href="/c/ai-tech-3/weeks/4/" aria-current="date"' in html


def test_no_week_is_current_after_the_cohort(client, cohort, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2023, 1, 1, tzinfo=dt.UTC))
    assert client.get(URL).context["current_week"] is None


def test_members_get_a_link_to_insights_and_visitors_a_note(client, login, learner, world):
    assert "/c/ai-tech-3/insights/" in login(learner).get(URL).content.decode()
    client.logout()
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "/c/ai-tech-3/insights/" not in html
    assert "You are seeing this cohort's public logs." in html


def test_an_unknown_cohort_is_a_404(client, db):
    assert client.get("/c/no-such-cohort/").status_code == 404
    assert client.get("/c/%ED%95%9C/").status_code == 404


@pytest.mark.parametrize("learners", [2, 12])
def test_the_cohort_home_runs_a_fixed_number_of_queries(
    login, learner, cohort, django_assert_num_queries, learners
):
    """With nothing cached: the session with its user; the page's cache versions with the
    unread count; the viewer's roles (memberships and mentored teams, with the header's cohort);
    the cohort with its calendar in its row; entry and session counts grouped by week (not a
    query per week); the top tags of entries and of sessions."""
    populate(cohort, learners, week_days(3))
    client = login(learner)
    with django_assert_num_queries(8):
        response = client.get(URL)
    assert _week(response, 4).entries == learners * 3
