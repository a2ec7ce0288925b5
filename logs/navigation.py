from django.utils.functional import SimpleLazyObject

from accounts.models import Cohort
from logs.models import Notification


def navigation(request) -> dict:
    """Header context: the user's current cohort and unread notification count, loaded lazily
    so pages that never show the header (feeds, health checks) pay nothing."""
    user = request.user
    if not user.is_authenticated:
        return {"nav_cohort": None, "unread_notifications": 0}
    return {
        "nav_cohort": SimpleLazyObject(
            lambda: Cohort.objects.filter(memberships__user=user).order_by("-start_date").first()
        ),
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        ),
    }
