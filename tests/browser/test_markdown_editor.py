"""The Markdown editor in a real Chromium: Korean typed through an IME (composition events over
the DevTools protocol), lists continued and nested from the keyboard, shortcuts, a URL pasted
over a selection, a big screenshot downscaled before upload, the preview scrolled with the text,
the form without JavaScript; and a whole daily log written by keyboard whose saved page is the
preview."""

import base64
import io
import re
import time

import pytest
from PIL import Image
from playwright.sync_api import expect

from logs.models import Entry, Upload
from logs.uploads import MAX_UPLOAD_BYTES
from tests import factories
from tests.logs.entry_helpers import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW = "/entries/new/?kind=daily&date=2022-02-10&cohort=ai-tech-3"
CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"

# The editor's text, its selection and its scrolling, through CodeMirror's view.
SELECT = """(text) => {
  const view = document.querySelector("textarea[name=body]").camplogEditor.view;
  const at = view.state.doc.toString().indexOf(text);
  view.dispatch({selection: {anchor: at, head: at + text.length}});
  view.focus();
}"""
REPLACE = """(text) => {
  const view = document.querySelector("textarea[name=body]").camplogEditor.view;
  view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: text}, selection: {anchor: text.length}});
  view.focus();
}"""
PASTE = """([editor, kind, payload, name]) => {
  const data = new DataTransfer();
  if (kind === "text") data.setData("text/plain", payload);
  else {
    const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
    data.items.add(new File([bytes], name, {type: "image/png"}));
  }
  editor.focus();
  editor.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
}"""


@pytest.fixture(autouse=True)
def settle(page):
    """Closing the page autosaves what was typed (visibilitychange): let that request end before
    the test database is flushed."""
    yield
    page.context.close()
    time.sleep(1)


def open_editor(page, live_server, log_in, learner, text=""):
    log_in(page, learner)
    page.goto(live_server.url + NEW)
    editor = page.locator(".cm-content")
    expect(editor).to_be_visible()
    page.evaluate(REPLACE, text)  # the template's text gives way to the test's
    return editor


def body(page) -> str:
    return page.locator("textarea[name=body]").input_value()


def compose(cdp, text: str) -> None:
    """Type `text` as a Korean IME does: each syllable composed (initial consonant, then the
    syllable) and committed; anything else inserted as it is."""
    for char in text:
        if "가" <= char <= "힣":
            first = CHOSEONG[(ord(char) - 0xAC00) // 588]
            for step in (first, char):
                cdp.send(
                    "Input.imeSetComposition",
                    {"text": step, "selectionStart": len(step), "selectionEnd": len(step)},
                )
        cdp.send("Input.insertText", {"text": char})


def paste_image(page, editor, data: bytes, name: str) -> None:
    page.evaluate(PASTE, [editor.element_handle(), "image", base64.b64encode(data).decode(), name])


def test_korean_through_an_ime_is_saved_exactly(live_server, page, log_in, learner, cohort):
    editor = open_editor(page, live_server, log_in, learner)
    cdp = page.context.new_cdp_session(page)
    sentence = "오늘은 어텐션을 공부했다. 셀 상태가 핵심!"
    compose(cdp, sentence)
    expect(page.locator("textarea[name=body]")).to_have_value(sentence)

    # In the middle of a syllable nothing reaches the form, the autosave or the preview.
    cdp.send("Input.imeSetComposition", {"text": "ㅎ", "selectionStart": 1, "selectionEnd": 1})
    page.wait_for_timeout(400)
    assert body(page) == sentence
    cdp.send("Input.imeSetComposition", {"text": "한", "selectionStart": 1, "selectionEnd": 1})
    cdp.send("Input.insertText", {"text": "한"})
    expect(page.locator("textarea[name=body]")).to_have_value(sentence + "한")
    expect(page.locator(".markdownx-preview p")).to_have_text(sentence + "한")

    editor.press("Control+s")
    page.wait_for_url(re.compile(r"/entries/\d+/$"))
    assert Entry.objects.get().body == sentence + "한"


def test_lists_and_tasks_continue_on_enter_and_nest_on_tab(
    live_server, page, log_in, learner, cohort
):
    open_editor(page, live_server, log_in, learner)
    keyboard = page.keyboard
    keyboard.type("- [ ] 강의 듣기")
    keyboard.press("Enter")
    keyboard.type("과제")
    keyboard.press("Enter")
    keyboard.press("Tab")
    keyboard.type("세부 과제")
    keyboard.press("Enter")
    keyboard.press("Shift+Tab")
    keyboard.type("회고")
    keyboard.press("Enter")
    keyboard.press("Enter")  # an empty item ends the list
    keyboard.type("1. 하나")
    keyboard.press("Enter")
    keyboard.type("둘")
    keyboard.press("Enter")
    keyboard.press("Tab")
    keyboard.type("안쪽")
    expect(page.locator("textarea[name=body]")).to_have_value(
        "- [ ] 강의 듣기\n- [ ] 과제\n  - [ ] 세부 과제\n- [ ] 회고\n\n1. 하나\n2. 둘\n   1. 안쪽"
    )
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("ul > li > ul input[type=checkbox]")).to_have_count(1)
    expect(preview.locator("ol > li > ol")).to_have_count(1)

    # Esc, then Tab, leaves the editor (Tab alone indents: the keyboard is never trapped).
    keyboard.press("Escape")
    keyboard.press("Tab")
    assert page.evaluate("!document.activeElement.closest('.cm-editor')")


