"""Settings for the test suite: production settings plus speed-ups that only tests want."""

import os

os.environ.setdefault("SECRET_KEY", "camplog-test-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# The suite shares a busy machine: a week page that takes 100 ms alone passed the 2 s production
# bound under a load of 8 on 2 cores. App servers that tests start get the production bound
# (tests/scale/servers.py), which the frozen-database test measures.
# In the test process itself the bound is looser still: after thousands of rolled-back bulk
# inserts a cold 300-learner week page went past 10 s in a full run (a 503 in a query-count test).
os.environ.setdefault(
    "DATABASE_STATEMENT_TIMEOUT", "10" if os.environ.get("CAMPLOG_APP_SERVER") == "1" else "50"
)

from config.settings import *  # noqa: F403

if "bench" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS.append("bench")  # noqa: F405
# Two cores shared by the whole suite: in the test process a health check may wait its turn
# (production: 0.5 s). App servers the tests start keep production's, which the frozen-database
# test relies on (tests/scale/servers.py sets CAMPLOG_APP_SERVER).
if os.environ.get("CAMPLOG_APP_SERVER") != "1":
    DATABASE_HEALTH_CHECK_SECONDS = 10
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run over plain HTTP through the test client and the live server.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SECURE_SSL_REDIRECT = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = BASE_DIR / ".data" / "test-media"  # noqa: F405
# A "replica" alias that mirrors the test database, so the router's tests run real queries on a
# second connection (tests/config/test_db_router.py). The router and the read-your-writes
# middleware are switched on by those tests only (even when DATABASE_REPLICA_URL is set), so
# every other test reads and writes "default" and its query counts stay exact.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
DATABASE_ROUTERS = []
MIDDLEWARE = [m for m in MIDDLEWARE if m != "config.middleware.ReadYourWritesMiddleware"]  # noqa: F405
