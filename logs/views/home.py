from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from logs import access
from logs.navigation import chosen_cohort
from logs.pages import home as pages_home


def home(request: HttpRequest) -> HttpResponse:
    """A visitor's introduction, or a member's home, made for their role in the current cohort
    (`access.navigation`)."""
    user = request.user
    context: dict = {"nav_section": "home"}
    if user.is_authenticated:
        nav = access.navigation(user, chosen=chosen_cohort(request))
        context.update(home=nav.home, cohorts=pages_home.cohorts_with_rosters(user))
        if nav.home == "mentor":
            context["today"] = pages_home.mentor_today(user)
        elif nav.home == "operator" and nav.board_slug:
            context["summary"] = pages_home.board_summary(user, nav.board_slug)
    return render(request, "home.html", context)
