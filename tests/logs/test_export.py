"""Exporting entries as a Jekyll site (`logs.transfer.exporter`) and the `export_jekyll` command."""

import datetime as dt
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from logs.models import Entry, MentoringQuestion, SessionProblem
from logs.transfer.exporter import export_entries, write_zip
from logs.transfer.jekyll import parse_post
from logs.uploads import link_uploads, store_image
from tests import factories
from tests.logs.transfer_helpers import SEED, fixture, import_posts, import_zip, png, site_zip

SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def text(export, path: str) -> str:
    return export.files[path].decode()


def front(export, path: str):
    return parse_post(path, export.files[path])


# --- imported posts go back as they came ---------------------------------------------------------


def test_the_seed_goes_back_with_its_name_values_and_body(learner, cohort):
    import_posts({SEED: fixture(SEED)}, learner, cohort)

    export = export_entries(learner)

    assert export.paths() == [f"_posts/{SEED}"]
    original, exported = parse_post(SEED, fixture(SEED)), front(export, f"_posts/{SEED}")
    for field in ("title", "date", "categories", "tags", "math", "image", "body", "published"):
        assert getattr(exported, field) == getattr(original, field), field
    assert exported.visibility is None  # the default, and the author did not write it
    assert "lv1-u-stage]     # TAG names should always be lowercase\n" in text(
        export, f"_posts/{SEED}"
    )


def test_it_writes_chirpy_front_matter(learner, cohort):
    import_posts({SEED: fixture(SEED)}, learner, cohort)

    head = text(export_entries(learner), f"_posts/{SEED}").split("---\n")[1]

    assert head.startswith(
        'title: "[Week 04 / Day 015] 학습 기록"\n'
        "date: 2022-02-09 22:40:00 +0900\n"
        "categories: [부스트캠프 AI Tech 3기, Daily & Weekly Log]\n"
    )
    assert "math: true\n" in head
    assert "visibility:" not in head  # a key the author did not write is not added


def test_the_images_of_an_import_go_back_to_their_paths(learner, cohort):
    import_zip(site_zip([SEED]), learner, cohort)

    export = export_entries(learner)

    inline = "assets/img/posts/Boostcamp-AI-Tech/Daily-Log/week04/d015-1.png"
    cover = "assets/img/posts/Boostcamp-AI-Tech/boostcamp_ai_tech_title.png"
    assert export.files[inline] == png("red")
    assert export.files[cover] == png("green")
    body = text(export, f"_posts/{SEED}")
    assert f"(/{inline})" in body
    assert "/media/" not in body
    assert front(export, f"_posts/{SEED}").image == {"path": f"/{cover}"}
    assert export.images == 2


def test_a_time_without_a_zone_goes_back_as_it_was_written(learner, cohort):
    name = "2022-02-10-week04-day016.md"
    import_posts({name: fixture(name)}, learner, cohort)

    assert "date: 2022-02-10 23:15:00\n" in text(export_entries(learner), f"_posts/{name}")


def test_kept_keys_go_back_in_their_order(learner, cohort):
    name = "2022-02-14-attention-is-all-you-need.md"
    import_posts({name: fixture(name)}, learner, cohort)

    exported = front(export_entries(learner), f"_posts/{name}")

    assert list(exported.extra) == [
        "author",
        "pin",
        "toc",
        "comments",
        "mermaid",
        "render_with_liquid",
        "sitemap",
    ]
    assert list(exported.image) == ["path", "alt", "lqip"]
    assert exported.description.startswith("트랜스포머 원 논문 리뷰")


# --- entries written in Camplog ---------------------------------------------------------------------


def test_an_entry_written_in_camplog_gets_the_cohort_and_kind_as_categories(learner, cohort):
    factories.make_entry(learner, cohort, tags=["rnn", "부스트캠프AITech"], body="$c_0$ 수식\n")

    export = export_entries(learner)

    (path,) = export.paths()
    assert path == "_posts/2022-02-09-week-04-day-015-학습-기록.md"
    post = front(export, path)
    assert post.title == "[Week 04 / Day 015] 학습 기록"
    assert post.categories == ["부스트캠프 AI Tech 3기", "Daily Log"]
    assert post.tags == ["rnn", "부스트캠프AITech"]
    assert post.math is True
    assert post.visibility == "cohort"
    assert post.body == "$c_0$ 수식\n"


def test_the_date_is_when_the_entry_was_written_if_that_is_its_learning_day(learner, cohort):
    written = factories.make_entry(learner, cohort)
    Entry.objects.filter(pk=written.pk).update(
        created_at=dt.datetime(2022, 2, 10, 1, 20, 33, 123456, tzinfo=SEOUL)
    )
    late = export_entries(learner)
    assert "date: 2022-02-10 01:20:33 +0900\n" in text(late, late.paths()[0])

    Entry.objects.filter(pk=written.pk).update(created_at=dt.datetime(2025, 1, 1, tzinfo=SEOUL))
    later = export_entries(learner)
    assert "date: 2022-02-09\n" in text(later, later.paths()[0])


def test_drafts_and_private_entries_are_exported_for_their_author(learner, cohort):
    factories.make_entry(learner, cohort, status="draft", visibility="private")

    export = export_entries(learner)
    post = front(export, export.paths()[0])

    assert post.published is False
    assert post.visibility == "private"


