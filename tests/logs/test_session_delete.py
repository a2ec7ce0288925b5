"""Deleting a session: its team (or, for a cohort-wide one, the cohort's mentors and operators),
after a confirmation, and it leaves every page it was on."""

import datetime as dt

import pytest
from django.urls import reverse

from logs.models import Comment, MentoringQuestion, Session
from tests import factories
from tests.logs.session_helpers import TEAM_SESSION_ACCESS


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


def _url(session):
    return reverse("logs:session_delete", args=[session.pk])


@pytest.mark.parametrize(("persona", "status"), TEAM_SESSION_ACCESS)
def test_the_team_and_its_mentors_may_delete_its_session(request, login, team, persona, status):
    session = factories.make_session(team)
    client = login(request.getfixturevalue(persona))
    assert client.get(_url(session)).status_code == status
    client.post(_url(session))
    assert Session.objects.filter(pk=session.pk).exists() == (status != 200)


def test_a_visitor_is_sent_to_log_in(client, team):
    session = factories.make_session(team)
    response = client.post(_url(session))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Session.objects.filter(pk=session.pk).exists()


def test_it_asks_first_and_says_what_goes_with_it(login, learner, mentor, team):
    session = factories.make_session(team, title="지울 피어세션")
    Comment.objects.create(session=session, author=mentor, body="좋아요")
    html = login(learner).get(_url(session)).content.decode()
    assert "지울 피어세션" in html and "Its comment goes with it." in html
    assert f'href="{session.get_absolute_url()}"' in html  # cancel
    assert Session.objects.filter(pk=session.pk).exists()


def test_deleting_takes_its_questions_and_comments_and_returns_to_the_day(
    login, learner, mentor, team, cohort
):
    session = factories.make_session(team, title="지울 피어세션")
    MentoringQuestion.objects.create(session=session, number=1, question="q", asked_by=learner)
    Comment.objects.create(session=session, author=mentor, body="좋아요")
    client = login(learner)
    response = client.post(_url(session), follow=True)
    assert response.redirect_chain[-1][0] == f"/c/{cohort.slug}/days/{session.date}/"
    assert "The session “지울 피어세션” was deleted." in response.content.decode()
    assert not Session.objects.filter(pk=session.pk).exists()
    assert not MentoringQuestion.objects.exists() and not Comment.objects.exists()


def test_a_cohort_wide_session_is_deleted_by_its_mentors_and_operators(
    login, cohort, learner, operator
):
    lecture = Session.objects.create(
        cohort=cohort, date=dt.date(2022, 2, 9), kind=Session.Kind.LECTURE, title="특강"
    )
    assert login(learner).post(_url(lecture)).status_code == 403
    assert login(operator).post(_url(lecture)).status_code == 302
    assert not Session.objects.filter(pk=lecture.pk).exists()


def test_a_deleted_session_leaves_the_cached_pages(login, learner, teammate, team, cohort):
    entry = factories.make_entry(learner, cohort)
    session = factories.make_session(team, title="곧 사라질 세션")
    viewer = login(teammate)
    pages = [entry.get_absolute_url(), f"/c/{cohort.slug}/days/{session.date}/"]
    assert all("곧 사라질 세션" in viewer.get(url).content.decode() for url in pages)
    login(learner).post(_url(session), follow=True)  # (the same client: its message is read)
    viewer = login(teammate)
    assert not any("곧 사라질 세션" in viewer.get(url).content.decode() for url in pages)


def test_the_session_page_offers_deleting_to_those_who_may(login, learner, other_learner, team):
    session = factories.make_session(team)
    assert _url(session) in login(learner).get(session.get_absolute_url()).content.decode()
    page = login(other_learner).get(session.get_absolute_url()).content.decode()
    assert _url(session) not in page


def test_the_confirmation_is_pinned_at_its_query_count(
    login, learner, mentor, team, django_assert_num_queries
):
    """The session with its user; the session (cohort, team, host, author in one row) and its
    cohort's holidays and stages; the viewer's roles; the comment count. Not one per comment."""
    session = factories.make_session(team)
    for i in range(5):
        Comment.objects.create(session=session, author=mentor, body=f"댓글 {i}")
    client = login(learner)
    with django_assert_num_queries(6):
        assert client.get(_url(session)).status_code == 200
