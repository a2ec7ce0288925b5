"""Writing and reading entries: the editor (new, edit, autosave), the entry page, delete, the
Markdown download and ticking a task on the page.

Nothing typed is lost:
- a form error re-renders every field as posted;
- the editor autosaves to `Autosave` while typing, and reopening it offers the newer draft; each
  opened editor has its own draft (`draft_device`), so tabs and devices never clear or overwrite
  each other's, and a save turns away its own editor's late autosaves;
- a save from a session that has expired is kept in the (new, anonymous) session, and after the
  login it leads back to, the save goes through (`_login_required_keeping_post`);
- two tabs: the save checks the version it started from in the UPDATE; the loser gets a conflict
  page with both texts side by side and nothing overwritten.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from taggit.models import Tag

from accounts.models import Cohort
from logs import access, locking, markdown, reading, sharing, tagging, writing
from logs.access import lookups
from logs.caching import fragments, versions
from logs.forms.entries import EntryForm, default_title
from logs.models import Autosave, Entry, Session
from logs.params import MAX_INTEGER, parse_int
from logs.transfer.exporter import export_entry
from logs.uploads import link_uploads
from logs.views.comments import _base_url, comment_context, comment_thread

PENDING_POST = "camplog_pending_post"
AUTOSAVE_FIELDS = ("learning_date", "title", "body", "tags", "visibility", "status")
TAG_SUGGESTIONS = 300
DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{0,32}")
# How long a saved editor's marker turns away its late autosaves (they arrive within seconds).
SAVED_MARKER_LIFETIME = dt.timedelta(days=1)
# Explicit, unlike the model's default (published), which an imported post without
# `published: false` keeps: what the editor starts is the learner's alone until they publish it.
NEW_ENTRY_STATUS = Entry.Status.DRAFT


# --- Lookups (fetch + access check, in one place per object) ------------------------------------


# --- Keeping a save through an expired session --------------------------------------------------


def _login_required_keeping_post(view):
    """`login_required` that does not drop a POST: an anonymous POST (an expired session) is kept
    in the session and replayed once, as the same POST, when the user comes back logged in.

    Django's login keeps the anonymous session's data (it only changes its key), so the text
    survives the detour through the login form. The replay runs every check the POST would have
    met (owner, version, validation); only the CSRF token is not checked again, as it was checked
    when the text was first posted.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.user.is_authenticated:
            pending = request.session.get(PENDING_POST)
            if request.method == "GET" and pending and pending.get("path") == request.path:
                del request.session[PENDING_POST]
                data = QueryDict(mutable=True)
                for key, values in pending["data"].items():
                    data.setlist(key, values)
                request.method = "POST"
                request.POST = data
            return view(request, *args, **kwargs)
        if request.method == "POST":
            request.session[PENDING_POST] = {
                "path": request.path,
                "data": {key: request.POST.getlist(key) for key in request.POST},
            }
            messages.warning(
                request,
                _("Your session ended before saving. Log in again and your text will be saved."),
            )
        return redirect_to_login(request.get_full_path())

    return wrapper


# --- The editor ---------------------------------------------------------------------------------


def _autosave_key(cohort: Cohort, kind: str, day: dt.date, entry: Entry | None) -> str:
    if entry is not None and entry.pk:
        return f"entry:{entry.pk}"
    return f"new:{cohort.pk}:{kind}:{day.isoformat()}"


def _device(raw: str) -> str | None:
    """The editor's id as posted (empty from an editor opened before ids existed); None if it is
    not one Camplog hands out."""
    return raw if DEVICE_ID.fullmatch(raw) else None


def _new_device() -> str:
    return secrets.token_urlsafe(12)


