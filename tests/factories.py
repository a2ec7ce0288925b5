"""Small hand-written factories: each makes one valid object with sensible defaults."""

import datetime as dt
import itertools

from accounts.models import Cohort, Membership, NonLearningDay, Stage, Team, User
from logs.models import Entry, Session

_seq = itertools.count(1)

PASSWORD = "camplog-test-pw"


def make_user(username: str | None = None, **fields) -> User:
    username = username or f"user{next(_seq)}"
    fields.setdefault("email", f"{username}@example.com")
    return User.objects.create_user(username=username, password=PASSWORD, **fields)


def make_cohort(slug: str | None = None, **fields) -> Cohort:
    """A cohort shaped like the seed: starts Mon 2022-01-17, 설날 holidays 01-31…02-02."""
    slug = slug or f"cohort-{next(_seq)}"
    fields.setdefault("name", "부스트캠프 AI Tech 3기")
    fields.setdefault("start_date", dt.date(2022, 1, 17))
    fields.setdefault("end_date", dt.date(2022, 6, 10))
    cohort = Cohort.objects.create(slug=slug, **fields)
    for day in (dt.date(2022, 1, 31), dt.date(2022, 2, 1), dt.date(2022, 2, 2)):
        NonLearningDay.objects.create(cohort=cohort, date=day, name="설날")
    Stage.objects.create(
        cohort=cohort,
        name="Level 1 U-stage",
        slug="lv1-u-stage",
        start_date=dt.date(2022, 1, 17),
        end_date=dt.date(2022, 2, 11),
    )
    return cohort


def make_team(cohort: Cohort, name: str | None = None, mentors=()) -> Team:
    team = Team.objects.create(cohort=cohort, name=name or f"{next(_seq)}조")
    team.mentors.add(*mentors)
    return team


def join(user: User, cohort: Cohort, role: str = "learner", team: Team | None = None) -> Membership:
    return Membership.objects.create(user=user, cohort=cohort, role=role, team=team)


def make_entry(author: User, cohort: Cohort, **fields) -> Entry:
    fields.setdefault("learning_date", dt.date(2022, 2, 9))
    fields.setdefault("kind", Entry.Kind.DAILY)
    fields.setdefault("title", cohort.calendar.daily_title(fields["learning_date"]))
    fields.setdefault("body", "## 오늘 한 일\n- [x] 강의 수강\n")
    tags = fields.pop("tags", ())
    entry = Entry.objects.create(author=author, cohort=cohort, **fields)
    if tags:
        entry.tags.add(*tags)
    return entry


def make_session(team: Team, **fields) -> Session:
    fields.setdefault("date", dt.date(2022, 2, 9))
    fields.setdefault("kind", Session.Kind.PEER)
    fields.setdefault("title", "피어세션")
    fields.setdefault("summary", "### 키워드 공유\n- attention\n")
    return Session.objects.create(cohort=team.cohort, team=team, **fields)
