"""`import_jekyll PATH… --cohort SLUG --author USERNAME [--dry-run]`: bring a Jekyll blog in."""

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import connection

from accounts.models import Cohort, User
from logs import access
from logs.transfer.importer import FAILED, ImportReport, import_bundle
from logs.transfer.sources import read_sources


class Command(BaseCommand):
    help = (
        "Import Jekyll (Chirpy) Markdown posts from files, folders or .zip archives as one "
        "learner's entries. Importing a file again updates its entry. Exits with status 1 if "
        "any file failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help=".md files, folders or .zip")
        parser.add_argument("--cohort", required=True, metavar="SLUG")
        parser.add_argument("--author", required=True, metavar="USERNAME")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would happen and write nothing."
        )

    @no_translations  # the command speaks English, the reasons included
    def handle(self, *args, paths, cohort, author, dry_run, verbosity, **options):
        try:
            cohort_obj = Cohort.objects.get(slug=cohort)
        except Cohort.DoesNotExist:
            raise CommandError(f"No cohort with the slug {cohort!r}.") from None
        try:
            user = User.objects.get(username=author)
        except User.DoesNotExist:
            raise CommandError(f"No user named {author!r}.") from None
        if not access.can_write_in(user, cohort_obj.pk):
            raise CommandError(
                f"{author} is not a learner or mentor of {cohort_obj.slug}; add the membership "
                "first (Django admin)."
            )

        self.stdout.write(f"Reading {', '.join(paths)} …")
        bundle = read_sources(paths)
        self.stdout.write(
            f"{len(bundle.posts)} posts, {len(bundle.assets)} images"
            f"{' (dry run: nothing is written)' if dry_run else ''}"
        )
        width = len(str(len(bundle.posts) + len(bundle.problems)))
        done = 0

        def progress(result):
            nonlocal done
            done += 1
            if verbosity < 1:
                return
            style = self.style.ERROR if result.action == FAILED else (lambda text: text)
            when = result.learning_date.isoformat() if result.learning_date else "-" * 10
            line = (
                f"[{done:>{width}}] {result.action:<8} {when} {result.kind or '-':<6} {result.name}"
            )
            self.stdout.write(style(line))
            for problem in result.problems:
                self.stdout.write(style(f"{'':>{width + 3}}  ! {problem}"))

        # A request's bounds on a statement and on waiting for its answer (config/settings.py)
        # protect a web worker; an import run by hand may take its time over a large batch.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
        with bundle, connection.connection.answering_within(None):
            report = import_bundle(
                bundle, author=user, cohort=cohort_obj, dry_run=dry_run, progress=progress
            )
        self.stdout.write(self.summary(report))
        if report.failed:
            raise CommandError(f"{report.failed} file(s) failed; see the lines marked failed.")

    def summary(self, report: ImportReport) -> str:
        counts = report.counts
        verb = "would be " if report.dry_run else ""
        text = ", ".join(f"{counts[action]} {verb}{action}" for action in counts)
        speed = (
            f"{report.posts} posts in {report.seconds:.2f} s "
            f"({report.posts_per_second:.1f} posts/s)"
        )
        return self.style.SUCCESS(f"{text}. {speed}")
