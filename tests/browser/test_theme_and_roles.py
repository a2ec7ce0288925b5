"""The theme toggle and the role-aware header in Chromium: the chosen theme survives a reload
and is in the first byte the server sends (no flash of the other theme), with and without
JavaScript; each role reaches what it uses from the header in one click, on a desktop and in a
phone's folded menu; and axe-core finds no serious or critical violation on the pages this
touches (home, header menus, insights, board, search), light and dark, desktop and phone."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = next(Path(__file__).parent.glob("vendor/axe-core-*/axe.min.js"))
PHONE = {"width": 390, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def people(db):
    cohort = factories.make_cohort("ai-tech-3")
    mentor = factories.make_user("mentor", display_name="김멘토")
    factories.join(mentor, cohort, "mentor")
    team = factories.make_team(cohort, "7조", mentors=[mentor])
    learner = factories.make_user("learner", display_name="이캠퍼")
    factories.join(learner, cohort, "learner", team)
    operator = factories.make_user("operator", display_name="최운영", is_staff=True)
    factories.join(operator, cohort, "operator")
    factories.make_entry(
        learner,
        cohort,
        learning_date=dt.date(2022, 2, 9),
        title="[Week 04 / Day 015] 학습 기록",
        body="## 오늘 한 일\n\nattention 정리: $\\sqrt{d_k}$\n\n```python\nprint('hi')\n```\n",
    )
    return {"learner": learner, "mentor": mentor, "operator": operator, "cohort": cohort}


@pytest.fixture
def open_page(browser):
    contexts = []

    def _open(*, scheme: str = "light", javascript: bool = True, viewport=DESKTOP):
        context = browser.new_context(
            viewport=viewport, locale="ko-KR", color_scheme=scheme, java_script_enabled=javascript
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click(".auth-card button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _first_byte_theme(response) -> str | None:
    """The theme in the HTML as the server sent it, before any script ran."""
    root = re.search(r"<html[^>]*>", response.text()).group(0)
    match = re.search(r'data-theme="(\w+)"', root)
    return match.group(1) if match else None


def _background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def _axe(page, label: str) -> None:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.html)}))"
    )
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not bad, f"{label}: {json.dumps(bad, ensure_ascii=False, indent=1)}"


# --- Theme -----------------------------------------------------------------------------------


def test_the_chosen_theme_survives_a_reload_without_a_flash(live_server, open_page, people):
    page = open_page(scheme="light")
    base = live_server.url
    response = page.goto(f"{base}/")
    assert _first_byte_theme(response) is None
    light = _background(page)

    page.click(".theme-menu > summary")
    page.click(".theme-menu button[value=dark]")
    # At once, without a reload, and the menu says so.
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert _background(page) != light
    assert page.get_attribute(".theme-menu button[value=dark]", "aria-pressed") == "true"
    assert page.evaluate("localStorage.getItem('theme')") == "dark"

    response = page.reload()
    assert _first_byte_theme(response) == "dark"  # the first paint is dark: no flash
    assert 'content="dark"' in response.text()
    dark = _background(page)
    assert dark != light
    assert page.get_attribute(".theme-menu button[value=dark]", "aria-pressed") == "true"

    # Another page, logged in: the same.
    _log_in(page, base, "learner")
    response = page.goto(f"{base}/c/ai-tech-3/insights/")
    assert _first_byte_theme(response) == "dark"

    page.click(".theme-menu > summary")
    page.click(".theme-menu button[value=system]")
    response = page.reload()
    assert _first_byte_theme(response) is None
    assert _background(page) == light  # the system (emulated) is light


def test_a_lost_cookie_comes_back_from_local_storage(live_server, open_page, people):
    page = open_page(scheme="light")
    page.goto(f"{live_server.url}/")
    page.click(".theme-menu > summary")
    page.click(".theme-menu button[value=dark]")
    page.context.clear_cookies()
    page.reload()  # this one is light (no cookie yet): the script restores the choice
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert _first_byte_theme(page.reload()) == "dark"


def test_the_theme_works_without_javascript(live_server, open_page, people):
    page = open_page(scheme="dark", javascript=False)
    response = page.goto(f"{live_server.url}/tags/")
    assert _first_byte_theme(response) is None  # "system": the OS's dark applies through CSS
    dark = _background(page)
    page.click(".theme-menu > summary")
    with page.expect_navigation():
        page.click(".theme-menu button[value=light]")
    assert page.url.endswith("/tags/")
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    assert _background(page) != dark


# --- Role-aware header -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "link", "lands_on"),
    [
        ("learner", "내 기록", "/entries/"),
        ("mentor", "멘토링", "/mentor/"),
        ("operator", "현황판", "/c/ai-tech-3/board/"),
        ("operator", "관리", "/admin/"),
    ],
)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_each_role_reaches_what_it_uses_from_the_header(
    live_server, open_page, people, username, link, lands_on, viewport
):
    page = open_page(viewport=viewport)
    _log_in(page, live_server.url, username)
    page.goto(f"{live_server.url}/")
    if viewport is PHONE:
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= 100
        page.click(".nav-fold > summary")
    page.locator(".site-nav").get_by_role("link", name=link, exact=True).click()
    page.wait_for_url(re.compile(re.escape(lands_on)))


def test_a_mentor_and_an_operator_land_on_their_home(live_server, open_page, people):
    page = open_page()
    _log_in(page, live_server.url, "mentor")
    page.goto(f"{live_server.url}/")
    assert page.locator("#home-questions").is_visible()
    page.context.clear_cookies()
    _log_in(page, live_server.url, "operator")
    page.goto(f"{live_server.url}/")
    assert page.locator(".home-board-days li").count() == 5
    assert "04주차" in page.locator("#home-board-title").inner_text()


# --- axe, light and dark ---------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("username", ["learner", "operator"])
def test_the_pages_this_touches_pass_axe(live_server, open_page, people, theme, username):
    base = live_server.url
    page = open_page(scheme="light")
    _log_in(page, base, username)
    page.context.add_cookies([{"name": "theme", "value": theme, "url": base}])
    pages = ["/", "/c/ai-tech-3/insights/?week=4", "/search/?q=attention", "/u/learner/"]
    if username == "operator":
        pages.append("/c/ai-tech-3/board/?week=4")
    for path in pages:
        for viewport in (DESKTOP, PHONE):
            page.set_viewport_size(viewport)
            page.goto(f"{base}{path}")
            assert page.evaluate("document.documentElement.dataset.theme") == theme
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"{path} scrolls sideways at {viewport['width']}"
            _axe(page, f"{path} {theme} {viewport['width']}")
    # The header's menus, open.
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/")
    page.click(".nav-fold > summary")
    _axe(page, f"the phone menu, {theme}")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/")
    page.click(".theme-menu > summary")
    _axe(page, f"the theme menu, {theme}")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_member_of_two_cohorts_switches_from_the_header(live_server, open_page, people, viewport):
    other = factories.make_cohort("ai-tech-4", name="부스트캠프 AI Tech 4기")
    factories.join(people["learner"], other, "learner", factories.make_team(other))
    page = open_page(viewport=viewport)
    _log_in(page, live_server.url, "learner")
    page.goto(f"{live_server.url}/")
    if viewport is PHONE:
        page.click(".nav-fold > summary")
    assert page.locator(".nav-cohort > a").inner_text() == "부스트캠프 AI Tech 4기"
    page.click(".cohort-switch > summary")
    choice = page.get_by_role("button", name="부스트캠프 AI Tech 3기")
    assert choice.is_visible()  # not clipped by the nav
    with page.expect_navigation():
        choice.click()
    assert page.url == f"{live_server.url}/"  # switched from the home page: its home now
    assert page.locator("#cohorts-title").is_visible()
    assert page.locator(".nav-cohort > a").get_attribute("href") == "/c/ai-tech-3/"
    page.goto(f"{live_server.url}/tags/")  # a page of no cohort: the choice holds
    assert page.locator(".nav-cohort > a").get_attribute("href") == "/c/ai-tech-3/"
