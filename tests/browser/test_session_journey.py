"""In a real Chromium: a learner writes the team's peer session; the mentor comments on it and
answers a question; the learner sees the unread notifications and the answer.

The browser and the login helper come from tests/browser/conftest.py.
"""

import datetime as dt
import re

import pytest

from logs.models import Comment, MentoringQuestion, Session
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_as(browser, log_in):
    """`open_as(user)` gives a logged-in page in a browser context of its own (English UI),
    so the learner and the mentor keep separate sessions side by side."""
    contexts = []

    def _open(user):
        context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return log_in(context.new_page(), user)

    yield _open
    for context in contexts:
        context.close()


def test_a_peer_session_a_mentors_comment_and_answer_reach_the_learner(
    live_server, open_as, learner, teammate, mentor, team
):
    mentoring = factories.make_session(
        team, kind="mentoring", title="멘토링 (논문 스터디)", created_by=learner
    )
    question = MentoringQuestion.objects.create(
        session=mentoring, number=1, question="Positional encoding은 왜 필요한가?", asked_by=learner
    )

    # The learner writes the team's peer session.
    learner_page = open_as(learner)
    learner_page.goto(f"{live_server.url}/sessions/new/?team={team.pk}&kind=peer&date=2022-02-09")
    assert learner_page.input_value("#id_title") == "[Week 04 / Day 015] Peer session"
    learner_page.check(f"input[name=attendees][value='{teammate.pk}']")
    learner_page.fill("#id_tags", "attention, transformer, LSTM")
    learner_page.locator(".cm-content").fill("### 키워드 공유\n- attention\n- LSTM의 장점")
    learner_page.fill("#id_problems-0-title", "[BOJ] 원숭이 매달기")
    learner_page.click("button:has-text('Save session')")
    learner_page.wait_for_url(re.compile(r".*/sessions/\d+/$"))
    assert "LSTM의 장점" in learner_page.inner_text(".session-summary")
    peer = Session.objects.get(kind="peer")
    assert peer.created_by == learner and set(peer.attendees.all()) == {learner, teammate}

    # The mentor comments on it and answers the question.
    mentor_page = open_as(mentor)
    mentor_page.goto(f"{live_server.url}{peer.get_absolute_url()}")
    mentor_page.fill("#id_body", "키워드 정리가 좋네요 👍")
    mentor_page.click("button:has-text('Post comment')")
    mentor_page.wait_for_selector(".comment .badge-mentor")
    mentor_page.goto(f"{live_server.url}{mentoring.get_absolute_url()}")
    mentor_page.fill(
        f"#answer-{question.pk}",
        "- 여러 position을 다르게 encoding 하기 위한 것.\n- 학습도 가능하다.",
    )
    mentor_page.click("button:has-text('Save and confirm')")
    mentor_page.wait_for_selector(".question-confirmed")
    assert Comment.objects.filter(session=peer, author=mentor).exists()

    # The learner sees two unread notifications, and the answer.
    learner_page.goto(f"{live_server.url}/")
    assert learner_page.inner_text(".nav-count [aria-hidden=true]") == "2"
    learner_page.click('.site-actions a[href="/notifications/"]')
    rows = learner_page.locator(".notification-row.is-unread")
    assert rows.count() == 2
    assert "answered your question" in learner_page.inner_text(".notification-list")
    learner_page.locator(".notification-row", has_text="answered your question").locator(
        "a:has-text('Open')"
    ).click()
    learner_page.wait_for_url(re.compile(rf".*/sessions/{mentoring.pk}/#question-1$"))
    assert "학습도 가능하다" in learner_page.inner_text("#question-1")
    assert learner_page.inner_text(".nav-count [aria-hidden=true]") == "1"


def test_the_session_page_fits_a_phone(live_server, open_as, learner, team):
    session = factories.make_session(
        team, title="[Week 04 / Day 015] 아주 긴 제목의 피어세션 " * 3, date=dt.date(2022, 2, 9)
    )
    page = open_as(learner)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
