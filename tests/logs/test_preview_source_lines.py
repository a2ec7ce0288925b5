"""The editor's preview marks each top-level block with the line of the text it starts on
(`data-source-line`), so that the editor and the preview scroll together; saved pages never
carry these marks."""

import re

from logs import markdown
from logs.models import Entry
from tests.logs.entry_helpers import editor_post

LINE = re.compile(r'<(\w+)[^>]*\sdata-source-line="(\d+)"')

TEXT = (
    "# 제목\n"  # 1
    "\n"
    "첫 문단 $x$ 와\n"  # 3
    "둘째 줄\n"
    "\n"
    "- [ ] 할 일\n"  # 6
    "  - [x] 안쪽\n"
    "\n"
    "| 열 | 값 |\n"  # 9
    "| --- | --- |\n"
    "| 한글 | 1 |\n"
    "\n"
    "```python\n"  # 13
    "print('안녕')\n"
    "```\n"
    "\n"
    "$$\n"  # 17
    "\n"
    "\\sum_i x_i\n"
    "$$\n"
    "\n"
    "> 인용\n"  # 22
    "{: .prompt-tip }\n"
    "\n"
    "---\n"  # 25
)


def blocks(html: str) -> list[tuple[str, int]]:
    return [(m.group(1), int(m.group(2))) for m in LINE.finditer(html)]


def test_each_top_level_block_carries_its_first_source_line(login, learner):
    response = login(learner).post("/markdownx/markdownify/", {"content": TEXT})
    html = response.content.decode()
    assert blocks(html) == [
        ("h1", 1),
        ("p", 3),
        ("ul", 6),
        ("table", 9),
        ("div", 13),
        ("math", 17),
        ("blockquote", 22),
        ("hr", 25),
    ]
    # Nested blocks are not marked, and nothing else of the pipeline's output changes.
    assert html.count("data-source-line") == 8
    assert '<blockquote data-source-line="22" class="prompt-tip">' in html
    assert re.sub(r' data-source-line="\d+"', "", html) == markdown.render(TEXT).html


def test_lines_are_the_authors_even_where_the_pipeline_adds_or_drops_lines(login, learner):
    # A table that starts with its separator row gets a header row before cmark sees it; a
    # `{% raw %}` line and an HTML comment are dropped.
    text = "{% raw %}\n\n| --- | --- |\n| a | b |\n\n<!-- 메모 -->\n\n## 끝\n"
    html = login(learner).post("/markdownx/markdownify/", {"content": text}).content.decode()
    assert blocks(html) == [("table", 3), ("h2", 8)]


def test_text_cannot_forge_or_smuggle_source_lines(login, learner):
    text = '<p data-source-line="99">가짜</p>\n\n<div data-sourcepos="1:1-99:1">x</div>\n\n진짜\n'
    html = login(learner).post("/markdownx/markdownify/", {"content": text}).content.decode()
    assert "99" not in html
    assert blocks(html) == [("p", 5)]


def test_saved_pages_have_no_source_lines(login, learner, cohort):
    client = login(learner)
    client.post("/entries/new/?kind=daily&date=2022-02-09&cohort=ai-tech-3", editor_post(body=TEXT))
    entry = Entry.objects.get()
    assert "data-source-line" not in entry.body_html
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "data-source-line" not in page
