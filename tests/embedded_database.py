"""pytest plugin (`-p tests.embedded_database` in pyproject.toml): with no DATABASE_URL the tests
run on the embedded Postgres, started here before pytest-django reads the settings (which start
nothing themselves)."""

import os

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args) -> None:
    if not os.environ.get("DATABASE_URL"):
        from config import embedded_db

        os.environ["DATABASE_URL"] = embedded_db.url()
