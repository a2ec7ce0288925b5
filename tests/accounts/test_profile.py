"""The profile page: one's details, and one's cohorts, roles and teams."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts import email_confirmation
from tests import factories

URL = "/accounts/profile/"


def test_it_asks_a_visitor_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("persona", "shows"),
    [
        ("learner", ["부스트캠프 AI Tech 3기", "7조", "김멘토"]),
        ("teammate", ["부스트캠프 AI Tech 3기", "7조"]),
        ("other_learner", ["8조", "other_mentor"]),
        ("mentor", ["부스트캠프 AI Tech 3기"]),
        ("operator", ["부스트캠프 AI Tech 3기", reverse("logs:board", args=["ai-tech-3"])]),
        ("foreign_operator", ["다른 기수", reverse("logs:board", args=["other-cohort"])]),
        ("outsider", ["Ask your cohort's operators for an invite link."]),
    ],
)
def test_it_shows_each_persona_their_cohorts(request, login, persona, shows):
    response = login(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 200
    for text in shows:
        assert text in response.text


def test_only_operators_see_the_board_link(login, learner, mentor):
    for user in (learner, mentor):
        assert "/board/" not in login(user).get(URL).text


def test_it_never_shows_someone_elses_cohort(login, learner, foreign_operator):
    assert "다른 기수" not in login(learner).get(URL).text


def test_it_saves_the_profile(login, learner):
    client = login(learner)
    response = client.post(
        URL,
        {
            "display_name": "이캠퍼2",
            "email": "new@example.com",
            "bio": "AI Tech 3기 캠퍼",
            "preferred_language": "en",
            "email_notifications": "",
            "current_password": factories.PASSWORD,
        },
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert (learner.display_name, learner.email, learner.bio) == (
        "이캠퍼2",
        "learner@example.com",  # the new address waits for its confirmation
        "AI Tech 3기 캠퍼",
    )
    assert learner.preferred_language == "en" and not learner.email_notifications
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_bad_input_keeps_what_was_typed(login, learner):
    response = login(learner).post(
        URL,
        {
            "display_name": "바뀐이름",
            "email": "not-an-email",
            "bio": "소개",
            "preferred_language": "",
        },
    )
    assert response.status_code == 200
    assert 'value="바뀐이름"' in response.text and "소개" in response.text
    assert "not-an-email" in response.text
    learner.refresh_from_db()
    assert learner.display_name == "이캠퍼"


@pytest.mark.parametrize("past_cohorts", [0, 4])
def test_the_page_answers_in_constant_queries(
    login, learner, past_cohorts, django_assert_num_queries
):
    for i in range(past_cohorts):
        other = factories.make_cohort(f"past-{i}")
        team = factories.make_team(other, "1조", mentors=[factories.make_user()])
        factories.join(learner, other, "learner", team)
    client = login(learner)
    # Four at every size: the session with its user, the viewer's roles (header cohort and
    # unread count), memberships with their cohort and team (not one query per cohort), and
    # all the teams' mentors in one prefetch (not one per team).
    with django_assert_num_queries(4):
        assert client.get(URL).status_code == 200


def _details(learner, **fields):
    return {
        "display_name": learner.display_name,
        "email": learner.email,
        "bio": "",
        "preferred_language": "",
        **fields,
    }


@pytest.mark.parametrize("password", ["", "wrong password"])
def test_changing_the_email_needs_the_current_password(login, learner, password):
    before = learner.email
    response = login(learner).post(
        URL, _details(learner, email="taken-over@example.com", current_password=password)
    )
    assert response.status_code == 200
    assert "Enter your current password to change your email address." in response.text
    assert "taken-over@example.com" in response.text
    learner.refresh_from_db()
    assert learner.email == before


def test_other_details_change_without_the_password(login, learner):
    response = login(learner).post(URL, _details(learner, display_name="새 이름"))
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.display_name == "새 이름"


def test_a_new_email_is_stored_once_its_link_is_opened(login, learner):
    client = login(learner)
    client.post(
        URL, _details(learner, email="new@example.com", current_password=factories.PASSWORD)
    )
    (message,) = mail.outbox
    assert message.to == ["new@example.com"]
    link = re.search(r"/accounts/email/confirm/\S+/", message.body).group(0)
    assert client.get(link).status_code == 302
    learner.refresh_from_db()
    assert learner.email == "new@example.com"


def test_an_email_in_use_by_another_account_is_never_added_nor_revealed(login, learner, teammate):
    """The answer is the same as for a free address; the address's owner is told by email."""
    before = learner.email
    client = login(learner)
    response = client.post(
        URL,
        _details(learner, email=teammate.email.upper(), current_password=factories.PASSWORD),
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert [to.lower() for to in message.to] == [teammate.email.lower()]
    assert "already belongs to an account" in message.body
    learner.refresh_from_db()
    assert learner.email == before


def test_a_link_for_an_address_taken_since_is_refused(login, learner, teammate):
    token = email_confirmation.make_token(learner, teammate.email.upper())
    response = login(learner).get(f"/accounts/email/confirm/{token}/", follow=True)
    assert "This email address is in use by another account." in response.text
    learner.refresh_from_db()
    assert learner.email.lower() != teammate.email.lower()
