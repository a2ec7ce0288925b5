from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
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


class NullCharacterMiddleware:
    """A 404 for an address with a NUL character, a 400 for a query string with one.

    Postgres stores no NUL, so no slug, username, tag or file name holds one, and a lookup with
    one fails in the database instead of finding nothing. Refused here, no view or feed can forget
    it. Forms refuse NUL in what is posted (Django's CharField does), with the text kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404
        if any("\x00" in key or "\x00" in "".join(values) for key, values in request.GET.lists()):
            raise BadRequest("The query string holds a NUL character.")
        return self.get_response(request)


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
