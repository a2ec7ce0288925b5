from django.shortcuts import render

from accounts.models import Cohort


def home(request):
    cohorts = []
    if request.user.is_authenticated:
        cohorts = list(
            Cohort.objects.filter(memberships__user=request.user).order_by("-start_date")
        )
    return render(request, "home.html", {"cohorts": cohorts, "nav_section": "home"})
