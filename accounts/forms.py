from django import forms

from accounts.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "email", "bio", "preferred_language", "email_notifications"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
