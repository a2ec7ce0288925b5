"""A blog sent from the browser in parts: /import/upload/ (start), /import/upload/<token>/<n>/
(one part of file n), then /import/ with the token (preview) and /import/confirm/."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from logs.models import Entry, Upload
from logs.transfer import limits, pending
from tests.logs.transfer_helpers import SEED, make_zip, png, post, site_zip

IMPORT = reverse("logs:import")
START = reverse("logs:import_upload_start")
CONFIRM = reverse("logs:import_confirm")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def part_url(token: str, index: int) -> str:
    return reverse("logs:import_upload_part", args=[token, index])


def start(client, cohort, files: dict[str, bytes]):
    return client.post(
        START,
        {"cohort": cohort.pk, "names": list(files), "sizes": [len(d) for d in files.values()]},
    )


def send(client, token: str, index: int, data: bytes, offset: int):
    part = SimpleUploadedFile("part", data)
    return client.post(part_url(token, index), {"offset": offset, "part": part})


def send_all(client, token: str, files: dict[str, bytes], size: int) -> None:
    for index, data in enumerate(files.values()):
        for offset in range(0, len(data), size):
            response = send(client, token, index, data[offset : offset + size], offset)
            assert response.status_code == 200, response.json()
            assert response.json() == {"received": min(offset + size, len(data))}


def test_a_blog_sent_in_parts_is_previewed_and_imported(login, learner, cohort):
    client = login(learner)
    blog = site_zip([SEED])
    files = {"blog.zip": blog, "2022-03-02-memo.md": post("title: 메모\ndate: 2022-03-02")}

    response = start(client, cohort, files)
    assert response.status_code == 200
    token = response.json()["token"]
    send_all(client, token, files, size=len(blog) // 3 + 1)  # the zip in three parts

    preview = client.post(IMPORT, {"token": token})
    assert preview.status_code == 200
    assert preview.context["report"].counts["created"] == 2
    assert not Entry.objects.exists()

    client.post(CONFIRM, {"token": token})
    assert Entry.objects.filter(author=learner).count() == 2
    assert Upload.objects.filter(owner=learner).count() == 2  # the seed's two images


def test_a_part_that_does_not_continue_the_file_says_where_it_stands(login, learner, cohort):
    client = login(learner)
    data = make_zip({"_posts/2022-02-09-a.md": post("title: a\ndate: 2022-02-09"), "a.png": png()})
    token = start(client, cohort, {"blog.zip": data}).json()["token"]
    assert send(client, token, 0, data[:100], 0).json() == {"received": 100}

    again = send(client, token, 0, data[:100], 0)  # a retry of a part that did arrive
    ahead = send(client, token, 0, data[300:400], 300)  # a part after a lost one

    assert (again.status_code, again.json()) == (409, {"received": 100})
    assert (ahead.status_code, ahead.json()) == (409, {"received": 100})
    assert send(client, token, 0, data[100:], 100).json() == {"received": len(data)}
    assert client.post(IMPORT, {"token": token}).context["report"].counts["created"] == 1


def test_a_part_past_the_declared_size_is_refused(login, learner, cohort):
    client = login(learner)
    token = start(client, cohort, {"a.md": b"# a\n"}).json()["token"]

    response = send(client, token, 0, b"# a\nand more\n", 0)

    assert response.status_code == 409


def test_an_unfinished_upload_is_not_previewed(login, learner, cohort):
    client = login(learner)
    token = start(client, cohort, {"a.md": b"# a\n" * 10}).json()["token"]
    send(client, token, 0, b"# a\n", 0)

    response = client.post(IMPORT, {"token": token})

    assert response.status_code == 302
    assert not Entry.objects.exists()


def test_someone_elses_token_is_not_found(login, learner, teammate, cohort):
    token = start(login(learner), cohort, {"a.md": b"# a\n"}).json()["token"]

    other = login(teammate)

    assert send(other, token, 0, b"# a\n", 0).status_code == 404
    assert other.post(IMPORT, {"token": token}).status_code == 404


def test_a_cohort_one_does_not_write_in_is_not_found(login, outsider, cohort):
    assert start(login(outsider), cohort, {"a.md": b"# a\n"}).status_code == 404


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"a.exe": b"x"}, "a.exe"),
        ({f"{n}.md": b"x" for n in range(101)}, "100"),
    ],
)
def test_what_cannot_be_imported_is_refused_before_any_part(login, learner, cohort, files, message):
    response = start(login(learner), cohort, files)

    assert response.status_code == 400
    assert message in response.json()["error"]


def test_a_blog_over_the_limit_is_refused_up_front(login, learner, cohort, monkeypatch):
    monkeypatch.setattr(limits, "PARTS_MAX_BYTES", 10)

    response = start(login(learner), cohort, {"a.zip": b"x" * 11})

    assert response.status_code == 400


def test_unconfirmed_parts_are_swept(login, learner, cohort):
    client = login(learner)
    token = start(client, cohort, {"a.md": b"# a\n"}).json()["token"]
    send(client, token, 0, b"# a\n", 0)

    assert pending.sweep(learner, older_than=timedelta(seconds=-1)) == 1


def test_the_import_page_loads_the_upload_script(login, learner, cohort):
    html = login(learner).get(IMPORT).content.decode()

    assert "js/import-upload" in html
    assert 'data-parts-url="/import/upload/TOKEN/0/"' in html


# --- after a reload ----------------------------------------------------------------------------


def resume(client, cohort, files: dict[str, bytes], token: str):
    return client.post(
        START,
        {
            "cohort": cohort.pk,
            "names": list(files),
            "sizes": [len(d) for d in files.values()],
            "token": token,
        },
    )


def test_a_reloaded_page_goes_on_with_the_upload_from_where_the_server_has_it(
    login, learner, cohort
):
    client = login(learner)
    blog = site_zip([SEED])
    files = {"blog.zip": blog, "2022-03-02-memo.md": post("title: 메모\ndate: 2022-03-02")}
    token = start(client, cohort, files).json()["token"]
    half = len(blog) // 2
    send(client, token, 0, blog[:half], 0)  # …and the page was reloaded

    answer = resume(client, cohort, files, token).json()

    assert answer["token"] == token
    assert answer["received"] == [half, 0]
    assert send(client, token, 0, blog[half:], half).json() == {"received": len(blog)}
    send(client, token, 1, files["2022-03-02-memo.md"], 0)
    preview = client.post(IMPORT, {"token": token})
    assert preview.context["report"].counts["created"] == 2


@pytest.mark.parametrize(
    "change",
    ["other files", "other cohort", "someone else", "confirmed"],
)
def test_only_the_same_files_of_ones_own_unconfirmed_upload_are_resumed(
    login, learner, teammate, cohort, change
):
    from logs.models import PendingImport
    from tests import factories

    files = {"2022-03-02-memo.md": post("title: 메모\ndate: 2022-03-02")}
    token = start(login(learner), cohort, files).json()["token"]
    client, target = login(learner), cohort
    if change == "other files":
        files = {"2022-03-02-memo.md": files["2022-03-02-memo.md"] + b"more"}
    elif change == "other cohort":
        target = factories.make_cohort("ai-tech-4")
        factories.join(learner, target, "learner")
    elif change == "someone else":
        client = login(teammate)
    else:
        PendingImport.objects.update(total=1)

    answer = resume(client, target, files, token).json()

    assert answer["token"] != token
    assert answer["received"] == [0]


def test_starting_and_sending_a_part_cost_a_fixed_number_of_queries(
    login, learner, cohort, django_assert_num_queries
):
    """No folder is listed and no part read back: the row says what is here, whatever the
    number of parts already sent (the O(n²) of listing them on every part is gone)."""
    client = login(learner)
    data = b"x" * 40
    files = {"blog.zip": data}
    with django_assert_num_queries(5):
        token = start(client, cohort, files).json()["token"]
    with django_assert_num_queries(6):
        send(client, token, 0, data[:4], 0)
    for offset in range(4, 36, 4):
        send(client, token, 0, data[offset : offset + 4], offset)
    with django_assert_num_queries(6):
        assert send(client, token, 0, data[36:], 36).json() == {"received": 40}
    with django_assert_num_queries(4):
        assert resume(client, cohort, files, token).json()["received"] == [40]
