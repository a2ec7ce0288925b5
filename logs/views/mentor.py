"""The mentor's page (`logs.pages.mentor` builds its lists). Each list shows its first rows here;
`?show=<list>` pages through all of it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from logs import access
from logs.pages import mentor as pages_mentor

PREVIEW = 5
PER_PAGE = 20


@login_required
def mentor(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_use_mentor_page(user):
        raise PermissionDenied
    lists = pages_mentor.lists(user)
    show = request.GET.get("show")
    show = show if show in pages_mentor.LISTS else None
    context = {"teams": pages_mentor.teams(user), "show": show, "nav_section": "mentor"}
    if show:
        page = Paginator(lists[show], PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            page_obj=page,
            page_range=page.paginator.get_elided_page_range(page.number),
            query_string=f"show={show}",
            rows=list(page),
        )
    else:
        for name, rows in lists.items():
            first = list(rows[: PREVIEW + 1])
            context[name] = first[:PREVIEW]
            context[f"more_{name}"] = len(first) > PREVIEW
    return render(request, "logs/mentor.html", context)
