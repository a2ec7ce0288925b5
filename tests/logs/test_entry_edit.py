"""Editing an entry: only its author, every character kept, and two tabs never overwrite."""

import datetime as dt

import pytest

from logs.models import Autosave, Entry
from tests import factories
from tests.logs.entry_helpers import editor_post


@pytest.fixture
def entry(learner, cohort):
    return factories.make_entry(
        learner, cohort, body="## 오늘 한 일\n- [ ] 강의\n", tags=["week04"]
    )


def edit_url(entry):
    return f"/entries/{entry.pk}/edit/"


def test_it_sends_anonymous_visitors_to_the_login(client, entry):
    response = client.get(edit_url(entry))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["teammate", "mentor", "operator", "other_learner"])
def test_people_who_see_it_but_did_not_write_it_get_403(login, request, persona, entry):
    assert login(request.getfixturevalue(persona)).get(edit_url(entry)).status_code == 403
    response = login(request.getfixturevalue(persona)).post(edit_url(entry), editor_post(entry))
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.version == 1


@pytest.mark.parametrize("persona", ["outsider", "foreign_operator"])
def test_people_who_cannot_see_it_get_404(login, request, persona, entry):
    assert login(request.getfixturevalue(persona)).get(edit_url(entry)).status_code == 404


def test_a_private_entry_is_404_for_a_teammate(login, learner, teammate, cohort):
    private = factories.make_entry(learner, cohort, visibility="private")
    assert login(teammate).get(edit_url(private)).status_code == 404


def test_the_author_sees_the_editor_filled_in(login, learner, entry):
    response = login(learner).get(edit_url(entry))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["body"].value() == entry.body
    assert form["tags"].value() == "week04"
    assert form["version"].value() == 1


def test_saving_writes_the_text_and_bumps_the_version(login, learner, entry):
    response = login(learner).post(
        edit_url(entry), editor_post(entry, body="새 본문 $c_0$\n", tags="부스트캠프AITech")
    )
    assert response["Location"] == f"/entries/{entry.pk}/"
    entry.refresh_from_db()
    assert (entry.body, entry.version, entry.has_math) == ("새 본문 $c_0$\n", 2, True)
    assert [t.name for t in entry.tags.all()] == ["부스트캠프AITech"]


def test_changing_the_date_moves_week_and_day(login, learner, entry):
    login(learner).post(edit_url(entry), editor_post(entry, learning_date="2022-02-03"))
    entry.refresh_from_db()
    assert (entry.learning_date, entry.week, entry.day_number) == (dt.date(2022, 2, 3), 3, 11)


def test_moving_onto_a_day_that_has_a_log_is_refused_with_the_text_kept(
    login, learner, cohort, entry
):
    factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, 8))
    response = login(learner).post(
        edit_url(entry), editor_post(entry, body="고친 글", learning_date="2022-02-08")
    )
    assert response.status_code == 200
    assert response.context["form"]["body"].value() == "고친 글"
    entry.refresh_from_db()
    assert entry.learning_date == dt.date(2022, 2, 9)


def test_a_second_tab_gets_a_conflict_page_with_both_versions(login, learner, entry):
    client = login(learner)
    first = client.post(edit_url(entry), editor_post(entry, body="첫 번째 탭의 글\n"))
    assert first.status_code == 302
    second = client.post(edit_url(entry), editor_post(entry, body="두 번째 탭의 글\n", version=1))
    assert second.status_code == 409
    html = second.content.decode()
    assert "첫 번째 탭의 글" in html and "두 번째 탭의 글" in html
    entry.refresh_from_db()
    assert (entry.body, entry.version) == ("첫 번째 탭의 글\n", 2)
    # The losing text is also kept as the editor's draft, in case this page is closed.
    draft = Autosave.objects.get(author=learner, key=f"entry:{entry.pk}")
    assert (draft.data["body"], draft.base_version) == ("두 번째 탭의 글\n", 1)
    # The conflict page's own form carries the current version: saving from it is deliberate.
    assert second.context["entry"].version == 2
    third = client.post(edit_url(entry), editor_post(entry, body="두 번째 탭의 글\n", version=2))
    assert third.status_code == 302
    entry.refresh_from_db()
    assert (entry.body, entry.version) == ("두 번째 탭의 글\n", 3)
    assert not Autosave.objects.filter(saved=False).exists()


