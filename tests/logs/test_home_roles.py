"""The role-aware home and header: each role lands on what it uses and reaches it from the
header in one click; a member of several cohorts switches between them; the query counts of the
home and of a page with the header, for each role."""

import datetime as dt

import pytest
from django.urls import reverse

from logs.models import Entry, MentoringQuestion
from tests import factories


@pytest.fixture(autouse=True)
def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _html(client, url: str = "/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _header(html: str) -> str:
    return html[html.index('<header class="site-header">') : html.index("</header>")]


WRITE = f'href="{reverse("logs:today")}"'
MENTOR = f'href="{reverse("logs:mentor")}"'
ADMIN = f'href="{reverse("admin:index")}"'


def _board(cohort) -> str:
    return f'href="{reverse("logs:board", args=[cohort.slug])}"'


# --- The header links what each role uses --------------------------------------------------


def test_a_learner_has_her_log_and_no_running_links(login, learner, cohort):
    header = _header(_html(login(learner)))
    assert WRITE in header
    assert MENTOR not in header and _board(cohort) not in header and ADMIN not in header


def test_a_mentor_has_the_mentor_page_and_no_log_of_her_own(login, mentor, learner, cohort):
    header = _header(_html(login(mentor)))
    assert MENTOR in header
    assert WRITE not in header and _board(cohort) not in header and ADMIN not in header


def test_an_operator_has_the_board_and_the_admin(login, operator, cohort):
    header = _header(_html(login(operator)))
    assert _board(cohort) in header and ADMIN in header
    assert WRITE not in header and MENTOR not in header


def test_an_outsider_has_neither_a_cohort_nor_a_board(login, outsider, cohort):
    header = _header(_html(login(outsider)))
    assert reverse("logs:cohort_home", args=[cohort.slug]) not in header
    assert _board(cohort) not in header and ADMIN not in header and WRITE not in header


def test_every_role_has_notifications_and_search(login, learner, mentor, operator):
    for user in (learner, mentor, operator):
        header = _header(_html(login(user)))
        assert f'href="{reverse("logs:notifications")}"' in header
        assert f'action="{reverse("logs:search")}"' in header


def test_the_board_page_marks_the_board_link(login, operator, cohort):
    header = _header(_html(login(operator), reverse("logs:board", args=[cohort.slug])))
    assert f'{_board(cohort)} aria-current="page"' in header


# --- Home by role --------------------------------------------------------------------------


def test_a_learner_lands_on_writing_today(login, learner):
    html = _html(login(learner))
    assert "Write today&#x27;s log" in html or "Write today's log" in html


def test_a_mentor_lands_on_her_teams_today(login, mentor, learner, team, cohort):
    factories.make_entry(learner, cohort, title="멘티의 새 기록")
    session = factories.make_session(team, kind="mentoring", title="멘토링 세션")
    MentoringQuestion.objects.create(session=session, number=1, question="Adam과 SGD?")
    html = _html(login(mentor))
    assert "Write today" not in html
    assert "Questions waiting for you" in html and "Adam과 SGD?" in html
    assert "멘토링 세션" in html
    assert "멘티의 새 기록" in html


def test_an_operator_lands_on_the_board_of_the_latest_week_with_logs(
    login, operator, learner, teammate, cohort
):
    factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, 9), title="4주차 기록")
    html = _html(login(operator))
    assert "Write today" not in html
    board_of_week_04 = f'href="{reverse("logs:board", args=[cohort.slug])}?week=4"'
    assert board_of_week_04 in html.split("</header>", 1)[1]
    # The cohort ended in June 2022: its last week is zeros; week 04 has a log.
    assert "Logs written in Week 04" in html
    assert "1 / 2" in html


def test_an_operator_is_not_told_to_ask_an_operator(login, operator, cohort):
    html = _html(login(operator), reverse("logs:today"))
    assert "Operators do not write daily logs" in html
    assert "operators add you" not in html
    assert _board(cohort) in html


def test_a_mentor_in_one_cohort_and_a_learner_in_another_gets_the_home_of_the_current_one(
    login, mentor, learner, team, cohort
):
    later = factories.make_cohort("later", name="나중 기수")  # same start, created later
    factories.join(mentor, later, "learner", factories.make_team(later))
    client = login(mentor)
    assert "Write today" in _html(client)  # the later cohort is current by default
    client.post(reverse("logs:switch_cohort"), {"cohort": cohort.pk, "next": "/"})
    assert "Questions waiting for you" in _html(client)


