"""`export_jekyll --author USERNAME --out DIR`: take a learner's entries out as a Jekyll site."""

import time

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from logs.transfer.exporter import export_entries, write_tree, write_zip


class Command(BaseCommand):
    help = (
        "Write all of a learner's entries as Jekyll (Chirpy) posts under DIR/_posts and their "
        "images under DIR/assets (or into a .zip when DIR ends in .zip)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--author", required=True, metavar="USERNAME")
        parser.add_argument("--out", required=True, metavar="DIR")
        parser.add_argument(
            "--with-sessions",
            action="store_true",
            help="Append the team's sessions of the day to each daily log.",
        )

    def handle(self, *args, author, out, with_sessions, verbosity, **options):
        try:
            user = User.objects.get(username=author)
        except User.DoesNotExist:
            raise CommandError(f"No user named {author!r}.") from None
        started = time.perf_counter()
        export = export_entries(user, with_sessions=with_sessions)
        if out.lower().endswith(".zip"):
            with open(out, "wb") as fp:
                write_zip(export, fp)
            if verbosity >= 1:
                for path in export.paths():
                    self.stdout.write(f"  {path}")
        else:
            for path in write_tree(export, out):
                if verbosity >= 1:
                    self.stdout.write(f"  {path}")
        for problem in export.problems:
            self.stderr.write(self.style.WARNING(problem))
        self.stdout.write(
            self.style.SUCCESS(
                f"{export.posts} posts and {export.images} images written to {out} "
                f"in {time.perf_counter() - started:.2f} s."
            )
        )
