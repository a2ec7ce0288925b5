"""Sessions load their user in the same query (accounts/sessions.py), and still log in, out and
expire exactly as Django's own sessions do."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import LoginSession
from accounts.sessions import SessionStore

PAGE = "/accounts/profile/"  # a page for logged-in users only

keep_logged_in = import_module("accounts.migrations.0005_login_session").keep_logged_in


def _queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q["sql"] for q in queries.captured_queries]


def test_the_session_and_its_user_come_in_one_query(login, learner):
    client = login(learner)
    response, queries = _queries_of(client, PAGE)
    assert response.status_code == 200
    assert learner.username in response.content.decode()
    assert "accounts_login_session" in queries[0] and "accounts_user" in queries[0]
    # No query reads the user on its own.
    assert not [sql for sql in queries[1:] if sql.startswith('SELECT "accounts_user"."id"')]


def test_logging_in_writes_the_users_id_beside_the_session(form_login, learner, client):
    form_login(learner.username)
    row = LoginSession.objects.get(session_key=client.cookies["sessionid"].value)
    assert row.user_id == learner.pk


def test_logging_out_ends_the_session(login, learner):
    client = login(learner)
    key = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    assert not LoginSession.objects.filter(session_key=key).exists()
    assert client.get(PAGE).status_code == 302


def test_a_password_changed_elsewhere_logs_the_session_out(login, learner):
    client = login(learner)
    assert client.get(PAGE).status_code == 200
    learner.set_password("a-new-long-passphrase")
    learner.save()
    assert client.get(PAGE).status_code == 302


def test_a_deactivated_user_is_logged_out(login, learner):
    client = login(learner)
    learner.is_active = False
    learner.save()
    assert client.get(PAGE).status_code == 302


def test_deleting_a_user_deletes_their_sessions(login, outsider):
    login(outsider)
    outsider.delete()
    assert not LoginSession.objects.exists()


def test_the_column_never_decides_who_is_logged_in(login, learner, outsider):
    """The session's signed data names the user; a user id column that disagrees (a row edited
    by hand, say) is ignored and the user is read as Django reads them."""
    client = login(learner)
    LoginSession.objects.update(user=outsider)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert learner.username in response.content.decode()
    assert outsider.username not in response.content.decode()


def test_a_session_without_the_column_still_logs_in(login, learner):
    client = login(learner)
    LoginSession.objects.update(user=None)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert learner.username in response.content.decode()


def test_an_expired_session_is_not_loaded(login, learner):
    client = login(learner)
    key = client.cookies["sessionid"].value
    LoginSession.objects.update(expire_date="2000-01-01T00:00:00Z")
    store = SessionStore(key)
    assert store.load() == {}
    assert store.user is None
    assert client.get(PAGE).status_code == 302


def test_a_malformed_cookie_is_a_visitor(client, learner):
    client.cookies["sessionid"] = "short"
    assert client.get(PAGE).status_code == 302


@pytest.mark.django_db
def test_the_switch_keeps_djangos_sessions_logged_in(learner, client):
    """The migration copies the sessions of Django's own store, with their user, and they go on
    working."""
    old = DjangoSessionStore()
    old.update(
        {
            "_auth_user_id": str(learner.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": learner.get_session_auth_hash(),
        }
    )
    old.create()
    visitor = DjangoSessionStore()
    visitor["cart"] = 1
    visitor.create()
    keep_logged_in(apps, None)
    copied = {row.session_key: row for row in LoginSession.objects.all()}
    assert copied[old.session_key].user_id == learner.pk
    assert copied[visitor.session_key].user_id is None
    client.cookies["sessionid"] = old.session_key
    response = client.get(PAGE)
    assert response.status_code == 200
    assert learner.username in response.content.decode()


def test_turning_redis_on_or_off_logs_nobody_out(login, learner, settings):
    """With REDIS_URL the sessions are read from the cache (accounts/cached_sessions.py) and
    written through to the same table: a session from before is still good, and back again."""
    client = login(learner)  # without Redis: accounts.sessions
    assert client.get(PAGE).status_code == 200
    settings.SESSION_ENGINE = "accounts.cached_sessions"
    assert client.get(PAGE).status_code == 200  # found in the table, then cached
    client.post("/accounts/logout/")
    client = login(learner)  # a session written by the cached store...
    key = client.cookies["sessionid"].value
    assert LoginSession.objects.get(session_key=key).user_id == learner.pk
    settings.SESSION_ENGINE = "accounts.sessions"
    assert client.get(PAGE).status_code == 200  # ...is read by the one without Redis
