"""Bulk member import from CSV, for operators (used by the cohort admin).

The CSV has a header row naming its columns, in any order: ``username`` and ``email`` are
required; ``name`` (display name), ``role`` (learner, mentor or operator — 캠퍼/멘토/운영진 also
work; learner when empty) and ``team`` (a team name of the cohort) are optional. Excel's UTF-8 with
BOM and its Korean default encoding (CP949) are both read.

`preview()` checks every row against the database without writing anything and says, per row,
what will happen or what is wrong. `apply()` re-checks and imports everything in one transaction,
or nothing if any row has a problem: a broken file never leaves half a cohort behind.

What a row does:
- a new username creates an account with a random password nobody knows; the person gets an
  email with a link to choose one (Django's password-reset token, so it expires like one, after
  which "forgot your password?" still works);
- an existing username is added to the cohort when its email matches the row's and the account is
  within the operator's reach (`accounts.operators.users_within_reach`: a person of another cohort
  they run keeps their account) and gets an email saying so;
- any other row that names an existing username or email is refused with one neutral message,
  whatever the reason, so the import never tells which account owns an email nor pulls a
  stranger's account into the cohort (where the operator could then change its email). Such a
  person joins through an invite link, which they accept while logged in to their own account;
- a team that does not exist yet is created; a mentor's team makes them a mentor of that team;
  an operator gets admin access (staff, Operators group).
"""

import csv
import io
import secrets
from dataclasses import dataclass, field

from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Cohort, Membership, Team, User
from accounts.operators import grant_operator_access, users_within_reach

MAX_ROWS = 2000
MAX_BYTES = 1024 * 1024
REQUIRED_COLUMNS = ("username", "email")
KNOWN_COLUMNS = ("username", "email", "name", "role", "team")
ROLE_WORDS = {
    "": Membership.Role.LEARNER,
    "learner": Membership.Role.LEARNER,
    "camper": Membership.Role.LEARNER,
    "캠퍼": Membership.Role.LEARNER,
    "학습자": Membership.Role.LEARNER,
    "mentor": Membership.Role.MENTOR,
    "멘토": Membership.Role.MENTOR,
    "operator": Membership.Role.OPERATOR,
    "운영진": Membership.Role.OPERATOR,
    "운영자": Membership.Role.OPERATOR,
}


