"""Logging in and out, throttling (django-axes) and the password pages, through the real forms."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests import factories


def test_the_login_page_is_a_form(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200 and 'name="password"' in response.text


def test_it_logs_a_learner_in_through_the_form(form_login, learner, client):
    response = form_login("learner")
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_wrong_password_says_so_and_keeps_the_username(form_login, learner):
    response = form_login("learner", "wrong")
    assert response.status_code == 200
    assert 'value="learner"' in response.text
    assert "form-errors" in response.text


def test_logging_in_switches_to_the_preferred_language(form_login, learner, client):
    learner.preferred_language = "en"
    learner.save()
    response = form_login("learner")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_logged_in_user_is_sent_on_from_the_login_page(login, learner):
    assert login(learner).get(reverse("login")).status_code == 302


# Throttling (more in test_login_throttling.py)


def test_repeated_failures_lock_the_account_out_with_a_clear_message(form_login, learner):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert form_login("learner", "wrong").status_code == 200
    response = form_login("learner", "wrong")
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.text
    assert "15 minutes" in response.text
    assert "reset your password by email" in response.text
    assert reverse("password_reset") in response.text


def test_a_locked_out_account_is_refused_even_with_the_right_password(form_login, learner, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        form_login("learner", "wrong")
    assert form_login("learner").status_code == 429
    assert client.get(reverse("accounts:profile")).status_code == 302  # still logged out


def test_a_success_resets_the_failure_count(form_login, learner, client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        form_login("learner", "wrong")
    assert form_login("learner").status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert form_login("learner", "wrong").status_code == 200


# Logging out


def test_logout_is_a_post(login, learner):
    client = login(learner)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


# Password change


def test_password_change_needs_a_login(client, db):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_a_learner_changes_their_password(login, learner):
    client = login(learner)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": "another-long-passphrase-7",
            "new_password2": "another-long-passphrase-7",
        },
    )
    assert response.status_code == 302 and response.url == reverse("password_change_done")
    learner.refresh_from_db()
    assert learner.check_password("another-long-passphrase-7")
    assert client.get(response.url).status_code == 200


def test_a_wrong_old_password_changes_nothing(login, learner):
    response = login(learner).post(
        reverse("password_change"),
        {
            "old_password": "nope",
            "new_password1": "x-long-pass-9",
            "new_password2": "x-long-pass-9",
        },
    )
    assert response.status_code == 200 and "has-error" in response.text
    learner.refresh_from_db()
    assert learner.check_password(factories.PASSWORD)


# Password reset by email


def test_a_forgotten_password_is_reset_by_email(client, learner):
    assert client.get(reverse("password_reset")).status_code == 200
    response = client.post(reverse("password_reset"), {"email": learner.email})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert client.get(response.url).status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [learner.email]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and 'name="new_password1"' in form_page.text
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "reset-long-passphrase-3", "new_password2": "reset-long-passphrase-3"},
    )
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    assert client.get(done.url).status_code == 200
    learner.refresh_from_db()
    assert learner.check_password("reset-long-passphrase-3")


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, learner):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_used_reset_link_explains_itself(client, db):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "bad-token"]))
    assert response.status_code == 200
    assert "does not work any more" in response.text


@pytest.mark.parametrize(
    "name",
    ["password_reset", "password_reset_done", "password_reset_complete", "login"],
)
def test_the_public_auth_pages_render_for_a_visitor(client, db, name):
    assert client.get(reverse(name)).status_code == 200
