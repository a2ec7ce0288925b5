"""The three journeys of PRODUCT.md in a real Chromium: the learner's, the mentor's and the
operator's. Every page on the way is also looked at 375 px wide (the page itself must not scroll
sideways) and checked by axe-core, which must find no serious or critical violation.

axe-core is vendored for the tests only (tests/browser/vendor/axe-core-<version>/, with its
licence); it is never served to users. It is evaluated through the DevTools protocol, so the
pages keep their real Content-Security-Policy, and a CSP violation on any page fails the journey.
"""

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Cohort, Invite, Membership, NonLearningDay, User
from logs.models import Comment, Entry, MentoringQuestion, Notification, Session
from tests import factories
from tests.logs.entry_helpers import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = next(Path(__file__).parent.glob("vendor/axe-core-*/axe.min.js"))
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


class Checker:
    """Looks at each page twice (desktop, phone) with axe; collects CSP violations."""

    def __init__(self, page):
        self.page = page
        self.csp_errors: list[str] = []
        page.on(
            "console",
            lambda msg: (
                self.csp_errors.append(msg.text)
                if msg.type == "error" and "Content Security Policy" in msg.text
                else None
            ),
        )

    def axe(self, label: str) -> None:
        page = self.page
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.slice(0, 3).map(n => n.html)}))"
        )
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        assert not bad, f"{label}: {json.dumps(bad, ensure_ascii=False, indent=1)}"

    def check(self, label: str) -> None:
        self.page.wait_for_load_state("load")
        self.axe(label)
        self.page.set_viewport_size(PHONE)
        try:
            width = self.page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{label}: the page scrolls sideways on a phone"
            self.axe(f"{label} (375 px)")
        finally:
            self.page.set_viewport_size(DESKTOP)
        if label.startswith("admin"):
            # Django's own admin scripts apply inline styles that the CSP blocks (harmless
            # there: the admin works without them). Camplog's pages must have none.
            self.csp_errors.clear()
        assert not self.csp_errors, f"{label}: {self.csp_errors}"


