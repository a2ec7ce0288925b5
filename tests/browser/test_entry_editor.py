"""Writing a log in a real browser: preview, image, math, tags, save; and a draft that survives
closing the tab."""

import re

import pytest
from playwright.sync_api import expect

from logs.models import Autosave, Entry
from tests import factories
from tests.logs.entry_helpers import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW = "/entries/new/?kind=daily&date=2022-02-10&cohort=ai-tech-3"


def test_it_writes_a_log_with_preview_image_math_and_tags(
    live_server, page, log_in, learner, cohort
):
    factories.make_entry(learner, cohort, tags=["부스트캠프AITech"])  # a tag to be suggested
    log_in(page, learner)
    page.goto(live_server.url + NEW)
    body = page.locator("textarea[name=body]")  # what the form posts, mirrored from the editor
    editor = page.locator(".cm-content")
    expect(body).to_have_value(re.compile("오늘 한 일"))

    editor.fill(
        "## 📝 오늘 한 일\n- [x] 강의 수강\n\n셀 상태 $c_0$ 와\n\n$$\\sum_{i=1}^{n} x_i$$\n\n"
    )
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("math")).to_have_count(2)
    expect(preview.locator("input[type=checkbox]")).to_have_count(1)

    editor.press("Control+End")
    page.set_input_files(
        "#image-input",
        files=[{"name": "셀.png", "mimeType": "image/png", "buffer": png_bytes((40, 30))}],
    )
    expect(body).to_have_value(re.compile(r"!\[셀\]\(/media/[0-9a-f]{32}\.png\)"))
    expect(preview.locator("img")).to_have_count(1)

    tags = page.locator("input[name=tags]")
    tags.click()
    tags.type("부스")
    page.locator("#tag-suggestions li", has_text="부스트캠프AITech").click()
    tags.type("week04")
    expect(tags).to_have_value("부스트캠프AITech, week04")

    page.keyboard.press("Control+s")
    page.wait_for_url(re.compile(r"/entries/\d+/$"))

    entry = Entry.objects.get(author=learner, learning_date="2022-02-10")
    assert sorted(t.name for t in entry.tags.all()) == ["week04", "부스트캠프AITech"]
    assert entry.uploads.count() == 1
    article = page.locator("#entry-body")
    expect(page.locator("h1")).to_have_text("[Week 04 / Day 016] 학습 기록")
    expect(article.locator("math")).to_have_count(2)
    image = article.locator("img")
    expect(image).to_have_attribute("loading", "lazy")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 40", arg=image.element_handle()
    )
    expect(page.locator(".entry-tags")).to_contain_text("부스트캠프AITech")

    # The owner ticks a task on the page and it is saved into the Markdown.
    box = article.locator("input[type=checkbox]").first
    expect(box).to_be_enabled()
    box.uncheck()
    page.wait_for_function("() => document.querySelector('#entry-body').dataset.version === '2'")
    entry.refresh_from_db()
    assert "- [ ] 강의 수강" in entry.body


def test_a_draft_survives_closing_the_tab(live_server, browser_context, log_in, learner, cohort):
    page = browser_context.new_page()
    log_in(page, learner)
    page.goto(live_server.url + NEW)
    editor = page.locator(".cm-content")
    editor.click()
    editor.press("Control+End")
    page.keyboard.type("\n닫기 전에 쓴 문장")
    expect(page.locator("#autosave-status")).not_to_be_empty(timeout=15_000)
    expect(page.locator("#autosave-status")).not_to_have_class(re.compile("is-error"))
    for _ in range(75):  # the status says "saving…" before the server has answered
        if Autosave.objects.filter(author=learner).exists():
            break
        page.wait_for_timeout(200)
    assert Autosave.objects.filter(author=learner).exists()
    page.close()

    page = browser_context.new_page()
    page.goto(live_server.url + NEW)
    offer = page.locator(".draft-offer").first
    expect(offer).to_be_visible()
    offer.locator("a").click()
    expect(page.locator("textarea[name=body]")).to_have_value(re.compile("닫기 전에 쓴 문장"))
    assert not Entry.objects.exists()  # nothing was saved as an entry
