"""Atom feeds of public entries: /feeds/u/<username>/, /feeds/c/<slug>/, /feeds/tags/<slug>/."""

import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest

from tests import factories
from tests.logs.browsing import make_world

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = ["/feeds/u/learner/", "/feeds/c/ai-tech-3/", "/feeds/tags/shared-tag/"]


@pytest.fixture
def world(learner, cohort, team):
    return make_world(learner, cohort, team)


def _entries(response) -> dict[str, ET.Element]:
    root = ET.fromstring(response.content)
    return {e.findtext(f"{ATOM}title"): e for e in root.findall(f"{ATOM}entry")}


@pytest.mark.parametrize("url", FEEDS)
def test_a_feed_is_valid_atom(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}base").startswith("http://testserver/")
    for required in ("id", "title", "updated"):
        assert root.findtext(f"{ATOM}{required}")
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{required}")
        assert entry.find(f"{ATOM}author/{ATOM}name").text == "이캠퍼"
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http://")
        assert entry.find(f"{ATOM}content").get("type") == "html"


@pytest.mark.parametrize("url", FEEDS)
@pytest.mark.parametrize("persona", ["anonymous", "learner", "teammate", "operator", "outsider"])
def test_a_feed_lists_only_public_entries_whoever_asks(client, request, world, url, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    titles = {title.split()[0] for title in _entries(client.get(url))}
    assert titles == {"PUBLIC-LOG"}


def test_a_feed_carries_the_sanitized_html_and_the_tags(client, world):
    entry = _entries(client.get("/feeds/u/learner/"))["PUBLIC-LOG 공개 기록"]
    content = entry.findtext(f"{ATOM}content")
    assert "트랜스포머의" in content
    assert "<script" not in content  # the stored HTML went through the sanitizer
    assert content == world.public.body_html
    terms = {c.get("term") for c in entry.findall(f"{ATOM}category")}
    assert terms == {"public-tag", "shared-tag", "부스트캠프AITech"}


def test_a_korean_tag_has_a_feed(client, world):
    response = client.get("/feeds/tags/" + quote("부스트캠프aitech") + "/")
    assert response.status_code == 200
    assert "PUBLIC-LOG 공개 기록" in _entries(response)


def test_a_feed_of_someone_with_nothing_public_is_empty_not_missing(client, teammate, cohort):
    factories.make_entry(teammate, cohort, title="cohort only")
    response = client.get("/feeds/u/learner2/")
    assert response.status_code == 200
    assert _entries(response) == {}


@pytest.mark.parametrize(
    "url", ["/feeds/u/nobody/", "/feeds/c/no-such-cohort/", "/feeds/tags/no-such-tag/"]
)
def test_an_unknown_learner_cohort_or_tag_is_a_404(client, db, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("tag", ["secret-tag", "draft-tag", "cohort-tag", "session-tag"])
def test_a_tag_on_nothing_public_has_no_feed(client, world, tag):
    """Only on a private log, a draft, a cohort log or a session: the feed would name it."""
    assert client.get(f"/tags/{tag}/").status_code == 404
    assert client.get(f"/feeds/tags/{tag}/").status_code == 404


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("/u/learner/", "/feeds/u/learner/"),
        ("/c/ai-tech-3/", "/feeds/c/ai-tech-3/"),
        ("/tags/shared-tag/", "/feeds/tags/shared-tag/"),
    ],
)
def test_pages_link_their_feed_as_an_alternate(client, world, page, feed):
    html = client.get(page).content.decode()
    assert '<link rel="alternate" type="application/atom+xml" title="' in html
    assert f'href="{feed}"' in html


@pytest.mark.parametrize("count", [1, 8])
def test_a_feed_runs_a_fixed_number_of_queries(
    client, learner, cohort, django_assert_num_queries, count
):
    """1 the learner, 1 entries (with author and cohort joined), 1 their tags (prefetched)."""
    for i in range(count):
        factories.make_entry(
            learner, cohort, kind="note", title=f"공개 {i}", visibility="public", tags=["a", "b"]
        )
    with django_assert_num_queries(3):
        client.get("/feeds/u/learner/")
