"""One paginated list of several kinds of rows (entries, sessions, comments) in a fixed number of
queries, whatever the page size or the data size.

Each kind contributes a QuerySet reduced to the same four columns — kind, id and two sort keys —
by `keys()`. They are combined with UNION ALL, ordered and paginated in the database (one COUNT
and one page query), and only the page's rows are then loaded, one query per kind, with whatever
`select_related`/`prefetch_related`/annotations their rows need.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import CharField, F, QuerySet, Value

Loader = Callable[[list[int]], Mapping[int, Any]]


def keys(queryset: QuerySet, kind: str, first, second) -> QuerySet:
    """`queryset` as (r_kind, r_id, r_first, r_second) rows; `first`, `second`: expressions."""
    return queryset.annotate(
        r_kind=Value(kind, output_field=CharField()),
        r_id=F("pk"),
        r_first=first,
        r_second=second,
    ).values_list("r_kind", "r_id", "r_first", "r_second")


def mixed_page(
    branches: list[QuerySet],
    loaders: Mapping[str, Loader],
    page_number: Any,
    per_page: int,
    order_by: tuple[str, ...] = ("-r_first", "-r_second", "r_kind", "-r_id"),
) -> Page:
    """A page whose `object_list` is a list of (kind, object) pairs, in order."""
    if not branches:
        return Paginator([], per_page).get_page(1)
    combined = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    page = Paginator(combined.order_by(*order_by), per_page).get_page(page_number)
    rows = list(page.object_list)
    wanted: dict[str, list[int]] = {}
    for kind, pk, *_ in rows:
        wanted.setdefault(kind, []).append(pk)
    loaded = {kind: loaders[kind](ids) for kind, ids in wanted.items()}
    page.object_list = [
        (kind, loaded[kind][pk]) for kind, pk, *_ in rows if pk in loaded.get(kind, {})
    ]
    return page
