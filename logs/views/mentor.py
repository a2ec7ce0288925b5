"""The mentor's page: my teams, their sessions I have not commented on yet, the questions waiting
for me, and my mentees' recent logs. Each list shows its first rows here; `?show=<list>` pages
through all of it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Membership, Team
from logs import access
from logs.models import Entry, MentoringQuestion, Session

PREVIEW = 5
PER_PAGE = 20
LISTS = ("sessions", "questions", "logs")


@login_required
def mentor(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_use_mentor_page(user):
        raise PermissionDenied
    team_ids = sorted(access.roles(user).mentored_teams)
    learners = Membership.objects.filter(team_id__in=team_ids, role=Membership.Role.LEARNER)
    teams = list(
        Team.objects.filter(pk__in=team_ids)
        .select_related("cohort")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=learners.select_related("user").order_by(
                    "user__display_name", "user__username"
                ),
                to_attr="learners",
            )
        )
        .order_by("cohort__name", "name")
    )
    lists = {
        "sessions": Session.objects.visible_to(user)
        .of_teams(team_ids)
        .without_comment_by(user)
        .for_list()
        .annotate(open_questions=Count("questions", filter=Q(questions__answer_confirmed=False)))
        .order_by("-date", "-created_at"),
        "questions": MentoringQuestion.objects.open()
        .filter(session__in=Session.objects.visible_to(user).of_teams(team_ids))
        .select_related("session", "session__team", "asked_by", "answered_by")
        .defer("session__summary", "session__summary_html", "session__toc", "answer_html")
        .order_by("-session__date", "session_id", "number"),
        "logs": Entry.objects.visible_to(user)
        .published()
        .filter(author_id__in=learners.values("user_id"))
        .for_list()
        .order_by("-learning_date", "-created_at"),
    }
    show = request.GET.get("show")
    context = {"teams": teams, "show": show if show in LISTS else None, "nav_section": "mentor"}
    if context["show"]:
        page = Paginator(lists[show], PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            page_obj=page,
            page_range=page.paginator.get_elided_page_range(page.number),
            query_string=f"show={show}",
            rows=list(page),
        )
    else:
        for name, qs in lists.items():
            rows = list(qs[: PREVIEW + 1])
            context[name] = rows[:PREVIEW]
            context[f"more_{name}"] = len(rows) > PREVIEW
    return render(request, "logs/mentor.html", context)
