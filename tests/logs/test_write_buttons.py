"""Ways to start writing: the header's write menu (today's daily log, this week's weekly log, a
note, a missed day), /write/?kind=…, the missed days page (/write/missed/), and the calls to action
on the week page and a learner's own empty page."""

import datetime as dt
from unittest import mock

import pytest

from accounts.calendar import CohortCalendar
from tests import factories

TODAY = dt.date(2022, 2, 10)  # Week 04 / Day 016
WEEK = "/c/ai-tech-3/weeks/4/"
MISSED = "/write/missed/"


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def at_today():
    with mock.patch.object(CohortCalendar, "today", return_value=TODAY):
        yield


# --- The header's menu ----------------------------------------------------------------------


def test_the_header_offers_the_four_ways_to_write(login, learner, cohort):
    html = login(learner).get("/").content.decode()
    menu = html[html.index('class="menu write-menu"') :]
    menu = menu[: menu.index("</details>")]
    for href, label in (
        ('href="/write/"', "Today's daily log"),
        ('href="/write/?kind=weekly"', "This week's weekly log"),
        ('href="/write/?kind=note"', "Write a note"),
        ('href="/write/missed/"', "Write a missed day"),
    ):
        assert f"{href}>{label}</a>" in menu


def test_a_visitor_gets_no_write_menu(client, cohort):
    assert "write-menu" not in client.get("/").content.decode()


# --- /write/?kind= --------------------------------------------------------------------------


def test_the_weekly_log_of_this_week_opens_new_then_existing(login, learner, cohort, at_today):
    client = login(learner)
    response = client.get("/write/?kind=weekly")
    assert response["Location"] == "/entries/new/?kind=weekly&date=2022-02-10&cohort=ai-tech-3"
    weekly = factories.make_entry(
        learner, cohort, kind="weekly", learning_date=dt.date(2022, 2, 11), title="주간"
    )
    assert client.get("/write/?kind=weekly")["Location"] == f"/entries/{weekly.pk}/edit/"


def test_a_note_is_always_a_new_one(login, learner, cohort, at_today):
    factories.make_entry(learner, cohort, kind="note", learning_date=TODAY, title="노트")
    response = login(learner).get("/write/?kind=note")
    assert response["Location"] == "/entries/new/?kind=note&date=2022-02-10&cohort=ai-tech-3"


def test_a_mentor_asking_for_a_weekly_log_gets_a_note(login, mentor, cohort, at_today):
    response = login(mentor).get("/write/?kind=weekly")
    assert response["Location"] == "/entries/new/?kind=note&date=2022-02-10&cohort=ai-tech-3"


def test_an_unknown_kind_is_a_daily_log_or_a_note(login, learner, cohort, at_today):
    response = login(learner).get("/write/?kind=poem")
    assert "kind=note" in response["Location"]


# --- Missed days ----------------------------------------------------------------------------


def test_it_offers_the_most_recent_learning_days_without_a_log(login, learner, cohort, at_today):
    factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, 8))
    factories.make_entry(learner, cohort, kind="note", learning_date=dt.date(2022, 2, 7), title="n")
    response = login(learner).get(MISSED)
    assert response.status_code == 200
    days = [d["date"] for d in response.context["days"]]
    # Today (the 10th) is not missed yet; the 8th is written; 설날 (1–2 Feb) is no learning day;
    # a note is not a daily log; five at most, newest first.
    assert days == [
        dt.date(2022, 2, 9),
        dt.date(2022, 2, 7),
        dt.date(2022, 2, 4),
        dt.date(2022, 2, 3),
        dt.date(2022, 1, 28),
    ]
    html = response.content.decode()
    assert 'href="/entries/new/?kind=daily&amp;date=2022-02-09&amp;cohort=ai-tech-3"' in html
    assert "Week 04 / Day 015" in html


def test_with_nothing_missed_it_says_so(login, learner, cohort):
    with mock.patch.object(CohortCalendar, "today", return_value=dt.date(2022, 1, 18)):
        factories.make_entry(learner, cohort, learning_date=dt.date(2022, 1, 17))
        html = login(learner).get(MISSED).content.decode()
    assert "No missed day" in html


