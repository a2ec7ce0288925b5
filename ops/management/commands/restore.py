"""`python manage.py restore BACKUP_DIR` (what `make restore BACKUP=…` runs): put a backup made
by `backup` back, replacing the tables of the target database and adding the uploads to the
media folder, then check every table's row count against the backup's manifest.

The restore runs in one transaction: it applies completely or not at all.
"""

import json
import subprocess
import tarfile
from pathlib import Path

import dj_database_url
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from logs.caching import versions
from ops import postgres


class Command(BaseCommand):
    help = "Restore a backup made by `backup` (database and uploaded files)."

    def add_arguments(self, parser):
        parser.add_argument("backup_dir", help="A folder made by `backup`: backups/<timestamp>")
        parser.add_argument(
            "--database-url",
            help="Restore into this database instead of the configured one (it must exist).",
        )
        parser.add_argument(
            "--media-root", help="Unpack the uploads here instead of the configured MEDIA_ROOT."
        )
        parser.add_argument("--no-media", action="store_true", help="Restore the database only.")
        parser.add_argument("--no-input", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, backup_dir, database_url, media_root, no_media, no_input, **options):
        folder = Path(backup_dir)
        manifest_path = folder / "manifest.json"
        if not manifest_path.is_file():
            raise CommandError(f"{folder} is not a backup: it has no manifest.json.")
        manifest = json.loads(manifest_path.read_text())
        dump = folder / manifest["database_file"]
        if not dump.is_file():
            raise CommandError(f"The backup misses its database file {dump}.")

        if database_url:
            settings_dict = dj_database_url.parse(database_url)
        else:
            settings_dict = connections["default"].settings_dict
        target = f"database {settings_dict['NAME']!r} on {settings_dict.get('HOST') or 'localhost'}"
        if not no_input:
            answer = input(
                f"This replaces every table of {target} with the backup of "
                f"{manifest['created_at']}. Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")

        major = postgres.server_major(settings_dict)
        pg_restore = postgres.find_tool("pg_restore", major, at_least=manifest["pg_dump_major"])
        self.stdout.write(f"Restoring into {target} (PostgreSQL {major}) with {pg_restore}")
        result = subprocess.run(
            [
                str(pg_restore.path),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                settings_dict["NAME"],
                str(dump),
            ],
            env=postgres.libpq_env(settings_dict),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed; the database is unchanged:\n{result.stderr}")

        counts = postgres.table_counts(settings_dict)
        wrong = {
            table: (expected, counts.get(table))
            for table, expected in manifest["tables"].items()
            if counts.get(table) != expected
        }
        if wrong:
            details = ", ".join(f"{t}: {e} expected, {g} found" for t, (e, g) in wrong.items())
            raise CommandError(f"The restored tables do not match the backup: {details}")
        self.stdout.write(
            f"Checked {len(counts)} tables: every row count matches the backup "
            f"({sum(counts.values())} rows)."
        )
        # Pages cached from the data before the restore (in Redis, say) are not served again.
        versions.bump(versions.SETUP)

        if not no_media and manifest.get("media_file"):
            self._restore_media(folder / manifest["media_file"], media_root)
        self.stdout.write(self.style.SUCCESS(f"Restored {folder}"))

    def _restore_media(self, archive: Path, media_root: str | None) -> None:
        if media_root:
            root = Path(media_root)
        else:
            storage = storages["default"]
            if not isinstance(storage, FileSystemStorage):
                self.stdout.write(
                    "Uploads are configured on object storage: the backup's media archive "
                    f"({archive}) is left for you to copy into the bucket."
                )
                return
            root = Path(storage.location)
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive, "r:gz") as tar:
            # The "data" filter refuses absolute paths, "..", links out of the folder, devices.
            members = tar.getmembers()
            tar.extractall(root, filter="data")
        self.stdout.write(f"Restored {len(members)} uploaded files into {root}")
