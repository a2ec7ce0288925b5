"""What a viewer chooses for the site's shell: the colour theme and, for a member of several
cohorts, the cohort the header and the home page are about."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from logs import theme
from logs.access import lookups
from logs.navigation import CHOSEN_COHORT


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(target)
    return redirect(default)


@require_POST
def set_theme(request: HttpRequest) -> HttpResponse:
    """The header's theme form without JavaScript: keep the choice in a cookie and go back."""
    response = _back(request, "home")
    choice = request.POST.get("theme", "")
    if choice in theme.EXPLICIT:
        response.set_cookie(
            theme.COOKIE,
            choice,
            max_age=theme.COOKIE_SECONDS,
            samesite="Lax",
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(theme.COOKIE, samesite="Lax")
    return response


@login_required
@require_POST
def switch_cohort(request: HttpRequest) -> HttpResponse:
    """Make one of the user's cohorts the current one (kept in the session), then open its page,
    or the home page when switching from there (it is about the current cohort)."""
    cohort = lookups.member_cohort_or_404(request.user, request.POST.get("cohort", ""))
    request.session[CHOSEN_COHORT] = cohort.pk
    if request.POST.get("next") == reverse("home"):
        return redirect("home")
    return redirect("logs:cohort_home", cohort.slug)