def test_a_mentor_is_offered_a_note_instead(login, mentor, cohort, at_today):
    response = login(mentor).get(MISSED)
    assert response.context["days"] == []
    assert 'href="/write/?kind=note"' in response.content.decode()


def test_someone_in_no_cohort_is_told_so(login, outsider):
    assert "You do not write logs in a cohort yet" in login(outsider).get(MISSED).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(MISSED)["Location"].startswith("/accounts/login/")


def test_the_missed_days_page_is_pinned_at_its_query_count(
    login, learner, cohort, at_today, django_assert_num_queries
):
    """One query for the learner's logs of the days looked at, whatever their number: the
    session with its user, the roles, the cohort with its calendar, the logs."""
    client = login(learner)
    with django_assert_num_queries(4):
        client.get(MISSED)
    for day in (3, 4, 7, 8, 9):
        factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, day))
    with django_assert_num_queries(4):
        client.get(MISSED)


# --- The week page --------------------------------------------------------------------------


def test_a_learner_is_offered_to_write_where_the_week_is_empty(login, learner, teammate, cohort):
    factories.make_entry(teammate, cohort, learning_date=dt.date(2022, 2, 9))
    html = login(learner).get(WEEK).content.decode()
    # Days without any log get a button for the learner's own; the 9th has a teammate's log.
    assert 'href="/entries/new/?kind=daily&amp;date=2022-02-10&amp;cohort=ai-tech-3"' in html
    assert 'date=2022-02-09&amp;cohort=ai-tech-3"' not in html
    assert "Write your log of this day" in html
    assert "Write your weekly log" in html
    bar = html[html.index('class="write-bar"') :]
    bar = bar[: bar.index("</nav>")]
    assert "kind=weekly" in bar and "kind=note" in bar and "/write/missed/" in bar


@pytest.mark.parametrize("persona", ["mentor", "operator", "outsider", "other_learner_elsewhere"])
def test_others_see_the_empty_week_without_a_write_button(request, login, client, cohort, persona):
    if persona == "other_learner_elsewhere":
        other = factories.make_cohort("elsewhere")
        user = factories.make_user("elsewhere_learner")
        factories.join(user, other, "learner")
        client = login(user)
    else:
        client = login(request.getfixturevalue(persona))
    html = client.get(WEEK).content.decode()
    assert "No logs for this day yet." in html
    assert "Write your log of this day" not in html and "write-bar" not in html


def test_a_visitor_sees_no_write_button(client, cohort):
    html = client.get(WEEK).content.decode()
    assert "Write your log of this day" not in html


def test_learners_and_mentors_do_not_share_a_cached_week(login, learner, mentor, cohort):
    """The page is cached per audience: a learner's buttons must not reach the mentor."""
    assert "write-bar" in login(learner).get(WEEK).content.decode()
    assert "write-bar" not in login(mentor).get(WEEK).content.decode()
    assert "write-bar" in login(learner).get(WEEK).content.decode()


def test_future_days_of_the_current_week_get_no_button(login, learner, cohort, at_today):
    html = login(learner).get(WEEK).content.decode()
    assert "date=2022-02-10&amp;cohort" in html  # today
    assert "kind=daily&amp;date=2022-02-11" not in html  # tomorrow


def test_the_week_page_with_buttons_is_pinned_at_its_query_count(
    login, learner, cohort, django_assert_num_queries
):
    """The buttons come from the roles the page already loads: no query of their own."""
    client = login(learner)
    with django_assert_num_queries(9):
        assert "write-bar" in client.get(WEEK).content.decode()


# --- A learner's own empty page -------------------------------------------------------------


def test_a_learners_own_empty_page_offers_to_write(login, learner, teammate, cohort):
    html = login(learner).get("/u/learner/").content.decode()
    assert "You have not written a log yet" in html
    assert 'href="/write/"' in html.split("Your logs will appear here as you write them.")[1]
    other = login(teammate).get("/u/learner/").content.decode()
    assert 'href="/write/"' not in other.split("No logs to show")[1]


def test_the_empty_learner_page_is_pinned_at_its_query_count(
    login, learner, cohort, django_assert_num_queries
):
    """The buttons cost nothing: as test_learner_page's pin, less the timeline's page, which is
    not read when the count says it is empty."""
    client = login(learner)
    with django_assert_num_queries(9):
        assert client.get("/u/learner/").status_code == 200
