"""Comments on entries and sessions: post, reply (one level), edit and delete your own.

A page that shows comments calls `comment_context(request, obj)` and includes
`logs/_comments.html`; the form posts to `logs:comment_add`. A rejected comment is shown again on
its own page with the text the user typed and the reason.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logs import access, notify
from logs.access import lookups
from logs.forms.sessions import CommentForm
from logs.models import Comment, Entry, Session

COMMENTS_PER_PAGE = 50


def comment_thread(
    obj: Entry | Session, page_number, thread_count: int | None = None
) -> tuple[list[Comment], int, int]:
    """A page of `obj`'s top-level comments with their replies, as plain lists that can be
    cached: (comments, page number, number of threads). Three queries (count, comments, replies),
    two when the page's query for `obj` already counted its threads as `thread_count`."""
    comments = Comment.objects.on(obj).for_thread(obj.cohort_id)
    paginator = Paginator(comments, COMMENTS_PER_PAGE)
    if thread_count is not None:
        paginator.count = thread_count  # a cached_property: set, it is not counted again
    page = paginator.get_page(page_number)
    return list(page.object_list), page.number, paginator.count


def comment_context(
    request: HttpRequest,
    obj: Entry | Session,
    form: CommentForm | None = None,
    thread: tuple[list[Comment], int, int] | None = None,
    *,
    as_member: bool = False,
    thread_count: int | None = None,
) -> dict:
    """What `logs/_comments.html` needs for `obj`: a page of comments (`thread`, loaded here when
    not given), the form, and what the user may do with each comment — or, `as_member`, what any
    member who wrote none of them and moderates nothing may do (a page cached for all of them)."""
    user = request.user
    comments, number, count = thread or comment_thread(
        obj, request.GET.get("comments"), thread_count
    )
    page = Page(comments, number, Paginator(range(count), COMMENTS_PER_PAGE))
    field = _target_field(obj)
    for comment in comments:
        for c in (comment, *comment.replies.all()):
            setattr(c, field, obj)  # the rules below read it: no query per comment
            if as_member:
                c.can_edit = c.can_delete = False
                continue
            c.can_edit = access.can_edit_comment(user, c)
            c.can_delete = c.deleted_at is None and (
                c.can_edit or access.can_delete_comment(user, c)
            )
    return {
        "comment_target": obj,
        "comment_target_field": field,
        "comments": page,
        "comment_form": form or CommentForm(),
        "can_comment": access.can_comment_on(user, obj),
    }


def _target_field(obj: Entry | Session) -> str:
    return "entry" if isinstance(obj, Entry) else "session"


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@login_required
@require_POST
def comment_add(request: HttpRequest) -> HttpResponse:
    target = lookups.commentable_or_404(
        request.user, request.POST.get("entry"), request.POST.get("session")
    )
    if not access.can_comment_on(request.user, target):
        raise PermissionDenied
    form = CommentForm(request.POST)
    parent = lookups.reply_parent_or_404(request.POST.get("parent"), target)
    if parent is not None and not access.can_reply_to(parent):
        form.add_error(
            None, _("Replies go one level deep: your text will be a reply to the comment above.")
        )
        # Offer to reply to the thread's top comment instead, keeping the text.
        parent = parent.parent if parent.parent and access.can_reply_to(parent.parent) else None
    if not form.is_valid():
        return render(
            request,
            "logs/comment_form.html",
            {
                "form": form,
                "target": target,
                "target_field": _target_field(target),
                "reply_to": parent,
                "mode": "add",
            },
            status=400,
        )
    with transaction.atomic():
        comment = form.save(commit=False)
        comment.author = request.user
        comment.parent = parent
        if isinstance(target, Entry):
            comment.entry = target
        else:
            comment.session = target
        comment.save()
        notify.comment_posted(comment, _base_url(request))
    return redirect(comment.get_absolute_url())


@login_required
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = lookups.comment_or_404(request.user, pk, action="edit")
    form = CommentForm(request.POST or None, instance=comment)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your comment was updated."))
        return redirect(comment.get_absolute_url())
    return render(
        request,
        "logs/comment_form.html",
        {
            "form": form,
            "target": comment.target,
            "target_field": _target_field(comment.target),
            "comment": comment,
            "mode": "edit",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment = lookups.comment_or_404(request.user, pk, action="delete")
    target = comment.target
    if comment.replies.exists():
        # Keep the thread: the comment becomes a placeholder its replies still hang from.
        comment.deleted_at = timezone.now()
        comment.body = ""
        comment.save()
    else:
        comment.delete()
    if comment.author_id == request.user.pk:
        messages.success(request, _("Your comment was deleted."))
    else:
        messages.success(request, _("The comment was deleted."))
    return redirect(f"{target.get_absolute_url()}#comments")
