"""The Markdown pipeline (`logs.markdown`): pure functions, no database."""

import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from logs.markdown import (
    MAX_BODY_BYTES,
    Rendered,
    TocItem,
    render,
    render_comment,
    toggle_task,
)
from logs.players import FRAME_ORIGINS

SEED_PATHS = [
    Path(__file__).resolve().parent.parent / "fixtures" / "jekyll" / "2022-02-09-week04-day015.md",
    Path("/work/shared/examples/2022-02-09-week04-day015.md"),
]


def seed_body() -> str:
    """The seed log without its front matter, as the importer will store it."""
    path = next(p for p in SEED_PATHS if p.exists())
    return path.read_text(encoding="utf-8").split("---\n", 2)[2]


class Elements(HTMLParser):
    """Every start tag of a fragment, with its attributes (entities decoded, as a browser)."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag

    def find(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]


SAFE_SCHEME = re.compile(r"^(?:https?:|mailto:|[^:]*$)", re.I)  # relative URLs have no scheme
FORBIDDEN_TAGS = {
    "script", "style", "iframe", "svg", "object", "embed", "form", "base", "meta", "link",
    "frame", "frameset", "applet", "textarea", "button", "select", "template", "noscript",
    "annotation-xml", "mglyph", "maction",
}  # fmt: skip


PLAYERS = tuple(f"{origin}/" for origin in FRAME_ORIGINS)


def assert_safe(fragment: str) -> None:
    for tag, attrs in Elements(fragment).tags:
        if tag == "iframe":  # a known player, sandboxed: nothing else may be framed
            assert attrs.get("src", "").startswith(PLAYERS) and "sandbox" in attrs, fragment
            assert "allow-top-navigation" not in attrs["sandbox"], fragment
            continue
        assert tag not in FORBIDDEN_TAGS, fragment
        for name, value in attrs.items():
            assert not name.startswith("on"), fragment
            assert name not in ("style", "srcdoc", "formaction", "xlink:href"), fragment
            if name in ("href", "src", "action", "background", "poster", "cite"):
                cleaned = re.sub(r"[\x00-\x20]", "", value)
                assert SAFE_SCHEME.match(cleaned), fragment
        if tag == "input":
            assert attrs.get("type") == "checkbox", fragment


# Security -------------------------------------------------------------------------------------

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<<script>script>alert(1)<</script>/script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="#" onclick="alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&#58;alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "[[x](javascript:alert(1))](https://example.com)",
    "[![x](javascript:alert(1))](javascript:alert(2))",
    "<javascript:alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body { display: none }</style>",
    "<object data=javascript:alert(1)></object><embed src=javascript:alert(1)>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>x</details>",
    "<br onmouseover=alert(1)><kbd style=color:red onclick=alert(1)>k</kbd>",
    "<!--<script>alert(1)</script>-->",
    '[x](https://example.com "t\\" onmouseover=\\"alert(1)")',
    '![x](https://example.com/a.png "a\\" onerror=\\"alert(1)")',
    '> quote\n{: onclick="alert(1)" style="color:red" }',
    '![x](/a.png){: onerror="alert(1)" src="javascript:alert(1)" }',
    'para\n{: #__proto__ href="javascript:alert(1)" .prompt-info }',
    "$\\href{javascript:alert(1)}{click}$",
    "$$\\href{javascript:alert(1)}{x}$$",
    "$\\text{<script>alert(1)</script>}$",
    "$$\\text{</math><img src=x onerror=alert(1)>}$$",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "```math\n</div><script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "- [ ] <img src=x onerror=alert(1)>",
    "| a |\n|---|\n| <script>alert(1)</script> |",
    "[^1]\n\n[^1]: <script>alert(1)</script>",
    "# <img src=x onerror=alert(1)>",
    "{% raw %}<script>alert(1)</script>{% endraw %}",
    # Found by the red-team pass on the cmark pipeline: a formula's TeX put back into a URL.
    "[click]($javascript:alert(1)$)",
    '<a href="$javascript:alert(1)$">x</a>',
    "[y][x]\n\n[x]: $javascript:alert(1)$",
    "[z](\\\\(javascript:alert(1)\\\\))",
    '<video src="/$/evil.example/v.mp4$" poster="/$/evil.example/p.png$"></video>',
    '<video src="/\\evil.example/v.mp4" poster="/\\evil.example/p.png"></video>',
    "{% include embed/video.html src='/\\evil.example/v.mp4' %}",
]


@pytest.mark.parametrize("payload", XSS)
def test_it_neutralizes_xss(payload):
    assert_safe(render(payload).html)
    assert_safe(render_comment(payload))


def test_xss_corpus_is_big_enough():
    assert len(XSS) >= 25


def test_it_renders_raw_html_and_drops_scripts_with_their_content():
    out = render("<script>alert(1)</script> and <div>x</div>").html
    assert "script" not in out and "alert" not in out
    assert "<div>x</div>" in out


def test_it_keeps_harmless_inline_tags_without_their_unknown_attributes():
    out = render('a<br>b <kbd class="x">Ctrl</kbd> H<sub>2</sub>O x<sup>2</sup>').html
    assert out == "<p>a<br>b <kbd>Ctrl</kbd> H<sub>2</sub>O x<sup>2</sup></p>"


def test_it_keeps_details_and_summary():
    out = render("<details>\n<summary>답</summary>\n\n**굵게**\n\n</details>").html
    assert "<details>" in out and "<summary>답</summary>" in out
    assert "<strong>굵게</strong>" in out


def test_it_hides_html_comments():
    assert render("보이는 글 <!-- 숨긴 글 -->").html == "<p>보이는 글</p>"


def test_it_drops_dangerous_urls_but_keeps_safe_ones():
    out = render(
        "[a](https://example.com) [b](mailto:me@example.com) [c](/c/ai-tech-3/) [d](#h-x) "
        "[e](javascript:alert(1))"
    ).html
    hrefs = [attrs.get("href") for attrs in Elements(out).find("a")]
    assert hrefs == ["https://example.com", "mailto:me@example.com", "/c/ai-tech-3/", "#h-x", None]


def test_it_marks_external_links_nofollow():
    links = Elements(render("[a](https://example.com) [b](/local) https://bare.example").html)
    rels = [attrs.get("rel") for attrs in links.find("a")]
    assert rels == ["nofollow noopener", None, "nofollow noopener"]


def test_pictures_from_other_sites_are_links_not_tracking_pixels():
    out = render(
        "![그래프](https://cdn.example/a.png) [![배지](https://img.shields.io/x)](/r)"
    ).html
    assert "<img" not in out
    links = Elements(out).find("a")
    assert [a["href"] for a in links] == ["https://cdn.example/a.png", "/r"]
    assert "그래프" in out and "배지" in out


def test_images_load_lazily():
    (img,) = Elements(render("![고속도로](/a.png)").html).find("img")
    assert img == {
        "alt": "고속도로",
        "decoding": "async",
        "loading": "lazy",
        "src": "/a.png",
    }


# Math -----------------------------------------------------------------------------------------


def test_it_renders_inline_and_display_math_as_mathml():
    rendered = render("셀 $c_0$ 값\n\n$$\n\\frac{1}{2}\n$$")
    assert rendered.has_math
    assert (
        '<math display="inline"><mrow><msub><mi>c</mi><mn>0</mn></msub></mrow></math>'
        in rendered.html
    )
    assert '<math display="block"><mrow><mfrac>' in rendered.html
    assert "$" not in rendered.html


def test_it_renders_math_in_lists_and_blockquotes():
    out = render("- 항목 $x_1$\n    - 중첩 $y$\n\n> 인용 $q$\n>\n> $$\n> w\n> $$").html
    assert out.count('<math display="inline">') == 3
    assert out.count('<math display="block">') == 1
    assert re.search(r"<li>항목 <math[^>]*>.*?<mi>x</mi>", out)
    assert re.search(r"<blockquote>.*<math display=\"block\">.*</blockquote>", out, re.S)


def test_it_renders_kramdown_inline_double_dollars_and_math_fences():
    out = render("Chirpy: $$ a^2 $$ 처럼\n\n```math\nb^2\n```").html
    assert '<p>Chirpy: <math display="inline"><mrow><msup><mi>a</mi>' in out
    assert '<math display="block"><mrow><msup><mi>b</mi>' in out


def test_it_leaves_dollar_amounts_alone():
    rendered = render("커피는 $5 and 케이크는 $10 였다.")
    assert not rendered.has_math
    assert rendered.html == "<p>커피는 $5 and 케이크는 $10 였다.</p>"


def test_it_shows_broken_math_as_code():
    out = render("깨진 $\\frac{$ 수식").html
    assert out == '<p>깨진 <code class="math-error">$\\frac{$</code> 수식</p>'


def test_it_escapes_text_inside_math():
    out = render("$\\text{<script>alert(1)</script>}$").html
    assert "<mtext>&lt;script&gt;alert(1)&lt;/script&gt;</mtext>" in out
    assert "<script" not in out


def test_it_drops_links_from_math():
    out = render("$\\href{javascript:alert(1)}{x}$").html
    assert "href" not in out and "javascript" not in out
    assert "<mi>x</mi>" in out


def test_it_renders_aligned_environments():
    out = render("$$\n\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}\n$$").html
    assert out.startswith('<math display="block"><mrow><mtable')
    assert out.count("<mtr>") == 2 and "&amp;" not in out


def test_math_in_image_alt_text_is_plain():
    (img,) = Elements(render("![$x$ 그래프](/a.png)").html).find("img")
    assert img["alt"] == "x 그래프"


def test_has_math_is_false_without_math():
    assert not render("# 제목\n\n본문").has_math


# Task lists -----------------------------------------------------------------------------------

TASKS = """\
- [x] 강의 수강
    - [ ] 7강 실습
