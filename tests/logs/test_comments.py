"""Comments on sessions and entries: who may post, reply (one level), edit and delete; what bad
input does; how they render."""

import pytest
from django.urls import reverse

from logs.models import Comment
from tests import factories


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English msgids: the test client asks for English, Korean being the default."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


ADD_URL = reverse("logs:comment_add")


@pytest.fixture
def session(team, learner):
    return factories.make_session(team, created_by=learner)


@pytest.fixture
def entry(learner, cohort):
    return factories.make_entry(learner, cohort, title="이캠퍼의 기록")


# --- Posting ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("learner", 302),
        ("teammate", 302),
        ("mentor", 302),
        ("other_learner", 302),
        ("other_mentor", 302),
        ("operator", 302),
        ("foreign_operator", 404),
        ("outsider", 404),
    ],
)
def test_members_of_the_cohort_comment_on_a_session(request, login, session, persona, status):
    user = request.getfixturevalue(persona)
    response = login(user).post(ADD_URL, {"session": session.pk, "body": "좋아요"})
    assert response.status_code == status
    assert Comment.objects.filter(author=user).exists() == (status == 302)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("learner", 302),
        ("teammate", 302),
        ("mentor", 302),
        ("other_learner", 302),
        ("operator", 302),
        ("foreign_operator", 404),
        ("outsider", 404),
    ],
)
def test_members_of_the_cohort_comment_on_a_cohort_entry(request, login, entry, persona, status):
    user = request.getfixturevalue(persona)
    response = login(user).post(ADD_URL, {"entry": entry.pk, "body": "잘 읽었어요"})
    assert response.status_code == status


def test_nobody_else_comments_on_a_private_entry(login, learner, teammate, mentor, cohort):
    private = factories.make_entry(learner, cohort, visibility="private")
    for user in (teammate, mentor):
        assert login(user).post(ADD_URL, {"entry": private.pk, "body": "?"}).status_code == 404
    assert not Comment.objects.exists()


