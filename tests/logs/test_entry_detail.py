"""The entry page: who sees what, what it shows, and how many queries it takes."""

import datetime as dt

import pytest
from django.core.cache import cache as django_cache

from tests import factories

ALL = ["learner", "teammate", "mentor", "other_learner", "other_mentor", "operator"]
MEMBERS_OF_OTHER_COHORTS_OR_NONE = ["outsider", "foreign_operator"]


def page(client, entry):
    return client.get(f"/entries/{entry.pk}/")


@pytest.mark.parametrize("persona", ALL)
def test_members_of_the_cohort_see_a_cohort_entry(login, request, persona, learner, cohort):
    entry = factories.make_entry(learner, cohort)
    assert page(login(request.getfixturevalue(persona)), entry).status_code == 200


@pytest.mark.parametrize("persona", MEMBERS_OF_OTHER_COHORTS_OR_NONE)
def test_others_do_not_see_a_cohort_entry(login, request, persona, learner, cohort):
    entry = factories.make_entry(learner, cohort)
    assert page(login(request.getfixturevalue(persona)), entry).status_code == 404


def test_anonymous_visitors_do_not_see_a_cohort_entry(client, learner, cohort):
    assert page(client, factories.make_entry(learner, cohort)).status_code == 404


@pytest.mark.parametrize("persona", [p for p in ALL if p != "learner"])
def test_it_hides_private_entries_from_everyone_but_the_author(
    login, request, persona, learner, cohort
):
    entry = factories.make_entry(learner, cohort, visibility="private")
    assert page(login(request.getfixturevalue(persona)), entry).status_code == 404
    assert page(login(learner), entry).status_code == 200


@pytest.mark.parametrize("persona", [p for p in ALL if p != "learner"])
def test_it_hides_drafts_from_everyone_but_the_author(login, request, persona, learner, cohort):
    entry = factories.make_entry(learner, cohort, visibility="public", status="draft")
    assert page(login(request.getfixturevalue(persona)), entry).status_code == 404
    response = page(login(learner), entry)
    assert response.status_code == 200
    assert "badge-draft" in response.content.decode()


@pytest.mark.parametrize("persona", MEMBERS_OF_OTHER_COHORTS_OR_NONE)
def test_anyone_sees_a_public_entry(login, request, client, persona, learner, cohort):
    entry = factories.make_entry(learner, cohort, visibility="public")
    assert page(client, entry).status_code == 200
    assert page(login(request.getfixturevalue(persona)), entry).status_code == 200


def test_it_shows_title_author_calendar_tags_and_the_stored_html(login, teammate, learner, cohort):
    entry = factories.make_entry(
        learner,
        cohort,
        body="## 오늘 한 일\n- [x] 강의 수강\n\n$c_0$ 와 `code`\n",
        tags=["부스트캠프AITech", "week04"],
    )
    html = page(login(teammate), entry).content.decode()
    for text in (
        "[Week 04 / Day 015] 학습 기록",
        "이캠퍼",
        "Day 015",
        "Level 1 U-stage",
        "/u/learner/",
        "부스트캠프AITech",
        "/tags/%EB%B6%80%EC%8A%A4%ED%8A%B8%EC%BA%A0%ED%94%84aitech/",
        "<math",
        'type="checkbox"',
        'href="#',  # the table of contents
    ):
        assert text in html, text


def test_the_owner_gets_edit_delete_and_ticking_others_only_download(
    login, learner, teammate, cohort
):
    entry = factories.make_entry(learner, cohort)
    own = page(login(learner), entry).content.decode()
    assert f"/entries/{entry.pk}/edit/" in own
    assert f"/entries/{entry.pk}/delete/" in own
    assert "data-task-form" in own and "js/editor.js" in own
    other = page(login(teammate), entry).content.decode()
    assert f"/entries/{entry.pk}/edit/" not in other
    assert f"/entries/{entry.pk}/delete/" not in other
    assert "data-task-form" not in other
    assert f"/entries/{entry.pk}/markdown/" in other