- [ ] 과제

```
- [ ] 코드 안의 가짜 할 일
```

> - [X] 인용 속 할 일
1. [ ] 번호 목록 할 일
"""


def checkboxes(fragment: str) -> list[tuple[int, bool]]:
    return [
        (int(attrs["data-task-index"]), "checked" in attrs)
        for attrs in Elements(fragment).find("input")
    ]


def test_it_renders_task_lists_as_disabled_numbered_checkboxes():
    out = render(TASKS).html
    assert checkboxes(out) == [(0, True), (1, False), (2, False), (3, True), (4, False)]
    assert all("disabled" in attrs for attrs in Elements(out).find("input"))
    assert "- [ ] 코드 안의 가짜 할 일" in out  # still code


def test_toggle_task_checks_and_unchecks():
    checked = toggle_task(TASKS, 2, True)
    assert "- [x] 과제" in checked
    assert toggle_task(checked, 2, False) == TASKS
    assert toggle_task(TASKS, 0, True) == TASKS  # already checked


def test_toggle_task_ignores_fenced_code():
    toggled = toggle_task(TASKS, 4, True)
    assert "1. [x] 번호 목록 할 일" in toggled
    assert "- [ ] 코드 안의 가짜 할 일" in toggled


def test_toggle_task_matches_the_rendered_indices():
    for index, was_checked in checkboxes(render(TASKS).html):
        toggled = toggle_task(TASKS, index, not was_checked)
        assert dict(checkboxes(render(toggled).html))[index] is not was_checked


def test_toggle_task_rejects_out_of_range():
    with pytest.raises(IndexError):
        toggle_task(TASKS, 5, True)
    with pytest.raises(IndexError):
        toggle_task(TASKS, -1, True)
    with pytest.raises(IndexError):
        toggle_task("```\n- [ ] a\n```", 0, True)


@pytest.mark.parametrize(
    "source",
    [
        "- <!-- [x] -->[ ] a",  # the box the page shows is not where the comment's text is
        "> - &#91; ] a [x](/l)",
        "<ul><li>[ ] x</li></ul>",  # a raw-HTML list item has no line of its own
        'Price list [x] here\n\n<ul><li data-sourcepos="1:1-1:1">[ ] x</li></ul>',
    ],
)
def test_toggle_task_refuses_what_is_not_a_list_items_own_box(source):
    with pytest.raises(IndexError):
        toggle_task(source, 0, False)


def test_deep_nesting_and_wide_tables_stay_small():
    """html5ever's cost grows with depth: 100,000 nested quotes took 74 s to sanitize."""
    deep = render(">" * 99_990 + "|a|\n" + ">" * 99_990 + "|-|\n")
    assert deep.html.count("<blockquote>") <= 64
    wide = render("|" + "---|" * 1_500 + "\n" + "|x|\n" * 3_000)
    assert "<td" not in wide.html and len(wide.html) < 3 * 20_000


