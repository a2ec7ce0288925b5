"""The browser import's form: a cohort and several files (.md, images, .zip)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Cohort
from logs.transfer.limits import upload_problem


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked as FileField checks one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            if not data:
                return single(None, initial)
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportForm(forms.Form):
    # The cohorts come from the view as a list: one query, however often the select is drawn.
    cohort = forms.TypedChoiceField(label=_("Cohort"), coerce=int)
    files = MultipleFileField(
        label=_("Posts"),
        # An empty .md is reported on its own row of the preview, not refused with the rest.
        allow_empty_file=True,
        help_text=_(
            "Markdown posts (.md) with their images, or a .zip of your blog "
            "(e.g. the _posts and assets folders)."
        ),
        widget=MultipleFileInput(
            attrs={"accept": ".md,.markdown,.zip,.png,.jpg,.jpeg,.gif,.webp,.avif,.heic,.heif"}
        ),
    )

    def __init__(self, *args, cohorts: list[Cohort], **kwargs):
        super().__init__(*args, **kwargs)
        self.cohorts = {cohort.pk: cohort for cohort in cohorts}
        self.fields["cohort"].choices = [(cohort.pk, cohort.name) for cohort in cohorts]

    def clean_cohort(self) -> Cohort:
        return self.cohorts[self.cleaned_data["cohort"]]

    def clean_files(self):
        files = self.cleaned_data["files"]
        problem = upload_problem([(upload.name, upload.size) for upload in files], in_parts=False)
        if problem:
            raise forms.ValidationError(problem)
        return files
