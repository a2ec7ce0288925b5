"""Notifications: who is told about a comment, a reply or an answer (never the actor, never
someone who cannot see the object), their email with its opt-out, and the notifications page."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Membership
from logs import notify
from logs.models import Comment, MentoringQuestion, Notification
from tests import factories


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English msgids: the test client asks for English, Korean being the default."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


ADD_URL = reverse("logs:comment_add")
PAGE_URL = reverse("logs:notifications")


@pytest.fixture
def session(team, learner):
    return factories.make_session(team, created_by=learner, title="피어세션")


@pytest.fixture
def entry(learner, cohort):
    return factories.make_entry(learner, cohort, title="이캠퍼의 기록")


def _post(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(ADD_URL, data)


def _recipients(**filters):
    return {(n.recipient.username, n.verb) for n in Notification.objects.filter(**filters)}


# --- Fan-out --------------------------------------------------------------------------------


def test_a_comment_on_my_entry_notifies_me_and_emails_me(
    login, learner, mentor, entry, django_capture_on_commit_callbacks
):
    _post(login(mentor), django_capture_on_commit_callbacks, entry=entry.pk, body="잘 정리했네요")
    assert _recipients() == {("learner", "comment")}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["learner@example.com"]
    assert "이캠퍼의 기록" in message.subject
    assert "잘 정리했네요" in message.body
    assert f"{entry.get_absolute_url()}#comment-" in message.body


def test_commenting_on_my_own_entry_notifies_nobody(
    login, learner, entry, django_capture_on_commit_callbacks
):
    _post(login(learner), django_capture_on_commit_callbacks, entry=entry.pk, body="메모")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_comment_on_a_team_session_notifies_the_team_and_its_mentor(
    login,
    learner,
    teammate,
    mentor,
    other_learner,
    other_mentor,
    session,
    django_capture_on_commit_callbacks,
):
    _post(
        login(other_learner),
        django_capture_on_commit_callbacks,
        session=session.pk,
        body="참고할게요",
    )
    assert _recipients() == {("learner", "comment"), ("learner2", "comment"), ("mentor", "comment")}
    # Only the session's writer is emailed.
    assert [m.to for m in mail.outbox] == [["learner@example.com"]]


def test_the_actor_is_never_notified(login, teammate, session, django_capture_on_commit_callbacks):
    _post(login(teammate), django_capture_on_commit_callbacks, session=session.pk, body="x")
    assert "learner2" not in {u for u, _ in _recipients()}


def test_a_reply_notifies_the_comment_author_as_a_reply(
    login, learner, teammate, mentor, entry, django_capture_on_commit_callbacks
):
    top = Comment.objects.create(entry=entry, author=teammate, body="질문이 있어요")
    _post(
        login(mentor),
        django_capture_on_commit_callbacks,
        entry=entry.pk,
        parent=top.pk,
        body="답글",
    )
    assert _recipients() == {("learner", "comment"), ("learner2", "reply")}
    assert sorted(m.to[0] for m in mail.outbox) == ["learner2@example.com", "learner@example.com"]


def test_nobody_is_told_about_what_they_cannot_see(
    login, learner, other_learner, cohort, entry, django_capture_on_commit_callbacks
):
    top = Comment.objects.create(entry=entry, author=other_learner, body="좋아요")
    # other_learner leaves the cohort: the cohort-visible entry is no longer theirs to see.
    Membership.objects.filter(user=other_learner).delete()
    _post(
        login(learner),
        django_capture_on_commit_callbacks,
        entry=entry.pk,
        parent=top.pk,
        body="감사",
    )
    assert not Notification.objects.filter(recipient=other_learner).exists()
    assert mail.outbox == []


def test_viewers_among_follows_the_entry_rules(learner, teammate, outsider, cohort):
    from logs.access import viewers_among

    everyone = {learner.pk, teammate.pk, outsider.pk}
    assert viewers_among(
        everyone, factories.make_entry(learner, cohort, kind="note", visibility="private")
    ) == {learner.pk}
    assert viewers_among(
        everyone, factories.make_entry(learner, cohort, kind="note", status="draft")
    ) == {learner.pk}
    assert viewers_among(everyone, factories.make_entry(learner, cohort, kind="note")) == {
        learner.pk,
        teammate.pk,
    }
    assert (
        viewers_among(
            everyone, factories.make_entry(learner, cohort, kind="note", visibility="public")
        )
        == everyone
    )


def test_email_respects_the_opt_out(
    login, learner, mentor, entry, django_capture_on_commit_callbacks
):
    learner.email_notifications = False
    learner.save()
    _post(login(mentor), django_capture_on_commit_callbacks, entry=entry.pk, body="x")
    assert Notification.objects.filter(recipient=learner).exists()
    assert mail.outbox == []


def test_email_waits_for_the_commit(login, mentor, entry, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        login(mentor).post(ADD_URL, {"entry": entry.pk, "body": "x"})
    assert mail.outbox == [] and len(callbacks) == 1


def test_a_broken_mail_server_does_not_break_commenting(settings, learner):
    settings.EMAIL_BACKEND = "tests.logs.test_notifications.BrokenBackend"
    mails = [notify._Mail(learner.pk, "comment", "m", "t", "x", "/p")]
    assert notify.send_emails(mails, "http://testserver") == 0


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


def test_the_answer_email_goes_to_the_asker_in_their_language(
    login, learner, mentor, team, django_capture_on_commit_callbacks
):
    learner.preferred_language = "en"
    learner.save()
    session = factories.make_session(team, kind="mentoring")
    question = MentoringQuestion.objects.create(
        session=session, number=1, question="SGD와 Adam", asked_by=learner
    )
    with django_capture_on_commit_callbacks(execute=True):
        login(mentor).post(
            reverse("logs:question_answer", args=[question.pk]),
            {"answer": "경험적으로", "version": question.version},
        )
    assert len(mail.outbox) == 1
    assert "answered your question" in mail.outbox[0].subject


# --- The page -------------------------------------------------------------------------------


def _note(recipient, actor, entry=None, session=None, **fields):
    comment = Comment.objects.create(entry=entry, session=session, author=actor, body="본문")
    return Notification.objects.create(
        recipient=recipient,
        actor=actor,
        verb="comment",
        entry=entry,
        session=session,
        comment=comment,
        **fields,
    )


@pytest.mark.parametrize(
    "persona", ["learner", "mentor", "operator", "outsider", "foreign_operator"]
)
def test_everyone_logged_in_has_a_notifications_page(request, login, persona):
    assert login(request.getfixturevalue(persona)).get(PAGE_URL).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(PAGE_URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(reverse("logs:notifications_read")).status_code == 302


def test_it_lists_my_notifications_and_the_header_counts_the_unread(
    login, learner, mentor, teammate, entry, session
):
    _note(learner, mentor, entry=entry)
    _note(learner, teammate, session=session)
    _note(teammate, mentor, session=session)  # someone else's
    html = login(learner).get(PAGE_URL).content.decode()
    assert html.count('class="notification-row is-unread"') == 2
    assert "이캠퍼의 기록" in html and "피어세션" in html
    assert '<span class="nav-count"><span aria-hidden="true">2</span>' in html


def test_it_hides_notifications_about_entries_turned_private(login, learner, teammate, cohort):
    entry = factories.make_entry(teammate, cohort, title="나중에 비공개")
    _note(learner, teammate, entry=entry)
    entry.visibility = "private"
    entry.save()
    html = login(learner).get(PAGE_URL).content.decode()
    assert "나중에 비공개" not in html


def test_opening_a_notification_marks_it_read(login, learner, mentor, entry):
    note = _note(learner, mentor, entry=entry)
    response = login(learner).get(reverse("logs:notification_open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{entry.get_absolute_url()}#comment-{note.comment_id}"
    note.refresh_from_db()
    assert note.read_at is not None


def test_nobody_opens_or_marks_someone_elses_notification(login, learner, teammate, mentor, entry):
    note = _note(learner, mentor, entry=entry)
    client = login(teammate)
    assert client.get(reverse("logs:notification_open", args=[note.pk])).status_code == 404
    assert client.post(reverse("logs:notifications_read"), {"id": note.pk}).status_code == 404
    client.post(reverse("logs:notifications_read"))
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_one_and_mark_all_as_read(login, learner, mentor, entry, session):
    first = _note(learner, mentor, entry=entry)
    second = _note(learner, mentor, session=session)
    client = login(learner)
    response = client.post(reverse("logs:notifications_read"), {"id": first.pk, "next": PAGE_URL})
    assert response.status_code == 302 and response["Location"] == PAGE_URL
    assert Notification.objects.filter(read_at__isnull=True).get() == second
    client.post(reverse("logs:notifications_read"), {"next": "https://evil.example/"})
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_unread_filter(login, learner, mentor, entry, session):
    from django.utils import timezone

    _note(learner, mentor, entry=entry, read_at=timezone.now())
    _note(learner, mentor, session=session)
    html = login(learner).get(f"{PAGE_URL}?show=unread").content.decode()
    assert html.count("notification-row") == 1


def test_its_query_count_does_not_grow_with_notifications(
    login, learner, mentor, teammate, entry, session, django_assert_num_queries
):
    """Pins the page: actor, entry, session (with team), comment and question come joined into
    the one list query, so rows cost nothing more."""
    client = login(learner)
    _note(learner, mentor, entry=entry)
    with django_assert_num_queries(4):
        assert client.get(PAGE_URL).status_code == 200
    for _ in range(10):
        _note(learner, mentor, entry=entry)
        _note(learner, teammate, session=session)
    with django_assert_num_queries(4):
        assert client.get(PAGE_URL).status_code == 200


def test_a_title_saved_with_a_line_break_still_gets_its_email(
    login, learner, mentor, cohort, django_capture_on_commit_callbacks
):
    """Titles saved before they were kept to one line (and questions) may hold line breaks."""
    old = factories.make_entry(learner, cohort, title="예전 제목\r\n둘째 줄")
    _post(login(mentor), django_capture_on_commit_callbacks, entry=old.pk, body="좋아요")
    assert len(mail.outbox) == 1
    assert "예전 제목 둘째 줄" in mail.outbox[0].subject
    assert "\n" not in mail.outbox[0].subject


def test_a_question_over_several_lines_still_gets_its_answer_email(
    login, learner, mentor, team, django_capture_on_commit_callbacks
):
    session = factories.make_session(team, kind="mentoring")
    question = MentoringQuestion.objects.create(
        session=session, number=1, question="첫 줄\n둘째 줄", asked_by=learner
    )
    with django_capture_on_commit_callbacks(execute=True):
        login(mentor).post(
            reverse("logs:question_answer", args=[question.pk]),
            {"answer": "답", "version": question.version},
        )
    assert len(mail.outbox) == 1 and "첫 줄 둘째 줄" in mail.outbox[0].subject


# --- Excerpts: what a comment says, not its Markdown ----------------------------------------

MARKDOWN_COMMENT = (
    "## 좋아요\n\n**정리** 잘 했어요: $\\sqrt{d_k}$로 나누는 [이유](https://example.com)\n"
)


def test_the_page_shows_a_comment_as_plain_text(login, learner, mentor, entry):
    note = _note(learner, mentor, entry=entry)
    Comment.objects.filter(pk=note.comment_id).update(body=MARKDOWN_COMMENT)
    html = login(learner).get(PAGE_URL).content.decode()
    excerpt = html.split('class="notification-excerpt">', 1)[1].split("</p>", 1)[0]
    assert "정리 잘 했어요" in excerpt and "√" in excerpt and "이유" in excerpt
    for syntax in ("**", "$", "\\sqrt", "](", "##"):
        assert syntax not in excerpt


def test_the_email_shows_a_comment_as_plain_text(
    login, learner, mentor, entry, django_capture_on_commit_callbacks
):
    _post(login(mentor), django_capture_on_commit_callbacks, entry=entry.pk, body=MARKDOWN_COMMENT)
    body = mail.outbox[0].body
    assert "정리 잘 했어요" in body and "√" in body
    for syntax in ("**", "$", "\\sqrt", "](", "##"):
        assert syntax not in body.split("\n\n", 1)[0]


def test_the_answer_email_shows_the_answer_as_plain_text(
    login, learner, mentor, team, django_capture_on_commit_callbacks
):
    session = factories.make_session(team, kind="mentoring")
    question = MentoringQuestion.objects.create(
        session=session, number=1, question="왜 나누나요?", asked_by=learner
    )
    with django_capture_on_commit_callbacks(execute=True):
        login(mentor).post(
            reverse("logs:question_answer", args=[question.pk]),
            {"answer": "분산을 `1`로: $\\frac{1}{\\sqrt{d_k}}$", "version": question.version},
        )
    first = mail.outbox[0].body.split("\n\n", 1)[0]
    assert "분산을" in first and "√" in first
    assert "$" not in first and "\\frac" not in first and "`" not in first