def _close_draft(user, key: str, device: str, entry: Entry) -> None:
    """The editor `device` saved: its draft becomes a marker that turns away its late autosaves.
    Other editors' drafts stay: they may hold text typed after this editor opened."""
    if not device:
        # A client that sends no editor id (a page opened before ids existed) shares one draft
        # for all its editors: a marker would turn away its next editor's autosaves.
        Autosave.objects.filter(author=user, key=key, device="").delete()
        return
    Autosave.objects.update_or_create(
        author=user,
        key=key,
        device=device,
        defaults={"saved": True, "data": {}, "entry": entry, "base_version": None},
    )
    Autosave.objects.filter(
        author=user, saved=True, updated_at__lt=timezone.now() - SAVED_MARKER_LIFETIME
    ).delete()


def _entry_values(entry: Entry) -> dict[str, str]:
    """An entry's editor fields as the editor would post them, to compare with a draft."""
    return {
        "learning_date": entry.learning_date.isoformat() if entry.learning_date else "",
        "title": entry.title,
        "body": entry.body,
        "tags": ", ".join(sorted(tag.name for tag in entry.tags.all())) if entry.pk else "",
        "visibility": entry.visibility,
        "status": entry.status,
    }


def _differs(draft: Autosave, values: dict[str, str]) -> bool:
    """Whether a draft holds anything the editor would not show anyway."""
    data = draft.data

    def norm(text: str) -> str:
        return (text or "").replace("\r\n", "\n").strip()

    def tags(text: str) -> list[str]:
        return sorted(t.strip().lower() for t in (text or "").split(",") if t.strip())

    return (
        norm(data.get("body", "")) != norm(values["body"])
        or norm(data.get("title", "")) not in ("", norm(values["title"]))
        or ("tags" in data and tags(data["tags"]) != tags(values["tags"]))
    )


def _tag_suggestions(cohort: Cohort) -> list[str]:
    """The cohort's most used tags, for the tag input's suggestions (one query)."""
    return list(
        Tag.objects.filter(logs_taggedentry_items__content_object__cohort=cohort)
        .annotate(uses=Count("logs_taggedentry_items"))
        .order_by("-uses", "name")
        .values_list("name", flat=True)[:TAG_SUGGESTIONS]
    )


def _conflict(request, form: EntryForm, entry: Entry, device: str) -> HttpResponse:
    """Two tabs saved the same entry: show both texts, overwrite nothing (409)."""
    saved = Entry.objects.select_related("author").prefetch_related("tags").get(pk=entry.pk)
    mine = form.data.get("body", "")
    hidden = {name: form.data.get(name, "") for name in AUTOSAVE_FIELDS if name != "body"}
    # Keep the losing text as the editor's draft too: closing this page must not lose it.
    Autosave.objects.update_or_create(
        author=request.user,
        key=f"entry:{entry.pk}",
        device=device,
        defaults={
            "entry": entry,
            "data": {**hidden, "body": mine},
            "base_version": locking.parse_version(form.data.get("version")),
            "saved": False,
        },
    )
    return render(
        request,
        "logs/entry_conflict.html",
        {
            "entry": saved,
            "mine": mine,
            "mine_title": form.data.get("title", ""),
            "hidden": hidden,
            "draft_device": device,
            "diff": locking.diff_lines(saved.body, mine),
            "nav_section": "mylog",
        },
        status=409,
    )


def _save(
    request, form: EntryForm, entry: Entry | None, key: str, device: str
) -> HttpResponse | None:
    """Save a valid form; None means the database refused it and `form` now says why."""
    obj = form.save(commit=False)
    try:
        with transaction.atomic():
            if entry is None:
                obj.save()
            elif not obj.save_checked(form.cleaned_data.get("version") or 0):
                obj = None  # someone saved first; nothing was written
            if obj is not None:
                obj.tags.set(form.cleaned_data["tags"])
                link_uploads(obj, obj.body, request.user)
                _close_draft(request.user, key, device, obj)
    except IntegrityError:
        # Another tab created the same day's log between our check and our insert.
        form.add_error(
            "learning_date",
            _("You already have a log of this kind for this date. Open it and add to it instead."),
        )
        return None
    if obj is None:
        return _conflict(request, form, entry, device)
    messages.success(request, _("Saved."))
    return redirect(obj)


