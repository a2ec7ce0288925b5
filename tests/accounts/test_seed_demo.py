"""seed_demo builds PRODUCT.md's demo cohort with accounts' models, teams and roles."""

import datetime as dt

from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.models import Cohort, Invite, Membership, User
from accounts.operators import OPERATORS_GROUP


def seed() -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_it_builds_the_demo_cohort_with_its_calendar(db):
    seed()
    cohort = Cohort.objects.get(slug="ai-tech-3")
    assert cohort.name == "부스트캠프 AI Tech 3기" and cohort.start_date == dt.date(2022, 1, 17)
    assert cohort.calendar.daily_title(dt.date(2022, 2, 9)) == "[Week 04 / Day 015] 학습 기록"
    assert cohort.stages.count() >= 1


def test_it_gives_every_persona_their_role(db):
    seed()
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {
        "learner": "learner",
        "learner2": "learner",
        "mentor": "mentor",
        "operator": "operator",
    }
    team = Membership.objects.get(user__username="learner").team
    assert Membership.objects.get(user__username="learner2").team == team
    assert list(team.mentors.values_list("username", flat=True)) == ["mentor"]
    assert not Membership.objects.filter(user__username="outsider").exists()


def test_the_operator_reaches_the_admin_through_the_group(db):
    seed()
    operator = User.objects.get(username="operator")
    assert operator.is_staff and not operator.is_superuser
    assert operator.groups.filter(name=OPERATORS_GROUP).exists()
    assert operator.has_perm("accounts.change_cohort")


def test_it_is_idempotent_and_keeps_one_demo_invite(db):
    seed()
    seed()
    assert Cohort.objects.count() == 1 and Membership.objects.count() == 4
    assert Invite.objects.filter(note="demo").count() == 1
    assert Group.objects.filter(name=OPERATORS_GROUP).count() == 1
