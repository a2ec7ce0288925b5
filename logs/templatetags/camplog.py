"""Template tags of the page shell."""

import hashlib

from django import template
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from logs import access
from logs.caching import fragments

register = template.Library()

HEADER_SECONDS = 3600


@register.simple_tag(takes_context=True)
def site_header(context) -> str:
    """The site header. A logged-in user's is cached: it depends only on what its key holds (the
    user and their name, their navigation — current cohort, cohorts, role links — and unread
    count, the theme, the section, the language), so no edit can make it stale, and the CSRF
    token and the page's path are holes filled per request."""
    request = context["request"]
    user = getattr(request, "user", None) or AnonymousUser()  # a request refused early has none
    header = context.template.engine.get_template("includes/header.html")
    section = context.get("nav_section")
    if not user.is_authenticated or section == "search":
        with context.push(here=request.get_full_path()):
            return header.render(context)
    facts = access.roles(user)
    raw = (
        f"{user.get_username()}|{user.name}|{context.get('nav')!s}|{facts.unread_notifications}"
        f"|{context.get('theme')}|{section}"
    )
    key = f"header:{user.pk}:{get_language()}:{hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()}"
    html = cache.get(key)
    if html is None:
        with context.push(csrf_token=fragments.CSRF_HOLE, here=fragments.PATH_HOLE):
            html = fragments.compact(header.render(context))
        cache.set(key, html, HEADER_SECONDS)
    return mark_safe(fragments.fill(html, request))


@register.filter
def week_label(n: int) -> str:
    """A week as every page says it: "04주차" ("Week 04")."""
    return _("Week %(n)s") % {"n": f"{int(n):02d}"}
