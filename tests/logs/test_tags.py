"""Tags: /tags/ and /tags/<slug>/ (Korean and percent-encoded slugs)."""

from urllib.parse import quote

import pytest
from taggit.models import Tag

from logs.models import Entry
from tests import factories
from tests.logs.browsing import make_world, populate, week_days

KOREAN = "/tags/부스트캠프aitech/"


@pytest.fixture
def world(learner, cohort, team):
    return make_world(learner, cohort, team)


def _client(client, request, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


def _counts(response) -> dict[str, int]:
    return {tag.name: tag.total for tag in response.context["tags"]}


# --- /tags/ ------------------------------------------------------------------------------------


def test_the_author_sees_every_tag_with_counts(login, learner, world):
    counts = _counts(login(learner).get("/tags/"))
    assert counts["shared-tag"] == 4  # private, cohort and public logs, and the session
    assert counts["secret-tag"] == 1
    assert counts["draft-tag"] == 1


@pytest.mark.parametrize("persona", ["teammate", "mentor", "other_learner", "operator"])
def test_members_see_tags_of_what_they_can_see(client, request, world, persona):
    counts = _counts(_client(client, request, persona).get("/tags/"))
    assert counts["shared-tag"] == 3
    assert counts["session-tag"] == 1
    assert "secret-tag" not in counts
    assert "draft-tag" not in counts


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "foreign_operator"])
def test_strangers_see_only_tags_of_public_logs(client, request, world, persona):
    response = _client(client, request, persona).get("/tags/")
    counts = _counts(response)
    assert counts == {"shared-tag": 1, "public-tag": 1, "부스트캠프AITech": 1}
    assert "secret-tag" not in response.content.decode()


def test_the_tag_list_is_sorted_by_use_and_paginated(login, learner, cohort):
    for i in range(105):
        factories.make_entry(
            learner, cohort, kind=Entry.Kind.NOTE, title=f"note {i}", tags=[f"t{i:03d}", "popular"]
        )
    client = login(learner)
    first = client.get("/tags/")
    assert first.context["tags"][0].name == "popular"
    assert first.context["page_obj"].paginator.num_pages == 2
    assert len(client.get("/tags/?page=2").context["tags"]) == 6
    assert client.get("/tags/?page=999").status_code == 200
    assert client.get("/tags/?page=abc").status_code == 200


def test_an_empty_tag_list_says_so(client, db):
    response = client.get("/tags/", HTTP_ACCEPT_LANGUAGE="en")
    assert "No tags yet" in response.content.decode()


@pytest.mark.parametrize("learners", [2, 12])
def test_the_tag_list_runs_a_fixed_number_of_queries(
    login, learner, cohort, django_assert_num_queries, learners
):
    """The session with its user; the viewer's roles (with the unread count and the header's
    cohort); the count and the page of tags (entry and session counts are correlated
    subqueries: no query per tag)."""
    populate(cohort, learners, week_days(2))
    client = login(learner)
    with django_assert_num_queries(4):
        client.get("/tags/")


# --- /tags/<slug>/ -----------------------------------------------------------------------------


