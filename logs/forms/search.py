from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Cohort

KINDS = [
    ("", _("Everything")),
    ("daily", _("Daily logs")),
    ("weekly", _("Weekly logs")),
    ("note", _("Notes")),
    ("session", _("Sessions")),
    ("comment", _("Comments")),
]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, strip=True)
    cohort = forms.ChoiceField(label=_("Cohort"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=KINDS)
    author = forms.CharField(
        label=_("Author"), required=False, max_length=150, help_text=_("A username")
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=100)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cohorts = Cohort.objects.order_by("-start_date").only("pk", "slug", "name")
        self.fields["cohort"].choices = [("", _("All cohorts"))] + [
            (c.slug, c.name) for c in cohorts
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data
