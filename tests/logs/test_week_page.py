"""The week page: /c/<slug>/weeks/<n>/."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from logs.models import Comment, Entry
from tests import factories
from tests.logs.browsing import SAT, make_world, populate, week_days

URL = "/c/ai-tech-3/weeks/4/"


@pytest.fixture
def world(learner, cohort, team):
    return make_world(learner, cohort, team)


MEMBERS = ["teammate", "mentor", "other_learner", "operator"]
STRANGERS = ["outsider", "foreign_operator"]


def _get(client, request, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client.get(URL)


def test_it_shows_the_author_everything_they_wrote(login, learner, world):
    html = login(learner).get(URL).content.decode()
    for title in ("PRIVATE-LOG", "COHORT-LOG", "PUBLIC-LOG", "DRAFT-LOG", "SESSION-NOTE"):
        assert title in html


@pytest.mark.parametrize("persona", MEMBERS)
def test_it_hides_private_entries_and_drafts_from_members(client, request, world, persona):
    html = _get(client, request, persona).content.decode()
    assert "COHORT-LOG" in html
    assert "PUBLIC-LOG" in html
    assert "SESSION-NOTE" in html
    assert "PRIVATE-LOG" not in html
    assert "DRAFT-LOG" not in html
    assert "secret-tag" not in html


@pytest.mark.parametrize("persona", ["anonymous", *STRANGERS])
def test_it_shows_only_public_entries_to_everyone_else(client, request, world, persona):
    response = _get(client, request, persona)
    assert response.status_code == 200
    html = response.content.decode()
    assert "PUBLIC-LOG" in html
    for hidden in ("PRIVATE-LOG", "COHORT-LOG", "DRAFT-LOG", "SESSION-NOTE", "session-tag"):
        assert hidden not in html


def test_it_lists_the_learning_days_in_order_with_their_labels(login, learner, world):
    html = login(learner).get(URL).content.decode()
    labels = [f"Week 04 / Day {n:03d}" for n in range(13, 18)]
    positions = [html.index(label) for label in labels]
    assert positions == sorted(positions)


def test_it_shows_a_weekend_only_when_something_was_written_on_it(login, learner, world, cohort):
    html = login(learner).get(URL).content.decode()
    assert "day-2022-02-12" not in html
    factories.make_entry(
        learner, cohort, kind=Entry.Kind.NOTE, learning_date=SAT, title="주말 노트"
    )
    html = login(learner).get(URL).content.decode()
    assert "day-2022-02-12" in html
    assert "주말 노트" in html
    assert "day-2022-02-13" not in html


def test_it_names_the_holidays_of_a_week(login, learner, cohort):
    html = login(learner).get("/c/ai-tech-3/weeks/3/").content.decode()
    assert html.count("설날") == 3
    assert "Week 03 / Day 011" in html  # Thu 02-03, the first learning day after 설날


def test_a_row_shows_author_team_excerpt_tags_and_comment_count(login, learner, teammate, world):
    Comment.objects.create(author=teammate, entry=world.cohort_only, body="좋아요")
    Comment.objects.create(author=teammate, entry=world.cohort_only, body="최고")
    html = login(teammate).get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "이캠퍼" in html
    assert "7조" in html
    assert "2 comments" in html
    assert world.cohort_only.excerpt[:10] in html
    assert "/tags/cohort-tag/" in html


def test_it_lists_weekly_logs_apart_from_the_days(login, learner, cohort, world):
    factories.make_entry(
        learner,
        cohort,
        kind=Entry.Kind.WEEKLY,
        learning_date=dt.date(2022, 2, 11),
        title="WEEKLY-LOG 주간 회고",
    )
    html = login(learner).get(URL).content.decode()
    assert html.index("WEEKLY-LOG") > html.index('id="weekly-title"')


def test_it_gathers_the_weeks_keywords_from_sessions_and_tags(login, teammate, world):
    response = login(teammate).get(URL)
    keywords = {tag.name: tag.count for tag in response.context["keywords"]}
    # shared-tag: on the cohort and public logs and on the session (not the private log).
    assert keywords["shared-tag"] == 3
    assert keywords["session-tag"] == 1
    assert "secret-tag" not in keywords


def test_it_links_the_previous_and_next_weeks(login, learner, world):
    html = login(learner).get(URL).content.decode()
    assert 'href="/c/ai-tech-3/weeks/3/"' in html
    assert 'href="/c/ai-tech-3/weeks/5/"' in html
    first = login(learner).get("/c/ai-tech-3/weeks/1/").content.decode()
    assert 'rel="prev"' not in first


def test_it_says_so_when_a_day_has_no_logs(login, learner, cohort):
    html = login(learner).get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.count("No logs for this day yet.") == 5
    assert "No weekly logs for this week yet." in html


def test_it_marks_today_and_the_current_week(login, learner, world, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2022, 2, 9, 12, tzinfo=dt.UTC))
    html = login(learner).get(URL).content.decode()
    assert 'class="day-section is-today"' in html
    assert 'href="#day-2022-02-09" aria-current="date"' in html


@pytest.mark.parametrize("path", ["/c/ai-tech-3/weeks/0/", "/c/ai-tech-3/weeks/999/"])
def test_a_week_outside_the_cohort_is_a_404(client, cohort, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path", ["/c/ai-tech-3/weeks/-1/", "/c/ai-tech-3/weeks/abc/", "/c/no-such-cohort/weeks/1/"]
)
def test_a_malformed_week_or_unknown_cohort_is_a_404(client, cohort, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(("learners", "days"), [(2, 1), (12, 5)])
def test_the_week_page_runs_a_fixed_number_of_queries(
    login, learner, cohort, django_assert_num_queries, learners, days
):
    """With nothing cached: the session with its user; the page's cache versions with the
    unread count; the viewer's roles; the cohort (with its calendar in the same row); each
    day's first logs and their totals (comment counts, teams and tags in the row); each day's
    first sessions; the weekly logs' count (their page is not read when there are none); the
    week's keywords of logs and of sessions. The same at 2 and 12 learners: no n+1 on rows,
    tags, comments or teams."""
    populate(cohort, learners, week_days(days))
    client = login(learner)
    with django_assert_num_queries(9):
        response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["days"][0].entries) == min(learners, 8)


@pytest.mark.slow
def test_the_week_page_of_300_learners_lists_each_days_first_logs_in_the_same_queries(
    login, learner, cohort, django_assert_num_queries
):
    """The size the issue names: 300 learners × 5 days = 1,500 logs (and 150 sessions of 30
    teams) on one page, still 13 queries (rows are bulk-created: this measures the page, not
    the Markdown pipeline)."""
    from taggit.models import Tag

    from accounts.models import Membership, Team, User
    from logs.models import Session, TaggedEntry, TaggedSession

    teams = Team.objects.bulk_create([Team(cohort=cohort, name=f"{i:02d}조") for i in range(30)])
    users = User.objects.bulk_create(
        [User(username=f"bench{i:03d}", display_name=f"캠퍼{i:03d}") for i in range(300)]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, cohort=cohort, role="learner", team=teams[i % 30])
            for i, u in enumerate(users)
        ]
    )
    calendar = cohort.calendar
    entries = Entry.objects.bulk_create(
        [
            Entry(
                author=u,
                cohort=cohort,
                learning_date=d,
                week=calendar.week_of(d),
                day_number=calendar.day_number(d),
                title=calendar.daily_title(d),
                body="스케줄러도",
                body_html="<p>스케줄러도</p>",
                excerpt="스케줄러도 중요하다",
            )
            for u in users
            for d in week_days(5)
        ]
    )
    tags = Tag.objects.bulk_create([Tag(name=f"k{i}", slug=f"k{i}") for i in range(5)])
    TaggedEntry.objects.bulk_create(
        [TaggedEntry(tag=tags[i % 5], content_object=e) for i, e in enumerate(entries)]
    )
    Comment.objects.bulk_create(
        [Comment(author=learner, entry=e, body="좋아요") for e in entries[::3]]
    )
    sessions = Session.objects.bulk_create(
        [
            Session(cohort=cohort, team=t, date=d, week=4, title="피어세션", kind="peer")
            for t in teams
            for d in week_days(5)
        ]
    )
    TaggedSession.objects.bulk_create(
        [TaggedSession(tag=tags[0], content_object=s) for s in sessions]
    )
    # Statistics as a live database has them (autovacuum would run ANALYZE): without them, on a
    # test database bloated by a full run's rolled-back inserts, the planner took over 10 s.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = login(learner)
    with django_assert_num_queries(9):
        response = client.get(URL)
    html = response.content.decode()
    # Each day lists its first 8 logs and 4 sessions, and links to the day page for the rest.
    assert html.count('class="entry-row"') == 5 * 8
    assert html.count('class="entry-row session-row') == 5 * 4
    assert '<dd class="num">1500</dd>' in html and '<dd class="num">150</dd>' in html
    assert html.count("/c/ai-tech-3/days/") >= 5