def _editor(
    request: HttpRequest, *, cohort: Cohort, kind: str, day: dt.date, entry: Entry | None
) -> HttpResponse:
    user = request.user
    instance = entry or Entry(author=user, cohort=cohort, kind=kind, learning_date=day)
    key = _autosave_key(cohort, kind, day, entry)

    if request.method == "POST":
        device = _device(request.POST.get("draft_device", ""))
        if device is None:
            device = _new_device()
        form = EntryForm(request.POST, instance=instance, cohort=cohort, author=user)
        if form.is_valid():
            response = _save(request, form, entry, key, device)
            if response is not None:
                return response
        draft_offer = carried = None
    else:
        device = _new_device()
        carried = None
        if entry is not None:
            values = _entry_values(entry)
            version = entry.version
        else:
            template = {
                Entry.Kind.DAILY: cohort.daily_template,
                Entry.Kind.WEEKLY: cohort.weekly_template,
            }.get(kind, "")
            body = template
            if kind == Entry.Kind.DAILY:
                carried = writing.new_daily_body(
                    user, cohort, day, template, carry=request.GET.get("carry") != "0"
                )
                body = carried.body
            values = {
                "learning_date": day.isoformat(),
                "title": default_title(cohort, kind, day),
                "body": body,
                "tags": "",
                "visibility": Entry._meta.get_field("visibility").default,
                # A new log is a draft until the learner presses 발행 (publish).
                "status": NEW_ENTRY_STATUS,
            }
            version = None
        drafts = Autosave.objects.filter(author=user, key=key, saved=False).order_by("-updated_at")
        offers = [draft for draft in drafts if _differs(draft, values)]
        # The newest draft that differs is offered; `?restore=1&draft_device=…` takes one back.
        draft_offer = offers[0] if offers else None
        restored = None
        if draft_offer is not None and request.GET.get("restore") == "1":
            wanted = request.GET.get("draft_device", draft_offer.device)
            restored = next((d for d in offers if d.device == wanted), None)
        if restored is not None:
            values = {name: restored.data.get(name, values[name]) for name in values}
            carried = None  # the draft's text is shown, not what the template carried
            # This editor carries the draft on: its autosaves and its save are that draft's.
            device = restored.device
            if entry is not None and restored.base_version:
                # Saving a restored draft that began on an older version must meet the conflict
                # check, not overwrite what was saved since.
                version = restored.base_version
            draft_offer = None
            messages.info(
                request, _("Your autosaved draft is back in the editor. Save to keep it.")
            )
        form = EntryForm(
            initial={**values, "version": version}, instance=instance, cohort=cohort, author=user
        )

    calendar = cohort.calendar
    restore = request.GET.copy()
    restore["restore"] = "1"
    if draft_offer is not None:
        restore["draft_device"] = draft_offer.device
    return render(
        request,
        "logs/entry_form.html",
        {
            "form": form,
            "entry": entry,
            "cohort": cohort,
            "kind": kind,
            "kind_label": Entry.Kind(kind).label,
            "day_label": calendar.label(day),
            "day": day,
            "outside_cohort": not calendar.contains(day),
            "draft_offer": draft_offer,
            "recovery": writing.recovery_texts(
                draft_offer.updated_at if draft_offer else None, cohort
            ),
            "restore_url": f"{request.path}?{restore.urlencode()}",
            "carried": carried,
            "carry_urls": _carry_urls(request),
            "session_links": writing.day_session_links(user, cohort, day, _base_url(request))
            if kind == Entry.Kind.DAILY
            else [],
            "new_session_url": f"{reverse('logs:session_new')}?date={day.isoformat()}"
            if kind == Entry.Kind.DAILY and access.roles(user).teams
            else None,
            "status": form["status"].value() or NEW_ENTRY_STATUS,
            "autosave_key": key,
            "draft_device": device,
            "tag_suggestions": _tag_suggestions(cohort),
            "nav_section": "mylog",
        },
    )


