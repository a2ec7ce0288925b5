"""No input gives a 500: every URL pattern of the URLconf, GET and POST, anonymously and as a
logged-in learner (and as the cohort's operator on the admin pages Camplog wrote), with generated
values in its form fields, its query parameters and its path.

Built from the URLconf like tests/security/test_access_matrix.py, whose world and rules fill the
path with real objects (the learner's own, so the views get past their permission checks and
read the input). The fields of a URL are the ones its page's forms carry, the ones its rule posts,
and every name the code reads from `request.GET` or `request.POST`; a new view is covered the
day it is added.

Values are what broke views before (tests/security/test_bad_input.py): arbitrary text, numbers
too large for any column, Unicode digits (`²` passes str.isdigit(), `١٢` passes int()), NUL.
Hypothesis draws them, a few examples per URL, derandomized so every run sends the same requests.
Each example runs in a savepoint that is rolled back: a delete in one cannot starve the next.
"""

import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import resolve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from accounts.operators import grant_operator_access
from tests.security.test_access_matrix import (  # noqa: F401  (`world` is a fixture)
    URLS,
    _reverse,
    rule_for,
    world,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_PER_URL = 2
FORM_PAGE_FIELDS = 8
# Each once in the path of every URL (and shaped like a valid value in its fields, see _variants).
KNOWN_BAD = ("²", "9" * 30, "a\x00b")

TRICKY = [
    "",
    " ",
    "0",
    "-1",
    "²",
    "١٢",
    "𝟙𝟚",
    "Ⅻ",
    "9" * 30,
    "-" + "9" * 30,
    "1e309",
    "nan",
    "1.5",
    "\x00",
    "1\x00",
    "a\x00b",
    "0001-01-01",
    "9999-12-31",
    "2022-02-30",
    "x" * 300,
    "가" * 101,
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "new:1:daily:2022-02-09",
    "entry:²",
]
VALUES = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=20),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.text(st.characters(categories=("Nd", "No", "Nl")), min_size=1, max_size=4),
    st.tuples(st.text(max_size=4), st.text(max_size=4)).map("\x00".join),
)


READ = re.compile(r"request\.(GET|POST)(?:\.get|\.getlist)?[(\[]\s*[\"']([\w-]+)[\"']")
TESTED = re.compile(r"[\"']([\w-]+)[\"']\s+in\s+request\.(GET|POST)")


def _names_read_in(*paths: Path) -> tuple[set[str], set[str]]:
    """The parameter names this code reads from request.GET and from request.POST."""
    names: dict[str, set[str]] = {"GET": set(), "POST": set()}
    for path in paths:
        text = path.read_text()
        for method, name in READ.findall(text):
            names[method].add(name)
        for name, method in TESTED.findall(text):
            names[method].add(name)
    return names["GET"], names["POST"]


def _names_read_by_the_code() -> tuple[set[str], set[str]]:
    return _names_read_in(
        *(p for app in ("accounts", "logs", "config") for p in ROOT.glob(f"{app}/**/*.py"))
    )


QUERY_NAMES, POST_NAMES = _names_read_by_the_code()


class _FormFields(HTMLParser):
    """The fields of a page's forms with their current values: what its own forms would post."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                self.values.setdefault(name, "")
            elif a.get("type") != "file":
                self.values[name] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, "")
        elif (
            tag == "option" and self._select and ("selected" in a or not self.values[self._select])
        ):
            self.values[self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def _page_fields(client: Client, url: str) -> dict[str, str]:
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return {}
    parser = _FormFields()
    parser.feed(response.content.decode("utf-8", "replace"))
    return parser.values


def _garble_path(url: str, real: set[str], values: list[str]) -> str:
    """The URL with each path segment that holds a real object's key replaced by a value."""
    path, _, query = url.partition("?")
    segments = path.split("/")
    replacements = iter(values)
    for i, segment in enumerate(segments):
        key = next((k for k in real if segment == k or (len(k) >= 8 and k in segment)), None)
        if key is not None:
            segments[i] = segment.replace(key, quote(next(replacements, key), safe=""))
    return "/".join(segments) + (f"?{query}" if query else "")


def _view_module(url: str) -> str:
    view = resolve(url.partition("?")[0]).func
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    return getattr(view, "__module__", None) or type(view).__module__  # a Feed is an instance


def _camplog_code(module: str) -> bool:
    return module.split(".")[0] in {"accounts", "logs", "config"}


