"""The colour theme a viewer chose: "light" or "dark" in a cookie, or none for the system's.

The server reads the cookie to render `<html data-theme>` and `color-scheme` in the first byte,
so a page never flashes the other theme (the CSP forbids the usual inline script that would
set it before the first paint). static/js/theme.js switches without a reload and keeps a copy
in localStorage; without JavaScript the header's form posts to `set_theme`."""

from django.http import HttpRequest

COOKIE = "theme"
EXPLICIT = ("light", "dark")
CHOICES = ("system", *EXPLICIT)
COOKIE_SECONDS = 365 * 24 * 3600


def chosen(request: HttpRequest) -> str:
    """ "light", "dark", or "system" (no cookie, or one with another value)."""
    value = request.COOKIES.get(COOKIE, "")
    return value if value in EXPLICIT else "system"


def theme(request: HttpRequest) -> dict:
    """Context processor: `theme` for base.html and the header's toggle."""
    return {"theme": chosen(request)}
