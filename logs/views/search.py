"""Search: `/search/?q=…` over entries (title, tags, body), sessions (title, keywords, summary)
and comments, with filters. The words and snippets live in `logs.search.query`, the results in
`logs.search.results`."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from logs.forms.search import SearchForm
from logs.search import query as search
from logs.search import results


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    parsed = search.parse(request.GET.get("q", ""))
    page = None
    searched = bool(request.GET.get("q", "").strip())
    if form.is_bound and form.is_valid() and parsed.is_searchable:
        page = results.find(request.user, parsed, form.cleaned_data, request.GET.get("page"))
    filters_used = form.is_bound and any(
        form.data.get(name) for name in ("cohort", "kind", "author", "tag", "date_from", "date_to")
    )
    return render(
        request,
        "logs/browse/search.html",
        {
            "form": form,
            "parsed": parsed,
            "q": parsed.text,
            "searched": searched,
            "ran": page is not None,
            "page_obj": page,
            "more_than_counted": page is not None and results.reached_candidates(page),
            "results": [found for _, found in page.object_list] if page else [],
            "page_range": list(
                page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            )
            if page
            else [],
            "query_string": _without_page(request),
            "filters_used": filters_used,
            "search_url": reverse("logs:search"),
            "nav_section": "search",
        },
    )


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
