"""The mentor's page: my teams with their learners, their sessions I have not commented on yet,
the questions waiting for me, and my mentees' recent logs."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import Membership, Team
from logs import access
from logs.models import Entry, MentoringQuestion, Session

LISTS = ("sessions", "questions", "logs")


def teams(user) -> list[Team]:
    """The teams `user` mentors, each with `.learners` (memberships with their user)."""
    learners = _learners(user)
    return list(
        Team.objects.filter(pk__in=sorted(access.roles(user).mentored_teams))
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


def lists(user) -> dict[str, QuerySet]:
    """The page's three lists, newest first, unevaluated (the page slices or pages them)."""
    team_ids = sorted(access.roles(user).mentored_teams)
    return {
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
        .filter(author_id__in=_learners(user).values("user_id"))
        .for_list()
        .order_by("-learning_date", "-created_at"),
    }


def _learners(user) -> QuerySet[Membership]:
    team_ids = sorted(access.roles(user).mentored_teams)
    return Membership.objects.filter(team_id__in=team_ids, role=Membership.Role.LEARNER)
