"""People, cohorts, their calendars, teams and roles.

This app knows nothing of logs: `logs` builds on it, never the other way round.
"""

import zoneinfo
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.calendar import CohortCalendar, StageSpan

DEFAULT_DAILY_TEMPLATE = """## **📝 오늘 한 일**
- [ ] 

<br>

## **👥 피어세션 요약**
### **키워드 공유**
- 

<br>

## **🏫 멘토링 요약**
- 

<br>

## **🐾 일일 회고**


<br>

## **🚀 내일 할 일**
- [ ] 
"""

DEFAULT_WEEKLY_TEMPLATE = """## **📅 이번 주에 한 일**
- 

## **💡 이번 주에 배운 것**
- 

## **🐾 주간 회고**


## **🚀 다음 주 목표**
- [ ] 
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

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="cohort_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(cutoff_hour__lte=12), name="cohort_cutoff_hour_range"
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
        cohort = self.cohort if self.cohort_id else None
        if cohort and not (cohort.start_date <= self.date <= cohort.end_date):
            raise ValidationError(
                {"date": _("%(date)s is outside the cohort (%(start)s – %(end)s).")},
                params={"date": self.date, "start": cohort.start_date, "end": cohort.end_date},
            )


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
                condition=Q(end_date__gte=F("start_date")), name="stage_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


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
            ),
        ]
        indexes = [models.Index(fields=["cohort", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.cohort} · {self.get_role_display()}"

    def clean(self) -> None:
        if self.team_id and self.cohort_id and self.team.cohort_id != self.cohort_id:
            raise ValidationError({"team": _("This team belongs to another cohort.")})
