from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

from config import db_router

READ_YOUR_WRITES_COOKIE = "camplog_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class DatabaseUnavailableMiddleware:
    """Answer a friendly 503 when Postgres is down instead of a 500 with a traceback.

    Django reconnects on the next request by itself (CONN_HEALTH_CHECKS), so once the database
    is back the app recovers without a restart.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            return database_unavailable_response()
        return None


def is_database_unavailable(exception: BaseException | None) -> bool:
    return isinstance(exception, OperationalError | InterfaceError)


def database_unavailable_response() -> HttpResponse:
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "10"
    return response


class ReadYourWritesMiddleware:
    """Route a request's reads to the read replica unless this client has just written.

    Installed only when DATABASE_REPLICA_URL is set (config/settings.py, "Scale-out"). A request
    that changes something (a non-safe method, or any write through the ORM) sets a short-lived
    cookie; while it lives, that client's reads go to the primary, so a learner who saves a log
    sees it at once even when the replica lags. The cookie carries no secret: forging it only
    sends one's own reads to the primary.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        safe = request.method in SAFE_METHODS
        pinned = READ_YOUR_WRITES_COOKIE in request.COOKIES
        token = db_router.begin_request(use_replica=safe and not pinned)
        try:
            response = self.get_response(request)
        finally:
            wrote = db_router.end_request(token)
        if wrote or not safe:
            response.set_cookie(
                READ_YOUR_WRITES_COOKIE,
                "1",
                max_age=settings.READ_YOUR_WRITES_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
