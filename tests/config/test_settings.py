import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("off", False), ("", False)]
)
def test_it_reads_booleans(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG") is expected


def test_it_refuses_a_boolean_it_cannot_read(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be a boolean"):
        env_bool("FLAG")


def test_it_refuses_a_number_it_cannot_read(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT must be a whole number"):
        env_int("EMAIL_PORT", 25)


def test_it_splits_comma_separated_lists(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "camplog.example, www.camplog.example,")
    assert env_list("ALLOWED_HOSTS") == ["camplog.example", "www.camplog.example"]


def _manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_a_secret_key_fails_loudly():
    result = _manage({}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_bad_debug_value_fails_loudly():
    result = _manage({"DEBUG": "sometimes"}, "check")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_check_deploy_is_clean_with_production_variables():
    result = _manage(
        {
            "SECRET_KEY": "x7#kq!v2m@p9$w4z&t6r^y8u*i0o(l3j)h5g_f1d+s-a=zXcVbNm",
            "ALLOWED_HOSTS": "camplog.example",
            "SECURE_SSL_REDIRECT": "1",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_apps_connections_never_compile_queries_with_jit(db):
    """A list's estimated cost can pass jit_above_cost; compiling it took 100 ms of a 200 ms
    page (README "Scaling")."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
