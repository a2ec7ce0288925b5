from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError, connection
from django.db.backends.postgresql.base import DatabaseWrapper
from django.http import HttpResponse
from django.urls import path

import config.urls
import config.views


def test_it_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_answers_503_when_the_database_does_not(client, db, monkeypatch):
    # A real connection to a port where no Postgres listens.
    dead = DatabaseWrapper(
        {**connection.settings_dict, "HOST": "127.0.0.1", "PORT": "1"}, alias="dead"
    )
    monkeypatch.setattr(config.views, "connection", dead)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert b"database unavailable" in response.content


def _touch_session(request):
    request.session["seen"] = True
    return HttpResponse("ok")


# A URLconf for the test below: one view that changes the session, and the project's handler.
urlpatterns = [path("touch/", _touch_session)]
handler500 = config.urls.handler500


def test_a_database_error_after_the_view_still_gets_the_friendly_503(
    client, db, settings, monkeypatch
):
    # Saving a changed session happens in SessionMiddleware, after the view, where the
    # middleware that turns view errors into 503s cannot see it; the 500 handler must.
    settings.ROOT_URLCONF = __name__

    def broken_save(self, must_create=False):
        raise OperationalError("connection refused")

    monkeypatch.setattr(SessionStore, "save", broken_save)
    client.raise_request_exception = False
    response = client.get("/touch/")
    assert response.status_code == 503
    assert "잠시 후 다시 시도해 주세요" in response.content.decode()
    assert response["Retry-After"] == "10"


def test_other_errors_keep_the_500_page(rf):
    try:
        raise ValueError("a bug")
    except ValueError:
        response = config.views.server_error(rf.get("/"))
    assert response.status_code == 500
