"""The entry page's reading aids in a real Chromium (static/js/entry.js): the contents follow
the section being read (aside on a desktop, a bar on a phone), code and the page's link are
copied, pictures open in a dialog that Esc closes, and axe-core finds nothing serious, light or
dark. Without JavaScript the page stays a plain, whole page."""

import json

import pytest
from playwright.sync_api import expect

from logs.uploads import link_uploads, store_image
from tests import factories
from tests.browser.test_journeys import AXE
from tests.logs.entry_helpers import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTIONS = ["오늘 한 일", "피어세션 요약", "멘토링 요약", "일일 회고", "내일 할 일"]
CODE = "scores = q @ k.transpose(-2, -1)\nweights = scores.softmax(dim=-1)"


@pytest.fixture
def entry(settings, tmp_path, learner, cohort):
    settings.MEDIA_ROOT = tmp_path / "media"
    picture = store_image(learner, png_bytes(size=(640, 360)), "cell.png")
    paragraph = "트랜스포머는 attention만으로 문장을 읽는다. " * 12 + "\n\n"
    body = "".join(f"## {title}\n\n{paragraph * 4}" for title in SECTIONS)
    body += f"```python\n{CODE}\n```\n\n![셀 상태의 흐름]({picture.url})\n"
    entry = factories.make_entry(learner, cohort, visibility="public", body=body)
    link_uploads(entry, body, learner)
    return entry


def open_page(browser, live_server, entry, **options):
    options.setdefault("viewport", {"width": 1280, "height": 800})
    context = browser.new_context(locale="ko-KR", **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/entries/{entry.pk}/")
    return context, page


def scroll_to(page, title: str) -> None:
    page.evaluate(
        "title => [...document.querySelectorAll('#entry-body h2')]"
        ".find(h => h.textContent.startsWith(title)).scrollIntoView()",
        title,
    )


def test_the_aside_contents_stick_and_mark_the_section_being_read(browser, live_server, entry):
    context, page = open_page(browser, live_server, entry)
    aside_toc = page.locator(".layout-aside .toc")
    assert aside_toc.locator("a[aria-current='true']").count() == 0  # the text is not begun
    scroll_to(page, SECTIONS[3])
    expect(aside_toc.locator("a[aria-current='true']")).to_have_text(SECTIONS[3])
    assert aside_toc.locator("a[aria-current='true']").count() == 1
    box = aside_toc.bounding_box()
    assert 0 <= box["y"] < 200, "the contents scrolled away with the text"
    scroll_to(page, SECTIONS[1])
    expect(aside_toc.locator("a[aria-current='true']")).to_have_text(SECTIONS[1])
    context.close()


def test_on_a_phone_the_contents_bar_names_the_section_and_leads_to_another(
    browser, live_server, entry
):
    context, page = open_page(browser, live_server, entry, viewport={"width": 390, "height": 800})
    bar = page.locator("details.toc-inline")
    scroll_to(page, SECTIONS[2])
    expect(bar.locator(".toc-current")).to_have_text(SECTIONS[2])
    assert 0 <= bar.bounding_box()["y"] < 40, "the bar did not stay at the top"
    bar.locator("summary").click()
    bar.get_by_role("link", name=SECTIONS[4]).click()
    expect(bar).not_to_have_attribute("open", "")
    expect(bar.locator(".toc-current")).to_have_text(SECTIONS[4])
    context.close()


def test_headings_get_a_link_to_their_section(browser, live_server, entry):
    context, page = open_page(browser, live_server, entry)
    heading = page.locator("#entry-body h2").nth(1)
    anchor = heading.locator(".heading-anchor")
    assert anchor.get_attribute("href") == "#" + heading.get_attribute("id")
    anchor.focus()
    expect(anchor).to_have_css("opacity", "1")
    context.close()


def test_the_copy_button_copies_the_code(browser, live_server, entry):
    context, page = open_page(browser, live_server, entry)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    button = page.locator(".highlight .code-copy")
    expect(button).to_have_text("복사")
    button.click()
    expect(button).to_have_text("복사됨")
    assert page.evaluate("navigator.clipboard.readText()") == CODE + "\n"
    expect(button).to_have_text("복사", timeout=4000)
    page.get_by_role("button", name="링크 복사").click()
    expect(page.locator("#entry-status")).to_have_text("링크를 복사했어요")
    assert (
        page.evaluate("navigator.clipboard.readText()") == f"{live_server.url}/entries/{entry.pk}/"
    )
    context.close()


def test_a_picture_opens_in_a_dialog_that_esc_closes(browser, live_server, entry):
    context, page = open_page(browser, live_server, entry)
    link = page.locator("#entry-body a.lightbox-link")
    dialog = page.locator("dialog.lightbox")
    link.click()
    expect(dialog).to_be_visible()
    assert dialog.locator("img").get_attribute("alt") == "셀 상태의 흐름"
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.activeElement.classList.contains('lightbox-link')")
    # by keyboard alone, and closed by its button
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.get_by_role("button", name="닫기").click()
    expect(dialog).to_be_hidden()
    context.close()


def test_without_javascript_the_page_is_whole_and_plain(browser, live_server, entry):
    context, page = open_page(browser, live_server, entry, java_script_enabled=False)
    assert page.locator("#entry-body img").count() == 1
    assert page.locator(".lightbox-link, .code-copy, .heading-anchor").count() == 0
    link = page.get_by_role("link", name="링크 복사")
    assert link.get_attribute("href") == f"/entries/{entry.pk}/"
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious(browser, live_server, entry, scheme):
    for viewport in ({"width": 1280, "height": 800}, {"width": 390, "height": 800}):
        context, page = open_page(
            browser, live_server, entry, viewport=viewport, color_scheme=scheme
        )
        page.evaluate(AXE.read_text(encoding="utf-8"))
        scroll_to(page, SECTIONS[2])
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.html)}))"
        )
        bad = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert not bad, f"{scheme} {viewport['width']}: {json.dumps(bad, ensure_ascii=False)}"
        context.close()


def test_a_short_last_section_is_marked_at_the_end_of_the_text(
    browser, live_server, learner, cohort
):
    long_text = "트랜스포머는 attention만으로 문장을 읽는다. " * 60
    body = f"## 긴 절\n\n{long_text}\n\n## 짧은 끝\n\n한 줄.\n"
    entry = factories.make_entry(learner, cohort, visibility="public", body=body)
    context, page = open_page(browser, live_server, entry)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    expect(page.locator(".layout-aside .toc a[aria-current='true']")).to_have_text("짧은 끝")
    context.close()
