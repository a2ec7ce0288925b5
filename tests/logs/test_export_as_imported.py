"""An imported post goes back as it came: byte for byte while its entry is unedited, and with
only the keys an edit changed once it is (`logs.transfer.exporter._as_imported`)."""

import codecs
import datetime as dt
import io
import zipfile

import pytest

from logs.models import Entry
from logs.transfer.exporter import export_entries
from logs.transfer.jekyll import parse_post
from tests.logs.transfer_helpers import import_zip, make_zip, png


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


IMAGES = {
    "assets/img/posts/a.png": png("red"),
    "assets/img/posts/cover.png": png("green"),
    "assets/img/posts/한글 그림.png": png("blue"),
}

# Every kind of front matter we could think of; each is a whole file, exactly as written.
BLOG: dict[str, bytes] = {
    "_posts/2022-02-09-comments-and-order.md": (
        "---\n"
        "# a comment above everything\n"
        "layout: post   # the theme's layout\n"
        "tags: [RNN, 부스트캠프AITech]\n"
        'title: "[Week 04 / Day 015] 학습 기록"\n'
        "date: 2022-02-09 22:40:00 +0900\n"
        "categories: [Boostcamp, Daily Log]\n"
        "pin: true\n"
        "# a comment after the last key\n"
        "---\n"
        "## 오늘 한 일\n\n![그림](/assets/img/posts/a.png)\n"
    ).encode(),
    "_posts/2022-02-10-quoted-date-other-offset.md": (
        b"---\n"
        b"title: 'Quoted date, other offset'\n"
        b'date: "2022-02-10 00:00:00 +0800"\n'
        b"math: false\n"
        b"tags:\n"
        b"---\n"
        b"Price $5 and $6 is not math here.\n"
    ),
    "_posts/2022-02-11-block-lists.markdown": (
        "---\n"
        "title: Block lists\n"
        "date: 2022-02-11T09:30:00-05:00\n"
        "categories:\n"
        "  - Study\n"
        "  - Paper\n"
        "tags:\n"
        "- attention\n"
        "- Transformer\n"
        "image:\n"
        "  path: /assets/img/posts/cover.png\n"
        "  alt: the cover\n"
        "unknown_key: {nested: [1, 2], flow: yes}\n"
        "author: 이캠퍼\n"
        "---\n"
        '$$a^2 + b^2$$\n\n<img src="{{ site.baseurl }}/assets/img/posts/%ED%95%9C%EA%B8%80%20%EA%B7%B8%EB%A6%BC.png" width="50%">\n'
    ).encode(),
    "_posts/2022-02-14-crlf.md": (
        b"---\r\ntitle: CRLF lines\r\ndate: 2022-02-14\r\ntags: [windows]\r\n---\r\n"
        b"line one\r\n\r\n![x](/assets/img/posts/a.png)\r\nline two\r\n"
    ),
    "_posts/2022-02-15-bom.md": codecs.BOM_UTF8
    + "---\ntitle: With a BOM\ndate: 2022-02-15 08:00\n---\n본문\n".encode(),
    "_posts/2022-02-16-draft.md": (
        "---\ntitle: A draft\ndate: 2022-02-16 21:00:00 +0900\npublished: false\n"
        "visibility: private\nlast_modified_at: 2022-02-17\n---\n초안\n"
    ).encode(),
    "_posts/2023-1-1-chebyshev.md": (
        b"---\ntitle: Chebyshev\ndate: 2022-12-11 10:00:00 +0900\nmath: true\n---\n$x$\n"
    ),
    "_posts/2022-02-18-no-front-matter.md": "# 노션에서 온 글\n\n내용\n".encode(),
    "_posts/2022-02-21-empty-front-matter.md": b"---\n---\nbody only\n",
    "_posts/2022-02-22-multiline.md": (
        b"---\n"
        b"title: >-\n"
        b"  A folded\n"
        b"  title\n"
        b"description: |\n"
        b"  line one\n"
        b"\n"
        b"  line three\n"
        b"date: 2022-02-22 23:59:59.123456 +0900\n"
        b"...\n"
        b"body after dots\n"
    ),
}