def _carry_urls(request: HttpRequest) -> dict[str, str]:
    """This editor's address without the carried tasks (`?carry=0`, the undo) and with them."""
    urls = {}
    for name, value in (("undo", "0"), ("redo", None)):
        params = request.GET.copy()
        params.pop("restore", None)
        params.pop("draft_device", None)
        params.pop("carry", None)
        if value is not None:
            params["carry"] = value
        urls[name] = f"{request.path}?{params.urlencode()}"
    return urls


@_login_required_keeping_post
def today(request: HttpRequest) -> HttpResponse:
    """/write/[?kind=daily|weekly|note]: today's daily log (or this week's weekly log) in the
    user's cohort — its editor if it exists, else a new one (nothing is created until the first
    save); a new note. Who may not write the kind (a mentor) gets a note."""
    cohort = lookups.writable_cohort(request.user)
    if cohort is None:
        return render(request, "logs/entry_no_cohort.html", {"nav_section": "mylog"})
    kind = request.GET.get("kind") or Entry.Kind.DAILY
    if kind not in Entry.Kind.values or not access.can_write_kind(request.user, cohort.pk, kind):
        kind = Entry.Kind.NOTE
    day = cohort.calendar.today()
    if not cohort.calendar.contains(day):
        day = _resume_day(request.user, cohort)
        messages.info(
            request,
            _(
                "Today is outside %(cohort)s, so the editor opens the learning day after your last log."
            )
            % {"cohort": cohort.name},
        )
    existing = Entry.objects.filter(author=request.user, cohort=cohort, kind=kind)
    if kind == Entry.Kind.DAILY:
        existing = existing.filter(learning_date=day)
    elif kind == Entry.Kind.WEEKLY:
        existing = existing.filter(week=cohort.calendar.week_of(day))
    found = existing.only("pk").first() if kind != Entry.Kind.NOTE else None
    if found is not None:
        return redirect("logs:entry_edit", found.pk)
    return redirect(
        f"{reverse('logs:entry_new')}?kind={kind}&date={day.isoformat()}&cohort={cohort.slug}"
    )


@login_required
def missed(request: HttpRequest) -> HttpResponse:
    """/write/missed/: the most recent learning days without the learner's daily log, each a
    link to write it."""
    cohort = lookups.writable_cohort(request.user)
    if cohort is None:
        return render(request, "logs/entry_no_cohort.html", {"nav_section": "mylog"})
    learner = writing.is_learner_of(request.user, cohort.pk)
    days = writing.missed_days(request.user, cohort) if learner else []
    return render(
        request,
        "logs/missed_days.html",
        {
            "cohort": cohort,
            "is_learner": learner,
            "days": [
                {
                    "date": d,
                    "label": cohort.calendar.label(d),
                    "url": f"{reverse('logs:entry_new')}?kind=daily&date={d.isoformat()}"
                    f"&cohort={cohort.slug}",
                }
                for d in days
            ],
            "nav_section": "mylog",
        },
    )


def _resume_day(user, cohort) -> dt.date:
    """Outside the cohort's dates (before it starts, after it ends) "today" means nothing; the
    useful default is the learning day after the user's latest daily log, or the first one."""
    calendar = cohort.calendar
    latest = (
        Entry.objects.filter(author=user, cohort=cohort, kind=Entry.Kind.DAILY)
        .order_by("-learning_date")
        .values_list("learning_date", flat=True)
        .first()
    )
    following = (
        calendar.next_learning_day(latest) if latest else next(calendar.learning_days(), None)
    )
    return following or latest or calendar.start


