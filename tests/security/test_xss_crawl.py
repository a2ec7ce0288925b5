"""Every Markdown field filled with attacks, every page that shows them crawled as each persona.

Raw HTML is rendered now (the way GitHub renders a README), so this is the check that nothing
live gets through anywhere the pipeline's output lands: entry, session, comment and answer
bodies, on their own pages, the lists, search, feeds and notifications. A framed player may
appear only sandboxed and only from the players the CSP allows.
"""

import datetime as dt
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.conf import settings

from logs.models import Comment, MentoringQuestion
from tests import factories
from tests.logs.test_markdown import XSS as MARKDOWN_XSS

ATTACKS = [
    *MARKDOWN_XSS,
    "<img src=x onerror=alert(1)//",
    '<div align="center" onclick="alert(1)" style="background:url(javascript:alert(1))">x</div>',
    "<details open ontoggle=alert(1)><summary>x</summary></details>",
    '<h3 data-toc-skip onmouseover="alert(1)">제목</h3>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe src="https://www.youtube.com/embed/x" srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe src="https://user:pw@www.youtube.com/embed/x"></iframe>',
    '<iframe src="https://www.youtube.com.evil.example/embed/x"></iframe>',
    '<video src="https://evil.example/v.mp4" poster="javascript:alert(1)" autoplay></video>',
    '<audio src="javascript:alert(1)"></audio>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    "<svg><a xlink:href=javascript:alert(1)><text>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "{% include embed/video.html src='javascript:alert(1)' %}",
    "{% include embed/youtube.html id='\" onload=\"alert(1)' %}",
    "[x]({{ 'javascript:alert(1)' | relative_url }})",
    "$\\href{javascript:alert(1)}{x}$ $$\\style{color:red}{x}$$",
    "&#xe002;0&#xe003; q0123456789m0x <!--q0123456789b0x-->",
]
ATOM = "{http://www.w3.org/2005/Atom}"
PLAYER_ORIGINS = tuple(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"])


class _Live(HTMLParser):
    """What would run or load from elsewhere. Anywhere on the page: event handlers, inline
    styles, script URLs. Inside rendered Markdown (`.prose`): active tags, foreign or unsandboxed
    frames, foreign media, inputs that are not the task list's checkboxes."""

    ACTIVE = {"script", "object", "embed", "style", "form", "base", "meta", "svg", "link"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.prose: tuple[str, int] | None = None  # the container's tag and nesting

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.prose is None and "prose" in (attributes.get("class") or "").split():
            self.prose = (tag, 0)
        if self.prose and self.prose[0] == tag:
            self.prose = (tag, self.prose[1] + 1)
        for name, value in attrs:
            url = "".join((value or "").split()).lower()
            if name.startswith("on") or name in ("style", "formaction", "srcdoc"):
                self.found.append(f"{tag} {name}")
            is_url = name in ("href", "src", "poster", "action", "xlink:href")
            if is_url and ":" in url and not url.startswith(("http://", "https://", "mailto:")):
                self.found.append(f"{tag} {name}={value}")
        if self.prose:
            self.check_content(tag, attributes)

    def check_content(self, tag, attributes):
        if tag in self.ACTIVE:
            self.found.append(f"<{tag}>")
        if tag == "iframe":
            src = attributes.get("src") or ""
            if not src.startswith(PLAYER_ORIGINS) or "sandbox" not in attributes:
                self.found.append(f"iframe {src}")
        foreign_media = not (attributes.get("src") or "/").startswith("/")
        if tag in ("video", "audio", "source") and foreign_media:
            self.found.append(f"{tag} from {attributes.get('src')}")
        if tag == "input" and attributes.get("type") != "checkbox":
            self.found.append("input not a checkbox")

    def handle_endtag(self, tag):
        if self.prose and self.prose[0] == tag:
            self.prose = (tag, self.prose[1] - 1) if self.prose[1] > 1 else None


def live(html: str) -> list[str]:
    parser = _Live()
    parser.feed(html)
    return parser.found


@pytest.fixture
def attacked(learner, teammate, mentor, cohort, team):
    body = "\n\n".join(ATTACKS)
    day = dt.date(2022, 2, 9)
    entry = factories.make_entry(
        learner, cohort, body=body, learning_date=day, visibility="public", tags=["공격"]
    )
    session = factories.make_session(team, summary=body, date=day)
    MentoringQuestion.objects.create(session=session, number=1, question="q", answer=body)
    Comment.objects.create(author=teammate, entry=entry, body=body)
    Comment.objects.create(author=mentor, session=session, body=body)
    return entry, session


PAGES = [
    "/entries/{entry}/",
    "/sessions/{session}/",
    "/c/ai-tech-3/",
    "/c/ai-tech-3/weeks/4/",
    "/c/ai-tech-3/days/2022-02-09/",
    "/u/learner/",
    "/tags/공격/",
    "/search/?q=alert",
    "/feeds/u/learner/",
    "/feeds/c/ai-tech-3/",
    "/notifications/",
    "/mentor/",
]


@pytest.mark.parametrize("persona", ["learner", "teammate", "mentor", "anonymous"])
def test_no_page_shows_anything_live(client, login, request, attacked, persona):
    entry, session = attacked
    if persona != "anonymous":
        client = login(request.getfixturevalue(persona))
    crawled = 0
    for page in PAGES:
        response = client.get(page.format(entry=entry.pk, session=session.pk))
        if response.status_code != 200:
            continue
        crawled += 1
        if "xml" in response["Content-Type"]:  # a feed reader shows each entry's HTML
            feed = ET.fromstring(response.content)
            parts = [*feed.iter(f"{ATOM}content"), *feed.iter(f"{ATOM}summary")]
            text = "".join(f'<div class="prose">{e.text or ""}</div>' for e in parts)
        else:
            text = response.content.decode()
        assert live(text) == [], page
    assert crawled >= 3
