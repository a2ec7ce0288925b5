"""People, cohorts, their calendars, teams and roles.

This app knows nothing of logs: `logs` builds on it, never the other way round.
"""

import secrets
import zoneinfo
from datetime import date, timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q
from django.db.models.functions import JSONObject
from django.db.models.query import ModelIterable
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.calendar import CohortCalendar, StageSpan

# Sections only: an empty `- ` or `- [ ] ` left in a log shows as a lone bullet or checkbox on
# its page, and `<br>` spacers as gaps (the stylesheet spaces the sections).
DEFAULT_DAILY_TEMPLATE = """## **📝 오늘 한 일**

## **👥 피어세션 요약**
### **키워드 공유**

## **🏫 멘토링 요약**

## **🐾 일일 회고**

## **🚀 내일 할 일**
"""

DEFAULT_WEEKLY_TEMPLATE = """## **📅 이번 주에 한 일**

## **💡 이번 주에 배운 것**

## **🐾 주간 회고**

## **🚀 다음 주 목표**
"""


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    bio = models.TextField(_("bio"), blank=True, max_length=2000)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    email_notifications = models.BooleanField(
        _("email me about comments and answers"), default=True
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class LoginSession(AbstractBaseSession):
    """A browser's session, with the id of the user logged in to it in a column of its own, so
    that one query loads a request's session and its user (accounts/sessions.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_login_session"

    @classmethod
    def get_session_store_class(cls):
        from accounts.sessions import SessionStore

        return SessionStore


class _WithCalendarRows(ModelIterable):
    """Cohorts with their holidays and stages from arrays in their own row, put where
    `prefetch_related("non_learning_days", "stages")` would: `cohort.calendar` runs no query."""

    def __iter__(self):
        for cohort in super().__iter__():
            db = cohort._state.db
            holidays = [_loaded(NonLearningDay, db, row) for row in cohort.holiday_rows]
            stages = [_loaded(Stage, db, row) for row in cohort.stage_rows]
            for obj in (*holidays, *stages):
                obj.cohort = cohort
            cohort._prefetched_objects_cache = {"non_learning_days": holidays, "stages": stages}
            yield cohort


def _loaded(model, db: str, row: dict):
    """A model instance as if read from the database, from a JSON row of its columns."""
    fields = [f for f in model._meta.concrete_fields if f.attname in row]
    values = [
        date.fromisoformat(row[f.attname]) if isinstance(f, models.DateField) else row[f.attname]
        for f in fields
    ]
    return model.from_db(db, [f.attname for f in fields], values)


class CohortQuerySet(models.QuerySet):
    def with_calendar(self) -> "CohortQuerySet":
        """The cohorts with their calendar rows in one query (instead of a prefetch's three)."""
        holidays = NonLearningDay.objects.filter(cohort=OuterRef("pk")).values(
            row=JSONObject(id="id", cohort_id="cohort_id", date="date", name="name")
        )
        stages = Stage.objects.filter(cohort=OuterRef("pk")).values(
            row=JSONObject(
                id="id",
                cohort_id="cohort_id",
                name="name",
                slug="slug",
                start_date="start_date",
                end_date="end_date",
            )
        )
        queryset = self.annotate(
            holiday_rows=ArraySubquery(holidays), stage_rows=ArraySubquery(stages)
        )
        queryset._iterable_class = _WithCalendarRows
        return queryset

    def run_by(self, user) -> "CohortQuerySet":
        """The cohorts `user` runs: every cohort for a superuser, else those where they are an
        operator. The Django admin scopes every page with it (see accounts/admin.py)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            pk__in=Membership.objects.filter(user=user, role=Membership.Role.OPERATOR).values(
                "cohort_id"
            )
        )


class Cohort(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Seoul", validators=[validate_time_zone]
    )
    cutoff_hour = models.PositiveSmallIntegerField(
        _("day cut-off hour"),
        default=4,
        validators=[MaxValueValidator(12)],
        help_text=_("A log written before this hour belongs to the previous day."),
    )
    description = models.TextField(_("description"), blank=True)
    daily_template = models.TextField(
        _("daily log template"), default=DEFAULT_DAILY_TEMPLATE, blank=True
    )
    weekly_template = models.TextField(
        _("weekly log template"), default=DEFAULT_WEEKLY_TEMPLATE, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="cohort_end_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(cutoff_hour__lte=12),
                name="cohort_cutoff_hour_range",
                violation_error_message=_("The day cut-off hour must be between 0 and 12."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("logs:cohort_home", args=[self.slug])

    @cached_property
    def calendar(self) -> CohortCalendar:
        """The cohort's calendar. Prefetch `non_learning_days` and `stages` to avoid two queries."""
        return CohortCalendar(
            start=self.start_date,
            end=self.end_date,
            time_zone=self.time_zone,
            cutoff_hour=self.cutoff_hour,
            non_learning_days=frozenset(day.date for day in self.non_learning_days.all()),
            stages=tuple(
                StageSpan(slug=s.slug, name=s.name, start=s.start_date, end=s.end_date)
                for s in sorted(self.stages.all(), key=lambda s: s.start_date)
            ),
        )


class NonLearningDay(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="non_learning_days")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=80, help_text=_("e.g. 설날, 삼일절"))

    class Meta:
        verbose_name = _("non-learning day")
        verbose_name_plural = _("non-learning days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "date"], name="non_learning_day_unique_per_cohort"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"

    def clean(self) -> None:
        cohort = _cached_cohort(self)
        if (
            cohort
            and self.date
            and cohort.start_date <= cohort.end_date
            and not cohort.start_date <= self.date <= cohort.end_date
        ):
            raise ValidationError(
                {
                    "date": ValidationError(
                        _("%(date)s is outside the cohort (%(start)s – %(end)s)."),
                        params={
                            "date": self.date,
                            "start": cohort.start_date,
                            "end": cohort.end_date,
                        },
                    )
                }
            )


def _cached_cohort(obj: models.Model) -> "Cohort | None":
    """The cohort an object points at, also when it is an unsaved cohort being created with it
    (an admin inline sets the parent object before the parent has a primary key)."""
    try:
        return obj.cohort
    except Cohort.DoesNotExist:
        return None


class Stage(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("name"), max_length=80, help_text=_("e.g. Level 1 U-stage"))
    slug = models.SlugField(_("slug"), max_length=60, help_text=_("e.g. lv1-u-stage"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "slug"], name="stage_slug_unique_per_cohort"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="stage_end_after_start",
                violation_error_message=_("A stage must not end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        cohort = _cached_cohort(self)
        if (
            cohort
            and cohort.start_date <= cohort.end_date
            and self.start_date
            and self.end_date
            and self.start_date <= self.end_date
            and not (cohort.start_date <= self.start_date and self.end_date <= cohort.end_date)
        ):
            raise ValidationError(
                _(
                    "The stage (%(start)s – %(end)s) must lie within the cohort "
                    "(%(cohort_start)s – %(cohort_end)s)."
                ),
                params={
                    "start": self.start_date,
                    "end": self.end_date,
                    "cohort_start": cohort.start_date,
                    "cohort_end": cohort.end_date,
                },
            )


class Team(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=80, help_text=_("e.g. 7조"))
    mentors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="mentored_teams",
        verbose_name=_("mentors"),
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["cohort", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "name"], name="team_name_unique_per_cohort")
        ]

    def __str__(self) -> str:
        return f"{self.cohort.name} · {self.name}" if "cohort" in self.__dict__ else self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        LEARNER = "learner", _("learner")
        MENTOR = "mentor", _("mentor")
        OPERATOR = "operator", _("operator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.LEARNER)
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("team"),
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["cohort", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "cohort"], name="membership_unique_per_cohort"),
            # Only learners belong to a team; mentors are attached to teams through Team.mentors.
            models.CheckConstraint(
                condition=Q(role="learner") | Q(team__isnull=True),
                name="membership_team_only_for_learners",
                violation_error_message=_(
                    "Only learners belong to a team; add mentors to a team through its mentors."
                ),
            ),
        ]
        indexes = [models.Index(fields=["cohort", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.cohort} · {self.get_role_display()}"

    def clean(self) -> None:
        if self.team_id and self.cohort_id and self.team.cohort_id != self.cohort_id:
            raise ValidationError({"team": _("This team belongs to another cohort.")})


INVITE_LIFETIME = timedelta(days=14)


def new_invite_code() -> str:
    # 144 random bits, URL-safe: the code is the only secret of the link.
    return secrets.token_urlsafe(18)


def default_invite_expiry():
    return timezone.now() + INVITE_LIFETIME


class InviteQuerySet(models.QuerySet):
    def usable(self) -> "InviteQuerySet":
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=timezone.now(), uses__lt=F("max_uses")
        )


class Invite(models.Model):
    """A sign-up link an operator hands out: /accounts/join/<code>/ joins a cohort as a learner,
    optionally into a team. It expires, can be revoked, and admits at most `max_uses` people
    (one by default, so a code passed on cannot be used again)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        EXPIRED = "expired", _("expired")
        REVOKED = "revoked", _("revoked")
        USED_UP = "used_up", _("used up")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="invites", verbose_name=_("cohort")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invites",
        verbose_name=_("team"),
        help_text=_("Optional: who signs up with this link joins this team."),
    )
    code = models.CharField(
        _("code"), max_length=32, unique=True, default=new_invite_code, editable=False
    )
    note = models.CharField(
        _("operator's note"),
        max_length=200,
        blank=True,
        help_text=_("For yourself, e.g. who the link is for."),
    )
    max_uses = models.PositiveIntegerField(
        _("maximum uses"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("How many people may sign up with this link."),
    )
    uses = models.PositiveIntegerField(_("uses"), default=0, editable=False)
    expires_at = models.DateTimeField(_("expires at"), default=default_invite_expiry)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = InviteQuerySet.as_manager()

    class Meta:
        verbose_name = _("invite")
        verbose_name_plural = _("invites")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_uses__gte=1),
                name="invite_max_uses_positive",
                violation_error_message=_("An invite must admit at least one person."),
            ),
            models.CheckConstraint(
                condition=Q(uses__lte=F("max_uses")),
                name="invite_uses_within_max",
                violation_error_message=_("This invite has been used as often as it allows."),
            ),
        ]
        indexes = [models.Index(fields=["cohort", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.cohort} · {self.code[:6]}…"

    def get_absolute_url(self) -> str:
        return reverse("accounts:join", args=[self.code])

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.uses >= self.max_uses:
            return self.Status.USED_UP
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.ACTIVE

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.ACTIVE

    def clean(self) -> None:
        if self.team_id and self.cohort_id and self.team.cohort_id != self.cohort_id:
            raise ValidationError({"team": _("This team belongs to another cohort.")})
