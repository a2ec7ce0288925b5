"""Uploaded images are served through the access check with headers that cannot run script,
from whatever storage holds them (local folder or object storage)."""

import io

import pytest
from django.core.files.storage import storages
from PIL import Image

from logs.models import Visibility
from logs.uploads import store_image
from tests import factories
from tests.config.test_security_headers import assert_security_headers


def _png(color=(20, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), color).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def shown_image(media, learner, cohort):
    """A PNG the learner pasted into a cohort-visible log."""
    data = _png()
    upload = store_image(learner, data, "화면 캡처.png")
    entry = factories.make_entry(learner, cohort, visibility=Visibility.COHORT)
    entry.uploads.add(upload)
    return upload, data


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_owner_gets_the_image_with_headers_that_cannot_run_script(login, learner, shown_image):
    upload, data = shown_image
    response = login(learner).get(upload.url)
    assert response.status_code == 200
    assert _body(response) == data
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'inline; filename="{upload.key}.png"'
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "sandbox" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["Cache-Control"] == "private, max-age=3600"
    assert_security_headers(response)


def test_the_stored_name_never_carries_the_original_file_name(shown_image):
    upload, _ = shown_image
    assert "화면" not in upload.file.name
    assert upload.file.name.endswith(f"{upload.key}.png")


def test_a_teammate_who_may_read_the_log_gets_the_image(login, teammate, shown_image):
    upload, data = shown_image
    response = login(teammate).get(upload.url)
    assert response.status_code == 200
    assert _body(response) == data


def test_a_mentor_of_the_cohort_gets_the_image(login, mentor, shown_image):
    upload, _ = shown_image
    assert login(mentor).get(upload.url).status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "foreign_operator"])
def test_people_outside_the_cohort_get_a_404(request, login, persona, shown_image):
    upload, _ = shown_image
    response = login(request.getfixturevalue(persona)).get(upload.url)
    assert response.status_code == 404
    assert_security_headers(response)


def test_anonymous_visitors_get_a_404(client, shown_image):
    upload, _ = shown_image
    assert client.get(upload.url).status_code == 404


def test_an_image_in_a_private_log_stays_with_its_author(login, learner, teammate, media, cohort):
    upload = store_image(learner, _png(), "private.png")
    factories.make_entry(learner, cohort, visibility=Visibility.PRIVATE).uploads.add(upload)
    assert login(teammate).get(upload.url).status_code == 404
    assert login(learner).get(upload.url).status_code == 200


def test_a_file_that_is_also_html_is_still_served_as_an_image(login, learner, media, cohort):
    # A PNG with HTML after its end decodes as a PNG; nosniff and the sandbox keep a browser
    # from ever treating it as a page.
    data = _png() + b"<html><script>alert(1)</script></html>"
    upload = store_image(learner, data, "polyglot.png")
    response = login(learner).get(upload.url, HTTP_ACCEPT="text/html")
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_it_serves_from_a_storage_that_is_not_a_local_folder(settings, login, learner, cohort):
    # Object storage (S3) hands back a file object, not a path; Django's in-memory storage does
    # the same, so the view must work by opening the file, never by its path on disk.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    data = _png((250, 200, 0))
    upload = store_image(learner, data, "memory.png")
    assert type(storages["default"]).__name__ == "InMemoryStorage"
    factories.make_entry(learner, cohort).uploads.add(upload)
    response = login(learner).get(upload.url)
    assert response.status_code == 200
    assert _body(response) == data
    assert response["Content-Length"] == str(len(data))
    assert response["Content-Type"] == "image/png"
