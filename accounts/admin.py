"""The Django admin, for operators.

Operators are staff users in the "Operators" group (accounts/operators.py): the group says which
*kinds* of objects they may touch; `CohortScopedAdmin` says *which rows*: only those of the cohorts
they run (`Cohort.objects.run_by(user)`). Another cohort's objects are not in their lists and
their pages answer 404. Superusers see everything.

The cohort page edits the calendar (non-learning days, stages) and the teams inline and checks
the whole calendar with `accounts.calendar.validate_calendar` before anything is saved; the
database checks it again at commit (migration 0003).
"""

import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts import member_import
from accounts.calendar import CohortCalendar, StageSpan, validate_calendar
from accounts.models import Cohort, Invite, Membership, NonLearningDay, Stage, Team, User
from accounts.operators import grant_operator_access, users_within_reach

admin.site.site_header = _("Camplog administration")
admin.site.site_title = _("Camplog administration")
admin.site.index_title = _("Cohorts, people and calendars")


def operated_cohort_ids(request) -> frozenset[int] | None:
    """The ids of the cohorts the request's user runs; None for a superuser (no limit).
    Computed once per request."""
    if request.user.is_superuser:
        return None
    cached = getattr(request, "_operated_cohort_ids", None)
    if cached is None:
        cached = frozenset(Cohort.objects.run_by(request.user).values_list("pk", flat=True))
        request._operated_cohort_ids = cached
    return cached


