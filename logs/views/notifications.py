"""The notifications page: what happened to my logs, my team's sessions, my comments and my
questions. Only notifications about things the user can still see are listed or counted."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from logs import notify
from logs.access import lookups
from logs.models import Notification

PER_PAGE = 25


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    mine = Notification.objects.for_recipient(request.user)
    show = "unread" if request.GET.get("show") == "unread" else "all"
    listed = mine.unread() if show == "unread" else mine
    page = Paginator(listed.for_list().order_by("-created_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    notify.excerpts(list(page))
    return render(
        request,
        "logs/notifications.html",
        {
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "query_string": "show=unread" if show == "unread" else "",
            "show": show,
            "nav_section": "notifications",
        },
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification: it is read once opened."""
    note = lookups.notification_or_404(request.user, pk)
    if note.read_at is None:
        Notification.objects.filter(pk=note.pk).update(read_at=timezone.now())
    return redirect(note.get_absolute_url())


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (`id`) or all of them as read."""
    mine = Notification.objects.filter(recipient=request.user, read_at__isnull=True)
    if request.POST.get("id"):
        mine = mine.filter(pk=lookups.notification_or_404(request.user, request.POST["id"]).pk)
    mine.update(read_at=timezone.now())
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        # Not redirect(): it would take a word without a slash for a URL name to reverse.
        return HttpResponseRedirect(target)
    return redirect("logs:notifications")
