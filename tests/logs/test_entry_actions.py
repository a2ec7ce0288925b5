"""Delete, download as Markdown, and ticking a task on the page."""

import pytest

from logs.models import Autosave, Entry
from logs.transfer import jekyll
from tests import factories

BODY = "## 오늘 한 일\n- [x] 강의 수강\n- [ ] 과제\n```\n- [ ] 코드 속\n```\n- [ ] 복습\n"


@pytest.fixture
def entry(learner, cohort):
    return factories.make_entry(learner, cohort, body=BODY, tags=["부스트캠프AITech", "week04"])


# --- Delete -------------------------------------------------------------------------------------


def test_the_author_confirms_then_deletes(login, learner, entry):
    client = login(learner)
    confirm = client.get(f"/entries/{entry.pk}/delete/")
    assert confirm.status_code == 200
    assert entry.title in confirm.content.decode()
    assert Entry.objects.filter(pk=entry.pk).exists()
    response = client.post(f"/entries/{entry.pk}/delete/")
    assert response["Location"] == "/u/learner/"
    assert not Entry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("persona", ["teammate", "mentor", "operator"])
def test_others_in_the_cohort_cannot_delete(login, request, persona, entry):
    client = login(request.getfixturevalue(persona))
    assert client.get(f"/entries/{entry.pk}/delete/").status_code == 403
    assert client.post(f"/entries/{entry.pk}/delete/").status_code == 403
    assert Entry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("persona", ["outsider", "foreign_operator"])
def test_strangers_get_404_on_delete(login, request, persona, entry):
    assert (
        login(request.getfixturevalue(persona)).post(f"/entries/{entry.pk}/delete/").status_code
        == 404
    )


def test_anonymous_delete_goes_to_the_login(client, entry):
    assert client.post(f"/entries/{entry.pk}/delete/")["Location"].startswith("/accounts/login/")
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_deleting_removes_its_autosave(login, learner, entry):
    Autosave.objects.create(author=learner, key=f"entry:{entry.pk}", entry=entry, data={})
    login(learner).post(f"/entries/{entry.pk}/delete/")
    assert not Autosave.objects.exists()


# --- Markdown download --------------------------------------------------------------------------


def test_it_downloads_a_jekyll_post_that_parses_back(login, teammate, entry):
    response = login(teammate).get(f"/entries/{entry.pk}/markdown/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert "2022-02-09-" in response["Content-Disposition"]
    post = jekyll.parse_post("x.md", response.content)
    assert post.title == entry.title
    assert post.body == BODY
    assert sorted(post.tags) == ["week04", "부스트캠프AITech"]
    assert post.categories == ["부스트캠프 AI Tech 3기", "Daily Log"]  # as the export writes it
    assert post.visibility == "cohort"


def test_the_download_respects_visibility(client, login, learner, cohort, outsider):
    private = factories.make_entry(learner, cohort, visibility="private")
    assert client.get(f"/entries/{private.pk}/markdown/").status_code == 404
    assert login(outsider).get(f"/entries/{private.pk}/markdown/").status_code == 404
    assert login(learner).get(f"/entries/{private.pk}/markdown/").status_code == 200


def test_a_draft_downloads_as_unpublished(login, learner, cohort):
    draft = factories.make_entry(learner, cohort, status="draft")
    post = jekyll.parse_post("x.md", login(learner).get(f"/entries/{draft.pk}/markdown/").content)
    assert post.published is False


# --- Ticking tasks ------------------------------------------------------------------------------


def tick(client, entry, index, checked=True, version=None):
    return client.post(
        f"/entries/{entry.pk}/tasks/",
        {"index": index, "checked": "1" if checked else "0", "version": version or entry.version},
    )


def test_the_author_ticks_a_task_and_the_markdown_changes(login, learner, entry):
    response = tick(login(learner), entry, 1)
    assert response.status_code == 200
    assert response.json() == {"version": 2, "checked": True}
    entry.refresh_from_db()
    assert "- [x] 과제" in entry.body
    assert "- [ ] 코드 속" in entry.body  # code is not a task
    assert entry.body.count("[x]") == 2


def test_the_rendered_checkbox_index_names_the_line_that_changes(login, learner, entry):
    html = login(learner).get(f"/entries/{entry.pk}/").content.decode()
    assert 'data-task-index="2"' in html
    tick(login(learner), entry, 2)
    entry.refresh_from_db()
    assert entry.body.endswith("- [x] 복습\n")


def test_unticking_works_too(login, learner, entry):
    tick(login(learner), entry, 0, checked=False)
    entry.refresh_from_db()
    assert entry.body.startswith("## 오늘 한 일\n- [ ] 강의 수강")


def test_a_stale_page_gets_409_and_changes_nothing(login, learner, entry):
    client = login(learner)
    tick(client, entry, 1)
    response = tick(client, entry, 2, version=1)
    assert response.status_code == 409
    assert "error" in response.json()
    entry.refresh_from_db()
    assert entry.version == 2 and "- [ ] 복습" in entry.body


@pytest.mark.parametrize("index", ["99", "-1", "x", ""])
def test_a_task_that_does_not_exist_is_a_clear_400(login, learner, entry, index):
    response = login(learner).post(
        f"/entries/{entry.pk}/tasks/", {"index": index, "checked": "1", "version": 1}
    )
    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.parametrize("persona", ["teammate", "mentor", "operator"])
def test_only_the_author_ticks(login, request, persona, entry):
    assert tick(login(request.getfixturevalue(persona)), entry, 1).status_code == 403
    entry.refresh_from_db()
    assert entry.version == 1


def test_anonymous_ticking_is_refused_with_json(client, entry):
    response = tick(client, entry, 1)
    assert response.status_code == 401
    assert response.json()["login_url"] == "/accounts/login/"


def test_ticking_needs_post(login, learner, entry):
    assert login(learner).get(f"/entries/{entry.pk}/tasks/").status_code == 405
