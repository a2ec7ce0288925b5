"""The operator's board: /c/<slug>/board/?week=N and its CSV."""

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.calendar import CohortCalendar
from accounts.models import Membership
from logs.models import Entry
from logs.views import board as board_view
from tests import factories

D = dt.date


@pytest.fixture(autouse=True)
def english():
    """Assertions read the English msgids, whatever catalogs are compiled."""
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(autouse=True)
def today_is_the_seed_day(monkeypatch):
    """Wednesday of Week 04 (2022-02-09): Thursday and Friday are still ahead."""
    monkeypatch.setattr(CohortCalendar, "today", lambda self, now=None: D(2022, 2, 9))


def url(cohort, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("logs:board", args=[cohort.slug]) + (f"?{query}" if query else "")


def csv_url(cohort, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("logs:board_csv", args=[cohort.slug]) + (f"?{query}" if query else "")


@pytest.fixture
def week4(learner, teammate, other_learner, cohort):
    """learner: published 02-07, private 02-08, draft 02-09; teammate: published 02-07 and 02-08."""
    return {
        "published": factories.make_entry(learner, cohort, learning_date=D(2022, 2, 7)),
        "private": factories.make_entry(
            learner, cohort, learning_date=D(2022, 2, 8), visibility="private"
        ),
        "draft": factories.make_entry(
            learner, cohort, learning_date=D(2022, 2, 9), status=Entry.Status.DRAFT
        ),
        "teammate 7": factories.make_entry(teammate, cohort, learning_date=D(2022, 2, 7)),
        "teammate 8": factories.make_entry(teammate, cohort, learning_date=D(2022, 2, 8)),
    }


def rows_by_username(response) -> dict:
    return {row.membership.user.username: row for row in response.context["rows"]}


# Who sees it


def test_a_visitor_is_asked_to_log_in(client, cohort):
    for target in (url(cohort), csv_url(cohort)):
        response = client.get(target)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "persona",
    [
        "learner",
        "teammate",
        "other_learner",
        "mentor",
        "other_mentor",
        "foreign_operator",
        "outsider",
    ],
)
def test_it_is_not_there_for_anyone_but_the_cohorts_operators(request, login, cohort, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(url(cohort)).status_code == 404
    assert client.get(csv_url(cohort)).status_code == 404


@pytest.mark.parametrize("persona", ["operator", "superuser"])
def test_the_cohorts_operator_and_a_superuser_see_it(request, login, cohort, learner, persona):
    if persona == "superuser":
        user = factories.make_user("root", is_superuser=True, is_staff=True)
    else:
        user = request.getfixturevalue(persona)
    assert login(user).get(url(cohort)).status_code == 200


def test_an_unknown_cohort_is_a_404(login, operator):
    assert login(operator).get("/c/nope/board/").status_code == 404


def test_it_only_answers_get(login, operator, cohort):
    assert login(operator).post(url(cohort)).status_code == 405


# What it shows


def test_it_shows_the_weeks_learning_days_as_columns(login, operator, cohort, learner):
    response = login(operator).get(url(cohort, week=4))
    days = response.context["board"].days
    assert [d.date for d in days] == [D(2022, 2, 7) + dt.timedelta(days=i) for i in range(5)]
    assert [d.number for d in days] == [13, 14, 15, 16, 17]
    assert [d.upcoming for d in days] == [False, False, False, True, True]
    assert "Day 015" in response.text and "02-09 수" in response.text


def test_a_week_with_holidays_has_fewer_columns(login, operator, cohort, learner):
    response = login(operator).get(url(cohort, week=3))  # 설날: Mon–Wed are holidays
    assert [d.date for d in response.context["board"].days] == [D(2022, 2, 3), D(2022, 2, 4)]


def test_it_defaults_to_the_current_week(login, operator, cohort, learner):
    assert login(operator).get(url(cohort)).context["board"].week == 4


def test_it_marks_who_wrote_which_day(login, operator, cohort, week4):
    rows = rows_by_username(login(operator).get(url(cohort, week=4)))
    assert set(rows) == {"learner", "learner2", "other_learner"}
    assert [c.state for c in rows["learner"].cells] == [
        "written",
        "written",
        "draft",
        "upcoming",
        "upcoming",
    ]
    assert [c.state for c in rows["learner2"].cells] == [
        "written",
        "written",
        "missing",
        "upcoming",
        "upcoming",
    ]
    assert [c.state for c in rows["other_learner"].cells] == [
        "missing",
        "missing",
        "missing",
        "upcoming",
        "upcoming",
    ]
    assert (rows["learner"].written, rows["learner"].due) == (2, 3)


def test_it_links_only_the_logs_the_operator_may_read(login, operator, cohort, week4):
    response = login(operator).get(url(cohort, week=4))
    cells = rows_by_username(response)["learner"].cells
    assert cells[0].entry_id == week4["published"].pk
    assert cells[1].entry_id is None  # private: a tick, never a link
    assert cells[2].entry_id is None  # a draft is nobody's business yet
    assert reverse("logs:entry_detail", args=[week4["private"].pk]) not in response.text
    assert reverse("logs:entry_detail", args=[week4["published"].pk]) in response.text


def test_it_totals_each_day(login, operator, cohort, week4):
    response = login(operator).get(url(cohort, week=4))
    assert response.context["day_totals"] == [2, 2, 0, 0, 0]
    assert response.context["learner_total"] == 3
    assert "2 / 3" in response.text


def test_mentors_and_operators_are_not_rows(login, operator, cohort, learner, mentor):
    rows = rows_by_username(login(operator).get(url(cohort, week=4)))
    assert set(rows) == {"learner"}


def test_weekly_logs_and_notes_do_not_count(login, operator, cohort, learner):
    factories.make_entry(
        learner, cohort, learning_date=D(2022, 2, 7), kind=Entry.Kind.NOTE, title="논문"
    )
    rows = rows_by_username(login(operator).get(url(cohort, week=4)))
    assert rows["learner"].cells[0].state == "missing"


def test_another_cohorts_logs_do_not_count(login, operator, cohort, learner):
    other = factories.make_cohort("other")
    factories.join(learner, other, "learner")
    factories.make_entry(learner, other, learning_date=D(2022, 2, 7))
    rows = rows_by_username(login(operator).get(url(cohort, week=4)))
    assert rows["learner"].cells[0].state == "missing"


def test_a_team_filter_shows_that_team(login, operator, cohort, week4, other_team):
    response = login(operator).get(url(cohort, week=4, team=other_team.pk))
    assert set(rows_by_username(response)) == {"other_learner"}
    assert response.context["day_totals"] == [0, 0, 0, 0, 0]


@pytest.mark.parametrize("week", ["abc", "0", "99", "-1"])
def test_a_bad_week_says_so_and_shows_the_current_week(login, operator, cohort, learner, week):
    response = login(operator).get(url(cohort, week=week))
    assert response.status_code == 200
    assert response.context["board"].week == 4
    assert f"There is no week “{week}”" in response.text


def test_an_unknown_team_says_so_and_shows_everyone(
    login, operator, cohort, learner, other_learner
):
    response = login(operator).get(url(cohort, team="999999"))
    assert "That team is not in this cohort" in response.text
    assert set(rows_by_username(response)) == {"learner", "other_learner"}


def test_a_week_without_learning_days_says_so(login, operator, db):
    cohort = factories.make_cohort("short")
    factories.join(operator, cohort, "operator")
    factories.join(factories.make_user(), cohort, "learner")
    cohort.non_learning_days.all().delete()
    for day in range(7, 12):
        cohort.non_learning_days.create(date=D(2022, 2, day), name="방학")
    response = login(operator).get(url(cohort, week=4))
    assert "No learning days this week" in response.text


def test_a_cohort_without_learners_says_what_to_do(login, operator, cohort):
    response = login(operator).get(url(cohort, week=4))
    assert "No learners yet" in response.text


def test_the_cohort_admin_links_here(login, operator, cohort, learner):
    from accounts.operators import grant_operator_access

    grant_operator_access(operator)
    page = login(operator).get(reverse("admin:accounts_cohort_change", args=[cohort.pk]))
    assert url(cohort) in page.text


def test_learners_are_paginated(login, operator, cohort, team, monkeypatch):
    monkeypatch.setattr(board_view, "PAGE_SIZE", 2)
    for _ in range(5):
        factories.join(factories.make_user(), cohort, "learner", team)
    client = login(operator)
    first = client.get(url(cohort, week=4))
    assert len(first.context["rows"]) == 2 and first.context["learner_total"] == 5
    last = client.get(url(cohort, week=4, page=3))
    assert len(last.context["rows"]) == 1
    assert "week=4" in first.context["query_string"]


# Query counts


def _learners_with_logs(cohort, team, n: int) -> None:
    for _ in range(n):
        user = factories.make_user()
        factories.join(user, cohort, "learner", team)
        for day in (7, 8, 9):
            factories.make_entry(user, cohort, learning_date=D(2022, 2, day))


@pytest.mark.parametrize("learners", [2, 12])
def test_the_board_answers_in_constant_queries(
    login, operator, cohort, team, django_assert_num_queries, learners
):
    _learners_with_logs(cohort, team, learners)
    client = login(operator)
    # the session with its user, the cohort with its calendar, the operator's roles (with the
    # header's cohort and the unread count), teams, the learner count and page (2), ONE query
    # for every cell's log (not one per learner or per cell), and the day totals.
    with django_assert_num_queries(8):
        assert client.get(url(cohort, week=4)).status_code == 200


@pytest.mark.parametrize("learners", [2, 12])
def test_the_csv_answers_in_constant_queries(
    login, operator, cohort, team, django_assert_num_queries, learners
):
    _learners_with_logs(cohort, team, learners)
    client = login(operator)
    # session with its user, roles (1), cohort with its calendar (3), teams, learners, their logs
    with django_assert_num_queries(6):
        assert client.get(csv_url(cohort, week=4)).status_code == 200


# CSV


def test_the_csv_has_one_row_per_learner_and_excel_reads_the_korean(login, operator, cohort, week4):
    response = login(operator).get(csv_url(cohort, week=4))
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="board-ai-tech-3-week04.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert table[0][3:8] == [
        f"2022-02-{d:02d} (Day {n:03d})" for d, n in zip(range(7, 12), range(13, 18), strict=True)
    ]
    by_user = {row[0]: row for row in table[1:]}
    assert by_user["learner"][1:3] == ["이캠퍼", "7조"]
    assert by_user["learner"][3:] == ["1", "1", "0", "", "", "2", "3"]
    assert by_user["learner2"][3:] == ["1", "1", "0", "", "", "2", "3"]
    assert len(table) == 4


def test_the_csv_follows_the_team_filter(login, operator, cohort, week4, other_team):
    response = login(operator).get(csv_url(cohort, week=4, team=other_team.pk))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["other_learner"]


def test_the_csv_defuses_names_a_spreadsheet_would_run(login, operator, cohort, team):
    user = factories.make_user("sneaky", display_name='=HYPERLINK("http://evil")')
    Membership.objects.create(user=user, cohort=cohort, role="learner", team=team)
    response = login(operator).get(csv_url(cohort, week=4))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
