"""Serve the app as in production and load it: gunicorn + wrk (or a small Python load tool).

The server is the production configuration: DEBUG off, a random SECRET_KEY, ALLOWED_HOSTS
127.0.0.1, static files collected and served by WhiteNoise, `WEB_CONCURRENCY` sync workers. The
load comes from a second process (`wrk`, 16 connections, 10 s a page by default) logged in as a
learner with a session cookie obtained through the login form, like a browser.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# The server's environment: ours minus what would turn it into a development server.
_NOT_INHERITED = {"DEBUG", "DJANGO_SETTINGS_MODULE", "PYTEST_CURRENT_TEST", "DATABASE_URL"}

# wrk's Lua hooks: count non-200 answers per thread and print one JSON line at the end.
WRK_SCRIPT = r"""
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  bad = 0
end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local not_ok = 0
  for _, t in ipairs(threads) do not_ok = not_ok + (t:get("bad") or 0) end
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "socket_errors": %d, ' ..
    '"timeouts": %d, "not_ok": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect + e.read + e.write, e.timeout, not_ok,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


@dataclass
class LoadResult:
    requests: int
    seconds: float
    bytes: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    tool: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def bytes_per_response(self) -> int:
        return round(self.bytes / self.requests) if self.requests else 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for a connection's settings (the host may be a socket directory)."""
    quote = urllib.parse.quote
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}@" if password else f"{user}@"
    host = quote(settings_dict.get("HOST") or "", safe="")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