def blog_zip() -> bytes:
    return make_zip({**BLOG, **IMAGES})


def export_of(learner):
    return export_entries(learner)


def entry_named(learner, name: str) -> Entry:
    return Entry.objects.get(author=learner, source_name=name)


def test_an_unedited_blog_comes_back_byte_for_byte(learner, cohort):
    report = import_zip(blog_zip(), learner, cohort)
    assert report.failed == 0, [r.problems for r in report.results]

    export = export_of(learner)

    for path, data in BLOG.items():
        assert export.files[path] == data, path
    for path, data in IMAGES.items():
        assert export.files[path] == data, path


def test_the_export_imported_again_is_unchanged(learner, cohort):
    import_zip(blog_zip(), learner, cohort)
    files = export_of(learner).files

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    again = import_zip(buffer.getvalue(), learner, cohort)

    assert again.counts["created"] == 0
    assert again.counts["updated"] == 0


def edit(entry: Entry, **changes) -> None:
    for field, value in changes.items():
        setattr(entry, field, value)
    entry.save()


def test_an_edited_title_changes_only_the_title_line(learner, cohort):
    import_zip(blog_zip(), learner, cohort)
    edit(entry_named(learner, "2022-02-09-comments-and-order.md"), title="새 제목")

    path = "_posts/2022-02-09-comments-and-order.md"
    exported = export_of(learner).files[path].decode()

    assert exported == BLOG[path].decode().replace(
        'title: "[Week 04 / Day 015] 학습 기록"\n', "title: 새 제목\n"
    )


def test_new_tags_keep_the_block_style_and_the_other_lines(learner, cohort):
    import_zip(blog_zip(), learner, cohort)
    entry = entry_named(learner, "2022-02-11-block-lists.markdown")
    entry.tags.add("새태그")

    path = "_posts/2022-02-11-block-lists.markdown"
    exported = export_of(learner).files[path].decode()

    assert exported == BLOG[path].decode().replace("- Transformer\n", "- Transformer\n- 새태그\n")


def test_a_moved_entry_changes_only_the_date_digits(learner, cohort):
    import_zip(blog_zip(), learner, cohort)
    entry = entry_named(learner, "2022-02-10-quoted-date-other-offset.md")
    edit(entry, learning_date=entry.learning_date + dt.timedelta(days=2))

    path = "_posts/2022-02-10-quoted-date-other-offset.md"
    exported = export_of(learner).files[path].decode()

    assert exported == BLOG[path].decode().replace(
        '"2022-02-10 00:00:00 +0800"', '"2022-02-12 00:00:00 +0800"'
    )


def test_an_edited_crlf_body_keeps_its_line_endings_and_images(learner, cohort):
    import_zip(blog_zip(), learner, cohort)
    entry = entry_named(learner, "2022-02-14-crlf.md")
    edit(entry, body=entry.body.replace("line two", "line 2"))

    export = export_of(learner)
    exported = export.files["_posts/2022-02-14-crlf.md"]

    assert exported == BLOG["_posts/2022-02-14-crlf.md"].replace(b"line two", b"line 2")
    assert export.files["assets/img/posts/a.png"] == IMAGES["assets/img/posts/a.png"]


def test_math_is_added_only_when_an_edit_brings_it(learner, cohort):
    import_zip(blog_zip(), learner, cohort)
    entry = entry_named(learner, "2022-02-15-bom.md")
    edit(entry, body="이제 수식 $$x^2$$ 이 있다\n")

    exported = export_of(learner).files["_posts/2022-02-15-bom.md"]

    assert exported.startswith(codecs.BOM_UTF8)
    assert exported.decode("utf-8-sig") == (
        "---\ntitle: With a BOM\ndate: 2022-02-15 08:00\nmath: true\n---\n이제 수식 $$x^2$$ 이 있다\n"
    )


