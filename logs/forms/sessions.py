"""Forms for sessions, their coding-test problems and mentoring questions, comments and answers.

Which people a session may name (host, attendees, askers) is decided here from the team, so a
session never lists someone outside it; who may submit the form at all is `logs.access`.
"""

from django import forms
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from accounts.models import Cohort, Membership, Team, User
from logs import locking
from logs.forms.entries import EditorWidget, VersionField, checked_tags
from logs.markdown import MAX_BODY_BYTES
from logs.models import Comment, MentoringQuestion, Session, SessionProblem
from logs.titles import one_line

TEAM_KINDS = {Session.Kind.PEER, Session.Kind.MENTORING}
COHORT_KINDS = {Session.Kind.OFFICE_HOURS, Session.Kind.LECTURE}


def team_people(team: Team):
    """The team's learners and its mentors: who may host, attend or ask in its sessions."""
    return (
        User.objects.filter(
            Q(memberships__team=team, memberships__role=Membership.Role.LEARNER)
            | Q(mentored_teams=team)
        )
        .distinct()
        .order_by("display_name", "username")
    )


def cohort_staff(cohort: Cohort):
    return User.objects.filter(
        memberships__cohort=cohort,
        memberships__role__in=[Membership.Role.MENTOR, Membership.Role.OPERATOR],
    ).order_by("display_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.name


class SessionForm(forms.ModelForm):
    # The version the editor started from: a save from an older version is a conflict.
    version = VersionField()

    class Meta:
        model = Session
        fields = ["kind", "date", "title", "host", "attendees", "summary", "tags"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": EditorWidget(
                attrs={"rows": 16, "spellcheck": "false", "class": "textarea-code"}
            ),
            "attendees": forms.CheckboxSelectMultiple,
        }
        field_classes = {"host": PersonChoiceField, "attendees": PeopleChoiceField}
        help_texts = {
            "summary": _("Markdown: keyword sharing, what you discussed, links."),
            "tags": _("Keywords, separated by commas: attention, transformer, LSTM"),
        }

    def __init__(self, *args, cohort: Cohort, team: Team | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.team = team
        kinds = TEAM_KINDS if team else COHORT_KINDS
        self.fields["kind"].choices = [(k, v) for k, v in Session.Kind.choices if k in kinds]
        self.fields["host"].label = _("Moderator / host")
        if team:
            people = team_people(team)
            self.fields["host"].queryset = people
            self.fields["attendees"].queryset = people
            self.fields["attendees"].error_messages["invalid_choice"] = _(
                "Only the team's members and mentors can attend its session."
            )
            self.fields["host"].error_messages["invalid_choice"] = _(
                "The moderator must be one of the team's members or mentors."
            )
        else:
            # Cohort-wide sessions record their host; the whole cohort may attend.
            self.fields["host"].queryset = cohort_staff(cohort)
            self.fields["host"].error_messages["invalid_choice"] = _(
                "The host must be one of the cohort's mentors or operators."
            )
            del self.fields["attendees"]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_date(self):
        date = self.cleaned_data["date"]
        calendar = self.cohort.calendar
        if not calendar.contains(date):
            raise forms.ValidationError(
                _("%(date)s is outside the cohort (%(start)s – %(end)s)."),
                params={"date": date, "start": calendar.start, "end": calendar.end},
                code="outside_cohort",
            )
        return date

    def clean_title(self):
        return one_line(self.cleaned_data["title"])

    def clean_tags(self):
        return checked_tags(self.cleaned_data.get("tags") or [])

    def clean_summary(self):
        summary = self.cleaned_data["summary"]
        if len(summary.encode()) > MAX_BODY_BYTES:
            raise forms.ValidationError(
                _("The summary is too long (at most %(limit)d KB). Split it, or link to a note."),
                params={"limit": MAX_BODY_BYTES // 1000},
                code="too_long",
            )
        return summary

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if (kind in TEAM_KINDS) != bool(self.team):
            raise forms.ValidationError(
                _(
                    "Peer sessions and mentoring belong to a team; office hours and lectures to the cohort."
                )
            )
        return kind


class ProblemForm(forms.ModelForm):
    url = forms.URLField(
        label=_("Link"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://www.acmicpc.net/problem/…"}),
    )

    class Meta:
        model = SessionProblem
        fields = ["title", "url"]
        widgets = {
            "title": forms.TextInput(attrs={"placeholder": "[BOJ] 원숭이 매달기"}),
        }


ProblemFormSet = inlineformset_factory(
    Session, SessionProblem, form=ProblemForm, extra=2, can_delete=True, max_num=30
)


class QuestionForm(forms.ModelForm):
    class Meta:
        model = MentoringQuestion
        fields = ["question", "asked_by"]
        widgets = {"question": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"asked_by": PersonChoiceField}
        labels = {"asked_by": _("Asked by")}


class BaseQuestionFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, team: Team | None = None, asker: User | None = None, **kwargs):
        self.team = team
        self.asker = asker
        self._people = team_people(team) if team else User.objects.none()
        self._choices = None
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        field = form.fields["asked_by"]
        field.queryset = self._people
        # Every row offers the same people: load them once, not once per question.
        if self._choices is None:
            self._choices = list(field.choices)
        field.widget.choices = self._choices
        field.required = False
        field.error_messages["invalid_choice"] = _("Only the team's members can ask its mentor.")
        if not form.instance.pk and self.asker is not None:
            form.initial.setdefault("asked_by", self.asker.pk)
        return form


QuestionFormSet = inlineformset_factory(
    Session,
    MentoringQuestion,
    form=QuestionForm,
    formset=BaseQuestionFormSet,
    extra=2,
    can_delete=True,
    max_num=50,
)


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {
            "body": forms.Textarea(
                attrs={"rows": 3, "placeholder": _("Write a comment (Markdown works)")}
            )
        }
        labels = {"body": _("Comment")}
        error_messages = {"body": {"required": _("Write something before posting.")}}

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write something before posting."), code="empty")
        return body


class AnswerForm(forms.ModelForm):
    # The version the answer was loaded at: a save from an older one (or without a readable
    # one) is a conflict, shown with what was typed, never a silent overwrite or a bare 400.
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = MentoringQuestion
        fields = ["answer"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 4})}
        labels = {"answer": _("Answer")}
        error_messages = {"answer": {"required": _("Write the answer before saving.")}}
        help_texts = {"answer": _("Markdown works. Use a list for several points.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def clean_version(self) -> int | None:
        return locking.parse_version(self.cleaned_data["version"])

    def clean_answer(self):
        answer = self.cleaned_data["answer"].strip()
        if not answer:
            raise forms.ValidationError(_("Write the answer before saving."), code="empty")
        return answer