def test_a_korean_slug_works_raw_and_percent_encoded(client, world):
    assert Tag.objects.get(name="부스트캠프AITech").slug == "부스트캠프aitech"
    for url in (KOREAN, "/tags/" + quote("부스트캠프aitech") + "/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "PUBLIC-LOG" in response.content.decode()


def test_a_tag_named_in_another_case_redirects_to_its_slug(client, world):
    response = client.get("/tags/" + quote("부스트캠프AITech") + "/")
    assert response.status_code == 302
    assert response["Location"] == "/tags/" + quote("부스트캠프aitech") + "/"


def test_an_unknown_tag_is_a_404(client, world):
    assert client.get("/tags/no-such-tag/").status_code == 404
    assert client.get("/tags/%ED%95%9C/").status_code == 404


@pytest.mark.parametrize(
    "persona", ["anonymous", "teammate", "mentor", "operator", "outsider", "foreign_operator"]
)
def test_a_tag_only_on_a_private_log_is_a_404_for_everyone_but_its_author(
    client, request, world, persona
):
    assert _client(client, request, persona).get("/tags/secret-tag/").status_code == 404


def test_the_author_sees_their_private_tag(login, learner, world):
    response = login(learner).get("/tags/secret-tag/")
    assert response.status_code == 200
    assert "PRIVATE-LOG" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "visible", "hidden"),
    [
        ("learner", ["PRIVATE-LOG", "COHORT-LOG", "PUBLIC-LOG", "SESSION-NOTE"], []),
        ("teammate", ["COHORT-LOG", "PUBLIC-LOG", "SESSION-NOTE"], ["PRIVATE-LOG"]),
        ("mentor", ["COHORT-LOG", "PUBLIC-LOG", "SESSION-NOTE"], ["PRIVATE-LOG"]),
        ("operator", ["COHORT-LOG", "PUBLIC-LOG", "SESSION-NOTE"], ["PRIVATE-LOG"]),
        ("anonymous", ["PUBLIC-LOG"], ["PRIVATE-LOG", "COHORT-LOG", "SESSION-NOTE"]),
        ("outsider", ["PUBLIC-LOG"], ["PRIVATE-LOG", "COHORT-LOG", "SESSION-NOTE"]),
        ("foreign_operator", ["PUBLIC-LOG"], ["PRIVATE-LOG", "COHORT-LOG", "SESSION-NOTE"]),
    ],
)
def test_a_tag_page_lists_exactly_what_the_viewer_may_see(
    client, request, world, persona, visible, hidden
):
    html = _client(client, request, persona).get("/tags/shared-tag/").content.decode()
    for title in visible:
        assert title in html
    for title in hidden:
        assert title not in html


def test_it_filters_by_kind_and_cohort(login, learner, world, foreign_operator):
    client = login(learner)
    sessions = client.get("/tags/shared-tag/?kind=session").content.decode()
    assert "SESSION-NOTE" in sessions
    assert "COHORT-LOG" not in sessions
    daily = client.get("/tags/shared-tag/?kind=daily").content.decode()
    assert "COHORT-LOG" in daily
    assert "SESSION-NOTE" not in daily
    other = client.get("/tags/shared-tag/?cohort=other-cohort", HTTP_ACCEPT_LANGUAGE="en")
    assert other.status_code == 200
    assert "Nothing matches these filters" in other.content.decode()
    assert client.get("/tags/shared-tag/?kind=bogus&cohort=nope").status_code == 200


def test_it_shows_the_tags_that_appear_together(login, teammate, world):
    related = {t.name: t.count for t in login(teammate).get("/tags/shared-tag/").context["related"]}
    assert related == {"cohort-tag": 1, "public-tag": 1, "부스트캠프AITech": 1, "session-tag": 1}


def test_a_tag_page_links_its_atom_feed(client, world):
    html = client.get("/tags/shared-tag/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/feeds/tags/shared-tag/"' in html


def test_a_tag_page_is_paginated(login, learner, cohort):
    for i in range(25):
        factories.make_entry(
            learner, cohort, kind=Entry.Kind.NOTE, title=f"노트 {i}", tags=["many"]
        )
    client = login(learner)
    assert len(client.get("/tags/many/").context["rows"]) == 20
    assert len(client.get("/tags/many/?page=2").context["rows"]) == 5


@pytest.mark.parametrize("learners", [2, 12])
def test_a_tag_page_runs_a_fixed_number_of_queries(
    login, learner, cohort, django_assert_num_queries, learners
):
    """With nothing cached: the session with its user; the page's cache versions with the
    unread count; the viewer's roles; the tag; the cohorts (filter); the count and the page of
    the UNION of entries and sessions; then for the page only: its sessions and its entries
    (tags, comment counts and teams in the row); the related tags of entries and of sessions.
    No query per row, per tag or per comment count at either size."""
    populate(cohort, learners, week_days(2))
    client = login(learner)
    with django_assert_num_queries(11):
        response = client.get("/tags/scale/")
    kinds = {kind for kind, _ in response.context["rows"]}
    assert kinds == {"entry", "session"}
