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


def _answer(client, question, text):
    """Post an answer from the page as it stands now (with the stored version)."""
    version = MentoringQuestion.objects.get(pk=question.pk).version
    return client.post(_url(question), {"answer": text, "version": version})


@pytest.mark.parametrize(
    ("persona", "status"),
    TEAM_SESSION_ACCESS,
)
def test_only_the_team_and_its_mentor_answer(request, login, question, persona, status):
    user = request.getfixturevalue(persona)
    assert login(user).get(_url(question)).status_code == status
    response = _answer(login(user), question, "- 답")
    assert response.status_code == (302 if status == 200 else status)


def test_anonymous_visitors_are_sent_to_log_in(client, question):
    response = client.post(_url(question), {"answer": "x"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    question.refresh_from_db()
    assert question.answer == ""


def test_the_mentors_answer_is_confirmed_and_rendered(login, mentor, question):
    response = _answer(login(mentor), question, "- 학습도 가능하다. (trainable)")
    assert response.status_code == 302
    assert response["Location"].endswith("#question-1")
    question.refresh_from_db()
    assert question.answered_by == mentor
    assert question.answer_confirmed
    assert question.status == "confirmed"
    assert "<li>" in question.answer_html


def test_a_learners_note_waits_for_the_mentor(login, learner, teammate, mentor, question):
    _answer(login(teammate), question, "- 멘토님 말씀: 큰 의미는 없다.")
    question.refresh_from_db()
    assert question.answered_by == teammate
    assert question.status == "unconfirmed"
    html = login(learner).get(question.session.get_absolute_url()).content.decode()
    assert "question-unconfirmed" in html
    # The mentor confirms it as written: the learner stays its writer.
    _answer(login(mentor), question, question.answer)
    question.refresh_from_db()
    assert question.status == "confirmed"
    assert question.answered_by == teammate


def test_a_learner_editing_a_confirmed_answer_unconfirms_it(login, teammate, mentor, question):
    _answer(login(mentor), question, "원래 답")
    _answer(login(teammate), question, "바꾼 답")
    question.refresh_from_db()
    assert question.status == "unconfirmed"


def test_an_empty_answer_is_refused(login, mentor, question):
    response = _answer(login(mentor), question, "  ")
    assert response.status_code == 400
    assert "Write the answer before saving." in response.content.decode()
    question.refresh_from_db()
    assert question.answer == "" and not question.answer_confirmed


def test_unanswered_questions_show_as_such(login, learner, question, mentoring):
    html = login(learner).get(mentoring.get_absolute_url()).content.decode()
    assert "question-unanswered" in html
    assert "1 open" in html


def test_the_asker_is_notified_of_the_answer(login, learner, mentor, question):
    _answer(login(mentor), question, "답")
    note = Notification.objects.get()
    assert (note.recipient, note.actor, note.verb, note.question) == (
        learner,
        mentor,
        "answer",
        question,
    )


def test_answering_your_own_question_notifies_nobody(login, learner, question):
    _answer(login(learner), question, "제가 적은 답")
    assert not Notification.objects.exists()


def test_a_second_answer_while_the_first_is_unread_does_not_notify_twice(
    login, learner, teammate, mentor, question
):
    _answer(login(teammate), question, "적어둔 답")
    _answer(login(mentor), question, "적어둔 답")
    assert Notification.objects.filter(recipient=learner).count() == 1


# --- Two people answering at once: the conflict check -----------------------------------------


def test_a_teammates_note_does_not_overwrite_the_mentors_answer(login, teammate, mentor, question):
    """Both load the question; the mentor saves a confirmed answer, then the teammate's note
    arrives: it is refused with what they typed and the stored answer, and nothing is lost."""
    loaded = login(mentor).get(_url(question)).context["form"]["version"].value()
    assert login(teammate).get(_url(question)).context["form"]["version"].value() == loaded
    mentor_post = login(mentor).post(_url(question), {"answer": "멘토의 답", "version": loaded})
    assert mentor_post.status_code == 302
    response = login(teammate).post(_url(question), {"answer": "적어둔 메모", "version": loaded})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved an answer while you were writing" in html
    assert "적어둔 메모" in html and "멘토의 답" in html
    assert "diff-del" in html and "diff-add" in html
    question.refresh_from_db()
    assert (question.answer, question.answered_by, question.status) == (
        "멘토의 답",
        mentor,
        "confirmed",
    )
    # The conflict page carries the stored version: saving from it is deliberate.
    assert response.context["form"]["version"].value() == str(question.version)
    again = login(teammate).post(
        _url(question), {"answer": "적어둔 메모", "version": question.version}
    )
    assert again.status_code == 302
    question.refresh_from_db()
    assert question.answer == "적어둔 메모" and question.status == "unconfirmed"


def test_an_answer_without_a_version_is_a_conflict(login, mentor, question):
    response = login(mentor).post(_url(question), {"answer": "답"})
    assert response.status_code == 409
    question.refresh_from_db()
    assert question.answer == ""


@pytest.mark.parametrize("version", ["abc", "²", "9" * 30, "0"])
def test_an_unreadable_version_is_a_conflict_that_keeps_the_answer(
    login, mentor, question, version
):
    response = login(mentor).post(_url(question), {"answer": "쓴 답", "version": version})
    assert response.status_code == 409
    assert "쓴 답" in response.content.decode()
    question.refresh_from_db()
    assert question.answer == ""


def test_the_session_pages_answer_form_carries_the_version(login, mentor, question, mentoring):
    """The answer box on the session page posts the version it shows, like the answer page."""
    html = login(mentor).get(mentoring.get_absolute_url()).content.decode()
    assert f'<input type="hidden" name="version" value="{question.version}">' in html
