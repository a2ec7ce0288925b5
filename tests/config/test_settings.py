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


# --- Bounds on waiting for the database (README "Configuration") -------------------------------


def _show(cursor, name: str) -> str:
    cursor.execute(f"SHOW {name}")
    return cursor.fetchone()[0]


def test_the_apps_connections_bound_statements_and_idle_transactions(db, settings):
    from django.db import connection

    with connection.cursor() as cursor:
        assert _show(cursor, "statement_timeout") == f"{settings.STATEMENT_TIMEOUT}s"
        assert _show(cursor, "idle_in_transaction_session_timeout") == "10s"
    options = connection.settings_dict["OPTIONS"]
    assert options["keepalives"] == 1
    assert (options["keepalives_idle"], options["keepalives_interval"]) == (5, 1)
    assert options["keepalives_count"] == 3


def test_production_bounds_a_statement_at_two_seconds_and_waits_half_a_second_more(monkeypatch):
    """The suite itself runs with a looser bound (config/test_settings.py)."""
    from tests.config.test_scaleout_settings import _settings

    monkeypatch.delenv("DATABASE_STATEMENT_TIMEOUT", raising=False)
    options = _settings()["DATABASES"]["default"]["OPTIONS"]
    assert "statement_timeout=2000" in options
    assert "idle_in_transaction_session_timeout=10000" in options


def test_a_query_over_the_statement_timeout_is_cancelled_by_the_server(db):
    from django.db import OperationalError, connection

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '100ms'")
    with pytest.raises(OperationalError, match="statement timeout"), connection.cursor() as c:
        c.execute("SELECT pg_sleep(1)")


@pytest.mark.django_db(transaction=True)
def test_the_app_stops_waiting_for_a_server_that_does_not_answer(settings):
    """The server is alive here, so a slow query stands in for its silence: the app's own bound
    (half a second past the statement timeout, set lower for the test) closes the connection,
    and the next use connects again. tests/scale/test_database_outage.py freezes a real one."""
    import time

    from django.db import OperationalError, connection

    connection.ensure_connection()
    start = time.monotonic()
    with (
        connection.connection.answering_within(0.3),
        pytest.raises(OperationalError),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT pg_sleep(1)")
    assert time.monotonic() - start < 0.9
    assert connection.connection.closed
    connection.close()
    with connection.cursor() as cursor:
        assert _show(cursor, "statement_timeout") == f"{settings.STATEMENT_TIMEOUT}s"


def test_commands_run_without_the_web_apps_bounds(db, monkeypatch):
    from django.db import connection

    from tests.scale.servers import database_url

    script = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('SHOW statement_timeout'); print(c.fetchone()[0]); "
        "c.execute('SHOW idle_in_transaction_session_timeout'); print(c.fetchone()[0])"
    )
    monkeypatch.delenv("DATABASE_STATEMENT_TIMEOUT", raising=False)
    url = database_url(connection.settings_dict)
    result = _manage({"DEBUG": "1", "DATABASE_URL": url}, "shell", "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["0", "0"]


def test_creating_and_dropping_databases_is_not_bounded(db):
    """The test runner's CREATE/DROP DATABASE waits for other sessions and a checkpoint: on a
    busy server that took longer than a page's bound, and the suite's teardown failed."""
    from django.db import connection

    with connection._nodb_cursor() as cursor:
        assert _show(cursor, "statement_timeout") == "0"
        assert cursor.db.connection.answer_timeout is None


def test_importing_the_settings_starts_nothing_and_needs_a_database_url():
    """The embedded Postgres starts from manage.py, the Makefile or the tests' plugin, never
    as a side effect of reading the settings (a gunicorn worker or a tool importing them)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    script = "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; "
    script += "django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr


def test_the_settings_do_not_load_the_markdown_pipeline():
    script = (
        "import os, sys, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; "
        "from django.conf import settings; settings.CONTENT_SECURITY_POLICY; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'cmarkgfm', 'nh3', 'pygments', 'latex2mathml'} or m.startswith('logs.markdown')))"
    )
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
