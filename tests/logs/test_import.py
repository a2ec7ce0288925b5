"""Importing Jekyll posts (`logs.transfer.importer`): what each form of post becomes, bad input, idempotency."""

import datetime as dt
import io
import random
import zipfile

import pytest
from django.utils import translation

from logs.models import Entry, Upload
from logs.transfer.importer import import_bundle
from logs.transfer.sources import read_zip
from tests import factories
from tests.logs.transfer_helpers import (
    GOOD,
    SEED,
    fixture,
    import_posts,
    import_zip,
    make_zip,
    png,
    post,
    result_for,
    site_zip,
)


@pytest.fixture(autouse=True)
def _english():
    """The reports' reasons are asserted in English; the Korean catalogue is compiled in CI."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def entry(name: str) -> Entry:
    return Entry.objects.get(source_name=name)


# --- the seed ----------------------------------------------------------------------------------


def test_it_imports_the_seed_as_the_daily_log_of_week_04_day_015(learner, cohort):
    report = import_posts({SEED: fixture(SEED)}, learner, cohort)

    assert report.counts == {"created": 1, "updated": 0, "skipped": 0, "failed": 0}
    seed = entry(SEED)
    assert seed.author == learner
    assert seed.kind == Entry.Kind.DAILY
    assert seed.learning_date == dt.date(2022, 2, 9)
    assert (seed.week, seed.day_number, seed.stage.slug) == (4, 15, "lv1-u-stage")
    assert seed.title == "[Week 04 / Day 015] 학습 기록"
    assert list(seed.tags.names()) == ["부스트캠프AITech", "daily-log", "week04", "lv1-u-stage"]
    assert seed.visibility == "cohort"
    assert seed.status == "published"
    assert seed.has_math is True
    assert seed.front_matter["date"] == "2022-02-09 22:40:00 +0900"
    assert seed.front_matter["categories"] == ["부스트캠프 AI Tech 3기", "Daily & Weekly Log"]


def test_it_keeps_the_seed_body_exactly_as_written(learner, cohort):
    import_posts({SEED: fixture(SEED)}, learner, cohort)

    written = fixture(SEED).decode().split("\n---\n", 1)[1]
    assert entry(SEED).body == written


def test_it_reports_the_seed_images_it_was_not_given_and_keeps_their_links(learner, cohort):
    report = import_posts({SEED: fixture(SEED)}, learner, cohort)

    problems = result_for(report, SEED).problems
    assert any("d015-1.png" in problem for problem in problems)
    assert any("boostcamp_ai_tech_title.png" in problem for problem in problems)
    assert "(/assets/img/posts/Boostcamp-AI-Tech/Daily-Log/week04/d015-1.png)" in entry(SEED).body


# --- the corpus: every form of front matter ------------------------------------------------------


@pytest.fixture
def corpus(learner, cohort):
    report = import_zip(site_zip(), learner, cohort)
    assert report.failed == 0, [r.problems for r in report.results if r.action == "failed"]
    return report


@pytest.mark.parametrize(
    ("name", "kind", "learning_date", "title"),
    [
        (SEED, "daily", dt.date(2022, 2, 9), "[Week 04 / Day 015] 학습 기록"),
        # a time without a zone is read in the cohort's time zone
        (
            "2022-02-10-week04-day016.md",
            "daily",
            dt.date(2022, 2, 10),
            "[Week 04 / Day 016] 학습 기록",
        ),
        # ISO 8601 with a T; two-level categories
        ("2022-02-11-week04-weekly.md", "weekly", dt.date(2022, 2, 11), "[Week 04] 주간 회고"),
        # a date without a time is the learning date itself
        (
            "2022-02-12-weekend-review.md",
            "note",
            dt.date(2022, 2, 12),
            "주말 복습 - 트랜스포머 정리",
        ),
        # no date key: the file name's date
        ("2022-02-13-no-date-key.md", "note", dt.date(2022, 2, 13), "날짜 없는 글"),
        # written at 01:20, before the 04:00 cut-off: the day before
        (
            "2022-02-14-attention-is-all-you-need.md",
            "note",
            dt.date(2022, 2, 13),
            "[Paper Review] Attention Is All You Need",
        ),
        ("2022-02-15-draft.md", "note", dt.date(2022, 2, 15), "임시 저장 - 멘토링 질문 정리"),
        # Notion export: no front matter, the title is the page's heading
        (
            "2022-02-16-notion-export.md",
            "daily",
            dt.date(2022, 2, 16),
            "[Week 04 / Day 017] 학습 기록",
        ),
        ("2022-02-17-crlf.md", "daily", dt.date(2022, 2, 17), "[Week 04 / Day 018] 학습 기록"),
        ("2022-02-18-utf8-bom.md", "note", dt.date(2022, 2, 18), "BOM으로 시작하는 글"),
        ("2022-02-19-utf16.md", "note", dt.date(2022, 2, 19), "UTF-16으로 저장한 글"),
    ],
)
def test_it_places_each_post_of_the_corpus(corpus, name, kind, learning_date, title):
    imported = entry(name)
    assert (imported.kind, imported.learning_date, imported.title) == (kind, learning_date, title)


def test_it_reads_tags_written_as_a_list_a_string_empty_or_brackets(corpus):
    assert list(entry(SEED).tags.names()) == [
        "부스트캠프AITech",
        "daily-log",
        "week04",
        "lv1-u-stage",
    ]
    day016 = entry("2022-02-10-week04-day016.md")  # `tags: a b c d`
    assert set(day016.tags.names()) == {"부스트캠프AITech", "daily-log", "week04", "lv1-u-stage"}
    assert list(entry("2022-02-12-weekend-review.md").tags.names()) == []  # `tags:`
    assert list(entry("2022-02-11-week04-weekly.md").tags.names()) == []  # `tags: []`
    assert set(entry("2022-02-13-no-date-key.md").tags.names()) == {"python", "파이썬"}


def test_it_keeps_the_front_matter_camplog_has_no_field_for(corpus):
    paper = entry("2022-02-14-attention-is-all-you-need.md").front_matter
    assert paper["date"] == "2022-02-14 01:20:00 +0900"
    assert paper["categories"] == ["Paper Review", "NLP"]
    assert paper["description"].startswith("트랜스포머 원 논문 리뷰")
    # mappings keep their order: Postgres' jsonb would sort the keys of an object
    assert [key for key, _ in paper["extra"]["~map"]][:3] == ["author", "pin", "toc"]
    image_keys = [key for key, _ in paper["image"]["~map"]]
    assert image_keys == ["path", "alt", "lqip"]

    draft = entry("2022-02-15-draft.md")
    assert draft.front_matter["last_modified_at"] == "2022-02-16"
    assert draft.front_matter["categories"] == ["부스트캠프 AI Tech 3기", "Mentoring", "멘토링"]
    weekly = entry("2022-02-11-week04-weekly.md").front_matter
    assert weekly["math"] is False
    assert weekly["categories"] == ["부스트캠프 AI Tech 3기", "Daily & Weekly Log", "Weekly"]


def test_it_imports_a_post_with_published_false_as_a_private_draft(corpus):
    draft = entry("2022-02-15-draft.md")
    assert (draft.status, draft.visibility) == ("draft", "private")


def test_it_takes_visibility_from_the_front_matter_and_defaults_to_the_cohort(corpus):
    assert entry("2022-02-18-utf8-bom.md").visibility == "public"
    assert entry("2022-02-17-crlf.md").visibility == "cohort"
    assert entry("2022-02-12-weekend-review.md").visibility == "cohort"


def test_it_keeps_liquid_kramdown_attributes_and_html_in_the_body(corpus):
    body = entry("2022-02-10-week04-day016.md").body
    assert '{: width="400px" .align-center}' in body
    assert "{: .prompt-info }" in body
    assert "{% include embed/youtube.html id='iDulhoQ2pro' %}" in body
    assert "{% raw %}" in body
    assert "<details>\n<summary>피어세션 코드 (클릭해서 펼치기)</summary>" in body
    notion = entry("2022-02-16-notion-export.md").body
    assert "<aside>\n💡 Notion에서 내보낸 페이지입니다." in notion
    assert "Created: February 16, 2022 10:40 PM" in notion


def test_it_renders_chirpy_prompt_boxes(corpus):
    html = entry("2022-02-10-week04-day016.md").body_html
    assert "prompt-info" in html
    assert "prompt-warning" in entry("2022-02-14-attention-is-all-you-need.md").body_html


def test_it_normalizes_line_endings_and_drops_the_byte_order_mark(corpus):
    crlf = entry("2022-02-17-crlf.md").body
    assert "\r" not in crlf
    assert crlf.startswith("## 오늘 한 일\n- [x] 윈도우 메모장에서 쓴 글\n")
    assert entry("2022-02-18-utf8-bom.md").title == "BOM으로 시작하는 글"


def test_it_gives_a_post_without_any_title_the_calendar_title(learner, cohort):
    import_posts(
        {"2022-02-09-untitled.md": post("date: 2022-02-09 21:00:00 +0900")}, learner, cohort
    )

    assert entry("2022-02-09-untitled.md").title == "[Week 04 / Day 015] 학습 기록"


# --- kinds -------------------------------------------------------------------------------------


def test_a_second_daily_log_on_a_date_that_has_one_becomes_a_note(learner, cohort):
    factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, 9), title="직접 쓴 기록")

    report = import_posts({SEED: fixture(SEED)}, learner, cohort)

    seed = entry(SEED)
    assert seed.kind == Entry.Kind.NOTE
    assert any("already has a daily log" in p for p in result_for(report, SEED).problems)
    assert Entry.objects.filter(author=learner).count() == 2


def test_two_daily_logs_of_one_date_in_one_import_keep_both(learner, cohort):
    second = fixture(SEED).replace(b"22:40:00", b"23:50:00")
    report = import_posts(
        {"2022-02-09-a.md": fixture(SEED), "2022-02-09-b.md": second}, learner, cohort
    )

    assert report.counts["created"] == 2
    assert entry("2022-02-09-a.md").kind == "daily"
    assert entry("2022-02-09-b.md").kind == "note"


def test_a_second_weekly_log_in_a_week_becomes_a_note(learner, cohort):
    weekly = post('title: "[Week 04] 주간 회고"\ndate: 2022-02-11 18:00:00 +0900')
    again = post('title: "[Week 04] 주간 회고 (2)"\ndate: 2022-02-12 18:00:00 +0900')
    import_posts({"2022-02-11-w.md": weekly, "2022-02-12-w.md": again}, learner, cohort)

    assert entry("2022-02-11-w.md").kind == "weekly"
    assert entry("2022-02-12-w.md").kind == "note"


def test_camplog_kind_in_the_front_matter_decides_the_kind(learner, cohort):
    data = post('title: "[Week 04 / Day 015] 학습 기록"\ndate: 2022-02-09\ncamplog_kind: note')
    import_posts({"2022-02-09-n.md": data}, learner, cohort)

    imported = entry("2022-02-09-n.md")
    assert imported.kind == "note"
    assert "extra" not in imported.front_matter  # the hint is not kept as a key of the post


# --- images ------------------------------------------------------------------------------------


def test_it_stores_the_images_of_a_zip_and_rewrites_their_links(corpus, learner):
    seed = entry(SEED)
    uploads = {upload.original_name: upload for upload in seed.uploads.all()}
    inline = uploads["assets/img/posts/Boostcamp-AI-Tech/Daily-Log/week04/d015-1.png"]
    cover = uploads["assets/img/posts/Boostcamp-AI-Tech/boostcamp_ai_tech_title.png"]
    assert inline.owner == learner and inline.width == 24
    assert f"]({inline.url})" in seed.body
    assert "/assets/img/posts/Boostcamp-AI-Tech/Daily-Log/week04/d015-1.png" not in seed.body
    assert seed.front_matter["image"] == {"~map": [["path", cover.url]]}


def test_one_image_shown_by_two_posts_is_stored_once(corpus):
    title = "assets/img/posts/Boostcamp-AI-Tech/boostcamp_ai_tech_title.png"
    assert Upload.objects.filter(original_name=title).count() == 1
    day016 = entry("2022-02-10-week04-day016.md")
    assert day016.uploads.filter(original_name=title).exists()


def test_it_reports_missing_images_and_keeps_their_links(corpus):
    result = result_for(corpus, "2022-02-10-week04-day016.md")
    assert any("d016-2.png" in problem for problem in result.problems)
    body = entry("2022-02-10-week04-day016.md").body
    assert '<img src="/assets/img/posts/Boostcamp-AI-Tech/Daily-Log/week04/d016-2.png"' in body
    # image syntax inside code is text, not an image: neither rewritten nor reported
    assert "![예시일 뿐](/assets/not-an-image.png)" in body
    assert not any("not-an-image" in problem for problem in result.problems)


def test_it_resolves_relative_and_notion_image_paths(learner, cohort):
    notion_folder = "Week 04 Day 017 학습 기록 3f2a9c8e1b7d4e6fa0c5b9d8e7f6a1b2"
    data = make_zip(
        {
            "2022-02-16-notion-export.md": fixture("2022-02-16-notion-export.md"),
            f"{notion_folder}/Untitled.png": png("purple"),
        }
    )
    report = import_zip(data, learner, cohort)

    notion = entry("2022-02-16-notion-export.md")
    upload = notion.uploads.get()
    assert f"![Untitled]({upload.url})" in notion.body
    assert result_for(report, "2022-02-16-notion-export.md").problems == []


def test_it_refuses_an_svg_image_with_a_reason_and_keeps_the_post(learner, cohort):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    data = make_zip(
        {
            "2022-02-09-svg.md": post("title: SVG\ndate: 2022-02-09", "![그림](pic.svg)\n"),
            "pic.svg": svg,
        }
    )
    report = import_zip(data, learner, cohort)

    result = result_for(report, "2022-02-09-svg.md")
    assert result.action == "created"
    assert any("pic.svg" in problem and "not imported" in problem for problem in result.problems)
    assert "![그림](pic.svg)" in entry("2022-02-09-svg.md").body
    assert not Upload.objects.exists()


# --- idempotency -------------------------------------------------------------------------------


def test_importing_the_same_zip_again_changes_nothing(corpus, learner, cohort):
    entries = Entry.objects.count()
    uploads = Upload.objects.count()

    again = import_zip(site_zip(), learner, cohort)

    assert again.counts == {"created": 0, "updated": 0, "skipped": len(GOOD), "failed": 0}
    assert Entry.objects.count() == entries
    assert Upload.objects.count() == uploads


def test_importing_an_edited_file_updates_the_same_entry(learner, cohort):
    import_posts({SEED: fixture(SEED)}, learner, cohort)
    first = entry(SEED)
    edited = (
        fixture(SEED).replace(b"week04, lv1-u-stage]", b"week04, rnn]") + "\n추가한 줄\n".encode()
    )

    report = import_posts({"_posts/" + SEED: edited}, learner, cohort)

    assert report.counts["updated"] == 1
    again = entry(SEED)
    assert again.pk == first.pk
    assert again.body.endswith("추가한 줄\n")
    assert "rnn" in again.tags.names() and "lv1-u-stage" not in again.tags.names()
    assert Entry.objects.filter(author=learner).count() == 1


def test_the_same_file_name_is_a_different_entry_for_another_author(learner, teammate, cohort):
    import_posts({SEED: fixture(SEED)}, learner, cohort)
    import_posts({SEED: fixture(SEED)}, teammate, cohort)

    assert Entry.objects.filter(source_name=SEED).count() == 2


def test_two_files_with_one_name_in_one_import_are_not_merged(learner, cohort):
    report = import_bundle(
        read_zip("two.zip", make_zip({f"a/{SEED}": fixture(SEED), f"b/{SEED}": fixture(SEED)})),
        author=learner,
        cohort=cohort,
    )

    assert report.counts["created"] == 1
    failed = result_for(report, f"b/{SEED}")
    assert failed.action == "failed" and "same name" in failed.problems[0]


# --- bad input ---------------------------------------------------------------------------------


BAD = {
    "not-yaml.md": "not valid YAML",
    "date-not-a-date.md": "is not a date",
    "binary.md": "binary file",
    "empty.md": "the file is empty",
    "cp949.md": "CP949/EUC-KR",
    "impossible-date.md": "not a valid date",
    "unclosed.md": "never closed",
    "duplicate-key.md": "appears twice",
    "list-front-matter.md": "must be `key: value` lines",
    "bad-visibility.md": "is not one of private, cohort, public",
    "alias.md": "not supported",
}


def test_each_broken_file_is_named_with_its_reason_and_the_rest_still_import(learner, cohort):
    files = {f"bad/{name}": fixture(f"bad/{name}") for name in BAD}
    files[SEED] = fixture(SEED)

    report = import_posts(files, learner, cohort)

    assert report.counts == {"created": 1, "updated": 0, "skipped": 0, "failed": len(BAD)}
    for name, reason in BAD.items():
        result = result_for(report, f"bad/{name}")
        assert result.action == "failed"
        assert reason in result.problems[0], (name, result.problems)
    assert Entry.objects.get().source_name == SEED


def test_a_post_without_any_date_fails_with_the_fix(learner, cohort):
    report = import_posts({"notes.md": post("title: 날짜 없음")}, learner, cohort)

    assert "no date" in report.results[0].problems[0]
    assert not Entry.objects.exists()


def test_a_ten_megabyte_file_is_refused_and_the_rest_of_the_zip_imported(learner, cohort):
    # Bytes that do not compress, so that the zip is not taken for a bomb.
    huge = post("title: 큰 글\ndate: 2022-02-10") + random.Random(5).randbytes(10 * 1024 * 1024)
    report = import_zip(
        make_zip({"2022-02-10-huge.md": huge, SEED: fixture(SEED)}), learner, cohort
    )

    assert result_for(report, "2022-02-10-huge.md").action == "failed"
    assert "larger than 1 MB" in result_for(report, "2022-02-10-huge.md").problems[0]
    assert result_for(report, SEED).action == "created"


def test_zip_entries_that_escape_the_folder_are_refused_and_nothing_is_written(
    learner, cohort, media, tmp_path
):
    data = make_zip(
        {
            "../../evil.md": post("title: evil\ndate: 2022-02-09"),
            "/etc/evil.md": post("title: evil\ndate: 2022-02-09"),
            SEED: fixture(SEED),
        }
    )
    report = import_zip(data, learner, cohort)

    assert result_for(report, "../../evil.md").action == "failed"
    assert "leaves the archive" in result_for(report, "../../evil.md").problems[0]
    assert result_for(report, "/etc/evil.md").action == "failed"
    assert result_for(report, SEED).action == "created"
    assert Entry.objects.count() == 1
    assert not any(path.name == "evil.md" for path in tmp_path.parent.rglob("evil.md"))


def test_a_zip_bomb_is_refused_whole_with_a_reason(learner, cohort):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(SEED, fixture(SEED))
        archive.writestr("2022-02-10-zeros.md", b"---\ntitle: x\n---\n" + bytes(8 * 1024 * 1024))
    report = import_zip(buffer.getvalue(), learner, cohort)

    assert report.failed == 1
    assert "zip bomb" in report.results[0].problems[0]
    assert not Entry.objects.exists()


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_duplicate_names_in_a_zip_are_named(learner, cohort):
    data = make_zip([(SEED, fixture(SEED)), (SEED, fixture(SEED))])
    report = import_zip(data, learner, cohort)

    assert report.counts["created"] == 1
    assert any("more than once" in r.problems[0] for r in report.results if r.action == "failed")


def test_pages_of_a_whole_site_are_left_out_not_failed(learner, cohort):
    data = make_zip({f"_posts/{SEED}": fixture(SEED), "about.md": b"# About me\n"})
    report = import_zip(data, learner, cohort)

    assert report.counts == {"created": 1, "updated": 0, "skipped": 1, "failed": 0}


def test_a_file_that_fails_while_saving_leaves_nothing_behind(learner, cohort, media, monkeypatch):
    from logs.transfer import importer as importing

    real = importing.invalidation.entries_written

    def explode(entries):
        if any(entry.source_name == SEED for entry in entries):
            raise importing.DatabaseError("disk full")
        return real(entries)

    # after the entry and its images are written, before its transaction commits
    monkeypatch.setattr(importing.invalidation, "entries_written", explode)
    report = import_zip(site_zip([SEED, "2022-02-10-week04-day016.md"]), learner, cohort)

    assert result_for(report, SEED).action == "failed"
    assert "disk full" in result_for(report, SEED).problems[0]
    assert result_for(report, "2022-02-10-week04-day016.md").action == "created"
    assert not Entry.objects.filter(source_name=SEED).exists()
    # the seed's own image was rolled back with it, its file deleted; the shared one survives
    names = set(Upload.objects.values_list("original_name", flat=True))
    assert "assets/img/posts/Boostcamp-AI-Tech/Daily-Log/week04/d015-1.png" not in names
    stored = {path.name for path in media.rglob("*.png")}
    assert stored == {f"{u.key}.png" for u in Upload.objects.all()}


def test_a_dry_run_decides_everything_and_writes_nothing(learner, cohort, media):
    report = import_zip(site_zip(), learner, cohort, dry_run=True)

    assert report.dry_run is True
    assert report.counts["created"] == len(GOOD)
    assert result_for(report, "2022-02-14-attention-is-all-you-need.md").learning_date == dt.date(
        2022, 2, 13
    )
    assert not Entry.objects.exists()
    assert not Upload.objects.exists()
    assert not media.exists() or not any(media.rglob("*.png"))


def test_it_refuses_an_author_who_does_not_write_in_the_cohort(outsider, operator, cohort):
    for user in (outsider, operator):
        with pytest.raises(PermissionError):
            import_posts({SEED: fixture(SEED)}, user, cohort)


def test_a_date_outside_the_cohort_is_imported_with_a_warning(learner, cohort):
    report = import_posts(
        {"2021-05-01-old.md": post("title: 옛 글\ndate: 2021-05-01")}, learner, cohort
    )

    result = report.results[0]
    assert result.action == "created"
    assert "outside the cohort" in result.problems[0]


def test_a_mentor_imports_daily_logs_as_notes(mentor, cohort):
    report = import_posts({SEED: fixture(SEED)}, mentor, cohort)

    assert entry(SEED).kind == "note"
    assert "Mentors write notes" in report.results[0].problems[0]


def test_an_update_bumps_the_version_the_editor_checks(learner, cohort):
    import_posts({SEED: fixture(SEED)}, learner, cohort)
    version = entry(SEED).version

    import_posts({SEED: fixture(SEED) + b"\n"}, learner, cohort)

    assert entry(SEED).version == version + 1


def test_an_edit_saved_during_the_import_wins(learner, cohort, monkeypatch):
    import_posts({SEED: fixture(SEED)}, learner, cohort)
    from logs.transfer import importer as importing

    real = importing._Importer.plan

    def edit_after_planning(self, *args):
        plan = real(self, *args)
        Entry.objects.filter(pk=plan.existing.pk).update(version=99, title="편집기에서 고침")
        return plan

    monkeypatch.setattr(importing._Importer, "plan", edit_after_planning)
    report = import_posts({SEED: fixture(SEED) + b"\n"}, learner, cohort)

    assert report.results[0].action == "failed"
    assert "changed in Camplog during the import" in report.results[0].problems[0]
    assert entry(SEED).title == "편집기에서 고침"


# --- writing in batches ------------------------------------------------------------------------


def daily_logs(days: list[dt.date], tags: str = "[파이토치, week04]") -> dict[str, bytes]:
    return {
        f"{day}-log.md": post(f"title: {day} 기록\ndate: {day}\ncamplog_kind: daily\ntags: {tags}")
        for day in days
    }


def days_from(first: dt.date, count: int) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range(count)]


def test_new_posts_are_written_in_a_fixed_number_of_queries(
    learner, teammate, team, cohort, monkeypatch
):
    """New entries go in batches: one INSERT for the entries (of `INSERT_ROWS` rows each), one
    lookup of their tags and one INSERT of the tag links, however many posts (one file at a time
    took four queries a post)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from logs.transfer import importer

    monkeypatch.setattr(importer, "INSERT_ROWS", 100)

    import_posts(daily_logs([dt.date(2022, 1, 3)]), learner, cohort)  # the tags exist now
    another = factories.make_user("learner3")
    factories.join(another, cohort, "learner", team)

    with CaptureQueriesContext(connection) as few:
        import_posts(daily_logs(days_from(dt.date(2022, 2, 7), 3)), teammate, cohort)
    with CaptureQueriesContext(connection) as many:
        import_posts(daily_logs(days_from(dt.date(2022, 2, 7), 30)), another, cohort)

    assert Entry.objects.filter(author=another).count() == 30
    # the author's roles, the cohort with its calendar, own exports, existing entries, daily
    # and weekly slots; then the batch: savepoint, entries, tags, tag links, release; then what
    # the cached pages must forget (logs/caching/invalidation.py): slugs, usernames, tags, the author's
    # logs, and the bump (after the commit outside the test's transaction)
    assert len(few.captured_queries) == len(many.captured_queries) == 16


