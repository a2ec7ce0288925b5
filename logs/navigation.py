from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from logs import access

# The session key of the cohort a member of several chose in the header's switcher.
CHOSEN_COHORT = "camplog_cohort"

# Pages of one cohort (their `slug` is the cohort's): the header shows that cohort as current.
COHORT_PAGES = frozenset({"cohort_home", "week", "day", "insights", "board"})


def navigation(request: HttpRequest) -> dict:
    """Header context: where the viewer is and what they use (`access.navigation`), and their
    unread count, loaded lazily so pages that never show the header (feeds, health checks) pay
    nothing. Both come from the one query that loads the viewer's roles."""
    user = getattr(request, "user", None)  # none on an error page for a request refused early
    if user is None or not user.is_authenticated:
        return {"nav": None, "unread_notifications": 0}
    return {
        "nav": SimpleLazyObject(
            lambda: access.navigation(
                user, page_slug=page_cohort_slug(request), chosen=chosen_cohort(request)
            )
        ),
        "unread_notifications": SimpleLazyObject(lambda: access.roles(user).unread_notifications),
    }


def page_cohort_slug(request: HttpRequest) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "logs" or match.url_name not in COHORT_PAGES:
        return None
    return match.kwargs.get("slug")


def chosen_cohort(request: HttpRequest) -> int | None:
    session = getattr(request, "session", None)
    chosen = session.get(CHOSEN_COHORT) if session is not None else None
    return chosen if isinstance(chosen, int) else None