def _variants(valid: str) -> list[str]:
    """Bad values shaped like a valid one, so a view reads past its first checks: the first number
    in it made `²` or 30 digits, and a NUL in its middle."""
    number = re.search(r"[0-9]+", valid)
    shaped = [
        valid[: number.start()] + bad + valid[number.end() :] if number else bad
        for bad in ("²", "9" * 30)
    ]
    return [*shaped, valid[: len(valid) // 2] + "\x00" + valid[len(valid) // 2 :]]


class Browsers:
    """A client per persona, logged in once. Each round runs in a savepoint that is rolled back,
    so a round that logs out or deletes leaves the next one the same world and the same session."""

    def __init__(self, people: dict):
        self.clients: dict[str, Client] = {}
        self.sessions: dict[str, str] = {}
        for who, user in people.items():
            client = Client()
            if user is not None:
                client.force_login(user)
                self.sessions[who] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
            self.clients[who] = client

    def send(self, personas, url: str, posted: dict | None, query: dict, get=True) -> None:
        get_url = f"{url}{'&' if '?' in url else '?'}{urlencode(query)}" if query else url
        for who in personas:
            client = self.clients[who]
            with transaction.atomic():
                cache.clear()
                client.cookies.clear()
                if who in self.sessions:
                    client.cookies[django_settings.SESSION_COOKIE_NAME] = self.sessions[who]
                if get:
                    response = client.get(get_url)
                    assert response.status_code < 500, (
                        f"{who} GET {get_url}: {response.status_code}"
                    )
                if posted is not None:
                    response = client.post(url, posted)
                    assert response.status_code < 500, (
                        f"{who} POST {url} {posted!r}: {response.status_code}"
                    )
                transaction.set_rollback(True)


@dataclass
class Target:
    """One URL pattern filled with real objects, and what may be sent to it."""

    url: str  # with the rule's own query string, kept under the generated parameters
    fields: dict[str, str]  # what the page's forms and the rule post, as they are
    post_names: list[str]
    query_names: list[str]
    path_keys: set[str]  # path segments that hold a real object's key
    personas: list[str]
    # What the view itself reads, tried one at a time by whoever may reach it (empty when it is
    # Django's or a library's admin view, which a learner never reaches).
    own_post_names: list[str]
    own_query_names: list[str]
    members: list[str]


def _target(objects, name: str, route: str, full_route: str, browsers: Browsers) -> Target:
    rule = rule_for(name, route)
    assert rule is not None, f"{name} has no rule in tests/security/test_access_matrix.py"
    obj = objects.objects[rule.targets[0]].value
    kwargs = rule.kwargs(objects, obj)
    url = _reverse(name, route, full_route, kwargs) + rule.query(objects, obj)
    admin = name.startswith("admin:")
    module = _view_module(url)
    ours = _camplog_code(module)
    page = _page_fields(browsers.clients["operator" if admin else "learner"], url) if ours else {}
    fields = {**page, **rule.post(objects, obj)}
    query = url.partition("?")[2]
    rule_query = {p.split("=")[0] for p in query.split("&") if p}
    personas = ["anonymous", "learner"]
    # The admin's own views are Django's (and taggit's, axes'): the operator tries Camplog's.
    if admin and ours:
        personas.append("operator")
    own_query, own_post = set(), set()
    if ours:
        own_query, own_post = _names_read_in(Path(sys.modules[module].__file__))
        own_post |= set(fields)
    return Target(
        url=url,
        fields=fields,
        post_names=sorted(set(fields) | POST_NAMES),
        query_names=sorted(QUERY_NAMES | rule_query),
        path_keys={quote(str(value), safe="") for value in kwargs.values()},
        personas=personas,
        own_post_names=sorted(own_post),
        own_query_names=sorted(own_query | rule_query) if ours else [],
        members=["operator"] if admin and ours else [] if admin else ["learner"],
    )


def _rounds(valid: dict[str, str], names: list[str]) -> list[dict[str, str]]:
    """The bad values to send: each name's variants one at a time, so that a view that stops at
    its first bad parameter still reads the others; on a form page (many fields, all cleaned
    whatever the others hold) every field at once, in three rounds."""
    variants = {name: _variants(str(valid.get(name, "1"))) for name in names}
    if len(names) > FORM_PAGE_FIELDS:
        return [
            {name: variants[name][(i + k) % 3] for i, name in enumerate(names)} for k in range(3)
        ]
    return [{name: value} for name in names for value in variants[name]]


def _sweep(target: Target, browsers: Browsers) -> None:
    """What broke views before: in the path, and in the fields and query parameters the view
    reads, shaped like their valid values."""
    if target.path_keys:
        for value in KNOWN_BAD:
            url = _garble_path(target.url, target.path_keys, [value] * len(target.path_keys))
            browsers.send(target.personas, url, None, {})
    path, _, query = target.url.partition("?")
    valid_query = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
    for bad in _rounds(valid_query, target.own_query_names):
        browsers.send(target.members, f"{path}?{urlencode({**valid_query, **bad})}", None, {})
    for bad in _rounds(target.fields, target.own_post_names):
        browsers.send(target.members, target.url, {**target.fields, **bad}, {}, get=False)


def _explore(target: Target, browsers: Browsers) -> None:
    """Values Hypothesis draws, in a few fields, query parameters and path segments at a time."""

    @settings(
        max_examples=EXAMPLES_PER_URL,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data):
        chosen = data.draw(st.lists(st.sampled_from(target.post_names), max_size=4, unique=True))
        posted = {**target.fields, **{n: data.draw(VALUES, label=n) for n in chosen}}
        names = data.draw(st.lists(st.sampled_from(target.query_names), max_size=4, unique=True))
        query = {n: data.draw(VALUES, label=f"?{n}") for n in names}
        url = target.url
        if target.path_keys and data.draw(st.booleans(), label="garble the path"):
            values = [data.draw(VALUES, label="path") for _ in target.path_keys]
            url = _garble_path(url, target.path_keys, values)
        browsers.send(target.personas, url, posted, query)

    run()


@pytest.mark.slow
def test_no_url_gives_a_500_whatever_its_fields_query_and_path_hold(request, learner, operator):
    objects = request.getfixturevalue("world")
    grant_operator_access(operator)
    browsers = Browsers({"anonymous": None, "learner": learner, "operator": operator})
    failures = []
    for name, route, full_route in URLS:
        try:
            target = _target(objects, name, route, full_route, browsers)
            _sweep(target, browsers)
            if not name.startswith("admin:") or target.members:
                # Anyone else gets the admin's login page before a field is read.
                _explore(target, browsers)
        except Exception as error:  # every URL reported, not only the first
            failures.append(f"{full_route or '/'}: {error}")
    assert not failures, "\n\n".join(failures)
