"""Postgres goes away while the app serves, then comes back.

A throwaway embedded Postgres (config/embedded_db.py) under a temporary folder, gunicorn in
front of it: stop the database and every page answers a friendly 503 fast, /healthz says 503;
start it again and the same gunicorn serves 200s, without a restart.

A frozen server is worse than a stopped one: its sockets stay open and the kernel acknowledges
every byte, so nothing tells the app that no answer will come. SIGSTOP on the postmaster and its
backends makes one; the pages must still answer 503 within three seconds, and serve again once
the server is thawed (SIGCONT).
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.scale.servers import ROOT, AppServer, Client, manage

pytestmark = pytest.mark.slow

PASSWORD = "outage-test-pw-7"
FRIENDLY_503 = "잠시 후 다시 시도해 주세요"
LOGGED_IN = 'action="/accounts/logout/"'


def _embedded(action: str, data_dir: Path) -> str:
    """Start (url) or stop the embedded server from a fresh process, as `make` would: the
    library remembers servers per process, so one process cannot stop and restart the same one."""
    script = (
        "import sys; from pathlib import Path; from config import embedded_db; "
        f"r = embedded_db.{action}(Path(sys.argv[1])); print(r or '')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(data_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def database(tmp_path):
    # A short path: the server's Unix socket lives in the data folder, and socket paths are
    # limited to about 100 bytes.
    folder = Path(tempfile.mkdtemp(prefix="cl-outage-"))
    data_dir = folder / "pg"
    url = _embedded("url", data_dir)
    try:
        yield data_dir, url
    finally:
        _embedded("stop", data_dir)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def server(database, tmp_path):
    _, url = database
    env = {"DATABASE_URL": url}
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(
        env,
        "shell",
        "-c",
        "from accounts.models import User; "
        f"User.objects.create_user('learner', password='{PASSWORD}', display_name='이캠퍼')",
    )
    app = AppServer(env, tmp_path / "gunicorn.log", workers=2)
    try:
        app.wait_ready()
        yield app
    finally:
        app.stop()


def _wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


def test_pages_answer_503_while_postgres_is_down_and_recover_when_it_is_back(database, server):
    data_dir, _ = database
    browser = Client()
    browser.login(server.url, "learner", PASSWORD)
    assert LOGGED_IN in browser.get(server.url + "/").text

    _embedded("stop", data_dir)

    # Several requests each, so both workers (and their broken pooled connections) answer.
    for _ in range(4):
        page = browser.get(server.url + "/", timeout=5)
        assert page.status == 503, server.log()
        assert page.elapsed < 1.5, f"{page.elapsed:.2f} s"
        assert FRIENDLY_503 in page.text
        assert "Please try again in a moment" in page.text
        assert "Traceback" not in page.text
        assert page.headers.get("Retry-After") == "10"
        assert "'unsafe-inline'" not in page.headers["Content-Security-Policy"]
        assert page.headers["X-Frame-Options"] == "DENY"

        profile = browser.get(server.url + "/accounts/profile/", timeout=5)
        assert profile.status == 503
        assert profile.elapsed < 1.5, f"{profile.elapsed:.2f} s"

        health = browser.get(server.url + "/healthz", timeout=5)
        assert health.status == 503
        assert health.elapsed < 1.5, f"{health.elapsed:.2f} s"

    _embedded("url", data_dir)

    # Same gunicorn, no restart: the workers reconnect on their own.
    assert _wait_for(lambda: browser.get(server.url + "/healthz").status == 200, 30), server.log()
    for _ in range(4):
        page = browser.get(server.url + "/")
        assert page.status == 200, server.log()
        # Still logged in: the session survived in Postgres.
        assert LOGGED_IN in page.text
    assert server.process.poll() is None


# --- A frozen server ---------------------------------------------------------------------------


def _server_processes(data_dir: Path) -> list[int]:
    """The postmaster (from its pid file) and its children, the backends: this test's server only."""
    postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == postmaster:
            children.append(int(stat.parent.name))
    return [postmaster, *children]


def _signal(pids: list[int], signum: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


FROZEN_503_SECONDS = 3.0


def test_pages_answer_503_within_seconds_while_postgres_is_frozen_and_recover_after(
    database, server
):
    data_dir, _ = database
    browser = Client()
    browser.login(server.url, "learner", PASSWORD)
    # Several pages, so both workers hold a pooled connection to a backend that will freeze.
    for _ in range(4):
        assert LOGGED_IN in browser.get(server.url + "/").text

    frozen = _server_processes(data_dir)
    assert len(frozen) > 1, "the backends of the pooled connections"
    _signal(frozen, signal.SIGSTOP)
    try:
        for _ in range(3):
            for path in ("/", "/accounts/profile/", "/healthz"):
                page = browser.get(server.url + path, timeout=10)
                assert page.status == 503, (path, page.status, server.log()[-3000:])
                assert page.elapsed < FROZEN_503_SECONDS, f"{path}: {page.elapsed:.2f} s"
            assert FRIENDLY_503 in browser.get(server.url + "/", timeout=10).text
    finally:
        _signal(frozen, signal.SIGCONT)

    # Same gunicorn, no restart: the workers dropped the frozen connections and reconnect.
    assert _wait_for(lambda: browser.get(server.url + "/healthz").status == 200, 30), server.log()
    for _ in range(4):
        page = browser.get(server.url + "/")
        assert page.status == 200, server.log()
        assert LOGGED_IN in page.text
    assert server.process.poll() is None
