from django.core.management.base import BaseCommand

from logs.transfer import pending


class Command(BaseCommand):
    help = (
        "Delete uploaded imports that were previewed and never confirmed, a day after the "
        "preview. Run it daily (cron, a scheduled task); a learner's own are also swept on their "
        "next upload."
    )

    def handle(self, *args, **options) -> None:
        deleted = pending.sweep_everyone()
        self.stdout.write(f"{deleted} unconfirmed import file(s) deleted.")
