"""Sessions with Redis: read from the cache, written through to the same table as without it.

SESSION_ENGINE = "accounts.cached_sessions" when REDIS_URL is set (config/settings.py). Django's
`cached_db` keeps its rows in `django_session`, so turning Redis on used to log everyone out;
this store keeps them in `accounts.LoginSession`, the table `accounts.sessions` reads, and
either engine reads what the other wrote.
"""

from django.contrib.sessions.backends import cached_db

from accounts.sessions import LoginSessionRows


class SessionStore(LoginSessionRows, cached_db.SessionStore):
    pass
