"""The mentor's page: my teams, their sessions without my comment, the questions waiting for me,
my mentees' recent logs — and nothing of teams I do not mentor."""

import datetime as dt

import pytest
from django.urls import reverse

from logs.models import Comment, MentoringQuestion
from tests import factories


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English msgids: the test client asks for English, Korean being the default."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


URL = reverse("logs:mentor")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("mentor", 200),
        ("other_mentor", 200),
        ("learner", 403),
        ("teammate", 403),
        ("other_learner", 403),
        ("operator", 403),
        ("foreign_operator", 403),
        ("outsider", 403),
    ],
)
def test_it_is_for_mentors(request, login, persona, status):
    assert login(request.getfixturevalue(persona)).get(URL).status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_shows_my_teams_sessions_without_my_comment(login, mentor, team, other_team, learner):
    waiting = factories.make_session(team, title="아직 댓글 없음")
    done = factories.make_session(team, title="댓글 단 세션", kind="mentoring")
    Comment.objects.create(session=done, author=mentor, body="확인했어요")
    factories.make_session(other_team, title="다른 조 세션")
    html = login(mentor).get(URL).content.decode()
    assert waiting.title in html
    assert done.title not in html
    assert "다른 조 세션" not in html
    assert team.name in html and learner.name in html


def test_it_lists_open_questions(login, mentor, team, other_team, learner):
    session = factories.make_session(team, kind="mentoring")
    MentoringQuestion.objects.create(
        session=session, number=1, question="열린 질문", asked_by=learner
    )
    MentoringQuestion.objects.create(
        session=session,
        number=2,
        question="확인할 답",
        asked_by=learner,
        answer="메모",
        answer_confirmed=False,
    )
    MentoringQuestion.objects.create(
        session=session,
        number=3,
        question="끝난 질문",
        asked_by=learner,
        answer="답",
        answer_confirmed=True,
    )
    other = factories.make_session(other_team, kind="mentoring")
    MentoringQuestion.objects.create(session=other, number=1, question="다른 조 질문")
    html = login(mentor).get(URL).content.decode()
    assert "열린 질문" in html and "확인할 답" in html
    assert "끝난 질문" not in html and "다른 조 질문" not in html


def test_it_shows_my_mentees_recent_logs_but_not_private_ones(
    login, mentor, learner, other_learner, cohort
):
    factories.make_entry(learner, cohort, title="멘티의 기록")
    factories.make_entry(learner, cohort, title="비공개 기록", kind="note", visibility="private")
    factories.make_entry(learner, cohort, title="임시 저장", kind="note", status="draft")
    factories.make_entry(other_learner, cohort, title="다른 조 기록")
    html = login(mentor).get(URL).content.decode()
    assert "멘티의 기록" in html
    assert "비공개 기록" not in html and "임시 저장" not in html and "다른 조 기록" not in html


def test_each_list_pages_through_everything(login, mentor, learner, team, cohort):
    for day in range(5, 30):
        factories.make_entry(
            learner, cohort, kind="note", title=f"note {day}", learning_date=dt.date(2022, 3, day)
        )
    client = login(mentor)
    assert "?show=logs" in client.get(URL).content.decode()
    page1 = client.get(f"{URL}?show=logs").content.decode()
    assert "note 29" in page1 and "page=2" in page1
    assert "note 5" in client.get(f"{URL}?show=logs&page=2").content.decode()
    for show in ("sessions", "questions", "bogus"):
        assert client.get(f"{URL}?show={show}").status_code == 200


def _grow(team, learner, cohort, n, start):
    for i in range(start, start + n):
        date = dt.date(2022, 3, 1) + dt.timedelta(days=i)
        session = factories.make_session(team, kind="mentoring", date=date, title=f"s{i}")
        session.tags.add(f"kw{i}")
        MentoringQuestion.objects.create(
            session=session, number=1, question=f"q{i}", asked_by=learner
        )
        factories.make_entry(
            learner, cohort, kind="note", title=f"e{i}", learning_date=date, tags=[f"t{i}"]
        )


def test_its_query_count_does_not_grow_with_teams_activity(
    login, mentor, learner, team, cohort, django_assert_num_queries
):
    """Pins the page: sessions (with team, host, keywords), questions (with session and asker),
    logs (with authors and tags) and team members each load in one query — none per row."""
    client = login(mentor)
    _grow(team, learner, cohort, 1, 0)
    with django_assert_num_queries(9):
        assert client.get(URL).status_code == 200
    _grow(team, learner, cohort, 8, 1)
    with django_assert_num_queries(9):
        assert client.get(URL).status_code == 200