def test_toggling_a_task_after_a_cut_paragraph_edits_that_task():
    """Paragraphs over 4 KB are cut (blank lines are added); source positions still lead back to
    the learner's own lines."""
    text = "가 " * 5_000 + "\n- [ ] 첫째\n" + ("나 " * 3_000 + "\n") * 3 + "- [x] 둘째\n"
    assert toggle_task(text, 0, True).count("- [x] 첫째") == 1
    assert toggle_task(text, 1, False).endswith("- [ ] 둘째\n")
    assert toggle_task(text, 1, False).replace("- [ ] 둘째", "- [x] 둘째") == text


def test_toggle_task_keeps_crlf_source():
    source = "- [ ] a\r\n- [ ] b\r\n"
    assert toggle_task(source, 1, True) == "- [ ] a\r\n- [x] b\r\n"
    assert checkboxes(render(source).html) == [(0, False), (1, False)]


def test_the_seed_tasks_toggle():
    body = seed_body()
    assert len(checkboxes(render(body).html)) == 6
    assert "- [x] 오피스아워" in toggle_task(body, 5, True)


# Blocks ---------------------------------------------------------------------------------------


def test_it_highlights_fenced_code():
    out = render('```python\ndef f():\n    return "<b>"\n```').html
    assert out.startswith('<div class="highlight" data-lang="python"><pre><code>')
    assert '<span class="k">def</span>' in out
    assert "&lt;b&gt;" in out


