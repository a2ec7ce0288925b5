"""Link previews of the entry page (logs/sharing.py): a public entry says what a pasted link
shows — description, Open Graph and Twitter tags, a canonical address, a picture — and has a
copy-link action; an entry that is not public says none of it, to anyone, cached or not."""

import datetime as dt
import re

import pytest

from logs.models import Entry
from logs.uploads import link_uploads, store_image
from tests import factories
from tests.logs.entry_helpers import png_bytes

SHARE_TAGS = ('name="description"', 'rel="canonical"', 'property="og:', 'name="twitter:')


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def page(client, entry):
    return client.get(f"/entries/{entry.pk}/")


def meta(html: str, key: str) -> str | None:
    found = re.search(rf'<meta (?:name|property)="{re.escape(key)}" content="([^"]*)"', html)
    return found and found.group(1)


def public_entry(learner, cohort, **fields):
    fields.setdefault("body", "## 요약\nRNN 없이 attention만으로 sequence를 처리한다.\n")
    return factories.make_entry(learner, cohort, visibility="public", **fields)


def test_a_public_entry_describes_itself_to_link_previews(client, learner, cohort):
    entry = public_entry(learner, cohort, kind=Entry.Kind.NOTE, title="Attention 정리")
    html = page(client, entry).content.decode()
    url = f"http://testserver/entries/{entry.pk}/"
    assert meta(html, "description") == "RNN 없이 attention만으로 sequence를 처리한다."
    assert f'<link rel="canonical" href="{url}">' in html
    assert meta(html, "og:title") == meta(html, "twitter:title") == "Attention 정리"
    assert meta(html, "og:description") == meta(html, "description")
    assert meta(html, "og:url") == url
    assert meta(html, "og:type") == "article"
    assert meta(html, "twitter:card") == "summary_large_image"
    # no picture in the entry: the site's card, at an absolute address
    assert meta(html, "og:image") == meta(html, "twitter:image")
    assert re.fullmatch(
        r"http://testserver/static/img/share-card(\.\w+)?\.png", meta(html, "og:image")
    )
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "630")
    assert "data-copy-link" in html


def test_the_canonical_address_drops_the_comment_page(client, learner, cohort):
    entry = public_entry(learner, cohort)
    html = client.get(f"/entries/{entry.pk}/?comments=2").content.decode()
    assert f'<link rel="canonical" href="http://testserver/entries/{entry.pk}/">' in html


def test_a_long_excerpt_is_cut_at_a_word(client, learner, cohort):
    entry = public_entry(learner, cohort, body="트랜스포머는 주의를 기울인다. " * 40)
    description = meta(page(client, entry).content.decode(), "description")
    assert len(description) <= 160
    assert description.endswith("…")
    assert not description.endswith(" …")


def test_an_entry_without_prose_is_described_by_its_title(client, learner, cohort):
    entry = public_entry(learner, cohort, title="코드만", body="```python\nprint(1)\n```\n")
    assert meta(page(client, entry).content.decode(), "description") == "코드만"


def test_the_first_picture_anyone_may_load_is_the_preview(client, learner, teammate, cohort):
    foreign = store_image(teammate, png_bytes(), "theirs.png")  # not the author's: never linked
    own = store_image(learner, png_bytes(size=(640, 360), color="blue"), "mine.png")
    entry = public_entry(learner, cohort, body=f"![a]({foreign.url})\n\n![b]({own.url})\n")
    link_uploads(entry, entry.body, learner)
    html = page(client, entry).content.decode()
    image = meta(html, "og:image")
    assert image == f"http://testserver{own.url}"
    assert meta(html, "og:image:width") == "640"
    assert meta(html, "og:image:height") == "360"
    assert client.get(own.url).status_code == 200  # a visitor's preview can load it
    assert client.get(foreign.url).status_code == 404


@pytest.mark.parametrize(
    "fields",
    [
        {"visibility": "cohort"},
        {"visibility": "private"},
        {"visibility": "public", "status": "draft"},
    ],
)
@pytest.mark.parametrize("viewer", ["learner", "teammate"])
def test_an_entry_that_is_not_public_says_nothing_to_previews(
    login, request, learner, cohort, fields, viewer
):
    entry = factories.make_entry(learner, cohort, **fields)
    response = page(login(request.getfixturevalue(viewer)), entry)
    if response.status_code == 404:  # the teammate may not see a private entry or a draft
        assert viewer == "teammate"
        return
    html = response.content.decode()
    for tag in SHARE_TAGS:
        assert tag not in html
    assert "data-copy-link" not in html


def test_a_cached_public_page_never_carries_a_private_entry(client, login, learner, cohort):
    """The owner's page of a public entry names their private next day; a visitor's page of the
    same entry must not, and an entry made private loses its preview at once."""
    entry = public_entry(learner, cohort)
    factories.make_entry(
        learner, cohort, learning_date=dt.date(2022, 2, 10), visibility="private", title="비밀 일기"
    )
    owner = login(learner)
    assert "비밀 일기" in page(owner, entry).content.decode()
    client.logout()
    visitor_html = page(client, entry).content.decode()
    assert "비밀 일기" not in visitor_html
    assert meta(visitor_html, "og:title") == entry.title

    entry.visibility = "private"
    entry.save()
    assert page(client, entry).status_code == 404
    owner_html = page(login(learner), entry).content.decode()
    for tag in SHARE_TAGS:
        assert tag not in owner_html


def test_pictures_cost_a_visitor_one_query_however_many(
    client, learner, cohort, django_assert_num_queries
):
    """Guards against a query per picture when choosing the preview's picture: entry, tags,
    previous and next, the comment count, and the linked uploads once."""
    uploads = [store_image(learner, png_bytes()) for _ in range(2)]
    entry = public_entry(learner, cohort, body="".join(f"![x]({u.url})\n\n" for u in uploads))
    link_uploads(entry, entry.body, learner)
    with django_assert_num_queries(5):
        page(client, entry)
    uploads += [store_image(learner, png_bytes()) for _ in range(6)]
    entry.body = "".join(f"![x]({u.url})\n\n" for u in uploads)
    entry.save()
    link_uploads(entry, entry.body, learner)
    with django_assert_num_queries(5):
        page(client, entry)
