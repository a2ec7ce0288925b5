"""The benchmark's results: a table for people, JSON for comparing runs, and the targets."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO

# Issue #8's targets.
MAX_QUERIES = 12
MIN_RATIO = 0.2  # of /healthz throughput, for the pages below
RATIO_PAGES = {"week", "day", "tag", "learner", "entry"}
SEARCH_P95_MS = 150
IMPORT_POSTS_PER_S = 400  # issues 14 and 16: a blog of 300 posts with images, end to end
ENTRY_WEIGHT_BYTES = 60_000


@dataclass
class PageRow:
    name: str
    path: str
    status: str = "ok"  # ok, or why the page was not loaded (missing: not built yet)
    rps: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    requests: int = 0
    errors: int = 0
    queries: int | None = None  # with nothing cached
    cached_queries: int | None = None  # served from the page cache, as under load
    bytes: int = 0
    ratio: float | None = None  # rps / healthz rps


@dataclass
class Results:
    started: str
    machine: dict
    config: dict
    data: dict
    pages: list[PageRow] = field(default_factory=list)
    entry_weight: dict | None = None
    import_speed: dict | None = None
    blog_import_speed: dict | None = None  # a generated blog with images, from its .zip
    export_speed: dict | None = None
    search_p95_ms: float | None = None  # one connection: the wait of one person
    search_p95_saturated_ms: float | None = None  # under the full load of the table
    evening: list[dict] = field(default_factory=list)  # the 22:00 mix, a row per step
    evening_largest: int | None = None  # writers served with page p95 under 300 ms
    targets: dict = field(default_factory=dict)

    def evaluate(self) -> dict:
        """Each target: met (True), missed (False) or not measured (None)."""
        loaded = [p for p in self.pages if p.status == "ok"]
        ratios = [p for p in loaded if p.name in RATIO_PAGES]
        targets = {
            "queries_at_most_12": all(
                p.queries is not None and p.queries <= MAX_QUERIES for p in loaded
            )
            if loaded
            else None,
            "pages_at_least_a_fifth_of_healthz": all(
                p.ratio is not None and p.ratio >= MIN_RATIO for p in ratios
            )
            if ratios
            else None,
            "zero_errors": all(p.errors == 0 for p in loaded) if loaded else None,
            "search_p95_under_150_ms": None
            if self.search_p95_ms is None
            else self.search_p95_ms < SEARCH_P95_MS,
            "blog_import_at_least_400_posts_per_s": None
            if not self.blog_import_speed
            else self.blog_import_speed["posts_per_s"] >= IMPORT_POSTS_PER_S,
            "entry_page_under_60_kb": None
            if not self.entry_weight
            else self.entry_weight["total"] < ENTRY_WEIGHT_BYTES,
            "static_cached_for_a_year": None
            if not self.entry_weight
            else self.entry_weight["assets_cached_for_a_year"],
        }
        self.targets = targets
        return targets

    def to_json(self) -> dict:
        return asdict(self)


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = round(pages / 2**30, 1)
    except (ValueError, OSError):
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": model or platform.processor(),
        "memory_gib": memory,
        "system": platform.platform(),
        "python": platform.python_version(),
    }


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_json(results: Results, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = results.started.replace(":", "").replace("-", "")
    path = directory / f"{stamp}.json"
    path.write_text(json.dumps(results.to_json(), indent=2, ensure_ascii=False) + "\n")
    return path


def _mark(value: bool | None) -> str:
    return "n/a" if value is None else "yes" if value else "NO"


def print_table(results: Results, out: TextIO) -> None:
    m = results.machine
    out.write(
        f"\nCamplog bench · {results.started} · {m['cores']} cores, {m['memory_gib']} GiB, "
        f"{m['cpu']}\n"
    )
    c = results.config
    out.write(
        f"{c['workers']} gunicorn workers · {c['connections']} connections · "
        f"{c['duration']} s a page · {c['tool']} · cache: {c['cache']} · load average "
        f"{c.get('load_average_at_start', '?')} → {c.get('load_average_at_end', '?')}\n"
        "data: "
        + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in results.data.items())
        + "\n\n"
    )
    header = (
        f"{'page':<12} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'queries':>7} {'cached':>6} {'bytes':>8} {'×healthz':>8}  path"
    )
    out.write(header + "\n" + "-" * len(header) + "\n")
    for p in results.pages:
        if p.status != "ok":
            out.write(f"{p.name:<12} {p.status:<66}  {p.path}\n")
            continue
        queries = "-" if p.queries is None else str(p.queries)
        cached = "-" if p.cached_queries is None else str(p.cached_queries)
        ratio = "-" if p.ratio is None else f"{p.ratio:.2f}"
        out.write(
            f"{p.name:<12} {p.rps:>8.1f} {p.p50_ms:>8.1f} {p.p95_ms:>8.1f} {p.p99_ms:>8.1f} "
            f"{p.errors:>7} {queries:>7} {cached:>6} {p.bytes:>8,} {ratio:>8}  {p.path}\n"
        )
    out.write("\n")
    if results.entry_weight:
        w = results.entry_weight
        out.write(
            f"Entry page weight (no math): {w['total']:,} bytes compressed = HTML "
            f"{w['html_compressed']:,} (raw {w['html']:,}) + CSS/JS "
            f"{sum(w['assets'].values()):,}; static cached for a year: "
            f"{_mark(w['assets_cached_for_a_year'])}\n"
        )
    if results.search_p95_ms is not None:
        out.write(
            f"Search p95: {results.search_p95_ms:.1f} ms one request at a time "
            f"({results.search_p95_saturated_ms:.1f} ms under {results.config['connections']} "
            "connections)\n"
        )
    if results.import_speed:
        i = results.import_speed
        out.write(
            f"Import: {i['posts']:,} posts in {i['seconds']:.1f} s = {i['posts_per_s']:.0f} posts/s\n"
        )
    elif results.import_speed is None:
        out.write("Import: not measured (--import-posts 0)\n")
    if results.blog_import_speed:
        b = results.blog_import_speed
        out.write(
            f"Import of a blog (.zip, {b['posts']:,} posts with {b['images']:,} images): "
            f"{b['seconds']:.1f} s = {b['posts_per_s']:.0f} posts/s\n"
        )
    if results.export_speed:
        e = results.export_speed
        out.write(
            f"Export: {e['posts']:,} posts ({e['bytes']:,} bytes zipped) in {e['seconds']:.2f} s "
            f"= {e['posts_per_s']:.0f} posts/s\n"
        )
    elif results.export_speed is None:
        out.write("Export: not measured (--import-posts 0)\n")
    if results.evening:
        out.write("22:00 mix (writers preview every 0.5 s, autosave every 15 s, save a minute):\n")
        for row in results.evening:
            out.write(
                f"  {row['writers']:>4} writing, {row['readers']:>4} reading: page p95 "
                f"{row['page_p95_ms']:.0f} ms, preview p95 {row['preview_p95_ms']:.0f} ms, "
                f"{row['errors']} errors\n"
            )
        out.write(f"  largest N with page p95 under 300 ms: {results.evening_largest}\n")
    out.write("\nTargets (issue #8):\n")
    for name, met in results.targets.items():
        out.write(f"  {_mark(met):<4} {name.replace('_', ' ')}\n")
