"""One benchmark run against the database this process points at (already populated)."""

from __future__ import annotations

import logging
import os
import random
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from accounts.models import Cohort, Membership, User
from bench import corpus, evening, load, populate, report
from bench.blog import write_blog_zip
from bench.progress import Progress
from logs.models import Entry
from logs.transfer.exporter import export_entries, write_zip
from logs.transfer.importer import import_bundle
from logs.transfer.sources import SourceBundle, read_sources

VIEWER = populate.username(1)  # bench001: the learner the load is logged in as
PAGE_NAMES = [
    "healthz",
    "home",
    "week",
    "day",
    "tag",
    "learner",
    "entry",
    "search-ko",
    "search-en",
    "feed",
]
SEARCH_KO = "트랜스포머"  # the corpus writes 트랜스포머의: the particle must not hide it
SEARCH_EN = "attention"
WARM_UP_SECONDS = 2
IMPORT_POSTS = 1000


@dataclass
class Options:
    duration: float = 10
    connections: int = 16
    workers: int = 0  # 0: WEB_CONCURRENCY, else 2 × cores + 1
    pages: tuple[str, ...] = tuple(PAGE_NAMES)
    import_posts: int = IMPORT_POSTS
    output_dir: Path = Path("bench-results")
    measure_transfer: bool = True
    evening_seconds: float = 0  # seconds a step of the 22:00 mix; 0 skips it