def test_an_outsider_may_read_but_not_comment_on_a_public_entry(login, outsider, learner, cohort):
    public = factories.make_entry(learner, cohort, visibility="public")
    assert login(outsider).post(ADD_URL, {"entry": public.pk, "body": "hi"}).status_code == 403
    assert not Comment.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, session):
    response = client.post(ADD_URL, {"session": session.pk, "body": "hi"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Comment.objects.exists()


def test_posting_needs_post(login, learner):
    assert login(learner).get(ADD_URL).status_code == 405


def test_a_comment_names_exactly_one_object(login, learner, session, entry):
    client = login(learner)
    assert client.post(ADD_URL, {"body": "x"}).status_code == 404
    assert (
        client.post(ADD_URL, {"entry": entry.pk, "session": session.pk, "body": "x"}).status_code
        == 404
    )
    assert client.post(ADD_URL, {"session": "abc", "body": "x"}).status_code == 404
    assert client.post(ADD_URL, {"session": 999999, "body": "x"}).status_code == 404


def test_a_comment_lands_on_the_object_and_renders_markdown_safely(login, mentor, session):
    response = login(mentor).post(
        ADD_URL, {"session": session.pk, "body": "**좋은 정리** <script>alert(1)</script>"}
    )
    comment = Comment.objects.get()
    assert response["Location"] == f"{session.get_absolute_url()}#comment-{comment.pk}"
    assert comment.session == session and comment.author == mentor
    assert "<strong>좋은 정리</strong>" in comment.body_html
    assert "<script" not in comment.body_html


def test_an_empty_comment_gets_a_message_and_nothing_is_saved(login, learner, session):
    response = login(learner).post(ADD_URL, {"session": session.pk, "body": "   \n "})
    assert response.status_code == 400
    assert "Write something before posting." in response.content.decode()
    assert not Comment.objects.exists()


def test_the_comment_page_keeps_the_text_on_error(login, learner, session, mentor):
    top = Comment.objects.create(session=session, author=mentor, body="top")
    reply = Comment.objects.create(session=session, author=learner, body="reply", parent=top)
    response = login(learner).post(
        ADD_URL, {"session": session.pk, "parent": reply.pk, "body": "답글의 답글"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "답글의 답글" in html  # nothing typed is lost
    assert "Replies go one level deep" in html
    # The form now replies to the thread's top comment instead.
    assert f'name="parent" value="{top.pk}"' in html
    assert Comment.objects.count() == 2


def test_replies_go_one_level_deep(login, learner, mentor, session):
    top = Comment.objects.create(session=session, author=mentor, body="top")
    response = login(learner).post(
        ADD_URL, {"session": session.pk, "parent": top.pk, "body": "답글"}
    )
    assert response.status_code == 302
    reply = Comment.objects.get(parent=top)
    assert reply.author == learner and reply.session == session


def test_a_reply_must_be_on_the_same_object(login, learner, mentor, session, team):
    other_session = factories.make_session(team, kind="mentoring")
    top = Comment.objects.create(session=other_session, author=mentor, body="top")
    response = login(learner).post(ADD_URL, {"session": session.pk, "parent": top.pk, "body": "x"})
    assert response.status_code == 404
    assert Comment.objects.count() == 1


# --- Editing and deleting -----------------------------------------------------------------------


def test_the_author_edits_their_comment(login, learner, session):
    comment = Comment.objects.create(session=session, author=learner, body="처음")
    url = reverse("logs:comment_edit", args=[comment.pk])
    client = login(learner)
    assert client.get(url).status_code == 200
    response = client.post(url, {"body": "고친 **댓글**"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "고친 **댓글**"
    assert "<strong>댓글</strong>" in comment.body_html


def test_an_edit_to_empty_is_refused(login, learner, session):
    comment = Comment.objects.create(session=session, author=learner, body="처음")
    response = login(learner).post(reverse("logs:comment_edit", args=[comment.pk]), {"body": ""})
    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.body == "처음"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("teammate", 403),
        ("mentor", 403),
        ("other_mentor", 403),
        ("operator", 403),
        ("foreign_operator", 404),
        ("outsider", 404),
    ],
)
def test_only_the_author_edits_a_comment(request, login, learner, session, persona, status):
    comment = Comment.objects.create(session=session, author=learner, body="내 댓글")
    client = login(request.getfixturevalue(persona))
    url = reverse("logs:comment_edit", args=[comment.pk])
    assert client.get(url).status_code == status
    assert client.post(url, {"body": "x"}).status_code == status
    comment.refresh_from_db()
    assert comment.body == "내 댓글"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("teammate", 403),
        ("mentor", 403),
        ("other_mentor", 403),
        ("operator", 302),  # the cohort's operators moderate
        ("foreign_operator", 404),
        ("outsider", 404),
    ],
)
def test_the_author_or_an_operator_deletes_a_comment(
    request, login, learner, session, persona, status
):
    comment = Comment.objects.create(session=session, author=learner, body="내 댓글")
    client = login(request.getfixturevalue(persona))
    assert client.post(reverse("logs:comment_delete", args=[comment.pk])).status_code == status
    assert Comment.objects.filter(pk=comment.pk).exists() == (status != 302)


def test_an_operator_sees_a_delete_button_but_no_edit_button(login, learner, operator, session):
    comment = Comment.objects.create(session=session, author=learner, body="x")
    html = login(operator).get(session.get_absolute_url()).content.decode()
    assert reverse("logs:comment_delete", args=[comment.pk]) in html
    assert reverse("logs:comment_edit", args=[comment.pk]) not in html


def test_the_author_deletes_their_comment(login, learner, session):
    comment = Comment.objects.create(session=session, author=learner, body="지울 댓글")
    response = login(learner).post(reverse("logs:comment_delete", args=[comment.pk]))
    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_deleting_a_comment_with_replies_keeps_the_thread(login, learner, mentor, session):
    top = Comment.objects.create(session=session, author=learner, body="지울 댓글")
    Comment.objects.create(session=session, author=mentor, body="멘토의 답글", parent=top)
    login(learner).post(reverse("logs:comment_delete", args=[top.pk]))
    top.refresh_from_db()
    assert top.deleted_at is not None and top.body == "" and top.body_html == ""
    html = login(learner).get(session.get_absolute_url()).content.decode()
    assert "지울 댓글" not in html
    assert "멘토의 답글" in html
    # A deleted comment takes no more replies and cannot be edited.
    assert (
        login(mentor)
        .post(ADD_URL, {"session": session.pk, "parent": top.pk, "body": "x"})
        .status_code
        == 400
    )
    assert login(learner).get(reverse("logs:comment_edit", args=[top.pk])).status_code == 403


def test_anonymous_visitors_cannot_edit_or_delete(client, learner, session):
    comment = Comment.objects.create(session=session, author=learner, body="x")
    for url in (
        reverse("logs:comment_edit", args=[comment.pk]),
        reverse("logs:comment_delete", args=[comment.pk]),
    ):
        response = client.post(url, {"body": "y"})
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert Comment.objects.filter(body="x").exists()


def test_the_edit_and_delete_buttons_show_on_your_own_comments_only(
    login, learner, mentor, session
):
    mine = Comment.objects.create(session=session, author=learner, body="mine")
    theirs = Comment.objects.create(session=session, author=mentor, body="theirs")
    html = login(learner).get(session.get_absolute_url()).content.decode()
    assert reverse("logs:comment_edit", args=[mine.pk]) in html
    assert reverse("logs:comment_edit", args=[theirs.pk]) not in html
