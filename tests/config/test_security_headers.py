"""Every page, whoever asks, carries the security headers; production adds HSTS and secure,
HttpOnly cookies.

The pages are generated from the URLconf, so a page added later is checked without anyone
remembering to add it here.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern

ROOT = Path(__file__).resolve().parents[2]

_SAMPLE = {
    "int": "1",
    "slug": "x",
    "str": "x",
    "path": "x/1",
    "uuid": "0" * 8 + "-0000-0000-0000-" + "0" * 12,
}


def _sample(pattern) -> str:
    """A concrete path matching one URL pattern (`<int:pk>` -> 1, `(a|b)` -> a)."""
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:(\w+):)?\w+>", lambda m: _SAMPLE.get(m[1] or "str", "x"), str(pattern))
    regex = str(pattern).lstrip("^").rstrip("$")
    regex = re.sub(r"\(\?P<\w+>([\w-]+)(?:\|[^)]*)?\)", r"\1", regex)
    return re.sub(r"\(\?P<\w+>[^)]*\)", "x", regex)


def _paths(patterns=None, prefix: str = ""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from _paths(p.url_patterns, prefix + _sample(p.pattern))
        else:
            yield "/" + prefix + _sample(p.pattern)


def _all_paths() -> list[str]:
    paths = []
    for path in _paths():
        try:
            resolve(path)
        except Resolver404:
            continue
        paths.append(path)
    return [*sorted(set(paths)), "/no-such-page/"]


PATHS = _all_paths()


def test_the_url_walk_covers_the_projects_pages():
    for path in ["/", "/healthz", "/accounts/login/", "/accounts/profile/", "/admin/login/"]:
        assert path in PATHS
    assert any(p.startswith("/media/") for p in PATHS)
    assert len(PATHS) >= 25


def assert_security_headers(response) -> None:
    csp = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    script_src = directives.get("script-src", directives.get("default-src"))
    assert script_src is not None, csp
    assert "'unsafe-inline'" not in script_src, csp
    assert "'unsafe-eval'" not in script_src, csp
    assert "'unsafe-inline'" not in directives.get("style-src", []), csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    # Where a page sets frame-ancestors, it is 'none' (X-Frame-Options covers the rest).
    assert directives.get("frame-ancestors", ["'none'"]) == ["'none'"], csp


@pytest.mark.parametrize("persona", ["anonymous", "learner", "operator"])
@pytest.mark.parametrize("path", PATHS)
def test_every_page_sends_the_security_headers(client, learner, operator, persona, path):
    if persona != "anonymous":
        client.force_login({"learner": learner, "operator": operator}[persona])
    response = client.get(path)
    assert_security_headers(response)


def test_form_posts_send_them_too(client, learner):
    response = client.post("/accounts/login/", {"username": "learner", "password": "wrong"})
    assert response.status_code == 200
    assert_security_headers(response)


def test_the_page_csp_forbids_plugins_foreign_bases_and_foreign_forms(client, db):
    csp = client.get("/")["Content-Security-Policy"]
    assert "object-src 'none'" in csp
    assert "base-uri 'self'" in csp
    assert "form-action 'self'" in csp
    assert "frame-ancestors 'none'" in csp


# --- Production ---------------------------------------------------------------------------------

PRODUCTION_SCRIPT = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings

report = {name: getattr(settings, name) for name in (
    "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT",
)}
client = Client(HTTP_HOST="camplog.example")
report["http_status"] = client.get("/accounts/login/").status_code
report["http_location"] = client.get("/accounts/login/").get("Location")
# The hashed static names need collectstatic's manifest; the headers do not depend on it.
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}):
    response = client.get("/accounts/login/", secure=True)
report["status"] = response.status_code
report["headers"] = dict(response.headers)
report["cookies"] = {
    name: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]), "samesite": m["samesite"]}
    for name, m in response.cookies.items()
}
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def production():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "SECURE_HSTS_SECONDS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="x7#kq!v2m@p9$w4z&t6r^y8u*i0o(l3j)h5g_f1d+s-a=zXcVbNm",
        ALLOWED_HOSTS="camplog.example",
        SECURE_SSL_REDIRECT="1",
    )
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_redirects_http_to_https(production):
    assert production["DEBUG"] is False
    assert production["http_status"] == 301
    assert production["http_location"] == "https://camplog.example/accounts/login/"


def test_production_sends_hsts_for_a_year_with_subdomains(production):
    assert production["status"] == 200
    hsts = production["headers"]["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts


def test_production_cookies_are_secure_and_the_session_cookie_httponly(production):
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["cookies"]["csrftoken"]["secure"] is True
    assert production["cookies"]["csrftoken"]["samesite"] == "Lax"


def test_production_pages_carry_the_same_security_headers(production):
    headers = production["headers"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_with_production_cookie_settings_the_session_cookie_is_secure_and_httponly(
    client, learner, settings
):
    # The settings the production process reported above, applied to a real login.
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.post(
        "/accounts/login/",
        {"username": "learner", "password": "camplog-test-pw"},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert "max-age=31536000" in response["Strict-Transport-Security"]


def test_images_load_only_from_camplog_itself(client, db):
    """`img-src https:` let any tracking pixel in a log report who read it."""
    csp = client.get("/")["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert directives["img-src"] == ["'self'", "data:"], csp
