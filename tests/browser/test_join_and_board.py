"""In a real Chromium: signing up with an invite link, and the operator's board on a phone."""

import datetime as dt

import pytest

from accounts.calendar import CohortCalendar
from accounts.models import Invite, Membership
from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_a_visitor_signs_up_with_an_invite_link(live_server, page, cohort, team):
    invite = Invite.objects.create(cohort=cohort, team=team)
    page.goto(live_server.url + invite.get_absolute_url())
    page.fill("input[name=username]", "newbie")
    page.fill("input[name=display_name]", "신입캠퍼")
    page.fill("input[name=email]", "newbie@example.com")
    page.fill("input[name=password1]", "a-long-passphrase-42")
    page.fill("input[name=password2]", "a-long-passphrase-42")
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    assert "부스트캠프 AI Tech 3기" in page.content()
    assert Membership.objects.get(user__username="newbie").team == team


def test_a_wrong_repeat_password_keeps_the_form_filled(live_server, page, cohort):
    invite = Invite.objects.create(cohort=cohort)
    page.goto(live_server.url + invite.get_absolute_url())
    page.fill("input[name=username]", "newbie")
    page.fill("input[name=display_name]", "신입캠퍼")
    page.fill("input[name=email]", "newbie@example.com")
    page.fill("input[name=password1]", "a-long-passphrase-42")
    page.fill("input[name=password2]", "another-passphrase-42")
    page.click("main form button[type=submit]")
    assert page.input_value("input[name=display_name]") == "신입캠퍼"
    assert page.locator(".field-errors").count() >= 1


def test_the_board_scrolls_inside_its_table_on_a_phone(
    live_server, browser, operator, cohort, team, monkeypatch
):
    monkeypatch.setattr(CohortCalendar, "today", lambda self, now=None: dt.date(2022, 2, 9))
    for i in range(3):
        user = factories.make_user(f"camper{i}", display_name=f"아주 긴 이름의 캠퍼 {i}")
        factories.join(user, cohort, "learner", team)
        factories.make_entry(user, cohort, learning_date=dt.date(2022, 2, 7))
    context = browser.new_context(locale="ko-KR", viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("main form button[type=submit]")
    page.goto(live_server.url + f"/c/{cohort.slug}/board/?week=4")
    assert page.locator("table.board tbody tr").count() == 3
    # The page itself never scrolls sideways: only the table does.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
