"""The session page: who sees it, what it shows (summary, keywords, problems, Q&A, the team's
logs of that day, comments), and how many queries it costs."""

import datetime as dt

import pytest
from django.urls import reverse

from logs.models import Comment, MentoringQuestion, SessionProblem
from tests import factories


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English msgids: the test client asks for English, Korean being the default."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def session(team, learner, teammate, mentor):
    s = factories.make_session(
        team, title="[Week 04 / Day 015] 피어세션", host=teammate, created_by=learner
    )
    s.attendees.set([learner, teammate])
    s.tags.add("attention", "LSTM")
    SessionProblem.objects.create(
        session=s, title="[BOJ] 원숭이 매달기", url="https://www.acmicpc.net/"
    )
    return s


def _url(session):
    return reverse("logs:session_detail", args=[session.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("learner", 200),
        ("teammate", 200),
        ("mentor", 200),
        ("other_learner", 200),
        ("other_mentor", 200),
        ("operator", 200),
        ("foreign_operator", 404),
        ("outsider", 404),
    ],
)
def test_it_shows_the_session_to_members_of_its_cohort_only(
    request, login, session, persona, status
):
    user = request.getfixturevalue(persona)
    assert login(user).get(_url(session)).status_code == status


def test_it_sends_anonymous_visitors_to_the_login_page(client, session):
    response = client.get(_url(session))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_shows_summary_keywords_problems_and_people(login, learner, session):
    html = login(learner).get(_url(session)).content.decode()
    assert "[Week 04 / Day 015] 피어세션" in html
    assert "attention" in html and "LSTM" in html
    assert "[BOJ] 원숭이 매달기" in html
    assert "박동료" in html  # the host
    assert "Week 04 / Day 015" in html


def test_it_offers_editing_to_the_team_but_not_to_another_team(
    login, learner, other_learner, session
):
    edit_url = reverse("logs:session_edit", args=[session.pk])
    assert edit_url in login(learner).get(_url(session)).content.decode()
    assert edit_url not in login(other_learner).get(_url(session)).content.decode()


def test_it_lists_the_team_members_logs_of_that_date(
    login, learner, teammate, other_learner, cohort, session
):
    factories.make_entry(learner, cohort, title="이캠퍼의 기록")
    factories.make_entry(teammate, cohort, title="박동료의 비공개 기록", visibility="private")
    factories.make_entry(teammate, cohort, title="다른 날", learning_date=dt.date(2022, 2, 10))
    factories.make_entry(other_learner, cohort, title="다른 조의 기록")
    html = login(learner).get(_url(session)).content.decode()
    assert "이캠퍼의 기록" in html
    assert "박동료의 비공개 기록" not in html
    assert "다른 날" not in html
    assert "다른 조의 기록" not in html


def test_it_marks_unanswered_questions(login, learner, mentor, team):
    mentoring = factories.make_session(team, kind="mentoring", title="멘토링")
    MentoringQuestion.objects.create(
        session=mentoring, number=1, question="Positional encoding?", asked_by=learner
    )
    html = login(mentor).get(_url(mentoring)).content.decode()
    assert "Positional encoding?" in html
    assert "question-unanswered" in html
    assert reverse("logs:question_answer", args=[mentoring.questions.get().pk]) in html


def test_it_marks_mentors_comments(login, learner, mentor, session):
    Comment.objects.create(session=session, author=mentor, body="좋은 정리네요")
    Comment.objects.create(session=session, author=learner, body="감사합니다")
    html = login(learner).get(_url(session)).content.decode()
    assert html.count("badge-mentor") == 1


def test_it_lists_keywords_in_the_order_given_and_links_problems(login, learner, session):
    session.tags.add("positional encoding")
    html = login(learner).get(_url(session)).content.decode()
    assert html.index("attention") < html.index("LSTM") < html.index("positional encoding")
    assert (
        '<a href="https://www.acmicpc.net/" rel="noopener nofollow">[BOJ] 원숭이 매달기</a>' in html
    )


def test_it_pages_long_comment_threads(login, learner, mentor, session, monkeypatch):
    from logs.views import comments

    monkeypatch.setattr(comments, "COMMENTS_PER_PAGE", 2)
    for i in range(3):
        top = Comment.objects.create(session=session, author=mentor, body=f"thread {i}")
        Comment.objects.create(session=session, author=learner, body=f"reply {i}", parent=top)
    client = login(learner)
    first = client.get(_url(session))
    assert first.context["comments"].paginator.count == 3  # threads, not replies
    assert "Page 1 of 2" in first.content.decode()
    last = client.get(_url(session), {"comments": 9})
    assert "thread 2" in last.content.decode() and "thread 0" not in last.content.decode()


def _grow(session, learner, teammate, mentor, cohort, n):
    for i in range(n):
        top = Comment.objects.create(session=session, author=mentor, body=f"comment {i}")
        Comment.objects.create(session=session, author=teammate, body=f"reply {i}", parent=top)
        MentoringQuestion.objects.create(
            session=session,
            number=session.questions.count() + 1,
            question=f"q{i}",
            asked_by=learner,
            answer="- a",
            answered_by=mentor,
        )
        SessionProblem.objects.create(session=session, title=f"problem {i}")
        session.tags.add(f"keyword {session.tags.count()}")
    session.attendees.add(mentor)
    factories.make_entry(learner, cohort, kind="note", title=f"note {n}")
    factories.make_entry(teammate, cohort, kind="note", title=f"teammate's note {n}")


def test_its_query_count_does_not_grow_with_comments_questions_or_logs(
    login, learner, teammate, mentor, cohort, session, django_assert_num_queries
):
    """Pins the page at 10 queries: the session with its user; the session with its keywords, problems
    and number of comment threads (arrays and a count in its own row, not a query each); the
    calendar's holidays and stages (for the day label); the viewer's roles and unread count (one
    query); questions (with askers); the team's logs of the day (with authors, no tags: they are
    not shown); attendees; comments and their replies (prefetched with authors and the mentor
    mark). No query per comment, reply, question, problem, keyword or log."""
    client = login(learner)
    _grow(session, learner, teammate, mentor, cohort, 1)
    with django_assert_num_queries(10):
        assert client.get(_url(session)).status_code == 200
    _grow(session, learner, teammate, mentor, cohort, 30)
    with django_assert_num_queries(10):
        assert client.get(_url(session)).status_code == 200


def test_an_operator_moderating_costs_no_query_per_comment(
    login, learner, teammate, mentor, operator, cohort, session, django_assert_num_queries
):
    """Deciding the delete button for someone else's comment reads the session already loaded,
    not a query per comment."""
    client = login(operator)
    _grow(session, learner, teammate, mentor, cohort, 1)
    with django_assert_num_queries(10):
        assert client.get(_url(session)).status_code == 200
    _grow(session, learner, teammate, mentor, cohort, 30)
    with django_assert_num_queries(10):
        assert client.get(_url(session)).status_code == 200