def test_shortcuts_and_a_url_pasted_over_a_selection(live_server, page, log_in, learner, cohort):
    editor = open_editor(page, live_server, log_in, learner, "굵게 기울임 링크 문서")
    page.evaluate(SELECT, "굵게")
    page.keyboard.press("Control+b")
    page.evaluate(SELECT, "기울임")
    page.keyboard.press("Control+i")
    page.evaluate(SELECT, "링크")
    page.keyboard.press("Control+k")
    page.keyboard.type("https://example.com")
    page.evaluate(SELECT, "문서")
    page.evaluate(PASTE, [editor.element_handle(), "text", "https://docs.python.org/3/", ""])
    expect(page.locator("textarea[name=body]")).to_have_value(
        "**굵게** *기울임* [링크](https://example.com) [문서](https://docs.python.org/3/)"
    )
    # Ctrl+B again on the bold word takes the bold away.
    page.evaluate(SELECT, "굵게")
    page.keyboard.press("Control+b")
    assert body(page).startswith("굵게 *기울임*")
    expect(page.locator(".markdownx-preview a")).to_have_count(2)

    # The toolbar's buttons work from the keyboard and give the text its focus back.
    editor.press("Control+End")
    page.locator(".editor-toolbar [data-command=table]").focus()
    page.keyboard.press("Enter")
    page.keyboard.type("시간")
    expect(page.locator(".markdownx-preview table th").first).to_have_text("시간")
    assert "\n\n| 시간 | 항목 |\n| --- | --- |\n|  |  |\n" in body(page)


def test_a_big_screenshot_is_downscaled_before_upload(live_server, page, log_in, learner, cohort):
    editor = open_editor(page, live_server, log_in, learner, "스크린샷:")
    buffer = io.BytesIO()
    Image.effect_noise((3000, 1800), 6).convert("RGB").save(buffer, "PNG", compress_level=1)
    big = buffer.getvalue()
    assert len(big) > MAX_UPLOAD_BYTES  # the server alone would refuse it

    paste_image(page, editor, big, "화면.png")
    expect(page.locator("textarea[name=body]")).to_have_value(
        re.compile(r"^스크린샷:\n\n!\[화면\]\(/media/[0-9a-f]{32}\.png\)\n\n$"), timeout=30_000
    )
    stored = Upload.objects.get()
    assert (stored.width, stored.height) == (2400, 1440)
    assert stored.size < len(big)

    # A second one lands in a paragraph of its own; a refused one says why, in its own line.
    paste_image(page, editor, png_bytes((40, 30)), "작은.png")
    expect(page.locator("textarea[name=body]")).to_have_value(
        re.compile(r"\.png\)\n\n!\[작은\]\(/media/[0-9a-f]{32}\.png\)\n\n$")
    )
    paste_image(page, editor, b"not an image at all", "가짜.png")
    expect(page.locator(".editor-uploads .is-error")).to_contain_text("가짜.png")
    expect(page.locator(".markdownx-preview img")).to_have_count(2)
    assert "가짜" not in body(page)


def test_the_preview_scrolls_with_the_editor(live_server, page, log_in, learner, cohort):
    text = "".join(
        f"## 절 {n}\n\n{'긴 문단입니다. ' * 12}\n\n- 항목\n- 항목\n\n" for n in range(60)
    )
    open_editor(page, live_server, log_in, learner, text)
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("h2")).to_have_count(60)

    top_line = """() => {
      const view = document.querySelector("textarea[name=body]").camplogEditor.view;
      return view.state.doc.lineAt(view.lineBlockAtHeight(view.scrollDOM.scrollTop).from).number;
    }"""
    preview_line = """() => {
      const pane = document.querySelector(".markdownx-preview");
      let line = 0;
      for (const node of pane.querySelectorAll("[data-source-line]")) {
        if (node.offsetTop <= pane.scrollTop + 1) line = Number(node.dataset.sourceLine);
      }
      return line;
    }"""
    page.evaluate(
        "() => { const s = document.querySelector('.cm-scroller');"
        " s.scrollTop = s.scrollHeight / 2; }"
    )
    page.wait_for_function("() => document.querySelector('.markdownx-preview').scrollTop > 0")
    page.wait_for_timeout(200)
    editor_at, preview_at = page.evaluate(top_line), page.evaluate(preview_line)
    assert editor_at > 100
    assert abs(editor_at - preview_at) <= 6, (editor_at, preview_at)

    # And the other way round.
    page.wait_for_timeout(200)
    page.evaluate(
        "() => { const p = document.querySelector('.markdownx-preview'); p.scrollTop = 200; }"
    )
    page.wait_for_function("() => document.querySelector('.cm-scroller').scrollTop < 1000")
    page.wait_for_timeout(200)
    assert abs(page.evaluate(top_line) - page.evaluate(preview_line)) <= 6


