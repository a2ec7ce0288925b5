"""One paginated list of several kinds of rows (entries, sessions, comments) in a fixed number of
queries, whatever the page size or the data size.

Each kind contributes a QuerySet reduced to the same four columns — kind, id and two sort keys —
by `keys()`. They are combined with UNION ALL, ordered and paginated in the database (one COUNT
and one page query), and only the page's rows are then loaded, one query per kind, with whatever
`select_related`/`prefetch_related`/annotations their rows need.

When every branch is cut to a few hundred rows (search's newest matches), `bounded_page` reads all
their keys in one query instead, and orders and paginates them in Python: the count comes free.
"""

from collections.abc import Callable, Mapping
from operator import itemgetter
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import CharField, F, QuerySet, Value

Loader = Callable[[list[int]], Mapping[int, Any]]
COLUMNS = ("r_kind", "r_id", "r_first", "r_second")


def keys(queryset: QuerySet, kind: str, first, second) -> QuerySet:
    """`queryset` as (r_kind, r_id, r_first, r_second) rows; `first`, `second`: expressions."""
    return queryset.annotate(
        r_kind=Value(kind, output_field=CharField()),
        r_id=F("pk"),
        r_first=first,
        r_second=second,
    ).values_list(*COLUMNS)


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
    return _loaded(page, loaders)


def bounded_page(
    branches: list[QuerySet],
    loaders: Mapping[str, Loader],
    page_number: Any,
    per_page: int,
    order_by: tuple[str, ...] = ("-r_first", "-r_second", "r_kind", "-r_id"),
) -> Page:
    """As `mixed_page`, for sliced branches: every key in one query, put in order and cut into
    pages here (a sliced QuerySet cannot be reordered by the database on its own).
    `page.paginator.object_list` keeps all the keys (to tell which kinds reached their slice)."""
    combined = branches[0].union(*branches[1:], all=True) if branches else []
    keys = list(combined)
    for name in reversed(order_by):  # stable sorts, the last key first
        keys.sort(key=itemgetter(COLUMNS.index(name.lstrip("-"))), reverse=name.startswith("-"))
    return _loaded(Paginator(keys, per_page).get_page(page_number), loaders)


def _loaded(page: Page, loaders: Mapping[str, Loader]) -> Page:
    rows = list(page.object_list)
    wanted: dict[str, list[int]] = {}
    for kind, pk, *_ in rows:
        wanted.setdefault(kind, []).append(pk)
    loaded = {kind: loaders[kind](ids) for kind, ids in wanted.items()}
    page.object_list = [
        (kind, loaded[kind][pk]) for kind, pk, *_ in rows if pk in loaded.get(kind, {})
    ]
    return page
