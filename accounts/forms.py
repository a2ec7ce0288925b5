from django import forms
from django.conf import settings
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class ProfileForm(forms.ModelForm):
    # The email address resets the password: changing it is as sensitive as the password, so a
    # session left open (or taken) is not enough to change it.
    current_password = forms.CharField(
        label=_("Current password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Needed only to change your email address."),
    )

    class Meta:
        model = User
        fields = ["display_name", "email", "bio", "preferred_language", "email_notifications"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "display_name": _("How your name appears on logs and comments, e.g. 김캠퍼."),
            "preferred_language": _("Camplog switches to it when you log in."),
        }

    field_order = ["display_name", "email", "current_password"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = [
            ("", _("As my browser says")),
            *settings.LANGUAGES,
        ]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.lower() == self.instance.email.lower():
            return email
        if not self.instance.check_password(self.data.get("current_password", "")):
            self.add_error(
                "current_password",
                _("Enter your current password to change your email address."),
            )
        elif User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("This email address is in use by another account."), code="taken"
            )
        return email


class SignupForm(UserCreationForm):
    """A new account from an invite link: username, name, email and password."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "display_name", "email")
        help_texts = {
            "display_name": _("How your name appears on logs and comments, e.g. 김캠퍼."),
            "email": _("For resetting your password and for notifications."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["display_name"].required = True
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["display_name"].widget.attrs["autocomplete"] = "nickname"

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "An account with this email address exists already. Log in with it, "
                    "then open the invite link again."
                )
            )
        return email
