"""Every pathological shape of the benchmark (`bench/markdown.py`), rendered at the body limit:
the output stays a small multiple of the input and safe. Timing is the benchmark's business
(`manage.py bench --markdown-only`), not a test's."""

import pytest

from bench.markdown import SHAPES
from logs.markdown import MAX_BODY_BYTES, render, render_comment, toggle_task
from tests.logs.test_markdown import assert_safe


@pytest.mark.slow
@pytest.mark.parametrize("name", SHAPES)
def test_a_pathological_shape_renders_bounded_and_safe(name):
    source = SHAPES[name]()
    assert len(source.encode()) <= MAX_BODY_BYTES
    rendered = render(source)
    assert len(rendered.html) <= 8 * len(source) + 200_000
    assert len(rendered.toc) <= 1_000
    assert len(rendered.excerpt) <= 200
    assert_safe(rendered.html)
    assert len(render_comment(source)) <= 8 * len(source) + 200_000


def test_forged_tokens_and_private_use_characters_stay_text():
    for text in (
        "q0123456789m0x and \ue002 0 \ue003 and &#xe002;0&#xe003;",
        "<!--q0123456789b0x--> q0123456789i0x q0123456789c0x",
    ):
        rendered = render(text * 1000)
        assert "<math" not in rendered.html
        assert len(rendered.html) <= 3 * len(text * 1000)


def test_toggling_a_task_after_a_cut_paragraph_edits_that_task():
    """Paragraphs over 4 KB are cut (blank lines are added); source positions still lead back to
    the learner's own lines."""
    text = "가 " * 5_000 + "\n- [ ] 첫째\n" + ("나 " * 3_000 + "\n") * 3 + "- [x] 둘째\n"
    assert toggle_task(text, 0, True).count("- [x] 첫째") == 1
    assert toggle_task(text, 1, False).endswith("- [ ] 둘째\n")
    assert toggle_task(text, 1, False).replace("- [ ] 둘째", "- [x] 둘째") == text
