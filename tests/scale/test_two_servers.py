"""Two app servers, one Postgres, one Redis: nothing lives in an app process.

Log in on one server and continue on the other; write on one and read it on the other; an edit
on one invalidates a cached fragment that the other serves. Needs Redis at 127.0.0.1:6379.
"""

import uuid

import pytest
from django.db import connection

from accounts.models import User
from tests import factories
from tests.scale.servers import AppServer, Client, database_url, redis_answers

REDIS_URL = "redis://127.0.0.1:6379/0"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not redis_answers(), reason="no Redis answers at 127.0.0.1:6379"),
]


@pytest.fixture
def redis_prefix():
    prefix = f"camplog-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def two_servers(transactional_db, redis_prefix, tmp_path):
    """Two gunicorn servers on the test database (data committed by transactional tests)."""
    env = {
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": redis_prefix,
    }
    servers = [AppServer(env, tmp_path / f"server-{n}.log") for n in ("a", "b")]
    try:
        for server in servers:
            server.wait_ready()
        yield servers
    finally:
        for server in servers:
            server.stop()
        # Close the test's own connection so the database flush after the test is not blocked.
        connection.close()


def _redis_keys(prefix: str, pattern: str) -> list[bytes]:
    import redis

    return list(redis.Redis.from_url(REDIS_URL).scan_iter(f"{prefix}:*{pattern}*"))


@pytest.mark.django_db(transaction=True)
def test_two_app_servers_share_sessions_data_and_cached_fragments(
    two_servers, redis_prefix, learner, teammate, mentor
):
    a, b = two_servers
    browser = Client()

    # Log in on A...
    browser.login(a.url, "learner", factories.PASSWORD)
    assert browser.cookie("sessionid")
    # ...the session is in Redis (and in Postgres, cached_db)...
    assert _redis_keys(redis_prefix, "django.contrib.sessions.cached_db")
    # ...and B knows who this is.
    home = browser.get(b.url + "/")
    assert home.status == 200
    assert "이캠퍼" in home.text
    # B built the team roster fragment and stored it in Redis.
    assert "박동료" in home.text
    assert _redis_keys(redis_prefix, "frag:team-roster")

    # A serves the roster B cached: change a name behind the app's back (no signal, no bump)
    # and A still shows the old one, so the fragment is shared, not per process.
    User.objects.filter(pk=teammate.pk).update(display_name="몰래 바꾼 이름")
    assert "박동료" in browser.get(a.url + "/").text

    # Write on A (the profile form, through CSRF)...
    saved = browser.post_form(
        a.url + "/accounts/profile/",
        {
            "display_name": "이새캠퍼",
            "email": "learner@example.com",
            "bio": "두 서버에서 저장",
            "preferred_language": "",
            "email_notifications": "on",
        },
    )
    assert saved.status == 302, saved.text[:2000]
    # ...read it on B...
    profile = browser.get(b.url + "/accounts/profile/")
    assert 'value="이새캠퍼"' in profile.text
    assert "두 서버에서 저장" in profile.text
    # ...and the edit on A invalidated the roster B serves: it is rebuilt from the database.
    home = browser.get(b.url + "/").text
    assert "이새캠퍼" in home
    assert "몰래 바꾼 이름" in home
    assert "박동료" not in home

    # A teammate logging in on B sees the same fresh roster.
    other = Client()
    other.login(b.url, "learner2", factories.PASSWORD)
    assert "이새캠퍼" in other.get(a.url + "/").text
