"""An email address is added to an account (at sign-up, or changed on the profile) only once a
link sent to it is opened. The forms then answer the same whether or not the address already
has an account, so they cannot be used to learn who is registered: the address's owner is told
by email instead, and the address is checked again, case-insensitively, when the link is opened."""

import logging

from django.core import signing
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User

log = logging.getLogger(__name__)
_SALT = "camplog.accounts.email-confirmation"
MAX_AGE_SECONDS = 3 * 24 * 3600


def make_token(user: User, email: str) -> str:
    return signing.dumps({"user": user.pk, "email": email}, salt=_SALT, compress=True)


def read_token(token: str) -> tuple[int, str] | None:
    """(user id, email) from a link made by `make_token` in the last three days, else None."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=MAX_AGE_SECONDS)
        return int(data["user"]), str(data["email"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def address_taken(email: str, user: User) -> bool:
    return User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()


def send(request: HttpRequest, user: User, email: str) -> None:
    """Mail `email` a link that confirms it for `user`, or, when another account has it, tell
    its owner that someone tried to use it (and how to get back into their account)."""
    base = request.build_absolute_uri("/")[:-1]
    context = {"user": user, "login_url": base + reverse("login")}
    if address_taken(email, user):
        context["reset_url"] = base + reverse("password_reset")
        template = "accounts/email/address_taken.txt"
        subject = _("[Camplog] Someone tried to use your email address")
    else:
        token = make_token(user, email)
        context["confirm_url"] = base + reverse("accounts:confirm_email", args=[token])
        template = "accounts/email/confirm_email.txt"
        subject = _("[Camplog] Confirm your email address")
    try:
        send_mail(subject, render_to_string(template, context), None, [email])
    except Exception:  # a mail server outage must not undo the sign-up; the profile can resend
        log.exception("Could not send the email confirmation for user %s", user.pk)
