"""A blog of real size comes in whole, from the command line and from the browser: 300 posts
showing 10,000 images (80 MB of them), read one image at a time.

The command line's memory is bounded: what Python holds at its peak grows far less than the
images weigh (tracemalloc; Pillow's own buffers are per image and freed). The browser sends the
blog's .zip in 8 MB parts and confirms it in batches, as `static/js/import-upload.js` and
`import-confirm.js` do, through the test client.
"""

import tracemalloc
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from bench.blog import write_blog_zip
from logs.models import Entry, PendingImport, Upload
from logs.transfer.limits import PART_BYTES

pytestmark = pytest.mark.slow

POSTS = 300
IMAGES = 10_000
PADDING = 8 * 1024  # bytes of each image: 80 MB in all
MB = 1024 * 1024


@pytest.fixture(scope="module")
def blog_zip(tmp_path_factory):
    # Written before any test opens its transaction (which an idle minute would end).
    path = tmp_path_factory.mktemp("blog") / "blog-main.zip"
    write_blog_zip(path, posts=POSTS, images=IMAGES, start=date(2022, 1, 17), padding=PADDING)
    return path


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _imported(learner) -> tuple[int, int, int]:
    linked = Upload.entries.through.objects.filter(entry__author=learner).count()
    return (
        Entry.objects.filter(author=learner).count(),
        Upload.objects.filter(owner=learner).count(),
        linked,
    )


def test_the_command_line_streams_a_blog_of_ten_thousand_images(learner, cohort, blog_zip, capsys):
    tracemalloc.start()
    try:
        base, _peak = tracemalloc.get_traced_memory()
        call_command(
            "import_jekyll",
            str(blog_zip),
            "--cohort",
            cohort.slug,
            "--author",
            "learner",
            verbosity=0,
        )
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert _imported(learner) == (POSTS, IMAGES, IMAGES)
    assert "300 created" in capsys.readouterr().out
    # 80 MB of images went through, never held at once: what is held grows with the posts
    # (about 10 MB a batch of 100, measured at 67 MB for this blog), not with the images' bytes.
    assert peak - base < 96 * MB, f"{(peak - base) / MB:.0f} MB at the peak"


def test_the_browser_sends_it_in_parts_and_confirms_it_in_batches(
    client, learner, cohort, blog_zip
):
    client.force_login(learner)
    size = blog_zip.stat().st_size
    start = client.post(
        reverse("logs:import_upload_start"),
        {"cohort": cohort.pk, "names": ["blog-main.zip"], "sizes": [size]},
    ).json()
    token = start["token"]
    with blog_zip.open("rb") as fp:
        for offset in range(0, size, PART_BYTES):
            part = SimpleUploadedFile("blob", fp.read(PART_BYTES))
            answer = client.post(
                reverse("logs:import_upload_part", args=[token, 0]),
                {"offset": offset, "part": part},
            )
            assert answer.json() == {"received": min(offset + PART_BYTES, size)}

    preview = client.post(reverse("logs:import"), {"token": token})
    assert preview.context["report"].counts["created"] == POSTS

    cursor, batches = 0, 0
    while True:
        answer = client.post(
            reverse("logs:import_confirm"),
            {"token": token, "cursor": cursor},
            HTTP_ACCEPT="application/json",
        ).json()
        batches += 1
        assert answer["cursor"] > cursor
        cursor = answer["cursor"]
        if answer["done"]:
            break
    summary = client.post(reverse("logs:import_confirm"), {"token": token, "cursor": cursor})

    assert batches == 6  # 50 posts a request
    assert summary.context["report"].counts == {
        "created": POSTS,
        "updated": 0,
        "skipped": 0,
        "failed": 0,
    }
    assert _imported(learner) == (POSTS, IMAGES, IMAGES)
    assert not PendingImport.objects.exists()
