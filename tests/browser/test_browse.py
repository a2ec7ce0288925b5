"""Browsing in a real browser: the week on a phone, the heatmap's links, search with highlights."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.logs.browsing import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]


def test_the_week_reads_on_a_phone_and_leads_to_a_day(
    live_server, page, log_in, learner, cohort, team
):
    make_world(learner, cohort, team)
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, learner)
    page.goto(live_server.url + "/c/ai-tech-3/weeks/4/")
    expect(page.locator("h1")).to_contain_text("04")
    expect(page.locator(".day-section")).to_have_count(5)
    _no_sideways_scroll(page)
    page.locator("#day-2022-02-09 .day-title a").click()
    page.wait_for_url("**/c/ai-tech-3/days/2022-02-09/")
    expect(page.locator(".team-section h2").first).to_contain_text("7조")
    _no_sideways_scroll(page)


def test_a_heatmap_square_links_to_its_day(live_server, page, log_in, learner, cohort, team):
    make_world(learner, cohort, team)
    log_in(page, learner)
    page.goto(live_server.url + "/u/learner/")
    square = page.locator('svg.heatmap a[href="/c/ai-tech-3/days/2022-02-09/"] rect')
    expect(square).to_have_count(1)
    square.click()
    page.wait_for_url("**/c/ai-tech-3/days/2022-02-09/")


def test_search_from_the_header_highlights_korean_words_with_particles(
    live_server, page, log_in, learner, cohort
):
    factories.make_entry(learner, cohort, title="멘토링 정리", body="스케줄러도 매우 중요하다.")
    log_in(page, learner)
    page.fill("#site-search-q", "스케줄러")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    expect(page.locator(".result-row mark")).to_have_text("스케줄러도")
    # On a phone the header's box folds into a link to the search page, whose box is the one
    # box on the page.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + "/")
    expect(page.locator("#site-search-q")).to_be_hidden()
    page.locator(".search-link").click()
    page.wait_for_url("**/search/")
    expect(page.locator('input[type="search"]:visible')).to_have_count(1)
    page.fill("#id_q", "스케줄러")
    page.press("#id_q", "Enter")
    page.wait_for_url("**/search/?q=*")
    expect(page.locator(".result-row mark")).to_have_text("스케줄러도")
    _no_sideways_scroll(page)


def test_insights_stay_inside_a_phone_screen(live_server, page, log_in, learner, cohort, team):
    make_world(learner, cohort, team)
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, learner)
    page.goto(live_server.url + "/c/ai-tech-3/insights/?week=4")
    expect(page.locator("svg.bar-chart")).to_be_visible()
    _no_sideways_scroll(page)
