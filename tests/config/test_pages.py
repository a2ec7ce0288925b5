"""The page frame: home, login and error pages, in Korean (the default) and English."""

import pytest


@pytest.mark.parametrize(
    ("accept_language", "lang", "login_label", "home_label"),
    [("ko", "ko", "로그인", "홈"), ("en", "en", "Log in", "Home")],
)
def test_the_home_page_speaks_the_visitors_language(
    client, db, accept_language, lang, login_label, home_label
):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    assert login_label in html
    assert home_label in html


def test_korean_is_the_default_language(client, db):
    assert '<html lang="ko"' in client.get("/").content.decode()


def test_the_language_switch_remembers_the_choice(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en"' in client.get("/").content.decode()


def test_a_logged_in_learner_sees_their_cohort_on_home(login, learner, cohort):
    html = login(learner).get("/").content.decode()
    assert cohort.name in html
    assert f"/c/{cohort.slug}/" in html


def test_the_login_page_keeps_the_username_after_a_failed_login(client, learner):
    response = client.post("/accounts/login/", {"username": "learner", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="learner"' in html
    assert 'role="alert"' in html or "errorlist" in html


@pytest.mark.parametrize(
    ("accept_language", "text"), [("ko", "페이지를 찾을 수 없"), ("en", "not found")]
)
def test_an_unknown_page_gets_the_styled_404(client, db, accept_language, text):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 404
    html = response.content.decode()
    assert "camplog.css" in html
    assert text.lower() in html.lower()


def test_pages_send_security_headers(client, db):
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_request_for_another_host_gets_the_400_page(client, db):
    """Refused before the session and user are loaded: the error page must not need them."""
    response = client.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "Camplog" in response.content.decode()


def test_pages_name_the_sites_icon_and_it_is_served(client, db):
    html = client.get("/").content.decode()
    href = html.split('<link rel="icon" href="', 1)[1].split('"', 1)[0]
    response = client.get(href)
    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content)
