"""Signing up (or joining, when logged in) with a cohort invite link: /accounts/join/<code>/."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import invites
from accounts.models import Invite, Membership, User

SIGNUP = {
    "username": "newbie",
    "display_name": "신입캠퍼",
    "email": "newbie@example.com",
    "password1": "a-long-passphrase-42",
    "password2": "a-long-passphrase-42",
}


def url(invite_or_code) -> str:
    code = invite_or_code if isinstance(invite_or_code, str) else invite_or_code.code
    return reverse("accounts:join", args=[code])


# Anonymous sign-up


def test_it_shows_the_cohort_and_team_to_a_visitor(client, invite):
    response = client.get(url(invite))
    assert response.status_code == 200
    assert "부스트캠프 AI Tech 3기" in response.text and "7조" in response.text
    assert 'name="password1"' in response.text


def test_the_sign_up_page_answers_in_constant_queries(client, invite, django_assert_num_queries):
    # The invite with its cohort and team in one query: no lookups while rendering.
    with django_assert_num_queries(1):
        client.get(url(invite))


def test_it_signs_up_a_learner_into_the_team_and_logs_them_in(client, invite, team):
    response = client.post(url(invite), SIGNUP)
    assert response.status_code == 302 and response.url == reverse("home")
    user = User.objects.get(username="newbie")
    assert user.display_name == "신입캠퍼" and user.check_password(SIGNUP["password1"])
    membership = Membership.objects.get(user=user)
    assert (membership.cohort, membership.role, membership.team) == (invite.cohort, "learner", team)
    invite.refresh_from_db()
    assert invite.uses == 1
    assert client.get(reverse("accounts:profile")).status_code == 200  # logged in


def test_an_invite_without_a_team_joins_the_cohort_only(client, cohort):
    invite = Invite.objects.create(cohort=cohort)
    client.post(url(invite), SIGNUP)
    assert Membership.objects.get(user__username="newbie").team is None


def test_bad_input_keeps_what_was_typed_and_creates_nothing(client, invite):
    response = client.post(url(invite), {**SIGNUP, "password2": "something-else-42"})
    assert response.status_code == 200
    assert 'value="newbie"' in response.text and 'value="신입캠퍼"' in response.text
    assert 'value="newbie@example.com"' in response.text
    assert not User.objects.filter(username="newbie").exists()
    invite.refresh_from_db()
    assert invite.uses == 0


def test_it_refuses_a_taken_username(client, invite, learner):
    response = client.post(url(invite), {**SIGNUP, "username": "LEARNER"})
    assert response.status_code == 200
    assert not Membership.objects.filter(user__username="LEARNER").exists()


def test_a_taken_email_gets_the_same_answer_and_its_owner_is_told(client, cohort, outsider):
    """The form must not tell who has an account: the address's owner is told by email."""
    invite = Invite.objects.create(cohort=cohort, max_uses=5)
    fresh = client.post(url(invite), {**SIGNUP, "username": "fresh", "email": "fresh@example.com"})
    client.logout()
    taken = client.post(url(invite), {**SIGNUP, "email": outsider.email.upper()})
    assert (taken.status_code, taken.url) == (fresh.status_code, fresh.url) == (302, "/")
    assert User.objects.get(username="newbie").email == ""
    assert User.objects.filter(email__iexact=outsider.email).get() == outsider
    to_owner = mail.outbox[-1]
    assert to_owner.to == [outsider.email.lower()]
    assert "already belongs to an account" in to_owner.body
    assert "/accounts/email/confirm/" not in to_owner.body


def test_the_address_is_added_once_its_link_is_opened(client, invite):
    client.post(url(invite), SIGNUP)
    user = User.objects.get(username="newbie")
    assert user.email == ""
    (message,) = mail.outbox
    assert message.to == ["newbie@example.com"]
    link = re.search(r"https?://\S+/accounts/email/confirm/\S+/", message.body).group(0)
    response = client.get(link)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "newbie@example.com"


def test_a_confirmation_link_does_nothing_for_another_account(client, invite, login, outsider):
    client.post(url(invite), SIGNUP)
    link = re.search(r"/accounts/email/confirm/\S+/", mail.outbox[0].body).group(0)
    login(outsider).get(link)
    outsider_email = outsider.email
    outsider.refresh_from_db()
    assert outsider.email == outsider_email
    assert User.objects.get(username="newbie").email == ""


