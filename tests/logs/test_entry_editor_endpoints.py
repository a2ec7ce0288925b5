"""The markdownx endpoints Camplog answers itself: the live preview and image upload.

Only logged-in members of a cohort reach them; the preview runs the one pipeline and sanitizer
(an XSS corpus of our own goes through it and through a saved page); uploads are decoded, not
trusted by name or type, and their pictures are served only to those who may see them.
"""

import time
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from logs.models import Entry, Upload
from logs.uploads import MAX_UPLOAD_BYTES
from tests import factories
from tests.logs.entry_helpers import editor_post, png_bytes

MEMBERS = ["learner", "teammate", "mentor", "operator", "other_learner"]


def preview(client, text):
    return client.post("/markdownx/markdownify/", {"content": text})


def upload(client, data: bytes, name="사진.png", content_type="image/png"):
    return client.post(
        "/markdownx/upload/",
        {"image": SimpleUploadedFile(name, data, content_type=content_type)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )


# --- Who may use them ---------------------------------------------------------------------------


def test_anonymous_requests_are_refused(client, cohort):
    assert preview(client, "# 안녕").status_code == 403
    assert upload(client, png_bytes()).status_code == 403
    assert not Upload.objects.exists()


@pytest.mark.parametrize("persona", ["outsider"])
def test_users_in_no_cohort_are_refused(login, request, persona):
    client = login(request.getfixturevalue(persona))
    assert preview(client, "# 안녕").status_code == 403
    assert upload(client, png_bytes()).status_code == 403


@pytest.mark.parametrize("persona", [*MEMBERS, "foreign_operator"])
def test_members_of_a_cohort_get_the_preview(login, request, persona):
    response = preview(login(request.getfixturevalue(persona)), "## 오늘 한 일\n- [x] 강의")
    assert response.status_code == 200
    assert 'type="checkbox"' in response.content.decode()


def test_they_need_post_and_a_csrf_token(learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.get("/markdownx/markdownify/").status_code == 405
    assert client.get("/markdownx/upload/").status_code == 405
    assert preview(client, "# x").status_code == 403
    assert upload(client, png_bytes()).status_code == 403


# --- The pipeline through the preview and a saved page ------------------------------------------

XSS = [
    "<script>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle/></svg>",
    "<iframe src='https://evil.example'></iframe>",
    "<object data='x.swf'></object><embed src='x.swf'>",
    "<style>body{display:none}</style>",
    "<div style='position:fixed;inset:0'>덮기</div>",
    "<form action='https://evil.example'><input type=submit></form>",
    "<base href='https://evil.example/'>",
    "<meta http-equiv='refresh' content='0;url=https://evil.example'>",
    "<a href='javascript:alert(1)'>링크</a>",
    "<details open ontoggle=alert(1)>x</details>",
    "<input autofocus onfocus=alert(1)>",
    "[링크](javascript:alert(1))",
    "[링크](JaVaScRiPt:alert(1))",
    "[링크]( javascript:alert(1))",
    "[링크](&#106;avascript:alert(1))",
    "[링크](vbscript:msgbox(1))",
    "[링크](data:text/html,<script>alert(1)</script>)",
    "![그림](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![그림](x"onerror="alert(1))',
    "<javascript:alert(1)>",
    "[참조][1]\n\n[1]: javascript:alert(1)",
    '문단\n{: onclick="alert(1)" }',
    '문단 {: style="color:red" onmouseover="alert(1)" }',
    "> 인용\n{: .prompt-tip onclick=alert(1) }",
    "- [ ] <img src=x onerror=alert(1)>",
    "각주[^1]\n\n[^1]: <script>alert(1)</script>",
    "$\\href{javascript:alert(1)}{x}$",
    "$$\\style{color:red}{x} \\unicode{x41}$$",
    "| a |\n| - |\n| <script>alert(1)</script> |",
    "```html\n<script>alert(1)</script>\n```",
    "<a href='https://ok.example' target=_blank onclick=alert(1)>ok</a>",
]

ALLOWED_SCHEMES = ("http://", "https://", "mailto:", "/", "#")


class _Checker(HTMLParser):
    """Collects what must never reach a page: active tags, event handlers, inline styles and
    URLs with a scheme other than http(s)/mailto."""

    ACTIVE = {"script", "iframe", "object", "embed", "style", "form", "base", "meta", "svg", "link"}

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in self.ACTIVE:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "formaction", "srcdoc"):
                self.problems.append(f"{tag} {name}")
            url = (value or "").strip().lower()
            is_url = name in ("href", "src", "action", "xlink:href")
            if is_url and ":" in url and not url.startswith(ALLOWED_SCHEMES):
                self.problems.append(f"{tag} {name}={value}")
        if tag == "input" and dict(attrs).get("type") not in ("checkbox",):
            self.problems.append("input not a checkbox")


def problems(html: str) -> list[str]:
    checker = _Checker()
    checker.feed(html)
    return checker.problems


@pytest.mark.parametrize("attack", XSS)
def test_the_preview_makes_each_attack_harmless(login, learner, attack):
    response = preview(login(learner), attack)
    assert response.status_code == 200
    assert problems(response.content.decode()) == []


def test_a_saved_page_makes_the_whole_corpus_harmless(login, learner, teammate, cohort):
    body = "\n\n".join(XSS)
    login(learner).post(
        "/entries/new/?kind=daily&date=2022-02-09&cohort=ai-tech-3", editor_post(body=body)
    )
    entry = Entry.objects.get()
    assert entry.body == body  # the text is kept as typed; only the HTML is made safe
    html = login(teammate).get(f"/entries/{entry.pk}/").content.decode()
    article = html.split('id="entry-body"', 1)[1].split("</article>", 1)[0]
    assert problems(article) == []


def test_the_preview_renders_math_tasks_code_tables_and_korean(login, learner):
    text = (
        "## 📝 오늘 한 일\n- [x] 강의 수강\n    - [ ] 퀴즈\n\n"
        "> 인용 속 $c_0$ 와\n>\n> $$\\sum_{i=1}^n x_i$$\n\n"
        "```python\nprint('안녕')\n```\n\n| 열 | 값 |\n| --- | --- |\n| 한글 | 1 |\n\n각주[^1]\n\n[^1]: 설명\n"
    )
    html = preview(login(learner), text).content.decode()
    assert html.count('type="checkbox"') == 2
    assert "checked" in html
    assert html.count("<math") == 2
    assert 'display="block"' in html
    assert 'class="highlight" data-lang="python">' in html
    assert "<table " in html and "한글" in html
    assert 'id="h-' in html  # heading anchors for the table of contents
    assert "footnote" in html


@pytest.mark.parametrize(
    "text",
    [
        "|" + "a|" * 300 + "\n|" + "-|" * 300 + "\n" + ("|" + "x|" * 300 + "\n") * 300,
        "".join("    " * depth + "- 깊이\n" for depth in range(200)),
        ">" * 500 + " 인용",
        "[" * 20_000 + "(" * 20_000,
        "**_~~`[![<" * 3_000,
        "$" * 5_000 + "\\frac{" * 1_000,
    ],
    ids=["huge-table", "deep-list", "deep-quote", "brackets", "broken-markup", "broken-math"],
)
def test_enormous_or_broken_markdown_previews_quickly(login, learner, text):
    client = login(learner)
    started = time.monotonic()
    response = preview(client, text)
    assert response.status_code == 200
    assert (
        time.monotonic() - started < 10
    )  # a 90,000-cell table takes ~3 s alone; CI shares two cores
    assert problems(response.content.decode()) == []


def test_a_text_over_the_limit_gets_a_message_not_a_preview(login, learner):
    response = preview(login(learner), "가" * 100_000)
    assert response.status_code == 200
    assert "KB" in response.content.decode()


# --- Uploads ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "extension"), [("PNG", "png"), ("JPEG", "jpg"), ("GIF", "gif"), ("WEBP", "webp")]
)
def test_it_accepts_png_jpeg_gif_and_webp_and_renames_them(login, learner, fmt, extension):
    response = upload(login(learner), png_bytes(fmt=fmt), name="내 사진 <script>.bin")
    assert response.status_code == 200
    stored = Upload.objects.get()
    assert stored.extension == extension
    assert stored.url == f"/media/{stored.key}.{extension}"
    assert len(stored.key) == 32 and "사진" not in stored.file.name
    assert response.json()["image_code"] == f"![내 사진 <script>]({stored.url})"


