"""Input that once gave a 500, each answered with a clear refusal (or a 404 for an address that
can name nothing), and what the user typed kept where there is a form to keep it in.

`²` passes str.isdigit() and fails int(); 30 digits pass int() and overflow Postgres; a NUL
cannot be stored in Postgres text; a tag is at most 100 characters in taggit's table; a date of
year 1 or 9999 is a week number no smallint holds. tests/security/test_no_500.py throws
generated input of the same kinds at every URL pattern.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.operators import grant_operator_access
from logs.models import Autosave, Entry, Notification, PendingImport, Session
from logs.transfer.limits import UPLOAD_MAX_FILES
from tests import factories

HUGE = "9" * 30


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def browser(learner):
    """The learner's browser: a 500 is a response here, as a user would get it."""
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(learner)
    return client


@pytest.fixture
def anonymous(db):
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")


# --- Numbers that are not numbers, and numbers too big ------------------------------------------


def _draft(cohort, **fields) -> dict:
    return {
        "autosave_key": f"new:{cohort.pk}:daily:2022-02-09",
        "title": "제목",
        "body": "본문",
        **fields,
    }


@pytest.mark.parametrize(
    "fields",
    [
        {"autosave_key": "entry:²"},
        {"autosave_key": "new:²:daily:2022-02-09"},
        {"autosave_key": f"entry:{HUGE}"},
        {"autosave_key": f"new:{HUGE}:daily:2022-02-09"},
    ],
)
def test_a_draft_key_that_names_nothing_is_refused(browser, cohort, fields):
    response = browser.post(reverse("logs:draft_save"), _draft(cohort, **fields))
    assert response.status_code == 403
    assert response.json()["error"]


@pytest.mark.parametrize("version", ["²", HUGE, "-1", "abc"])
def test_a_draft_with_a_version_that_is_no_version_is_still_saved(browser, cohort, version):
    response = browser.post(reverse("logs:draft_save"), _draft(cohort, version=version))
    assert response.status_code == 200
    draft = Autosave.objects.get()
    assert draft.data["body"] == "본문" and draft.base_version is None


@pytest.mark.parametrize("field", ["body", "title"])
def test_a_draft_with_a_nul_character_is_saved_without_it(browser, cohort, field):
    response = browser.post(reverse("logs:draft_save"), _draft(cohort, **{field: "앞\x00뒤"}))
    assert response.status_code == 200
    assert Autosave.objects.get().data[field] == "앞뒤"


def test_discarding_a_draft_under_a_key_with_a_nul_character_discards_nothing(
    browser, learner, cohort
):
    browser.post(reverse("logs:draft_save"), _draft(cohort))
    response = browser.post(
        reverse("logs:draft_discard"), {"autosave_key": f"new:{cohort.pk}\x00", "next": "/"}
    )
    assert response.status_code == 302
    assert Autosave.objects.count() == 1


@pytest.mark.parametrize("cohort_key", ["²", HUGE])
def test_a_new_session_for_a_cohort_that_is_no_cohort_is_a_404(browser, cohort, cohort_key):
    response = browser.get(reverse("logs:session_new"), {"cohort": cohort_key})
    assert response.status_code == 404


@pytest.mark.parametrize("cohort_key", ["²", HUGE])
def test_the_sessions_snippet_for_a_cohort_that_is_no_cohort_is_a_404(browser, cohort_key):
    response = browser.get(
        reverse("logs:day_sessions_snippet"), {"cohort": cohort_key, "date": "2022-02-09"}
    )
    assert response.status_code == 404


def _editor(entry, version) -> dict:
    return {
        "learning_date": entry.learning_date.isoformat(),
        "title": "고친 제목",
        "body": "고친 본문\n",
        "tags": "",
        "visibility": entry.visibility,
        "status": entry.status,
        "version": version,
    }


@pytest.mark.parametrize("version", ["²", HUGE])
def test_an_entry_saved_with_a_version_that_is_no_version_keeps_the_text(
    browser, learner, cohort, version
):
    entry = factories.make_entry(learner, cohort)
    response = browser.post(reverse("logs:entry_edit", args=[entry.pk]), _editor(entry, version))
    assert response.status_code == 409  # the conflict page, with what was typed
    assert "고친 본문" in response.text
    entry.refresh_from_db()
    assert entry.body != "고친 본문\n"


@pytest.mark.parametrize("version", ["²", HUGE])
def test_ticking_a_task_with_a_version_that_is_no_version_is_refused(
    browser, learner, cohort, version
):
    entry = factories.make_entry(learner, cohort, body="- [ ] 과제\n")
    response = browser.post(
        reverse("logs:entry_toggle_task", args=[entry.pk]),
        {"index": 0, "checked": 1, "version": version},
    )
    assert response.status_code == 400


