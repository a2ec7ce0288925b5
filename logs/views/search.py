"""Search: `/search/?q=…` over entries (title, tags, body), sessions (title, keywords, summary)
and comments, with filters. The query language and the Korean particle handling live in
`logs.search`; visibility in `logs.permissions` through `visible_to(user)`.

One page of results is a fixed number of queries: the COUNT and the ranked page of a UNION ALL
over the three kinds (ranked by ts_rank with a little recency), then one query per kind on the
page to load its rows and their highlighted snippets (ts_headline runs for those rows only).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.contrib.postgres.search import SearchHeadline, SearchRank
from django.db.models import F, FloatField, Func, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.models import Cohort
from logs import listing, search
from logs.models import Comment, Entry, Session, search_query

PER_PAGE = 20

KINDS = [
    ("", _("Everything")),
    ("daily", _("Daily logs")),
    ("weekly", _("Weekly logs")),
    ("note", _("Notes")),
    ("session", _("Sessions")),
    ("comment", _("Comments")),
]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, strip=True)
    cohort = forms.ChoiceField(label=_("Cohort"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=KINDS)
    author = forms.CharField(
        label=_("Author"), required=False, max_length=150, help_text=_("A username")
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=100)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, cohorts: list[Cohort], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = [("", _("All cohorts"))] + [
            (c.slug, c.name) for c in cohorts
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


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


def _headline(field: str, query, **options) -> SearchHeadline:
    return SearchHeadline(
        field,
        query,
        config="simple",
        start_sel=search.START_SEL,
        stop_sel=search.STOP_SEL,
        **options,
    )


def _body_headline(field: str, query) -> SearchHeadline:
    return _headline(
        field, query, max_fragments=2, max_words=28, min_words=12, fragment_delimiter=" … "
    )


# Ranking reads the search vector of every match: for a word found in most logs ("attention" in
# an AI cohort: 30,000 of 33,000 at bench scale) that took seconds a request. Each kind is ranked
# among its newest CANDIDATES matches instead, found through the date indexes in a few
# milliseconds; a rarer word has fewer matches than that and is ranked over all of them.
CANDIDATES = 500


def _newest(queryset: QuerySet, *order: str) -> QuerySet:
    """`queryset` cut to its newest CANDIDATES rows (ids from an index-ordered subquery)."""
    return queryset.model.objects.filter(pk__in=queryset.order_by(*order).values("pk")[:CANDIDATES])


def _branches(user, tsquery: str, data: dict) -> list[QuerySet]:
    query = search_query(tsquery)
    kind, cohort, author, tag = data["kind"], data["cohort"], data["author"], data["tag"]
    start, end = data["date_from"], data["date_to"]
    branches = []

    def score(date_expression):
        return SearchRank(F("search_vector"), query) * Recency(date_expression)

    if kind in ("", "daily", "weekly", "note"):
        entries = Entry.objects.visible_to(user).matching(tsquery)
        if kind:
            entries = entries.filter(kind=kind)
        if cohort:
            entries = entries.filter(cohort__slug=cohort)
        if author:
            entries = entries.filter(author__username=author)
        if tag:
            entries = entries.filter(Q(tags__slug=tag) | Q(tags__name__iexact=tag))
        if start:
            entries = entries.filter(learning_date__gte=start)
        if end:
            entries = entries.filter(learning_date__lte=end)
        entries = _newest(entries, "-learning_date", "-pk")
        branches.append(
            listing.keys(entries, "entry", score(F("learning_date")), F("learning_date"))
        )
    if kind in ("", "session"):
        sessions = Session.objects.visible_to(user).matching(tsquery)
        if cohort:
            sessions = sessions.filter(cohort__slug=cohort)
        if author:
            sessions = sessions.filter(Q(created_by__username=author) | Q(host__username=author))
        if tag:
            sessions = sessions.filter(Q(tags__slug=tag) | Q(tags__name__iexact=tag))
        if start:
            sessions = sessions.filter(date__gte=start)
        if end:
            sessions = sessions.filter(date__lte=end)
        sessions = _newest(sessions, "-date", "-pk")
        branches.append(listing.keys(sessions, "session", score(F("date")), F("date")))
    if kind in ("", "comment") and not tag:
        comments = Comment.objects.visible_to(user).matching(tsquery)
        if cohort:
            comments = comments.filter(
                Q(entry__cohort__slug=cohort) | Q(session__cohort__slug=cohort)
            )
        if author:
            comments = comments.filter(author__username=author)
        comments = comments.annotate(day=TruncDate("created_at"))
        if start:
            comments = comments.filter(day__gte=start)
        if end:
            comments = comments.filter(day__lte=end)
        comments = _newest(comments, "-created_at", "-pk").annotate(day=TruncDate("created_at"))
        branches.append(listing.keys(comments, "comment", score(F("day")), F("day")))
    return branches


def _loaders(query) -> dict:
    def titled(kind: str, queryset, body_field: str, date_attr: str):
        """Entries and sessions load alike: highlighted title and body, link, date."""

        def load(ids):
            rows = (
                queryset.for_list()
                .with_comment_count()
                .annotate(hl_title=_headline("title", query, highlight_all=True))
                .annotate(hl_body=_body_headline(body_field, query))
                .in_bulk(ids)
            )
            return {
                pk: Result(
                    kind,
                    obj,
                    search.snippet_html(obj.hl_title),
                    search.snippet_html(obj.hl_body),
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
            .annotate(hl_body=_body_headline("body", query))
            .in_bulk(ids)
        )
        results = {}
        for pk, c in rows.items():
            parent = c.entry or c.session
            results[pk] = Result(
                "comment",
                c,
                search.snippet_html(parent.title),
                search.snippet_html(c.hl_body),
                f"{parent.get_absolute_url()}#comment-{c.pk}",
                c.created_at.date(),
            )
        return results

    return {"entry": entries, "session": sessions, "comment": comments}


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    cohorts = list(Cohort.objects.order_by("-start_date").only("pk", "slug", "name"))
    form = SearchForm(request.GET or None, cohorts=cohorts)
    parsed = search.parse(request.GET.get("q", ""))
    page = None
    searched = bool(request.GET.get("q", "").strip())
    if form.is_bound and form.is_valid() and parsed.is_searchable:
        tsquery = parsed.to_tsquery()
        page = listing.mixed_page(
            _branches(request.user, tsquery, form.cleaned_data),
            _loaders(search_query(tsquery)),
            request.GET.get("page"),
            PER_PAGE,
        )
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
            "results": [result for _, result in page.object_list] if page else [],
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
