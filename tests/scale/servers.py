"""Real app servers for the scale and fault tests: gunicorn processes, and a small HTTP client
that keeps cookies like a browser (urllib only: nothing to install)."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

from bench.load import Gunicorn, database_url  # noqa: F401 (tests import it from here)

ROOT = Path(__file__).resolve().parents[2]

# Variables of the test process that must not leak into a server's configuration.
_OWN_VARIABLES = {
    "DEBUG",
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "REDIS_URL",
    "CACHE_KEY_PREFIX",
    "FRAGMENT_CACHE_SECONDS",
    "DJANGO_SETTINGS_MODULE",
    "PYTEST_CURRENT_TEST",
    # config/test_settings.py loosens it for the suite; servers run with production's.
    "DATABASE_STATEMENT_TIMEOUT",
}


def redis_answers(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def manage(env: dict, *args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=server_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def server_env(extra: dict) -> dict:
    base = {k: v for k, v in os.environ.items() if k not in _OWN_VARIABLES}
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "CAMPLOG_APP_SERVER": "1",
        **extra,
    }


class AppServer(Gunicorn):
    """The bench's gunicorn launcher with the test settings; `url` is its base URL."""

    def __init__(self, env: dict, log_path: Path, workers: int = 1):
        super().__init__(server_env(env), workers, log_path, timeout=30, access_log=True)
        self.url = self.base


@dataclass
class Response:
    status: int
    text: str
    headers: dict
    elapsed: float


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A browser's cookie jar over urllib. Cookies are per host, not per port, as in a browser:
    two servers on 127.0.0.1 see the same session cookie, like two hosts behind one name."""

    def __init__(self):
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def request(
        self, url: str, data: dict | None = None, timeout: float = 10, headers: dict | None = None
    ) -> Response:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, headers=headers or {})
        start = time.monotonic()
        try:
            with self.opener.open(req, timeout=timeout) as resp:
                status, raw, hdrs = resp.status, resp.read(), dict(resp.headers)
        except urllib.error.HTTPError as err:
            status, raw, hdrs = err.code, err.read(), dict(err.headers)
        return Response(status, raw.decode("utf-8", "replace"), hdrs, time.monotonic() - start)

    def get(self, url: str, timeout: float = 10) -> Response:
        return self.request(url, timeout=timeout)

    def post_form(self, page_url: str, fields: dict, action: str | None = None) -> Response:
        """GET the page, then POST its form with the CSRF token the page carries."""
        page = self.get(page_url)
        assert page.status == 200, page.status
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, "the page has no CSRF token"
        return self.request(action or page_url, {"csrfmiddlewaretoken": token[1], **fields})

    def login(self, base_url: str, username: str, password: str) -> Response:
        response = self.post_form(
            base_url + "/accounts/login/", {"username": username, "password": password}
        )
        assert response.status == 302, response.text[:2000]
        return response

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)