def test_a_batch_that_fails_is_imported_again_one_file_at_a_time(learner, cohort, monkeypatch):
    """A daily log saved in the editor during the import, on the date of a post in a batch,
    makes the batch's INSERT fail: that post fails with the reason, every other is created."""
    from logs.transfer import importer as importing

    monkeypatch.setattr(importing, "BATCH", 2)  # the batch that fails has another one after it
    days = days_from(dt.date(2022, 2, 7), 5)
    files = daily_logs(days)
    real = importing._Importer.plan

    def edit_during_the_import(self, source, result):
        plan = real(self, source, result)
        if source.name == f"{days[1]}-log.md" and not Entry.objects.filter(title="편집기").exists():
            factories.make_entry(learner, cohort, learning_date=days[1], title="편집기")
        return plan

    monkeypatch.setattr(importing._Importer, "plan", edit_during_the_import)
    report = import_posts(files, learner, cohort)

    assert [result.name for result in report.results] == sorted(files)
    assert report.counts == {"created": 4, "updated": 0, "skipped": 0, "failed": 1}
    failed = result_for(report, f"{days[1]}-log.md")
    assert failed.action == "failed"
    assert "could not be saved" in failed.problems[0]
    assert set(Entry.objects.values_list("learning_date", "title")) == {
        (days[1], "편집기"),
        *((day, f"{day} 기록") for day in days if day != days[1]),
    }
    for result in report.results:
        if result.action == "created":
            assert Entry.objects.get(pk=result.entry_id).source_name == result.name
            assert sorted(Entry.objects.get(pk=result.entry_id).tags.names()) == [
                "week04",
                "파이토치",
            ]


