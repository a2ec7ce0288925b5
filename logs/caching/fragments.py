"""Pages assembled from cached fragments: the rule for what may be cached, and the holes.

A cached fragment is HTML rendered once and served to many viewers, so it must not contain
anything of one request: the CSRF token and the page's own path are rendered as *holes* (fixed
markers) and `fill()` puts this request's values in on the way out.

Which viewers share a fragment (`audience`): what a list shows depends only on whether the
viewer is a member of the cohort (cohort-visible entries and sessions), except for the viewer's
own drafts and private entries. Cached lists therefore hold shared entries only and are keyed by
membership; a viewer who has unshared entries in what the page lists (`Roles.unshared_weeks`,
`unshared_tags`, loaded with the roles in the request's one roles query) gets a fragment of
their own.
"""

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language

from logs import access
from logs.caching import versions

# NUL cannot be stored in a Postgres text column, so nothing a user wrote can contain a hole and
# have this request's token put into it.
CSRF_HOLE = "\x00csrf\x00"
PATH_HOLE = "\x00path\x00"
_QUOTED_PATH_HOLE = quote(PATH_HOLE, safe="/")


def render(template_name: str, context: dict[str, Any]) -> str:
    """`template_name` rendered for the cache: no request, holes for the per-request values."""
    html = render_to_string(template_name, {**context, "csrf_token": CSRF_HOLE, "here": PATH_HOLE})
    return compact(html)


# The templates' indentation and blank lines are a tenth of a long list. Outside <pre> and
# <textarea> every run of white space shows as one space, so a run with a line break in it
# becomes one line break, once, when the fragment is built.
_WHITE_SPACE = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)|\s*\n\s*", re.S | re.I)


def compact(html: str) -> str:
    return _WHITE_SPACE.sub(lambda m: m.group(1) or "\n", html)


def render_page(
    request, template_name: str, context: dict[str, Any], *, inserts: Iterable[str] = ("html",)
) -> HttpResponse:
    """`django.shortcuts.render` for a page around cached HTML: the template is rendered with a
    marker for each of `inserts` (context keys holding HTML), and the HTML goes in afterwards.
    Django's templates copy a value at every level of nesting, which for a 100 KB list costs
    more than the rest of the request."""
    markers = {key: f"\x00insert:{key}\x00" for key in inserts if context.get(key)}
    html = render_to_string(template_name, {**context, **markers}, request)
    for key, marker in markers.items():
        html = html.replace(marker, context[key], 1)
    return HttpResponse(html)


def fill(html: str, request) -> str:
    if CSRF_HOLE in html:
        if not hasattr(request, "_camplog_csrf"):
            request._camplog_csrf = get_token(request)
        html = html.replace(CSRF_HOLE, request._camplog_csrf)
    if PATH_HOLE in html:
        html = html.replace(PATH_HOLE, escape(request.get_full_path()))
    if _QUOTED_PATH_HOLE in html:  # the path as a query parameter (?next=…)
        html = html.replace(_QUOTED_PATH_HOLE, quote(request.get_full_path(), safe="/"))
    return html


def audience(user, cohort_slug: str | None, *, personal: bool = False) -> str:
    """Who shares a cached list of one cohort (`cohort_slug`): its members, or everyone else;
    across cohorts (None), everyone who is a member of the same cohorts. `personal` when the
    viewer's own unshared entries are part of the list: then it is theirs alone."""
    facts = access.roles(user)
    if personal and user.is_authenticated:
        return f"user:{user.pk}"
    if cohort_slug is None:
        return "cohorts:" + ",".join(map(str, sorted(facts.cohorts)))
    return "member" if cohort_slug in facts.cohort_slugs else "outsider"


def hour() -> str:
    """For fragments that mark "today": they are rebuilt at least once an hour."""
    return timezone.now().strftime("%Y%m%d%H")


def expect(request, name: str, *, depends_on: Iterable[str] = (), also: Iterable[str] = ()) -> None:
    """Read the versions of the page fragment `name` with the viewer's roles, in one query:
    call it before anything asks for the roles, with what `page()` will be given, and `also`
    the names of other fragments the page may build."""
    access.load_page_roles(request.user, [name, *depends_on, *also, versions.SETUP])


def cached_page(
    request,
    name: str,
    build: Callable[[bool, str], dict[str, Any]],
    *,
    cohort: str | None,
    personal: Callable[[Any], bool] = lambda roles: False,
    vary: Iterable[Any] = (),
    also: Iterable[str] = (),
    holes: Iterable[str] = ("html",),
) -> dict[str, Any]:
    """The one door of every cached page: read the fragment's versions with the viewer's roles
    (one query), decide whether the viewer's own unshared entries make the page theirs alone
    (`personal(roles)`), who shares it (`audience`, for `cohort`, or across cohorts when None),
    and return the cached part, built by `build(personal, audience)` when it is missing."""
    expect(request, name, also=also)
    mine = bool(personal(access.roles(request.user)))
    who = audience(request.user, cohort, personal=mine)
    return page(request, name, lambda: build(mine, who), vary=[who, *vary], holes=holes)


def page(
    request,
    name: str,
    build: Callable[[], dict[str, Any]],
    *,
    depends_on: Iterable[str] = (),
    vary: Iterable[Any] = (),
    holes: Iterable[str] = ("html",),
) -> dict[str, Any]:
    """The cached part of a page: `build()` returns a dict whose `holes` keys (HTML made by
    `render()`, or None) come back with the holes filled for this request."""
    value = versions.cached(
        name, build, depends_on=[*depends_on, versions.SETUP], vary=[get_language(), *vary]
    )
    return {**value, **{key: fill(value[key], request) for key in holes if value.get(key)}}
