"""A blog's images are found however the blog is given: its root, `_posts` and `assets` as two
arguments, a zip of either, a GitHub "Download ZIP", several folders, a Notion export."""

import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from logs.models import Entry, Upload
from logs.transfer.importer import import_bundle
from logs.transfer.sources import read_sources
from tests.logs.transfer_helpers import make_zip, png, result_for


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


POST = "2022-02-09-images.md"
# Every way a Chirpy or minimal-mistakes post names an image, and one that is not there.
BODY = """\
![a](/assets/img/a.png)
![b]({{ site.baseurl }}/assets/img/b.png)
![c]({{site.baseurl}}/assets/img/c.png)
![d]({{ "/assets/img/d.png" | relative_url }})
![e]({{ site.url }}{{ site.baseurl }}/assets/img/e.png)
<img src="{{ site.baseurl }}/assets/img/%ED%95%9C%EA%B8%80.png" width="50%">
![case](/assets/img/Upper.PNG)
![missing](/assets/img/missing.png)
"""
SUBPATH_POST = "2022-02-10-subpath.md"
IMAGES = {
    "assets/img/a.png": "red",
    "assets/img/b.png": "green",
    "assets/img/c.png": "blue",
    "assets/img/d.png": "yellow",
    "assets/img/e.png": "white",
    "assets/img/한글.png": "black",
    "assets/img/upper.png": "gray",
    "assets/img/posts/week04/f.png": "orange",
    "assets/img/posts/week04/g.png": "purple",
}
FOUND = len(IMAGES)


def write_blog(root: Path) -> Path:
    (root / "_posts").mkdir(parents=True)
    (root / "_posts" / POST).write_text(
        f"---\ntitle: images\ndate: 2022-02-09\n---\n{BODY}", encoding="utf-8"
    )
    (root / "_posts" / SUBPATH_POST).write_text(
        "---\ntitle: subpath\ndate: 2022-02-10\nmedia_subpath: /assets/img/posts/week04\n---\n"
        "![f](f.png)\n",
        encoding="utf-8",
    )
    (root / "_posts" / "2022-02-11-img-path.md").write_text(
        "---\ntitle: img_path\ndate: 2022-02-11\nimg_path: /assets/img/posts/week04/\n---\n"
        "![g](g.png)\n",
        encoding="utf-8",
    )
    for path, color in IMAGES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(png(color))
    return root


def zip_folder(folder: Path, inside: str = "") -> bytes:
    """A zip of `folder`'s files, named `inside/<path>` (as `zip -r` or GitHub write them)."""
    prefix = f"{inside}/" if inside else ""
    return make_zip(
        {
            prefix + path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*"))
            if path.is_file()
        }
    )


def layouts(tmp_path: Path) -> dict[str, list[Path]]:
    blog = write_blog(tmp_path / "blog")
    out = tmp_path / "given"
    out.mkdir()
    (out / "blog.zip").write_bytes(zip_folder(blog))
    (out / "blog-main.zip").write_bytes(zip_folder(blog, "blog-main"))
    (out / "posts.zip").write_bytes(zip_folder(blog / "_posts", "_posts"))
    (out / "assets.zip").write_bytes(zip_folder(blog / "assets"))  # its contents only
    (out / "assets-folder.zip").write_bytes(zip_folder(blog / "assets", "assets"))
    return {
        "the blog's root": [blog],
        "_posts and assets (the README's form)": [blog / "_posts", blog / "assets"],
        "a zip of the root": [out / "blog.zip"],
        "a GitHub Download ZIP": [out / "blog-main.zip"],
        "a zip of _posts and a zip of assets' contents": [out / "posts.zip", out / "assets.zip"],
        "a zip of _posts and a zip of the assets folder": [
            out / "posts.zip",
            out / "assets-folder.zip",
        ],
        "_posts and the assets/img folder": [blog / "_posts", blog / "assets" / "img"],
        "a folder that holds the blog": [tmp_path / "blog"],
    }


@pytest.mark.parametrize(
    "layout",
    [
        "the blog's root",
        "_posts and assets (the README's form)",
        "a zip of the root",
        "a GitHub Download ZIP",
        "a zip of _posts and a zip of assets' contents",
        "a zip of _posts and a zip of the assets folder",
        "_posts and the assets/img folder",
        "a folder that holds the blog",
    ],
)
def test_every_image_resolves_whatever_the_layout(layout, learner, cohort, tmp_path):
    given = layouts(tmp_path)[layout]

    report = import_bundle(read_sources(given), author=learner, cohort=cohort)

    assert report.failed == 0, [(r.name, r.problems) for r in report.results]
    assert Upload.objects.filter(owner=learner).count() == FOUND
    entry = Entry.objects.get(author=learner, source_name=POST)
    assert "/assets/img/" not in entry.body.replace("/assets/img/missing.png", "")
    assert "{{" not in entry.body
    [missing] = result_for(report, POST).problems
    assert "/assets/img/missing.png" in missing
    for name in (SUBPATH_POST, "2022-02-11-img-path.md"):
        assert result_for(report, name).problems == []


def test_images_stored_from_a_partial_layout_go_back_to_their_site_paths(learner, cohort, tmp_path):
    from logs.transfer.exporter import export_entries

    blog = write_blog(tmp_path / "blog")
    import_bundle(read_sources([blog / "_posts", blog / "assets"]), author=learner, cohort=cohort)

    export = export_entries(learner)

    assert export.files["_posts/" + POST].decode().endswith(BODY)
    for path in IMAGES:
        assert path in export.files


def test_a_notion_export_finds_its_images_next_to_the_page(learner, cohort, tmp_path):
    folder = tmp_path / "Export-abc"
    page = "2022-02-09-Week 04 학습 기록 3f2a"  # renamed with its date, as the README says
    (folder / page).mkdir(parents=True)
    (folder / f"{page}.md").write_text(
        "# Week 04 학습 기록\n\n![Untitled](2022-02-09-Week%2004%20"
        "%ED%95%99%EC%8A%B5%20%EA%B8%B0%EB%A1%9D%203f2a/Untitled.png)\n",
        encoding="utf-8",
    )
    (folder / page / "Untitled.png").write_bytes(png())

    report = import_bundle(read_sources([folder]), author=learner, cohort=cohort)

    assert report.failed == 0
    assert Upload.objects.filter(owner=learner).count() == 1


def test_the_command_lists_each_missing_image_under_its_post(learner, cohort, tmp_path, capsys):
    blog = write_blog(tmp_path / "blog")
    shutil.rmtree(blog / "assets" / "img" / "posts")

    call_command(
        "import_jekyll",
        str(blog / "_posts"),
        str(blog / "assets"),
        "--cohort",
        cohort.slug,
        "--author",
        "learner",
    )

    out = capsys.readouterr().out
    lines = out.splitlines()
    subpath = next(i for i, line in enumerate(lines) if line.endswith(SUBPATH_POST))
    assert "f.png" in lines[subpath + 1]
    assert "/assets/img/missing.png" in out
