"""The daily routine in a real browser: the carry-over notice and its undo, linking the day's
sessions into their sections, and the one recovery banner offering this browser's copy."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from accounts.models import DEFAULT_DAILY_TEMPLATE
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW = "/entries/new/?kind=daily&date=2022-02-09&cohort=ai-tech-3"
PREVIOUS = (
    "## 📝 오늘 한 일\n- [x] 끝낸 일\n- [ ] 강의 수강\n    - [Data Viz] 5강\n"
    "## 🚀 내일 할 일\n- [ ] 강의 수강\n- [ ] 오피스아워\n"
)


def test_the_carried_tasks_are_announced_and_can_be_undone(
    live_server, page, log_in, learner, cohort
):
    factories.make_entry(
        learner, cohort, learning_date=dt.date(2022, 2, 8), body=PREVIOUS, title="어제의 기록"
    )
    log_in(page, learner)
    page.goto(live_server.url + NEW)
    body = page.locator("textarea[name=body]")
    notice = page.locator("#carry-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("못 끝낸 할 일 2개를 가져왔어요")
    expect(notice.locator("li")).to_have_text(["강의 수강", "오피스아워"])
    expect(notice.locator("a", has_text="어제의 기록")).to_have_attribute(
        "href", re.compile(r"/entries/\d+/$")
    )
    expect(body).to_have_value(
        re.compile(r"- \[ \] 강의 수강\n    - \[Data Viz\] 5강\n- \[ \] 오피스아워")
    )

    notice.locator("#carry-undo").click()
    page.wait_for_url(re.compile(r"carry=0"))
    expect(page.locator("textarea[name=body]")).to_have_value(DEFAULT_DAILY_TEMPLATE)
    notice = page.locator("#carry-notice")
    expect(notice).to_contain_text("가져오지 않았어요")

    notice.locator("a", has_text="다시 가져오기").click()
    expect(page.locator("textarea[name=body]")).to_have_value(re.compile("오피스아워"))


def test_a_session_is_linked_into_its_section_once(
    live_server, page, log_in, learner, team, cohort
):
    peer = factories.make_session(team, title="2월 9일 피어세션")
    log_in(page, learner)
    page.goto(live_server.url + NEW)
    body = page.locator("textarea[name=body]")
    row = page.locator(".editor-session", has_text="2월 9일 피어세션")
    button = row.get_by_role("button", name="이 세션 링크 넣기")
    button.click()
    link = f"- [피어세션 · 2월 9일 피어세션]({live_server.url}{peer.get_absolute_url()})"
    expect(body).to_have_value(
        re.compile(re.escape("## **👥 피어세션 요약**\n" + link + "\n### **키워드 공유**"))
    )
    expect(page.locator("#editor-sessions-status")).to_have_text("해당 섹션에 링크를 넣었어요.")
    button.click()
    expect(page.locator("#editor-sessions-status")).to_have_text("이미 링크한 세션이에요.")
    assert body.input_value().count(link) == 1


def test_the_banner_offers_this_browsers_newer_copy_in_the_same_words(
    live_server, page, log_in, learner, cohort
):
    log_in(page, learner)
    page.goto(live_server.url + NEW)
    expect(page.locator("#recovery-offer")).to_be_hidden()
    # What editor.js keeps while typing, as if the server had not answered.
    page.evaluate(
        """() => {
            const form = document.getElementById('entry-form');
            localStorage.setItem(form.dataset.storageKey, JSON.stringify({
                body: '브라우저에만 남은 글', title: '', tags: '', version: '',
                savedAt: Date.now(), submitted: false,
            }));
        }"""
    )
    page.reload()
    banner = page.locator("#recovery-offer")
    expect(banner).to_be_visible()
    expect(banner).to_have_text(re.compile(r"오늘 \d\d:\d\d에 쓰고 저장하지 않은 글이 있어요"))
    expect(page.locator(".draft-offer:visible")).to_have_count(1)
    banner.get_by_role("link", name="초안 불러오기").click()
    expect(page.locator("textarea[name=body]")).to_have_value("브라우저에만 남은 글")
    expect(banner).to_be_hidden()
