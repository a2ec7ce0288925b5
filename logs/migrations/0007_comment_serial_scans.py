"""Search scans the comments table without parallel workers.

The table is small (16 MB for 50,000 comments at bench scale): a scan of it takes a few
milliseconds, and starting parallel workers for it cost search 10–20 ms more on a busy 2-core
machine, where the workers wait for a core like every other process. Sessions and entries are
left to the planner (their search scans were not parallel).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("logs", "0006_search_newest_indexes")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE logs_comment SET (parallel_workers = 0);",
            "ALTER TABLE logs_comment RESET (parallel_workers);",
        ),
    ]
