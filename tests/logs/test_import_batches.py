"""The browser's confirmation in batches (`logs.transfer.pending.import_next`): each POST to
/import/confirm/ imports the next posts, in one transaction with the pending import's cursor;
the page's script posts until done, the page without it shows the progress and a button."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from logs.models import Entry, PendingImport, Upload
from logs.transfer import pending
from tests.logs.transfer_helpers import make_zip, png, post

IMPORT = reverse("logs:import")
CONFIRM = reverse("logs:import_confirm")
JSON = {"HTTP_ACCEPT": "application/json"}
DAYS = [dt.date(2022, 2, 7) + dt.timedelta(days=n) for n in range(10)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr(pending, "CONFIRM_BATCH", 3)


def blog(count: int = 10, broken: bool = True) -> bytes:
    """`count` posts under _posts/, each showing one image (the fifth's is missing), and a
    broken post."""
    files = {}
    for number, day in enumerate(DAYS[:count]):
        body = f"# 글 {number}\n\n![그림](/assets/img/{number}.png)\n"
        files[f"_posts/{day}-post-{number}.md"] = post(f"title: 글 {number}\ndate: {day}", body)
        if number != 4:
            files[f"assets/img/{number}.png"] = png(size=(4, 4))
    if broken:
        files["_posts/2022-02-20-broken.md"] = b"---\ntitle: [unclosed\n---\nbody\n"
    return make_zip(files)


def previewed(client, cohort, data: bytes) -> PendingImport:
    response = client.post(
        IMPORT, {"cohort": cohort.pk, "files": [SimpleUploadedFile("blog.zip", data)]}
    )
    assert response.status_code == 200
    return PendingImport.objects.get()


def batch(client, kept: PendingImport, cursor: int, **extra):
    return client.post(CONFIRM, {"token": kept.token, "cursor": cursor}, **JSON, **extra)


def test_each_post_imports_the_next_batch_and_says_where_the_import_stands(login, learner, cohort):
    client = login(learner)
    kept = previewed(client, cohort, blog())

    answers = []
    cursor = 0
    while True:
        answer = batch(client, kept, cursor).json()
        answers.append((answer["cursor"], answer["total"], answer["done"]))
        cursor = answer["cursor"]
        if answer["done"]:
            break

    assert answers == [(3, 11, False), (6, 11, False), (9, 11, False), (11, 11, True)]
    assert Entry.objects.filter(author=learner).count() == 10
    assert Upload.objects.filter(owner=learner).count() == 9
    assert answer["counts"] == {"created": 10, "updated": 0, "skipped": 0, "failed": 1}


def test_the_summary_lists_every_batch_s_posts_broken_files_and_missing_images(
    login, learner, cohort, media
):
    client = login(learner)
    kept = previewed(client, cohort, blog())
    for cursor in (0, 3, 6, 9):
        batch(client, kept, cursor)

    response = client.post(CONFIRM, {"token": kept.token, "cursor": 11}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.templates[0].name == "logs/import_result.html"
    report = response.context["report"]
    assert report.counts == {"created": 10, "updated": 0, "skipped": 0, "failed": 1}
    html = response.content.decode()
    assert "2022-02-20-broken.md" in html
    missing = [result for result in report.results if result.problems and result.action != "failed"]
    assert [result.name for result in missing] == ["blog.zip:_posts/2022-02-11-post-4.md"]
    assert "/assets/img/4.png" in missing[0].problems[0]
    for entry in Entry.objects.filter(author=learner):
        assert reverse("logs:entry_detail", args=[entry.pk]) in html
    # what was kept between the steps is gone, the row with it
    assert not PendingImport.objects.exists()
    assert not list((media / "imports").rglob("*.*"))


def test_a_batch_sent_again_is_not_imported_twice(login, learner, cohort):
    """A retry after a lost answer, or two tabs: the cursor says the batch is written."""
    client = login(learner)
    kept = previewed(client, cohort, blog(broken=False))

    first = batch(client, kept, 0).json()
    again = batch(client, kept, 0).json()

    assert first == again
    assert first["cursor"] == 3
    assert Entry.objects.filter(author=learner).count() == 3
    assert PendingImport.objects.get().cursor == 3


def test_a_failed_batch_leaves_nothing_and_runs_again_from_the_same_cursor(
    login, learner, cohort, monkeypatch
):
    client = login(learner)
    kept = previewed(client, cohort, blog(broken=False))
    real = pending.import_bundle

    def dies_after_writing(*args, **kwargs):
        real(*args, **kwargs)
        raise ConnectionError("the worker was killed")

    monkeypatch.setattr(pending, "import_bundle", dies_after_writing)
    with pytest.raises(ConnectionError):
        pending.import_next(kept, 0)
    assert not Entry.objects.exists()
    assert PendingImport.objects.get().cursor == 0

    monkeypatch.setattr(pending, "import_bundle", real)
    answer = batch(client, kept, 0).json()

    assert answer["cursor"] == 3
    assert answer["counts"]["created"] == 3
    assert Entry.objects.filter(author=learner).count() == 3


def test_two_posts_of_one_name_in_different_batches_are_refused_as_in_one_run(
    login, learner, cohort
):
    files = {f"_posts/{day}-a.md": post(f"title: a {day}\ndate: {day}") for day in DAYS[:3]}
    files["notes/2022-02-09-a.md"] = post("title: again\ndate: 2022-02-09")
    client = login(learner)
    kept = previewed(client, cohort, make_zip(files))

    batch(client, kept, 0)
    answer = batch(client, kept, 3).json()

    assert answer["done"] and answer["counts"]["failed"] == 1
    assert Entry.objects.filter(author=learner).count() == 3


def test_without_a_script_each_page_imports_a_batch_and_offers_the_next(login, learner, cohort):
    client = login(learner)
    kept = previewed(client, cohort, blog(count=5, broken=False))

    page = client.post(CONFIRM, {"token": kept.token, "cursor": 0}, HTTP_ACCEPT_LANGUAGE="en")

    assert page.templates[0].name == "logs/import_progress.html"
    html = page.content.decode()
    assert '<progress class="import-progress" value="3" max="5">' in html
    assert 'name="cursor" value="3"' in html
    assert "Import the next posts" in html
    assert "3 of 5 posts imported" in html

    done = client.post(CONFIRM, {"token": kept.token, "cursor": 3})

    assert done.templates[0].name == "logs/import_result.html"
    assert Entry.objects.filter(author=learner).count() == 5


def test_the_progress_page_is_in_korean(login, learner, cohort):
    client = login(learner)
    kept = previewed(client, cohort, blog(count=5, broken=False))

    html = client.post(CONFIRM, {"token": kept.token}).content.decode()

    assert "다음 글 가져오기" in html


def test_someone_else_s_token_imports_nothing(login, learner, teammate, cohort):
    kept = previewed(login(learner), cohort, blog(count=5, broken=False))

    answer = batch(login(teammate), kept, 0)

    assert answer.status_code == 404
    assert not Entry.objects.exists()
    assert PendingImport.objects.get().cursor == 0


def test_the_preview_carries_the_script_and_the_bar(login, learner, cohort):
    client = login(learner)
    response = client.post(
        IMPORT,
        {"cohort": cohort.pk, "files": [SimpleUploadedFile("blog.zip", blog(count=5))]},
    )
    html = response.content.decode()

    assert "js/import-confirm" in html
    assert "data-import-confirm" in html and 'name="cursor" value="0"' in html


def test_a_batch_costs_a_fixed_number_of_queries_per_post(
    login, learner, cohort, django_assert_max_num_queries
):
    """Reading the pending import, locking it and writing its progress are once a batch;
    each post costs its own writes (its images stored and linked)."""
    client = login(learner)
    kept = previewed(client, cohort, blog(broken=False))
    with django_assert_max_num_queries(36 + 3 * 12):
        batch(client, kept, 0)
    with django_assert_max_num_queries(36 + 3 * 12):
        batch(client, kept, 3)


def test_files_gone_from_the_media_folder_are_said_not_a_server_error(login, learner, cohort):
    client = login(learner)
    kept = previewed(client, cohort, blog())
    for stored, _name in kept.files:
        pending.default_storage.delete(stored)
    answer = batch(client, kept, 0)
    assert answer.status_code == 410
    assert "다시 골라" in answer.json()["error"]  # "choose them again"
    assert not PendingImport.objects.exists() and not Entry.objects.exists()


def test_a_name_or_token_with_a_nul_is_no_server_error(login, learner, cohort):
    client = login(learner)
    start = reverse("logs:import_upload_start")
    answer = client.post(start, {"cohort": cohort.pk, "names": ["a\x00.md"], "sizes": [10]})
    assert answer.status_code == 200
    assert PendingImport.objects.get().files[0][1] == "a\ufffd.md"
    token = {"cohort": cohort.pk, "names": ["a.md"], "sizes": [10], "token": "x\x00"}
    assert client.post(start, token).status_code == 200
    assert client.post(CONFIRM, {"token": "x\x00"}).status_code == 302
