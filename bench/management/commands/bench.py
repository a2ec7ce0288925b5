"""`python manage.py bench`: the project's benchmark (issue #8).

    bench                         # <db>_bench on the same server: create, migrate, populate
                                  # (once), serve with gunicorn, load with wrk, report
    bench --populate-only --learners 3 --days 5     # fill the database DATABASE_URL points at
    bench --in-place              # benchmark the database DATABASE_URL points at

The pieces live in bench/: corpus.py (the Korean logs), populate.py (bulk data),
load.py (gunicorn, wrk, page weight), runner.py (one run), report.py (table, JSON, targets).
"""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts.models import Cohort
from bench import load, populate, report, runner
from bench import markdown as markdown_bench


class Command(BaseCommand):
    help = (
        "Benchmark Camplog: populate cohort 'bench' (300 learners × 100 days by default) in a "
        "separate <name>_bench database, serve it with gunicorn and load every page with wrk."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=300, help="default 300")
        parser.add_argument("--days", type=int, default=100, help="learning days, default 100")
        parser.add_argument(
            "--populate-only",
            action="store_true",
            help="fill the database this command points at with cohort 'bench', then stop",
        )
        parser.add_argument(
            "--in-place",
            action="store_true",
            help="benchmark the database this command points at instead of <name>_bench",
        )
        parser.add_argument(
            "--repopulate",
            action="store_true",
            help="populate again even when the bench data of this size is there",
        )
        parser.add_argument("--duration", type=float, default=10, help="seconds a page (10)")
        parser.add_argument("--connections", type=int, default=16, help="concurrent (16)")
        parser.add_argument(
            "--workers", type=int, default=0, help="gunicorn workers (WEB_CONCURRENCY or 2×cores+1)"
        )
        parser.add_argument(
            "--pages",
            default=",".join(runner.PAGE_NAMES),
            help="comma-separated, of: " + ", ".join(runner.PAGE_NAMES),
        )
        parser.add_argument(
            "--import-posts",
            type=int,
            default=runner.IMPORT_POSTS,
            help="posts for the import speed (1000; 0 skips import and export)",
        )
        parser.add_argument("--output-dir", default="bench-results", help="where the JSON goes")
        parser.add_argument(
            "--evening",
            type=float,
            default=0,
            help="seconds a step of the 22:00 mix (N writers, the rest browsing); 0 skips it",
        )
        parser.add_argument(
            "--markdown-only",
            action="store_true",
            help="time the Markdown pipeline alone (no database, no server) and stop",
        )

    def handle(self, *args, **options):
        if options["learners"] < 1 or options["days"] < 1:
            raise CommandError("--learners and --days must be at least 1.")
        if options["markdown_only"]:
            markdown_bench.run(self.stdout)
            return
        if options["populate_only"]:
            self.populate(options)
            return
        if options["in_place"]:
            self.bench_here(options)
            return
        self.bench_in_separate_database(options)

    def populate(self, options) -> None:
        self.stdout.write(
            f"Populating cohort '{populate.SLUG}' in database "
            f"{connection.settings_dict['NAME']}: {options['learners']} learners × "
            f"{options['days']} learning days"
        )
        counts = populate.populate(options["learners"], options["days"], self.stdout)
        self.stdout.write(
            self.style.SUCCESS("Done: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
        )
        self.stdout.write(
            f"Logins: {populate.username(1)}… bench-mentor01… bench-operator, "
            f"password {populate.PASSWORD}"
        )

    def bench_in_separate_database(self, options) -> None:
        """Create <name>_bench next to the configured database and re-run there with
        --in-place, in a child process whose DATABASE_URL points at it."""
        current = dict(connection.settings_dict)
        name = current["NAME"]
        bench_name = name if name.endswith("_bench") else f"{name}_bench"
        if options["repopulate"]:
            # Dropping the whole benchmark database is far quicker than deleting 30,000 logs
            # with their comments and tags row by row.
            self.drop_database(current, bench_name)
        self.create_database(current, bench_name)
        url = load.database_url({**current, "NAME": bench_name})
        self.stdout.write(f"Benchmark database: {bench_name}")
        forwarded = []
        for flag in (
            "learners",
            "days",
            "duration",
            "connections",
            "workers",
            "pages",
            "import_posts",
            "output_dir",
            "evening",
        ):
            forwarded += [f"--{flag.replace('_', '-')}", str(options[flag])]
        if options["repopulate"]:
            forwarded.append("--repopulate")
        connection.close()
        child = subprocess.run(
            [sys.executable, "manage.py", "bench", "--in-place", *forwarded],
            cwd=settings.BASE_DIR,
            env={**os.environ, "DATABASE_URL": url, "CAMPLOG_BENCH": "1"},
        )
        if child.returncode:
            raise CommandError(f"the benchmark failed (exit {child.returncode})")

    @staticmethod
    def _maintenance(current: dict) -> psycopg.Connection:
        params = {
            "dbname": "postgres",
            "user": current.get("USER") or None,
            "password": current.get("PASSWORD") or None,
            "host": current.get("HOST") or None,
            "port": current.get("PORT") or None,
        }
        return psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True)

    @classmethod
    def drop_database(cls, current: dict, name: str) -> None:
        if name == current["NAME"] or not name.endswith("_bench"):
            raise CommandError(f"refusing to drop {name}: not a benchmark database")
        with cls._maintenance(current) as maintenance:
            maintenance.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    @classmethod
    def create_database(cls, current: dict, name: str) -> None:
        with cls._maintenance(current) as maintenance:
            exists = maintenance.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                maintenance.execute(f'CREATE DATABASE "{name}"')

    def bench_here(self, options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        wanted = f"bench: {options['learners']} learners × {options['days']} learning days"
        cohort = Cohort.objects.filter(slug=populate.SLUG).first()
        if options["repopulate"] or cohort is None or cohort.description != wanted:
            self.populate(options)
        else:
            self.stdout.write(f"Reusing the populated cohort '{populate.SLUG}' ({wanted}).")
        pages = tuple(p.strip() for p in options["pages"].split(",") if p.strip())
        unknown = sorted(set(pages) - set(runner.PAGE_NAMES))
        if unknown:
            raise CommandError(f"unknown pages: {', '.join(unknown)}")
        results = runner.run(
            runner.Options(
                duration=options["duration"],
                connections=options["connections"],
                workers=options["workers"],
                pages=pages,
                import_posts=options["import_posts"],
                output_dir=Path(options["output_dir"]),
                evening_seconds=options["evening"],
            ),
            self.stdout,
        )
        report.print_table(results, self.stdout)
        markdown_bench.run(self.stdout)
        path = report.write_json(results, Path(options["output_dir"]))
        self.stdout.write(f"\nWritten to {path}")
