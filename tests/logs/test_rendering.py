"""`logs.rendering.RenderAhead`: Markdown rendered in worker processes for large imports."""

from logs import markdown
from logs.rendering import RenderAhead
from logs.transfer.jekyll import parse_post
from tests.logs.transfer_helpers import GOOD, fixture


def test_the_workers_render_exactly_what_this_process_renders():
    texts = [parse_post(name, fixture(name)).body for name in GOOD]
    texts += ["", "$$\\frac{1}{2}$$", "- [ ] 할 일\n  - [x] 했음\n"]
    ahead = RenderAhead(2)
    try:
        for text in texts:
            ahead.submit(text)
        assert [ahead.get(text) for text in texts] == [markdown.render(text) for text in texts]
    finally:
        ahead.close()


def test_without_workers_nothing_is_rendered_ahead():
    ahead = RenderAhead(1)
    ahead.submit("# 제목")
    assert ahead.get("# 제목") is None
    ahead.close()


def test_a_text_never_submitted_is_left_to_the_save():
    ahead = RenderAhead(2)
    try:
        ahead.submit("# 제목")
        assert ahead.get("# 다른 제목") is None
        assert ahead.get("# 제목") == markdown.render("# 제목")
    finally:
        ahead.close()