class ScopedChoices:
    """Limits every related-object choice of an operator's forms to the cohorts they run. These
    querysets are what the form validates a POST against, so another cohort's cohort, team or
    person is refused with a form error whatever the widget offered. A relation to a model not
    listed here fails loudly rather than offering every row."""

    def scoped_choices(self, related_model, request):
        user = request.user
        if related_model is Cohort:
            return Cohort.objects.run_by(user)
        if related_model is Team:
            return Team.objects.filter(cohort__in=Cohort.objects.run_by(user)).select_related(
                "cohort"
            )
        if related_model is User:
            return users_within_reach(user)
        raise ImproperlyConfigured(
            f"{type(self).__name__}: no operator scope for choices of {related_model.__name__}"
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            kwargs["queryset"] = self.scoped_choices(db_field.related_model, request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            kwargs["queryset"] = self.scoped_choices(db_field.related_model, request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CohortScopedAdmin(ScopedChoices, admin.ModelAdmin):
    """Limits lists, pages, choices and permissions to the cohorts the operator runs."""

    cohort_lookup = "cohort"  # the path from this model to its cohort

    def cohort_id_of(self, obj) -> int:
        return obj.cohort_id

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = operated_cohort_ids(request)
        if ids is None:
            return queryset
        return queryset.filter(**{f"{self.cohort_lookup}__in": ids})

    def in_scope(self, request, obj) -> bool:
        if obj is None:
            return True
        ids = operated_cohort_ids(request)
        return ids is None or self.cohort_id_of(obj) in ids

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

    def get_object(self, request, object_id, from_field=None):
        # Out of scope looks exactly like missing: a 404, not the admin's "perhaps it was deleted"
        # redirect, which would confirm that the object exists.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


# --- Cohort, with its calendar and teams inline -------------------------------------------------


TIME_ZONE_CHOICES = [(zone, zone) for zone in sorted(zoneinfo.available_timezones())]


class CohortAdminForm(forms.ModelForm):
    # A list rather than free text: a typo in a zone name would shift every learning date.
    time_zone = forms.ChoiceField(
        label=_("time zone"), choices=TIME_ZONE_CHOICES, initial="Asia/Seoul"
    )

    class Meta:
        model = Cohort
        fields = (
            "name",
            "slug",
            "description",
            "start_date",
            "end_date",
            "time_zone",
            "cutoff_hour",
            "daily_template",
            "weekly_template",
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end:
            for problem in validate_calendar(start, end, [], []):
                self.add_error("end_date", problem)
        return cleaned


def _cohort_problems(cohort: Cohort) -> set[str]:
    """What the cohort form already reports, so the inlines do not repeat it."""
    return set(validate_calendar(cohort.start_date, cohort.end_date, [], []))


def _has_dates(cohort: Cohort) -> bool:
    return bool(cohort.start_date and cohort.end_date)


class CalendarInlineFormSet(BaseInlineFormSet):
    def live_rows(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def problems(self) -> list[str]:
        raise NotImplementedError

    def clean(self):
        super().clean()
        # Rows with their own errors (a date outside the cohort) are reported on the row.
        if any(self.errors) or not _has_dates(self.instance):
            return
        known = _cohort_problems(self.instance)
        problems = [p for p in self.problems() if p not in known]
        if problems:
            raise ValidationError(problems)


class NonLearningDayFormSet(CalendarInlineFormSet):
    def problems(self) -> list[str]:
        holidays = [(row["date"], row["name"]) for row in self.live_rows()]
        return validate_calendar(self.instance.start_date, self.instance.end_date, holidays, [])


class StageFormSet(CalendarInlineFormSet):
    def problems(self) -> list[str]:
        spans = [
            StageSpan(row["slug"], row["name"], row["start_date"], row["end_date"])
            for row in self.live_rows()
        ]
        return validate_calendar(self.instance.start_date, self.instance.end_date, [], spans)


class NonLearningDayInline(ScopedChoices, admin.TabularInline):
    model = NonLearningDay
    formset = NonLearningDayFormSet
    extra = 0
    fields = ("date", "name")


class StageInline(ScopedChoices, admin.TabularInline):
    model = Stage
    formset = StageFormSet
    extra = 0
    fields = ("name", "slug", "start_date", "end_date")


class TeamColumns:
    """A team's mentors and learner count, for lists of teams: the mentors prefetched and the
    learners counted in the query, not one query per team."""

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("mentors")
            .annotate(
                learners=Count("memberships", filter=Q(memberships__role=Membership.Role.LEARNER))
            )
        )

    @admin.display(description=_("mentors"))
    def mentor_names(self, team: Team) -> str:
        return ", ".join(str(mentor) for mentor in team.mentors.all()) if team.pk else ""

    @admin.display(description=_("learners"), ordering="learners")
    def learner_count(self, team: Team) -> int:
        return getattr(team, "learners", 0)


class TeamInline(TeamColumns, ScopedChoices, admin.TabularInline):
    """Teams by name; mentors are chosen on each team's own page (the change link), because an
    autocomplete widget per row would cost a query per team here."""

    model = Team
    extra = 0
    fields = ("name", "mentor_names", "learner_count")
    readonly_fields = ("mentor_names", "learner_count")
    show_change_link = True


@admin.register(Cohort)
class CohortAdmin(CohortScopedAdmin):
    form = CohortAdminForm
    cohort_lookup = "pk"
    list_display = (
        "name",
        "slug",
        "start_date",
        "end_date",
        "weeks",
        "learner_count",
        "team_count",
        "board_link",
    )
    list_display_links = ("name",)
    search_fields = ("name", "slug")
    date_hierarchy = "start_date"
    fieldsets = (
        (None, {"fields": ("name", "slug", "description")}),
        (_("Calendar"), {"fields": ("start_date", "end_date", "time_zone", "cutoff_hour")}),
        (
            _("Templates for new logs"),
            {"fields": ("daily_template", "weekly_template"), "classes": ("collapse",)},
        ),
    )
    inlines = (NonLearningDayInline, StageInline, TeamInline)

    def cohort_id_of(self, obj) -> int:
        return obj.pk

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                learners=Count(
                    "memberships",
                    filter=Q(memberships__role=Membership.Role.LEARNER),
                    distinct=True,
                ),
                team_total=Count("teams", distinct=True),
            )
        )

    @admin.display(description=_("weeks"))
    def weeks(self, cohort: Cohort) -> int:
        # Weeks do not depend on holidays: a bare calendar avoids a query per row.
        return CohortCalendar(cohort.start_date, cohort.end_date).week_count

    @admin.display(description=_("learners"), ordering="learners")
    def learner_count(self, cohort: Cohort) -> int:
        return cohort.learners

    @admin.display(description=_("teams"), ordering="team_total")
    def team_count(self, cohort: Cohort) -> int:
        return cohort.team_total

    @admin.display(description=_("board"))
    def board_link(self, cohort: Cohort) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("logs:board", args=[cohort.slug]), gettext("Board")
        )

    def has_delete_permission(self, request, obj=None):
        # Deleting a cohort deletes every log in it: superusers only.
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and not request.user.is_superuser:
            # An operator who creates a cohort runs it; without this it would vanish from view.
            Membership.objects.get_or_create(
                user=request.user, cohort=obj, defaults={"role": Membership.Role.OPERATOR}
            )
            request.__dict__.pop("_operated_cohort_ids", None)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/import/",
                self.admin_site.admin_view(self.import_members_view),
                name="accounts_cohort_import",
            ),
            *super().get_urls(),
        ]

    def import_members_view(self, request, object_id):
        cohort = self.get_object(request, unquote(object_id))
        if not (
            self.has_change_permission(request, cohort)
            and request.user.has_perm("accounts.add_membership")
        ):
            raise PermissionDenied
        rows = None
        form = MemberImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            text = form.cleaned_data["text"]
            try:
                if "confirm" in request.POST:
                    rows, result = member_import.apply(
                        cohort,
                        text,
                        by=request.user,
                        base_url=request.build_absolute_uri("/").rstrip("/"),
                    )
                    if result is not None:
                        self.message_user(request, _import_summary(result), messages.SUCCESS)
                        changelist = reverse("admin:accounts_membership_changelist")
                        return redirect(f"{changelist}?cohort__id__exact={cohort.pk}")
                    self.message_user(
                        request,
                        gettext("Nothing was imported: fix the rows marked below and try again."),
                        messages.ERROR,
                    )
                else:
                    rows = member_import.preview(cohort, text, by=request.user)
            except member_import.ImportFileError as error:
                form.add_error(None, str(error))
            # What was uploaded stays in the text box, to be fixed in place and checked again.
            form = MemberImportForm(data={"csv_text": text}, errors_from=form)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": cohort,
            "title": gettext("Import members into %(cohort)s") % {"cohort": cohort.name},
            "form": form,
            "rows": rows,
            "error_count": sum(1 for row in rows if not row.ok) if rows else 0,
            "all_ok": bool(rows) and all(row.ok for row in rows),
        }
        return TemplateResponse(request, "admin/accounts/cohort/import_members.html", context)