def test_a_large_import_renders_in_worker_processes_what_a_save_renders(
    learner, cohort, monkeypatch
):
    from logs import markdown
    from logs.rendering import RenderAhead, with_image_sizes
    from logs.transfer import importer as importing

    monkeypatch.setattr(importing, "_render_workers", lambda posts: 2)
    from_workers = []
    real_get = RenderAhead.get

    def get(self, text):
        rendered = real_get(self, text)
        if rendered is not None:
            from_workers.append(text)
        return rendered

    monkeypatch.setattr(RenderAhead, "get", get)
    report = import_zip(site_zip(), learner, cohort)  # posts with images are written one by one

    assert report.counts["created"] == len(GOOD)
    assert len(from_workers) > len(GOOD) // 2
    for imported in Entry.objects.all():
        here = markdown.render(imported.body)
        assert imported.body_html == with_image_sizes(here.html)  # the imported images' sizes
        assert imported.excerpt == here.excerpt
        assert imported.has_math == here.has_math
        assert imported.toc == [{"level": t.level, "id": t.id, "title": t.title} for t in here.toc]


def test_a_title_over_several_lines_is_imported_on_one(learner, cohort):
    front = 'title: "첫 줄\\n둘째 줄"\ndate: 2022-02-09 21:00:00 +0900'
    import_posts({"2022-02-09-lines.md": post(front)}, learner, cohort)
    assert entry("2022-02-09-lines.md").title == "첫 줄 둘째 줄"


