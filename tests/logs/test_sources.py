"""Reading files, folders and .zip archives for import (`logs.transfer.sources`): in memory, bounded."""

import io
import os
import stat
import struct
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from django.utils import translation

from logs.transfer import sources
from logs.transfer.limits import DEFAULT_LIMITS, Limits
from logs.transfer.sources import (
    AssetError,
    SourceBundle,
    find_asset,
    read_sources,
    read_zip,
)


@pytest.fixture(autouse=True)
def _english():
    """The reasons are checked in English here; the import page shows them in the viewer's
    language (tests/logs/test_import_view.py)."""
    with translation.override("en"):
        yield


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "jekyll"
SEED = (FIXTURES / "2022-02-09-week04-day015.md").read_bytes()
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def make_zip(entries, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of (name or ZipInfo, bytes) pairs, written as given: no name is cleaned."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def problem_names(bundle: SourceBundle) -> list[str]:
    return [name for name, _ in bundle.problems]


def reason_for(bundle: SourceBundle, name: str) -> str:
    return next(reason for problem, reason in bundle.problems if problem == name)


# --- zips ------------------------------------------------------------------------------------


def test_it_reads_posts_and_images_from_a_zip():
    data = make_zip(
        [
            ("_posts/2022-02-09-week04-day015.md", SEED),
            ("assets/img/posts/d015-1.png", PNG),
            ("assets/img/posts/", b""),
            ("_config.yml", b"title: blog\n"),
        ]
    )

    bundle = read_zip("blog.zip", data)

    assert [post.name for post in bundle.posts] == ["_posts/2022-02-09-week04-day015.md"]
    assert bundle.posts[0].data == SEED
    assert bundle.posts[0].origin == "blog.zip"
    assert bundle.assets == {"assets/img/posts/d015-1.png": PNG}
    assert bundle.problems == []


def test_it_reads_a_zip_from_a_file_object():
    data = make_zip([("a.md", b"# a\n")])

    assert [post.name for post in read_zip("up.zip", io.BytesIO(data)).posts] == ["a.md"]


def test_it_skips_macos_folders_and_dotfiles_silently():
    data = make_zip(
        [
            ("post.md", b"# a\n"),
            ("__MACOSX/._post.md", b"\x00\x05\x16\x07"),
            (".DS_Store", b"\x00\x00"),
            (".git/HEAD", b"ref"),
            ("drafts/.hidden.md", b"# h\n"),
        ]
    )

    bundle = read_zip("mac.zip", data)

    assert [post.name for post in bundle.posts] == ["post.md"]
    assert bundle.problems == []


def test_it_refuses_entries_that_escape_the_archive():
    data = make_zip(
        [
            ("../evil.md", b"# evil\n"),
            ("posts/../../evil2.md", b"# evil\n"),
            ("/etc/evil3.md", b"# evil\n"),
            ("C:\\Windows\\evil4.md", b"# evil\n"),
            ("posts/../ok.md", b"# ok\n"),
            ("posts\\windows.md", b"# ok\n"),
        ]
    )

    bundle = read_zip("evil.zip", data)

    assert sorted(post.name for post in bundle.posts) == ["ok.md", "posts/windows.md"]
    assert "`..`" in reason_for(bundle, "evil.zip:../evil.md")
    assert "`..`" in reason_for(bundle, "evil.zip:posts/../../evil2.md")
    assert "absolute path" in reason_for(bundle, "evil.zip:/etc/evil3.md")
    assert "absolute path" in reason_for(bundle, "evil.zip:C:\\Windows\\evil4.md")


def test_it_refuses_a_zip_bomb_without_inflating_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("post.md", b"# fine\n")
        with archive.open("bomb.png", "w") as entry:
            for _ in range(200):  # 200 MB of zeros, about 200 KB compressed
                entry.write(bytes(1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024

    started = time.monotonic()
    bundle = read_zip("bomb.zip", data)

    assert time.monotonic() - started < 5
    assert bundle.posts == []
    assert bundle.assets == {}
    assert problem_names(bundle) == ["bomb.zip"]
    assert "zip bomb" in bundle.problems[0][1]
    assert "bomb.png" in bundle.problems[0][1]


def test_the_ratio_is_checked_on_the_bytes_read_whatever_the_archive_declares():
    info = zipfile.ZipInfo("bomb.png")
    info.file_size, info.compress_size = 1000, 1000  # what a lying archive would say
    limits = Limits(ratio_floor=1024 * 1024, max_ratio=100)
    budget = sources._Budget(limits.max_total_bytes)

    with pytest.raises(sources._Refused, match="zip bomb"):
        sources._read_entry(
            io.BytesIO(bytes(5 * 1024 * 1024)), info, 20 * 1024 * 1024, budget, limits, "x"
        )


def test_it_refuses_an_archive_that_declares_more_than_the_total_limit():
    limits = Limits(max_total_bytes=3 * 1024 * 1024, max_asset_bytes=2 * 1024 * 1024)
    data = make_zip([(f"img/{n}.png", os.urandom(1024 * 1024)) for n in range(4)])

    bundle = read_zip("big.zip", data, limits)

    assert bundle.assets == {}
    assert "more than the 3 MB accepted" in reason_for(bundle, "big.zip")


def test_it_refuses_an_archive_larger_than_the_total_limit_uncompressed():
    """Sizes declared too small (patched here) are caught while reading."""
    limits = Limits(max_total_bytes=3 * 1024 * 1024, max_asset_bytes=2 * 1024 * 1024)
    data = make_zip([(f"img/{n}.png", os.urandom(1024 * 1024)) for n in range(4)])
    budget = sources._Budget(limits.max_total_bytes)

    refused = pytest.raises(sources._Refused, match="more than 3 MB once uncompressed")
    with zipfile.ZipFile(io.BytesIO(data)) as archive, refused:
        for info in archive.infolist():
            with archive.open(info) as fp:
                sources._read_entry(fp, info, limits.max_asset_bytes, budget, limits, "x")


def test_it_refuses_an_archive_with_too_many_entries():
    data = make_zip([(f"{n}.md", b"# x\n") for n in range(11)])

    bundle = read_zip("many.zip", data, Limits(max_entries=10))

    assert bundle.posts == []
    assert "11 entries" in reason_for(bundle, "many.zip")


def test_it_skips_a_single_file_over_its_limit_and_keeps_the_rest():
    data = make_zip(
        [("big.png", os.urandom(300 * 1024)), ("small.png", PNG), ("huge.md", b"a" * 20_000)]
    )

    bundle = read_zip("x.zip", data, Limits(max_asset_bytes=200 * 1024, max_post_bytes=10_000))

    assert bundle.assets == {"small.png": PNG}
    assert bundle.posts == []
    assert "larger than" in reason_for(bundle, "x.zip:big.png")
    assert "posts that large" in reason_for(bundle, "x.zip:huge.md")


def test_it_never_trusts_the_declared_size():
    """A zip that declares 100 bytes for a 5 MB entry is read within limits and reported."""
    data = bytearray(make_zip([("lie.png", bytes(5 * 1024 * 1024))]))
    local = data.index(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, 100)
    struct.pack_into("<I", data, central + 24, 100)

    bundle = read_zip("lie.zip", bytes(data))

    # Images are read when the import asks for them: that is when the lie shows.
    with pytest.raises(AssetError, match=r"lie\.png"):
        bundle.assets["lie.png"]


def test_it_reports_duplicate_names_and_keeps_the_first():
    with pytest.warns(UserWarning, match="Duplicate name"):
        data = make_zip([("a.md", b"# first\n"), ("a.md", b"# second\n"), ("./a.md", b"# 3\n")])

    bundle = read_zip("dup.zip", data)

    assert [(post.name, post.data) for post in bundle.posts] == [("a.md", b"# first\n")]
    assert problem_names(bundle) == ["dup.zip:a.md", "dup.zip:./a.md"]
    assert "more than once" in bundle.problems[0][1]


def test_it_treats_composed_and_decomposed_hangul_names_as_one():
    composed = "학습.md"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed

    bundle = read_zip("nfd.zip", make_zip([(decomposed, b"# a\n"), (composed, b"# b\n")]))

    assert [post.name for post in bundle.posts] == [composed]
    assert "more than once" in reason_for(bundle, f"nfd.zip:{composed}")


def test_it_does_not_open_a_zip_inside_a_zip():
    inner = make_zip([("inner.md", b"# inner\n")])

    bundle = read_zip("outer.zip", make_zip([("posts.zip", inner), ("a.md", b"# a\n")]))

    assert [post.name for post in bundle.posts] == ["a.md"]
    assert "not opened" in reason_for(bundle, "outer.zip:posts.zip")


def test_it_ignores_symbolic_links():
    link = zipfile.ZipInfo("image.png")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16

    bundle = read_zip("links.zip", make_zip([(link, b"/etc/passwd"), ("a.md", b"# a\n")]))

    assert bundle.assets == {}
    assert [post.name for post in bundle.posts] == ["a.md"]
    assert "symbolic link" in reason_for(bundle, "links.zip:image.png")


def test_it_reports_a_file_that_is_not_a_zip():
    bundle = read_zip("notes.zip", b"this is not a zip")

    assert bundle.posts == []
    assert "not a readable .zip" in reason_for(bundle, "notes.zip")


def test_it_takes_only_posts_from_a_whole_jekyll_site():
    data = make_zip(
        [
            ("myblog/_posts/2022-02-09-week04-day015.md", SEED),
            ("myblog/_drafts/idea.md", b"# idea\n"),
            ("myblog/README.md", b"# my blog\n"),
            ("myblog/_tabs/about.md", b"# about\n"),
            ("myblog/_site/2022/02/09/index.md", b"# built\n"),
            ("myblog/assets/img/a.png", PNG),
        ]
    )

    bundle = read_zip("site.zip", data)

    # Named from the site's root (the folder that holds _posts/), as the posts' links are.
    assert [post.name for post in bundle.posts] == [
        "_posts/2022-02-09-week04-day015.md",
        "_drafts/idea.md",
    ]
    assert problem_names(bundle) == ["site.zip:README.md", "site.zip:_tabs/about.md"]
    assert list(bundle.assets) == ["assets/img/a.png"]


def test_reading_a_zip_writes_nothing_to_disk(monkeypatch, tmp_path):
    data = make_zip([("a.md", b"# a\n"), ("img/a.png", PNG)])

    def no_disk(*args, **kwargs):
        raise AssertionError("read_zip must not open files")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("builtins.open", no_disk)
    monkeypatch.setattr("io.open", no_disk)
    monkeypatch.setattr(zipfile.ZipFile, "extract", no_disk)
    monkeypatch.setattr(zipfile.ZipFile, "extractall", no_disk)
    bundle = read_zip("a.zip", data)

    assert [post.name for post in bundle.posts] == ["a.md"]
    assert list(tmp_path.iterdir()) == []


def test_default_limits():
    # A blog of a few years of screenshots is gigabytes: the total is only a bound against bombs.
    assert DEFAULT_LIMITS.max_total_bytes == 20 * 1024**3
    assert DEFAULT_LIMITS.max_post_bytes == 1024 * 1024
    assert DEFAULT_LIMITS.max_ratio == 100


# --- files and folders -----------------------------------------------------------------------


def test_it_reads_the_fixture_folder_recursively():
    bundle = read_sources([FIXTURES])

    names = [post.name for post in bundle.posts]
    assert "2022-02-09-week04-day015.md" in names
    assert "bad/cp949.md" in names
    assert {post.origin for post in bundle.posts} == {str(FIXTURES)}
    assert next(p.data for p in bundle.posts if p.name == "2022-02-17-crlf.md") == (
        (FIXTURES / "2022-02-17-crlf.md").read_bytes()
    )
    assert bundle.problems == []


def test_it_reads_single_files_folders_and_zips_together(tmp_path):
    site = tmp_path / "blog"
    (site / "_posts").mkdir(parents=True)
    (site / "_posts" / "2022-02-09-week04-day015.md").write_bytes(SEED)
    (site / "assets" / "img").mkdir(parents=True)
    (site / "assets" / "img" / "a.png").write_bytes(PNG)
    (site / "README.md").write_text("# blog\n")
    (site / ".git").mkdir()
    (site / ".git" / "notes.md").write_text("# git\n")
    (site / "node_modules" / "pkg").mkdir(parents=True)
    (site / "node_modules" / "pkg" / "readme.md").write_text("# pkg\n")
    (site / "_config.yml").write_text("title: blog\n")
    single = tmp_path / "2022-02-10-note.md"
    single.write_text("# note\n")
    archive = tmp_path / "notion.zip"
    archive.write_bytes(make_zip([("Page abc/Untitled.png", PNG), ("Page abc.md", b"# p\n")]))
    (tmp_path / "notes.txt").write_text("not a post")

    bundle = read_sources([site, single, archive, tmp_path / "notes.txt", tmp_path / "nope"])

    assert [post.name for post in bundle.posts] == [
        "_posts/2022-02-09-week04-day015.md",
        "2022-02-10-note.md",
        "Page abc.md",
    ]
    assert list(bundle.assets) == ["assets/img/a.png", "Page abc/Untitled.png"]
    assert problem_names(bundle) == [
        f"{site}/README.md",
        str(tmp_path / "notes.txt"),
        str(tmp_path / "nope"),
    ]
    assert reason_for(bundle, str(tmp_path / "nope")) == "no such file or folder"


def test_a_ten_megabyte_post_in_a_folder_is_refused_without_reading_it_all(tmp_path):
    (tmp_path / "big.md").write_bytes(b"a" * (10 * 1024 * 1024))
    (tmp_path / "ok.md").write_bytes(b"# ok\n")

    bundle = read_sources([tmp_path])

    assert [post.name for post in bundle.posts] == ["ok.md"]
    assert "larger than 1 MB" in reason_for(bundle, f"{tmp_path}/big.md")


def test_a_folder_over_the_total_limit_is_refused(tmp_path):
    for n in range(3):
        (tmp_path / f"{n}.png").write_bytes(os.urandom(600 * 1024))

    bundle = read_sources([tmp_path], Limits(max_total_bytes=1024 * 1024))

    assert bundle.assets == {}
    assert problem_names(bundle) == [str(tmp_path)]


def test_folder_names_are_composed_hangul(tmp_path):
    (tmp_path / unicodedata.normalize("NFD", "학습.md")).write_bytes(b"# a\n")

    assert [post.name for post in read_sources([tmp_path]).posts] == ["학습.md"]


def test_symbolic_links_in_a_folder_are_skipped(tmp_path):
    (tmp_path / "real.md").write_bytes(b"# a\n")
    (tmp_path / "link.md").symlink_to(tmp_path / "real.md")

    bundle = read_sources([tmp_path])

    assert [post.name for post in bundle.posts] == ["real.md"]
    assert "symbolic link" in reason_for(bundle, f"{tmp_path}/link.md")


def test_a_zip_inside_a_folder_is_reported(tmp_path):
    (tmp_path / "old.zip").write_bytes(make_zip([("a.md", b"# a\n")]))

    bundle = read_sources([tmp_path])

    assert bundle.posts == []
    assert "not opened" in reason_for(bundle, f"{tmp_path}/old.zip")


def test_the_same_image_from_two_inputs_is_reported(tmp_path):
    first = tmp_path / "one.zip"
    second = tmp_path / "two.zip"
    first.write_bytes(make_zip([("img/a.png", PNG)]))
    second.write_bytes(make_zip([("img/a.png", PNG + b"2")]))

    bundle = read_sources([first, second])

    assert bundle.assets == {"img/a.png": PNG}
    assert problem_names(bundle) == ["img/a.png"]


# --- matching image links to assets ----------------------------------------------------------

ASSETS = {
    "assets/img/posts/d015-1.png": b"1",
    "myblog/assets/img/cover.png": b"2",
    "Week 04 Day 017 학습 기록 3f2a/Untitled.png": b"3",
    "_posts/img/local.png": b"4",
    "a/dup.png": b"5",
    "b/dup.png": b"6",
}


@pytest.mark.parametrize(
    ("ref", "post", "subpath", "expected"),
    [
        ("/assets/img/posts/d015-1.png", "_posts/x.md", None, "assets/img/posts/d015-1.png"),
        (
            "{{ site.baseurl }}/assets/img/posts/d015-1.png",
            "x.md",
            None,
            "assets/img/posts/d015-1.png",
        ),
        ("/assets/img/posts/d015-1.png?v=2#top", "x.md", None, "assets/img/posts/d015-1.png"),
        ("/assets/img/cover.png", "myblog/_posts/x.md", None, "myblog/assets/img/cover.png"),
        (
            "Week%2004%20Day%20017%20%ED%95%99%EC%8A%B5%20%EA%B8%B0%EB%A1%9D%203f2a/Untitled.png",
            "Week 04 Day 017 학습 기록 3f2a.md",
            None,
            "Week 04 Day 017 학습 기록 3f2a/Untitled.png",
        ),
        ("img/local.png", "_posts/x.md", None, "_posts/img/local.png"),
        ("../assets/img/posts/d015-1.png", "_posts/x.md", None, "assets/img/posts/d015-1.png"),
        ("d015-1.png", "_posts/x.md", "/assets/img/posts", "assets/img/posts/d015-1.png"),
        ("https://example.com/a.png", "x.md", None, None),
        ("data:image/png;base64,AAAA", "x.md", None, None),
        ("//cdn.example.com/a.png", "x.md", None, None),
        ("/dup.png", "x.md", None, None),  # two candidates: no guess
        ("/missing.png", "x.md", None, None),
    ],
)
def test_find_asset(ref, post, subpath, expected):
    assert find_asset(ref, post, ASSETS, media_subpath=subpath) == expected


def test_images_are_read_only_when_asked_for_one_at_a_time(tmp_path):
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "2022-02-09-a.md").write_bytes(b"# a\n")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "a.png").write_bytes(PNG)
    (tmp_path / "assets" / "b.png").write_bytes(PNG)
    (tmp_path / "blog.zip").write_bytes(make_zip([("assets/c.png", PNG)]))

    with read_sources([tmp_path / "_posts", tmp_path / "assets", tmp_path / "blog.zip"]) as bundle:
        (tmp_path / "assets" / "b.png").write_bytes(PNG + b"changed")  # not read yet
        (tmp_path / "assets" / "a.png").unlink()

        assert bundle.assets["assets/b.png"] == PNG + b"changed"
        assert bundle.assets["assets/c.png"] == PNG
        with pytest.raises(AssetError):
            bundle.assets["assets/a.png"]
    assert bundle.opened == []  # the zip is closed with the bundle
