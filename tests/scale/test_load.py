"""Under load: 32 connections for 60 seconds of mixed reading and writing against gunicorn.

Twelve logged-in learners write (autosaves, edits of their daily log, new notes) while ten
anonymous visitors and ten logged-in learners browse. Afterwards: not one 5xx or dropped request,
and every write the server acknowledged is in the database, exactly (notes counted, the daily
log at the version and text of its last acknowledged edit, the autosave at its last text).

The server runs with the test settings, which are the production settings (DEBUG off, WhiteNoise,
secure headers) except that cookies may travel over plain HTTP and passwords hash fast.
"""

import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.db import connection

from logs.models import Autosave, Entry
from tests import factories
from tests.scale.servers import AppServer, Client, database_url

pytestmark = pytest.mark.slow

SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
WRITERS, ANONYMOUS_READERS, MEMBER_READERS = 12, 10, 10
NOTE_DATE = "2022-02-10"


@dataclass
class Tally:
    statuses: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, who: str, what: str, status: int | None, expected: tuple[int, ...]):
        with self.lock:
            self.statuses[status] += 1
            if status not in expected:
                self.errors.append(f"{who} {what}: {status}")


@dataclass
class Writer:
    username: str
    daily_pk: int
    version: int = 1
    last_edit: str | None = None
    notes: int = 0
    last_autosave: str | None = None


def _token(client: Client) -> str:
    return client.cookie("csrftoken") or ""


def _request(tally: Tally, who: str, what: str, call, expected: tuple[int, ...]):
    try:
        response = call()
    except OSError as error:  # a refused or timed-out connection is a failure too
        tally.record(who, what, None, expected)
        tally.errors.append(f"{who} {what}: {error!r}")
        return None
    tally.record(who, what, response.status, expected)
    return response


def _write(base: str, writer: Writer, cohort, deadline: float, tally: Tally) -> None:
    client = Client()
    client.login(base, writer.username, factories.PASSWORD)
    client.get(base + "/write/")  # the CSRF cookie
    n = 0
    while time.monotonic() < deadline:
        n += 1
        step = n % 3
        if step == 0:
            body = f"{writer.username} autosave {n}"
            response = _request(
                tally,
                writer.username,
                "autosave",
                lambda body=body: client.request(
                    base + "/drafts/save/",
                    {
                        "csrfmiddlewaretoken": _token(client),
                        "autosave_key": f"new:{cohort.pk}:weekly:2022-02-14",
                        "title": "",
                        "body": body,
                    },
                    timeout=30,
                ),
                (200,),
            )
            if response is not None and response.status == 200:
                writer.last_autosave = body
        elif step == 1:
            body = f"## 오늘 한 일\n- [x] {writer.username} edit {n}\n"
            response = _request(
                tally,
                writer.username,
                "edit",
                lambda body=body: client.request(
                    f"{base}/entries/{writer.daily_pk}/edit/",
                    {
                        "csrfmiddlewaretoken": _token(client),
                        "learning_date": "2022-02-09",
                        "title": "",
                        "body": body,
                        "tags": "부하테스트",
                        "visibility": "cohort",
                        "status": "published",
                        "version": writer.version,
                    },
                    timeout=30,
                ),
                (302,),
            )
            if response is not None and response.status == 302:
                writer.version += 1
                writer.last_edit = body
        else:
            response = _request(
                tally,
                writer.username,
                "note",
                lambda n=n: client.request(
                    f"{base}/entries/new/?kind=note&date={NOTE_DATE}&cohort={cohort.slug}",
                    {
                        "csrfmiddlewaretoken": _token(client),
                        "learning_date": NOTE_DATE,
                        "title": f"{writer.username} 노트 {n}",
                        "body": "트랜스포머의 어텐션 $c_0$\n",
                        "tags": "부하테스트, 노트",
                        "visibility": "cohort",
                        "status": "published",
                    },
                    timeout=30,
                ),
                (302,),
            )
            if response is not None and response.status == 302:
                writer.notes += 1


def _read(base: str, who: str, paths: list[str], login: str | None, deadline, tally) -> None:
    client = Client()
    if login:
        client.login(base, login, factories.PASSWORD)
    n = 0
    while time.monotonic() < deadline:
        path = paths[n % len(paths)]
        n += 1
        _request(
            tally, who, path, lambda path=path: client.get(base + path, timeout=30), (200, 302)
        )


@pytest.mark.django_db(transaction=True)
def test_32_connections_for_a_minute_no_5xx_and_every_write_kept(
    cohort, team, learner, teammate, tmp_path
):
    writers = []
    for i in range(WRITERS):
        user = factories.make_user(f"writer{i:02d}")
        factories.join(user, cohort, "learner", team)
        daily = factories.make_entry(user, cohort)
        writers.append(Writer(user.username, daily.pk))
    readers = []
    for i in range(MEMBER_READERS):
        user = factories.make_user(f"reader{i:02d}")
        factories.join(user, cohort, "learner", team)
        readers.append(user.username)
    public = factories.make_entry(learner, cohort, visibility="public", body="# 공개\n$$x^2$$\n")
    shared = factories.make_entry(teammate, cohort, body="- [ ] 팀 글\n")

    server = AppServer(
        {"DATABASE_URL": database_url(connection.settings_dict)},
        tmp_path / "gunicorn.log",
        workers=4,
    )
    try:
        server.wait_ready()
        tally = Tally()
        deadline = time.monotonic() + SECONDS
        anonymous = ["/", f"/entries/{public.pk}/", "/accounts/login/", "/healthz"]
        members = ["/", f"/entries/{shared.pk}/", f"/entries/{public.pk}/", "/write/"]
        threads = [
            threading.Thread(target=_write, args=(server.url, w, cohort, deadline, tally))
            for w in writers
        ]
        threads += [
            threading.Thread(
                target=_read, args=(server.url, f"anon{i}", anonymous, None, deadline, tally)
            )
            for i in range(ANONYMOUS_READERS)
        ]
        threads += [
            threading.Thread(target=_read, args=(server.url, name, members, name, deadline, tally))
            for name in readers
        ]
        assert len(threads) == 32
        for t in threads:
            t.start()
        for t in threads:
            t.join(SECONDS + 120)
        assert not any(t.is_alive() for t in threads), "a client hung"
    finally:
        server.stop()
        connection.close()

    assert not tally.errors, f"{len(tally.errors)} failures, e.g. {tally.errors[:20]}"
    assert not [s for s in tally.statuses if s and s >= 500]
    total = sum(tally.statuses.values())
    assert total >= 32 * 5, tally.statuses  # every connection made requests, not one or two

    for writer in writers:
        notes = Entry.objects.filter(author__username=writer.username, kind="note")
        assert notes.count() == writer.notes, writer
        assert all(n.body_html and n.tags.count() == 2 for n in notes)
        daily = Entry.objects.get(pk=writer.daily_pk)
        assert daily.version == writer.version, writer
        if writer.last_edit:
            assert daily.body == writer.last_edit
        draft = Autosave.objects.filter(
            author__username=writer.username, key__startswith="new:", saved=False
        ).first()
        if writer.last_autosave:
            assert draft is not None and draft.data["body"] == writer.last_autosave
    print(f"\n{total} requests in {SECONDS:.0f} s: {dict(tally.statuses)}")