def test_the_image_code_cannot_break_out_of_the_markdown(login, learner):
    response = upload(login(learner), png_bytes(), name="a](javascript:alert(1)).png")
    code = response.json()["image_code"]
    assert code.startswith("![a") and code.count("](") == 1


def test_an_svg_is_refused_whatever_it_is_called(login, learner):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="1"/></svg>'
    for name, content_type in (("x.svg", "image/svg+xml"), ("x.png", "image/png")):
        response = upload(login(learner), svg, name=name, content_type=content_type)
        assert response.status_code == 400
        assert response.json()["error"]
    assert not Upload.objects.exists()


def test_a_file_named_like_an_image_is_refused(login, learner):
    response = upload(
        login(learner), b"GIF89a but not really", name="x.gif", content_type="image/gif"
    )
    assert response.status_code == 400
    assert not Upload.objects.exists()


def test_a_real_png_sent_as_another_type_is_judged_by_its_content(login, learner):
    response = upload(login(learner), png_bytes(), name="x.svg", content_type="image/svg+xml")
    assert response.status_code == 200
    assert Upload.objects.get().content_type == "image/png"


def test_an_image_over_the_size_limit_is_refused(login, learner):
    big = png_bytes() + b"\0" * MAX_UPLOAD_BYTES
    response = upload(login(learner), big)
    assert response.status_code == 400
    assert "MB" in response.json()["error"]