def test_it_links_the_previous_and_next_learning_day_of_the_same_author(
    login, learner, teammate, cohort
):
    before = factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, 4))
    entry = factories.make_entry(learner, cohort)
    after = factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, 10))
    factories.make_entry(teammate, cohort, learning_date=dt.date(2022, 2, 8))
    response = page(login(teammate), entry)
    assert response.context["previous"] == before
    assert response.context["next"] == after


def test_previous_and_next_skip_entries_the_viewer_may_not_see(login, learner, teammate, cohort):
    factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, 8), visibility="private")
    entry = factories.make_entry(learner, cohort)
    factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, 10), status="draft")
    response = page(login(teammate), entry)
    assert response.context["previous"] is None
    assert response.context["next"] is None
    assert page(login(learner), entry).context["previous"] is not None


def test_the_entry_page_is_pinned_at_its_query_count(
    login, learner, teammate, cohort, django_assert_num_queries
):
    """Guards against a query per tag, per TOC heading and per neighbouring entry: the page
    reads the entry (with author, cohort, stage), its tags once, and one row each way."""
    entry = factories.make_entry(learner, cohort, body="## 하나\n## 둘\n", tags=["a"])
    client = login(teammate)

    def check():
        # With nothing cached: the session with its user, the cache versions with the unread
        # count, the roles (memberships and mentored teams in one query, with the header's
        # cohort), the entry with its tags, previous and next (one query), the day's sessions,
        # the comments.
        django_cache.clear()
        with django_assert_num_queries(7):
            assert page(client, entry).status_code == 200

    check()
    entry.tags.add(*[f"tag{i}" for i in range(15)])
    entry.body = "".join(f"## 제목 {i}\n본문\n" for i in range(40))
    entry.save()
    for day in (3, 4, 7, 8, 10, 11):
        factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, day), tags=["x", "y"])
    check()


def test_a_public_entry_costs_an_anonymous_visitor_fewer_queries(
    client, learner, cohort, django_assert_num_queries
):
    entry = factories.make_entry(learner, cohort, visibility="public", tags=["a", "b"])
    # entry, tags, previous and next (one query), the comment count: no session, roles, day's
    # sessions or header cohort for a visitor
    with django_assert_num_queries(4):
        assert page(client, entry).status_code == 200


def test_it_shows_the_reading_time_counted_in_korean_characters(login, learner, teammate, cohort):
    # 1,500 syllables in 300 space-separated words: 3 minutes (as words it would say 1).
    entry = factories.make_entry(learner, cohort, body="트랜스포머 " * 300)
    assert "3분 분량" in page(login(teammate), entry).content.decode()


def test_it_shows_an_update_only_when_made_on_a_later_day(login, learner, teammate, cohort):
    from django.utils import timezone

    from logs.models import Entry

    def at(day: int, hour: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime(2022, 2, day, hour))

    # written (or imported) long after its day and never changed since: no update
    imported = factories.make_entry(learner, cohort)
    edited = factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, 10))
    same_day = factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, 11))
    Entry.objects.filter(pk=edited.pk).update(created_at=at(10, 22), updated_at=at(13, 9))
    Entry.objects.filter(pk=same_day.pk).update(created_at=at(11, 9), updated_at=at(11, 23))
    client = login(teammate)
    assert "entry-updated" not in page(client, imported).content.decode()
    assert "entry-updated" not in page(client, same_day).content.decode()
    html = page(client, edited).content.decode()
    assert '<time class="entry-updated" datetime="2022-02-13">2022-02-13 수정</time>' in html


def test_a_visitor_is_led_only_to_public_neighbours(client, login, learner, teammate, cohort):
    """The visitors' cached page of a public entry links the public days around it and skips
    the cohort's, which its members' page links."""
    day = dt.date(2022, 2, 1)
    factories.make_entry(learner, cohort, learning_date=day, visibility="public", title="공개된 날")
    factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, 8), title="멤버만 본 날")
    entry = factories.make_entry(learner, cohort, visibility="public")
    factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, 10), title="멤버만 볼 날")
    html = page(client, entry).content.decode()
    assert "공개된 날" in html
    assert "멤버만" not in html
    member_html = page(login(teammate), entry).content.decode()
    assert "멤버만 본 날" in member_html
    assert "멤버만 볼 날" in member_html
