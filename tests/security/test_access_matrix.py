"""Access control, checked everywhere: every URL pattern of the URLconf, GET and POST, as every
persona that must not see or change what the URL points at.

The personas are the ones of tests/conftest.py: anonymous, `outsider` (in no cohort),
`other_learner` (another team of the cohort), `teammate` (the victim's own team), `other_mentor`
(mentors another team) and `foreign_operator` (runs another cohort, with the Operators group's
admin rights). The victim is `learner`; `world` gives her (and a learner of the other cohort)
one object of every kind, each carrying a secret marker in its text.

For each URL pattern, RULES says which objects fill its kwargs and who may legitimately see or
change each one. Every other persona then gets, for GET and for POST (with a payload that would
change something if it were accepted):

- a refusal: 401, 403, 404, 405, 410, or a redirect to a login page; or
- 200 only where the rule says the page is public (a list, a form, a search), and then the body
  holds none of the markers of the objects that persona may not see;
- and not a single row of the database changed (a checksum of every table, before and after).

A URL pattern without a rule fails the test with a message saying to add one, so a new page is
covered the day it is added. CSRF: every POST without a token is refused (403), whoever sends it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from PIL import Image

from accounts import email_confirmation
from accounts.models import Cohort, Invite, Membership, User
from accounts.operators import grant_operator_access
from logs.models import (
    Autosave,
    Comment,
    Entry,
    MentoringQuestion,
    Notification,
    Session,
)
from logs.transfer import pending as pending_imports
from logs.uploads import store_image
from tests import factories

PERSONAS = (
    "anonymous",
    "outsider",
    "other_learner",
    "teammate",
    "other_mentor",
    "foreign_operator",
)
MEMBERS = frozenset({"teammate", "other_learner", "other_mentor"})  # of the victim's cohort
EVERYONE = frozenset(PERSONAS)
NOBODY: frozenset[str] = frozenset()

# Tables whose rows change by merely arriving: sessions and login bookkeeping.
# Starting an upload of one's own writes a pending import, as a session writes its row; the
# victim's pending import is reached by no one else (its rules below want a 404 or a redirect,
# and importing it would change the watched entries).
UNWATCHED_TABLES = {
    "accounts_login_session",
    "django_session",
    "django_migrations",
    "logs_pendingimport",
}
UNWATCHED_PREFIXES = ("axes_",)


# --- The world: one object of every kind that the personas must not see or change --------------


@dataclass
class Obj:
    """An object of the world, who (among PERSONAS) may see it, who may change it, and the
    secret its text carries."""

    value: Any
    viewers: frozenset[str]
    editors: frozenset[str] = NOBODY
    marker: str | None = None


@dataclass
class World:
    objects: dict[str, Obj] = field(default_factory=dict)
    pending_token: str = ""

    def __getitem__(self, name: str) -> Any:
        return self.objects[name].value

    def secrets_hidden_from(self, persona: str) -> list[str]:
        return [o.marker for o in self.objects.values() if o.marker and persona not in o.viewers]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def world(
    cohort, team, learner, teammate, mentor, other_learner, other_mentor, foreign_operator, outsider
) -> World:
    w = World()
    learner.email = "zqxlearnermail@example.com"
    learner.save()
    # A real operator of the other cohort: staff and in the Operators group.
    grant_operator_access(foreign_operator)
    far = Cohort.objects.get(slug="other-cohort")
    far_team = factories.make_team(far, "1조")
    far_learner = factories.make_user("far_learner")
    factories.join(far_learner, far, "learner", far_team)

    def entry(name, viewers, marker, **fields):
        obj = factories.make_entry(
            fields.pop("author", learner),
            fields.pop("cohort", cohort),
            title=f"{marker} 제목",
            body=f"## 오늘 한 일\n- [ ] {marker} 할 일\n",
            **fields,
        )
        w.objects[name] = Obj(obj, frozenset(viewers), NOBODY, marker)
        return obj

    private = entry("private", NOBODY, "ZQXPRIVATE", visibility="private", tags=["zqxsecrettag"])
    entry("draft", NOBODY, "ZQXDRAFT", status="draft", kind="note")
    entry("cohort_entry", MEMBERS, "ZQXCOHORTENTRY", kind="weekly")
    entry("public_entry", EVERYONE, None, visibility="public", kind="note")
    entry(
        "foreign_entry",
        {"foreign_operator"},
        "ZQXFOREIGNENTRY",
        author=far_learner,
        cohort=far,
        kind="note",
    )

    session = factories.make_session(team, summary="### 키워드 공유\n- ZQXSESSION\n")
    session.attendees.add(learner, teammate)
    w.objects["session"] = Obj(session, MEMBERS, frozenset({"teammate"}), "ZQXSESSION")
    mentoring = factories.make_session(
        team, kind=Session.Kind.MENTORING, title="멘토링", summary="ZQXMENTORING"
    )
    w.objects["mentoring"] = Obj(mentoring, MEMBERS, frozenset({"teammate"}), "ZQXMENTORING")
    question = MentoringQuestion.objects.create(
        session=mentoring, number=1, question="ZQXQUESTION 질문", asked_by=learner
    )
    w.objects["question"] = Obj(question, MEMBERS, frozenset({"teammate"}), "ZQXQUESTION")
    foreign_session = factories.make_session(far_team, summary="ZQXFOREIGNSESSION")
    w.objects["foreign_session"] = Obj(
        foreign_session, frozenset({"foreign_operator"}), NOBODY, "ZQXFOREIGNSESSION"
    )

    comment = Comment.objects.create(author=learner, session=session, body="ZQXCOMMENT 댓글")
    w.objects["comment"] = Obj(comment, MEMBERS, NOBODY, "ZQXCOMMENT")
    private_comment = Comment.objects.create(
        author=learner, entry=private, body="ZQXPRIVATECOMMENT"
    )
    w.objects["private_comment"] = Obj(private_comment, NOBODY, NOBODY, "ZQXPRIVATECOMMENT")
    notification = Notification.objects.create(
        recipient=learner, actor=mentor, verb="comment", comment=comment, session=session
    )
    w.objects["notification"] = Obj(notification, NOBODY)

    upload = store_image(learner, _png(), "secret.png")
    upload.entries.add(private)
    # The stored key is random; it appears only where the private entry's body is shown.
    private.body += f"\n![secret]({upload.url})\n"
    private.save()
    w.objects["upload"] = Obj(upload, NOBODY, NOBODY, upload.key)

    draft = Autosave.objects.create(
        author=learner, key=f"entry:{private.pk}", entry=private, data={"body": "ZQXAUTOSAVE"}
    )
    w.objects["autosave"] = Obj(draft, NOBODY, NOBODY, "ZQXAUTOSAVE")

    pending = pending_imports.keep(
        learner,
        cohort.pk,
        [
            SimpleUploadedFile(
                "2022-02-10-zqx.md", b"---\ntitle: ZQXPENDING\n---\nZQXPENDING body\n"
            )
        ],
    )
    w.pending_token = pending.token
    w.objects["pending_import"] = Obj(pending, NOBODY, NOBODY, "ZQXPENDING")

    revoked = Invite.objects.create(cohort=cohort, team=team, note="ZQXINVITE")
    Invite.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    w.objects["revoked_invite"] = Obj(revoked, NOBODY, NOBODY, "ZQXINVITE")
    expired = Invite.objects.create(
        cohort=cohort, team=team, expires_at=timezone.now() - timezone.timedelta(days=1)
    )
    w.objects["expired_invite"] = Obj(expired, NOBODY)

    # Things addressed by name: the cohort (its pages are for members; the board for nobody
    # here), the learner's page and a tag only the private entry carries.
    # The cohort's name is no secret: public entries show it.
    w.objects["cohort"] = Obj(cohort, MEMBERS)
    w.objects["learner_user"] = Obj(learner, EVERYONE, NOBODY, "zqxlearnermail")
    w.objects["secret_tag"] = Obj(private.tags.get(), EVERYONE)
    w.objects["team"] = Obj(team, MEMBERS, frozenset({"teammate"}))
    w.objects["membership"] = Obj(Membership.objects.get(user=learner), MEMBERS)
    w.objects["nobody"] = Obj(None, NOBODY)
    # The editor's preview and upload serve whoever belongs to some cohort.
    w.objects["editor"] = Obj(None, MEMBERS | {"foreign_operator"})
    return w


# --- Rules: for each URL name, what fills its kwargs and what a persona may do there ------------


Kwargs = Callable[[World, Any], dict]
Payload = Callable[[World, Any], dict]

REFUSED = {401, 403, 404, 405, 410}


@dataclass(frozen=True)
class Rule:
    """`targets`: world objects the URL is tried against. `kwargs(world, obj)`: the URL's kwargs
    for one of them. `access`: "view" (personas in the object's viewers are skipped), "change"
    (editors are skipped) or "none" (nobody is skipped). `public`: a 200 is allowed (without
    secrets). `redirect_ok`: a redirect elsewhere than the login page is allowed too (it is
    checked to change nothing and its target is not followed). `query`: a GET query string."""

    targets: tuple[str, ...] = ("nobody",)
    kwargs: Kwargs = lambda w, o: {}
    access: str = "view"
    public: bool = False
    redirect_ok: bool = False
    post: Payload = lambda w, o: {}
    query: Callable[[World, Any], str] = lambda w, o: ""


def pk(w: World, o: Any) -> dict:
    return {"pk": o.pk}


ENTRIES = ("private", "draft", "cohort_entry", "public_entry", "foreign_entry")
HIDDEN_ENTRIES = ("private", "draft", "cohort_entry", "foreign_entry")
SESSIONS = ("session", "mentoring", "foreign_session")
COMMENTS = ("comment", "private_comment")


def edit_payload(w: World, o: Any) -> dict:
    return {
        "title": "ZQXHACKED",
        "body": "ZQXHACKED",
        "kind": getattr(o, "kind", "daily"),
        "learning_date": "2022-02-09",
        "visibility": "public",
        "status": "published",
        "version": getattr(o, "version", 1),
        "tags": "hacked",
        "summary": "ZQXHACKED",
        "answer": "ZQXHACKED",
        "date": "2022-02-09",
    }


def session_payload() -> dict:
    data = {
        "kind": "peer",
        "date": "2022-02-10",
        "title": "ZQXHACKED",
        "summary": "ZQXHACKED",
        "tags": "",
        "version": "",
    }
    for prefix in ("problems", "questions"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


# A page anyone may open, showing only what the viewer may see (lists, forms, searches).
PAGE = Rule(public=True, redirect_ok=True, access="none")

RULES: dict[str, Rule] = {
    # --- Site and accounts
    "home": PAGE,
    "healthz": PAGE,
    "set_language": PAGE,
    "accounts:profile": Rule(public=True, access="none", post=lambda w, o: {"email": "bad"}),
    "accounts:join": Rule(
        targets=("revoked_invite", "expired_invite"),
        kwargs=lambda w, o: {"code": o.code},
        access="none",
        post=lambda w, o: {
            "username": "intruder",
            "display_name": "intruder",
            "email": "intruder@example.com",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
    ),
    # A link that confirms an address for someone else's account changes nothing.
    "accounts:confirm_email": Rule(
        kwargs=lambda w, o: {
            "token": email_confirmation.make_token(User(pk=10**9), "intruder@example.com")
        },
        access="none",
        redirect_ok=True,
    ),
    "login": PAGE,
    "logout": PAGE,
    "password_change": PAGE,
    "password_change_done": PAGE,
    "password_reset": PAGE,
    "password_reset_done": PAGE,
    "password_reset_complete": PAGE,
    "password_reset_confirm": Rule(
        targets=("learner_user",),
        kwargs=lambda w, o: {"uidb64": urlsafe_base64_encode(force_bytes(o.pk)), "token": "x-y"},
        access="none",
        public=True,
        redirect_ok=True,
        post=lambda w, o: {"new_password1": "zqx-new-pass-42", "new_password2": "zqx-new-pass-42"},
    ),
    # --- Writing
    "logs:today": PAGE,
    "logs:missed_days": PAGE,
    "logs:entry_new": Rule(
        public=True,
        redirect_ok=True,
        access="none",
        targets=("cohort",),
        query=lambda w, o: f"?cohort={o.slug}&kind=daily&date=2022-02-09",
    ),
    "logs:entry_detail": Rule(targets=ENTRIES, kwargs=pk),
    "logs:entry_markdown": Rule(targets=ENTRIES, kwargs=pk),
    "logs:entry_edit": Rule(targets=ENTRIES, kwargs=pk, access="change", post=edit_payload),
    "logs:entry_delete": Rule(targets=ENTRIES, kwargs=pk, access="change"),
    "logs:entry_toggle_task": Rule(
        targets=ENTRIES,
        kwargs=pk,
        access="change",
        post=lambda w, o: {"index": 0, "checked": 1, "version": o.version},
    ),
    # The autosave names its entry in the POST: a key to someone else's entry is refused.
    "logs:draft_save": Rule(
        targets=ENTRIES,
        access="change",
        post=lambda w, o: {"autosave_key": f"entry:{o.pk}", "body": "ZQXHACKED", "version": 1},
    ),
    # Discarding deletes only the requester's own draft: the victim's stays.
    "logs:draft_discard": Rule(
        targets=("autosave",),
        access="change",
        redirect_ok=True,
        post=lambda w, o: {"autosave_key": o.key, "next": "/"},
    ),
    "logs:markdownx_preview": Rule(targets=("editor",), post=lambda w, o: {"content": "미리보기"}),
    "logs:markdownx_upload": Rule(
        targets=("editor",), post=lambda w, o: {"image": SimpleUploadedFile("a.png", _png())}
    ),
    # --- Sessions, comments, notifications
    "logs:session_detail": Rule(targets=SESSIONS, kwargs=pk),
    "logs:session_edit": Rule(
        targets=SESSIONS,
        kwargs=pk,
        access="change",
        post=lambda w, o: {**session_payload(), "version": o.version},
    ),
    "logs:session_delete": Rule(targets=SESSIONS, kwargs=pk, access="change"),
    # Writing a session for the victim's team: its members only.
    "logs:session_new": Rule(
        targets=("team",),
        access="change",
        query=lambda w, o: f"?team={o.pk}&kind=peer&date=2022-02-10",
        post=lambda w, o: session_payload(),
    ),
    "logs:day_sessions_snippet": Rule(
        public=True,
        access="none",
        targets=("cohort",),
        query=lambda w, o: f"?cohort={o.slug}&date=2022-02-09",
    ),
    "logs:question_answer": Rule(
        targets=("question",), kwargs=pk, access="change", post=edit_payload
    ),
    "logs:comment_add": Rule(
        targets=(*HIDDEN_ENTRIES, "foreign_session"),
        access="view",
        redirect_ok=False,
        post=lambda w, o: {
            ("session" if isinstance(o, Session) else "entry"): o.pk,
            "body": "ZQXHACKED",
        },
    ),
    "logs:comment_edit": Rule(
        targets=COMMENTS,
        kwargs=pk,
        access="change",
        post=lambda w, o: {"body": "ZQXHACKED"},
    ),
    "logs:comment_delete": Rule(targets=COMMENTS, kwargs=pk, access="change"),
    "logs:notifications": PAGE,
    "logs:notifications_read": Rule(
        targets=("notification",),
        access="change",
        redirect_ok=True,
        post=lambda w, o: {"id": o.pk, "next": "/"},
    ),
    "logs:notification_open": Rule(targets=("notification",), kwargs=pk, access="change"),
    "logs:mentor": PAGE,
    # Choices of the site's shell: the theme is anyone's; only a member makes a cohort current.
    "logs:set_theme": Rule(
        public=True, redirect_ok=True, access="none", post=lambda w, o: {"theme": "dark"}
    ),
    "logs:switch_cohort": Rule(
        targets=("cohort",), post=lambda w, o: {"cohort": o.pk, "next": "/"}
    ),
    # --- Browsing: a cohort's pages are open to visitors, showing only what each may see
    "logs:cohort_home": Rule(
        targets=("cohort",), kwargs=lambda w, o: {"slug": o.slug}, public=True
    ),
    "logs:week": Rule(
        targets=("cohort",), kwargs=lambda w, o: {"slug": o.slug, "n": 4}, public=True
    ),
    "logs:day": Rule(
        targets=("cohort",),
        kwargs=lambda w, o: {"slug": o.slug, "day": "2022-02-09"},
        public=True,
    ),
    # Insights (who writes how much) are for members.
    "logs:insights": Rule(targets=("cohort",), kwargs=lambda w, o: {"slug": o.slug}),
    # The operator's board is for the cohort's operators: nobody here.
    "logs:board": Rule(targets=("cohort",), kwargs=lambda w, o: {"slug": o.slug}, access="none"),
    "logs:board_csv": Rule(
        targets=("cohort",), kwargs=lambda w, o: {"slug": o.slug}, access="none"
    ),
    "logs:tag_list": PAGE,
    "logs:tag_detail": Rule(
        targets=("secret_tag",),
        kwargs=lambda w, o: {"slug": o.slug},
        access="none",
        public=True,
    ),
    "logs:search": Rule(
        public=True,
        access="none",
        targets=("nobody",),
        # Every secret at once: a search must find none of them for these personas.
        query=lambda w, o: "?q=ZQXPRIVATE+ZQXDRAFT+ZQXCOHORTENTRY+ZQXFOREIGNENTRY+ZQXSESSION",
    ),
    "logs:learner": Rule(
        targets=("learner_user",),
        kwargs=lambda w, o: {"username": o.username},
        access="none",
        public=True,
    ),
    "logs:feed_learner": Rule(
        targets=("learner_user",),
        kwargs=lambda w, o: {"username": o.username},
        access="none",
        public=True,
    ),
    "logs:feed_cohort": Rule(
        targets=("cohort",), kwargs=lambda w, o: {"slug": o.slug}, access="none", public=True
    ),
    "logs:feed_tag": Rule(
        targets=("secret_tag",),
        kwargs=lambda w, o: {"slug": o.slug},
        access="none",
        public=True,
    ),
    # --- Bring a blog in, take it out
    "logs:import": Rule(public=True, access="none"),
    # The token of the victim's pending upload: it is hers (the row's owner), so nobody else's
    # confirmation imports it (they are sent back to the upload form).
    "logs:import_confirm": Rule(
        targets=("pending_import",),
        access="none",
        redirect_ok=True,
        post=lambda w, o: {"token": w.pending_token},
    ),
    # Anyone who writes in the cohort may start an upload of their own; the others get a 404.
    # The victim's upload in parts is reached only by her.
    "logs:import_upload_start": Rule(
        access="none",
        public=True,
        post=lambda w, o: {
            "cohort": w["cohort_entry"].cohort_id,
            "names": ["2022-02-10-zqx.md"],
            "sizes": [10],
        },
    ),
    "logs:import_upload_part": Rule(
        targets=("pending_import",),
        access="none",
        kwargs=lambda w, o: {"token": w.pending_token, "index": 0},
        post=lambda w, o: {"offset": 0},
    ),
    # Her own export (a zip, checked for the victim's secrets) or back to the import page.
    "logs:export": PAGE,
    "logs:upload": Rule(
        targets=("upload",), kwargs=lambda w, o: {"key": o.key, "extension": o.extension}
    ),
}

# --- The Django admin --------------------------------------------------------------------------

# Which world object a model admin's object URLs are tried with: all in the victim's cohort.
ADMIN_OBJECTS = {
    "accounts_cohort": "cohort",
    "accounts_team": "team",
    "accounts_membership": "membership",
    "accounts_invite": "revoked_invite",
    "accounts_user": "learner_user",
}
ADMIN_OBJECT_ACTIONS = ("change", "delete", "history", "import")


def admin_rule(name: str, route: str) -> Rule | None:
    """Admin URLs: everyone but a staff operator is sent to the admin login; the foreign operator
    gets 403/404 on every object of the victim's cohort and lists without its secrets."""
    short = name.removeprefix("admin:")
    if short == "auth_user_password_change":
        return Rule(targets=("learner_user",), kwargs=lambda w, o: {"id": o.pk}, access="none")
    for model, target in ADMIN_OBJECTS.items():
        if short in {f"{model}_{action}" for action in ADMIN_OBJECT_ACTIONS}:
            return Rule(targets=(target,), kwargs=lambda w, o: {"object_id": o.pk}, access="none")
    if short == "None" and route == "<path:object_id>/":
        # The admin's bare object URL redirects to its change page, which is checked above.
        return Rule(targets=("cohort",), kwargs=lambda w, o: {"object_id": o.pk}, redirect_ok=True)
    if short == "view_on_site":
        # Staff only; it redirects to the object's own page, which applies its own rules.
        return Rule(
            targets=("private",),
            kwargs=lambda w, o: {
                "content_type_id": ContentType.objects.get_for_model(Entry).pk,
                "object_id": o.pk,
            },
            access="none",
            redirect_ok=True,
        )
    if short == "app_list":
        return Rule(kwargs=lambda w, o: {"app_label": "accounts"}, public=True, access="none")
    if short == "None":  # the admin's catch-all
        return Rule(kwargs=lambda w, o: {"url": "zqx-missing/"}, access="none", redirect_ok=True)
    # Lists, add forms, the index, login/logout, autocomplete: pages (their lists are scoped),
    # other apps' object pages (the Operators group has no rights there).
    if "<" in route:
        return Rule(
            kwargs=lambda w, o: {"object_id": 1}, access="none", public=True, redirect_ok=True
        )
    return Rule(
        access="none",
        public=True,
        redirect_ok=short in {"login", "logout"},
        query=(lambda w, o: "?app_label=accounts&model_name=team&field_name=mentors&term=")
        if short == "autocomplete"
        else (lambda w, o: ""),
    )


# --- The URLconf walk --------------------------------------------------------------------------


def _walk(patterns=None, namespace: str = "", prefix: str = ""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name}", str(p.pattern), prefix + str(p.pattern)


URLS = sorted(set(_walk()), key=lambda u: (u[2], u[0]))


def rule_for(name: str, route: str) -> Rule | None:
    if name.startswith("admin:"):
        return admin_rule(name, route)
    return RULES.get(name)


def _reverse(name: str, route: str, full_route: str, kwargs: dict) -> str:
    if not name.endswith(":None"):
        return reverse(name, kwargs=kwargs)
    # Nameless admin patterns: fill the route by hand.
    prefix = full_route[: -len(route)] if route else full_route
    if "(?P<url>" in route:  # the catch-all regex
        return "/" + prefix + kwargs["url"]
    return "/" + prefix + route.replace("<path:object_id>", str(kwargs["object_id"]))


def test_every_url_pattern_has_a_rule():
    missing = [f"{name} ({full})" for name, route, full in URLS if rule_for(name, route) is None]
    assert not missing, (
        "These URL patterns have no access rule. Add one to RULES in "
        f"tests/security/test_access_matrix.py: {missing}"
    )


def test_the_walk_sees_the_projects_urls():
    names = {name for name, _route, _full in URLS}
    assert {"logs:entry_detail", "logs:upload", "accounts:join", "admin:index"} <= names
    assert len(URLS) >= 60


# --- Checking ----------------------------------------------------------------------------------


def _watched_tables() -> list[str]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    return [t for t in tables if t not in UNWATCHED_TABLES and not t.startswith(UNWATCHED_PREFIXES)]


def snapshot() -> dict[str, tuple[int, str]]:
    """Every watched table's row count and a checksum of all its rows."""
    tables = _watched_tables()
    sql = " UNION ALL ".join(
        f"SELECT '{t}', count(*), coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') "
        f'FROM "{t}" x'
        for t in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {name: (count, digest) for name, count, digest in cursor.fetchall()}


def _changed(before: dict, after: dict) -> list[str]:
    return [t for t in sorted(set(before) | set(after)) if before.get(t) != after.get(t)]


def _body(response) -> str:
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    if response.get("Content-Type", "").startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = b"\n".join(archive.read(name) for name in archive.namelist())
    return raw.decode("utf-8", "replace")


def _login_urls() -> tuple[str, ...]:
    return (reverse("login"), reverse("admin:login"))


def _verdict(rule: Rule, url: str, response, body: str, secrets: list[str]) -> str | None:
    """None when the response is an acceptable refusal or a safe page, else what is wrong."""
    status = response.status_code
    lowered = body.lower()
    # A secret in the URL itself (an upload's key) may be echoed back by an error page.
    leaked = [s for s in secrets if s.lower() in lowered and s.lower() not in url.lower()]
    if leaked:
        return f"{status} shows {leaked}"
    if status in REFUSED:
        return None
    if status in (301, 302, 303):
        location = response["Location"]
        if location.startswith(_login_urls()) or rule.redirect_ok:
            return None
        return f"{status} redirect to {location}"
    if status == 200 and rule.public:
        return None
    return f"unexpected {status}"


PERSONA_FIXTURES = {
    "outsider": "outsider",
    "other_learner": "other_learner",
    "teammate": "teammate",
    "other_mentor": "other_mentor",
    "foreign_operator": "foreign_operator",
}


@pytest.mark.parametrize(("name", "route", "full_route"), URLS, ids=[u[2] or "/" for u in URLS])
def test_no_persona_sees_or_changes_what_is_not_theirs(request, world, name, route, full_route):
    rule = rule_for(name, route)
    if rule is None:
        pytest.fail(f"{name} has no rule: add one to RULES (see test_every_url_pattern_has_a_rule)")
    problems = []
    for persona in PERSONAS:
        for target in rule.targets:
            obj = world.objects[target]
            allowed = {"view": obj.viewers, "change": obj.editors, "none": NOBODY}[rule.access]
            if persona in allowed:
                continue  # a legitimate use, tested with the view itself
            url = _reverse(name, route, full_route, rule.kwargs(world, obj.value))
            url += rule.query(world, obj.value)
            client = Client()
            if persona != "anonymous":
                client.force_login(request.getfixturevalue(PERSONA_FIXTURES[persona]))
            secrets = world.secrets_hidden_from(persona)
            for method in ("get", "post"):
                before = snapshot()
                if method == "get":
                    response = client.get(url)
                else:
                    response = client.post(url, rule.post(world, obj.value))
                problem = _verdict(rule, url, response, _body(response), secrets)
                changed = _changed(before, snapshot())
                if changed:
                    problem = f"{problem or response.status_code} and changed {changed}"
                if problem:
                    problems.append(f"{persona} {method.upper()} {url} [{target}]: {problem}")
    assert not problems, "\n".join(problems)


# --- CSRF --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "route", "full_route"), URLS, ids=[u[2] or "/" for u in URLS])
def test_every_post_without_a_csrf_token_is_refused(
    world, learner, operator, name, route, full_route
):
    """The owner of everything (and the cohort's operator, for the admin and the board) posts
    without the token: 403 and nothing changed, whatever the view would have done."""
    rule = rule_for(name, route)
    if rule is None:
        pytest.fail(f"{name} has no rule: add one to RULES")
    grant_operator_access(operator)
    obj = world.objects[rule.targets[0]]
    url = _reverse(name, route, full_route, rule.kwargs(world, obj.value))
    url += rule.query(world, obj.value)
    for user in (None, learner, operator):
        client = Client(enforce_csrf_checks=True)
        if user is not None:
            client.force_login(user)
        before = snapshot()
        response = client.post(url, rule.post(world, obj.value))
        assert response.status_code == 403, (user, url, response.status_code)
        assert not _changed(before, snapshot()), (user, url)


def test_the_same_post_with_a_token_goes_through(world, learner):
    """The CSRF check above is not passing by accident: the owner's edit with a token works."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    entry = world["cohort_entry"]
    page = client.get(reverse("logs:entry_edit", args=[entry.pk]))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    payload = {**edit_payload(world, entry), "csrfmiddlewaretoken": token, "title": "고친 제목"}
    response = client.post(reverse("logs:entry_edit", args=[entry.pk]), payload)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "고친 제목"


def test_the_owner_can_do_what_the_matrix_refuses_to_others(world, learner, login):
    """The payloads are real: the same toggle and edit by the owner change the entry, so the
    refusals above are the permission check, not a malformed request."""
    client = login(learner)
    entry = world["cohort_entry"]
    response = client.post(
        reverse("logs:entry_toggle_task", args=[entry.pk]), {"index": 0, "checked": 1, "version": 1}
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert "- [x] ZQXCOHORTENTRY" in entry.body
    response = client.post(reverse("logs:entry_edit", args=[entry.pk]), edit_payload(world, entry))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "ZQXHACKED"
