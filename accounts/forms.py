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
        self.stored_email = self.instance.email
        self.fields["preferred_language"].choices = [
            ("", _("As my browser says")),
            *settings.LANGUAGES,
        ]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.lower() != self.stored_email.lower() and not self.instance.check_password(
            self.data.get("current_password", "")
        ):
            self.add_error(
                "current_password",
                _("Enter your current password to change your email address."),
            )
        return email

    def save(self, commit: bool = True) -> User:
        """Save all but a new email address, which waits in `new_email` for its confirmation
        (accounts/email_confirmation.py); clearing the address needs none."""
        self.new_email = None
        typed = self.instance.email
        if typed and typed.lower() != self.stored_email.lower():
            self.new_email, self.instance.email = typed, self.stored_email
        return super().save(commit)


class SignupForm(UserCreationForm):
    """A new account from an invite link: username, name, email and password. A taken username
    is refused (usernames are public, on every learner's page); a taken email is not, since
    the address is only stored once confirmed."""

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
        # Whether the address has an account is not said here (accounts/email_confirmation.py).
        return self.cleaned_data["email"].strip().lower()
