"""Load the demo: the seed's cohort, its calendar, a team and the five personas. Idempotent."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Cohort, Invite, Membership, NonLearningDay, Stage, Team, User
from accounts.operators import grant_operator_access
from logs.demo_sessions import seed_sessions

PASSWORD = "camplog-demo-1234"

COHORT = {
    "slug": "ai-tech-3",
    "name": "부스트캠프 AI Tech 3기",
    "start_date": dt.date(2022, 1, 17),
    "end_date": dt.date(2022, 6, 10),
    "description": "네이버 부스트캠프 AI Tech 3기의 학습 기록.",
}
HOLIDAYS = [
    (dt.date(2022, 1, 31), "설날"),
    (dt.date(2022, 2, 1), "설날"),
    (dt.date(2022, 2, 2), "설날"),
]
STAGES = [
    ("Level 1 U-stage", "lv1-u-stage", dt.date(2022, 1, 17), dt.date(2022, 2, 11)),
    ("Level 1 P-stage", "lv1-p-stage", dt.date(2022, 2, 14), dt.date(2022, 3, 11)),
    ("Level 2", "lv2", dt.date(2022, 3, 14), dt.date(2022, 5, 13)),
    ("Level 3", "lv3", dt.date(2022, 5, 16), dt.date(2022, 6, 10)),
]
USERS = [
    # username, display name, role in the cohort (None: no cohort), staff
    ("learner", "이캠퍼", "learner", False),
    ("learner2", "박동료", "learner", False),
    ("mentor", "김멘토", "mentor", False),
    ("operator", "최운영", "operator", True),
    ("outsider", "정방문", None, False),
]


class Command(BaseCommand):
    help = "Create (or refresh) the demo cohort ai-tech-3 and its users; prints their password."

    @transaction.atomic
    def handle(self, *args, **options):
        cohort, _ = Cohort.objects.update_or_create(slug=COHORT["slug"], defaults=COHORT)
        for date, name in HOLIDAYS:
            NonLearningDay.objects.update_or_create(
                cohort=cohort, date=date, defaults={"name": name}
            )
        for name, slug, start, end in STAGES:
            Stage.objects.update_or_create(
                cohort=cohort,
                slug=slug,
                defaults={"name": name, "start_date": start, "end_date": end},
            )
        team, _ = Team.objects.get_or_create(cohort=cohort, name="7조")

        users = {}
        for username, display_name, role, staff in USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "display_name": display_name,
                    "email": f"{username}@camplog.local",
                    "is_staff": staff,
                },
            )
            if created:
                user.set_password(PASSWORD)
                user.save()
            users[username] = user
            if role:
                Membership.objects.update_or_create(
                    user=user,
                    cohort=cohort,
                    defaults={"role": role, "team": team if role == "learner" else None},
                )
        team.mentors.add(users["mentor"])
        # The operator runs the cohort from the admin: staff in the Operators group.
        grant_operator_access(users["operator"])
        invite = Invite.objects.usable().filter(cohort=cohort, note="demo").first()
        if invite is None:
            invite = Invite.objects.create(
                cohort=cohort, team=team, note="demo", max_uses=100, created_by=users["operator"]
            )
        sessions = seed_sessions(cohort, team, users)

        self.stdout.write(self.style.SUCCESS(f"Demo cohort: {cohort.name} (/c/{cohort.slug}/)"))
        for session in sessions:
            self.stdout.write(f"  {session.get_kind_display()}: {session.get_absolute_url()}")
        self.stdout.write(f"Demo logins (password for all: {PASSWORD}):")
        for username, display_name, role, _ in USERS:
            self.stdout.write(f"  {username:<10} {display_name} · {role or 'no cohort'}")
        self.stdout.write(f"Invite link (joins 7조): {invite.get_absolute_url()}")
