from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper

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
