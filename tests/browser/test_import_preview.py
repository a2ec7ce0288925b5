"""In a real Chromium: a learner uploads posts, checks the preview, confirms, downloads the zip."""

import pytest

from logs.models import Entry
from tests import factories
from tests.logs.transfer_helpers import FIXTURES, SEED, site_zip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def logged_in_page(browser, live_server, user, width=1280):
    context = browser.new_context(locale="en-US", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return page


def test_a_learner_previews_and_confirms_an_import(browser, live_server, learner, cohort, tmp_path):
    archive = tmp_path / "blog.zip"
    archive.write_bytes(site_zip([SEED, "2022-02-11-week04-weekly.md"]))
    page = logged_in_page(browser, live_server, learner)

    page.goto(live_server.url + "/import/")
    page.set_input_files("input[name=files]", [str(archive), str(FIXTURES / "bad" / "not-yaml.md")])
    page.click("main form.transfer-form button[type=submit]")

    page.wait_for_selector("h1:has-text('Import preview')")
    rows = page.locator("table.import-table tbody tr")
    assert rows.count() == 3
    failed = page.locator("tr.is-failed")
    assert "not-yaml.md" in failed.inner_text()
    assert "not valid YAML" in failed.inner_text()
    seed_row = page.locator("tr", has_text="2022-02-09-week04-day015.md")
    assert "New" in seed_row.inner_text()
    assert "[Week 04 / Day 015] 학습 기록" in seed_row.inner_text()
    assert "부스트캠프AITech" in seed_row.inner_text()
    assert not Entry.objects.exists()

    page.click("button:has-text('Import 2 posts')")

    page.wait_for_selector("h1:has-text('Import finished')")
    assert Entry.objects.filter(author=learner).count() == 2
    link = page.locator("a", has_text="[Week 04 / Day 015] 학습 기록")
    assert link.get_attribute("href") == f"/entries/{Entry.objects.get(source_name=SEED).pk}/"
    page.context.close()


def test_the_preview_is_readable_on_a_phone(browser, live_server, learner, cohort):
    page = logged_in_page(browser, live_server, learner, width=375)

    page.goto(live_server.url + "/import/")
    page.set_input_files("input[name=files]", [str(FIXTURES / SEED)])
    page.click("main form.transfer-form button[type=submit]")

    page.wait_for_selector("h1:has-text('Import preview')")
    # the table becomes one card per file: nothing scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator("tr", has_text=SEED).is_visible()
    page.context.close()


def test_a_learner_downloads_their_logs(browser, live_server, learner, cohort):
    factories.make_entry(learner, cohort)
    page = logged_in_page(browser, live_server, learner)

    page.goto(live_server.url + "/import/")
    with page.expect_download() as download:
        page.click("button:has-text('Download .zip')")

    assert download.value.suggested_filename.startswith("camplog-learner-")
    assert download.value.suggested_filename.endswith(".zip")
    page.context.close()


def test_a_blog_goes_up_in_parts_with_a_progress_bar(
    browser, live_server, learner, cohort, tmp_path, monkeypatch
):
    monkeypatch.setattr("logs.views.transfer.PART_BYTES", 1024)  # a few parts for a small zip
    archive = tmp_path / "blog.zip"
    archive.write_bytes(site_zip([SEED]))
    assert archive.stat().st_size > 3 * 1024
    page = logged_in_page(browser, live_server, learner)
    parts = []
    page.on("request", lambda r: parts.append(r.url) if "/import/upload/" in r.url else None)

    page.goto(live_server.url + "/import/")
    page.set_input_files("input[name=files]", [str(archive)])
    page.click("main form.transfer-form button[type=submit]")

    page.wait_for_selector("h1:has-text('Import preview')")
    assert len(parts) > 3  # the start, then one request per part
    assert "2022-02-09-week04-day015.md" in page.locator("table.import-table").inner_text()
    page.click("button:has-text('Import 1 post')")
    page.wait_for_selector("h1:has-text('Import finished')")
    assert Entry.objects.filter(author=learner).count() == 1
    page.context.close()
