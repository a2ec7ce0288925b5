"""In a real Chromium: a learner writes the team's peer session; the mentor comments on it and
answers a question; the learner sees the unread notifications and the answer.

Fixtures are local to this module so it stands alone; a shared tests/browser/conftest.py may
replace them later.
"""

import datetime as dt
import os
import re
import shutil

import pytest

from logs.models import Comment, MentoringQuestion, Session
from tests import factories

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not shutil.which(CHROMIUM) and not os.environ.get("CI"), reason="needs /usr/bin/chromium"
    ),
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django refuses database calls under one unless
    # told otherwise. Only for this module.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
            ],
        )
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def open_as(browser, live_server):
    """`open_as(user)` gives a page of a fresh browser context, logged in through the form."""
    contexts = []

    def _open(user):
        context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", factories.PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(re.compile(r".*/$"))
        return page

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
    learner_page.fill("#id_summary", "### 키워드 공유\n- attention\n- LSTM의 장점")
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
    learner_page.click(".site-actions a.nav-icon")
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