def test_it_highlights_code_fenced_inside_a_list():
    out = render("- 예시\n\n  ```python\n  x = 1\n  ```\n- 다음").html
    assert re.search(r"<li>\s*<p>예시</p>\s*<div class=\"highlight\" data-lang=\"python\">", out)


def test_it_renders_tables_with_alignment():
    out = render("| 이름 | 값 |\n|:--|--:|\n| lr | 0.1 |").html
    assert '<th align="left">이름</th>' in out
    assert '<td align="right">0.1</td>' in out


def test_it_renders_footnotes_with_namespaced_ids():
    out = render("본문[^1]\n\n[^1]: 각주").html
    ref = Elements(out).find("a")[0]
    assert re.fullmatch(r"fnref-[0-9a-f]{6}-1", ref["id"])
    assert ref["href"] == "#" + ref["id"].replace("fnref-", "fn-")
    assert '<section class="footnotes">' in out and "각주" in out


def test_it_nests_lists_indented_by_four_or_two_spaces():
    expected = "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d</li></ul>"
    assert render("- a\n    - b\n        - c\n- d").html.replace("\n", "") == expected
    assert render("- a\n  - b\n    - c\n- d").html.replace("\n", "") == expected


def test_it_starts_a_list_right_after_a_paragraph():
    assert (
        render("오늘 한 일:\n- a\n- b").html
        == "<p>오늘 한 일:</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>"
    )