def _session_edit(session, learner, version) -> dict:
    data = {
        "kind": session.kind,
        "date": session.date.isoformat(),
        "title": session.title,
        "host": str(learner.pk),
        "attendees": [str(learner.pk)],
        "summary": "### 키워드 공유\n- 내가 쓴 요약\n",
        "tags": "attention",
        "version": version,
    }
    for prefix in ("problems", "questions"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


@pytest.mark.parametrize("version", ["²", HUGE])
def test_a_session_saved_with_a_version_that_is_no_version_keeps_the_text(
    browser, learner, team, version
):
    session = factories.make_session(team)
    response = browser.post(
        reverse("logs:session_edit", args=[session.pk]), _session_edit(session, learner, version)
    )
    assert response.status_code == 409  # the conflict page, with what was typed
    assert "내가 쓴 요약" in response.text
    session.refresh_from_db()
    assert "내가 쓴 요약" not in session.summary


@pytest.mark.parametrize("raw", ["abc", "²", HUGE, "1\x00"])
def test_marking_a_notification_that_is_no_notification_read_is_a_404(
    browser, learner, mentor, raw
):
    Notification.objects.create(recipient=learner, actor=mentor, verb="comment")
    response = browser.post(reverse("logs:notifications_read"), {"id": raw})
    assert response.status_code == 404
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_marking_read_with_a_next_that_is_a_bare_word_goes_there(browser, learner, mentor):
    Notification.objects.create(recipient=learner, actor=mentor, verb="comment")
    response = browser.post(reverse("logs:notifications_read"), {"next": "²"})
    assert response.status_code == 302 and response["Location"] == "%C2%B2"


# --- NUL ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/u/a%00b/", "/tags/a%00b/", "/feeds/u/a%00/", "/feeds/tags/a%00/", "/media/a%00.png"]
)
def test_an_address_with_a_nul_character_is_a_404(anonymous, browser, path):
    assert anonymous.get(path).status_code == 404
    assert browser.get(path).status_code == 404


def test_a_query_with_a_nul_character_is_a_bad_request(anonymous, browser, cohort):
    for client in (anonymous, browser):
        assert client.get("/search/", {"q": "트랜스\x00포머"}).status_code == 400
        assert client.get(f"/c/{cohort.slug}/weeks/4/", {"page": "\x00"}).status_code == 400
        assert client.get("/sessions/new/", {"cohort": "x\x00"}).status_code == 400
        assert client.get("/search/", {"q": "트랜스포머"}).status_code == 200


@pytest.fixture
def operator_client(operator):
    grant_operator_access(operator)
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(operator)
    return client


@pytest.mark.parametrize(
    "row",
    [
        "kim,kim@example.com,김\x00캠퍼,learner,",
        "kim,kim@example.com,김캠퍼,learner,7\x00조",
        "ki\x00m,kim@example.com,,,",
    ],
)
def test_a_member_file_with_a_nul_character_is_refused_clearly(operator_client, cohort, row):
    url = reverse("admin:accounts_cohort_import", args=[cohort.pk])
    text = f"username,email,name,role,team\n{row}\n"
    for data in (
        {"csv_text": text, "preview": "1"},
        {"csv_file": SimpleUploadedFile("m.csv", text.encode()), "preview": "1"},
        {"csv_text": text, "confirm": "1"},
    ):
        response = operator_client.post(url, data)
        assert response.status_code == 200, data
        assert "null character" in response.text.lower(), data
        assert "kim" in response.text  # the rows, kept in the text box


# --- A session tag over 100 characters ----------------------------------------------------------


def test_a_session_with_a_tag_too_long_gets_a_message_and_keeps_the_text(browser, learner, team):
    data = _session_edit(factories.make_session(team), learner, "")
    data["tags"] = "attention, " + "가" * 101
    data.pop("version")
    response = browser.post(
        reverse("logs:session_new") + f"?team={team.pk}&kind=peer&date=2022-02-09", data
    )
    assert response.status_code == 400  # the form again, with what was typed
    assert "at most 50 characters" in response.text
    assert "내가 쓴 요약" in response.text and "가" * 101 in response.text
    assert Session.objects.count() == 1


# --- The browser import -------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(
    "date",
    [
        "0001-01-01 21:00:00 +0900",
        "9999-12-31 21:00:00 +0900",
        "0001-01-01 01:00:00 +0900",  # before the cut-off: the day before year 1
        "9999-12-31 23:00:00 -1200",  # in Seoul, year 10000
        "0001-01-01",
        "1800-03-01",
    ],
)
def test_a_post_dated_beyond_any_calendar_is_refused_at_the_preview(
    browser, learner, cohort, media, date
):
    post = f"---\ntitle: 먼 글\ndate: {date}\n---\n본문\n".encode()
    files = [
        SimpleUploadedFile("far.md", post),
        SimpleUploadedFile("2022-02-09-near.md", b"---\ntitle: near\n---\nbody\n"),
    ]
    preview = browser.post(reverse("logs:import"), {"cohort": cohort.pk, "files": files})
    assert preview.status_code == 200
    assert "far from the cohort" in preview.text
    token = PendingImport.objects.get(owner=learner).token
    done = browser.post(reverse("logs:import_confirm"), {"token": token})
    assert done.status_code == 200
    assert list(Entry.objects.values_list("title", flat=True)) == ["near"]


def test_too_many_files_get_the_forms_own_message(browser, cohort, media):
    files = [
        SimpleUploadedFile(f"2022-02-{n % 28 + 1:02d}-p{n}.md", b"---\ntitle: x\n---\n")
        for n in range(UPLOAD_MAX_FILES + 1)
    ]
    response = browser.post(reverse("logs:import"), {"cohort": cohort.pk, "files": files})
    assert response.status_code == 200
    assert f"Choose at most {UPLOAD_MAX_FILES} files at a time" in response.text


def test_the_importer_is_given_real_posts(browser, cohort, media):
    """The files above make a real import when they are fewer: the refusal is about their
    number."""
    files = [SimpleUploadedFile("2022-02-09-p.md", b"---\ntitle: x\n---\n")]
    response = browser.post(reverse("logs:import"), {"cohort": cohort.pk, "files": files})
    assert response.status_code == 200 and "Choose at most" not in response.text