def pages_to_load(cohort: Cohort, viewer: User) -> dict[str, str]:
    """The pages of the contract (PRODUCT.md), picked from the bench data as a learner sees it:
    a week and a day in the middle of the cohort, a topic tag, a teammate, a teammate's log
    without math (the page-weight target is for those)."""
    calendar = cohort.calendar
    days = list(calendar.learning_days())
    middle = days[len(days) // 2]
    team_id = Membership.objects.get(user=viewer, cohort=cohort).team_id
    teammate = (
        User.objects.filter(memberships__team_id=team_id)
        .exclude(pk=viewer.pk)
        .order_by("username")
        .first()
        or viewer
    )
    entry = (
        Entry.objects.filter(
            author=teammate,
            cohort=cohort,
            kind=Entry.Kind.DAILY,
            visibility__in=["cohort", "public"],
            status=Entry.Status.PUBLISHED,
            has_math=False,
        )
        .order_by("-learning_date")
        .only("pk")
        .first()
    )
    return {
        "healthz": "/healthz",
        "home": f"/c/{cohort.slug}/",
        "week": f"/c/{cohort.slug}/weeks/{calendar.week_of(middle)}/",
        "day": f"/c/{cohort.slug}/days/{middle.isoformat()}/",
        "tag": "/tags/transformer/",
        "learner": f"/u/{teammate.username}/",
        "entry": f"/entries/{entry.pk}/" if entry else "/entries/0/",
        "search-ko": "/search/?q=" + _quote(SEARCH_KO),
        "search-en": "/search/?q=" + SEARCH_EN,
        "feed": f"/feeds/c/{cohort.slug}/",
    }


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


def count_queries(path: str, user: User) -> tuple[int, int, int]:
    """(status, queries, queries from the page cache) of one request by `user` in this process:
    first with nothing cached (the target: at most 12), then as the load test mostly finds it.
    A warm-up request comes first (per-process caches such as content types are warm in a
    running server)."""
    client = Client()
    logging.disable(logging.WARNING)  # axes and django.request would narrate every request
    try:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
            client.get(path)
            django_cache.clear()
            with CaptureQueriesContext(connection) as cold:
                response = client.get(path)
            with CaptureQueriesContext(connection) as warm:
                client.get(path)
    finally:
        logging.disable(logging.NOTSET)
    return response.status_code, len(cold), len(warm)


def run(options: Options, out: TextIO) -> report.Results:
    cohort = Cohort.objects.prefetch_related("non_learning_days", "stages").get(slug=populate.SLUG)
    viewer = User.objects.get(username=VIEWER)
    paths = pages_to_load(cohort, viewer)
    cores = report.machine()["cores"] or 2
    workers = options.workers or int(os.environ.get("WEB_CONCURRENCY") or 2 * cores + 1)
    wrk = load.find_wrk(out)
    results = report.Results(
        started=report.now(),
        machine=report.machine(),
        config={
            "workers": workers,
            "connections": options.connections,
            "duration": options.duration,
            "tool": "wrk" if wrk else "python",
            "cache": "redis" if settings.REDIS_URL else "local memory",
            "fragment_cache_seconds": settings.FRAGMENT_CACHE_SECONDS,
            "database": connection.settings_dict["NAME"],
            # Other work on the machine during the run shows here (1-minute load average).
            "load_average_at_start": round(os.getloadavg()[0], 2),
        },
        data={
            "daily_logs": Entry.objects.filter(cohort=cohort, kind="daily").count(),
            "entries": Entry.objects.filter(cohort=cohort).count(),
            "sessions": cohort.sessions.count(),
            "comments": _comment_count(cohort),
            "learners": cohort.memberships.filter(
                role="learner", user__username__regex=r"^bench[0-9]+$"
            ).count(),
        },
    )

    out.write("Queries per page (one request in this process, logged in as bench001):\n")
    rows: dict[str, report.PageRow] = {}
    for name in options.pages:
        path = paths[name]
        status, queries, cached = count_queries(path, viewer)
        row = report.PageRow(name=name, path=path, queries=queries, cached_queries=cached)
        if status != 200:
            row.status = f"missing: HTTP {status} (not built on this branch yet?)"
        rows[name] = row
        out.write(
            f"  {name:<10} {status} {queries:>3} queries, {cached:>2} from the cache  {path}\n"
        )
    results.pages = list(rows.values())

    database = load.database_url(connection.settings_dict)
    env = load.production_env(database, workers)
    out.write("Collecting static files…\n")
    load.collectstatic(env)
    log_path = Path(options.output_dir) / "gunicorn.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # The server gets its own connections; ours would hold locks nobody needs.
    connection.close()
    with load.Gunicorn(env, workers, log_path) as server:
        server.wait_ready()
        cookie = load.login_cookie(server.base, VIEWER, populate.PASSWORD)
        loaded = [row for row in results.pages if row.status == "ok"]
        healthz = rows.get("healthz")
        again = healthz is not None and healthz.status == "ok" and len(loaded) > 1
        bar = Progress(out, "Loading pages", len(loaded) + again)

        def run(path: str, duration: float) -> load.LoadResult:
            if wrk:
                return load.run_wrk(wrk, server.base, path, cookie, duration, options.connections)
            return load.run_python(server.base, path, cookie, duration, options.connections)

        def measure(row: report.PageRow) -> load.LoadResult:
            # Warm up under the same load first: every worker's connection, templates and its
            # own cached copy of the page (one worker's cold build is not the steady state).
            run(row.path, min(WARM_UP_SECONDS, options.duration))
            result = run(row.path, options.duration)
            bar.advance()
            return result

        for row in loaded:
            measured = measure(row)
            row.rps = measured.rps
            row.p50_ms, row.p95_ms, row.p99_ms = measured.p50_ms, measured.p95_ms, measured.p99_ms
            row.requests, row.errors = measured.requests, measured.errors
            row.bytes = measured.bytes_per_response
        if again:
            # /healthz once more at the end: its mean is the reference, so a machine that got
            # busier (or quieter) during the run does not skew the ratios one way.
            last = measure(healthz)
            results.config["healthz_rps_first_last"] = [round(healthz.rps, 1), round(last.rps, 1)]
            healthz.rps = (healthz.rps + last.rps) / 2
            healthz.requests += last.requests
            healthz.errors += last.errors
            healthz.p95_ms = max(healthz.p95_ms, last.p95_ms)
            healthz.p99_ms = max(healthz.p99_ms, last.p99_ms)
        bar.finish()
        if healthz and healthz.status == "ok" and healthz.rps:
            for row in loaded:
                row.ratio = row.rps / healthz.rps
        searches = [r for r in loaded if r.name.startswith("search")]
        if searches:
            # The table's p95 is under 16 connections on two cores, where every request queues
            # behind the others; the search target is a person's wait, measured with one
            # connection at a time (the slower of the two queries).
            results.search_p95_saturated_ms = max(r.p95_ms for r in searches)
            single = []
            for row in searches:
                if wrk:
                    one = load.run_wrk(wrk, server.base, row.path, cookie, options.duration, 1)
                else:
                    one = load.run_python(server.base, row.path, cookie, options.duration, 1)
                single.append(one.p95_ms)
            results.search_p95_ms = max(single)
        entry = rows.get("entry")
        if options.measure_transfer and entry and entry.status == "ok":
            results.entry_weight = asdict(load.page_weight(server.base, entry.path, cookie))
            results.entry_weight["total"] = results.entry_weight["html_compressed"] + sum(
                results.entry_weight["assets"].values()
            )
        if options.evening_seconds:
            _evening(server.base, cohort, paths, results, options.evening_seconds, out)

    results.config["load_average_at_end"] = round(os.getloadavg()[0], 2)
    if options.import_posts:
        results.import_speed = measure_import(cohort, options.import_posts, out)
        posts = min(options.import_posts, BLOG_POSTS)
        results.blog_import_speed = measure_import(cohort, posts, out, blog=True)
        results.export_speed = measure_export(viewer)
    results.evaluate()
    return results


def _evening(
    base: str, cohort: Cohort, paths: dict, results: report.Results, seconds: float, out: TextIO
) -> None:
    learners = results.data["learners"]
    writers = max(min(max(evening.STEPS), learners - 1), 1)
    out.write(f"22:00 mix: logging in {writers} writers…\n")
    with ThreadPoolExecutor(max_workers=4) as pool:
        cookies = list(
            pool.map(
                lambda n: load.login_cookie(base, populate.username(n), populate.PASSWORD),
                range(1, min(learners, writers + 10) + 1),
            )
        )
    middle = paths["day"].rstrip("/").rsplit("/", 1)[-1]
    steps = evening.run(
        base,
        writer_cookies=cookies[:writers],
        reader_cookies=cookies[writers:] or cookies[:1],
        learners=learners,
        cohort_pk=cohort.pk,
        day=middle,
        paths=[paths[n] for n in ("home", "week", "day", "tag", "learner", "entry", "search-ko")],
        seconds=seconds,
        out=out,
    )
    results.evening = [
        {
            "writers": s.writers,
            "readers": s.readers,
            "page_p95_ms": round(s.page_p95, 1),
            "preview_p95_ms": round(s.preview_p95, 1),
            "pages": len(s.pages),
            "previews": len(s.previews),
            "writes": s.writes,
            "errors": s.errors,
        }
        for s in steps
    ]
    results.evening_largest = evening.largest_under_target(steps)


def _comment_count(cohort: Cohort) -> int:
    from logs.models import Comment

    return (
        Comment.objects.filter(entry__cohort=cohort).count()
        + Comment.objects.filter(session__cohort=cohort).count()
    )


def generated_posts(count: int, cohort: Cohort) -> list:
    """`count` distinct Jekyll posts in the seed's shape, as the importer reads them."""
    from logs.transfer.sources import SourceFile

    rng = random.Random(5)
    days = list(cohort.calendar.learning_days())
    posts = []
    for number in range(count):
        day = days[number % len(days)]
        body = corpus.daily_body(rng, math=number % 3 == 0)
        tags = ", ".join([corpus.COHORT_TAG, *corpus.topic_tags(rng)])
        front = (
            f'---\ntitle: "[노트] {number:04d} 스터디 정리"\n'
            f"date: {day.isoformat()} 22:{number % 60:02d}:00 +0900\n"
            f"categories: [{cohort.name}, Notes]\ntags: [{tags}]\n---\n"
        )
        name = f"{day.isoformat()}-bench-note-{number:04d}.md"
        posts.append(SourceFile(name=name, data=(front + body).encode()))
    return posts


def _importer(cohort: Cohort) -> User:
    user, _ = User.objects.get_or_create(
        username="bench-importer",
        defaults={"display_name": "가져오기", "email": "bench-importer@bench.local"},
    )
    Membership.objects.get_or_create(user=user, cohort=cohort, defaults={"role": "learner"})
    return user


BLOG_POSTS = 300
BLOG_IMAGES = 2  # a post


def measure_import(cohort: Cohort, count: int, out: TextIO, *, blog: bool = False) -> dict:
    """Posts per second through the importer (`import_bundle`), `count` posts of 2–6 KB each;
    with `blog`, end to end from a generated blog's .zip (`bench.blog`: each post shows its
    own images), read as `import_jekyll` reads it. The imported entries go again afterwards."""
    author = _importer(cohort)
    Entry.objects.filter(author=author).delete()
    with tempfile.TemporaryDirectory() as folder:
        if blog:
            archive = Path(folder) / "blog.zip"
            start = cohort.start_date
            write_blog_zip(archive, posts=count, images=count * BLOG_IMAGES, start=start)
        bar = Progress(out, "Importing a blog" if blog else "Importing posts", count)
        started = time.perf_counter()
        source = (
            read_sources([archive]) if blog else SourceBundle(posts=generated_posts(count, cohort))
        )
        with source:
            report_ = import_bundle(
                source, author=author, cohort=cohort, progress=lambda r: bar.advance()
            )
        seconds = time.perf_counter() - started
    bar.finish()
    created = report_.counts.get("created", 0)
    with transaction.atomic():
        Entry.objects.filter(author=author).delete()
    return {
        "posts": count,
        "images": count * BLOG_IMAGES if blog else 0,
        "created": created,
        "failed": report_.failed,
        "seconds": seconds,
        "posts_per_s": count / seconds if seconds else 0.0,
    }


def measure_export(author: User) -> dict:
    started = time.perf_counter()
    export = export_entries(author, with_sessions=True)
    archive = write_zip(export)
    seconds = time.perf_counter() - started
    return {
        "posts": export.posts,
        "bytes": len(archive.getvalue()),
        "seconds": seconds,
        "posts_per_s": export.posts / seconds if seconds else 0.0,
    }
