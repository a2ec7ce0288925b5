"""The "download my logs" zip: /export/."""

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse

from logs.transfer.jekyll import parse_post
from logs.uploads import link_uploads, store_image
from tests import factories
from tests.logs.transfer_helpers import png

EXPORT = reverse("logs:export")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def names_in(response) -> list[str]:
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


def test_it_sends_anonymous_visitors_to_the_login_page(client, db):
    response = client.get(EXPORT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["learner", "teammate", "mentor", "other_learner"])
def test_everyone_downloads_only_their_own_entries(request, login, cohort, persona, learner):
    user = request.getfixturevalue(persona)
    factories.make_entry(learner, cohort, title="이캠퍼의 글", visibility="public")
    factories.make_entry(user, cohort, kind="note", title=f"{persona}의 노트")

    response = login(user).get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="camplog-{user.username}-' in response["Content-Disposition"]
    names = names_in(response)
    if persona == "learner":
        assert len(names) == 2
    else:
        assert names == [f"_posts/2022-02-09-{persona.replace('_', '-')}의-노트.md"]


@pytest.mark.parametrize("persona", ["operator", "foreign_operator", "outsider"])
def test_who_has_no_entries_is_told_so(request, login, persona):
    user = request.getfixturevalue(persona)

    response = login(user).get(EXPORT, HTTP_ACCEPT_LANGUAGE="en", follow=True)

    assert response.redirect_chain == [(reverse("logs:import"), 302)]
    assert "You have no entries to export yet." in response.content.decode()


def test_private_entries_drafts_and_images_are_in_the_download(login, learner, cohort):
    picture = store_image(learner, png())
    entry = factories.make_entry(
        learner, cohort, status="draft", visibility="private", body=f"![a]({picture.url})\n"
    )
    link_uploads(entry, entry.body, learner)

    response = login(learner).get(EXPORT)

    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == [
            "_posts/2022-02-09-week-04-day-015-학습-기록.md",
            f"assets/img/camplog/{picture.key}.png",
        ]
        post = parse_post("x.md", archive.read(archive.namelist()[0]))
    assert (post.published, post.visibility) == (False, "private")


def test_sessions_are_added_when_asked(login, learner, team, cohort):
    factories.make_entry(learner, cohort)
    factories.make_session(team, summary="### 키워드 공유\n- attention\n")

    client = login(learner)
    plain = b"".join(client.get(EXPORT).streaming_content)
    with_sessions = b"".join(client.get(EXPORT, {"sessions": "1"}).streaming_content)

    def body(data):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read(archive.namelist()[0]).decode()

    assert "키워드 공유" not in body(plain)
    assert "## **👥 피어세션**\n### 키워드 공유\n- attention\n" in body(with_sessions)


def test_the_download_query_count_does_not_grow_with_entries(
    login, learner, team, cohort, django_assert_num_queries
):
    """Tags, images, cohorts (with their calendars) and sessions are read once for all entries:
    the n+1 would be a query per entry for its tags, its images and its cohort's holidays."""
    client = login(learner)

    def add(day):
        picture = store_image(learner, png())
        entry = factories.make_entry(
            learner,
            cohort,
            learning_date=dt.date(2022, 3, day),
            body=f"![a]({picture.url})\n",
            tags=["a", f"t{day}"],
        )
        link_uploads(entry, entry.body, learner)
        factories.make_session(team, date=entry.learning_date)

    add(2)
    # session with its user, roles (1), entries, their tags, their images, cohorts, holidays, stages,
    # the sessions with their problems, questions and images
    with django_assert_num_queries(12):
        b"".join(client.get(EXPORT, {"sessions": "1"}).streaming_content)
    for day in range(3, 9):
        add(day)
    with django_assert_num_queries(12):
        names = names_in(client.get(EXPORT, {"sessions": "1"}))
    assert len(names) == 14
