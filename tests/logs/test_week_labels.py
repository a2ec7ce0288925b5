"""Weeks read the same everywhere: "04주차" in Korean ("Week 04" in English), from one
formatting function (the `week_label` filter)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.calendar import CohortCalendar
from logs.templatetags.camplog import week_label


@pytest.mark.parametrize(("language", "expected"), [("ko", "04주차"), ("en", "Week 04")])
def test_the_label_pads_the_week_and_translates(language, expected):
    with translation.override(language):
        assert week_label(4) == expected


def test_the_board_says_04주차_like_the_other_pages(client, login, operator, cohort, monkeypatch):
    monkeypatch.setattr(CohortCalendar, "today", lambda self, now=None: dt.date(2022, 2, 9))
    client = login(operator)
    html = client.get(
        reverse("logs:board", args=[cohort.slug]), HTTP_ACCEPT_LANGUAGE="ko"
    ).content.decode()
    assert "운영 현황판 · 04주차" in html
    assert "‹ 03주차" in html and "05주차 ›" in html
    assert "Week 0" not in html


def test_a_learner_s_own_empty_page_speaks_to_her(login, learner, teammate):
    own = login(learner).get(reverse("logs:learner", args=["learner"]), HTTP_ACCEPT_LANGUAGE="en")
    assert "You have not written a log yet" in own.content.decode()
    other = login(teammate).get(
        reverse("logs:learner", args=["learner"]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "This learner has no logs you can see yet" in other.content.decode()
