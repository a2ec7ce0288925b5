from django.contrib.auth import middleware
from django.utils.functional import SimpleLazyObject

from accounts.sessions import authenticated_user


class AuthenticationMiddleware(middleware.AuthenticationMiddleware):
    """Django's, taking the user loaded with the session when it can (accounts/sessions.py)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))


def _user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = authenticated_user(request)
    return request._cached_user
