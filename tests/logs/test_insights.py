"""Cohort insights (members only): /c/<slug>/insights/."""

import datetime as dt
import re
from itertools import pairwise

import pytest
from django.utils import timezone

from tests.logs.browsing import make_world, populate, week_days

URL = "/c/ai-tech-3/insights/"


@pytest.fixture
def world(learner, cohort, team):
    return make_world(learner, cohort, team)


def test_anonymous_visitors_are_sent_to_log_in(client, cohort):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["outsider", "foreign_operator"])
def test_non_members_get_a_404(client, request, cohort, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize("persona", ["learner", "teammate", "mentor", "other_learner", "operator"])
def test_members_see_the_charts(client, request, world, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL + "?week=4")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg class="bar-chart"' in html
    assert "learner-grid" in html


def test_the_grid_shows_who_wrote_a_visible_daily_log_on_which_day(login, learner, teammate, world):
    response = login(teammate).get(URL + "?week=4")
    rows = {row.username: row.cells for row in response.context["grid"]}
    # learner: private on Tue (hidden from a teammate), cohort on Wed, public on Thu.
    assert rows["learner"] == [False, False, True, True, False]
    assert rows["learner2"] == [False] * 5
    own = {row.username: row.cells for row in login(learner).get(URL + "?week=4").context["grid"]}
    assert own["learner"] == [False, True, True, True, False]


def test_the_bar_chart_counts_daily_logs_per_learning_day(login, teammate, world, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2022, 2, 11, 12, tzinfo=dt.UTC))
    response = login(teammate).get(URL)
    assert response.context["total_daily"] == 2  # the cohort and public logs
    assert response.context["learning_days_so_far"] == 17  # Day 001 … Day 017
    assert "Week 04 / Day 015" in response.content.decode()


def test_it_lists_the_top_keywords_per_week(login, teammate, world):
    keywords = dict(login(teammate).get(URL).context["keywords"])
    names = [tag.name for tag in keywords[4]]
    assert names[0] == "shared-tag"
    assert "secret-tag" not in names


@pytest.mark.parametrize("week", ["0", "-3", "999", "abc", ""])
def test_a_bad_week_falls_back_to_a_real_one(login, learner, cohort, week):
    response = login(learner).get(URL, {"week": week})
    assert response.status_code == 200
    assert 1 <= response.context["n"] <= cohort.calendar.week_count


def test_the_grid_leaves_out_holidays(login, learner, cohort):
    response = login(learner).get(URL, {"week": 3})
    # 설날 takes Mon–Wed of Week 03: the grid has Thursday and Friday only.
    assert [d for d, _, _ in response.context["week_days"]] == [
        dt.date(2022, 2, 3),
        dt.date(2022, 2, 4),
    ]


@pytest.mark.parametrize("learners", [2, 12])
def test_insights_run_a_fixed_number_of_queries(
    login, learner, cohort, django_assert_num_queries, learners
):
    """The session with its user; the cohort with its calendar; the viewer's roles (with the
    unread count and the header's cohort); logs per day (grouped); the learners of the cohort
    (with users and teams joined); who wrote in the week; keywords per week of entries and of
    sessions (grouped). Not a query per learner, day or week."""
    populate(cohort, learners, week_days(3))
    client = login(learner)
    with django_assert_num_queries(8):
        response = client.get(URL + "?week=4")
    assert len(response.context["grid"]) == learners + 1


def test_without_a_week_the_grid_opens_on_the_latest_week_with_logs(login, teammate, world):
    """The cohort ended in June 2022: its last week has no log, week 04 has."""
    response = login(teammate).get(URL)
    assert response.context["n"] == 4
    assert sum(response.context["day_totals"]) > 0


def test_a_week_asked_for_is_shown_even_without_logs(login, teammate, world):
    assert login(teammate).get(URL, {"week": 9}).context["n"] == 9


def test_the_label_of_a_week_after_a_short_one_is_kept():
    """Week 03 has two learning days (설날): its label used to crowd out Week 04's."""
    from logs import charts

    bars = [charts.Bar(1, "d", label="W02")] + [charts.Bar(1, "d")] * 4
    bars += [charts.Bar(1, "d", label="W03"), charts.Bar(1, "d")]
    bars += [charts.Bar(1, "d", label="W04")] + [charts.Bar(1, "d")] * 4
    svg = charts.bar_chart_svg(bars, title="t")
    labels = re.findall(r'<text class="chart-label" x="(\d+)" y="\d+">(W\d\d)</text>', svg)
    assert [name for _, name in labels] == ["W02", "W03", "W04"]
    xs = [int(x) for x, _ in labels]
    assert all(b - a >= charts.LABEL_GAP for a, b in pairwise(xs))
    # Still under its own week: W04's first bar is the 8th, the next week starts at the 13th.
    assert 30 + 7 * 11 <= xs[2] < 30 + 12 * 11
