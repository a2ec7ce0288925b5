"""Pathological Markdown shapes, each about the body limit (200 KB): the corpus that
`test_markdown_hostile` renders for bounded, safe output and the benchmark times.

`SHAPES` maps a shape's name to a function building it (deterministic, no randomness), so a
caller builds only what it needs. The first shapes are the ones issue 14 measured (47 s for
`#|` lines, 16 s for `#`, 10.8 s for `#a`, 8.3 s for `***`, 2.4 s for 40,000 headings or a
2,000-row table under the old pipeline).
"""

from __future__ import annotations

from collections.abc import Callable

SIZE = 199_000  # bytes of UTF-8: just under the body limit of 200,000 bytes


def _fill(unit: str, size: int = SIZE) -> str:
    """`unit` repeated up to `size` bytes of UTF-8 (whole units only)."""
    return unit * max(1, size // len(unit.encode()))


def _lines(make: Callable[[int], str], size: int = SIZE) -> str:
    """Lines `make(0)`, `make(1)`… joined by newlines, up to `size` characters."""
    out, total, i = [], 0, 0
    while True:
        line = make(i) + "\n"
        if total + len(line) > size:
            return "".join(out)
        out.append(line)
        total += len(line)
        i += 1


def _table(rows: int) -> str:
    header = "| " + " | ".join(f"h{c}" for c in range(8)) + " |\n"
    separator = "|" + "---|" * 8 + "\n"
    row = "| " + " | ".join(f"c{c}" * 3 for c in range(8)) + " |\n"
    return header + separator + row * rows


def _nested_list() -> str:
    # Depth grows until the text is full: each line one level deeper than the last.
    return _lines(lambda depth: "  " * (depth % 440) + "- x")


def _nested_quotes() -> str:
    return _lines(lambda depth: "> " * (depth % 440) + "x")


def _emphasis_runs() -> str:
    return _fill("".join("*" * n + "a" for n in range(1, 9)))


def _footnotes() -> str:
    return _lines(lambda n: f"a[^{n}]\n\n[^{n}]: n\n")


def _backtick_runs() -> str:
    return _fill("".join("`" * n + "a " for n in range(1, 40)))


SHAPES: dict[str, Callable[[], str]] = {
    # Issue 14's measured shapes
    "hash-pipe-lines": lambda: _fill("#|\n"),
    "hash-lines": lambda: _fill("#\n"),
    "hash-a-lines": lambda: _fill("#a\n"),
    "star-lines": lambda: _fill("***\n"),
    "headings-40000": lambda: "# h\n" * 40_000,
    "table-2000-rows": lambda: _table(2_000),
    # Nesting
    "nested-lists": _nested_list,
    "nested-quotes": _nested_quotes,
    "quote-markers-one-line": lambda: ">" * SIZE,
    "quote-markers-spaced": lambda: _fill("> "),
    "quoted-list-markers": lambda: _fill("> - "),
    "nested-html-divs": lambda: _fill("<div>"),
    "nested-details": lambda: _fill("<details><summary>s</summary>"),
    # Inline delimiters
    "emphasis-runs": _emphasis_runs,
    "underscore-runs": lambda: _fill("_a__a___a"),
    "unclosed-brackets": lambda: _fill("["),
    "unclosed-bracket-words": lambda: _fill("[a "),
    "link-openers": lambda: _fill("[a]("),
    "image-openers": lambda: _fill("![a]("),
    "backtick-runs": _backtick_runs,
    "escaped-stars": lambda: _fill("\\*"),
    "fence-lines": lambda: _fill("```\n"),
    "tilde-fence-lines": lambda: _fill("~~~\n"),
    # GFM extensions
    "footnotes": _footnotes,
    "footnote-references": lambda: _fill("[^x]"),
    "autolinks": lambda: _fill("https://example.com/a www.example.org me@example.com "),
    "angle-autolinks": lambda: _fill("<https://example.com/a> "),
    "task-items": lambda: _fill("- [ ] a\n"),
    "wide-table": lambda: "|" + "a|" * 33_000 + "\n|" + "-|" * 33_000 + "\n|" + "b|" * 33_000,
    "strikethrough-runs": lambda: _fill("~~a "),
    "link-reference-definitions": lambda: _lines(lambda n: f"[r{n}]: /x{n}\n[r{n}]"),
    # Math
    "inline-formulas": lambda: _fill("$x$ "),
    "double-dollars-unclosed": lambda: _fill("$$ a\n"),
    "double-dollars-blank-lines": lambda: _fill("$$\n\n"),
    "dollar-unclosed-paragraphs": lambda: _fill("$a\n\n"),
    "backslash-bracket-unclosed": lambda: _fill("\\[ x_1 "),
    "backslash-bracket-lines": lambda: _fill("\\[\n\n"),
    "backslash-paren-unclosed": lambda: _fill("\\(x^2 "),
    "math-fences-unclosed": lambda: _fill("```math\n$$\n"),
    "private-use-references": lambda: "$x^2$ " + _fill("&#xe002;0&#xe003; \ue0020\ue003 "),
    # Liquid, comments, attribute lists, raw HTML
    "comments-unclosed": lambda: _fill("<!-- "),
    "comment-lines-unclosed": lambda: _fill("<!--\n\n"),
    "liquid-output-unclosed": lambda: _fill("{{ "),
    "liquid-tags-unclosed": lambda: _fill("{% "),
    "attribute-lists-unclosed": lambda: _fill("{: "),
    "liquid-includes": lambda: _fill("{% include embed/youtube.html id='abc' %}\n"),
    "iframes": lambda: _fill('<iframe src="https://www.youtube.com/embed/x"></iframe>\n'),
    "iframe-openers": lambda: _fill("<iframe "),
    "pre-lang-tags": lambda: _fill('<pre lang="python">'),
    "quoted-attribute-lists": lambda: _fill("> q\n{: .prompt-tip }\n"),
    "image-attribute-lists": lambda: _fill("![x](/a.png){: .normal}{: w='4' h='3'}\n"),
    "raw-tags-unclosed": lambda: _fill("<a "),
    "emoji-shortcodes": lambda: _fill(":smile:"),
    "mark-runs": lambda: _fill("==a== "),
    "hangul-code-block": lambda: (
        "```python\n" + _fill("변수 = '안녕' # 주석\n", SIZE - 20) + "```\n"
    ),
    "many-code-blocks": lambda: _fill("```c\nint x; 한글\n```\n"),
}
