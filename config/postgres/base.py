"""Django's PostgreSQL backend, with a limit on how long the app waits for an answer.

A frozen database (a stopped or wedged server process, a paused VM) keeps its sockets open and
its kernel acknowledges every byte, so neither libpq nor TCP keepalives notice that no answer
will come: without a limit of its own the app would wait until gunicorn kills the worker. Every
wait for the server is bounded by `answer_timeout` (the statement timeout plus a margin, so a
live server's own "canceling statement" arrives first); a connection that ran out of time is
closed at once, since its state is unknown, and the request gets the 503 of
config/middleware.py. The next request connects again, so the app recovers by itself.
"""

from contextlib import contextmanager

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base


class AnswerTimeoutConnection(psycopg.Connection):
    answer_timeout: float | None = None

    def wait(self, gen, interval=0.1, timeout=None):
        try:
            return super().wait(gen, interval, self.answer_timeout if timeout is None else timeout)
        except psycopg.OperationalError:
            if self.pgconn.transaction_status == psycopg.pq.TransactionStatus.ACTIVE:
                # Asked and never answered: nothing else may be sent on this connection.
                self.pgconn.finish()
            raise

    @contextmanager
    def answering_within(self, seconds: float):
        previous, self.answer_timeout = self.answer_timeout, seconds
        try:
            yield
        finally:
            self.answer_timeout = previous


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        # psycopg.connect() builds its own class; ours only adds the bounded wait.
        connection.__class__ = AnswerTimeoutConnection
        connection.answer_timeout = settings.DATABASE_ANSWER_TIMEOUT
        return connection

    @contextmanager
    def _nodb_cursor(self):
        # Creating and dropping databases (the test runner) waits for other sessions to leave
        # and for a checkpoint: seconds, on a busy server, that no page's query may take.
        with super()._nodb_cursor() as cursor:
            cursor.db.connection.answer_timeout = None
            cursor.execute("SET statement_timeout = 0")
            yield cursor

    def is_usable(self):
        if self.connection is None:
            return False
        # A live server answers the health check's SELECT 1 in milliseconds; a slower answer
        # costs only a reconnection, while waiting longer would add to the 503's delay.
        with self.connection.answering_within(settings.DATABASE_HEALTH_CHECK_SECONDS):
            return super().is_usable()
