"""Round trips: import → export → import into an empty account → export gives the same files, and
export → import → export likewise."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from logs.models import Entry
from logs.transfer.exporter import export_entries, write_zip
from logs.transfer.jekyll import parse_post
from logs.uploads import link_uploads, store_image
from tests import factories
from tests.logs.transfer_helpers import GOOD, SEED, fixture, import_zip, png, site_zip

SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def reimport(export, author, cohort):
    report = import_zip(write_zip(export).read(), author, cohort)
    assert report.failed == 0, [r.problems for r in report.results if r.action == "failed"]
    return report


def test_import_export_import_export_gives_the_same_files(learner, teammate, cohort):
    import_zip(site_zip(), learner, cohort)
    first = export_entries(learner)

    reimport(first, teammate, cohort)
    second = export_entries(teammate)

    assert first.posts == len(GOOD)
    assert first.images == 3
    assert second.files == first.files


def test_the_seed_body_survives_the_whole_trip_byte_for_byte(learner, teammate, cohort):
    import_zip(site_zip([SEED]), learner, cohort)
    reimport(export_entries(learner), teammate, cohort)
    back = export_entries(teammate).files[f"_posts/{SEED}"]

    assert parse_post(SEED, back).body == parse_post(SEED, fixture(SEED)).body


def test_every_corpus_post_keeps_its_values_through_the_trip(learner, teammate, cohort):
    import_zip(site_zip(images={}), learner, cohort)
    reimport(export_entries(learner), teammate, cohort)
    back = export_entries(teammate)

    for name in GOOD:
        original = parse_post(name, fixture(name))
        exported = parse_post(name, back.files[f"_posts/{name}"])
        assert exported.body == original.body, name
        assert exported.tags == original.tags, name
        assert exported.extra == original.extra, name
        assert exported.description == original.description, name
        assert exported.published == original.published, name
        if original.categories:
            assert exported.categories == original.categories, name
        if original.date_has_time:
            assert exported.date == original.date


def test_entries_written_in_camplog_survive_export_import_export(learner, teammate, cohort):
    picture = store_image(learner, png("orange"), original_name="붙여넣기.png")
    daily = factories.make_entry(
        learner,
        cohort,
        body=f"## 오늘 한 일\n- [x] 강의\n\n![그림]({picture.url})\n\n$$a^2$$\n",
        tags=["RNN", "부스트캠프AITech"],
    )
    link_uploads(daily, daily.body, learner)
    Entry.objects.filter(pk=daily.pk).update(
        created_at=dt.datetime(2022, 2, 9, 23, 5, tzinfo=SEOUL)
    )
    factories.make_entry(learner, cohort, kind="note")  # titled like the daily log
    factories.make_entry(
        learner,
        cohort,
        kind="weekly",
        learning_date=dt.date(2022, 2, 11),
        title="[Week 04] 주간 회고",
        visibility="public",
    )
    factories.make_entry(
        learner,
        cohort,
        kind="note",
        learning_date=dt.date(2022, 2, 12),
        title="논문 리뷰: Attention",
        status="draft",
        visibility="private",
    )

    first = export_entries(learner)
    reimport(first, teammate, cohort)
    second = export_entries(teammate)

    assert second.files == first.files
    kinds = sorted(Entry.objects.filter(author=teammate).values_list("kind", flat=True))
    assert kinds == ["daily", "note", "note", "weekly"]
    assert Entry.objects.get(author=teammate, kind="daily").uploads.count() == 1


def test_importing_ones_own_export_adds_no_copies(learner, cohort):
    import_zip(site_zip(), learner, cohort)
    written = factories.make_entry(
        learner, cohort, learning_date=dt.date(2022, 3, 2), title="직접 쓴 글"
    )
    before = export_entries(learner)
    entries = Entry.objects.filter(author=learner).count()

    report = import_zip(write_zip(before).read(), learner, cohort)

    # the imported posts are unchanged; the entry written in Camplog is found by its exported
    # name and updated in place (it now keeps its front matter), not imported a second time
    assert report.counts == {"created": 0, "updated": 1, "skipped": len(GOOD), "failed": 0}
    assert Entry.objects.filter(author=learner).count() == entries
    written.refresh_from_db()
    assert written.source_name == "2022-03-02-직접-쓴-글.md"
    assert export_entries(learner).files == before.files