# One message for every clash with an account the operator may not add, so that the import cannot
# be used to learn who owns an email address.
TAKEN = _lazy(
    "This username or email address cannot be used for a new account here. Use another "
    "username, or send this person an invite link to join with the account they have."
)


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, header, size)."""


@dataclass
class ImportRow:
    line: int
    username: str
    email: str
    name: str
    role: str
    team_name: str
    errors: list[str] = field(default_factory=list)
    existing_user: User | None = None
    new_team: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def action(self) -> str:
        if self.errors:
            return _("not imported")
        if self.existing_user is not None:
            return _("existing account joins the cohort")
        return _("new account, invite email")

    @property
    def role_label(self) -> str:
        return Membership.Role(self.role).label if self.role in Membership.Role.values else ""


@dataclass
class ImportResult:
    created: int = 0
    joined: int = 0
    teams_created: int = 0
    emails: int = 0


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 1 MB. Split it into smaller files."))
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file is neither UTF-8 nor CP949 text. Save it as CSV UTF-8."))


def parse(text: str) -> list[ImportRow]:
    """Rows of the CSV, with the problems a row has on its own (no database)."""
    if "\x00" in text:
        # Postgres stores no NUL; a file that holds one is not the text it seems to be.
        raise ImportFileError(
            _("The file holds a null character, so it is not CSV text. Save it again as CSV.")
        )
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    while header is not None and not any(cell.strip() for cell in header):
        header = next(reader, None)
    if header is None:
        raise ImportFileError(_("The file is empty."))
    columns = [cell.strip().lower() for cell in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ImportFileError(
            _(
                "The header row must name the columns username and email "
                "(and optionally name, role, team); missing: %(missing)s."
            )
            % {"missing": ", ".join(missing)}
        )
    unknown = [c for c in columns if c and c not in KNOWN_COLUMNS]
    if unknown:
        raise ImportFileError(
            _("Unknown columns: %(unknown)s. Known columns are username, email, name, role, team.")
            % {"unknown": ", ".join(unknown)}
        )

    rows: list[ImportRow] = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)d rows. Split it into smaller files.")
                % {"max": MAX_ROWS}
            )
        cells = dict(zip(columns, (v.strip() for v in values), strict=False))
        row = ImportRow(
            line=reader.line_num,
            username=cells.get("username", ""),
            email=cells.get("email", "").lower(),
            name=cells.get("name", ""),
            role=cells.get("role", "").lower(),
            team_name=cells.get("team", ""),
        )
        if len(values) > len(columns):
            row.errors.append(_("The row has more cells than the header has columns."))
        _check_row(row)
        rows.append(row)
    if not rows:
        raise ImportFileError(_("The file has a header but no member rows."))
    return rows


def _check_row(row: ImportRow) -> None:
    if not row.username:
        row.errors.append(_("The username is missing."))
    else:
        try:
            UnicodeUsernameValidator()(row.username)
        except ValidationError:
            row.errors.append(
                _("The username may contain only letters, digits and @ . + - _ characters.")
            )
        if len(row.username) > 150:
            row.errors.append(_("The username is longer than 150 characters."))
    if not row.email:
        row.errors.append(_("The email address is missing."))
    else:
        try:
            validate_email(row.email)
        except ValidationError:
            row.errors.append(_("“%(email)s” is not an email address.") % {"email": row.email})
    if len(row.name) > 80:
        row.errors.append(_("The name is longer than 80 characters."))
    role = ROLE_WORDS.get(row.role)
    if role is None:
        row.errors.append(
            _("Unknown role “%(role)s”: use learner, mentor or operator.") % {"role": row.role}
        )
    else:
        row.role = role
    if row.team_name and role == Membership.Role.OPERATOR:
        row.errors.append(_("An operator does not belong to a team; leave the team empty."))
    if len(row.team_name) > 80:
        row.errors.append(_("The team name is longer than 80 characters."))


def check_against(cohort: Cohort, rows: list[ImportRow], *, by: User) -> None:
    """Add the problems that depend on the other rows, on the database and on what the importing
    operator `by` may reach (a few queries in all, whatever the number of rows)."""
    seen_usernames: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for row in rows:
        key = row.username.lower()
        if key and key in seen_usernames:
            row.errors.append(
                _("The username %(username)s is also on line %(line)d.")
                % {"username": row.username, "line": seen_usernames[key]}
            )
        seen_usernames.setdefault(key, row.line)
        if row.email and row.email in seen_emails:
            row.errors.append(
                _("The email %(email)s is also on line %(line)d.")
                % {"email": row.email, "line": seen_emails[row.email]}
            )
        seen_emails.setdefault(row.email, row.line)

    # Usernames and emails compare without case, as Django's own sign-up form does.
    usernames = [row.username.lower() for row in rows if row.username]
    users = {
        u.username.lower(): u
        for u in User.objects.annotate(key=Lower("username")).filter(key__in=usernames)
    }
    emails = [row.email for row in rows if row.email]
    email_owners: dict[str, int] = dict(
        User.objects.annotate(key=Lower("email")).filter(key__in=emails).values_list("key", "pk")
    )
    reachable = set(
        users_within_reach(by)
        .filter(pk__in=[*(u.pk for u in users.values()), *email_owners.values()])
        .values_list("pk", flat=True)
    )
    members = set(
        Membership.objects.filter(cohort=cohort, user__in=users.values()).values_list(
            "user_id", flat=True
        )
    )
    teams = set(cohort.teams.values_list("name", flat=True))

    for row in rows:
        user = users.get(row.username.lower())
        owner = email_owners.get(row.email)
        if user is not None and user.pk in reachable and owner == user.pk:
            row.existing_user = user
            if user.pk in members:
                row.errors.append(
                    _("%(username)s is already a member of this cohort.")
                    % {"username": user.username}
                )
        elif user is not None or owner is not None:
            row.errors.append(TAKEN)
        row.new_team = bool(row.team_name) and row.team_name not in teams


def preview(cohort: Cohort, text: str, *, by: User) -> list[ImportRow]:
    rows = parse(text)
    check_against(cohort, rows, by=by)
    return rows


def apply(
    cohort: Cohort, text: str, *, by: User, base_url: str
) -> tuple[list[ImportRow], ImportResult | None]:
    """Import every row, or none when any row has a problem (then the rows say which), as the
    operator `by`.
    `base_url` ("https://camplog.example") makes the links in the emails absolute."""
    result = ImportResult()
    with transaction.atomic():
        # Serialize imports into the same cohort, so two operators cannot both add one person.
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        rows = preview(cohort, text, by=by)
        if not all(row.ok for row in rows):
            return rows, None
        teams = {team.name: team for team in cohort.teams.all()}
        emails: list[tuple[User, bool]] = []
        for row in rows:
            team = None
            if row.team_name:
                team = teams.get(row.team_name)
                if team is None:
                    team = teams[row.team_name] = Team.objects.create(
                        cohort=cohort, name=row.team_name
                    )
                    result.teams_created += 1
            user = row.existing_user
            if user is None:
                user = User(username=row.username, email=row.email, display_name=row.name)
                # A random password nobody knows, not an unusable one: Django's "forgot your
                # password" skips unusable passwords, and the invite link expires.
                user.set_password(secrets.token_urlsafe(32))
                user.save()
                result.created += 1
            else:
                result.joined += 1
            Membership.objects.create(
                user=user,
                cohort=cohort,
                role=row.role,
                team=team if row.role == Membership.Role.LEARNER else None,
            )
            if team is not None and row.role == Membership.Role.MENTOR:
                team.mentors.add(user)
            if row.role == Membership.Role.OPERATOR:
                grant_operator_access(user)
            emails.append((user, row.existing_user is None))
        result.emails = len(emails)
        transaction.on_commit(lambda: _send_emails(cohort, emails, base_url))
    return rows, result


def _send_emails(cohort: Cohort, recipients: list[tuple[User, bool]], base_url: str) -> None:
    for user, is_new in recipients:
        context = {"user": user, "cohort": cohort, "base_url": base_url}
        if is_new:
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
            context["set_password_url"] = base_url + reverse(
                "password_reset_confirm", args=[uid, token]
            )
            template = "accounts/email/invite_new_account.txt"
        else:
            context["login_url"] = base_url + reverse("login")
            template = "accounts/email/added_to_cohort.txt"
        subject = _("[Camplog] You are invited to %(cohort)s") % {"cohort": cohort.name}
        send_mail(subject, render_to_string(template, context), None, [user.email])
