"""Every invariant of accounts/ is held by the database itself, not only by forms.

The calendar triggers (migration 0003) are deferred to commit; `SET CONSTRAINTS ALL IMMEDIATE`
runs them at once inside the test's transaction.
"""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.models import Cohort, Invite, Membership, NonLearningDay, Stage, Team
from tests import factories

D = dt.date


def violates(match: str, action) -> None:
    """`action` breaks a rule named by `match` (checked now, including deferred checks)."""
    with pytest.raises(IntegrityError, match=match), transaction.atomic():
        action()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def holds(action) -> None:
    with transaction.atomic():
        action()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# Cohort


def test_cohort_slugs_are_unique(cohort):
    violates("slug", lambda: factories.make_cohort(cohort.slug))


def test_a_cohort_cannot_end_before_it_starts(db):
    violates(
        "cohort_end_after_start",
        lambda: Cohort.objects.create(
            name="x", slug="x", start_date=D(2022, 6, 1), end_date=D(2022, 5, 1)
        ),
    )


def test_a_cohort_may_last_one_day(db):
    holds(
        lambda: Cohort.objects.create(
            name="x", slug="x", start_date=D(2022, 6, 1), end_date=D(2022, 6, 1)
        )
    )


def test_the_cutoff_hour_is_at_most_noon(db):
    violates(
        "cohort_cutoff_hour_range",
        lambda: Cohort.objects.create(
            name="x", slug="x", start_date=D(2022, 1, 3), end_date=D(2022, 2, 1), cutoff_hour=13
        ),
    )


# Non-learning days


def test_non_learning_days_are_unique_per_cohort(cohort):
    violates(
        "non_learning_day_unique_per_cohort",
        lambda: NonLearningDay.objects.create(cohort=cohort, date=D(2022, 1, 31), name="again"),
    )


def test_two_cohorts_may_share_a_holiday(cohort):
    other = factories.make_cohort("other")
    assert other.non_learning_days.filter(date=D(2022, 1, 31)).exists()


@pytest.mark.parametrize("day", [D(2022, 1, 16), D(2022, 6, 11), D(2023, 1, 1)])
def test_a_holiday_outside_the_cohort_is_refused(cohort, day):
    violates(
        "outside cohort",
        lambda: NonLearningDay.objects.create(cohort=cohort, date=day, name="방학"),
    )


@pytest.mark.parametrize("day", [D(2022, 1, 17), D(2022, 6, 10)])
def test_a_holiday_on_the_first_or_last_day_is_accepted(cohort, day):
    holds(lambda: NonLearningDay.objects.create(cohort=cohort, date=day, name="edge"))


def test_moving_a_holiday_out_of_the_cohort_is_refused(cohort):
    day = cohort.non_learning_days.first()
    day.date = D(2021, 12, 31)
    violates("outside cohort", day.save)


def test_shrinking_the_cohort_past_a_holiday_is_refused(cohort):
    cohort.start_date = D(2022, 2, 14)  # 설날 (01-31…02-02) would fall outside
    Stage.objects.filter(cohort=cohort).delete()
    violates("non-learning day .* outside cohort", cohort.save)


# Stages


def test_stage_slugs_are_unique_per_cohort(cohort):
    violates(
        "stage_slug_unique_per_cohort",
        lambda: Stage.objects.create(
            cohort=cohort,
            name="again",
            slug="lv1-u-stage",
            start_date=D(2022, 3, 1),
            end_date=D(2022, 3, 4),
        ),
    )


def test_a_stage_cannot_end_before_it_starts(cohort):
    violates(
        "stage_end_after_start",
        lambda: Stage.objects.create(
            cohort=cohort, name="p", slug="p", start_date=D(2022, 3, 4), end_date=D(2022, 3, 1)
        ),
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2022, 1, 10), D(2022, 1, 20)),
        (D(2022, 6, 1), D(2022, 6, 11)),
        (D(2021, 1, 1), D(2023, 1, 1)),
    ],
)
def test_a_stage_outside_the_cohort_is_refused(cohort, start, end):
    Stage.objects.filter(cohort=cohort).delete()
    violates(
        "stage .* outside cohort",
        lambda: Stage.objects.create(
            cohort=cohort, name="x", slug="x", start_date=start, end_date=end
        ),
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2022, 2, 11), D(2022, 3, 1)),  # shares the last day of lv1-u-stage
        (D(2022, 1, 20), D(2022, 1, 25)),  # inside it
        (D(2022, 1, 17), D(2022, 6, 10)),  # around it
    ],
)
def test_overlapping_stages_are_refused(cohort, start, end):
    violates(
        "overlap",
        lambda: Stage.objects.create(
            cohort=cohort, name="p", slug="p", start_date=start, end_date=end
        ),
    )


