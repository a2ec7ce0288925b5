"""Sessions in Postgres that load their user in the same query.

Django's database sessions cost a logged-in request two queries before any view runs: the
session, then its user. `SessionStore` keeps the user's id in a column of the session row
(`accounts.LoginSession`) and loads both with one join; `authenticated_user` hands that user to
Django's authentication only when the session verifies exactly as `django.contrib.auth.get_user`
would verify it, and defers to Django's own function otherwise (an unusual backend, a rotated
secret, a session written before this store).

SESSION_ENGINE = "accounts.sessions" (config/settings.py) when there is no Redis; with Redis,
"accounts.cached_sessions" reads sessions from the cache and writes them through to the same
table, so switching Redis on or off logs nobody out.
"""

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone
from django.utils.crypto import constant_time_compare

_MODEL_BACKEND = f"{ModelBackend.__module__}.{ModelBackend.__qualname__}"


class LoginSessionRows:
    """Sessions stored as `accounts.LoginSession` rows, which name their user."""

    @classmethod
    def get_model_class(cls):
        from accounts.models import LoginSession

        return LoginSession

    def create_model_instance(self, data):
        row = super().create_model_instance(data)
        user_id = data.get(auth.SESSION_KEY)
        row.user_id = self.model._meta.get_field("user").to_python(user_id) if user_id else None
        return row


class SessionStore(LoginSessionRows, db.SessionStore):
    # The user this session is logged in as, loaded with it: None until the session is loaded,
    # and for a visitor.
    user = None

    def _get_session_from_db(self):
        """Django's own lookup, with the user joined in. Raw SQL: it runs on every request, and
        the ORM takes longer to build this query than Postgres takes to answer it."""
        self.user = None
        key = self.session_key  # None when the cookie's was malformed
        if key is None:
            return None
        model, user_model = self.model, self.model._meta.get_field("user").related_model
        user_columns = [field.column for field in user_model._meta.concrete_fields]
        alias = router.db_for_read(model)
        with connections[alias].cursor() as cursor:
            cursor.execute(
                f"""SELECT s.session_data, s.expire_date, {", ".join(f'u."{c}"' for c in user_columns)}
                      FROM {model._meta.db_table} s
                      LEFT JOIN {user_model._meta.db_table} u ON u."{user_model._meta.pk.column}" = s.user_id
                     WHERE s.session_key = %s AND s.expire_date > %s""",
                [key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        if row[2] is not None:
            names = [field.attname for field in user_model._meta.concrete_fields]
            self.user = user_model.from_db(alias, names, row[2:])
        return model(session_key=key, session_data=row[0], expire_date=row[1])


def authenticated_user(request):
    """`django.contrib.auth.get_user(request)`, without its query when the session store has
    loaded the user already: the user is taken only when the session names them, by Django's
    model backend, with the current session hash, and they may still log in."""
    session = request.session
    user = getattr(session, "user", None) if session.get(auth.SESSION_KEY) else None
    if (
        user is not None
        and session.get(auth.BACKEND_SESSION_KEY) == _MODEL_BACKEND
        and _MODEL_BACKEND in settings.AUTHENTICATION_BACKENDS
        and str(user.pk) == str(session[auth.SESSION_KEY])
        and ModelBackend().user_can_authenticate(user)
        and constant_time_compare(
            session.get(auth.HASH_SESSION_KEY) or "", user.get_session_auth_hash()
        )
    ):
        return user
    return auth.get_user(request)
