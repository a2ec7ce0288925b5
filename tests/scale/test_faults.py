"""Faults survived: two writers on one entry never lose an update, and an import killed half-way
leaves no half entry.

The writers are real: two threads, each with its own browser-like client and its own database
connection, released at the same moment. The import is a real `import_jekyll` process, killed
with SIGKILL while it writes.
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from logs.models import Autosave, Entry
from logs.transfer.sources import read_sources, source_key
from tests import factories
from tests.scale.servers import ROOT, database_url, server_env


def _edit(entry: Entry, title: str, body: str, version: int) -> dict:
    return {
        "learning_date": entry.learning_date.isoformat(),
        "title": title,
        "body": body,
        "tags": "",
        "visibility": entry.visibility,
        "status": entry.status,
        "version": version,
    }


def _race(*calls):
    """Run the calls in threads released together; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_tabs_saving_the_same_entry_at_once_lose_nothing(learner, cohort):
    entry = factories.make_entry(learner, cohort, body="처음\n")
    url = reverse("logs:entry_edit", args=[entry.pk])
    tabs = [Client(), Client()]
    for tab in tabs:
        tab.force_login(learner)
    for _round in range(5):
        entry.refresh_from_db()
        version = entry.version
        first, second = _race(
            lambda v=version: tabs[0].post(url, _edit(entry, "탭 A", "A의 글\n", v)),
            lambda v=version: tabs[1].post(url, _edit(entry, "탭 B", "B의 글\n", v)),
        )
        statuses = sorted([first.status_code, second.status_code])
        # One save wins; the other gets the conflict page, its text shown and kept.
        assert statuses == [302, 409], statuses
        loser, loser_text = (second, "B의 글") if first.status_code == 302 else (first, "A의 글")
        assert loser_text in loser.content.decode()
        entry.refresh_from_db()
        assert entry.version == version + 1
        winner_text = "A의 글" if loser_text == "B의 글" else "B의 글"
        assert entry.body.strip() == winner_text
        draft = Autosave.objects.get(author=learner, key=f"entry:{entry.pk}")
        assert draft.data["body"].strip() == loser_text
        draft.delete()


@pytest.mark.django_db(transaction=True)
def test_a_task_ticked_while_the_editor_saves_is_not_overwritten(learner, cohort):
    """The page's checkbox and the editor are two writers on one entry too."""
    entry = factories.make_entry(learner, cohort, body="- [ ] 과제\n- [ ] 복습\n")
    page, editor = Client(), Client()
    page.force_login(learner)
    editor.force_login(learner)
    tick, save = _race(
        lambda: page.post(
            reverse("logs:entry_toggle_task", args=[entry.pk]),
            {"index": 0, "checked": 1, "version": 1},
        ),
        lambda: editor.post(
            reverse("logs:entry_edit", args=[entry.pk]),
            _edit(entry, entry.title, "- [ ] 과제\n- [ ] 복습\n- [ ] 추가\n", 1),
        ),
    )
    entry.refresh_from_db()
    assert entry.version == 2
    if tick.status_code == 200:
        assert save.status_code == 409
        assert entry.body.startswith("- [x] 과제")
    else:
        assert tick.status_code == 409
        assert save.status_code == 302
        assert "추가" in entry.body


def _session_edit(session, host, summary: str, version: int) -> dict:
    data = {
        "kind": session.kind,
        "date": session.date.isoformat(),
        "title": session.title,
        "host": str(host.pk),
        "attendees": [str(host.pk)],
        "summary": summary,
        "tags": "attention",
        "version": str(version),
    }
    for prefix in ("problems", "questions"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


@pytest.mark.django_db(transaction=True)
def test_two_members_saving_the_teams_session_at_once_lose_nothing(learner, teammate, team):
    session = factories.make_session(team, summary="처음\n")
    url = reverse("logs:session_edit", args=[session.pk])
    a, b = Client(), Client()
    a.force_login(learner)
    b.force_login(teammate)
    for _round in range(3):
        session.refresh_from_db()
        version = session.version
        first, second = _race(
            lambda v=version: a.post(url, _session_edit(session, learner, "A의 요약", v)),
            lambda v=version: b.post(url, _session_edit(session, teammate, "B의 요약", v)),
        )
        statuses = sorted([first.status_code, second.status_code])
        assert statuses == [302, 409], statuses
        loser, text = (second, "B의 요약") if first.status_code == 302 else (first, "A의 요약")
        assert text in loser.content.decode()  # the loser's text is on the conflict page
        session.refresh_from_db()
        assert session.version == version + 1
        assert session.summary.strip() == ("A의 요약" if text == "B의 요약" else "B의 요약")


# --- An import killed half-way ------------------------------------------------------------------

POSTS = 1500


def _big_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(POSTS):
            date = (dt.date(2022, 1, 17) + dt.timedelta(days=n % 100)).isoformat()
            text = (
                "---\n"
                f"title: 논문 리뷰 {n:04d}\n"
                f"date: {date} 21:00:00 +0900\n"
                f"tags: [kill-test, n{n:04d}]\n"
                "---\n\n"
                f"## 요약 {n}\n\n" + "트랜스포머의 어텐션을 정리했다. $c_0$\n\n" * 20
            )
            archive.writestr(f"_posts/{date}-paper-{n:04d}.md", text)
    return path


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_import_killed_half_way_leaves_only_whole_entries(learner, cohort, tmp_path):
    archive = _big_zip(tmp_path / "blog.zip")
    env = server_env({"DATABASE_URL": database_url(connection.settings_dict)})
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "import_jekyll",
            str(archive),
            "--cohort",
            cohort.slug,
            "--author",
            learner.username,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while Entry.objects.filter(author=learner).count() < 40:
            assert process.poll() is None, process.stderr.read().decode()[-3000:]
            assert time.monotonic() < deadline, "the import wrote nothing in two minutes"
            time.sleep(0.02)
        os.killpg(process.pid, signal.SIGKILL)  # only the import this test started
        process.wait(10)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        process.stderr.close()
    # Postgres rolls the killed connection's open transaction back once it notices it is gone.
    connection.close()
    time.sleep(0.5)

    entries = list(Entry.objects.filter(author=learner).prefetch_related("tags"))
    assert 40 <= len(entries) < POSTS, "the import must have been stopped part of the way"
    for entry in entries:
        assert entry.title.startswith("논문 리뷰"), entry.pk
        assert "어텐션" in entry.body and "어텐션" in entry.body_html, entry.title
        assert entry.excerpt and entry.has_math and entry.week >= 1, entry.title
        number = entry.title.rsplit(" ", 1)[1]
        assert {tag.name for tag in entry.tags.all()} == {"kill-test", f"n{number}"}, entry.title
    # What was written is exactly the first N files of the import's order: nothing skipped.
    order = sorted(source_key(post.name) for post in read_sources([archive]).posts)
    assert sorted(e.source_name for e in entries) == order[: len(entries)]

    # Run again, it finishes the job: the files already in are unchanged, the rest created.
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "import_jekyll",
            str(archive),
            "--cohort",
            cohort.slug,
            "--author",
            learner.username,
            "-v",
            "0",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert Entry.objects.filter(author=learner).count() == POSTS