def test_a_post_without_a_version_is_a_conflict_not_an_overwrite(login, learner, entry):
    response = login(learner).post(edit_url(entry), editor_post(entry, body="덮어쓰기", version=""))
    assert response.status_code == 409
    entry.refresh_from_db()
    assert entry.body != "덮어쓰기"


def test_an_expired_session_at_save_time_saves_after_the_login(client, learner, entry):
    response = client.post(edit_url(entry), editor_post(entry, body="세션이 끝난 뒤의 글\n"))
    assert response["Location"].startswith("/accounts/login/")
    client.post("/accounts/login/", {"username": "learner", "password": factories.PASSWORD})
    response = client.get(edit_url(entry))
    assert response["Location"] == f"/entries/{entry.pk}/"
    entry.refresh_from_db()
    assert (entry.body, entry.version) == ("세션이 끝난 뒤의 글\n", 2)


def test_the_editor_offers_a_newer_autosaved_draft(login, learner, entry):
    Autosave.objects.create(
        author=learner, key=f"entry:{entry.pk}", entry=entry, data={"body": "자동 저장된 글"}
    )
    response = login(learner).get(edit_url(entry))
    assert response.context["draft_offer"] is not None
    assert response.context["form"]["body"].value() == entry.body


def test_it_does_not_offer_a_draft_equal_to_the_saved_text(login, learner, entry):
    Autosave.objects.create(
        author=learner, key=f"entry:{entry.pk}", entry=entry, data={"body": entry.body}
    )
    assert login(learner).get(edit_url(entry)).context["draft_offer"] is None


def test_restoring_a_draft_fills_the_editor_and_keeps_its_base_version(login, learner, entry):
    Entry.objects.filter(pk=entry.pk).update(version=5)
    Autosave.objects.create(
        author=learner,
        key=f"entry:{entry.pk}",
        entry=entry,
        data={"body": "자동 저장된 글", "title": "초안 제목", "tags": "초안태그"},
        base_version=3,
    )
    response = login(learner).get(edit_url(entry) + "?restore=1")
    form = response.context["form"]
    assert form["body"].value() == "자동 저장된 글"
    assert form["title"].value() == "초안 제목"
    assert form["tags"].value() == "초안태그"
    # Saving it meets the conflict check against version 5 instead of overwriting it.
    assert form["version"].value() == 3


def test_the_editor_page_is_pinned_at_its_query_count(
    login, learner, teammate, team, cohort, django_assert_num_queries
):
    """Guards the tag suggestions, the calendar rows and the team's sessions of the day: one
    query each, whatever the number of tags, entries and sessions (no query per tag, per
    holiday, per stage or per session)."""
    client = login(learner)
    entry = factories.make_entry(learner, cohort, tags=["a", "b"])

    def check():
        # the session with its user, the entry, its tags, the cohort with its calendar, the
        # autosave, tag suggestions, the viewer's roles (header cohort, unread count), the
        # team's sessions of the day
        with django_assert_num_queries(8):
            assert client.get(edit_url(entry)).status_code == 200

    check()
    for day in range(3, 8):
        factories.make_entry(
            teammate, cohort, learning_date=dt.date(2022, 2, day), tags=[f"t{day}", "공통"]
        )
    for kind in ("peer", "mentoring", "peer"):
        factories.make_session(team, kind=kind, title=f"{kind} 세션")
    check()


def test_a_version_too_large_for_the_database_is_a_conflict_not_a_500(login, learner, entry):
    response = login(learner).post(edit_url(entry), editor_post(entry, version="9" * 30))
    assert response.status_code == 409
