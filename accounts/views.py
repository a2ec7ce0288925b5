from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.forms import ProfileForm


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    memberships = request.user.memberships.select_related("cohort", "team").order_by(
        "-cohort__start_date"
    )
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})
