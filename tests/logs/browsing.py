"""Data for the browsing, search and feed tests: one entry of each visibility, and a populated
cohort for the query-count tests at two sizes."""

import datetime as dt
from dataclasses import dataclass

from logs.models import Comment, Entry, Session
from tests import factories

WED = dt.date(2022, 2, 9)  # Week 04, Day 015
TUE = dt.date(2022, 2, 8)
THU = dt.date(2022, 2, 10)
SAT = dt.date(2022, 2, 12)
WEEK = 4


@dataclass
class World:
    private: Entry
    cohort_only: Entry
    public: Entry
    draft: Entry
    session: Session


def make_world(learner, cohort, team) -> World:
    """`learner` writes one log of each visibility in Week 04, plus a draft; the team holds a
    peer session. Titles and tags are unique, so pages can be checked by substring."""
    private = factories.make_entry(
        learner,
        cohort,
        learning_date=TUE,
        title="PRIVATE-LOG 비밀 기록",
        body="비밀스러운 스케줄러도 여기에",
        visibility="private",
        tags=["secret-tag", "shared-tag"],
    )
    cohort_only = factories.make_entry(
        learner,
        cohort,
        learning_date=WED,
        title="COHORT-LOG 기수 기록",
        body="## 멘토링\n- 스케줄러도 매우 중요하다.\n- transformer의 세 가지 attention",
        visibility="cohort",
        tags=["cohort-tag", "shared-tag"],
    )
    public = factories.make_entry(
        learner,
        cohort,
        learning_date=THU,
        title="PUBLIC-LOG 공개 기록",
        body="공개된 트랜스포머의 구조 정리. <script>alert(1)</script>",
        visibility="public",
        tags=["public-tag", "shared-tag", "부스트캠프AITech"],
    )
    draft = factories.make_entry(
        learner,
        cohort,
        kind=Entry.Kind.NOTE,
        learning_date=WED,
        title="DRAFT-LOG 초안",
        body="아직 쓰는 중인 스케줄러도",
        visibility="cohort",
        status=Entry.Status.DRAFT,
        tags=["draft-tag"],
    )
    session = factories.make_session(
        team,
        date=WED,
        title="SESSION-NOTE 피어세션",
        summary="### 키워드 공유\n- positional encoding\n- 스케줄러도 중요",
    )
    session.tags.add("session-tag", "shared-tag")
    return World(private, cohort_only, public, draft, session)


def populate(cohort, learners: int, days: list[dt.date], prefix: str = "p") -> list:
    """`learners` learners in two teams, each with a cohort-visible daily log per day (two tags,
    one comment), and a peer session per team per day. For the query-count tests."""
    teams = [
        factories.make_team(cohort, f"{prefix}-A조"),
        factories.make_team(cohort, f"{prefix}-B조"),
    ]
    users = []
    for i in range(learners):
        user = factories.make_user(f"{prefix}{i:03d}", display_name=f"학습자{i}")
        factories.join(user, cohort, "learner", teams[i % 2])
        users.append(user)
        for day in days:
            entry = factories.make_entry(
                user,
                cohort,
                learning_date=day,
                body="스케줄러도 attention transformer의 구조",
                tags=[f"tag{i % 3}", "scale"],
                visibility="public" if i % 2 else "cohort",
            )
            Comment.objects.create(author=user, entry=entry, body="스케줄러 댓글")
    for team in teams:
        for day in days:
            session = factories.make_session(team, date=day, title="scale 피어세션")
            session.tags.add("scale", "keyword")
            Comment.objects.create(author=users[0], session=session, body="세션 댓글 스케줄러")
    return users


def week_days(n: int = 5) -> list[dt.date]:
    return [dt.date(2022, 2, 7) + dt.timedelta(days=i) for i in range(n)]