def test_it_keeps_a_blockquote_inside_a_list_item():
    out = render("- 항목\n\n    > 인용\n- 다음").html
    assert re.search(
        r"<li>\s*<p>항목</p>\s*<blockquote>\s*<p>인용</p>\s*</blockquote>\s*</li>", out
    )
    assert "<p>다음</p>" in out


def test_it_renders_emoji_strikethrough_mark_and_links():
    out = render(":smile: 🥲 ~~취소~~ ==강조== 10~20분 https://example.com").html
    assert out.startswith("<p>😄 🥲 <del>취소</del> <mark>강조</mark> 10~20분 ")
    assert '<a href="https://example.com" rel="nofollow noopener">' in out


def test_liquid_raw_markers_disappear():
    out = render("{% raw %}\n```\n{{ site.title }}\n```\n{% endraw %}\n\n{% include x.html %}").html
    assert "raw" not in out
    assert "{{ site.title }}" in out
    assert "<p><code>{% include x.html %}</code></p>" in out  # any other Liquid tag: as code


# Headings and table of contents ---------------------------------------------------------------


def test_korean_headings_get_prefixed_ids_and_a_toc():
    rendered = render("## **📝 오늘 한 일**\n### 키워드 공유\n## 오늘 한 일\n# $x^2$ 정리")
    assert rendered.toc == (
        TocItem(2, "h-오늘-한-일", "📝 오늘 한 일"),
        TocItem(3, "h-키워드-공유", "키워드 공유"),
        TocItem(2, "h-오늘-한-일_1", "오늘 한 일"),
        TocItem(1, "h-x2-정리", "x^2 정리"),
    )
    assert '<h2 id="h-오늘-한-일"><strong>📝 오늘 한 일</strong></h2>' in rendered.html


def test_heading_titles_are_plain_text():
    (item,) = render("## A &amp; B <kbd>C</kbd>").toc
    assert item.title == "A & B C"


def test_heading_attribute_lists_keep_only_toc_skip():
    rendered = render("## 제목 {: data-toc-skip='' .prompt-info }\n\n## 목차에 보임 {: .x }")
    assert rendered.html == (
        '<h2 id="h-제목" data-toc-skip="">제목</h2>\n<h2 id="h-목차에-보임">목차에 보임</h2>'
    )
    assert rendered.toc == (TocItem(2, "h-목차에-보임", "목차에 보임"),)


# Chirpy / kramdown attribute lists ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["tip", "info", "warning", "danger"])
def test_chirpy_prompts_become_blockquote_classes(kind):
    out = render(f"> 알림\n{{: .prompt-{kind} }}").html
    assert out == f'<blockquote class="prompt-{kind}">\n<p>알림</p>\n</blockquote>'


def test_a_prompt_inside_a_list_item():
    out = render("- 항목\n\n    > 알림\n    {: .prompt-tip }").html
    assert '<blockquote class="prompt-tip">' in out
    assert "{:" not in out


def test_image_attribute_lists_keep_pixel_sizes_and_known_classes():
    out = render('![a](/a.png){: width="400px" height="300" .normal .shadow }').html
    (img,) = Elements(out).find("img")
    assert (img["width"], img["height"], img["class"]) == ("400", "300", "normal shadow")


def test_an_attribute_list_under_an_image_applies_to_it():
    (img,) = Elements(render('![a](/a.png)\n{: width="700" .align-center }').html).find("img")
    assert (img["width"], img["class"]) == ("700", "align-center")


def test_attribute_lists_refuse_everything_else():
    out = render(
        '![a](/a.png){: width="50%" height="9e9" .evil #id onerror="x" style="x" title="t" }\n\n'
        '> q\n{: .prompt-nope #main onclick="x" }\n\n'
        '[링크](https://example.com){:target="_blank"}'
    ).html
    (img,) = Elements(out).find("img")
    assert set(img) == {"alt", "src", "loading", "decoding"}
    assert "<blockquote>" in out
    assert "target" not in out and "{:" not in out


# Comments -------------------------------------------------------------------------------------


