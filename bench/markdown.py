"""The Markdown pipeline's own benchmark: the seed log's median and the worst pathological shape.

The shapes (`bench/shapes.py`) each fill the body limit with one construct that made a parser
slow somewhere: long runs, deep nesting, unclosed delimiters, many small elements.
`bench --markdown-only` prints the table; the tests render each shape and check the output
stays bounded.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench.shapes import SHAPES
from logs import markdown


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
