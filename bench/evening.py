"""The 22:00 mix: N learners write while the rest of the cohort browses.

At 22:00 a cohort writes its daily logs. A writer does what the editor does while a person types:
a preview every 0.5 s (`/markdownx/markdownify/`, the body growing a sentence at a time), an
autosave every 15 s (`/drafts/save/`) and a save once a minute (a new note on a day the readers
look at, so every save invalidates the pages they load, as in production). Every other learner
browses: a page of the contract (home, week, day, tag, learner, entry, search) every few
seconds. For N = 10, 25, 50, … the mix runs for a while and the readers' page latencies give a
p95; the answer is the largest N whose page p95 stays under `TARGET_MS`.

The load comes from threads of this process, on the same machine as the server: on two cores
the client's own work is part of what the numbers show, the same for every run.
"""

from __future__ import annotations

import random
import re
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TextIO

from bench import load

TARGET_MS = 300
PREVIEW_EVERY = 0.5
AUTOSAVE_EVERY = 15.0
SAVE_EVERY = 60.0
READ_EVERY = 4.0  # a reader's mean pause between pages (exponential)
STEPS = (10, 25, 50, 75, 100, 150, 200, 250)
SENTENCE = "오늘은 어텐션의 $\\sqrt{d_k}$ 스케일링을 다시 정리했다. **핵심**은 분산을 맞추는 것. "


@dataclass
class Step:
    writers: int
    readers: int
    seconds: float
    pages: list[float] = field(default_factory=list)  # ms, the readers' pages
    previews: list[float] = field(default_factory=list)  # ms
    writes: int = 0
    errors: int = 0

    def p95(self, values: list[float]) -> float:
        if not values:
            return 0.0
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]

    @property
    def page_p95(self) -> float:
        return self.p95(self.pages)

    @property
    def preview_p95(self) -> float:
        return self.p95(self.previews)


@dataclass
class Writer:
    cookie: str
    csrf: str
    cohort_pk: int
    day: str
    device: str = field(default_factory=lambda: secrets.token_urlsafe(12))


def _csrf(cookie: str) -> str:
    return re.search(r"csrftoken=([^;]+)", cookie)[1]


def _post(base: str, path: str, writer: Writer, data: dict) -> load.Fetched:
    return load.fetch(
        base,
        path,
        method="POST",
        cookie=writer.cookie,
        data=data,
        headers={"X-CSRFToken": writer.csrf, "Referer": base + "/"},
    )


def _write(base: str, writer: Writer, step: Step, lock: threading.Lock, until: float) -> None:
    body = "## 📝 오늘 한 일\n- [x] 강의 수강\n\n"
    # Writers start at random points of their minute; each autosaves and saves in every step.
    left = 0.8 * (until - time.monotonic())
    next_autosave = time.monotonic() + random.uniform(0, min(AUTOSAVE_EVERY, left))
    next_save = time.monotonic() + random.uniform(0, min(SAVE_EVERY, left))
    while (now := time.monotonic()) < until:
        body += SENTENCE
        started = time.monotonic()
        answer = _post(base, "/markdownx/markdownify/", writer, {"content": body})
        took = (time.monotonic() - started) * 1000
        with lock:
            step.previews.append(took)
            step.errors += answer.status != 200
        if now >= next_autosave:
            next_autosave += AUTOSAVE_EVERY
            key = f"new:{writer.cohort_pk}:note:{writer.day}"
            data = {"autosave_key": key, "draft_device": writer.device, "body": body}
            answer = _post(base, "/drafts/save/", writer, data)
            with lock:
                step.writes += 1
                step.errors += answer.status != 200
        if now >= next_save:
            next_save += SAVE_EVERY
            path = f"/entries/new/?kind=note&date={writer.day}&cohort=bench"
            data = {
                "learning_date": writer.day,
                "title": "밤 10시의 노트",
                "body": body,
                "visibility": "cohort",
                "status": "published",
                "tags": "bench",
            }
            answer = _post(base, path, writer, data)
            with lock:
                step.writes += 1
                step.errors += answer.status not in (200, 302)
            body = "## 📝 오늘 한 일\n\n"
        time.sleep(max(0.0, PREVIEW_EVERY - (time.monotonic() - started)))


def _read(
    base: str, cookie: str, paths: list[str], step: Step, lock: threading.Lock, until: float
) -> None:
    time.sleep(random.uniform(0, READ_EVERY))
    while time.monotonic() < until:
        started = time.monotonic()
        answer = load.fetch(base, random.choice(paths), cookie=cookie)
        took = (time.monotonic() - started) * 1000
        with lock:
            step.pages.append(took)
            step.errors += answer.status != 200
        time.sleep(random.expovariate(1 / READ_EVERY))


def run(
    base: str,
    *,
    writer_cookies: list[str],
    reader_cookies: list[str],
    learners: int,
    cohort_pk: int,
    day: str,
    paths: list[str],
    seconds: float,
    out: TextIO,
) -> list[Step]:
    """Each step of `STEPS` up to the learners there are: N writers, the rest reading (a tiny
    cohort gets one step, half of it writing)."""
    steps = []
    sizes = [n for n in STEPS if n <= min(len(writer_cookies), learners - 1)]
    for writers in sizes or [max(1, learners // 2)]:
        step = Step(writers=writers, readers=learners - writers, seconds=seconds)
        lock = threading.Lock()
        until = time.monotonic() + seconds
        team = [Writer(c, _csrf(c), cohort_pk, day) for c in writer_cookies[:writers]]
        with ThreadPoolExecutor(max_workers=writers + step.readers) as pool:
            for writer in team:
                pool.submit(_write, base, writer, step, lock, until)
            for n in range(step.readers):
                cookie = reader_cookies[n % len(reader_cookies)]
                pool.submit(_read, base, cookie, paths, step, lock, until)
        steps.append(step)
        out.write(
            f"  {writers:>4} writing, {step.readers:>4} reading: page p95 "
            f"{step.page_p95:7.0f} ms ({len(step.pages)} pages), preview p95 "
            f"{step.preview_p95:7.0f} ms ({len(step.previews)}), {step.writes} writes, "
            f"{step.errors} errors\n"
        )
        if step.page_p95 >= TARGET_MS:
            break
    return steps


def largest_under_target(steps: list[Step]) -> int:
    return max((s.writers for s in steps if s.page_p95 < TARGET_MS), default=0)
