"""The entry's invariants in the database, and the version check in the UPDATE."""

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from logs.models import Entry
from tests import factories


def test_it_derives_week_day_and_stage_from_the_calendar(learner, cohort):
    entry = factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, 9))
    assert (entry.week, entry.day_number, entry.stage.slug) == (4, 15, "lv1-u-stage")


def test_a_learner_has_one_daily_log_per_day(learner, cohort):
    factories.make_entry(learner, cohort)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_entry(learner, cohort)


def test_notes_are_not_limited_per_day(learner, cohort):
    factories.make_entry(learner, cohort, kind=Entry.Kind.NOTE, title="논문 1")
    factories.make_entry(learner, cohort, kind=Entry.Kind.NOTE, title="논문 2")
    factories.make_entry(learner, cohort)
    assert Entry.objects.filter(author=learner).count() == 3


def test_a_learner_has_one_weekly_log_per_week(learner, cohort):
    factories.make_entry(learner, cohort, kind=Entry.Kind.WEEKLY, learning_date=dt.date(2022, 2, 7))
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_entry(
            learner, cohort, kind=Entry.Kind.WEEKLY, learning_date=dt.date(2022, 2, 11)
        )


def test_two_learners_each_have_their_daily_log_of_a_day(learner, teammate, cohort):
    factories.make_entry(learner, cohort)
    factories.make_entry(teammate, cohort)


def test_save_checked_writes_when_the_version_is_current(learner, cohort):
    entry = factories.make_entry(learner, cohort)
    entry.body = "바뀐 본문"
    assert entry.save_checked(1) is True
    entry.refresh_from_db()
    assert (entry.version, entry.body) == (2, "바뀐 본문")
    assert "바뀐 본문" in entry.body_html


def test_save_checked_refuses_a_stale_version_and_changes_nothing(learner, cohort):
    entry = factories.make_entry(learner, cohort, body="원래 본문")
    first, second = Entry.objects.get(pk=entry.pk), Entry.objects.get(pk=entry.pk)
    first.body = "첫 번째 탭"
    assert first.save_checked(1)
    second.body = "두 번째 탭"
    assert second.save_checked(1) is False
    entry.refresh_from_db()
    assert (entry.version, entry.body) == (2, "첫 번째 탭")


@pytest.mark.django_db(transaction=True)
def test_two_connections_saving_at_once_cannot_both_win(learner, cohort):
    """Two real database connections: the second UPDATE waits for the first transaction's row
    lock, then re-reads the row, sees the new version and writes nothing."""
    entry = factories.make_entry(learner, cohort, body="원래 본문")
    first_updated = threading.Event()
    release_first = threading.Event()
    results = {}

    def tab(name: str, body: str, before_commit=None):
        try:
            mine = Entry.objects.select_related("cohort").get(pk=entry.pk)
            mine.body = body
            with transaction.atomic():
                results[name] = mine.save_checked(1)
                if before_commit:
                    before_commit()
        finally:
            connection.close()

    def hold_first():
        first_updated.set()
        release_first.wait(5)

    one = threading.Thread(target=tab, args=("one", "첫 번째 탭", hold_first))
    two = threading.Thread(target=tab, args=("two", "두 번째 탭"))
    one.start()
    assert first_updated.wait(5)
    two.start()
    two.join(0.5)
    assert two.is_alive(), "the second UPDATE should wait for the first transaction"
    release_first.set()
    one.join(5)
    two.join(5)
    assert results == {"one": True, "two": False}
    entry.refresh_from_db()
    assert (entry.version, entry.body) == (2, "첫 번째 탭")
