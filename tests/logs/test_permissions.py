"""The permission matrix: each persona × each kind of object × each action, from logs.access.

Expected answers are written as the set of personas allowed; every other persona must be refused.
The list rules (`visible_to`) are checked against the same matrix, so a page built on a QuerySet
and a page built on a predicate can never disagree.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import Cohort
from logs import access
from logs.models import Comment, Entry, Session
from tests import factories

PERSONAS = (
    "anonymous",
    "learner",
    "teammate",
    "other_learner",
    "mentor",
    "other_mentor",
    "operator",
    "foreign_operator",
    "outsider",
    "superuser",
)
MEMBERS = {"learner", "teammate", "other_learner", "mentor", "other_mentor", "operator"}
EVERYONE = set(PERSONAS)


@pytest.fixture
def people(
    request,
    learner,
    teammate,
    other_learner,
    mentor,
    other_mentor,
    operator,
    foreign_operator,
    outsider,
):
    superuser = factories.make_user("root", is_superuser=True, is_staff=True)
    found = {
        "anonymous": AnonymousUser(),
        "learner": learner,
        "teammate": teammate,
        "other_learner": other_learner,
        "mentor": mentor,
        "other_mentor": other_mentor,
        "operator": operator,
        "foreign_operator": foreign_operator,
        "outsider": outsider,
        "superuser": superuser,
    }
    return found


@pytest.fixture
def entries(learner, cohort):
    def make(day, **fields):
        return factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, day), **fields)

    return {
        "private": make(7, visibility="private"),
        "cohort": make(8, visibility="cohort"),
        "public": make(9, visibility="public"),
        "draft": make(10, visibility="cohort", status=Entry.Status.DRAFT),
        "public draft": make(11, visibility="public", status=Entry.Status.DRAFT),
    }


@pytest.fixture
def sessions(team, other_team, cohort):
    return {
        "team": factories.make_session(team),
        "other team": factories.make_session(other_team),
        "cohort-wide": Session.objects.create(
            cohort=cohort, kind=Session.Kind.LECTURE, date=dt.date(2022, 2, 9), title="특강"
        ),
    }


def allowed(check, people, obj) -> set[str]:
    return {name for name, user in people.items() if check(user, obj)}


# Entries

ENTRY_VIEW = {
    "private": {"learner"},
    "cohort": MEMBERS,
    "public": EVERYONE,
    "draft": {"learner"},
    "public draft": {"learner"},
}
ENTRY_COMMENT = {
    "private": {"learner"},
    "cohort": MEMBERS,
    "public": MEMBERS,  # visitors read public logs but only members comment
    "draft": {"learner"},
    "public draft": {"learner"},
}


@pytest.mark.parametrize("kind", list(ENTRY_VIEW))
def test_who_views_an_entry(people, entries, kind):
    assert allowed(access.can_view_entry, people, entries[kind]) == ENTRY_VIEW[kind]


@pytest.mark.parametrize("kind", list(ENTRY_VIEW))
def test_entry_lists_show_exactly_what_the_detail_rule_allows(people, entries, kind):
    entry = entries[kind]
    listed = {
        name
        for name, user in people.items()
        if Entry.objects.visible_to(user).filter(pk=entry.pk).exists()
    }
    assert listed == ENTRY_VIEW[kind]


@pytest.mark.parametrize("kind", list(ENTRY_VIEW))
@pytest.mark.parametrize("check", [access.can_edit_entry, access.can_delete_entry])
def test_only_the_author_edits_or_deletes_an_entry(people, entries, kind, check):
    assert allowed(check, people, entries[kind]) == {"learner"}


@pytest.mark.parametrize("kind", list(ENTRY_COMMENT))
def test_who_comments_on_an_entry(people, entries, kind):
    assert allowed(access.can_comment_on, people, entries[kind]) == ENTRY_COMMENT[kind]


def test_nobody_reads_another_persons_private_entry_not_even_a_superuser(people, entries):
    assert not access.can_view_entry(people["superuser"], entries["private"])
    assert not access.can_view_entry(people["operator"], entries["private"])
    assert not access.can_view_entry(people["mentor"], entries["private"])


def test_a_foreign_operator_reads_only_public_entries(people, entries):
    visible = set(Entry.objects.visible_to(people["foreign_operator"]).values_list("pk", flat=True))
    assert visible == {entries["public"].pk}


# Sessions

SESSION_VIEW = {"team": MEMBERS, "other team": MEMBERS, "cohort-wide": MEMBERS}
SESSION_EDIT = {
    "team": {"learner", "teammate", "mentor"},
    "other team": {"other_learner", "other_mentor"},
    "cohort-wide": {"mentor", "other_mentor", "operator"},
}


@pytest.mark.parametrize("kind", list(SESSION_VIEW))
def test_who_views_a_session(people, sessions, kind):
    assert allowed(access.can_view_session, people, sessions[kind]) == SESSION_VIEW[kind]


@pytest.mark.parametrize("kind", list(SESSION_VIEW))
def test_session_lists_show_exactly_what_the_detail_rule_allows(people, sessions, kind):
    session = sessions[kind]
    listed = {
        name
        for name, user in people.items()
        if Session.objects.visible_to(user).filter(pk=session.pk).exists()
    }
    assert listed == SESSION_VIEW[kind]


@pytest.mark.parametrize("kind", list(SESSION_EDIT))
@pytest.mark.parametrize("check", [access.can_edit_session, access.can_delete_session])
def test_who_edits_or_deletes_a_session(people, sessions, kind, check):
    assert allowed(check, people, sessions[kind]) == SESSION_EDIT[kind]


@pytest.mark.parametrize("kind", list(SESSION_VIEW))
def test_who_comments_on_a_session(people, sessions, kind):
    assert allowed(access.can_comment_on, people, sessions[kind]) == MEMBERS


def test_mentors_answer_questions_of_the_teams_they_mentor(people, sessions):
    assert allowed(access.is_mentor_of, people, sessions["team"]) == {"mentor"}
    assert allowed(access.can_answer_question, people, sessions["team"]) == SESSION_EDIT["team"]


def test_team_sessions_are_created_by_the_team_and_its_mentors(people, team):
    assert allowed(access.can_create_session_for_team, people, team) == {
        "learner",
        "teammate",
        "mentor",
    }


# Comments


@pytest.fixture
def comments(entries, sessions, teammate, learner):
    return {
        "on a cohort entry": Comment.objects.create(
            author=teammate, entry=entries["cohort"], body="좋아요"
        ),
        "on a public entry": Comment.objects.create(
            author=teammate, entry=entries["public"], body="👍"
        ),
        "on a private entry": Comment.objects.create(
            author=learner, entry=entries["private"], body="메모"
        ),
        "on a session": Comment.objects.create(
            author=teammate, session=sessions["team"], body="정리 감사"
        ),
    }


COMMENT_VIEW = {
    "on a cohort entry": MEMBERS,
    "on a public entry": EVERYONE,
    "on a private entry": {"learner"},
    "on a session": MEMBERS,
}
COMMENT_EDIT = {
    "on a cohort entry": {"teammate"},
    "on a public entry": {"teammate"},
    "on a private entry": {"learner"},
    "on a session": {"teammate"},
}
COMMENT_DELETE = {
    "on a cohort entry": {"teammate", "operator"},
    "on a public entry": {"teammate", "operator"},
    "on a private entry": {"learner"},  # an operator may not even see it
    "on a session": {"teammate", "operator"},
}


def _target(comment):
    return comment.entry if comment.entry_id else comment.session


@pytest.mark.parametrize("kind", list(COMMENT_VIEW))
def test_a_comment_is_seen_by_whoever_sees_its_object(people, comments, kind):
    comment = comments[kind]
    assert allowed(access.can_view_commented, people, _target(comment)) == COMMENT_VIEW[kind]


@pytest.mark.parametrize("kind", list(COMMENT_EDIT))
def test_only_its_author_edits_a_comment(people, comments, kind):
    assert allowed(access.can_edit_comment, people, comments[kind]) == COMMENT_EDIT[kind]


@pytest.mark.parametrize("kind", list(COMMENT_DELETE))
def test_a_comment_is_deleted_by_its_author_or_the_cohorts_operator(people, comments, kind):
    assert allowed(access.can_delete_comment, people, comments[kind]) == COMMENT_DELETE[kind]


# Writing and running a cohort


def test_learners_and_mentors_write_in_their_cohort(people, cohort):
    assert allowed(access.can_write_in, people, cohort.pk) == {
        "learner",
        "teammate",
        "other_learner",
        "mentor",
        "other_mentor",
    }


def test_the_board_is_for_the_cohorts_operators_and_superusers(people, cohort):
    assert allowed(access.can_view_board, people, cohort.pk) == {"operator", "superuser"}


def test_roles_are_loaded_once_per_user_object(people, django_assert_num_queries):
    learner = people["learner"]
    access.forget_roles(learner)
    # One query (memberships and mentored teams, UNION ALL) however many checks follow.
    with django_assert_num_queries(1):
        for _ in range(5):
            access.roles(learner)


def test_roles_name_the_latest_started_cohort_for_the_header(people, django_assert_num_queries):
    learner = people["learner"]
    later = Cohort.objects.create(
        slug="later-cohort",
        name="부스트캠프 AI Tech 4기",
        start_date=dt.date(2023, 1, 16),
        end_date=dt.date(2023, 6, 9),
    )
    factories.join(learner, later, "learner")
    access.forget_roles(learner)
    with django_assert_num_queries(1):
        roles = access.roles(learner)
        assert roles.latest_cohort == (later.pk, later.name, "later-cohort")
        assert roles.role(later.pk) == "learner"


def test_a_mentor_keeps_mentored_teams_beside_memberships(people):
    mentor = people["mentor"]
    access.forget_roles(mentor)
    roles = access.roles(mentor)
    assert roles.mentored_teams == frozenset(mentor.mentored_teams.values_list("id", flat=True))
    assert roles.mentored_teams
    assert all(role != "+mentored" for role in roles.cohorts.values())
