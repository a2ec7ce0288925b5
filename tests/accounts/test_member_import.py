"""Bulk member import from CSV (accounts.member_import) and its admin page."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import member_import
from accounts.models import Membership, Team, User
from accounts.operators import OPERATORS_GROUP, grant_operator_access
from tests import factories

GOOD = """username,email,name,role,team
kim,kim@example.com,김캠퍼,learner,7조
park,park@example.com,박캠퍼,,9조
han,han@example.com,한멘토,멘토,9조
boss,boss@example.com,최운영,operator,
"""


@pytest.fixture
def alumnus(cohort, operator):
    """A learner of an earlier cohort that `operator` also ran: within their reach."""
    earlier = factories.make_cohort("earlier", name="지난 기수")
    factories.join(operator, earlier, "operator")
    user = factories.make_user("alumnus")
    factories.join(user, earlier, "learner")
    return user


@pytest.fixture
def stranger(db):
    """A learner of a cohort that `operator` does not run."""
    user = factories.make_user("stranger")
    factories.join(user, factories.make_cohort("elsewhere"), "learner")
    return user


def rows_of(cohort, text, by):
    return member_import.preview(cohort, text, by=by)


# Reading the file


def test_it_reads_a_good_file(cohort, team, operator):
    rows = rows_of(cohort, GOOD, operator)
    assert [r.username for r in rows] == ["kim", "park", "han", "boss"]
    assert all(r.ok for r in rows)
    assert [r.role for r in rows] == ["learner", "learner", "mentor", "operator"]
    assert [r.new_team for r in rows] == [False, True, True, False]
    assert [r.line for r in rows] == [2, 3, 4, 5]


def test_columns_may_come_in_any_order_and_case(cohort, operator):
    rows = rows_of(cohort, "Email,USERNAME\nkim@example.com,kim\n", operator)
    assert (rows[0].username, rows[0].email, rows[0].role) == ("kim", "kim@example.com", "learner")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_it_decodes_excels_encodings(encoding):
    assert member_import.decode(GOOD.encode(encoding)) == GOOD


def test_it_refuses_other_bytes_clearly():
    with pytest.raises(member_import.ImportFileError, match="UTF-8"):
        member_import.decode(b"\xff\xfe\x00\xd8garbage\x81")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("name,team\n김,7조\n", "missing: username, email"),
        ("username,email,phone\nkim,kim@example.com,010\n", "Unknown columns: phone"),
        ("username,email\n", "no member rows"),
    ],
)
def test_a_file_it_cannot_use_is_refused_as_a_whole(cohort, text, words, operator):
    with pytest.raises(member_import.ImportFileError, match=words):
        rows_of(cohort, text, operator)


def test_it_refuses_a_file_too_large():
    with pytest.raises(member_import.ImportFileError, match="1 MB"):
        member_import.decode(b"a" * (member_import.MAX_BYTES + 1))


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (",kim@example.com,김,learner,", "username is missing"),
        ("kim kim,kim@example.com,김,learner,", "only letters, digits"),
        ("kim,,김,learner,", "email address is missing"),
        ("kim,not-an-email,김,learner,", "is not an email address"),
        ("kim,kim@example.com,김,student,", "Unknown role “student”"),
        ("kim,kim@example.com,김,operator,7조", "operator does not belong to a team"),
        ("kim,kim@example.com,김,learner,7조,extra", "more cells"),
        ("kim,kim@example.com," + "가" * 81 + ",learner,", "name is longer"),
    ],
)
def test_a_broken_row_says_what_is_wrong(cohort, line, problem, operator):
    rows = rows_of(cohort, "username,email,name,role,team\n" + line + "\n", operator)
    assert not rows[0].ok
    assert any(problem in error for error in rows[0].errors), rows[0].errors


def test_duplicates_within_the_file_name_the_other_line(cohort, operator):
    rows = rows_of(
        cohort,
        "username,email\nkim,a@example.com\nKIM,b@example.com\nlee,a@example.com\n",
        operator,
    )
    assert rows[0].ok
    assert "also on line 2" in rows[1].errors[0]
    assert "also on line 2" in rows[2].errors[0]


def test_an_existing_member_is_refused(cohort, learner, operator):
    rows = rows_of(cohort, f"username,email\nlearner,{learner.email}\n", operator)
    assert "already a member" in rows[0].errors[0]


@pytest.mark.parametrize(
    "row",
    [
        "stranger,stranger@example.com",  # an account of a cohort the operator does not run
        "outsider,outsider@example.com",  # an account in no cohort
        "newname,STRANGER@example.com",  # someone else's email
        "newname,outsider@example.com",
        "alumnus,someone-else@example.com",  # a reachable username with another email
        "newname,alumnus@example.com",  # a reachable account's email under another username
    ],
)
def test_a_row_naming_an_account_it_may_not_add_gets_one_neutral_message(
    cohort, operator, alumnus, stranger, outsider, row
):
    rows = rows_of(cohort, f"username,email\n{row}\n", by=operator)
    assert rows[0].errors == [str(member_import.TAKEN)]
    assert "stranger" not in rows[0].errors[0] and "outsider" not in rows[0].errors[0]


def test_importing_never_pulls_in_an_account_of_another_cohort(cohort, operator, stranger):
    _, result = member_import.apply(
        cohort,
        "username,email,role\nstranger,stranger@example.com,operator\n",
        by=operator,
        base_url="http://x",
    )
    stranger.refresh_from_db()
    assert result is None and not stranger.memberships.filter(cohort=cohort).exists()
    assert not stranger.is_staff


def test_a_superuser_may_add_any_existing_account(cohort, stranger):
    root = factories.make_user("root", is_superuser=True, is_staff=True)
    rows = rows_of(cohort, "username,email\nstranger,stranger@example.com\n", by=root)
    assert rows[0].ok and rows[0].existing_user == stranger


def test_an_existing_account_within_reach_with_the_same_email_joins(cohort, operator, alumnus):
    rows = rows_of(cohort, f"username,email\nAlumnus,{alumnus.email}\n", by=operator)
    assert rows[0].ok and rows[0].existing_user == alumnus


def test_checking_a_large_file_takes_a_few_queries_not_one_per_row(
    cohort, operator, django_assert_max_num_queries
):
    text = "username,email,team\n" + "".join(
        f"u{i},u{i}@example.com,{i % 30}조\n" for i in range(500)
    )
    with django_assert_max_num_queries(4):
        rows = rows_of(cohort, text, operator)
    assert len(rows) == 500 and all(r.ok for r in rows)


# Importing


def test_it_imports_everything_and_sends_invites(cohort, team, operator, alumnus):
    text = GOOD + f"alumnus,{alumnus.email},,learner,7조\n"
    _, result = member_import.apply(cohort, text, by=operator, base_url="https://camplog.example")
    assert result is not None
    assert (result.created, result.joined, result.teams_created, result.emails) == (4, 1, 1, 5)
    kim = User.objects.get(username="kim")
    assert kim.display_name == "김캠퍼" and kim.has_usable_password()
    assert Membership.objects.get(user=kim).team == team
    nine = Team.objects.get(cohort=cohort, name="9조")
    assert Membership.objects.get(user__username="park").team == nine
    han = Membership.objects.get(user__username="han")
    assert (
        han.role == "mentor" and han.team is None and nine.mentors.filter(username="han").exists()
    )
    boss = User.objects.get(username="boss")
    assert boss.is_staff and boss.groups.filter(name=OPERATORS_GROUP).exists()
    assert Membership.objects.get(user=alumnus, cohort=cohort).team == team


def test_new_accounts_get_a_link_to_choose_a_password(
    cohort, operator, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member_import.apply(
            cohort,
            "username,email,name\nkim,kim@example.com,김캠퍼\n",
            by=operator,
            base_url="http://testserver",
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kim@example.com"] and "부스트캠프 AI Tech 3기" in message.subject
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    page = client.get(link, follow=True)
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "my-own-passphrase-5", "new_password2": "my-own-passphrase-5"},
    )
    assert done.status_code == 302
    assert User.objects.get(username="kim").check_password("my-own-passphrase-5")


def test_existing_accounts_are_told_they_were_added(
    cohort, operator, alumnus, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member_import.apply(
            cohort,
            f"username,email\nalumnus,{alumnus.email}\n",
            by=operator,
            base_url="http://testserver",
        )
    assert "/accounts/login/" in mail.outbox[0].body and "reset" not in mail.outbox[0].body


def test_one_broken_row_imports_nothing(cohort, operator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rows, result = member_import.apply(
            cohort, GOOD + "bad user,x@example.com\n", by=operator, base_url="http://x"
        )
    assert result is None
    assert [r.ok for r in rows] == [True, True, True, True, False]
    assert not User.objects.filter(username__in=["kim", "park", "han", "boss"]).exists()
    assert not Team.objects.filter(name="9조").exists()
    assert mail.outbox == []


# The admin page


@pytest.fixture
def operator_client(login, operator):
    grant_operator_access(operator)
    return login(operator)


def import_url(cohort):
    return reverse("admin:accounts_cohort_import", args=[cohort.pk])


def test_the_page_explains_the_columns(operator_client, cohort):
    response = operator_client.get(import_url(cohort))
    assert response.status_code == 200 and "username,email,name,role,team" in response.text


def test_a_preview_shows_every_row_and_saves_nothing(operator_client, cohort, team):
    upload = SimpleUploadedFile(
        "members.csv", (GOOD + "bad user,bad@example.com\n").encode("cp949")
    )
    response = operator_client.post(import_url(cohort), {"csv_file": upload, "preview": "1"})
    assert response.status_code == 200
    assert "김캠퍼" in response.text and "한멘토" in response.text
    assert "only letters, digits" in response.text
    assert 'name="confirm"' not in response.text  # nothing to confirm while a row is broken
    assert "kim,kim@example.com" in response.text  # the file is now in the text box, to be fixed
    assert not User.objects.filter(username="kim").exists()


def test_a_clean_preview_offers_to_import_and_importing_redirects_to_the_members(
    operator_client, cohort, team
):
    preview = operator_client.post(import_url(cohort), {"csv_text": GOOD, "preview": "1"})
    assert 'name="confirm"' in preview.text
    response = operator_client.post(import_url(cohort), {"csv_text": GOOD, "confirm": "1"})
    assert response.status_code == 302
    assert (
        response.url
        == reverse("admin:accounts_membership_changelist") + f"?cohort__id__exact={cohort.pk}"
    )
    assert (
        Membership.objects.filter(
            cohort=cohort, user__username__in=["kim", "park", "han", "boss"]
        ).count()
        == 4
    )


def test_confirming_a_file_that_went_bad_meanwhile_imports_nothing(operator_client, cohort, team):
    text = "username,email\nkim,kim@example.com\n"
    factories.make_user("kim", email="other@example.com")
    response = operator_client.post(import_url(cohort), {"csv_text": text, "confirm": "1"})
    assert response.status_code == 200 and "Nothing was imported" in response.text
    assert not Membership.objects.filter(user__username="kim").exists()


def test_an_empty_form_asks_for_a_file(operator_client, cohort):
    response = operator_client.post(import_url(cohort), {"csv_text": "  ", "preview": "1"})
    assert "Choose a CSV file" in response.text


def test_a_file_without_a_header_keeps_the_text_and_names_the_problem(operator_client, cohort):
    response = operator_client.post(
        import_url(cohort), {"csv_text": "kim,kim@example.com\n", "preview": "1"}
    )
    assert "missing: username, email" in response.text and "kim,kim@example.com" in response.text


@pytest.mark.parametrize("persona", ["learner", "mentor", "outsider"])
def test_only_operators_reach_the_import(request, login, cohort, persona):
    response = login(request.getfixturevalue(persona)).get(import_url(cohort))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_an_operator_without_the_group_gets_403(login, operator, cohort):
    assert login(operator).get(import_url(cohort)).status_code == 403
