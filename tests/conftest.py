"""The personas every view is tested against, as in PRODUCT.md's demo.

`learner` and `teammate` learn in the same team of `cohort`; `mentor` mentors that team;
`operator` runs the cohort; `outsider` belongs to no cohort. `other_learner` is in another team
of the same cohort and `other_mentor` mentors that other team; `foreign_operator` runs another
cohort.
"""

import pytest
from django.core.cache import cache as django_cache

from tests import factories


@pytest.fixture
def cohort(db):
    return factories.make_cohort("ai-tech-3")


@pytest.fixture
def mentor(cohort):
    user = factories.make_user("mentor", display_name="김멘토")
    factories.join(user, cohort, "mentor")
    return user


@pytest.fixture
def team(cohort, mentor):
    return factories.make_team(cohort, "7조", mentors=[mentor])


@pytest.fixture
def learner(cohort, team):
    user = factories.make_user("learner", display_name="이캠퍼")
    factories.join(user, cohort, "learner", team)
    return user


@pytest.fixture
def teammate(cohort, team):
    user = factories.make_user("learner2", display_name="박동료")
    factories.join(user, cohort, "learner", team)
    return user


@pytest.fixture
def other_mentor(cohort):
    user = factories.make_user("other_mentor")
    factories.join(user, cohort, "mentor")
    return user


@pytest.fixture
def other_team(cohort, other_mentor):
    return factories.make_team(cohort, "8조", mentors=[other_mentor])


@pytest.fixture
def other_learner(cohort, other_team):
    user = factories.make_user("other_learner")
    factories.join(user, cohort, "learner", other_team)
    return user


@pytest.fixture
def operator(cohort):
    user = factories.make_user("operator", is_staff=True)
    factories.join(user, cohort, "operator")
    return user


@pytest.fixture
def foreign_operator(db):
    other = factories.make_cohort("other-cohort", name="다른 기수")
    user = factories.make_user("foreign_operator", is_staff=True)
    factories.join(user, other, "operator")
    return user


@pytest.fixture
def outsider(db):
    return factories.make_user("outsider")


@pytest.fixture
def login(client):
    """`login(user)` logs the test client in and returns it."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached fragments are keyed by versions that live in
    the test database, which every test rolls back (logs/caching/versions.py)."""
    django_cache.clear()
    yield
    django_cache.clear()


@pytest.fixture(autouse=True)
def _bumps_without_commit(monkeypatch):
    """Tests run in a transaction that is rolled back, never committed: version bumps, which wait
    for the commit in production, are written at once (tests/logs/test_cache.py tests the wait)."""
    from logs.caching import versions

    monkeypatch.setattr(versions, "_after_commit", lambda write: write())
