from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string


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
        if isinstance(exception, OperationalError | InterfaceError):
            body = render_to_string("503.html")
            response = HttpResponse(body, status=503)
            response["Retry-After"] = "10"
            return response
        return None
