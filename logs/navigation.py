from django.utils.functional import SimpleLazyObject

from accounts.models import Cohort
from logs import access


def navigation(request) -> dict:
    """Header context: the user's current cohort and unread notification count, loaded lazily
    so pages that never show the header (feeds, health checks) pay nothing. Both come from
    the one query that loads the viewer's roles."""
    user = getattr(request, "user", None)  # none on an error page for a request refused early
    if user is None or not user.is_authenticated:
        return {"nav_cohort": None, "unread_notifications": 0}
    return {
        "nav_cohort": SimpleLazyObject(lambda: _latest_cohort(user)),
        "unread_notifications": SimpleLazyObject(lambda: access.roles(user).unread_notifications),
    }


def _latest_cohort(user) -> Cohort | None:
    """The user's most recently started cohort, from the roles every page loads anyway (no query
    of its own). Only its pk, name and slug are filled in: the header needs no more."""
    latest = access.roles(user).latest_cohort
    if latest is None:
        return None
    pk, name, slug = latest
    return Cohort(pk=pk, name=name, slug=slug)
