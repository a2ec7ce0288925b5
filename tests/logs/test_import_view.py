"""The browser import: /import/ (upload → preview) and /import/confirm/ (import what was kept)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from logs.models import Entry, PendingImport, Upload
from tests import factories
from tests.logs.transfer_helpers import GOOD, SEED, fixture, make_zip, png, post, site_zip

IMPORT = reverse("logs:import")
CONFIRM = reverse("logs:import_confirm")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def preview(client, cohort, *files, **extra):
    return client.post(IMPORT, {"cohort": cohort.pk, "files": list(files)}, **extra)


def token_of(client) -> str:
    user = client.session["_auth_user_id"]
    return PendingImport.objects.get(owner_id=user).token


# --- who may use it ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [IMPORT, CONFIRM, reverse("logs:export")])
def test_it_sends_anonymous_visitors_to_the_login_page(client, db, url):
    response = client.post(url) if url == CONFIRM else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["learner", "teammate", "other_learner", "mentor"])
def test_learners_and_mentors_get_the_upload_form(request, login, persona):
    user = request.getfixturevalue(persona)
    html = login(user).get(IMPORT).content.decode()
    assert 'type="file"' in html and 'name="files"' in html and "multiple" in html
    assert "부스트캠프 AI Tech 3기" in html
    assert reverse("logs:export") in html


@pytest.mark.parametrize("persona", ["operator", "foreign_operator", "outsider"])
def test_who_writes_in_no_cohort_is_told_so_and_can_still_export(request, login, persona):
    user = request.getfixturevalue(persona)
    response = login(user).get(IMPORT, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="files"' not in html
    assert "You do not write in a cohort yet" in html
    assert reverse("logs:export") in html


def test_one_cannot_import_into_a_cohort_one_does_not_write_in(login, learner, foreign_operator):
    other = factories.make_cohort("other-3")
    response = preview(login(learner), other, upload(SEED, fixture(SEED)))

    assert response.status_code == 200
    assert response.context["form"].errors["cohort"]
    assert not Entry.objects.exists()
    assert not PendingImport.objects.exists()


def test_the_page_is_in_korean_by_default(login, learner):
    html = login(learner).get(IMPORT).content.decode()
    assert '<html lang="ko"' in html


# --- preview -----------------------------------------------------------------------------------


def test_the_preview_shows_each_file_and_saves_nothing(login, learner, cohort):
    client = login(learner)
    response = client.post(
        IMPORT,
        {
            "cohort": cohort.pk,
            "files": [
                upload(SEED, fixture(SEED)),
                upload(
                    "2022-02-14-attention-is-all-you-need.md",
                    fixture("2022-02-14-attention-is-all-you-need.md"),
                ),
                upload("empty.md", b""),
                upload("binary.md", fixture("bad/binary.md")),
                upload("notes.docx", b"PK\x03\x04"),
            ],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert response.templates[0].name == "logs/import_preview.html"
    html = response.content.decode()
    assert "[Week 04 / Day 015] 학습 기록" in html
    assert "2022-02-13" in html  # 01:20 on the 14th belongs to the 13th
    assert "the file is empty" in html
    assert "binary file" in html
    assert "Not a Markdown post (.md), an image or a .zip archive" in html
    assert "Import 2 posts" in html
    assert not Entry.objects.exists()
    assert not Upload.objects.exists()


def test_the_preview_says_what_an_import_would_update_or_leave(login, learner, cohort):
    client = login(learner)
    preview(client, cohort, upload(SEED, fixture(SEED)))
    client.post(CONFIRM, {"token": token_of(client)})

    response = preview(
        client,
        cohort,
        upload(SEED, fixture(SEED)),
        upload("2022-02-10-week04-day016.md", fixture("2022-02-10-week04-day016.md")),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.context["report"].counts == {
        "created": 1,
        "updated": 0,
        "skipped": 1,
        "failed": 0,
    }
    assert "Unchanged" in response.content.decode()


def test_a_zip_with_bad_entries_names_each_and_previews_the_rest(login, learner, cohort):
    data = make_zip(
        [
            ("_posts/" + SEED, fixture(SEED)),
            ("../evil.md", post("title: x\ndate: 2022-02-09")),
            ("_posts/not-yaml.md", fixture("bad/not-yaml.md")),
        ]
    )
    response = preview(login(learner), cohort, upload("blog.zip", data))

    report = response.context["report"]
    assert report.counts == {"created": 1, "updated": 0, "skipped": 0, "failed": 2}
    html = response.content.decode()
    # The reasons in the page's language, Korean by default.
    assert "경로가 압축 파일 밖을 가리켜서(`..`) 거부했어요" in html
    assert "머리말이 올바른 YAML이 아니에요" in html


def test_no_files_is_a_clear_error_and_keeps_the_cohort(login, learner, cohort):
    response = login(learner).post(IMPORT, {"cohort": cohort.pk}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["form"].errors["files"]
    assert f'<option value="{cohort.pk}" selected>' in response.content.decode()


def test_too_many_bytes_are_refused_before_reading(login, learner, cohort, monkeypatch):
    from logs.transfer import limits

    monkeypatch.setattr(limits, "FORM_MAX_BYTES", 100)
    response = preview(login(learner), cohort, upload(SEED, fixture(SEED)))

    assert "files" in response.context["form"].errors
    assert not PendingImport.objects.exists()


# --- confirm -----------------------------------------------------------------------------------


def test_confirming_imports_the_kept_upload_with_its_images(login, learner, cohort, media):
    client = login(learner)
    preview(client, cohort, upload("blog.zip", site_zip([SEED])))

    response = client.post(CONFIRM, {"token": token_of(client)}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.templates[0].name == "logs/import_result.html"
    seed = Entry.objects.get(author=learner, source_name=SEED)
    assert seed.uploads.count() == 2
    assert reverse("logs:entry_detail", args=[seed.pk]) in response.content.decode()
    # what was kept between the two steps is gone
    assert not PendingImport.objects.exists()
    assert not list((media / "imports").rglob("*.*"))


def test_posts_and_their_images_can_be_chosen_as_separate_files(login, learner, cohort):
    client = login(learner)
    data = post("title: 그림 있는 글\ndate: 2022-02-09 21:00:00 +0900", "![a](d015-1.png)\n")
    preview(client, cohort, upload("2022-02-09-pic.md", data), upload("d015-1.png", png()))
    client.post(CONFIRM, {"token": token_of(client)})

    entry = Entry.objects.get(source_name="2022-02-09-pic.md")
    assert f"![a]({entry.uploads.get().url})" in entry.body


def test_confirming_twice_imports_once(login, learner, cohort):
    client = login(learner)
    preview(client, cohort, upload(SEED, fixture(SEED)))
    token = token_of(client)
    client.post(CONFIRM, {"token": token})

    response = client.post(CONFIRM, {"token": token}, HTTP_ACCEPT_LANGUAGE="en", follow=True)

    assert "There is nothing to import" in response.content.decode()
    assert Entry.objects.filter(author=learner).count() == 1


def test_a_token_from_another_preview_imports_nothing(login, learner, cohort):
    client = login(learner)
    preview(client, cohort, upload(SEED, fixture(SEED)))

    response = client.post(CONFIRM, {"token": "forged"})

    assert response.status_code == 302
    assert not Entry.objects.exists()


def test_another_users_session_cannot_confirm_a_learners_upload(client, learner, teammate, cohort):
    client.force_login(learner)
    preview(client, cohort, upload(SEED, fixture(SEED)))
    token = token_of(client)
    client.force_login(teammate)

    client.post(CONFIRM, {"token": token})

    assert not Entry.objects.exists()


def test_a_learner_removed_from_the_cohort_before_confirming_gets_a_404(login, learner, cohort):
    client = login(learner)
    preview(client, cohort, upload(SEED, fixture(SEED)))
    learner.memberships.all().delete()

    response = client.post(CONFIRM, {"token": token_of(client)})

    assert response.status_code == 404
    assert not Entry.objects.exists()


def test_confirm_only_accepts_post(login, learner):
    assert login(learner).get(CONFIRM).status_code == 405


def test_a_failed_file_is_reported_and_the_others_imported(login, learner, cohort):
    client = login(learner)
    preview(
        client, cohort, upload(SEED, fixture(SEED)), upload("bad.md", fixture("bad/not-yaml.md"))
    )

    response = client.post(CONFIRM, {"token": token_of(client)}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.context["report"].counts["failed"] == 1
    assert "Some files could not be imported" in response.content.decode()
    assert Entry.objects.get().source_name == SEED


# --- query counts ------------------------------------------------------------------------------


def test_the_form_page_query_count_does_not_grow_with_cohorts(
    login, learner, cohort, django_assert_num_queries
):
    client = login(learner)
    # the session with its user, the viewer's roles (with the header's cohort and the unread
    # count), the cohort choices: one query however many cohorts there are
    with django_assert_num_queries(3):
        client.get(IMPORT)
    for slug in ("ai-tech-4", "ai-tech-5"):
        factories.join(learner, factories.make_cohort(slug), "learner")
    client = login(learner)
    with django_assert_num_queries(3):
        response = client.get(IMPORT)
    assert len(response.context["form"].fields["cohort"].choices) == 3


def test_the_preview_query_count_does_not_grow_with_files(
    login, learner, cohort, django_assert_num_queries
):
    """Existing entries, their tags, daily and weekly slots and stored images are each read
    once for the whole upload, not once per file (the n+1 of a naive per-post lookup)."""
    client = login(learner)
    preview(client, cohort, upload(SEED, fixture(SEED)))  # each below replaces the one before
    few = [upload(name, fixture(name)) for name in GOOD[:2]]
    with django_assert_num_queries(11):
        preview(client, cohort, *few)
    many = [upload(name, fixture(name)) for name in GOOD]
    with django_assert_num_queries(11):
        preview(client, cohort, *many)


def test_the_confirm_query_count_grows_by_a_fixed_number_per_post(
    login, learner, cohort, django_assert_max_num_queries
):
    """Each post costs its own writes (entry, tags, links: one transaction each); nothing is
    read once per post that could be read once for all."""
    client = login(learner)
    dates = [dt.date(2022, 3, day) for day in range(1, 11)]

    def posts(count):
        return [
            upload(f"{day}-n.md", post(f"title: 노트 {day}\ndate: {day}\ntags: [a, b]"))
            for day in dates[:count]
        ]

    preview(client, cohort, *posts(2))
    with django_assert_max_num_queries(20 + 2 * 12):
        client.post(CONFIRM, {"token": token_of(client)})
    Entry.objects.all().delete()
    preview(client, cohort, *posts(10))
    with django_assert_max_num_queries(20 + 10 * 12):
        client.post(CONFIRM, {"token": token_of(client)})


def test_an_import_left_half_way_is_swept_after_a_day(login, learner, cohort, media):
    from django.utils import timezone

    client = login(learner)
    preview(client, cohort, upload(SEED, fixture(SEED)))
    (stale,) = (media / "imports").rglob("*.md")
    PendingImport.objects.update(
        cursor=0, total=1, updated_at=timezone.now() - dt.timedelta(hours=25)
    )

    preview(client, cohort, upload("2022-02-10-week04-day016.md", b"x"))

    assert not stale.exists()
    assert len(list((media / "imports").rglob("*.md"))) == 1
    assert PendingImport.objects.count() == 1


def test_the_daily_sweep_clears_everyones_old_previews(login, learner, teammate, cohort, media):
    """For learners who never upload again: `manage.py sweep_imports`, run from cron."""
    import io

    from django.core.management import call_command
    from django.utils import timezone

    preview(login(learner), cohort, upload(SEED, fixture(SEED)))
    preview(login(teammate), cohort, upload("2022-02-10-week04-day016.md", b"x"))
    stale, fresh = sorted(
        (media / "imports").rglob("*.md"), key=lambda p: str(learner.pk) not in p.parts
    )
    PendingImport.objects.filter(owner=learner).update(
        updated_at=timezone.now() - dt.timedelta(hours=25)
    )
    out = io.StringIO()
    call_command("sweep_imports", stdout=out)
    assert not stale.exists() and fresh.exists()
    assert out.getvalue().startswith("1 ")
    assert list(PendingImport.objects.values_list("owner", flat=True)) == [teammate.pk]


def test_the_preview_lists_each_image_not_found_under_its_post(login, learner, cohort):
    """A GitHub "Download ZIP" (one extra top folder): found images resolve from the site's
    root, and the one that is not there is named by its path under its post."""
    body = "![a]({{ site.baseurl }}/assets/img/a.png)\n![b](/assets/img/없는-그림.png)\n"
    data = make_zip(
        {
            "blog-main/_posts/2022-02-09-x.md": post("title: x\ndate: 2022-02-09", body),
            "blog-main/assets/img/a.png": png(),
        }
    )

    response = preview(login(learner), cohort, upload("blog-main.zip", data))

    [result] = response.context["report"].results
    assert len(result.problems) == 1
    assert "/assets/img/없는-그림.png" in result.problems[0]
    assert "/assets/img/없는-그림.png" in response.content.decode()