def test_without_javascript_the_textarea_still_saves(live_server, browser, learner, cohort):
    context = browser.new_context(java_script_enabled=False, locale="ko-KR")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", learner.get_username())
        page.fill("input[name=password]", factories.PASSWORD)
        page.click(".auth-card button[type=submit]")
        page.goto(live_server.url + NEW)
        assert page.locator(".cm-editor").count() == 0
        assert page.locator(".editor-toolbar").count() == 0
        page.fill("textarea[name=body]", "## 오늘 한 일\n- [x] 자바스크립트 없이")
        page.locator(".form-actions button[value=published]").click()
        page.wait_for_url(re.compile(r"/entries/\d+/$"))
        # (a browser posts a textarea's lines with CRLF; the pipeline reads either)
        assert (
            Entry.objects.get(status="published").body.replace("\r\n", "\n")
            == "## 오늘 한 일\n- [x] 자바스크립트 없이"
        )
    finally:
        context.close()


# --- The journey of issue 18: a daily log written without the mouse ----------------------------

ARTICLE = """(selector) => {
  const copy = document.querySelector(selector).cloneNode(true);
  copy.querySelectorAll("[data-source-line]").forEach((n) => n.removeAttribute("data-source-line"));
  // the owner's page enables its boxes (ticking saves them); everything else is compared as is
  copy.querySelectorAll("input[type=checkbox]").forEach((n) => n.removeAttribute("disabled"));
  return copy.innerHTML.trim();
}"""


SENT_ARTICLE = """(html) => {
  const page = new DOMParser().parseFromString(html, "text/html");
  const copy = page.querySelector("#entry-body");
  copy.querySelectorAll("input[type=checkbox]").forEach((n) => n.removeAttribute("disabled"));
  return copy.innerHTML.trim();
}"""


def test_a_learner_writes_a_whole_daily_log_by_keyboard(live_server, page, log_in, learner, cohort):
    editor = open_editor(page, live_server, log_in, learner)
    keyboard = page.keyboard
    cdp = page.context.new_cdp_session(page)

    keyboard.type("## 오늘 한 일")
    keyboard.press("Enter")
    keyboard.press("Enter")
    keyboard.type("- [x] ")
    compose(cdp, "트랜스포머 강의")
    keyboard.press("Enter")
    compose(cdp, "과제")
    keyboard.press("Enter")
    keyboard.press("Tab")
    compose(cdp, "어텐션 구현")
    keyboard.press("Enter")
    compose(cdp, "마스킹")
    keyboard.press("Enter")
    keyboard.press("Shift+Tab")
    keyboard.press("Enter")  # the empty item ends the list

    compose(cdp, "셀 상태는 ")
    keyboard.type("$c_t = f_t \\odot c_{t-1} + i_t \\odot g_t$")
    compose(cdp, " 로 갱신된다.")
    keyboard.press("Enter")
    keyboard.press("Enter")
    keyboard.type("$$\n\\mathrm{Attention}(Q,K,V) = \\mathrm{softmax}(QK^T / \\sqrt{d_k})V\n$$\n\n")

    keyboard.type("| 모델 | 정확도 |\n| --- | --- |\n| LSTM | 0.81 |\n| Transformer | 0.88 |\n\n")
    keyboard.type("```python\nscores = q @ k.T\nprint('안녕')\n```\n\n")
    compose(cdp, "스크린샷 두 장")
    keyboard.press("Enter")
    paste_image(page, editor, png_bytes((64, 40), color="navy"), "첫째.png")
    expect(page.locator("textarea[name=body]")).to_have_value(re.compile(r"첫째\]\(/media/"))
    paste_image(page, editor, png_bytes((48, 32), color="teal"), "둘째.png")
    expect(page.locator("textarea[name=body]")).to_have_value(re.compile(r"둘째\]\(/media/"))
    compose(cdp, "끝.")

    text = body(page)
    assert (
        "- [x] 트랜스포머 강의\n- [ ] 과제\n  - [ ] 어텐션 구현\n  - [ ] 마스킹\n\n셀 상태는"
        in text
    )
    assert text.count("![") == 2 and "\n\n![둘째]" in text
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("math")).to_have_count(2)
    expect(preview.locator("img")).to_have_count(2)
    expect(preview).to_contain_text("끝.")
    page.wait_for_timeout(300)  # the last preview has arrived (100 ms after the last key)
    previewed = page.evaluate(ARTICLE, ".markdownx-preview")

    keyboard.press("Control+s")
    page.wait_for_url(re.compile(r"/entries/\d+/$"))
    entry = Entry.objects.get()
    assert entry.body.replace("\r\n", "\n") == text  # a form posts a textarea's lines as CRLF
    assert entry.uploads.count() == 2
    expect(page.locator("#entry-body table")).to_have_count(1)
    # The article as the server sent it (the page's script adds anchors, copy buttons and the
    # lightbox afterwards; the preview has none of them).
    sent = page.request.get(page.url).text()
    assert page.evaluate(SENT_ARTICLE, sent) == previewed
