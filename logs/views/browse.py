"""Browsing: a cohort's weeks, a week, a day, tags, a learner's page and the cohort's insights.

Who sees what: every list goes through `visible_to(user)`. Cohort, week and day pages are open to
everyone (a visitor sees the calendar and the public logs, a member everything the cohort
shares); insights are for members (`access.can_view_cohort_insights`). Every page runs a
fixed number of queries whatever the data size (pinned in tests/logs/).
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from logs import tagging, writing
from logs.access import lookups
from logs.caching import fragments
from logs.pages import browse as pages
from logs.pages import insights as pages_insights

User = get_user_model()


@require_GET
def cohort_home(request: HttpRequest, slug: str) -> HttpResponse:
    content = fragments.cached_page(
        request,
        f"cohort:{slug}",
        lambda personal, audience: pages.cohort_home(request.user, slug, personal, audience),
        cohort=slug,
        personal=lambda roles: any(s == slug for s, _ in roles.unshared_weeks),
        vary=[fragments.hour()],
        also=[f"cohort-keywords:{slug}"],
    )
    return fragments.render_page(
        request, "logs/browse/cohort_home.html", {**content, "nav_section": "cohort"}
    )


@require_GET
def week(request: HttpRequest, slug: str, n: int) -> HttpResponse:
    page_number = request.GET.get("page") or "1"
    fragments.expect(request, f"week:{slug}:{n}")
    writer = writing.writes_daily_logs_in(request.user, slug)
    content = fragments.cached_page(
        request,
        f"week:{slug}:{n}",
        lambda personal, _: pages.week(request.user, slug, n, personal, page_number, writer=writer),
        cohort=slug,
        personal=lambda roles: (slug, n) in roles.unshared_weeks,
        vary=[fragments.hour(), page_number, writer],
    )
    return fragments.render_page(
        request, "logs/browse/week.html", {**content, "nav_section": "cohort"}
    )


@require_GET
def day(request: HttpRequest, slug: str, day: date) -> HttpResponse:
    page_number = request.GET.get("page") or "1"
    content = fragments.cached_page(
        request,
        f"day:{slug}:{day.isoformat()}",
        lambda personal, _: pages.day(request.user, slug, day, personal, page_number),
        cohort=slug,
        personal=lambda roles: (slug, day) in roles.unshared_days,
        vary=[page_number],
    )
    return fragments.render_page(
        request, "logs/browse/day.html", {**content, "nav_section": "cohort"}
    )


@require_GET
def tag_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(tagging.visible_tags(request.user), pages.TAGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "logs/browse/tag_list.html",
        {
            "page_obj": page,
            "tags": page.object_list,
            "page_range": pages.page_range(page),
            "nav_section": "tags",
        },
    )


@require_GET
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    cohort_slug = request.GET.get("cohort") or ""
    kind = request.GET.get("kind") if request.GET.get("kind") in pages.TAG_KINDS else None
    page_number = request.GET.get("page") or "1"
    content = fragments.cached_page(
        request,
        f"tag:{slug}",
        lambda personal, _: pages.tag(request.user, slug, personal, cohort_slug, kind, page_number),
        cohort=None,
        personal=lambda roles: slug in roles.unshared_tags,
        vary=[cohort_slug, kind, page_number],
    )
    if content.get("redirect"):  # another spelling of the tag: its own page
        return redirect("logs:tag_detail", content["redirect"], permanent=False)
    return fragments.render_page(
        request,
        "logs/browse/tag_detail.html",
        {**content, "feed_url": reverse("logs:feed_tag", args=[slug]), "nav_section": "tags"},
    )


@require_GET
def learner(request: HttpRequest, username: str) -> HttpResponse:
    own = request.user.is_authenticated and request.user.get_username() == username
    cohort_slug = request.GET.get("cohort") or ""
    page_number = request.GET.get("page") or "1"
    content = fragments.cached_page(
        request,
        f"learner:{username}",
        lambda *_: pages.learner(request.user, username, cohort_slug, page_number),
        cohort=None,
        personal=lambda roles: own,
        vary=[fragments.hour(), cohort_slug, page_number],
    )
    return fragments.render_page(
        request,
        "logs/browse/learner.html",
        {**content, "nav_section": "learner" if own else None},
    )


@login_required
@require_GET
def insights(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = lookups.cohort_or_404(slug, request.user, insights=True)
    context = pages_insights.build(cohort, request.user, request.GET.get("week"))
    return render(request, "logs/browse/insights.html", {**context, "nav_section": "cohort"})