def test_only_the_authors_own_entries_are_exported(learner, teammate, cohort):
    factories.make_entry(learner, cohort, title="내 글")
    factories.make_entry(teammate, cohort, title="동료의 글", visibility="public")

    export = export_entries(learner)
    titles = [front(export, path).title for path in export.paths()]

    assert titles == ["내 글"]


def test_uploads_go_under_assets_img_camplog_with_their_links_rewritten(learner, cohort):
    upload = store_image(learner, png("blue"), original_name="스크린샷.png")
    written = factories.make_entry(learner, cohort, body=f"![그림]({upload.url})\n")
    link_uploads(written, written.body, learner)

    export = export_entries(learner)

    path = f"assets/img/camplog/{upload.key}.png"
    assert export.files[path] == png("blue")
    assert f"![그림](/{path})" in text(export, "_posts/2022-02-09-week-04-day-015-학습-기록.md")


def test_someone_elses_image_is_not_exported(learner, teammate, cohort):
    theirs = store_image(teammate, png("black"))
    factories.make_entry(learner, cohort, body=f"![남의 그림]({theirs.url})\n")

    export = export_entries(learner)

    assert export.images == 0
    assert theirs.url in text(export, export.paths()[0])


def test_a_note_titled_like_a_daily_log_says_its_kind(learner, cohort):
    factories.make_entry(learner, cohort)
    factories.make_entry(learner, cohort, kind="note")  # same title and date

    export = export_entries(learner)

    assert export.paths() == [
        "_posts/2022-02-09-week-04-day-015-학습-기록-2.md",
        "_posts/2022-02-09-week-04-day-015-학습-기록.md",
    ]
    kinds = {parse_post(p, export.files[p]).extra.get("camplog_kind") for p in export.paths()}
    assert kinds == {None, "note"}


def test_the_export_is_the_same_bytes_every_time(learner, cohort):
    import_zip(site_zip(), learner, cohort)
    factories.make_entry(learner, cohort, learning_date=dt.date(2022, 3, 2), tags=["a"])

    assert write_zip(export_entries(learner)).read() == write_zip(export_entries(learner)).read()


# --- sessions ----------------------------------------------------------------------------------


@pytest.fixture
def day_with_sessions(learner, mentor, team, cohort):
    factories.make_entry(learner, cohort, body="## 오늘 한 일\n- [x] 강의\n")
    peer = factories.make_session(
        team, title="피어세션", summary="### **키워드 공유**\n- attention\n"
    )
    SessionProblem.objects.create(
        session=peer, title="[BOJ] 원숭이 매달기", url="https://boj.kr/2716"
    )
    mentoring = factories.make_session(team, kind="mentoring", title="멘토링", summary="")
    MentoringQuestion.objects.create(
        session=mentoring,
        number=1,
        question="MHA의 원리가\n궁금하다.",
        answer="- 잘 된 것이다.\n- AI는 이런 게 많다.",
        asked_by=learner,
    )
    return peer, mentoring


def test_sessions_are_inlined_into_the_daily_log_when_asked(learner, day_with_sessions):
    export = export_entries(learner, with_sessions=True)

    body = front(export, export.paths()[0]).body
    assert body.startswith("## 오늘 한 일\n- [x] 강의\n\n<br>\n\n## **👥 피어세션**\n")
    assert "### **키워드 공유**\n- attention\n" in body
    assert "- [[BOJ] 원숭이 매달기](https://boj.kr/2716)\n" in body
    assert "## **🏫 멘토링**\n" in body
    assert "1. **MHA의 원리가 궁금하다.**\n    - 잘 된 것이다.\n    - AI는 이런 게 많다.\n" in body


def test_sessions_are_left_out_by_default(learner, day_with_sessions):
    export = export_entries(learner)

    assert "피어세션" not in front(export, export.paths()[0]).body


def test_another_teams_sessions_are_never_inlined(other_learner, day_with_sessions, cohort):
    factories.make_entry(other_learner, cohort)

    export = export_entries(other_learner, with_sessions=True)

    assert "피어세션" not in front(export, export.paths()[0]).body


# --- the command -------------------------------------------------------------------------------


def test_the_command_writes_posts_and_images_into_a_folder(learner, cohort, tmp_path, capsys):
    import_zip(site_zip([SEED]), learner, cohort)

    call_command("export_jekyll", "--author", "learner", "--out", str(tmp_path / "blog"))

    assert (tmp_path / "blog" / "_posts" / SEED).read_bytes() == export_entries(learner).files[
        f"_posts/{SEED}"
    ]
    assert (
        tmp_path / "blog/assets/img/posts/Boostcamp-AI-Tech/boostcamp_ai_tech_title.png"
    ).exists()
    assert "1 posts and 2 images written" in capsys.readouterr().out


def test_the_command_writes_a_zip_when_out_ends_in_zip(learner, cohort, tmp_path):
    factories.make_entry(learner, cohort)

    call_command("export_jekyll", "--author", "learner", "--out", str(tmp_path / "blog.zip"))

    with zipfile.ZipFile(io.BytesIO((tmp_path / "blog.zip").read_bytes())) as archive:
        assert archive.namelist() == ["_posts/2022-02-09-week-04-day-015-학습-기록.md"]


def test_the_command_refuses_an_unknown_author(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No user named"):
        call_command("export_jekyll", "--author", "nobody", "--out", str(tmp_path))