def test_adjacent_stages_are_accepted(cohort):
    holds(
        lambda: Stage.objects.create(
            cohort=cohort, name="P", slug="p", start_date=D(2022, 2, 12), end_date=D(2022, 3, 11)
        )
    )


def test_stages_of_different_cohorts_may_overlap(cohort):
    other = factories.make_cohort("other")
    assert other.stages.get().start_date == cohort.stages.get().start_date


def test_shrinking_the_cohort_past_a_stage_is_refused(cohort):
    cohort.end_date = D(2022, 2, 1)
    NonLearningDay.objects.filter(cohort=cohort).delete()
    violates("stage .* outside cohort", cohort.save)


def test_moving_the_cohort_and_its_stage_in_one_transaction_is_accepted(cohort):
    """The checks run at commit, so the admin may save the cohort before its stages."""

    def move():
        NonLearningDay.objects.filter(cohort=cohort).delete()
        cohort.start_date, cohort.end_date = D(2023, 1, 2), D(2023, 6, 30)
        cohort.save()
        Stage.objects.filter(cohort=cohort).update(start_date=D(2023, 1, 2), end_date=D(2023, 2, 3))

    holds(move)


def test_deleting_a_cohort_deletes_its_calendar(cohort):
    holds(cohort.delete)
    assert not Stage.objects.exists() and not NonLearningDay.objects.exists()


# Teams and memberships


def test_team_names_are_unique_per_cohort(team):
    violates(
        "team_name_unique_per_cohort",
        lambda: Team.objects.create(cohort=team.cohort, name=team.name),
    )


def test_one_membership_per_user_per_cohort(learner, cohort):
    violates("membership_unique_per_cohort", lambda: factories.join(learner, cohort, "mentor"))


def test_a_learner_is_in_at_most_one_team_per_cohort(learner, cohort, other_team):
    # One membership per cohort holds one team: a second team needs a second membership.
    violates(
        "membership_unique_per_cohort",
        lambda: factories.join(learner, cohort, "learner", other_team),
    )


def test_a_person_may_learn_in_two_cohorts(learner, team):
    other = factories.make_cohort("other")
    holds(lambda: factories.join(learner, other, "learner", factories.make_team(other, "1조")))


@pytest.mark.parametrize("role", ["mentor", "operator"])
def test_only_learners_belong_to_a_team(cohort, team, role):
    user = factories.make_user()
    violates("membership_team_only_for_learners", lambda: factories.join(user, cohort, role, team))


def test_a_membership_team_must_be_of_the_same_cohort(team):
    other = factories.make_cohort("other")
    user = factories.make_user()
    violates(
        "membership_team_in_cohort",
        lambda: Membership.objects.create(user=user, cohort=other, role="learner", team=team),
    )


def test_a_team_with_members_cannot_move_to_another_cohort(learner, team):
    team.cohort = factories.make_cohort("other")
    violates("membership_team_in_cohort", team.save)


def test_deleting_a_team_leaves_its_learners_in_the_cohort(learner, team):
    holds(team.delete)
    assert Membership.objects.get(user=learner).team is None


# Invites


def test_an_invite_admits_at_least_one_person(cohort):
    violates("invite_max_uses_positive", lambda: Invite.objects.create(cohort=cohort, max_uses=0))


def test_an_invite_is_never_used_more_often_than_it_allows(cohort):
    invite = Invite.objects.create(cohort=cohort, max_uses=1, uses=1)
    invite.uses = 2
    violates("invite_uses_within_max", invite.save)


def test_an_invite_team_must_be_of_the_same_cohort(team):
    other = factories.make_cohort("other")
    violates("invite_team_in_cohort", lambda: Invite.objects.create(cohort=other, team=team))


def test_invite_codes_are_unique(cohort):
    first = Invite.objects.create(cohort=cohort)
    violates("code", lambda: Invite.objects.create(cohort=cohort, code=first.code))