def production_env(database: str, workers: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    env.update(
        DATABASE_URL=database,
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1",
        WEB_CONCURRENCY=str(workers),
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
    )
    return env


def collectstatic(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


class Gunicorn:
    """`gunicorn config.wsgi` on a free loopback port, in its own process group."""

    def __init__(
        self,
        env: dict[str, str],
        workers: int,
        log_path: Path,
        *,
        timeout: int = 60,
        access_log: bool = False,
    ):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "w")  # noqa: SIM115  (closed in stop())
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                str(timeout),
                *(["--access-logfile", "-"] if access_log else []),
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log()}")
            try:
                if fetch(self.base, "/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz in {timeout:.0f} s:\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-5000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # only the group this object started
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        self._log.close()

    def __enter__(self) -> Gunicorn:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# HTTP ----------------------------------------------------------------------------------------


@dataclass
class Fetched:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    set_cookies: dict[str, str] = field(default_factory=dict)


def fetch(
    base: str,
    path: str,
    *,
    method: str = "GET",
    cookie: str = "",
    data: dict | None = None,
    headers: dict | None = None,
) -> Fetched:
    parsed = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    try:
        all_headers = {"Host": f"{parsed.hostname}:{parsed.port}", **(headers or {})}
        if cookie:
            all_headers["Cookie"] = cookie
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        raw = response.read()
        cookies = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
        return Fetched(response.status, response.headers, raw, cookies)
    finally:
        conn.close()


def login_cookie(base: str, username: str, password: str) -> str:
    """Log in through the form, as a browser would, and return the Cookie header to send.

    The production cookies are Secure, so a cookie jar would not send them over plain HTTP to
    127.0.0.1; the header is built by hand instead."""
    page = fetch(base, "/accounts/login/")
    if page.status != 200:
        raise RuntimeError(f"GET /accounts/login/ answered {page.status}")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    csrf = page.set_cookies.get("csrftoken")
    if not token or not csrf:
        raise RuntimeError("the login page has no CSRF token")
    answer = fetch(
        base,
        "/accounts/login/",
        method="POST",
        cookie=f"csrftoken={csrf}",
        data={"csrfmiddlewaretoken": token[1].decode(), "username": username, "password": password},
        headers={"Referer": base + "/accounts/login/"},
    )
    session = answer.set_cookies.get("sessionid")
    if answer.status != 302 or not session:
        raise RuntimeError(f"logging in as {username} failed ({answer.status})")
    return f"csrftoken={csrf}; sessionid={session}"


# Load tools ----------------------------------------------------------------------------------


def find_wrk(out: TextIO) -> str | None:
    """wrk from PATH (`make bench` installs it from Debian's packages), or None: the small
    Python load tool then does the loading."""
    found = shutil.which("wrk")
    if found is None:
        out.write("wrk is not installed (apt-get install wrk): loading with the Python tool\n")
    return found


def run_wrk(
    wrk: str, base: str, path: str, cookie: str, duration: float, connections: int
) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        command = [
            wrk,
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{max(1, round(duration))}s",
            "--timeout",
            "10s",
            "-s",
            script.name,
            "-H",
            f"Cookie: {cookie}",
            base + path,
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    finally:
        os.unlink(script.name)
    line = next((x for x in result.stdout.splitlines() if x.startswith("BENCH-JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{result.stdout}\n{result.stderr}")
    data = json.loads(line.removeprefix("BENCH-JSON "))
    errors = data["not_ok"] + data["socket_errors"] + data["timeouts"]
    if data["requests"] == 0:
        # Nothing answered within the run: every connection's request counts as failed (wrk
        # itself reports no timeout for requests still in flight when it stops).
        errors = max(errors, connections)
    return LoadResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        bytes=data["bytes"],
        errors=errors,
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        tool="wrk",
    )


def run_python(base: str, path: str, cookie: str, duration: float, connections: int) -> LoadResult:
    """The fallback when wrk cannot be had: one keep-alive connection per thread. Slower than
    wrk at generating load, so it understates the fastest pages (such as /healthz)."""
    parsed = urllib.parse.urlsplit(base)
    latencies: list[float] = []
    totals = {"requests": 0, "bytes": 0, "errors": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def worker() -> None:
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
        mine, count, size, errors = [], 0, 0, 0
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                body = response.read()
                size += len(body) + 200
                errors += response.status != 200
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
            mine.append(time.perf_counter() - start)
            count += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            totals["requests"] += count
            totals["bytes"] += size
            totals["errors"] += errors

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    latencies.sort()

    def percentile(p: float) -> float:
        if not latencies:
            return 0.0
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    return LoadResult(
        requests=totals["requests"],
        seconds=seconds,
        bytes=totals["bytes"],
        errors=totals["errors"],
        p50_ms=percentile(50),
        p95_ms=percentile(95),
        p99_ms=percentile(99),
        tool="python",
    )


# Page weight ---------------------------------------------------------------------------------

_ASSET = re.compile(
    rb'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="(?P<url>/static/[^"]+)"'
)


@dataclass
class PageWeight:
    html: int  # bytes as sent
    html_compressed: int  # gzip -6, what any proxy or CDN in front would send
    assets: dict[str, int]  # static path -> bytes sent compressed by WhiteNoise
    assets_cached_for_a_year: bool

    @property
    def total(self) -> int:
        return self.html_compressed + sum(self.assets.values())


def page_weight(base: str, path: str, cookie: str) -> PageWeight:
    """What a first visit to `path` transfers: the HTML and every stylesheet and script it
    loads, compressed. Images are not counted (an entry without pictures has none)."""
    page = fetch(base, path, cookie=cookie)
    assets: dict[str, int] = {}
    cached = True
    for match in _ASSET.finditer(page.body):
        url = match["url"].decode()
        asset = fetch(base, url, headers={"Accept-Encoding": "br, gzip"})
        assets[url] = len(asset.body)
        control = asset.headers.get("Cache-Control", "")
        age = re.search(r"max-age=(\d+)", control)
        cached = cached and bool(age) and int(age[1]) >= 31_536_000
    return PageWeight(
        html=len(page.body),
        html_compressed=len(gzip.compress(page.body, 6)),
        assets=assets,
        assets_cached_for_a_year=cached and bool(assets),
    )
