"""`manage.py bench`: the data it populates and a tiny end-to-end run (issue #8)."""

import io
import json

import pytest
from django.core.management import call_command

from accounts.models import Cohort, Membership, Team, User
from bench import populate
from logs import markdown
from logs.models import Comment, Entry, Session, TaggedEntry


def run_bench(*args: str) -> str:
    out = io.StringIO()
    call_command("bench", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def populated(db):
    return run_bench("--populate-only", "--learners", "3", "--days", "5")


def test_it_populates_cohort_bench_with_learners_in_teams_with_mentors(populated):
    cohort = Cohort.objects.get(slug="bench")
    learners = User.objects.filter(
        memberships__cohort=cohort, memberships__role=Membership.Role.LEARNER
    )
    assert sorted(learners.values_list("username", flat=True)) == [
        "bench001",
        "bench002",
        "bench003",
    ]
    team = Team.objects.get(cohort=cohort)
    assert team.mentors.count() == 1
    assert Membership.objects.filter(cohort=cohort, team=team).count() == 3
    assert "3 learners" in populated and "daily_logs" in populated


def test_it_writes_one_daily_log_per_learner_per_learning_day(populated):
    cohort = Cohort.objects.get(slug="bench")
    daily = Entry.objects.filter(cohort=cohort, kind=Entry.Kind.DAILY)
    assert daily.count() == 15
    days = list(cohort.calendar.learning_days())
    assert len(days) == 5
    assert set(daily.values_list("learning_date", flat=True)) == set(days)
    entry = daily.get(author__username="bench001", learning_date=days[2])
    assert entry.title == cohort.calendar.daily_title(days[2]) == "[Week 01 / Day 003] 학습 기록"
    assert entry.week == 1 and entry.day_number == 3 and entry.stage is not None


def test_logs_are_realistic_korean_markdown_of_2_to_6_kb(populated):
    bodies = list(Entry.objects.filter(kind=Entry.Kind.DAILY).values_list("body", flat=True))
    for body in bodies:
        assert 2_000 <= len(body.encode()) <= 6_500
        assert "## **📝 오늘 한 일**" in body and "- [x] " in body and "    - " in body
        assert "## **🚀 내일 할 일**" in body
    assert any("$" in body for body in bodies)  # math in some


def test_stored_html_is_what_the_pipeline_renders_for_that_body(populated):
    """Bodies are rendered once per template and varied by a plain-text token: the stored HTML
    must still be exactly what saving the entry would store (checkboxes toggle the right line)."""
    for entry in Entry.objects.filter(kind=Entry.Kind.DAILY)[:6]:
        rendered = markdown.render(entry.body)
        assert entry.body_html == rendered.html
        assert entry.excerpt == rendered.excerpt
        assert entry.has_math == rendered.has_math
        assert f"{entry.day_number:03d}일차" in entry.body


def test_logs_carry_tags_from_the_vocabulary(populated):
    entry = Entry.objects.filter(kind=Entry.Kind.DAILY).first()
    names = set(entry.tags.names())
    assert {"부스트캠프AITech", "daily-log", "week01"} <= names
    assert TaggedEntry.objects.count() >= 15 * 4


def test_it_adds_sessions_comments_and_keeps_creation_times_in_the_evening(populated):
    cohort = Cohort.objects.get(slug="bench")
    sessions = Session.objects.filter(cohort=cohort)
    assert sessions.filter(kind=Session.Kind.PEER).count() == 5
    assert sessions.filter(kind=Session.Kind.MENTORING).count() == 1
    assert sessions.first().attendees.count() == 3
    assert Comment.objects.filter(entry__cohort=cohort).exists()
    entry = Entry.objects.filter(cohort=cohort).order_by("pk").first()
    local = entry.created_at.astimezone(populate.SEOUL)
    assert local.hour in {21, 22, 23, 0, 1}


def test_populating_again_replaces_the_cohort(populated):
    run_bench("--populate-only", "--learners", "2", "--days", "3")
    assert Entry.objects.filter(kind=Entry.Kind.DAILY).count() == 6
    assert User.objects.filter(username__startswith="bench0").count() == 2
    assert Cohort.objects.filter(slug="bench").count() == 1


def test_it_refuses_a_size_below_one(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run_bench("--populate-only", "--learners", "0")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_tiny_end_to_end_run_serves_loads_and_reports(tmp_path):
    out = run_bench(
        "--in-place",
        "--learners",
        "3",
        "--days",
        "5",
        "--duration",
        "1",
        "--pages",
        "healthz,entry",
        "--import-posts",
        "20",
        "--evening",
        "3",
        "--output-dir",
        str(tmp_path),
    )

    assert "healthz" in out and "Targets (issue #8)" in out
    [written] = tmp_path.glob("*.json")
    results = json.loads(written.read_text())
    pages = {page["name"]: page for page in results["pages"]}
    assert set(pages) == {"healthz", "entry"}
    for page in pages.values():
        assert page["status"] == "ok"
        assert page["requests"] > 0
        assert page["errors"] == 0
        assert page["p95_ms"] > 0
        assert page["bytes"] > 0
    assert pages["healthz"]["queries"] == 1
    assert 0 < pages["entry"]["queries"] <= 12
    assert 0 < pages["entry"]["cached_queries"] < pages["entry"]["queries"]
    assert pages["healthz"]["ratio"] == 1.0
    assert results["entry_weight"]["assets_cached_for_a_year"] is True
    assert results["data"]["daily_logs"] == 15
    assert results["machine"]["cores"] >= 1
    # The 22:00 mix: one step of a tiny cohort, every preview, autosave, save and page a 200.
    [step] = results["evening"]
    assert (step["writers"], step["readers"]) == (1, 2)
    assert step["previews"] > 0 and step["pages"] > 0 and step["writes"] >= 2
    assert step["errors"] == 0
    assert Entry.objects.filter(title="밤 10시의 노트", author__username="bench001").exists()
    assert "22:00 mix" in out
