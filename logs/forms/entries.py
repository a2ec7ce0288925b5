from django import forms
from django.forms import Script
from django.utils.translation import gettext_lazy as _
from markdownx.widgets import MarkdownxWidget
from taggit.forms import TagField

from logs import locking, markdown
from logs.models import Entry
from logs.titles import one_line
from logs.uploads import MAX_UPLOAD_BYTES

CODEMIRROR = "6.44.2"  # static/vendor/codemirror-<version>/, built by `make vendor`


class EditorWidget(MarkdownxWidget):
    """The Markdown editor: CodeMirror (static/js/markdown-editor.js) over markdownx's textarea,
    with Camplog's own preview and upload scripts in place of markdownx's."""

    template_name = "logs/widgets/markdownx.html"

    class Media:
        extend = False
        js = (
            Script(f"vendor/codemirror-{CODEMIRROR}/codemirror.min.js", defer=True),
            Script("js/markdown-editor.js", defer=True),
        )

    def add_markdownx_attrs(self, attrs):
        attrs = super().add_markdownx_attrs(attrs)
        attrs["data-markdownx-editor-resizable"] = "False"
        attrs["data-upload-limit"] = str(MAX_UPLOAD_BYTES)
        return attrs


MAX_TAGS = 20
MAX_TAG_LENGTH = 50


def checked_tags(tags: list[str]) -> list[str]:
    """The tags of an entry or a session, at most MAX_TAGS of at most MAX_TAG_LENGTH each."""
    if len(tags) > MAX_TAGS:
        raise forms.ValidationError(
            _("At most %(limit)d tags, please."), params={"limit": MAX_TAGS}, code="too_many"
        )
    too_long = [tag for tag in tags if len(tag) > MAX_TAG_LENGTH]
    if too_long:
        raise forms.ValidationError(
            _("A tag can be at most %(limit)d characters: %(tag)s"),
            params={"limit": MAX_TAG_LENGTH, "tag": too_long[0][:60]},
            code="too_long",
        )
    return tags


class VersionField(forms.Field):
    """The version the editor started from (optimistic locking), hidden in the form. A value no
    row can have (`²`, 30 digits) reads as None: the save is then a conflict, shown with what
    was typed, never a 500 (`logs.locking`)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        return locking.parse_version(value if isinstance(value, str) else None)


class EntryForm(forms.ModelForm):
    """The editor. The cohort and author come from the view; `version` is the entry's version
    when the editor was opened, checked again when saving (see `Entry.save_checked`)."""

    tags = TagField(
        label=_("Tags"),
        required=False,
        help_text=_("Separate tags with commas, e.g. 부스트캠프AITech, week04, lv1-u-stage."),
    )
    version = VersionField()

    class Meta:
        model = Entry
        # Tags are set by the view (`entry.tags.set`): as a declared field they skip the query
        # ModelForm would make to read them from the instance.
        # The kind is the editor's (from the address or the entry), never the post's.
        fields = ["learning_date", "title", "body", "visibility", "status"]
        widgets = {
            "learning_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "title": forms.TextInput(attrs={"autocomplete": "off"}),
            "body": EditorWidget(
                attrs={"rows": 24, "spellcheck": "false", "class": "textarea-code"}
            ),
            "visibility": forms.RadioSelect,
            "status": forms.RadioSelect,
        }
        help_texts = {
            "learning_date": _("The day this log is about. Week, day and stage follow from it."),
        }
        error_messages = {
            "learning_date": {"invalid": _("Enter a real date, like 2022-02-09.")},
        }

    def __init__(self, *args, cohort, author, **kwargs):
        self.cohort = cohort
        self.author = author
        super().__init__(*args, **kwargs)
        self.fields["body"].required = False
        self.fields["body"].strip = False  # every character, trailing newlines included
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave it empty to use the title from the calendar.")
        self.fields["visibility"].help_text = _(
            "Private: only you. Cohort: members of your cohort. "
            "Public: anyone, also without logging in."
        )
        self.fields["status"].help_text = _("A draft is seen by you alone until you publish it.")

    def clean_title(self) -> str:
        return one_line(self.cleaned_data.get("title") or "")

    def clean_body(self) -> str:
        body = self.cleaned_data.get("body") or ""
        size = len(body.encode("utf-8"))
        if size > markdown.MAX_BODY_BYTES:
            raise forms.ValidationError(
                _(
                    "The text is %(size)d KB; a log can hold at most %(limit)d KB. "
                    "Split it into two entries, or move long code and data to a linked file."
                ),
                params={"size": (size + 1023) // 1024, "limit": markdown.MAX_BODY_BYTES // 1024},
                code="too_long",
            )
        return body

    def clean_tags(self) -> list[str]:
        return checked_tags(self.cleaned_data.get("tags") or [])

    def clean_learning_date(self):
        day = self.cleaned_data.get("learning_date")
        calendar = self.cohort.calendar
        if day is not None and not calendar.contains(day):
            raise forms.ValidationError(
                _("%(date)s is outside %(cohort)s (%(start)s – %(end)s). Pick a date within it."),
                params={
                    "date": day.isoformat(),
                    "cohort": self.cohort.name,
                    "start": calendar.start.isoformat(),
                    "end": calendar.end.isoformat(),
                },
                code="outside_cohort",
            )
        return day

    def clean(self):
        cleaned = super().clean()
        kind, day = self.instance.kind, cleaned.get("learning_date")
        before = self.instance.learning_date
        if (
            day is not None
            and before is not None
            and day != before
            and cleaned.get("title") == default_title(self.cohort, kind, before)
        ):
            # The calendar's title of the old date follows the date it was moved to.
            cleaned["title"] = default_title(self.cohort, kind, day)
        if day is not None and not cleaned.get("title"):
            cleaned["title"] = default_title(self.cohort, kind, day)
            if not cleaned["title"]:
                self.add_error("title", _("Give your note a title."))
        self.instance.title = cleaned.get("title") or ""
        existing = self.existing_entry()
        if existing is not None:
            message = (
                _("You already have a daily log for %(date)s.")
                if kind == Entry.Kind.DAILY
                else _("You already have a weekly log for week %(week)d.")
            )
            self.add_error(
                "learning_date",
                forms.ValidationError(
                    message,
                    params={"date": day.isoformat(), "week": self.cohort.calendar.week_of(day)},
                    code="duplicate",
                ),
            )
        return cleaned

    def existing_entry(self) -> Entry | None:
        """The other daily (or weekly) log this one would collide with, if any."""
        kind, day = self.instance.kind, self.cleaned_data.get("learning_date")
        if day is None or kind not in (Entry.Kind.DAILY, Entry.Kind.WEEKLY):
            return None
        others = Entry.objects.filter(author=self.author, cohort=self.cohort, kind=kind)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if kind == Entry.Kind.DAILY:
            others = others.filter(learning_date=day)
        else:
            others = others.filter(week=self.cohort.calendar.week_of(day))
        return others.only("pk").first()


def default_title(cohort, kind: str | None, day) -> str:
    """The title the calendar gives a log of `kind` on `day`; notes have none."""
    if kind == Entry.Kind.DAILY:
        return cohort.calendar.daily_title(day)
    if kind == Entry.Kind.WEEKLY:
        return cohort.calendar.weekly_title_of(day)
    return ""
