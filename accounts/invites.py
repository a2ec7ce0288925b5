"""Joining a cohort with an invite code.

`redeem(code, user)` is the one way an invite turns into a membership: it locks the invite row,
re-checks it, creates the learner's membership and counts the use, all in one transaction, so two
people racing for the last use of a one-person link cannot both get in, and a failure leaves
nothing behind (the sign-up view creates the account inside the same transaction).
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Invite, Membership


class InviteError(Exception):
    """Why a code cannot be used, in words for the person holding it."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def invite_problem(invite: Invite | None) -> InviteError | None:
    """The reason `invite` cannot be used now, or None when it can."""
    if invite is None:
        return InviteError(
            "unknown",
            _("This invite link is not valid. Check that you copied the whole link."),
        )
    status = invite.status
    if status == Invite.Status.REVOKED:
        return InviteError(
            status, _("This invite link was withdrawn. Ask your cohort's operators for a new one.")
        )
    if status == Invite.Status.USED_UP:
        return InviteError(
            status,
            _("This invite link has already been used. Ask your cohort's operators for a new one."),
        )
    if status == Invite.Status.EXPIRED:
        return InviteError(
            status,
            _("This invite link expired on %(date)s. Ask your cohort's operators for a new one.")
            % {"date": timezone.localtime(invite.expires_at).strftime("%Y-%m-%d %H:%M")},
        )
    return None


def find_invite(code: str) -> Invite | None:
    return Invite.objects.select_related("cohort", "team").filter(code=code).first()


def redeem(code: str, user) -> Membership:
    """Make `user` a learner of the invite's cohort (in its team, if any). Raises InviteError."""
    with transaction.atomic():
        invite = (
            Invite.objects.select_for_update(of=("self",))
            .select_related("cohort", "team")
            .filter(code=code)
            .first()
        )
        problem = invite_problem(invite)
        if problem is not None:
            raise problem
        if Membership.objects.filter(user=user, cohort_id=invite.cohort_id).exists():
            raise InviteError(
                "member",
                _("You are already a member of %(cohort)s.") % {"cohort": invite.cohort.name},
            )
        membership = Membership.objects.create(
            user=user, cohort=invite.cohort, role=Membership.Role.LEARNER, team=invite.team
        )
        Invite.objects.filter(pk=invite.pk).update(uses=F("uses") + 1)
    return membership
