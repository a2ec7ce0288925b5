"""Mentoring Q&A: the mentor answers (and so confirms); a learner may write the mentor's answer
down, unconfirmed until the mentor confirms it; the asker is told."""

import pytest
from django.urls import reverse

from logs.models import MentoringQuestion, Notification
from tests import factories
from tests.logs.session_helpers import TEAM_SESSION_ACCESS


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English msgids: the test client asks for English, Korean being the default."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def mentoring(team, learner):
    return factories.make_session(team, kind="mentoring", title="멘토링", created_by=learner)


@pytest.fixture
def question(mentoring, learner):
    return MentoringQuestion.objects.create(
        session=mentoring, number=1, question="Positional encoding은 왜 필요한가?", asked_by=learner
    )


def _url(question):
    return reverse("logs:question_answer", args=[question.pk])


@pytest.mark.parametrize(
    ("persona", "status"),
    TEAM_SESSION_ACCESS,
)
def test_only_the_team_and_its_mentor_answer(request, login, question, persona, status):
    user = request.getfixturevalue(persona)
    assert login(user).get(_url(question)).status_code == status
    response = login(user).post(_url(question), {"answer": "- 답"})
    assert response.status_code == (302 if status == 200 else status)


def test_anonymous_visitors_are_sent_to_log_in(client, question):
    response = client.post(_url(question), {"answer": "x"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    question.refresh_from_db()
    assert question.answer == ""


def test_the_mentors_answer_is_confirmed_and_rendered(login, mentor, question):
    response = login(mentor).post(_url(question), {"answer": "- 학습도 가능하다. (trainable)"})
    assert response.status_code == 302
    assert response["Location"].endswith("#question-1")
    question.refresh_from_db()
    assert question.answered_by == mentor
    assert question.answer_confirmed
    assert question.status == "confirmed"
    assert "<li>" in question.answer_html


def test_a_learners_note_waits_for_the_mentor(login, learner, teammate, mentor, question):
    login(teammate).post(_url(question), {"answer": "- 멘토님 말씀: 큰 의미는 없다."})
    question.refresh_from_db()
    assert question.answered_by == teammate
    assert question.status == "unconfirmed"
    html = login(learner).get(question.session.get_absolute_url()).content.decode()
    assert "question-unconfirmed" in html
    # The mentor confirms it as written: the learner stays its writer.
    login(mentor).post(_url(question), {"answer": question.answer})
    question.refresh_from_db()
    assert question.status == "confirmed"
    assert question.answered_by == teammate


def test_a_learner_editing_a_confirmed_answer_unconfirms_it(login, teammate, mentor, question):
    login(mentor).post(_url(question), {"answer": "원래 답"})
    login(teammate).post(_url(question), {"answer": "바꾼 답"})
    question.refresh_from_db()
    assert question.status == "unconfirmed"


def test_an_empty_answer_is_refused(login, mentor, question):
    response = login(mentor).post(_url(question), {"answer": "  "})
    assert response.status_code == 400
    assert "Write the answer before saving." in response.content.decode()
    question.refresh_from_db()
    assert question.answer == "" and not question.answer_confirmed


def test_unanswered_questions_show_as_such(login, learner, question, mentoring):
    html = login(learner).get(mentoring.get_absolute_url()).content.decode()
    assert "question-unanswered" in html
    assert "1 open" in html


def test_the_asker_is_notified_of_the_answer(login, learner, mentor, question):
    login(mentor).post(_url(question), {"answer": "답"})
    note = Notification.objects.get()
    assert (note.recipient, note.actor, note.verb, note.question) == (
        learner,
        mentor,
        "answer",
        question,
    )


def test_answering_your_own_question_notifies_nobody(login, learner, question):
    login(learner).post(_url(question), {"answer": "제가 적은 답"})
    assert not Notification.objects.exists()


def test_a_second_answer_while_the_first_is_unread_does_not_notify_twice(
    login, learner, teammate, mentor, question
):
    login(teammate).post(_url(question), {"answer": "적어둔 답"})
    login(mentor).post(_url(question), {"answer": "적어둔 답"})
    assert Notification.objects.filter(recipient=learner).count() == 1