def test_comments_have_small_headings_without_ids_and_allow_images():
    out = render_comment("# 큰 제목\n### 작은 제목\n\n![그림](/a.png)")
    assert out.startswith("<h4>큰 제목</h4>\n<h6>작은 제목</h6>")
    assert "<img " in out and 'src="/a.png"' in out


def test_comments_use_the_same_sanitizer():
    out = render_comment("<script>x</script> 안녕")
    assert "script" not in out and out.strip() == "안녕"


# The seed log ---------------------------------------------------------------------------------


def test_the_seed_log_renders():
    rendered = render(seed_body())
    out = rendered.html
    # Headings, in order, with Korean ids.
    assert [(item.level, item.id) for item in rendered.toc] == [
        (2, "h-오늘-한-일"),
        (2, "h-피어세션-요약"),
        (3, "h-키워드-공유"),
        (3, "h-코딩테스트-스터디"),
        (2, "h-멘토링-요약"),
        (3, "h-수업-관련"),
        (3, "h-심화-과제-관련"),
        (2, "h-일일-회고"),
        (2, "h-내일-할-일"),
    ]
    flat = out.replace("\n", "")
    # The 4-space nested lists nest, three levels deep.
    assert re.search(
        r"<li>LSTM의 장점<ul><li><p><strong>Vanilla RNN</strong></p><ul><li>backward pass", flat
    )
    assert re.search(r"<li><code>tanh</code>를 매 step마다.*?<ul><li>Vanilla RNN의", flat)
    # The blockquote sits inside the **LSTM** item, with the math and the image in it...
    lstm_item = out[out.index("<p><strong>LSTM</strong></p>") : out.index("(강의 추천)")]
    quote = lstm_item[lstm_item.index("<blockquote>") : lstm_item.index("</blockquote>")]
    assert '<math display="inline"><mrow><msub><mi>c</mi><mn>0</mn></msub></mrow></math>' in quote
    (img,) = Elements(quote).find("img")
    assert img["alt"] == "backprop through cell state는 gradient를 위한 고속도로"
    assert img["src"] == "/assets/img/posts/Boostcamp-AI-Tech/Daily-Log/week04/d015-1.png"
    # ...and the next top-level item is not swallowed by it.
    assert re.search(r"</blockquote></li></ul></li><li>\(강의 추천\)", flat)
    # Ordered list with nested bullets, the raw <br> lines, the final retrospective paragraph.
    assert re.search(r"<ol><li><strong>MHA의 각 attention head", flat)
    assert out.count("<br>\n<h2") == 4
    assert "<p>정신이 없는 하루였다." in out and "🥲</p>" in out
    assert rendered.has_math
    assert_safe(out)


def test_the_seed_excerpt():
    excerpt = render(seed_body()).excerpt
    # The template's headings ("📝 오늘 한 일") say nothing: the excerpt starts with what was done.
    assert excerpt.startswith("강의 수강 및 퀴즈 [DL Basic] 7, 8강 실습")
    assert excerpt.endswith("…") and len(excerpt) <= 200
    assert "<" not in excerpt and "**" not in excerpt and "#" not in excerpt


# Excerpt --------------------------------------------------------------------------------------


def test_the_excerpt_is_plain_collapsed_text():
    excerpt = render(
        "# 제목\n\n**굵은**   글과\n\n```py\ncode()\n```\n\n- 항목 $x^2$[^1]\n\n[^1]: 각주"
    ).excerpt
    assert excerpt == "굵은 글과 항목 x²"


def test_excerpts_show_formulas_as_text_and_headings_only_when_nothing_else():
    assert render("복잡도는 $O(n^2 \\cdot d)$, $\\sqrt{d_k}$로 나눈다").excerpt == (
        "복잡도는 O(n² · d), √dₖ로 나눈다"
    )
    assert render("# 제목만").excerpt == "제목만"
    assert render("앞\n\n$$\na = b\n\nc\n$$\n\n뒤").excerpt == "앞 a = b c 뒤"  # once
    assert "\\" not in render("$$\\frac{QK^T}{\\sqrt{d_k}}$$ 설명").excerpt


