"""Scale-out settings are built from the environment: each switch is read by a fresh process
that loads the production settings, as a deployment would."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "SECRET_KEY": "x7#kq!v2m@p9$w4z&t6r^y8u*i0o(l3j)h5g_f1d+s-a=zXcVbNm",
    "ALLOWED_HOSTS": "camplog.example",
    # Settings only parse the URL; nothing connects to it here.
    "DATABASE_URL": "postgres://camplog:secret@db.internal:5432/camplog",
}
SCALE_OUT_VARIABLES = {
    "DEBUG",
    "REDIS_URL",
    "CACHE_KEY_PREFIX",
    "FRAGMENT_CACHE_SECONDS",
    "DATABASE_REPLICA_URL",
    "READ_YOUR_WRITES_SECONDS",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_S3_REGION_NAME",
    "DJANGO_SETTINGS_MODULE",
}

SCRIPT = """
import json
import django
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage
from logs.models import Upload

storage = Upload._meta.get_field("file").storage
storage.exists  # a lazy storage object is built on first use
print(json.dumps({
    "CACHES": settings.CACHES,
    "SESSION_ENGINE": settings.SESSION_ENGINE,
    "FRAGMENT_CACHE_SECONDS": settings.FRAGMENT_CACHE_SECONDS,
    "STORAGES": settings.STORAGES,
    "upload_storage": storage.__class__.__module__ + "." + storage.__class__.__name__,
    "storage_settings": {
        name: getattr(default_storage, name, None)
        for name in ("bucket_name", "endpoint_url", "access_key", "region_name", "default_acl",
                     "querystring_auth", "file_overwrite", "location")
    },
    "DATABASES": {alias: {k: str(v) for k, v in db.items()} for alias, db in settings.DATABASES.items()},
    "DATABASE_ROUTERS": settings.DATABASE_ROUTERS,
    "MIDDLEWARE": settings.MIDDLEWARE,
}, default=str))
"""


def _settings(**env: str) -> dict:
    base = {k: v for k, v in os.environ.items() if k not in SCALE_OUT_VARIABLES}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**base, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_redis_the_cache_is_each_workers_own_and_fragments_are_still_cached():
    s = _settings()
    assert s["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    # Sessions in Postgres, loaded with their user in one query (accounts/sessions.py).
    assert s["SESSION_ENGINE"] == "accounts.sessions"
    # Fragment versions live in Postgres, so each worker's own cache is invalidated all the same.
    assert s["FRAGMENT_CACHE_SECONDS"] == 600


def test_redis_url_switches_on_the_shared_cache_and_cached_sessions():
    s = _settings(REDIS_URL="redis://cache.internal:6379/2", CACHE_KEY_PREFIX="cl1")
    cache = s["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/2"
    assert cache["KEY_PREFIX"] == "cl1"
    assert cache["OPTIONS"] == {"socket_connect_timeout": 2, "socket_timeout": 2}
    # Sessions live in Redis and in Postgres: a Redis restart logs nobody out.
    assert s["SESSION_ENGINE"] == "accounts.cached_sessions"
    assert s["FRAGMENT_CACHE_SECONDS"] == 600


def test_without_a_bucket_uploads_stay_on_the_local_filesystem():
    s = _settings()
    assert s["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert s["upload_storage"].endswith("FileSystemStorage")


def test_a_bucket_moves_uploads_to_object_storage():
    s = _settings(
        AWS_STORAGE_BUCKET_NAME="camplog-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.net",
        AWS_ACCESS_KEY_ID="AKIAEXAMPLE",
        AWS_SECRET_ACCESS_KEY="not-a-real-secret",
        AWS_S3_REGION_NAME="ap-northeast-2",
    )
    default = s["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "camplog-media"
    # The model's file field really uses it, with private objects and signed URLs.
    assert s["upload_storage"].endswith("S3Storage")
    assert s["storage_settings"] == {
        "bucket_name": "camplog-media",
        "endpoint_url": "https://s3.example.net",
        "access_key": "AKIAEXAMPLE",
        "region_name": "ap-northeast-2",
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
        "location": "",
    }
    # Static files stay with WhiteNoise either way.
    assert s["STORAGES"]["staticfiles"]["BACKEND"].startswith("whitenoise.")


def test_a_bucket_without_an_endpoint_uses_aws_itself():
    s = _settings(AWS_STORAGE_BUCKET_NAME="camplog-media")
    assert s["storage_settings"]["endpoint_url"] is None
    assert s["storage_settings"]["region_name"] is None


def test_without_a_replica_there_is_no_router():
    s = _settings()
    assert list(s["DATABASES"]) == ["default"]
    assert s["DATABASE_ROUTERS"] == []
    assert "config.middleware.ReadYourWritesMiddleware" not in s["MIDDLEWARE"]


def test_a_replica_url_adds_the_replica_its_router_and_read_your_writes():
    s = _settings(
        DATABASE_REPLICA_URL="postgres://reader:secret@replica.internal:5433/camplog",
        READ_YOUR_WRITES_SECONDS="5",
    )
    replica = s["DATABASES"]["replica"]
    assert replica["HOST"] == "replica.internal"
    assert replica["PORT"] == "5433"
    assert replica["USER"] == "reader"
    assert "'connect_timeout': 2" in replica["OPTIONS"]
    assert "'MIRROR': 'default'" in replica["TEST"]
    assert s["DATABASES"]["default"]["HOST"] == "db.internal"
    assert s["DATABASE_ROUTERS"] == ["config.db_router.PrimaryReplicaRouter"]
    middleware = s["MIDDLEWARE"]
    # Outside everything that may write (sessions, auth, views), inside the 503 handler.
    assert middleware.index("config.middleware.ReadYourWritesMiddleware") == (
        middleware.index("config.middleware.DatabaseUnavailableMiddleware") + 1
    )
    assert middleware.index("config.middleware.ReadYourWritesMiddleware") < middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )
