"""Fidelity: what Chirpy authors wrote renders with the structure kramdown (Jekyll's engine) gave
it. Each case is a shape found in real bootcamp blogs; its expectations were written against
kramdown's GFM output (`ruby-kramdown`, `ruby-kramdown-parser-gfm`) and need no Ruby to run.

Where kramdown and GitHub disagree the pipeline follows GitHub, and the case says so: no smart
quotes, bare URLs are links, a line with a `|` is a table only above a separator row, raw HTML
blocks are not read as Markdown unless separated by blank lines.
"""

import re
from collections import Counter

import pytest

from logs.markdown import render
from tests.logs.test_markdown import Elements, assert_safe


def tags(html: str) -> Counter:
    return Counter(tag for tag, _ in Elements(html).tags)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def attrs(html: str, tag: str) -> list[dict[str, str]]:
    return Elements(html).find(tag)


# (id, markdown, check(html) -> bool). Each check names what kramdown makes of the source.
CASES = [
    # Raw HTML blocks and inline HTML -----------------------------------------------------------
    (
        "img-with-width",
        '<img src="/assets/a.png" width="300" alt="구조">',
        lambda h: (
            attrs(h, "img")[0].items()
            >= {"src": "/assets/a.png", "width": "300", "alt": "구조"}.items()
        ),
    ),
    (
        "centred-div",
        '<div align="center">\n  <img src="/a.png" width="120">\n</div>',
        lambda h: attrs(h, "div") == [{"align": "center"}] and len(attrs(h, "img")) == 1,
    ),
    (
        "details-with-list",
        "<details><summary>정답</summary><ol><li>하나</li><li>둘</li></ol></details>",
        lambda h: tags(h)["details"] == 1 and tags(h)["summary"] == 1 and tags(h)["li"] == 2,
    ),
    (
        "details-with-markdown-inside",
        "<details>\n<summary>풀이</summary>\n\n**굵게** 그리고 `코드`\n\n</details>",
        lambda h: "<strong>굵게</strong>" in h and "<code>코드</code>" in h,
    ),
    (
        "heading-with-toc-skip",
        "<h3 data-toc-skip>목차 밖</h3>\n\n## 목차 안",
        lambda h: attrs(h, "h3")[0].get("data-toc-skip") == "" and tags(h)["h2"] == 1,
    ),
    (
        "span-with-class",
        '글자 <span class="note" style="color:red">빨강</span> 끝',
        lambda h: "<span>빨강</span>" in h and "style" not in h,
    ),
    (
        "badge-link",
        '<a href="https://github.com/x"><img src="https://img.shields.io/badge/a-b-c" alt="badge"></a>',
        lambda h: attrs(h, "a")[0]["href"] == "https://github.com/x" and len(attrs(h, "img")) == 1,
    ),
    (
        "html-table",
        "<table><tr><th>모델</th><th>정확도</th></tr><tr><td>ResNet</td><td>76%</td></tr></table>",
        lambda h: tags(h)["table"] == 1 and tags(h)["th"] == 2 and tags(h)["td"] == 2,
    ),
    (
        "youtube-iframe",
        '<iframe width="560" height="315" src="https://www.youtube.com/embed/abc123" '
        'frameborder="0" allowfullscreen></iframe>',
        lambda h: (
            attrs(h, "iframe")[0]["src"] == "https://www.youtube.com/embed/abc123"
            and "sandbox" in attrs(h, "iframe")[0]
        ),
    ),
    (
        "foreign-iframe-is-a-link",
        '<iframe src="https://evil.example/x"></iframe>',
        lambda h: not attrs(h, "iframe") and attrs(h, "a")[0]["href"] == "https://evil.example/x",
    ),
    (
        "kbd-sub-sup-mark",
        "<kbd>Ctrl</kbd>+<kbd>C</kbd>, H<sub>2</sub>O, x<sup>2</sup>, <mark>중요</mark>",
        lambda h: (
            tags(h)["kbd"] == 2
            and tags(h)["sub"] == 1
            and tags(h)["sup"] == 1
            and tags(h)["mark"] == 1
        ),
    ),
    (
        "br-spacers",
        "문단\n\n<br>\n\n## 다음",
        lambda h: tags(h)["br"] == 1 and tags(h)["h2"] == 1,
    ),
    (
        "figure-with-caption",
        '<figure><img src="/a.png"><figcaption>그림 1</figcaption></figure>',
        lambda h: tags(h)["figure"] == 1 and tags(h)["figcaption"] == 1,
    ),
    (
        "center-and-font",
        '<center><font color="red" size="4" face="x">주의</font></center>',
        lambda h: attrs(h, "font") == [{"color": "red", "size": "4"}] and tags(h)["center"] == 1,
    ),
    # Lists --------------------------------------------------------------------------------------
    (
        "bullets-right-under-an-ordered-item",
        "1. 첫째\n- [ ] 할 일\n- [x] 한 일",
        lambda h: tags(h)["ol"] == 1 and len(attrs(h, "input")) == 2,
    ),
    (
        "two-space-nesting",
        "- 위\n  - 아래\n    - 더 아래",
        lambda h: tags(h)["ul"] == 3 and tags(h)["li"] == 3,
    ),
    (
        "four-space-nesting",
        "- 위\n    - 아래\n        - 더 아래",
        lambda h: tags(h)["ul"] == 3,
    ),
    (
        "list-right-after-a-paragraph",
        "오늘 한 일:\n- 강의\n- 과제",
        lambda h: tags(h)["p"] == 1 and tags(h)["li"] == 2,
    ),
    (
        "task-list-in-a-blockquote",
        "> - [ ] 인용 속 할 일\n> - [x] 끝낸 일",
        lambda h: len(attrs(h, "input")) == 2 and tags(h)["blockquote"] == 1,
    ),
    (
        "ordered-list-start",
        "3. 셋\n4. 넷",
        lambda h: attrs(h, "ol")[0].get("start") == "3",
    ),
    # Math ---------------------------------------------------------------------------------------
    (
        "display-math-with-a-blank-line",
        "$$\na = b\n\nc = d\n$$",
        lambda h: h.count('<math display="block">') == 1 and "$$" not in h,
    ),
    (
        "inline-math-with-inner-spaces",
        "선형 모델은 $ y = W^T x + b $ 이다.",
        lambda h: h.count('<math display="inline">') == 1 and "$" not in h,
    ),
    (
        "kramdown-double-dollars-in-a-sentence",
        "cell state $$c_t$$ 가 흐른다",
        lambda h: h.count('<math display="inline">') == 1,
    ),
    (
        "underscores-in-math-are-not-emphasis",
        "$a_1$ 과 $b_1$ 사이",
        lambda h: "<em>" not in h and h.count("<math") == 2,
    ),
    (
        "backslash-parentheses-and-brackets",
        "\\\\(x^2\\\\) 와\n\n\\\\[\\frac{1}{2}\\\\]",
        lambda h: h.count("<math") == 2,
    ),
    (
        "math-fence",
        "```math\n\\sum_{i=1}^n x_i\n```",
        lambda h: h.count('<math display="block">') == 1 and "<pre" not in h,
    ),
    (
        "prices-are-not-math",
        "커피는 $5 and 케이크는 $10",
        lambda h: "<math" not in h and "$5" in h,
    ),
    (
        "math-in-a-table-cell",
        "| 식 | 뜻 |\n|---|---|\n| $\\alpha$ | 학습률 |",
        lambda h: tags(h)["td"] == 2 and h.count("<math") == 1,
    ),
    # kramdown attribute lists and Chirpy prompts -----------------------------------------------
    (
        "two-attribute-lists-on-an-image",
        '![x](/a.png){: .normal}{: w="460" h="381"}',
        lambda h: (
            attrs(h, "img")[0].items()
            >= {"class": "normal", "width": "460", "height": "381"}.items()
            and "{:" not in h
        ),
    ),
    (
        "prompt-under-a-quote",
        "> 마감은 금요일\n{: .prompt-warning }",
        lambda h: attrs(h, "blockquote") == [{"class": "prompt-warning"}],
    ),
    (
        "attribute-list-under-an-image-paragraph",
        '![x](/a.png)\n{: width="700" .shadow }',
        lambda h: attrs(h, "img")[0].get("width") == "700" and "{:" not in h,
    ),
    (
        "file-name-on-a-code-block",
        '```python\nx = 1\n```\n{: file="train.py" }',
        lambda h: attrs(h, "div")[0].get("data-lang") == "train.py",
    ),
    (
        "heading-attribute-list",
        "## 요약 {: data-toc-skip='' }",
        lambda h: "{:" not in h and attrs(h, "h2")[0].get("data-toc-skip") == "",
    ),
    # Comments and block boundaries ----------------------------------------------------------------
    (
        "comment-spanning-blank-lines",
        "보임\n\n<!-- 숨김\n\n# 제목 아님\n\n-->\n\n끝",
        lambda h: tags(h)["h1"] == 0 and "숨김" not in h and "끝" in h,
    ),
    (
        "heading-in-a-quote-then-a-rule",
        "> ## 문제\n---",
        lambda h: tags(h)["blockquote"] == 1 and tags(h)["hr"] == 1 and tags(h)["h2"] == 1,
    ),
    (
        "table-starting-with-its-separator-row",
        "|---|---|\n| a | b |\n| c | d |",
        lambda h: tags(h)["table"] == 1 and tags(h)["td"] == 4 and tags(h)["th"] == 0,
    ),
    (
        # GitHub, not kramdown: a line with a pipe is only a table above a separator row.
        "a-pipe-in-a-sentence-is-not-a-table",
        "A | B 는 둘 중 하나",
        lambda h: tags(h)["table"] == 0,
    ),
    (
        "table-alignment",
        "| 왼 | 가운데 | 오른 |\n|:--|:--:|--:|\n| 1 | 2 | 3 |",
        lambda h: [a.get("align") for a in attrs(h, "td")] == ["left", "center", "right"],
    ),
    # Code ---------------------------------------------------------------------------------------
    (
        "hangul-in-code-has-no-error-boxes",
        "```python\n# 한글 주석\nprint('안녕')\n```",
        lambda h: 'class="err"' not in h and "한글 주석" in h,
    ),
    (
        "language-label",
        "```js\nlet x = 1\n```",
        lambda h: attrs(h, "div")[0].get("data-lang") == "js",
    ),
    (
        "jekyll-highlight-tag",
        "{% highlight ruby %}\nputs 'hi'\n{% endhighlight %}",
        lambda h: attrs(h, "div")[0].get("data-lang") == "ruby" and "{%" not in h,
    ),
    # Liquid -------------------------------------------------------------------------------------
    (
        "site-baseurl-in-an-image",
        "![그림]({{ site.baseurl }}/assets/img/a.png)",
        lambda h: attrs(h, "img")[0]["src"] == "/assets/img/a.png",
    ),
    (
        "site-url-without-spaces",
        "[글]({{site.url}}/posts/a/)",
        lambda h: attrs(h, "a")[0]["href"] == "/posts/a/",
    ),
    (
        "relative-url-filter",
        '![그림]({{ "/assets/b.png" | relative_url }})',
        lambda h: attrs(h, "img")[0]["src"] == "/assets/b.png",
    ),
    (
        "raw-markers-vanish",
        "{% raw %}{{ 그대로 }}{% endraw %}",
        lambda h: "raw" not in h and "{{ 그대로 }}" in h,
    ),
    (
        "youtube-include",
        "{% include embed/youtube.html id='Balreaj8Yqs' %}",
        lambda h: attrs(h, "iframe")[0]["src"].endswith("/embed/Balreaj8Yqs"),
    ),
    (
        "other-liquid-shown-as-code",
        "{% post_url 2022-02-09-x %} 와 {{ page.title }}",
        lambda h: tags(h)["code"] == 2,
    ),
    # GitHub over kramdown ------------------------------------------------------------------------
    (
        # GitHub, not kramdown: quotes stay straight.
        "no-smart-quotes",
        "'작은' \"큰\"",
        lambda h: "‘" not in h and "“" not in h,
    ),
    (
        # GitHub, not kramdown: bare URLs are links.
        "bare-urls-are-links",
        "참고: https://pytorch.org/docs",
        lambda h: attrs(h, "a")[0]["href"] == "https://pytorch.org/docs",
    ),
    (
        "footnotes",
        "본문[^1]\n\n[^1]: 각주",
        lambda h: tags(h)["section"] == 1 and "각주" in text(h),
    ),
    (
        "emoji-shortcode",
        ":tada: 축하",
        lambda h: "🎉" in h,
    ),
    (
        "strikethrough-needs-two-tildes",
        "~~취소~~ 그리고 10~20분",
        lambda h: tags(h)["del"] == 1 and "10~20분" in h,
    ),
]


@pytest.mark.parametrize(("markdown", "check"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_it_renders_as_kramdown_did(markdown, check):
    html = render(markdown).html
    assert check(html), html
    assert_safe(html)


def test_there_are_enough_cases():
    assert len(CASES) >= 40
