"""Fill a database with cohort `bench`: the benchmark's data, at cohort scale.

`populate(learners=300, days=100)` makes 300 learners `bench001`… in teams of five with mentors,
a daily log per learner per learning day (30,000), weekly logs, the teams' peer sessions and
weekly mentoring (about 7,000 sessions) and comments (about 50,000).

It has to be fast (30,000 logs in well under five minutes on two cores), so:

- Markdown goes through the real pipeline (`logs.markdown.render`) once per *distinct body*: a
  few dozen bodies are assembled from the corpus and rendered, and every log reuses one, cheaply
  varied by substituting a plain-text token (the day number) in the source, the HTML and the
  excerpt alike. Rendering 30,000 bodies would take ten minutes by itself.
- Rows are written with `bulk_create` in batches, one transaction per batch; `created_at` is set
  to the evening of the learning date (auto_now_add is suspended while populating) so lists and
  feeds sort as they would in a real cohort.
- The password hash is computed once and shared by every bench user.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import math
import random
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection, models, transaction
from taggit.models import Tag

from accounts.calendar import CohortCalendar
from accounts.models import Cohort, Membership, NonLearningDay, Stage, Team, User
from bench import corpus
from bench.progress import Progress
from logs import markdown
from logs.caching import versions
from logs.caching.versions import SETUP
from logs.models import (
    Comment,
    Entry,
    MentoringQuestion,
    Session,
    SessionProblem,
    TaggedEntry,
    TaggedSession,
)

SLUG = "bench"
NAME = "벤치마크 기수"
PASSWORD = "bench-password-1234"
START = dt.date(2022, 1, 17)
HOLIDAYS = [dt.date(2022, 1, 31), dt.date(2022, 2, 1), dt.date(2022, 2, 2)]
TEAM_SIZE = 5
TEAMS_PER_MENTOR = 2
DAILY_TEMPLATES = 48
WEEKLY_TEMPLATES = 8
SESSION_TEMPLATES = 12
COMMENTS_PER_LOG = 1.5  # about 50,000 comments for 30,000 daily logs (and the weekly ones)
WEEKLY_SHARE = 0.6  # learners who write a weekly log in a given week
BATCH = 1000
DAY_TOKEN = "BENCHDAYTOKEN"  # plain text: survives Markdown and the sanitizer unchanged
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


def username(number: int) -> str:
    return f"bench{number:03d}"


@dataclass
class Body:
    """A rendered body, with DAY_TOKEN where each copy puts its own day number."""

    body: str
    html: str
    toc: list
    excerpt: str
    has_math: bool
    tags: list[str]

    def fields(self, day: int | str) -> dict:
        text = str(day)
        return {
            "body": self.body.replace(DAY_TOKEN, text),
            "body_html": self.html.replace(DAY_TOKEN, text),
            "toc": self.toc,
            "excerpt": self.excerpt.replace(DAY_TOKEN, text),
            "has_math": self.has_math,
        }


def _render(source: str, tags: list[str]) -> Body:
    rendered = markdown.render(source)
    return Body(
        body=source,
        html=rendered.html,
        toc=[{"level": t.level, "id": t.id, "title": t.title} for t in rendered.toc],
        excerpt=rendered.excerpt,
        has_math=rendered.has_math,
        tags=tags,
    )


@contextlib.contextmanager
def _dates_as_given(*fields: tuple[type[models.Model], str]) -> Iterator[None]:
    """Let bulk_create keep the creation times we set instead of stamping `now()`."""
    saved = []
    for model, name in fields:
        field = model._meta.get_field(name)
        saved.append((field, field.auto_now, field.auto_now_add))
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _evening(day: dt.date, rng: random.Random) -> dt.datetime:
    """When learners write: 21:00–01:00 (after midnight still belongs to the day)."""
    minutes = rng.randint(0, 240)
    return dt.datetime.combine(day, dt.time(21), SEOUL) + dt.timedelta(minutes=minutes)


class Populator:
    def __init__(self, learners: int, days: int, out: TextIO, seed: int = 8):
        if learners < 1 or days < 1:
            raise ValueError("learners and days must be at least 1")
        self.learners = learners
        self.days = days
        self.out = out
        self.rng = random.Random(seed)
        self.counts: dict[str, int] = {}

    # The whole run ------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        self.remove_previous()
        with transaction.atomic():
            self.make_cohort()
            self.make_people()
            self.make_tags()
        self.render_templates()
        with _dates_as_given(
            (Entry, "created_at"),
            (Entry, "updated_at"),
            (Session, "created_at"),
            (Session, "updated_at"),
            (Comment, "created_at"),
            (Comment, "updated_at"),
        ):
            self.make_daily_logs()
            self.make_weekly_logs()
            self.make_sessions()
        with connection.cursor() as cursor:
            # Fresh statistics, so the planner sees 30,000 logs and not an empty table. The
            # search triggers rewrite each entry once its tags are in: VACUUM drops those dead
            # rows (it cannot run inside a transaction, as in a test, where ANALYZE must do).
            if connection.in_atomic_block:
                cursor.execute("ANALYZE")
            else:
                cursor.execute("VACUUM ANALYZE")
        # Bulk inserts send no signals: every cached page of the old data goes at once.
        versions.bump(SETUP)
        return self.counts

    def remove_previous(self) -> None:
        """Populating twice replaces the cohort instead of failing on its unique slug."""
        old = Cohort.objects.filter(slug=SLUG).first()
        if old is None:
            User.objects.filter(username__startswith="bench").delete()
            return
        self.out.write("Removing the previous bench cohort…\n")
        with transaction.atomic():
            Comment.objects.filter(entry__cohort=old).delete()
            Comment.objects.filter(session__cohort=old).delete()
            Entry.objects.filter(cohort=old).delete()
            Session.objects.filter(cohort=old).delete()
            old.delete()
            User.objects.filter(username__startswith="bench").delete()

    # Cohort, people, tags -----------------------------------------------------------------------

    def make_cohort(self) -> None:
        # The D-th learning day, with the seed's 설날 holidays, ends the cohort.
        provisional = CohortCalendar(
            start=START, end=START + dt.timedelta(days=7 * self.days), non_learning_days=HOLIDAYS
        )
        self.learning_days = list(itertools.islice(provisional.learning_days(), self.days))
        end = self.learning_days[-1]
        self.cohort = Cohort.objects.create(
            slug=SLUG,
            name=NAME,
            start_date=START,
            end_date=end,
            description=f"bench: {self.learners} learners × {self.days} learning days",
        )
        NonLearningDay.objects.bulk_create(
            NonLearningDay(cohort=self.cohort, date=day, name="설날")
            for day in HOLIDAYS
            if day <= end
        )
        # Four stages of equal length over the learning days.
        quarter = max(1, math.ceil(len(self.learning_days) / 4))
        chunks = [self.learning_days[i : i + quarter] for i in range(0, self.days, quarter)]
        names = [
            ("Level 1 U-stage", "lv1-u-stage"),
            ("Level 1 P-stage", "lv1-p-stage"),
            ("Level 2", "lv2"),
            ("Level 3", "lv3"),
        ]
        self.stages = Stage.objects.bulk_create(
            Stage(cohort=self.cohort, name=n, slug=s, start_date=c[0], end_date=c[-1])
            for (n, s), c in zip(names, chunks, strict=False)
        )
        self.cohort = Cohort.objects.prefetch_related("non_learning_days", "stages").get(
            pk=self.cohort.pk
        )
        self.calendar = self.cohort.calendar
        self.stage_of = {}
        for stage in self.stages:
            for day in self.learning_days:
                if stage.start_date <= day <= stage.end_date:
                    self.stage_of[day] = stage

    def make_people(self) -> None:
        # Once: hashing is slow on purpose. PBKDF2 by name, so the bench server (production
        # settings) accepts it also when the data was made under the test settings.
        hasher = PBKDF2PasswordHasher()
        password = hasher.encode(PASSWORD, hasher.salt())
        team_count = math.ceil(self.learners / TEAM_SIZE)
        mentor_count = math.ceil(team_count / TEAMS_PER_MENTOR)
        learners = [
            User(
                username=username(n),
                display_name=f"벤치{n:03d}",
                email=f"{username(n)}@bench.local",
                password=password,
            )
            for n in range(1, self.learners + 1)
        ]
        mentors = [
            User(
                username=f"bench-mentor{n:02d}",
                display_name=f"멘토{n:02d}",
                email=f"bench-mentor{n:02d}@bench.local",
                password=password,
            )
            for n in range(1, mentor_count + 1)
        ]
        operator = User(
            username="bench-operator",
            display_name="벤치 운영진",
            email="bench-operator@bench.local",
            password=password,
            is_staff=True,
        )
        User.objects.bulk_create([*learners, *mentors, operator], batch_size=BATCH)
        self.learner_users = list(
            User.objects.filter(username__in=[u.username for u in learners]).order_by("username")
        )
        self.mentor_users = list(
            User.objects.filter(username__in=[u.username for u in mentors]).order_by("username")
        )
        operator = User.objects.get(username="bench-operator")
        self.teams = Team.objects.bulk_create(
            Team(cohort=self.cohort, name=f"{n}조") for n in range(1, team_count + 1)
        )
        Team.mentors.through.objects.bulk_create(
            Team.mentors.through(team_id=team.pk, user_id=self.mentor_users[i // 2].pk)
            for i, team in enumerate(self.teams)
        )
        self.team_of: dict[int, Team] = {}
        self.members: dict[int, list[int]] = {team.pk: [] for team in self.teams}
        memberships = []
        for i, user in enumerate(self.learner_users):
            team = self.teams[i // TEAM_SIZE]
            self.team_of[user.pk] = team
            self.members[team.pk].append(user.pk)
            memberships.append(Membership(user=user, cohort=self.cohort, team=team))
        memberships += [
            Membership(user=u, cohort=self.cohort, role=Membership.Role.MENTOR)
            for u in self.mentor_users
        ]
        memberships.append(
            Membership(user=operator, cohort=self.cohort, role=Membership.Role.OPERATOR)
        )
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        self.mentor_of = {
            team.pk: self.mentor_users[i // TEAMS_PER_MENTOR].pk
            for i, team in enumerate(self.teams)
        }
        self.counts["learners"] = len(self.learner_users)
        self.counts["teams"] = len(self.teams)
        self.counts["mentors"] = len(self.mentor_users)

    def make_tags(self) -> None:
        weeks = sorted({self.calendar.week_of(d) for d in self.learning_days})
        names = [
            corpus.COHORT_TAG,
            "daily-log",
            "weekly-log",
            "peer-session",
            "mentoring",
            *corpus.TOPIC_TAGS,
            *(f"week{w:02d}" for w in weeks),
            *(stage.slug for stage in self.stages),
        ]
        self.tags: dict[str, int] = {}
        for name in names:
            tag = Tag.objects.filter(name__iexact=name).first()
            if tag is None:
                tag = Tag(name=name)
                tag.save()  # taggit makes the (Korean-friendly) slug
            self.tags[name] = tag.pk

    # Bodies, rendered once ----------------------------------------------------------------------

    def render_templates(self) -> None:
        total = DAILY_TEMPLATES + WEEKLY_TEMPLATES + 2 * SESSION_TEMPLATES + len(corpus.COMMENTS)
        bar = Progress(self.out, "Rendering bodies", total)
        rng = self.rng
        self.daily: list[Body] = []
        for i in range(DAILY_TEMPLATES):
            source = corpus.daily_body(rng, math=i % 3 == 0)
            source = source.replace(
                "## **🐾 일일 회고**\n", f"## **🐾 일일 회고**\n{DAY_TOKEN}일차. "
            )
            self.daily.append(_render(source, corpus.topic_tags(rng)))
            bar.advance()
        self.weekly = []
        for _ in range(WEEKLY_TEMPLATES):
            self.weekly.append(_render(corpus.weekly_body(rng), corpus.topic_tags(rng)))
            bar.advance()
        self.peer = []
        self.mentoring = []
        for _ in range(SESSION_TEMPLATES):
            self.peer.append(_render(corpus.peer_summary(rng), corpus.topic_tags(rng)[:2]))
            self.mentoring.append(_render(corpus.mentoring_summary(rng), ["mentoring"]))
            bar.advance(2)
        self.comments = []
        for text in corpus.COMMENTS:
            self.comments.append((text, markdown.render_comment(text)))
            bar.advance()
        self.answers = {
            answer: markdown.render_comment(answer)
            for _, answers in corpus.MENTORING_QA
            for answer in ["\n".join(f"- {a}" for a in answers)]
        }
        bar.finish()

    # Logs ---------------------------------------------------------------------------------------

    def _visibility(self) -> str:
        roll = self.rng.random()
        return "private" if roll < 0.06 else "public" if roll < 0.18 else "cohort"

    def make_daily_logs(self) -> None:
        rng = self.rng
        total = len(self.learner_users) * len(self.learning_days)
        bar = Progress(self.out, "Daily logs", total)
        pending: list[tuple[Entry, list[str]]] = []
        written = 0
        for day in self.learning_days:
            number = self.calendar.day_number(day)
            week = self.calendar.week_of(day)
            stage = self.stage_of.get(day)
            title = self.calendar.daily_title(day)
            for user in self.learner_users:
                template = rng.choice(self.daily)
                when = _evening(day, rng)
                entry = Entry(
                    author_id=user.pk,
                    cohort_id=self.cohort.pk,
                    kind=Entry.Kind.DAILY,
                    learning_date=day,
                    week=week,
                    day_number=number,
                    stage=stage,
                    title=title,
                    visibility=self._visibility(),
                    status="draft" if rng.random() < 0.02 else "published",
                    created_at=when,
                    updated_at=when,
                    **template.fields(f"{number:03d}"),
                )
                tags = [corpus.COHORT_TAG, "daily-log", f"week{week:02d}", *template.tags]
                if stage:
                    tags.append(stage.slug)
                pending.append((entry, tags))
                if len(pending) >= BATCH:
                    written += self._write_entries(pending)
                    bar.advance(len(pending))
                    pending = []
        if pending:
            written += self._write_entries(pending)
            bar.advance(len(pending))
        bar.finish()
        self.counts["daily_logs"] = written

    def make_weekly_logs(self) -> None:
        rng = self.rng
        weeks: dict[int, list[dt.date]] = {}
        for day in self.learning_days:
            weeks.setdefault(self.calendar.week_of(day), []).append(day)
        total = len(weeks) * len(self.learner_users)
        bar = Progress(self.out, "Weekly logs", total)
        pending = []
        written = 0
        for week, days in weeks.items():
            last = days[-1]
            for user in self.learner_users:
                bar.advance()
                if rng.random() > WEEKLY_SHARE:
                    continue
                template = rng.choice(self.weekly)
                when = _evening(last, rng)
                entry = Entry(
                    author_id=user.pk,
                    cohort_id=self.cohort.pk,
                    kind=Entry.Kind.WEEKLY,
                    learning_date=last,
                    week=week,
                    day_number=self.calendar.day_number(last),
                    stage=self.stage_of.get(last),
                    title=self.calendar.weekly_title(week),
                    visibility=self._visibility(),
                    created_at=when,
                    updated_at=when,
                    **template.fields(week),
                )
                pending.append((entry, [corpus.COHORT_TAG, "weekly-log", *template.tags]))
                if len(pending) >= BATCH:
                    written += self._write_entries(pending)
                    pending = []
        if pending:
            written += self._write_entries(pending)
        bar.finish()
        self.counts["weekly_logs"] = written

    @transaction.atomic
    def _write_entries(self, pending: list[tuple[Entry, list[str]]]) -> int:
        entries = Entry.objects.bulk_create([entry for entry, _ in pending])
        TaggedEntry.objects.bulk_create(
            TaggedEntry(content_object_id=entry.pk, tag_id=self.tags[name])
            for entry, (_, names) in zip(entries, pending, strict=True)
            for name in dict.fromkeys(names)
        )
        self._comment_on_entries(entries)
        return len(entries)

    def _comment_on_entries(self, entries: list[Entry]) -> None:
        """Teammates and the team's mentor comment on the logs they can read."""
        rng = self.rng
        comments = []
        per_log = COMMENTS_PER_LOG * 0.85  # the rest go to sessions
        for entry in entries:
            if entry.visibility == "private" or entry.status != "published":
                continue
            team = self.team_of[entry.author_id]
            readers = [pk for pk in self.members[team.pk] if pk != entry.author_id]
            readers.append(self.mentor_of[team.pk])
            count = int(per_log / 0.94) + (rng.random() < (per_log / 0.94) % 1)
            for i in range(count):
                text, html = rng.choice(self.comments)
                when = entry.created_at + dt.timedelta(minutes=30 + 20 * i)
                comments.append(
                    Comment(
                        author_id=rng.choice(readers),
                        entry_id=entry.pk,
                        body=text,
                        body_html=html,
                        created_at=when,
                        updated_at=when,
                    )
                )
        Comment.objects.bulk_create(comments, batch_size=BATCH)
        self.counts["comments"] = self.counts.get("comments", 0) + len(comments)

    # Sessions -----------------------------------------------------------------------------------

    def make_sessions(self) -> None:
        rng = self.rng
        weeks: dict[int, list[dt.date]] = {}
        for day in self.learning_days:
            weeks.setdefault(self.calendar.week_of(day), []).append(day)
        mentoring_days = {days[len(days) // 2] for days in weeks.values()}
        total = len(self.teams) * (len(self.learning_days) + len(mentoring_days))
        bar = Progress(self.out, "Sessions", total)
        pending: list[tuple[Session, Body]] = []
        written = 0
        for day in self.learning_days:
            week = self.calendar.week_of(day)
            label = self.calendar.label(day)
            for team in self.teams:
                members = self.members[team.pk]
                template = rng.choice(self.peer)
                when = _evening(day, rng) - dt.timedelta(hours=5)
                pending.append(
                    (
                        Session(
                            cohort_id=self.cohort.pk,
                            team_id=team.pk,
                            kind=Session.Kind.PEER,
                            date=day,
                            week=week,
                            title=f"[{label}] {team.name} 피어세션",
                            host_id=rng.choice(members),
                            created_by_id=rng.choice(members),
                            created_at=when,
                            updated_at=when,
                            **self._summary(template),
                        ),
                        template,
                    )
                )
                if day in mentoring_days:
                    template = rng.choice(self.mentoring)
                    pending.append(
                        (
                            Session(
                                cohort_id=self.cohort.pk,
                                team_id=team.pk,
                                kind=Session.Kind.MENTORING,
                                date=day,
                                week=week,
                                title=f"[Week {week:02d}] {team.name} 멘토링",
                                host_id=self.mentor_of[team.pk],
                                created_by_id=rng.choice(members),
                                created_at=when + dt.timedelta(hours=1),
                                updated_at=when + dt.timedelta(hours=1),
                                **self._summary(template),
                            ),
                            template,
                        )
                    )
            if len(pending) >= BATCH:
                written += self._write_sessions(pending)
                bar.advance(len(pending))
                pending = []
        if pending:
            written += self._write_sessions(pending)
            bar.advance(len(pending))
        bar.finish()
        self.counts["sessions"] = written

    @staticmethod
    def _summary(template: Body) -> dict:
        fields = template.fields("")
        return {
            "summary": fields["body"],
            "summary_html": fields["body_html"],
            "toc": fields["toc"],
            "excerpt": fields["excerpt"],
            "has_math": fields["has_math"],
        }

    @transaction.atomic
    def _write_sessions(self, pending: list[tuple[Session, Body]]) -> int:
        rng = self.rng
        sessions = Session.objects.bulk_create([session for session, _ in pending])
        TaggedSession.objects.bulk_create(
            TaggedSession(content_object_id=session.pk, tag_id=self.tags[name])
            for session, (_, template) in zip(sessions, pending, strict=True)
            for name in dict.fromkeys(
                [
                    "peer-session" if session.kind == Session.Kind.PEER else "mentoring",
                    *template.tags,
                ]
            )
        )
        Attendee = Session.attendees.through
        Attendee.objects.bulk_create(
            Attendee(session_id=session.pk, user_id=pk)
            for session in sessions
            for pk in self.members[session.team_id]
        )
        problems, questions, comments = [], [], []
        per_session = COMMENTS_PER_LOG * 0.15 * len(self.learner_users) / len(self.teams)
        for session in sessions:
            members = self.members[session.team_id]
            if session.kind == Session.Kind.PEER:
                problems.append(
                    SessionProblem(session_id=session.pk, title=rng.choice(corpus.PROBLEMS))
                )
            else:
                for number, (question, answers) in enumerate(
                    rng.sample(corpus.MENTORING_QA, 3), start=1
                ):
                    answer = "\n".join(f"- {a}" for a in answers)
                    questions.append(
                        MentoringQuestion(
                            session_id=session.pk,
                            number=number,
                            question=question,
                            asked_by_id=rng.choice(members),
                            answer=answer,
                            answer_html=self.answers[answer],
                            answered_by_id=session.host_id,
                            answer_confirmed=True,
                        )
                    )
            count = int(per_session) + (rng.random() < per_session % 1)
            for i in range(count):
                text, html = rng.choice(self.comments)
                when = session.created_at + dt.timedelta(minutes=15 + 10 * i)
                comments.append(
                    Comment(
                        author_id=rng.choice([*members, self.mentor_of[session.team_id]]),
                        session_id=session.pk,
                        body=text,
                        body_html=html,
                        created_at=when,
                        updated_at=when,
                    )
                )
        SessionProblem.objects.bulk_create(problems)
        MentoringQuestion.objects.bulk_create(questions)
        Comment.objects.bulk_create(comments, batch_size=BATCH)
        self.counts["comments"] = self.counts.get("comments", 0) + len(comments)
        return len(sessions)


def populate(learners: int, days: int, out: TextIO, seed: int = 8) -> dict[str, int]:
    """Replace cohort `bench` with `learners` learners × `days` learning days of data."""
    return Populator(learners, days, out, seed).run()
