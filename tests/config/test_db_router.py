"""The read replica: reads of safe requests go to it, writes and fresh reads to the primary.

The "replica" alias of the test settings mirrors the test database on a second connection, so
counting the queries each connection runs shows where the router sent them.
"""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from accounts.models import Cohort, User
from config import db_router
from config.middleware import READ_YOUR_WRITES_COOKIE

ROUTER = "config.db_router.PrimaryReplicaRouter"
MIDDLEWARE = "config.middleware.ReadYourWritesMiddleware"


@pytest.fixture
def with_replica(settings):
    settings.DATABASE_ROUTERS = [ROUTER]
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("config.middleware.DatabaseUnavailableMiddleware") + 1, MIDDLEWARE
    )
    settings.MIDDLEWARE = middleware
    settings.READ_YOUR_WRITES_SECONDS = 10


class Queries:
    """Counts the queries each connection ran inside the block."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"]).__enter__()
        self.replica = CaptureQueriesContext(connections["replica"]).__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)


# --- The routing rule, without a database -------------------------------------------------------


def test_outside_a_request_everything_goes_to_the_primary():
    router = db_router.PrimaryReplicaRouter()
    assert router.db_for_read(Cohort) == "default"
    assert router.db_for_write(Cohort) == "default"


def test_a_safe_request_reads_from_the_replica_until_it_writes():
    router = db_router.PrimaryReplicaRouter()
    token = db_router.begin_request(use_replica=True)
    try:
        assert router.db_for_read(Cohort) == "replica"
        assert router.db_for_write(Cohort) == "default"
        # Having written, the request reads its own write back from the primary.
        assert router.db_for_read(Cohort) == "default"
    finally:
        assert db_router.end_request(token) is True
    assert router.db_for_read(Cohort) == "default"


def test_sessions_are_always_read_from_the_primary():
    from django.contrib.sessions.models import Session

    router = db_router.PrimaryReplicaRouter()
    token = db_router.begin_request(use_replica=True)
    try:
        assert router.db_for_read(Session) == "default"
        assert router.db_for_read(User) == "replica"
    finally:
        db_router.end_request(token)


def test_it_never_migrates_the_replica():
    router = db_router.PrimaryReplicaRouter()
    assert router.allow_migrate("replica", "logs") is False
    assert router.allow_migrate("default", "logs") is True


# --- Real requests, real connections ------------------------------------------------------------


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_browse_pages_read_from_the_replica(with_replica, client, learner, cohort):
    client.force_login(learner)
    with Queries() as q:
        response = client.get("/")
    assert response.status_code == 200
    assert cohort.name in response.content.decode()
    # The session (with its user) is read on the primary; the page's lists on the replica.
    assert len(q.replica) >= 2
    assert [x["sql"] for x in q.primary.captured_queries if "accounts_login_session" in x["sql"]]
    assert all("accounts_login_session" in x["sql"] for x in q.primary.captured_queries)
    assert READ_YOUR_WRITES_COOKIE not in response.cookies


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_after_a_write_the_writer_reads_from_the_primary(with_replica, client, learner):
    client.force_login(learner)
    with Queries() as q:
        response = client.post(
            "/accounts/profile/",
            {"display_name": "새 이름", "email": "learner@example.com", "bio": ""},
        )
    assert response.status_code == 302
    assert len(q.replica) == 0, "a writing request reads only from the primary"
    cookie = response.cookies[READ_YOUR_WRITES_COOKIE]
    assert cookie["max-age"] == 10
    assert cookie["httponly"]

    # The next page, within the cookie's lifetime, reads the fresh row from the primary.
    with Queries() as q:
        response = client.get("/accounts/profile/")
    assert "새 이름" in response.content.decode()
    assert len(q.replica) == 0
    assert len(q.primary) >= 2

    # Once the cookie has expired, reads go back to the replica.
    del client.cookies[READ_YOUR_WRITES_COOKIE]
    with Queries() as q:
        client.get("/accounts/profile/")
    assert len(q.replica) >= 2


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_get_that_writes_pins_the_client_to_the_primary(with_replica, client, db):
    # A login page POST is the usual writer; here a GET that writes (none exists yet, so the
    # test drives the router as a view would) must still set the cookie.
    from django.http import HttpResponse
    from django.test import RequestFactory

    from config.middleware import ReadYourWritesMiddleware

    def view(request):
        Cohort.objects.filter(slug="none").update(name="x")
        return HttpResponse("ok")

    response = ReadYourWritesMiddleware(view)(RequestFactory().get("/"))
    assert READ_YOUR_WRITES_COOKIE in response.cookies