def test_a_long_excerpt_is_cut_at_a_word():
    excerpt = render("가나다 " * 100).excerpt
    assert excerpt.endswith("가나다…")
    assert len(excerpt) <= 200


def test_the_excerpt_is_read_from_the_beginning_only():
    start = "## 오늘 한 일\n\n" + "- [x] 강의 수강하고 정리하기\n" * 20
    short = render(start).excerpt
    assert render(start + "\n" + "**길게** 이어지는 글 " * 2000).excerpt == short
    assert render(start + "\n```py\n" + "x = 1\n" * 2000 + "```\n").excerpt == short
    assert short.endswith("…")


# Robustness -----------------------------------------------------------------------------------


def test_empty_input():
    assert render("") == Rendered(html="", toc=(), has_math=False, excerpt="")
    assert render_comment("") == ""


def test_the_body_is_cut_at_the_limit():
    rendered = render("가" * MAX_BODY_BYTES)  # 3 bytes a character
    assert rendered.html.count("가") == MAX_BODY_BYTES // 3


@pytest.mark.parametrize(
    "source",
    [
        ">" * 5000 + " 깊다",
        "- " * 5000 + "깊다",
        "> - " * 2000 + "깊다",
        "\n".join("    " * depth + "- 깊다" for depth in range(400)),
        "\n".join("> " + "  " * depth + "- 깊다" for depth in range(400)),
        "[" * 5000 + "]" * 5000,
        "*" * 10000 + "a" + "*" * 10000,
    ],
    ids=["quotes", "dashes", "quoted-dashes", "indent", "quoted-indent", "brackets", "stars"],
)
def test_deep_nesting_does_not_blow_up(source):
    started = time.perf_counter()
    assert_safe(render(source).html)
    assert time.perf_counter() - started < 2


def test_a_big_log_renders_fast():
    body = seed_body()
    big = body * (MAX_BODY_BYTES // len(body.encode()))
    assert len(big.encode()) > 190_000
    started = time.perf_counter()
    rendered = render(big)
    assert (
        time.perf_counter() - started < 5
    )  # generous: CI shares two cores; the pathologies this guards against took minutes
    assert rendered.html.count("<math") > 10


@pytest.mark.slow
@pytest.mark.parametrize(
    "source",
    [
        "\\*" * 100_000,
        "[" * 200_000,
        "[a](" * 50_000,
        "\\```\n" * 50_000,
        "```\n" * 50_000,
        "`" * 3 + "``x` " * 40_000,
        "".join(f"a[^{n}]\n\n[^{n}]: n\n\n" for n in range(8_000)),
    ],
    ids=["escapes", "brackets", "links", "backticks", "fences", "ticks", "footnotes"],
)
def test_hostile_shapes_stay_fast(source):
    """Each took from 10 s to several minutes (quadratic) before the pipeline bounded it; now
    about a second, like any 200 KB made of tiny elements. The margin is for loaded CI."""
    started = time.perf_counter()
    render(source)
    assert time.perf_counter() - started < 8


def test_task_checkboxes_are_named_by_their_task_and_empty_ones_are_hidden():
    """Accessibility (axe: label): a checkbox needs a name; a placeholder with no text has none."""
    boxes = Elements(render('- [ ] **강의** "수강"\n- [x] 정리\n- [ ] \n').html).find("input")
    assert [
        (b.get("data-task-index"), b.get("aria-label"), b.get("aria-hidden")) for b in boxes
    ] == [
        ("0", '강의 "수강"', None),
        ("1", "정리", None),
        (None, None, "true"),  # counted, but nothing to tick: the page script leaves it alone
    ]


def test_a_learner_cannot_hide_or_name_checkboxes_of_their_own():
    html = render('<input type="checkbox" aria-hidden="false" aria-label="x">\n').html
    assert "<input" not in html or 'aria-hidden="false"' not in html
