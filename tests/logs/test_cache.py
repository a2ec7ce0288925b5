"""logs/caching/versions.py: versioned fragments; a bump anywhere invalidates them everywhere."""

import pytest
from django.core.cache import cache as django_cache

from logs.caching import versions
from logs.models import FragmentVersion

# bump() defers to the transaction's commit, so these tests need a database connection.
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragments_on(settings):
    settings.FRAGMENT_CACHE_SECONDS = 600
    django_cache.clear()
    yield
    django_cache.clear()


def test_it_computes_once_and_then_serves_from_the_cache():
    calls = []
    for _ in range(3):
        value = versions.cached("greeting", lambda: calls.append(1) or "안녕")
    assert value == "안녕"
    assert len(calls) == 1


def test_a_bump_invalidates_the_fragment_and_its_dependents(django_capture_on_commit_callbacks):
    values = iter(["v1", "v2", "v3"])
    assert versions.cached("week:4", lambda: next(values), depends_on=["cohort:1"]) == "v1"
    with django_capture_on_commit_callbacks(execute=True):
        versions.bump("week:4")
    assert versions.cached("week:4", lambda: next(values), depends_on=["cohort:1"]) == "v2"
    with django_capture_on_commit_callbacks(execute=True):
        versions.bump("cohort:1")
    assert versions.cached("week:4", lambda: next(values), depends_on=["cohort:1"]) == "v3"


def test_a_bump_waits_for_the_commit(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.undo()  # the suite writes bumps at once (tests/conftest.py); here, the real wait
    before = versions.get_version("team-roster:1")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        versions.bump("team-roster:1")
    # Until the transaction commits, readers keep the old version (and rebuild nothing stale).
    assert versions.get_version("team-roster:1") == before
    callbacks[0]()
    assert versions.get_version("team-roster:1") != before


def test_fragments_vary_by_the_values_given():
    assert versions.cached("nav", lambda: "한국어", vary=["ko"]) == "한국어"
    assert versions.cached("nav", lambda: "English", vary=["en"]) == "English"
    assert versions.cached("nav", lambda: "stale", vary=["ko"]) == "한국어"


def test_versions_live_in_the_database_so_every_process_sees_a_bump():
    assert versions.cached("roster", lambda: "old") == "old"
    # Another process (another worker, another host) bumps: it writes the database, not our cache.
    FragmentVersion.objects.update_or_create(name="roster", defaults={"version": "elsewhere"})
    assert versions.cached("roster", lambda: "new") == "new"


def test_fragments_of_another_database_never_match():
    assert versions.cached("roster", lambda: "old") == "old"
    # A restored or different database has its own epoch: names never bumped change version too.
    FragmentVersion.objects.filter(name="").update(version="another-database")
    assert versions.cached("roster", lambda: "new") == "new"


def test_many_fragments_are_built_together_and_only_when_missing(
    django_capture_on_commit_callbacks,
):
    built = []

    def compute(ids):
        built.append(sorted(ids))
        return {i: f"team {i}" for i in ids}

    names = {i: f"t:{i}" for i in (1, 2, 3)}
    assert versions.cached_many(names, compute) == {1: "team 1", 2: "team 2", 3: "team 3"}
    with django_capture_on_commit_callbacks(execute=True):
        versions.bump("t:2")
    assert versions.cached_many(names, compute) == {1: "team 1", 2: "team 2", 3: "team 3"}
    assert built == [[1, 2, 3], [2]]


def test_without_a_shared_cache_nothing_is_cached(settings):
    settings.FRAGMENT_CACHE_SECONDS = 0
    calls = []
    versions.cached("x", lambda: calls.append(1))
    versions.cached("x", lambda: calls.append(1))
    versions.cached_many({1: "y"}, lambda ids: calls.append(1) or {1: 1})
    assert len(calls) == 3
