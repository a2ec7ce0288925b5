"""Reads from the read replica, writes (and fresh reads) on the primary.

Active only when DATABASE_REPLICA_URL is set (see the "Scale-out" section of config/settings.py).
The rule, decided per request by config.middleware.ReadYourWritesMiddleware:

- Outside a request (management commands, the shell, tests that do not opt in) everything goes
  to the primary: scripts write and read back at once, and a replica may lag.
- A safe request (GET, HEAD, OPTIONS) reads from the replica...
- ...unless this client wrote in the last READ_YOUR_WRITES_SECONDS (the middleware's cookie), or
  the request itself has written (any db_for_write call): then reads go to the primary, so
  nobody saves a log and then sees the old version of it.
- Sessions and login-attempt records are always read from the primary: they change on nearly
  every login, and a lagging copy would resurrect a logged-out session or forget a failed try.
"""

from contextvars import ContextVar, Token
from dataclasses import dataclass

from django.conf import settings

PRIMARY = "default"
REPLICA = "replica"
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes"})
PRIMARY_ONLY_MODELS = frozenset({"accounts.loginsession"})


@dataclass
class RequestRouting:
    use_replica: bool
    wrote: bool = False


# One value per request: Django runs a request in one thread (or one asyncio task), and each
# has its own context, so concurrent requests never see each other's routing.
_routing: ContextVar[RequestRouting | None] = ContextVar("camplog_db_routing", default=None)


def begin_request(*, use_replica: bool) -> Token:
    return _routing.set(RequestRouting(use_replica=use_replica))


def end_request(token: Token) -> bool:
    """Forget the request's routing; True when the request wrote to the database."""
    state = _routing.get()
    _routing.reset(token)
    return bool(state and state.wrote)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        state = _routing.get()
        if (
            state is None
            or not state.use_replica
            or state.wrote
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or model._meta.label_lower in PRIMARY_ONLY_MODELS
            or not replica_configured()
        ):
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        state = _routing.get()
        if state is not None:
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replica holds the same rows as the primary, so objects read from either relate.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        # The replica follows the primary through Postgres replication, never through migrate.
        return db != REPLICA