def test_an_upload_without_a_file_is_a_clear_400(login, learner):
    response = login(learner).post("/markdownx/upload/", {})
    assert response.status_code == 400
    assert response.json()["error"]


# --- Who sees an uploaded image -----------------------------------------------------------------


def write(client, body, visibility, date="2022-02-09"):
    return client.post(
        f"/entries/new/?kind=daily&date={date}&cohort=ai-tech-3",
        editor_post(body=body, visibility=visibility, learning_date=date),
    )


def test_a_private_entrys_picture_is_served_to_its_author_alone(
    client, login, learner, teammate, mentor, outsider
):
    url = upload(login(learner), png_bytes()).json()["url"]
    write(login(learner), f"![사진]({url})", "private")
    assert login(learner).get(url).status_code == 200
    for user in (teammate, mentor, outsider):
        assert login(user).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_a_cohort_entrys_picture_is_served_to_the_cohort(
    client, login, learner, teammate, outsider
):
    url = upload(login(learner), png_bytes()).json()["url"]
    write(login(learner), f"![사진]({url})", "cohort")
    response = login(teammate).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert login(outsider).get(url).status_code == 404


def test_a_public_entrys_picture_is_served_to_anyone(client, login, learner):
    url = upload(login(learner), png_bytes()).json()["url"]
    write(login(learner), f"![사진]({url})", "public")
    client.logout()
    assert client.get(url).status_code == 200


def test_an_uploaded_picture_in_no_entry_is_its_owners_alone(login, learner, teammate):
    url = upload(login(learner), png_bytes()).json()["url"]
    assert login(learner).get(url).status_code == 200
    assert login(teammate).get(url).status_code == 404


def test_pasting_someone_elses_private_picture_into_a_public_entry_does_not_expose_it(
    client, login, learner, teammate
):
    url = upload(login(learner), png_bytes()).json()["url"]
    write(login(learner), f"![사진]({url})", "private")
    write(login(teammate), f"![훔친 사진]({url})", "public")
    client.logout()
    assert client.get(url).status_code == 404


def test_removing_the_picture_from_the_text_stops_serving_it(client, login, learner, teammate):
    url = upload(login(learner), png_bytes()).json()["url"]
    write(login(learner), f"![사진]({url})", "cohort")
    entry = Entry.objects.get()
    login(learner).post(f"/entries/{entry.pk}/edit/", editor_post(entry, body="사진 없음"))
    assert login(teammate).get(url).status_code == 404


def test_the_preview_of_an_image_is_lazy_loaded(login, learner):
    html = preview(login(learner), "![사진](/media/" + "a" * 32 + ".png)").content.decode()
    assert 'loading="lazy"' in html


def test_a_saved_log_gives_its_uploaded_pictures_their_size(login, learner, cohort):
    """The page keeps its layout while a picture loads: width and height come from the upload,
    unless the Markdown sets them."""
    client = login(learner)
    first = upload(client, png_bytes(size=(40, 30))).json()["url"]
    second = upload(client, png_bytes(size=(80, 60))).json()["url"]
    body = f'![그림]({first})\n\n![작게]({second})\n{{: width="20px" }}\n'
    entry = factories.make_entry(learner, cohort, body=body)
    assert f'src="{first}" alt="그림" width="40" height="30">' in entry.body_html
    assert f'src="{second}" alt="작게" width="20">' in entry.body_html
    assert "height" not in entry.body_html.split(second)[1].split(">")[0]


def test_logs_saved_before_sizes_get_them_by_migration(login, learner, cohort):
    from importlib import import_module

    from django.apps import apps

    from logs.models import Entry

    url = upload(login(learner), png_bytes(size=(40, 30))).json()["url"]
    entry = factories.make_entry(learner, cohort, body=f"![그림]({url})\n")
    unsized = entry.body_html.replace(' width="40" height="30"', "")
    Entry.objects.filter(pk=entry.pk).update(body_html=unsized)
    import_module("logs.migrations.0010_image_sizes").size_the_images(apps, None)
    entry.refresh_from_db()
    assert f'src="{url}" alt="그림" width="40" height="30">' in entry.body_html
