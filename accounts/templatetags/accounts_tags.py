from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value: timedelta) -> int:
    """A duration in whole minutes (at least 1), for sentences like "paused for 15 minutes"."""
    return max(1, round(value.total_seconds() / 60))