def test_an_import_invalidates_the_pages_it_changes_once(learner, cohort, media):
    """One bump for the whole import (`invalidation.gathered`), not one a post or a batch, each
    of which named every daily log of the author again; and it names what the posts show on."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from logs.caching import versions

    before = versions.get_versions(["week:ai-tech-3:4", "learner:learner"])
    with CaptureQueriesContext(connection) as queries:
        report = import_zip(site_zip(), learner, cohort)

    assert report.counts["created"] >= 5
    bumps = [q["sql"] for q in queries.captured_queries if "logs_fragmentversion" in q["sql"]]
    assert len([sql for sql in bumps if sql.startswith("INSERT")]) == 1
    after = versions.get_versions(["week:ai-tech-3:4", "learner:learner"])
    assert all(after[name] != before[name] for name in before)


def test_posts_with_images_are_written_in_batches_each_image_stored_once(
    learner, cohort, media, monkeypatch
):
    """A post with images is written with its batch (its images stored first, linked in one
    INSERT); an image two posts show is stored once, even when the second post was planned
    before the first one's batch was written."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from logs.transfer import importer

    monkeypatch.setattr(importer, "BATCH", 2)
    files = {}
    for day in range(10, 15):
        files[f"_posts/2022-02-{day}-pic.md"] = post(
            f"title: 그림 {day}\ndate: 2022-02-{day}",
            f"![공유](/assets/shared.png)\n\n![내 그림](/assets/{day}.png)\n",
        )
        files[f"assets/{day}.png"] = png("blue", (3, day))
    files["assets/shared.png"] = png("red")

    with CaptureQueriesContext(connection) as queries:
        report = import_zip(make_zip(files), learner, cohort)

    assert report.counts["created"] == 5 and not report.failed
    assert Upload.objects.filter(owner=learner).count() == 6
    shared = Upload.objects.get(original_name="assets/shared.png")
    assert shared.entries.count() == 5
    for entry in Entry.objects.filter(author=learner):
        assert entry.uploads.count() == 2
        assert shared.url in entry.body and "/assets/" not in entry.body
    entry_inserts = [
        q for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "logs_entry"')
    ]
    assert len(entry_inserts) == 3  # batches of two
    stored = {path.name for path in media.rglob("*.png")}
    assert stored == {f"{u.key}.png" for u in Upload.objects.all()}
