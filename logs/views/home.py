from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from logs.pages.home import cohorts_with_rosters


def home(request: HttpRequest) -> HttpResponse:
    cohorts = cohorts_with_rosters(request.user) if request.user.is_authenticated else []
    return render(request, "home.html", {"cohorts": cohorts, "nav_section": "home"})