@pytest.fixture
def new_page(browser):
    contexts = []

    def _new_page():
        context = browser.new_context(viewport=DESKTOP, locale="ko-KR", accept_downloads=True)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        return page, Checker(page)

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def live_cohort(db):
    """A cohort running now: it started on the Monday three weeks ago (so today is in it), with
    a holiday last week, a stage, a team and its mentor."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=21 + today.weekday())
    cohort = Cohort.objects.create(
        slug="ai-tech-now",
        name="부스트캠프 AI Tech 9기",
        start_date=start,
        end_date=start + dt.timedelta(weeks=20),
    )
    NonLearningDay.objects.create(cohort=cohort, date=start + dt.timedelta(days=9), name="개천절")
    cohort.stages.create(
        name="Level 1 U-stage",
        slug="lv1-u-stage",
        start_date=start,
        end_date=start + dt.timedelta(weeks=6),
    )
    mentor = factories.make_user("mentor", display_name="김멘토")
    factories.join(mentor, cohort, "mentor")
    factories.make_team(cohort, "7조", mentors=[mentor])
    return cohort


def _log_in(page, base: str, username: str, password: str = factories.PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click(".auth-card button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


PASTE_IMAGE = """([editor, bytes]) => {
  const file = new File([new Uint8Array(bytes)], "붙여넣기.png", {type: "image/png"});
  const data = new DataTransfer();
  data.items.add(file);
  editor.focus();
  editor.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true}));
}"""


def test_the_learners_journey(live_server, new_page, live_cohort):
    base = live_server.url
    cohort = live_cohort
    team = cohort.teams.get()
    invite = Invite.objects.create(cohort=cohort, team=team)
    page, checker = new_page()

    # She signs up with the invite link.
    page.goto(base + invite.get_absolute_url())
    checker.check("join")
    page.fill("input[name=username]", "jiwoo")
    page.fill("input[name=display_name]", "한지우")
    page.fill("input[name=email]", "jiwoo@example.com")
    page.fill("input[name=password1]", "a-long-passphrase-42")
    page.fill("input[name=password2]", "a-long-passphrase-42")
    page.click("main form button[type=submit]")
    page.wait_for_url(base + "/")
    checker.check("home")
    jiwoo = User.objects.get(username="jiwoo")
    assert Membership.objects.get(user=jiwoo).team == team

    # Yesterday's log left a task for today (written before; carried over into today's).
    today = cohort.calendar.today()
    previous = cohort.calendar.previous_learning_day(today) or today - dt.timedelta(days=1)
    factories.make_entry(
        jiwoo,
        cohort,
        learning_date=previous,
        body="## **🚀 내일 할 일**\n- [ ] 어제 못 한 Attention 복습\n- [x] 끝낸 일\n",
    )

    # Today's log: the cohort's template, with yesterday's open task carried over.
    page.goto(base + "/write/")
    body = page.locator("textarea[name=body]")
    expect(body).to_have_value(re.compile("오늘 한 일"))
    expect(body).to_have_value(re.compile("어제 못 한 Attention 복습"))
    assert "끝낸 일" not in body.input_value()
    checker.check("editor")
    text = body.input_value().replace(
        "## **🐾 일일 회고**\n",
        "## **🐾 일일 회고**\n트랜스포머의 셀 상태 $c_0$ 정리\n\n$$\\sum_{i=1}^{n} x_i$$\n",
    )
    editor = page.locator(".cm-content")
    editor.press("Control+a")
    page.keyboard.insert_text(text)  # (fill() on a contenteditable makes Chromium style spans)
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("math")).to_have_count(2)

    # She pastes a screenshot: it is uploaded and its Markdown lands in the text.
    editor.press("Control+End")
    page.evaluate(PASTE_IMAGE, [editor.element_handle(), list(png_bytes((40, 30)))])
    expect(body).to_have_value(re.compile(r"!\[붙여넣기\]\(/media/[0-9a-f]{32}\.png\)"))
    expect(preview.locator("img")).to_have_count(1)

    page.fill("input[name=tags]", "부스트캠프AITech, 트랜스포머")
    page.keyboard.press("Control+s")
    page.wait_for_url(re.compile(r"/entries/\d+/$"))
    entry = Entry.objects.get(author=jiwoo, learning_date=today)
    assert entry.uploads.count() == 1
    assert "어제 못 한 Attention 복습" in entry.body
    checker.check("entry")

    # She ticks the carried-over task on the page.
    article = page.locator("#entry-body")
    expect(article.locator("math")).to_have_count(2)
    box = article.locator("input[type=checkbox]").first
    expect(box).to_be_enabled()
    box.check()
    page.wait_for_function("() => document.querySelector('#entry-body').dataset.version === '2'")
    entry.refresh_from_db()
    assert "- [x] 어제 못 한 Attention 복습" in entry.body

    # She finds it on the week page, the tag page and in search (Korean with a particle).
    page.goto(f"{base}/c/{cohort.slug}/weeks/{entry.week}/")
    expect(page.locator(f"a[href='/entries/{entry.pk}/']").first).to_be_visible()
    checker.check("week")
    page.goto(f"{base}/tags/{entry.tags.get(name='트랜스포머').slug}/")
    expect(page.locator(f"a[href='/entries/{entry.pk}/']").first).to_be_visible()
    checker.check("tag")
    page.goto(f"{base}/search/?q=트랜스포머")
    expect(page.locator(f"a[href='/entries/{entry.pk}/']").first).to_be_visible()
    checker.check("search")

    # She exports her logs: a zip of Jekyll posts with the text, the math and the image.
    with page.expect_download() as download:
        page.evaluate("url => { window.location.href = url; }", base + "/export/")
    with zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes())) as archive:
        names = archive.namelist()
        post = next(n for n in names if n.endswith(".md") and str(today) in n)
        exported = archive.read(post).decode()
    assert "트랜스포머의 셀 상태 $c_0$" in exported
    assert "- [x] 어제 못 한 Attention 복습" in exported
    assert any(n.endswith(".png") for n in names)


def test_the_mentors_journey(live_server, new_page, live_cohort):
    base = live_server.url
    cohort = live_cohort
    team = cohort.teams.get()
    mentor = team.mentors.get()
    learner = factories.make_user("learner", display_name="이캠퍼")
    factories.join(learner, cohort, "learner", team)
    day = cohort.calendar.previous_learning_day(cohort.calendar.today()) or cohort.start_date
    factories.make_entry(learner, cohort, learning_date=day, body="## 오늘 한 일\n- [x] 강의\n")
    peer = factories.make_session(team, date=day, summary="### 키워드 공유\n- attention\n")
    mentoring = factories.make_session(
        team, date=day, kind=Session.Kind.MENTORING, title="멘토링", summary="질문 모음"
    )
    question = MentoringQuestion.objects.create(
        session=mentoring, number=1, question="LSTM의 셀 상태는 왜 필요한가요?", asked_by=learner
    )
    page, checker = new_page()

    _log_in(page, base, "mentor")
    checker.check("mentor home")

    # The team's day: the learner's log and both sessions.
    page.goto(f"{base}/c/{cohort.slug}/days/{day.isoformat()}/")
    expect(page.locator(f"a[href='{peer.get_absolute_url()}']").first).to_be_visible()
    expect(page.get_by_text("이캠퍼").first).to_be_visible()
    checker.check("day")

    # A comment on the peer session.
    page.goto(base + peer.get_absolute_url())
    checker.check("session")
    form = page.locator("form.comment-form").first
    form.locator("textarea[name=body]").fill("키워드 정리가 좋네요 👍")
    form.locator("button[type=submit]").click()
    expect(page.get_by_text("키워드 정리가 좋네요")).to_be_visible()
    assert Comment.objects.filter(session=peer, author=mentor).exists()

    # The answer to the mentoring question.
    page.goto(f"{base}/questions/{question.pk}/answer/")
    checker.check("answer")
    page.locator("textarea[name=answer]").fill("기울기 소실을 막기 위해서입니다.")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/answer/" not in url)
    question.refresh_from_db()
    assert question.answer.startswith("기울기 소실")
    assert Notification.objects.filter(recipient=learner).count() >= 1

    # The learner sees the notification.
    learner_page, learner_checker = new_page()
    _log_in(learner_page, base, "learner")
    learner_page.goto(base + "/notifications/")
    expect(learner_page.locator("main")).to_contain_text("김멘토")
    learner_checker.check("notifications")


def test_the_operators_journey(live_server, new_page, db):
    base = live_server.url
    operator = factories.make_user("operator", is_staff=True, display_name="박운영")
    from accounts.operators import grant_operator_access

    grant_operator_access(operator)
    page, checker = new_page()
    _log_in(page, base, "operator")

    # A cohort with a holiday, a stage and a team, in the admin.
    page.goto(base + "/admin/accounts/cohort/add/")
    checker.check("admin cohort add")
    today = timezone.localdate()
    start = today - dt.timedelta(days=14 + today.weekday())
    end = start + dt.timedelta(weeks=20)
    page.fill("input[name=name]", "부스트캠프 AI Tech 10기")
    page.fill("input[name=slug]", "ai-tech-10")
    page.fill("input[name=start_date]", start.isoformat())
    page.fill("input[name=end_date]", end.isoformat())
    holiday = start + dt.timedelta(days=2)
    for prefix, values in (
        ("non_learning_days", {"date": holiday.isoformat(), "name": "개천절"}),
        (
            "stages",
            {
                "name": "Level 1 U-stage",
                "slug": "lv1-u-stage",
                "start_date": start.isoformat(),
                "end_date": (start + dt.timedelta(weeks=5)).isoformat(),
            },
        ),
        ("teams", {"name": "1조"}),
    ):
        page.locator(f"#{prefix}-group .add-row a").click()
        for field, value in values.items():
            page.fill(f"[name='{prefix}-0-{field}']", value)
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile(r"/admin/accounts/cohort/$"))
    cohort = Cohort.objects.get(slug="ai-tech-10")
    assert list(cohort.non_learning_days.values_list("name", flat=True)) == ["개천절"]
    assert cohort.stages.count() == 1 and cohort.teams.count() == 1
    checker.check("admin cohort list")

    # Members from a CSV: preview, then import.
    page.goto(f"{base}/admin/accounts/cohort/{cohort.pk}/import/")
    page.fill(
        "textarea[name=csv_text]",
        "username,email,name,role,team\n"
        "camper1,camper1@example.com,김캠퍼,learner,1조\n"
        "camper2,camper2@example.com,이캠퍼,캠퍼,1조\n"
        "mentor1,mentor1@example.com,최멘토,mentor,1조\n",
    )
    page.locator("main form [type=submit]:not([name=confirm])").first.click()
    expect(page.locator("#import-preview tbody tr")).to_have_count(3)
    checker.check("admin import preview")
    page.locator("[name=confirm]").click()
    page.wait_for_url(re.compile(r"/admin/accounts/membership/"))
    assert Membership.objects.filter(cohort=cohort).count() == 4  # three and the operator
    checker.check("admin memberships")

    # The submission board.
    page.goto(f"{base}/c/{cohort.slug}/board/")
    expect(page.locator("table.board tbody tr")).to_have_count(2)
    checker.check("board")
