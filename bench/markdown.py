"""The Markdown pipeline's own benchmark: the seed log's median and the worst pathological shape.

Every shape fills the body limit (200 KB) with one construct that made a parser slow somewhere:
long runs, deep nesting, unclosed delimiters, many small elements. `bench --markdown-only`
prints the table; the tests render each shape and check the output stays bounded.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from logs import markdown

LIMIT = markdown.MAX_BODY_BYTES


def _fill(unit: str) -> str:
    return unit * (LIMIT // len(unit.encode()))


SHAPES: dict[str, Callable[[], str]] = {
    "#| lines": lambda: _fill("#|\n"),
    "# lines": lambda: _fill("#\n"),
    "#a lines": lambda: _fill("#a\n"),
    "*** lines": lambda: _fill("***\n"),
    "headings": lambda: _fill("## 제목\n"),
    "table rows": lambda: "| a | b |\n|---|---|\n" + _fill("| 셀 | $x$ |\n"),
    "headerless table": lambda: _fill("|---|---|\n| a | b |\n\n"),
    "nested lists": lambda: "\n".join("  " * (i % 400) + "- 깊다" for i in range(LIMIT // 420)),
    "nested quotes": lambda: ">" * 5000 + " 깊다\n" + _fill("> > > > a\n"),
    "emphasis runs": lambda: _fill("*a**a***a"),
    "underscores": lambda: _fill("_a__a___"),
    "open brackets": lambda: _fill("["),
    "link openers": lambda: _fill("[a]("),
    "backtick runs": lambda: _fill("`` `x` "),
    "fences": lambda: _fill("```\n"),
    "footnotes": lambda: "".join(f"a[^{n}]\n\n[^{n}]: n\n\n" for n in range(9000)),
    "autolinks": lambda: _fill("https://example.com/a_b "),
    "inline math": lambda: _fill("$x_1$ "),
    "distinct math": lambda: "".join(f"$x_{{{n}}}^{{{n}}}$ " for n in range(20000)),
    "unclosed $$": lambda: _fill("$$ a "),
    "unclosed \\[": lambda: _fill("\\[x^2 "),
    "unclosed comments": lambda: _fill("<!-- "),
    "liquid openers": lambda: _fill("{{ {% {: "),
    "attribute lists": lambda: _fill("> 알림\n{: .prompt-tip }\n\n"),
    "iframes": lambda: _fill('<iframe src="https://www.youtube.com/embed/x"></iframe>\n'),
    "raw pre tags": lambda: _fill('<pre lang="x"><code>'),
    "html soup": lambda: _fill("<div><span><b>"),
    "code blocks": lambda: _fill("```python\nx = 1\n```\n"),
    "one big code block": lambda: "```python\n" + _fill("x = [i for i in range(10)]\n"),
    "tasks": lambda: _fill("- [ ] 할 일\n"),
    "emoji": lambda: _fill(":smile: "),
}


def _capped(make: Callable[[], str]) -> Callable[[], str]:
    return lambda: make().encode()[:LIMIT].decode(errors="ignore")


SHAPES = {name: _capped(make) for name, make in SHAPES.items()}


def seed_body() -> str:
    path = Path(__file__).resolve().parents[1] / "tests/fixtures/jekyll/2022-02-09-week04-day015.md"
    return path.read_text(encoding="utf-8").split("---\n", 2)[2]


def _time(text: str, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        markdown.render(text)
        times.append((time.perf_counter() - started) * 1000)
    return times


def run(out) -> dict[str, float]:
    seed = seed_body()
    _time(seed, 20)  # warm: the lexers, the emoji table, the regex caches
    seed_median = statistics.median(_time(seed, 300))
    shapes = {name: min(_time(make(), 3)) for name, make in SHAPES.items()}
    worst = max(shapes, key=shapes.__getitem__)
    out.write("\nMarkdown pipeline (ms a render)\n")
    out.write(f"  seed log ({len(seed.encode()):,} bytes), median of 300: {seed_median:.2f}\n")
    for name, ms in sorted(shapes.items(), key=lambda item: -item[1])[:8]:
        out.write(f"  {name:<20} {ms:7.1f}\n")
    out.write(f"  worst of {len(shapes)} shapes at 200 KB: {shapes[worst]:.1f} ({worst})\n")
    return {"seed_median_ms": seed_median, "worst_ms": shapes[worst], "worst_shape": worst}
