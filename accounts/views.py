from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, PasswordResetConfirmView
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import email_confirmation, invites, throttling
from accounts.forms import ProfileForm, SignupForm
from accounts.models import Membership, User

# Logging in right after sign-up skips authenticate(), so the backend must be named; django-axes'
# backend is first in AUTHENTICATION_BACKENDS and only guards authenticate().
_LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """Switch the UI to the user's preferred language (LocaleMiddleware reads this cookie)."""
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


class CamplogLoginView(LoginView):
    """Django's login, then the user's preferred language."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        response = _remember_language(super().form_valid(form), user.preferred_language)
        return throttling.remember_device(self.request, response, user.username)


class CamplogPasswordResetConfirmView(PasswordResetConfirmView):
    """Django's "choose a new password" page. Whoever completes it holds the account's email: this
    lifts a lockout of the username and makes the browser a known device (accounts/throttling.py)."""

    def form_valid(self, form):
        return throttling.remember_device(
            self.request, super().form_valid(form), form.user.username
        )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, _("Your profile was saved."))
        if form.new_email:
            email_confirmation.send(request, user, form.new_email)
            messages.info(request, _sent_to(form.new_email))
        return _remember_language(redirect("accounts:profile"), user.preferred_language)
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("cohort", "team")
        .prefetch_related(
            Prefetch(
                "team__mentors",
                queryset=User.objects.only("username", "display_name", "first_name", "last_name"),
            )
        )
        .order_by("-cohort__start_date")
    )
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "memberships": memberships, "nav_section": "profile"},
    )


@login_required
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link of a confirmation email: the address becomes the account's, if still free."""
    found = email_confirmation.read_token(token)
    if found is None or found[0] != request.user.pk:
        messages.error(request, _("This confirmation link is not valid for your account."))
    elif email_confirmation.address_taken(found[1], request.user):
        messages.error(request, _("This email address is in use by another account."))
    else:
        request.user.email = found[1]
        request.user.save(update_fields=["email"])
        messages.success(request, _("Your email address is confirmed."))
    return redirect("accounts:profile")


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, code: str) -> HttpResponse:
    """Sign up (or, logged in, join) a cohort with an invite link."""
    invite = invites.find_invite(code)
    problem = invites.invite_problem(invite)
    if problem is not None:
        status = 404 if problem.status == "unknown" else 410
        return render(request, "accounts/join_invalid.html", {"problem": problem}, status=status)

    if request.user.is_authenticated:
        return _join_as_member(request, invite)

    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save(commit=False)
                # Stored once confirmed: the answer is the same whoever owns the address.
                address, user.email = user.email, ""
                user.save()
                membership = invites.redeem(code, user)
        except invites.InviteError as error:
            # Someone took the last use meanwhile: the account was not created either.
            return render(request, "accounts/join_invalid.html", {"problem": error}, status=410)
        login(request, user, backend=_LOGIN_BACKEND)
        email_confirmation.send(request, user, address)
        messages.success(request, _welcome(membership))
        messages.info(request, _sent_to(address))
        return redirect("home")
    return render(request, "accounts/join.html", {"invite": invite, "form": form})


def _join_as_member(request: HttpRequest, invite) -> HttpResponse:
    already = Membership.objects.filter(user=request.user, cohort=invite.cohort).exists()
    if request.method == "POST" and not already:
        try:
            membership = invites.redeem(invite.code, request.user)
        except invites.InviteError as error:
            return render(request, "accounts/join_invalid.html", {"problem": error}, status=410)
        messages.success(request, _welcome(membership))
        return redirect("home")
    return render(request, "accounts/join.html", {"invite": invite, "already_member": already})


def _sent_to(address: str) -> str:
    return _("We sent an email to %(email)s: open its link to add the address to your account.") % {
        "email": address
    }


def _welcome(membership: Membership) -> str:
    if membership.team_id:
        return _("Welcome to %(cohort)s! You are in %(team)s.") % {
            "cohort": membership.cohort.name,
            "team": membership.team.name,
        }
    return _("Welcome to %(cohort)s!") % {"cohort": membership.cohort.name}