def test_it_requires_a_name_and_an_email(client, invite):
    response = client.post(url(invite), {**SIGNUP, "display_name": "", "email": ""})
    assert response.status_code == 200
    assert not User.objects.filter(username="newbie").exists()


# Codes that cannot be used


def test_an_unknown_code_is_a_404_with_a_clear_message(client, invite):
    response = client.get(url("not-a-real-code"))
    assert response.status_code == 404
    assert "not valid" in response.text


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"expires_at": timezone.now() - dt.timedelta(minutes=1)}, "expired"),
        ({"revoked_at": timezone.now()}, "withdrawn"),
        ({"uses": 1}, "already been used"),
    ],
    ids=["expired", "revoked", "used up"],
)
def test_an_unusable_invite_says_why_and_signs_nobody_up(client, invite, change, words):
    Invite.objects.filter(pk=invite.pk).update(**change)
    assert client.get(url(invite)).status_code == 410
    response = client.post(url(invite), SIGNUP)
    assert response.status_code == 410
    assert words in response.text
    assert not User.objects.filter(username="newbie").exists()


def test_a_one_person_code_cannot_be_reused(client, invite):
    client.post(url(invite), SIGNUP)
    client.post(reverse("logout"))
    response = client.post(
        url(invite), {**SIGNUP, "username": "second", "email": "second@example.com"}
    )
    assert response.status_code == 410
    assert not User.objects.filter(username="second").exists()


def test_a_many_person_code_admits_up_to_its_limit(client, cohort):
    invite = Invite.objects.create(cohort=cohort, max_uses=2)
    for i in range(3):
        client.post(reverse("logout"))
        client.post(url(invite), {**SIGNUP, "username": f"u{i}", "email": f"u{i}@example.com"})
    assert Membership.objects.filter(cohort=cohort, user__username__startswith="u").count() == 2


def test_losing_the_race_for_the_last_use_creates_no_account(client, invite, monkeypatch):
    """Between showing the form and saving, someone else used the code: nothing is half-saved."""
    real_redeem = invites.redeem

    def someone_was_faster(code, user):
        Invite.objects.filter(code=code).update(uses=1)
        return real_redeem(code, user)

    monkeypatch.setattr(invites, "redeem", someone_was_faster)
    response = client.post(url(invite), SIGNUP)
    assert response.status_code == 410
    assert not User.objects.filter(username="newbie").exists()


# Logged in


def test_a_logged_in_outsider_joins_with_their_account(login, outsider, invite, team):
    client = login(outsider)
    page = client.get(url(invite))
    assert "Join the cohort" in page.text
    response = client.post(url(invite))
    assert response.status_code == 302
    assert Membership.objects.get(user=outsider).team == team


def test_a_member_is_told_they_are_already_in(login, learner, invite):
    client = login(learner)
    response = client.get(url(invite))
    assert response.status_code == 200 and "already in this cohort" in response.text
    client.post(url(invite))
    invite.refresh_from_db()
    assert invite.uses == 0


@pytest.mark.parametrize("persona", ["mentor", "operator", "teammate"])
def test_no_member_of_the_cohort_uses_up_an_invite(request, login, invite, persona):
    client = login(request.getfixturevalue(persona))
    client.post(url(invite))
    invite.refresh_from_db()
    assert invite.uses == 0


def test_a_foreign_operator_can_join_as_a_learner(login, foreign_operator, invite, cohort):
    login(foreign_operator).post(url(invite))
    assert Membership.objects.get(user=foreign_operator, cohort=cohort).role == "learner"


def test_redeem_refuses_a_member(learner, invite):
    with pytest.raises(invites.InviteError) as error:
        invites.redeem(invite.code, learner)
    assert error.value.status == "member"


def test_a_new_invite_lasts_two_weeks_and_has_an_unguessable_code(cohort):
    invite = Invite.objects.create(cohort=cohort)
    assert dt.timedelta(days=13) < invite.expires_at - timezone.now() <= dt.timedelta(days=14)
    assert len(invite.code) >= 24
    assert invite.code != Invite.objects.create(cohort=cohort).code


def test_get_is_not_a_way_to_join(login, outsider, invite):
    login(outsider).get(url(invite))
    assert not Membership.objects.filter(user=outsider).exists()


def test_other_methods_are_refused(client, invite):
    assert client.put(url(invite)).status_code == 405