@_login_required_keeping_post
def entry_new(request: HttpRequest) -> HttpResponse:
    """/entries/new/?kind=daily|weekly|note&date=YYYY-MM-DD&cohort=slug"""
    params = request.GET
    cohort = lookups.writable_cohort(request.user, params.get("cohort") or None)
    if cohort is None:
        return render(request, "logs/entry_no_cohort.html", {"nav_section": "mylog"})
    kind = params.get("kind") or Entry.Kind.DAILY
    if kind not in Entry.Kind.values:
        return HttpResponseBadRequest(_("Unknown kind of entry."), content_type="text/plain")
    if not access.can_write_kind(request.user, cohort.pk, kind):
        raise PermissionDenied
    try:
        day = (
            dt.date.fromisoformat(params["date"]) if params.get("date") else cohort.calendar.today()
        )
    except ValueError:
        messages.error(request, _("That date does not exist; the editor starts at today instead."))
        day = cohort.calendar.today()
    if request.method == "GET" and kind in (Entry.Kind.DAILY, Entry.Kind.WEEKLY):
        # One daily log per day, one weekly per week: open the one that exists.
        existing = Entry.objects.filter(author=request.user, cohort=cohort, kind=kind)
        if kind == Entry.Kind.DAILY:
            existing = existing.filter(learning_date=day)
        else:
            existing = existing.filter(week=cohort.calendar.week_of(day))
        found = existing.only("pk").first()
        if found is not None:
            messages.info(request, _("You already have this log; here it is to add to."))
            return redirect("logs:entry_edit", found.pk)
    return _editor(request, cohort=cohort, kind=kind, day=day, entry=None)


@_login_required_keeping_post
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = lookups.entry_or_404(request.user, pk, edit=True)
    entry.cohort = lookups.calendar_of(entry)
    return _editor(
        request, cohort=entry.cohort, kind=entry.kind, day=entry.learning_date, entry=entry
    )


# --- Autosave -----------------------------------------------------------------------------------