# --- Several cohorts -----------------------------------------------------------------------


@pytest.fixture
def second_cohort(learner):
    other = factories.make_cohort("ai-tech-4", name="부스트캠프 AI Tech 4기")
    factories.join(learner, other, "learner", factories.make_team(other))
    return other


def _current_cohort_link(header: str, cohort) -> bool:
    return f'<a href="{reverse("logs:cohort_home", args=[cohort.slug])}"' in header


def test_the_header_switches_between_my_cohorts(login, learner, cohort, second_cohort):
    client = login(learner)
    header = _header(_html(client))
    # The two cohorts start the same day; the later created counts as the latest.
    assert _current_cohort_link(header, second_cohort)
    assert "Switch cohort" in header
    assert f'value="{cohort.pk}"' in header and f'value="{second_cohort.pk}"' in header

    response = client.post(reverse("logs:switch_cohort"), {"cohort": cohort.pk, "next": "/x/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("logs:cohort_home", args=[cohort.slug])
    header = _header(_html(client))
    assert _current_cohort_link(header, cohort)
    assert f'value="{cohort.pk}" aria-current="true"' in header


def test_a_cohort_page_makes_its_cohort_current(login, learner, cohort, second_cohort):
    client = login(learner)
    header = _header(_html(client, reverse("logs:cohort_home", args=[cohort.slug])))
    assert _current_cohort_link(header, cohort)
    assert f'{reverse("logs:cohort_home", args=[cohort.slug])}" aria-current="page"' in header


def test_nobody_switches_to_a_cohort_they_are_not_in(login, learner, foreign_operator):
    from accounts.models import Cohort

    other = Cohort.objects.get(slug="other-cohort")
    response = login(learner).post(reverse("logs:switch_cohort"), {"cohort": other.pk})
    assert response.status_code == 404


def test_switching_needs_a_login_and_a_post(client, login, learner, cohort):
    assert client.post(reverse("logs:switch_cohort"), {"cohort": cohort.pk}).status_code == 302
    assert login(learner).get(reverse("logs:switch_cohort")).status_code == 405


def test_a_single_cohort_has_no_switcher(login, learner):
    assert "Switch cohort" not in _header(_html(login(learner)))


# --- Query counts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "queries"),
    [
        # session with user, memberships, mentored teams, roster versions, three roster
        # queries, the roles (header, navigation)
        ("learner", 8),
        # the same, plus the mentor's three lists (sessions, questions, logs)
        ("mentor", 11),
        # session with user, the roles, memberships, mentored teams (no team, so no roster),
        # then the board: the cohort with its calendar, the latest week with logs, the day
        # totals, the learner count
        ("operator", 8),
    ],
)
def test_the_home_query_count_per_role(
    request, login, learner, mentor, operator, team, persona, queries, django_assert_num_queries
):
    client = login(request.getfixturevalue(persona))
    with django_assert_num_queries(queries):
        client.get("/")


@pytest.mark.parametrize("persona", ["learner", "mentor", "operator", "outsider"])
def test_a_page_with_the_header_costs_the_same_for_every_role(
    request, login, learner, mentor, operator, persona, django_assert_num_queries
):
    """The tag list: the session with its user, the roles (header and navigation, one query
    whatever the role), the tags. Role links add no query."""
    client = login(request.getfixturevalue(persona))
    with django_assert_num_queries(3):
        client.get(reverse("logs:tag_list"))


def test_entries_do_not_change_the_header_cost(login, learner, cohort, django_assert_num_queries):
    client = login(learner)
    for day in range(7, 12):
        factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, day))
    assert Entry.objects.count() == 5
    with django_assert_num_queries(3):
        client.get(reverse("logs:tag_list"))


def test_staff_outside_any_cohort_are_sent_to_the_admin_not_to_an_operator(login, db):
    staff = factories.make_user("staff", is_staff=True)
    html = _html(login(staff))
    assert "created in the admin" in html and "operators add you" not in html
    assert ADMIN in _header(html)