def test_publishing_a_draft_and_changing_visibility_change_those_keys_only(learner, cohort):
    import_zip(blog_zip(), learner, cohort)
    edit(entry_named(learner, "2022-02-16-draft.md"), status="published", visibility="public")

    path = "_posts/2022-02-16-draft.md"
    exported = export_of(learner).files[path].decode()

    assert exported == BLOG[path].decode().replace("published: false", "published: true").replace(
        "visibility: private", "visibility: public"
    )


def test_a_title_added_to_a_post_without_front_matter_opens_one(learner, cohort):
    import_zip(blog_zip(), learner, cohort)
    edit(entry_named(learner, "2022-02-18-no-front-matter.md"), title="새 제목")

    exported = export_of(learner).files["_posts/2022-02-18-no-front-matter.md"].decode()

    assert exported == "---\ntitle: 새 제목\n---\n# 노션에서 온 글\n\n내용\n"
    assert parse_post("x.md", exported.encode()).title == "새 제목"


def test_the_file_name_is_the_one_it_was_imported_under(learner, cohort):
    import_zip(blog_zip(), learner, cohort)

    assert "_posts/2023-1-1-chebyshev.md" in export_of(learner).files


def test_the_single_download_is_the_exported_file(login, learner, cohort):
    import_zip(blog_zip(), learner, cohort)
    entry = entry_named(learner, "2022-02-11-block-lists.markdown")

    response = login(learner).get(f"/entries/{entry.pk}/markdown/")

    assert response.content == BLOG["_posts/2022-02-11-block-lists.markdown"]
    assert "~map" not in response.content.decode()
    assert "2022-02-11-block-lists.markdown" in response["Content-Disposition"]


def generated_blog() -> dict[str, bytes]:
    """Posts in every combination of date style, tag style, `math:`, line ending and BOM."""
    dates = [
        "date: 2022-03-{d:02d}",
        "date: 2022-03-{d:02d} 21:10:00 +0900",
        'date: "2022-03-{d:02d} 00:30:00 -0700"',
        "date: '2022-03-{d:02d}T23:59:00+05:30'",
        "date: 2022-03-{d:02d} 01:20",
        "",
    ]
    tags = ["tags: [a, 한글 태그]", "tags:\n  - a\n  - b", "tags:", "tag: single", ""]
    maths = ["math: true", "math: false", ""]
    posts = {}
    number = 0
    for date_line in dates:
        for tag_lines in tags:
            for math_line in maths:
                number += 1
                day = number % 28 + 1
                lines = [
                    f"# post {number}",
                    f"title: Post {number}  # inline comment",
                    date_line.format(d=day),
                    tag_lines,
                    math_line,
                    f"custom_{number}: {{k: v}}",
                ]
                if number % 4 == 0:
                    lines.reverse()
                newline = "\r\n" if number % 3 == 0 else "\n"
                text = "---\n" + "\n".join(line for line in lines if line) + "\n---\n"
                text += f"본문 {number} $x$\n\n- [ ] task\n"
                data = text.replace("\n", newline).encode()
                if number % 5 == 0:
                    data = codecs.BOM_UTF8 + data
                suffix = ".markdown" if number % 7 == 0 else ".md"
                posts[f"_posts/2022-03-{day:02d}-post-{number}{suffix}"] = data
    return posts


def test_a_generated_blog_of_every_front_matter_shape_comes_back_byte_for_byte(learner, cohort):
    blog = generated_blog()
    report = import_zip(make_zip(blog), learner, cohort)
    assert report.failed == 0, [(r.name, r.problems) for r in report.results if r.problems]

    files = export_of(learner).files

    assert {path: files.get(path) for path in blog} == blog


def test_images_outside_assets_go_back_to_their_paths_too(learner, cohort):
    post = b"---\ntitle: x\ndate: 2022-02-09\n---\n![a](/images/2022/a.png)\n"
    import_zip(
        make_zip({"_posts/2022-02-09-x.md": post, "images/2022/a.png": png()}), learner, cohort
    )

    files = export_of(learner).files

    assert files["_posts/2022-02-09-x.md"] == post
    assert files["images/2022/a.png"] == png()
