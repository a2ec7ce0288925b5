"""Login throttling, on django-axes (its settings are in config/settings.py).

Failed log-ins count per username, from any address, and per client address, for any username;
either count reaching `AXES_FAILURE_LIMIT` within `AXES_COOLOFF_TIME` pauses log-ins until the
window has passed (failures during the pause do not extend it). The client address is the
proxy's `X-Forwarded-For` only when `BEHIND_PROXY` is set (django-ipware), else the socket's.

So that a stranger cannot lock a learner out by typing their username with wrong passwords, a
browser in which a username has logged in before (a signed "known device" cookie, also set by a
completed password reset) counts only its own address for that username. From a new device the
lockout page offers the password reset by email; completing it clears the username's failures.
A successful log-in clears the username's failures but not the address's, so logging in to one's
own account does not buy more guesses at others.
"""

from axes.helpers import get_client_username
from axes.utils import reset
from django.conf import settings
from django.http import HttpRequest, HttpResponse

KNOWN_DEVICE_COOKIE = "camplog_device"
_SALT = "accounts.throttling.known-device"
_MAX_AGE = 365 * 24 * 3600
_MAX_USERNAMES = 5  # a shared family laptop, not a list to grow forever


def _known_usernames(request) -> list[str]:
    cookies = getattr(request, "COOKIES", None)  # axes also passes stored attempts here
    if not cookies:
        return []
    value = request.get_signed_cookie(KNOWN_DEVICE_COOKIE, default="", salt=_SALT, max_age=_MAX_AGE)
    return [name for name in value.split(" ") if name]


def lockout_parameters(request, credentials=None) -> list[str]:
    """`AXES_LOCKOUT_PARAMETERS`: what failures are counted by for this attempt."""
    known = _known_usernames(request)
    if known and (get_client_username(request, credentials) or "").lower() in known:
        return ["ip_address"]
    return ["username", "ip_address"]


def remember_device(request: HttpRequest, response: HttpResponse, username: str) -> HttpResponse:
    """Mark this browser as one `username` has logged in from, and clear that username's
    failures (AXES_RESET_ON_SUCCESS is off: it would clear the address's count too)."""
    reset(username=username)
    known = [username.lower(), *(n for n in _known_usernames(request) if n != username.lower())]
    response.set_signed_cookie(
        KNOWN_DEVICE_COOKIE,
        " ".join(known[:_MAX_USERNAMES]),
        salt=_SALT,
        max_age=_MAX_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
    return response
