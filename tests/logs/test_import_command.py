"""`manage.py import_jekyll`: files, folders and zips; progress, summary, speed, exit status."""

import datetime as dt
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from logs.models import Entry
from logs.transfer.importer import import_bundle
from logs.transfer.sources import SourceBundle, SourceFile
from tests.logs.transfer_helpers import FIXTURES, GOOD, SEED, post, site_zip


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(*args):
    call_command("import_jekyll", *map(str, args))


def test_it_imports_a_folder_and_prints_a_summary_with_the_speed(learner, cohort, capsys, tmp_path):
    folder = tmp_path / "blog" / "_posts"
    folder.mkdir(parents=True)
    for name in GOOD:
        (folder / name).write_bytes((FIXTURES / name).read_bytes())

    run(tmp_path / "blog", "--cohort", cohort.slug, "--author", "learner")

    out = capsys.readouterr().out
    assert f"{len(GOOD)} posts, 0 images" in out
    assert "created  2022-02-09 daily  _posts/2022-02-09-week04-day015.md" in out
    assert f"{len(GOOD)} created, 0 updated, 0 skipped, 0 failed." in out
    assert "posts/s)" in out
    assert Entry.objects.filter(author=learner).count() == len(GOOD)


def test_it_imports_a_zip_and_a_single_file(learner, cohort, capsys, tmp_path):
    (tmp_path / "blog.zip").write_bytes(site_zip([SEED]))
    (tmp_path / "2022-03-02-memo.md").write_bytes(post("title: 메모\ndate: 2022-03-02"))

    run(
        tmp_path / "blog.zip",
        tmp_path / "2022-03-02-memo.md",
        "--cohort",
        cohort.slug,
        "--author",
        "learner",
    )

    assert "2 created, 0 updated, 0 skipped, 0 failed." in capsys.readouterr().out
    assert Entry.objects.get(source_name=SEED).uploads.count() == 2


def test_it_exits_non_zero_when_a_file_failed_and_imports_the_rest(learner, cohort, capsys):
    with pytest.raises(CommandError, match="1 file\\(s\\) failed") as raised:
        run(
            FIXTURES / SEED,
            FIXTURES / "bad" / "not-yaml.md",
            "--cohort",
            cohort.slug,
            "--author",
            "learner",
        )

    assert raised.value.returncode == 1
    out = capsys.readouterr().out
    assert "failed   ---------- -      not-yaml.md" in out
    assert "not valid YAML" in out
    assert "1 created, 0 updated, 0 skipped, 1 failed." in out
    assert Entry.objects.get().source_name == SEED


def test_a_path_that_does_not_exist_is_a_failure(learner, cohort, capsys, tmp_path):
    with pytest.raises(CommandError):
        run(tmp_path / "nope.md", "--cohort", cohort.slug, "--author", "learner")
    assert "no such file or folder" in capsys.readouterr().out


def test_importing_again_updates_or_skips_never_duplicates(learner, cohort, capsys):
    run(FIXTURES / SEED, "--cohort", cohort.slug, "--author", "learner")
    run(FIXTURES / SEED, "--cohort", cohort.slug, "--author", "learner")

    assert "0 created, 0 updated, 1 skipped, 0 failed." in capsys.readouterr().out
    assert Entry.objects.count() == 1


def test_a_dry_run_writes_nothing(learner, cohort, capsys):
    run(FIXTURES / SEED, "--cohort", cohort.slug, "--author", "learner", "--dry-run")

    out = capsys.readouterr().out
    assert "dry run: nothing is written" in out
    assert "1 would be created" in out
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cohort", "nope", "--author", "learner"], "No cohort"),
        (["--cohort", "ai-tech-3", "--author", "nobody"], "No user"),
        (["--cohort", "ai-tech-3", "--author", "operator"], "not a learner or mentor"),
        (["--cohort", "ai-tech-3", "--author", "outsider"], "not a learner or mentor"),
    ],
)
def test_it_refuses_unknown_cohorts_users_and_non_members(
    learner, operator, outsider, args, message
):
    with pytest.raises(CommandError, match=message):
        run(FIXTURES / SEED, *args)
    assert not Entry.objects.exists()


@pytest.mark.slow
def test_it_imports_a_thousand_posts_and_reports_the_speed(learner, cohort, capsys):
    """The speed the issue asks for: 1,000 generated posts in one import, printed in posts/s."""
    start = dt.date(2022, 1, 17)
    posts = []
    for number in range(1000):
        day = start + dt.timedelta(days=number % 140)
        body = (
            f"## 오늘 한 일\n- [x] 강의 {number}\n- [ ] 과제\n\n$x_{{{number}}}$ 수식과 `code`\n\n"
            + "> 인용\n{: .prompt-info }\n\n" * 3
            + "| a | b |\n| --- | --- |\n| 1 | 2 |\n"
        )
        data = post(
            f'title: "노트 {number}"\ndate: {day} 22:{number % 60:02d}:00 +0900\n'
            f"tags: [t{number % 50}, 부스트캠프AITech, week{number % 20:02d}]\n"
            "categories: [부스트캠프 AI Tech 3기, Notes]",
            body,
        )
        posts.append(SourceFile(name=f"{day}-note-{number:04d}.md", data=data))

    started = time.perf_counter()
    report = import_bundle(SourceBundle(posts=posts), author=learner, cohort=cohort)
    elapsed = time.perf_counter() - started

    assert report.counts["created"] == 1000
    assert Entry.objects.filter(author=learner).count() == 1000
    with capsys.disabled():
        print(f"\nimport speed: 1000 posts in {elapsed:.1f} s = {1000 / elapsed:.0f} posts/s")
    assert report.posts_per_second > 20  # a floor that catches an n+1, not a benchmark
