"""Search results: one page is a fixed number of queries, whatever the words.

One UNION ALL of the newest CANDIDATES matches of each kind (entries, sessions, comments),
ranked (ts_rank with a little recency) in the same scans that find them, gives both the order
and the count; then one query per kind on the page loads its rows. Visibility comes from
`visible_to(user)` (logs.access); the words from `logs.search.query`.
"""

import functools
import operator
from collections import Counter
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any

from django.contrib.postgres.search import SearchRank
from django.core.paginator import Page
from django.db.models import F, FloatField, Func, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.html import escape
from django.utils.safestring import SafeString

from logs import listing
from logs.models import Comment, Entry, Session, search_query
from logs.search import query as search

PER_PAGE = 20


class Recency(Func):
    """1 + 1/(1 + age in days / 30): 2 for today, 1.5 a month ago, ~1 after a year. Multiplied
    into ts_rank, it lifts recent results a little without burying good old ones."""

    template = "(1.0 + 1.0 / (1.0 + GREATEST(CURRENT_DATE - %(expressions)s, 0) / 30.0))"
    output_field = FloatField()


@dataclass
class Result:
    kind: str  # "entry", "session" or "comment"
    obj: Any
    title: SafeString
    snippet: SafeString
    url: str
    date: date


# Ranking reads the search vector of every match: for a word found in most logs ("attention" in
# an AI cohort: 30,000 of 33,000 at bench scale) that took seconds a request. Each kind is ranked
# among its newest CANDIDATES matches instead, found by walking the date indexes (or, for a rare
# word, through the GIN index) and ranked in the same pass; a rarer word has fewer matches than
# that and is ranked over all of them. When a kind reaches CANDIDATES the page says "N+ results".
CANDIDATES = 500


def _newest(keys: QuerySet, *order: str) -> QuerySet:
    """The listing `keys` of the newest CANDIDATES rows, by an order an index serves."""
    return keys.order_by(*order)[:CANDIDATES]


def _tagged(queryset: QuerySet, tag: str) -> QuerySet:
    """The rows carrying the tag `tag` (its slug or its name), each once."""
    carrying = queryset.model.objects.filter(Q(tags__slug=tag) | Q(tags__name__iexact=tag))
    return queryset.filter(pk__in=carrying.values("pk"))


@dataclass(frozen=True)
class _Kind:
    """How one kind of result is filtered: the lookups naming its cohort and its author (any of
    them matches), the date it is found, ranked and bounded by, and the order an index serves."""

    model: type
    cohort: tuple[str, ...]
    author: tuple[str, ...]
    date: str
    newest: tuple[str, ...]


_ENTRIES = _Kind(
    Entry, ("cohort__slug",), ("author__username",), "learning_date", ("-learning_date", "-pk")
)
_SESSIONS = _Kind(
    Session,
    ("cohort__slug",),
    ("created_by__username", "host__username"),
    "date",
    ("-date", "-pk"),
)
_COMMENTS = _Kind(
    Comment,
    ("entry__cohort__slug", "session__cohort__slug"),
    ("author__username",),
    "day",  # annotated: the day it was written
    ("-created_at", "-pk"),
)


def _any(lookups: tuple[str, ...], value: str) -> Q:
    return functools.reduce(operator.or_, (Q(**{lookup: value}) for lookup in lookups))


def _branches(user, parsed: search.ParsedQuery, data: dict) -> list[QuerySet]:
    # Matched with the spelling the planner can estimate, ranked with the plain one.
    tsquery = parsed.to_tsquery(estimable=True)
    query = search_query(parsed.to_tsquery())
    kind = data["kind"]
    wanted = []
    if kind in ("", "daily", "weekly", "note"):
        wanted.append(("entry", _ENTRIES, {"kind": kind} if kind else {}))
    if kind in ("", "session"):
        wanted.append(("session", _SESSIONS, {}))
    if kind in ("", "comment") and not data["tag"]:  # comments carry no tags
        wanted.append(("comment", _COMMENTS, {}))
    branches = []
    for name, spec, fixed in wanted:
        rows = spec.model.objects.visible_to(user).matching(tsquery).filter(**fixed)
        if spec is _COMMENTS:
            rows = rows.annotate(day=TruncDate("created_at"))
        if data["cohort"]:
            rows = rows.filter(_any(spec.cohort, data["cohort"]))
        if data["author"]:
            rows = rows.filter(_any(spec.author, data["author"]))
        if data["tag"]:
            rows = _tagged(rows, data["tag"])
        if data["date_from"]:
            rows = rows.filter(**{f"{spec.date}__gte": data["date_from"]})
        if data["date_to"]:
            rows = rows.filter(**{f"{spec.date}__lte": data["date_to"]})
        score = SearchRank(F("search_vector"), query) * Recency(F(spec.date))
        keys = listing.keys(rows, name, score, F(spec.date))
        branches.append(_newest(keys, *spec.newest))
    return branches


def _loaders(highlight: search.Highlighter) -> dict:
    def titled(kind: str, queryset, text_field: str, date_attr: str):
        """Entries and sessions load alike: highlighted title and snippet, link, date."""

        def load(ids):
            rows = (
                queryset.for_list()
                # The tags as a plain list: filling taggit's manager of each row builds a
                # QuerySet per row, 3 ms of a page of 20.
                .prefetch_related(None)
                .prefetch_related(Prefetch("tags", to_attr="tag_list"))
                .with_comment_count()
                .annotate(snippet_source=F(text_field))
                .in_bulk(ids)
            )
            return {
                pk: Result(
                    kind,
                    obj,
                    highlight.title(obj.title),
                    highlight.snippet(obj.snippet_source),
                    obj.get_absolute_url(),
                    getattr(obj, date_attr),
                )
                for pk, obj in rows.items()
            }

        return load

    entries = titled("entry", Entry.objects, "body", "learning_date")
    sessions = titled("session", Session.objects, "summary", "date")

    def comments(ids):
        rows = (
            Comment.objects.select_related(
                "author", "entry__author", "entry__cohort", "session__cohort", "session__team"
            )
            .defer(
                "body_html",
                "entry__body",
                "entry__body_html",
                "entry__toc",
                "entry__front_matter",
                "entry__search_tags",
                "entry__search_vector",
                "session__summary",
                "session__summary_html",
                "session__toc",
                "session__search_tags",
                "session__search_vector",
            )
            .in_bulk(ids)
        )
        results = {}
        for pk, c in rows.items():
            parent = c.entry or c.session
            results[pk] = Result(
                "comment",
                c,
                escape(parent.title),
                highlight.snippet(c.body),
                f"{parent.get_absolute_url()}#comment-{c.pk}",
                c.created_at.date(),
            )
        return results

    return {"entry": entries, "session": sessions, "comment": comments}


def find(user, parsed: search.ParsedQuery, filters: dict, page_number: str | None) -> Page:
    """The page `page_number` of what `user` may see that matches `parsed` and `filters`."""
    return listing.bounded_page(
        _branches(user, parsed, filters),
        _loaders(search.highlighter(parsed.words)),
        page_number,
        PER_PAGE,
    )


def reached_candidates(page: Page) -> bool:
    """Whether some kind may have more matches than the CANDIDATES ranked."""
    per_kind = Counter(map(itemgetter(0), page.paginator.object_list))
    return any(n >= CANDIDATES for n in per_kind.values())