def _import_summary(result: member_import.ImportResult) -> str:
    parts = [
        ngettext("%(count)d account created", "%(count)d accounts created", result.created)
        % {"count": result.created},
        ngettext(
            "%(count)d existing account added", "%(count)d existing accounts added", result.joined
        )
        % {"count": result.joined},
        ngettext("%(count)d team created", "%(count)d teams created", result.teams_created)
        % {"count": result.teams_created},
        ngettext("%(count)d email sent", "%(count)d emails sent", result.emails)
        % {"count": result.emails},
    ]
    return gettext("Import done: %(summary)s.") % {"summary": ", ".join(parts)}


class MemberImportForm(forms.Form):
    csv_file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_("Columns: username, email, name, role, team (header row first)."),
    )
    csv_text = forms.CharField(
        label=_("or paste the CSV here"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
    )

    def __init__(self, *args, errors_from: forms.Form | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._errors_from = errors_from

    def full_clean(self):
        super().full_clean()
        if self._errors_from is not None:
            for error in self._errors_from.non_field_errors():
                self.add_error(None, error)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("csv_file")
        if upload:
            try:
                cleaned["text"] = member_import.decode(upload.read(member_import.MAX_BYTES + 1))
            except member_import.ImportFileError as error:
                raise ValidationError(str(error)) from None
        elif cleaned.get("csv_text", "").strip():
            cleaned["text"] = cleaned["csv_text"]
        else:
            raise ValidationError(gettext("Choose a CSV file or paste its contents."))
        return cleaned


# --- Teams, memberships, invites ----------------------------------------------------------------


@admin.register(Team)
class TeamAdmin(TeamColumns, CohortScopedAdmin):
    list_display = ("name", "cohort", "mentor_names", "learner_count")
    list_select_related = ("cohort",)
    list_filter = (("cohort", RelatedOnlyFieldListFilter),)
    search_fields = ("name", "cohort__name")
    autocomplete_fields = ("mentors",)
    ordering = ("cohort", "name")


@admin.register(Membership)
class MembershipAdmin(CohortScopedAdmin):
    list_display = ("user", "username", "email", "cohort", "role", "team", "joined_at")
    list_display_links = ("user", "username")
    list_select_related = ("user", "cohort", "team")
    list_filter = (
        ("cohort", RelatedOnlyFieldListFilter),
        "role",
        ("team", RelatedOnlyFieldListFilter),
    )
    search_fields = ("user__username", "user__display_name", "user__email", "team__name")
    autocomplete_fields = ("user", "team")
    date_hierarchy = "joined_at"
    ordering = ("cohort", "role", "team__name", "user__username")
    list_per_page = 100

    @admin.display(description=_("username"), ordering="user__username")
    def username(self, membership: Membership) -> str:
        return membership.user.username

    @admin.display(description=_("email"), ordering="user__email")
    def email(self, membership: Membership) -> str:
        return membership.user.email

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.role == Membership.Role.OPERATOR:
            grant_operator_access(obj.user)


@admin.register(Invite)
class InviteAdmin(CohortScopedAdmin):
    list_display = (
        "join_link",
        "cohort",
        "team",
        "note",
        "status_label",
        "uses_label",
        "expires_at",
        "created_by",
    )
    list_select_related = ("cohort", "team", "created_by")
    list_filter = (("cohort", RelatedOnlyFieldListFilter),)
    search_fields = ("note", "code", "team__name")
    date_hierarchy = "created_at"
    fields = (
        "cohort",
        "team",
        "note",
        "max_uses",
        "expires_at",
        "uses",
        "status_label",
        "revoked_at",
        "created_by",
    )
    readonly_fields = ("uses", "status_label", "revoked_at", "created_by")
    actions = ("revoke",)

    @admin.display(description=_("link"))
    def join_link(self, invite: Invite) -> str:
        return format_html(
            '<a href="{}">…/{}</a>', invite.get_absolute_url(), invite.code[:8] + "…"
        )

    @admin.display(description=_("status"))
    def status_label(self, invite: Invite) -> str:
        return invite.get_status_display()

    @admin.display(description=_("uses"))
    def uses_label(self, invite: Invite) -> str:
        return f"{invite.uses} / {invite.max_uses}"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Revoke the selected invites"), permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d invite revoked.", "%(count)d invites revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )


# --- Users --------------------------------------------------------------------------------------

PRIVILEGED_USER_FIELDS = (
    "is_staff",
    "is_superuser",
    "groups",
    "user_permissions",
    "last_login",
    "date_joined",
)


@admin.register(User)
class UserAdmin(ScopedChoices, DjangoUserAdmin):
    """Operators see the people of the cohorts they run. They may edit a person's name and
    email only when that person is in no other cohort and holds no admin rights; passwords,
    staff status and permissions stay with superusers."""

    list_display = ("username", "display_name", "email", "is_staff", "is_active", "last_login")
    search_fields = ("username", "display_name", "email", "first_name", "last_name")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("Camplog"),
            {"fields": ("display_name", "bio", "preferred_language", "email_notifications")},
        ),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        reachable = users_within_reach(request.user).values("pk")
        return queryset.filter(Q(pk__in=reachable) | Q(pk=request.user.pk))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        return [
            (name, {**opts, "fields": tuple(f for f in opts["fields"] if f != "password")})
            for name, opts in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        return (*readonly, *PRIVILEGED_USER_FIELDS)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or request.user.is_superuser:
            return allowed
        if obj.pk == request.user.pk:
            return True
        if obj.is_superuser or obj.is_staff:
            return False
        ids = operated_cohort_ids(request) or frozenset()
        return not Membership.objects.filter(user=obj).exclude(cohort_id__in=ids).exists()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)
