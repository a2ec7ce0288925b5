"""Where sessions show: beside an entry (`Session.objects.for_entry` and `_day_sessions.html`), and
as Markdown the daily-log editor inserts (`logs:day_sessions_snippet`)."""

import datetime as dt

import pytest
from django.core.cache import cache as django_cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from logs.models import MentoringQuestion, Session, SessionProblem
from tests import factories


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English msgids: the test client asks for English, Korean being the default."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


URL = reverse("logs:day_sessions_snippet")
NEW_SESSION_URL = reverse("logs:session_new")


@pytest.fixture
def sessions(team, other_team, cohort, learner, mentor):
    peer = factories.make_session(
        team, title="피어세션", summary="### **키워드 공유**\n- attention\n"
    )
    SessionProblem.objects.create(
        session=peer, title="[BOJ] 원숭이 매달기", url="https://www.acmicpc.net/"
    )
    mentoring = factories.make_session(team, kind="mentoring", title="멘토링", summary="")
    MentoringQuestion.objects.create(
        session=mentoring,
        number=1,
        question="SGD와 Adam",
        asked_by=learner,
        answer="- 경험적으로\n- 스케줄러",
        answered_by=mentor,
    )
    MentoringQuestion.objects.create(
        session=mentoring, number=2, question="MixUp", asked_by=learner
    )
    lecture = Session.objects.create(
        cohort=cohort, kind="lecture", date=dt.date(2022, 2, 9), title="특강"
    )
    factories.make_session(other_team, title="다른 조 피어세션")
    factories.make_session(team, title="다음 날", date=dt.date(2022, 2, 10))
    return peer, mentoring, lecture


def test_for_entry_gives_the_authors_team_and_the_cohort_sessions_of_that_day(
    learner, cohort, sessions
):
    entry = factories.make_entry(learner, cohort)
    titles = {s.title for s in Session.objects.for_entry(entry)}
    assert titles == {"피어세션", "멘토링", "특강"}


def test_for_entry_respects_who_looks(learner, outsider, cohort, sessions):
    entry = factories.make_entry(learner, cohort, visibility="public")
    assert not Session.objects.visible_to(outsider).for_entry(entry).exists()


@translation.override("en")
def test_the_day_sessions_include_renders_links_and_keywords(learner, cohort, sessions):
    peer = sessions[0]
    peer.tags.add("attention")
    entry = factories.make_entry(learner, cohort)
    html = render_to_string(
        "logs/_day_sessions.html",
        {
            "day_sessions": list(Session.objects.visible_to(learner).for_entry(entry).for_list()),
            "entry": entry,
        },
    )
    assert peer.get_absolute_url() in html and "attention" in html
    assert "No session was written" not in html
    assert "No session was written" in render_to_string(
        "logs/_day_sessions.html", {"day_sessions": []}
    )


def test_links_for_the_day(login, learner, cohort, sessions):
    response = login(learner).get(URL, {"date": "2022-02-09", "cohort": cohort.slug})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert f"(http://testserver{sessions[0].get_absolute_url()})" in text
    assert "멘토링" in text and "특강" in text
    assert "다른 조" not in text and "다음 날" not in text


def test_summaries_for_the_day_follow_the_seed_logs_sections(login, learner, cohort, sessions):
    text = (
        login(learner)
        .get(URL, {"date": "2022-02-09", "cohort": cohort.pk, "format": "summary"})
        .content.decode()
    )
    assert "### **키워드 공유**\n- attention" in text
    assert "- [[BOJ] 원숭이 매달기](https://www.acmicpc.net/)" in text
    assert "1. **SGD와 Adam**\n    - 경험적으로\n    - 스케줄러" in text
    assert "2. **MixUp**" in text


def test_bad_parameters_get_a_clear_400(login, learner, cohort):
    client = login(learner)
    for params in (
        {},
        {"date": "2022-13-45", "cohort": cohort.slug},
        {"date": "2022-02-09"},
        {"date": "2022-02-09", "cohort": cohort.slug, "format": "html"},
    ):
        response = client.get(URL, params)
        assert response.status_code == 400
        assert "YYYY-MM-DD" in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "foreign_operator"])
def test_other_cohorts_are_not_found(request, login, cohort, sessions, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(URL, {"date": "2022-02-09", "cohort": cohort.slug}).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, cohort):
    response = client.get(URL, {"date": "2022-02-09", "cohort": cohort.slug})
    assert response.status_code == 302


def test_the_snippet_query_count_does_not_grow_with_sessions(
    login, learner, team, cohort, sessions, django_assert_num_queries
):
    """Pins the summary: problems and questions are prefetched, not loaded per session."""
    client = login(learner)
    params = {"date": "2022-02-09", "cohort": cohort.slug, "format": "summary"}
    with django_assert_num_queries(6):
        client.get(URL, params)
    for i in range(4):
        extra = factories.make_session(team, kind="mentoring", title=f"extra {i}")
        MentoringQuestion.objects.create(session=extra, number=1, question="q")
        SessionProblem.objects.create(session=extra, title="p")
    with django_assert_num_queries(6):
        client.get(URL, params)


# --- On the entry page ----------------------------------------------------------------------


def test_the_entry_page_shows_the_days_sessions_and_comments(
    login, learner, teammate, mentor, cohort, sessions
):
    from logs.models import Comment

    entry = factories.make_entry(learner, cohort)
    Comment.objects.create(entry=entry, author=mentor, body="멘토의 **댓글**")
    html = login(teammate).get(entry.get_absolute_url()).content.decode()
    assert sessions[0].get_absolute_url() in html and "특강" in html
    assert "다른 조 피어세션" not in html
    assert "<strong>댓글</strong>" in html and "badge-mentor" in html
    assert f'name="entry" value="{entry.pk}"' in html  # the comment form


def test_a_visitor_of_a_public_entry_sees_no_session(client, learner, cohort, sessions):
    entry = factories.make_entry(learner, cohort, visibility="public")
    html = client.get(entry.get_absolute_url()).content.decode()
    assert sessions[0].get_absolute_url() not in html
    assert "to comment." in html  # asked to log in, no form


def test_the_owner_is_offered_to_write_the_days_session(login, learner, cohort):
    entry = factories.make_entry(learner, cohort)
    html = login(learner).get(entry.get_absolute_url()).content.decode()
    assert f"{NEW_SESSION_URL}?date=2022-02-09" in html


def test_the_entry_page_does_not_grow_with_sessions_or_comments(
    login, learner, teammate, mentor, team, cohort, sessions, django_assert_num_queries
):
    """The day's sessions come with their keywords in two queries; comments with replies,
    authors and the mentor mark in three — none per session or comment."""
    from logs.models import Comment

    entry = factories.make_entry(learner, cohort)
    client = login(teammate)
    Comment.objects.create(entry=entry, author=mentor, body="c")
    with django_assert_num_queries(9):
        assert client.get(entry.get_absolute_url()).status_code == 200
    for i in range(5):
        extra = factories.make_session(team, kind="mentoring", title=f"extra {i}")
        extra.tags.add(f"kw{i}")
        top = Comment.objects.create(entry=entry, author=mentor, body=f"c{i}")
        Comment.objects.create(entry=entry, author=learner, body=f"r{i}", parent=top)
    django_cache.clear()  # as cold as the first time: the viewer's roles were cached then
    with django_assert_num_queries(9):
        assert client.get(entry.get_absolute_url()).status_code == 200
