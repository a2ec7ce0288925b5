#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Migrations, imports and the bench's populate may run long statements and transactions:
    # the web app's bounds (config/settings.py) apply to commands only when set explicitly.
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
    os.environ.setdefault("DATABASE_IDLE_IN_TRANSACTION_TIMEOUT", "0")
    if not os.environ.get("DATABASE_URL"):  # a machine with nothing but Python: our own Postgres
        from config import embedded_db

        os.environ["DATABASE_URL"] = embedded_db.url()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
