"""The learner page /u/<username>/: profile, heatmap, streaks, timeline."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.calendar import CohortCalendar
from logs import activity, charts
from tests import factories
from tests.logs.browsing import make_world, populate, week_days

URL = "/u/learner/"


@pytest.fixture
def world(learner, cohort, team):
    return make_world(learner, cohort, team)


def _client(client, request, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


# --- The page ----------------------------------------------------------------------------------


def test_it_shows_the_profile_and_a_heatmap(login, learner, world):
    learner.bio = "attention 덕후"
    learner.save()
    html = login(learner).get(URL).content.decode()
    assert "이캠퍼" in html
    assert "@learner" in html
    assert "attention 덕후" in html
    assert '<svg class="heatmap"' in html
    # Non-learning days are drawn as such: the weekend and the 설날 holidays.
    assert "hm-off" in html
    assert "설날" in html


@pytest.mark.parametrize(
    ("persona", "visible", "hidden"),
    [
        ("learner", ["PRIVATE-LOG", "COHORT-LOG", "PUBLIC-LOG", "DRAFT-LOG"], []),
        ("teammate", ["COHORT-LOG", "PUBLIC-LOG"], ["PRIVATE-LOG", "DRAFT-LOG"]),
        ("mentor", ["COHORT-LOG", "PUBLIC-LOG"], ["PRIVATE-LOG", "DRAFT-LOG"]),
        ("other_learner", ["COHORT-LOG", "PUBLIC-LOG"], ["PRIVATE-LOG", "DRAFT-LOG"]),
        ("operator", ["COHORT-LOG", "PUBLIC-LOG"], ["PRIVATE-LOG", "DRAFT-LOG"]),
        ("anonymous", ["PUBLIC-LOG"], ["PRIVATE-LOG", "COHORT-LOG", "DRAFT-LOG"]),
        ("outsider", ["PUBLIC-LOG"], ["PRIVATE-LOG", "COHORT-LOG", "DRAFT-LOG"]),
        ("foreign_operator", ["PUBLIC-LOG"], ["PRIVATE-LOG", "COHORT-LOG", "DRAFT-LOG"]),
    ],
)
def test_the_timeline_lists_exactly_what_the_viewer_may_see(
    client, request, world, persona, visible, hidden
):
    html = _client(client, request, persona).get(URL).content.decode()
    for title in visible:
        assert title in html
    for title in hidden:
        assert title not in html


def test_the_heatmap_counts_only_what_the_viewer_may_see(client, login, learner, world):
    # The private log is on Tue 02-08: a stranger's heatmap must not show activity there.
    own = login(learner).get(URL).content.decode()
    assert 'href="/c/ai-tech-3/days/2022-02-08/"' in own
    client.logout()
    public = client.get(URL).content.decode()
    assert 'href="/c/ai-tech-3/days/2022-02-08/"' not in public
    assert 'href="/c/ai-tech-3/days/2022-02-10/"' in public


def test_team_and_role_show_only_to_members_of_the_cohort(client, login, learner, outsider, world):
    assert "7조" in login(learner).get(URL).content.decode()
    client.force_login(outsider)
    assert "7조" not in client.get(URL).content.decode()


def test_the_timeline_is_grouped_by_week_and_paginated(login, learner, cohort):
    cal = cohort.calendar
    days = list(cal.learning_days())[:25]
    for d in days:
        factories.make_entry(learner, cohort, learning_date=d)
    client = login(learner)
    first = client.get(URL)
    weeks = [group.week for group in first.context["timeline"]]
    assert weeks == sorted(set(weeks), reverse=True)
    assert sum(len(g.entries) for g in first.context["timeline"]) == 20
    second = client.get(URL + "?page=2")
    assert sum(len(g.entries) for g in second.context["timeline"]) == 5


def test_streaks_show_on_the_page(login, learner, cohort, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2022, 2, 10, 12, tzinfo=dt.UTC))
    for d in (dt.date(2022, 2, 4), dt.date(2022, 2, 7), dt.date(2022, 2, 8), dt.date(2022, 2, 9)):
        factories.make_entry(learner, cohort, learning_date=d)
    streaks = login(learner).get(URL).context["streaks"]
    # Fri 02-04 → Mon 02-07 over the weekend; today (Thu 02-10) is still being written.
    assert (streaks.current, streaks.longest) == (4, 4)


def test_a_learner_with_several_cohorts_can_switch(login, learner, cohort):
    other = factories.make_cohort(
        "ai-tech-4", name="부스트캠프 AI Tech 4기", start_date=dt.date(2022, 1, 17)
    )
    factories.join(learner, other, "learner")
    factories.make_entry(learner, other, title="FOURTH-COHORT-LOG")
    client = login(learner)
    assert client.get(URL + "?cohort=ai-tech-3").context["cohort"] == cohort
    html = client.get(URL + "?cohort=ai-tech-4").content.decode()
    assert "FOURTH-COHORT-LOG" in html


def test_someone_in_no_cohort_gets_a_page_without_a_heatmap(client, outsider):
    response = client.get("/u/outsider/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "heatmap" not in html
    assert "No logs to show" in html


def test_an_unknown_or_inactive_user_is_a_404(client, learner):
    assert client.get("/u/nobody/").status_code == 404
    learner.is_active = False
    learner.save()
    assert client.get(URL).status_code == 404


def test_the_learner_page_links_its_atom_feed(client, learner):
    html = client.get(URL).content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/feeds/u/learner/"' in html


@pytest.mark.parametrize("days", [1, 5])
def test_the_learner_page_runs_a_fixed_number_of_queries(
    login, teammate, cohort, django_assert_num_queries, days
):
    """With nothing cached: the session with its user; the page's cache versions with the
    unread count; the viewer's roles; the learner; their memberships (with cohorts and teams)
    and the calendars' holidays and stages (the shown cohort is not fetched again); the heatmap
    counts (grouped by day: not a query per day); the count and the page of the timeline
    (comment counts and tags in the row)."""
    populate(cohort, 2, week_days(days))
    client = login(teammate)
    with django_assert_num_queries(10):
        response = client.get("/u/p000/")
    assert len(response.context["timeline"][0].entries) == days


# --- Streaks and heatmap cells (pure) ----------------------------------------------------------

CAL = CohortCalendar(
    start=dt.date(2022, 1, 17),
    end=dt.date(2022, 6, 10),
    non_learning_days=frozenset({dt.date(2022, 1, 31), dt.date(2022, 2, 1), dt.date(2022, 2, 2)}),
)


def test_a_streak_runs_over_weekends_and_holidays():
    active = {dt.date(2022, 1, 27), dt.date(2022, 1, 28), dt.date(2022, 2, 3), dt.date(2022, 2, 4)}
    result = activity.streaks(CAL, active, today=dt.date(2022, 2, 4))
    assert (result.current, result.longest) == (4, 4)


def test_a_missed_learning_day_breaks_the_streak():
    active = {dt.date(2022, 2, 7), dt.date(2022, 2, 9), dt.date(2022, 2, 10)}
    result = activity.streaks(CAL, active, today=dt.date(2022, 2, 10))
    assert (result.current, result.longest) == (2, 2)


def test_today_without_a_log_does_not_break_the_streak_yet():
    active = {dt.date(2022, 2, 7), dt.date(2022, 2, 8)}
    assert activity.streaks(CAL, active, today=dt.date(2022, 2, 9)).current == 2
    assert activity.streaks(CAL, active, today=dt.date(2022, 2, 10)).current == 0


def test_weekend_entries_do_not_extend_a_streak():
    active = {dt.date(2022, 2, 12), dt.date(2022, 2, 13)}
    result = activity.streaks(CAL, active, today=dt.date(2022, 2, 14))
    assert (result.current, result.longest, result.active_days) == (0, 0, 0)


def test_no_activity_and_before_the_start_are_zero():
    assert activity.streaks(CAL, set(), today=dt.date(2022, 3, 1)).longest == 0
    before = activity.streaks(CAL, set(), today=dt.date(2022, 1, 1))
    assert (before.current, before.learning_days) == (0, 0)


def test_heatmap_weeks_mark_learning_off_and_outside_days():
    weeks = activity.heatmap_weeks(CAL, {dt.date(2022, 2, 9): 2}, today=dt.date(2022, 2, 10))
    assert len(weeks) == CAL.week_count and all(len(w) == 7 for w in weeks)
    week3 = {d.date: d.state for d in weeks[2]}
    assert week3[dt.date(2022, 1, 31)] == "off"  # 설날
    assert week3[dt.date(2022, 2, 3)] == "learning"
    assert week3[dt.date(2022, 2, 5)] == "off"  # Saturday
    wed = weeks[3][2]
    assert (wed.count, wed.label) == (2, "Week 04 / Day 015")
    assert weeks[3][4].state == "outside"  # Friday 02-11 is still to come


def test_the_heatmap_svg_escapes_every_text():
    svg = charts.heatmap_svg(
        [[charts.HeatCell(title='<script>"x"</script>', level=9, url='/a?"b"')]],
        ["<W1>"],
        ["&"],
        title="<t>",
        description="</desc>",
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;&quot;x&quot;" in svg
    assert 'href="/a?&quot;b&quot;"' in svg
    assert "hm-level-4" in svg  # levels are clamped
    assert "&lt;W1&gt;" in svg and "&amp;" in svg


def test_the_bar_chart_scales_and_escapes():
    svg = charts.bar_chart_svg(
        [charts.Bar(13, "<b>"), charts.Bar(0, "zero", label="W01", highlight=True)], title="t"
    )
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    assert ">20</text>" in svg  # 13 rounds up to a scale of 20 in four steps of 5
    assert "is-highlight" in svg
    assert charts.bar_chart_svg([], title="empty").startswith("<svg")


def test_heat_level_saturates_at_four():
    assert [charts.heat_level(n) for n in (0, 1, 3, 4, 50)] == [0, 1, 3, 4, 4]
