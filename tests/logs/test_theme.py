"""The colour theme: chosen in the header, kept in a cookie, rendered by the server into the
first byte (`<html data-theme>` and the color-scheme meta) so no page flashes the other theme;
without a cookie (or without JavaScript and never chosen) it follows the system."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

THEME_URL = reverse("logs:set_theme")


def _shell(client, url: str = "/") -> tuple[str | None, str]:
    html = client.get(url).content.decode()
    root = re.search(r"<html[^>]*>", html).group(0)
    theme = re.search(r'data-theme="([a-z]+)"', root)
    scheme = re.search(r'<meta name="color-scheme" content="([^"]+)">', html).group(1)
    return (theme.group(1) if theme else None), scheme


def test_without_a_choice_the_page_follows_the_system(client):
    assert _shell(client) == (None, "light dark")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_chosen_theme_is_in_the_first_byte(client, theme):
    client.cookies["theme"] = theme
    assert _shell(client) == (theme, theme)


def test_an_unknown_cookie_value_is_the_system_theme(client):
    client.cookies["theme"] = '"><script>'
    assert _shell(client) == (None, "light dark")


def test_choosing_without_javascript_sets_the_cookie_and_goes_back(client):
    response = client.post(THEME_URL, {"theme": "dark", "next": "/tags/"})
    assert response.status_code == 302 and response["Location"] == "/tags/"
    cookie = response.cookies["theme"]
    assert cookie.value == "dark" and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) > 300 * 24 * 3600
    assert not cookie["httponly"]  # static/js/theme.js writes the same cookie
    assert _shell(client, "/tags/") == ("dark", "dark")


def test_choosing_the_system_theme_forgets_the_choice(client):
    client.post(THEME_URL, {"theme": "light"})
    response = client.post(THEME_URL, {"theme": "system", "next": "/"})
    assert response.cookies["theme"].value == ""
    assert _shell(client) == (None, "light dark")


def test_it_goes_back_only_to_this_site(client):
    response = client.post(THEME_URL, {"theme": "dark", "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_the_header_marks_the_chosen_theme_for_a_member_too(login, learner):
    client = login(learner)
    client.get("/")  # the header is cached per theme: the next one must not be reused
    client.cookies["theme"] = "dark"
    html = client.get("/").content.decode()
    assert 'value="dark" aria-pressed="true"' in html
    assert 'value="system" aria-pressed="false"' in html
    client.cookies["theme"] = "light"
    html = client.get("/").content.decode()
    assert 'value="light" aria-pressed="true"' in html and 'data-theme="light"' in html


def test_choosing_a_theme_needs_a_post(client):
    assert client.get(THEME_URL).status_code == 405