def _json_error(message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def _parse_autosave_key(user, key: str) -> tuple[Entry | None, bool]:
    """(entry, ok): the entry an `entry:<pk>` key names, if the user may edit it; a `new:` key
    must name a cohort, kind and date the user may write."""
    kind_of_key, _sep, rest = key.partition(":")
    if kind_of_key == "entry" and (pk := parse_int(rest)) is not None:
        entry = Entry.objects.filter(pk=pk).only("pk", "author_id", "version").first()
        return entry, entry is not None and access.can_edit_entry(user, entry)
    if kind_of_key == "new":
        cohort_id, _sep, rest = rest.partition(":")
        kind, _sep, day = rest.partition(":")
        try:
            dt.date.fromisoformat(day)
        except ValueError:
            return None, False
        cohort_pk = parse_int(cohort_id)
        return None, cohort_pk is not None and access.can_write_kind(user, cohort_pk, kind)
    return None, False


@require_POST
def draft_save(request: HttpRequest) -> JsonResponse:
    """The editor's autosave (fetch, every few seconds while typing). JSON in both directions;
    an expired session gets 401 with the login URL instead of a redirect to an HTML page."""
    if not request.user.is_authenticated:
        return _json_error(
            _("Your session has ended. Log in again in another tab; your text stays here."),
            401,
            login_url=reverse("login"),
        )
    key = request.POST.get("autosave_key", "")
    entry, ok = _parse_autosave_key(request.user, key)
    if not ok:
        return _json_error(_("This draft cannot be saved here."), 403)
    device = _device(request.POST.get("draft_device", ""))
    if device is None:
        return _json_error(_("This draft cannot be saved here."), 400)
    body = request.POST.get("body", "")
    if len(body.encode("utf-8")) > markdown.MAX_BODY_BYTES:
        return _json_error(
            _("The text is over %(limit)d KB, so it was not autosaved.")
            % {"limit": markdown.MAX_BODY_BYTES // 1024},
            413,
        )
    data = {
        name: request.POST.get(name, "")[: 200 if name != "body" else None]
        for name in AUTOSAVE_FIELDS
    }
    data["body"] = body
    # Postgres stores no NUL character, and nobody types one: it came with pasted bytes.
    data = {name: value.replace("\x00", "") for name, value in data.items()}
    version = request.POST.get("version", "")
    values = {
        "entry": entry,
        "data": data,
        "base_version": locking.parse_version(version),
    }
    with transaction.atomic():
        draft, created = Autosave.objects.select_for_update().get_or_create(
            author=request.user, key=key, device=device, defaults=values
        )
        if draft.saved:
            # Sent before its editor's save and arrived after it: what it holds is saved.
            return JsonResponse({"saved_at": None, "message": ""})
        if not created:
            for name, value in values.items():
                setattr(draft, name, value)
            draft.save()
    local = timezone.localtime(draft.updated_at)
    return JsonResponse(
        {
            "saved_at": draft.updated_at.isoformat(),
            "message": _("Draft saved at %(time)s") % {"time": time_format(local, "H:i:s")},
        }
    )


@require_POST
def draft_discard(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("home"))
    key = request.POST.get("autosave_key", "").replace("\x00", "")  # Postgres holds no NUL
    drafts = Autosave.objects.filter(author=request.user, key=key, saved=False)
    if "draft_device" in request.POST:
        device = _device(request.POST["draft_device"])
        drafts = drafts.filter(device=device) if device is not None else drafts.none()
    drafts.delete()
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("home")
    messages.info(request, _("The autosaved draft was discarded."))
    return HttpResponseRedirect(next_url)


# --- Reading ------------------------------------------------------------------------------------


def _toc(entry: Entry) -> list[dict]:
    """The table of contents with depths from 0, whatever heading level the text starts at."""
    items = entry.toc or []
    if not items:
        return []
    top = min(item["level"] for item in items)
    return [{**item, "depth": min(item["level"] - top, 3)} for item in items]


def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The entry page. What it shows is cached (logs/caching/fragments.py): the entry itself under its
    own name, and the page around it (previous and next log, the team's sessions of that day,
    the comments) for everyone who sees the same of it. The access check runs on every request,
    on the cached entry; the comments are rendered per request only for their authors and the
    cohort's operators, who see buttons of their own."""
    fragments.expect(request, f"entry:{pk}")
    entry = versions.cached(f"entry:{pk}", lambda: _load_entry(pk), depends_on=[versions.SETUP])
    if entry is None or not access.can_view_entry(request.user, entry):
        raise Http404
    is_owner = access.can_edit_entry(request.user, entry)
    comments_page = request.GET.get("comments") or "1"
    page = fragments.cached_page(
        request,
        # Under the entry's own name: its neighbours and the sessions of its day bump that name
        # when they change (logs/caching/invalidation.py), and one version query serves both.
        f"entry:{pk}",
        lambda _, audience: _entry_page(request, entry, is_owner, audience, comments_page),
        cohort=entry.cohort.slug,
        personal=lambda roles: is_owner,
        vary=["page", request.user.is_authenticated, comments_page],
        holes=["html", "comments_html"],
    )
    special = (
        request.user.pk in page["comment_authors"]
        or access.roles(request.user).role(entry.cohort_id) == "operator"
    )
    context = {
        "entry": entry,
        "is_owner": is_owner,
        "nav_section": "mylog" if is_owner else None,
        "article_html": page["html"],
        "comments_html": None if special else page["comments_html"],
        "share": sharing.meta(request, entry, page.get("share")),
    }
    if not context["comments_html"]:
        context.update(comment_context(request, entry))
    return fragments.render_page(
        request, "logs/entry_detail.html", context, inserts=["article_html", "comments_html"]
    )


def _load_entry(pk: int) -> Entry | None:
    """The entry with what its page shows (author, cohort, stage, tags), or None."""
    entries = Entry.objects.select_related("author", "cohort", "stage").with_tag_pairs()
    return next(iter(tagging.attach_tags(entries.filter(pk=pk))), None)


def _entry_page(request: HttpRequest, entry: Entry, is_owner: bool, audience: str, comments_page):
    """The entry page but for the site's frame, for the viewer's audience (see `entry_detail`):
    the article with what is beside it, and the comments as a member sees them."""
    seen = access.entry_visibility_q(request.user, own=is_owner)
    same_author = Entry.objects.filter(
        seen, author_id=entry.author_id, cohort_id=entry.cohort_id, kind=Entry.Kind.DAILY
    ).only("pk", "title", "learning_date")
    previous = next_entry = None
    if entry.kind == Entry.Kind.DAILY:
        # Both neighbours in one query (UNION ALL of two one-row queries on the author index).
        earlier = same_author.filter(learning_date__lt=entry.learning_date).order_by(
            "-learning_date"
        )[:1]
        later = same_author.filter(learning_date__gt=entry.learning_date).order_by("learning_date")[
            :1
        ]
        for neighbour in earlier.union(later, all=True):
            if neighbour.learning_date < entry.learning_date:
                previous = neighbour
            else:
                next_entry = neighbour
    # The team's sessions of that day (none for visitors: sessions are cohort-internal).
    day_sessions = (
        list(tagging.attach_tags(Session.objects.for_entry(entry).for_row().with_tag_pairs()))
        if access.roles(request.user).is_member(entry.cohort_id)
        else []
    )
    new_session_url = (
        f"{reverse('logs:session_new')}?date={entry.learning_date:%Y-%m-%d}"
        if is_owner and entry.kind == Entry.Kind.DAILY and access.roles(request.user).teams
        else None
    )
    html = fragments.render(
        "logs/_entry_article.html",
        {
            "entry": entry,
            "toc": _toc(entry),
            "reading_minutes": reading.reading_minutes(entry.body),
            "updated_on": reading.updated_on(
                entry.learning_date,
                timezone.localdate(entry.created_at),
                timezone.localdate(entry.updated_at),
            ),
            "is_public": access.is_public_entry(entry),
            "previous": previous,
            "next": next_entry,
            "is_owner": is_owner,
            "tags": list(entry.tags.all()),
            "day_sessions": day_sessions,
            "new_session_url": new_session_url,
        },
    )
    thread = comment_thread(entry, comments_page)
    # As anyone of the audience who wrote none of them sees them: no edit or delete buttons.
    comments_html = fragments.render(
        "logs/_comments.html",
        {
            **comment_context(request, entry, thread=thread, as_member=True),
            "user": request.user,
        },
    )
    return {
        "html": html,
        "comments_html": comments_html,
        "share": sharing.card(entry),
        "comment_authors": {
            c.author_id for comment in thread[0] for c in (comment, *comment.replies.all())
        },
    }


def entry_markdown(request: HttpRequest, pk: int) -> HttpResponse:
    """The entry as a Jekyll (Chirpy) post, the shape it may have come in as."""
    entry = lookups.entry_or_404(request.user, pk)
    filename, text = export_entry(entry)
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- Changing -----------------------------------------------------------------------------------


@_login_required_keeping_post
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = lookups.entry_or_404(request.user, pk, edit=True)
    if request.method == "POST":
        entry.delete()
        Autosave.objects.filter(author=request.user, key=f"entry:{pk}").delete()
        messages.success(request, _("The entry “%(title)s” was deleted.") % {"title": entry.title})
        return redirect("logs:learner", request.user.get_username())
    return render(
        request, "logs/entry_confirm_delete.html", {"entry": entry, "nav_section": "mylog"}
    )


@require_POST
def entry_toggle_task(request: HttpRequest, pk: int) -> JsonResponse:
    """Tick or untick the n-th task checkbox of the entry from its page; the Markdown changes."""
    if not request.user.is_authenticated:
        return _json_error(_("Log in again to change this log."), 401, login_url=reverse("login"))
    entry = lookups.entry_or_404(request.user, pk, edit=True)
    index = parse_int(request.POST.get("index"))
    version = parse_int(request.POST.get("version"), MAX_INTEGER)
    if index is None or version is None:
        return _json_error(_("That is not a task of this log."), 400)
    checked = request.POST.get("checked") in ("1", "true", "on")
    try:
        entry.body = markdown.toggle_task(entry.body, index, checked)
    except (IndexError, ValueError):
        return _json_error(_("That is not a task of this log."), 400)
    entry.cohort = lookups.calendar_of(entry)
    with transaction.atomic():
        if not entry.save_checked(version):
            return _json_error(
                _("This log was changed elsewhere. Reload the page and tick the task again."), 409
            )
    return JsonResponse({"version": entry.version, "checked": checked})
