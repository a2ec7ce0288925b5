"""/write/: today's daily log, by the cohort calendar's rule."""

import datetime as dt
from unittest import mock

from accounts.calendar import CohortCalendar
from tests import factories

TODAY = dt.date(2022, 2, 10)  # Week 04 / Day 016


def at_today():
    return mock.patch.object(CohortCalendar, "today", return_value=TODAY)


def test_it_sends_anonymous_visitors_to_the_login(client):
    response = client.get("/write/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/write/")


def test_it_opens_a_new_daily_log_for_today_creating_nothing(login, learner, cohort):
    with at_today():
        response = login(learner).get("/write/")
    assert response.status_code == 302
    assert response["Location"] == "/entries/new/?kind=daily&date=2022-02-10&cohort=ai-tech-3"
    assert not learner.entries.exists()


def test_it_opens_todays_log_when_it_exists(login, learner, cohort):
    entry = factories.make_entry(learner, cohort, learning_date=TODAY)
    with at_today():
        response = login(learner).get("/write/")
    assert response["Location"] == f"/entries/{entry.pk}/edit/"


def test_a_mentor_is_sent_to_a_new_note(login, mentor, cohort):
    with at_today():
        response = login(mentor).get("/write/")
    assert response["Location"] == "/entries/new/?kind=note&date=2022-02-10&cohort=ai-tech-3"


def test_an_outsider_and_an_operator_are_told_they_write_in_no_cohort(login, outsider, operator):
    for user in (outsider, operator):
        response = login(user).get("/write/")
        assert response.status_code == 200
        assert "logs/entry_no_cohort.html" in [t.name for t in response.templates]


def test_it_uses_the_cohorts_cut_off_hour(login, learner, cohort):
    # 01:20 on Thursday in Seoul is still Wednesday's log.
    late_night = dt.datetime(2022, 2, 9, 16, 20, tzinfo=dt.UTC)
    real_today = CohortCalendar.today
    with mock.patch.object(
        CohortCalendar, "today", lambda self, now=None: real_today(self, late_night)
    ):
        response = login(learner).get("/write/")
    assert "date=2022-02-09" in response["Location"]


def test_after_the_cohort_ends_it_opens_the_day_after_the_last_log(login, learner, cohort):
    factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, 9))
    # No mock: the real today (years after the fixture cohort's 2022 dates).
    response = login(learner).get("/write/", follow=False)
    assert response["Location"] == "/entries/new/?kind=daily&date=2022-02-10&cohort=ai-tech-3"


def test_before_any_log_outside_the_cohort_it_opens_the_first_learning_day(login, learner, cohort):
    response = login(learner).get("/write/")
    assert response["Location"] == "/entries/new/?kind=daily&date=2022-01-17&cohort=ai-tech-3"
