"""`python manage.py backup` (what `make backup` runs): the database and the uploads, into
backups/<timestamp>/.

    database.dump    pg_dump, custom format (compressed; pg_restore can pick parts of it)
    media.tar.gz     MEDIA_ROOT, when uploads are on the local filesystem
    manifest.json    when, from which server, with which pg_dump, and every table's row count,
                     so `restore` can check that everything came back
"""

import datetime as dt
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from ops import postgres


class Command(BaseCommand):
    help = "Back up the database (pg_dump, custom format) and the uploaded files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=str(settings.BASE_DIR / "backups"),
            help="Folder that receives the <timestamp>/ folder (default: backups/).",
        )
        parser.add_argument("--no-media", action="store_true", help="Back up the database only.")

    def handle(self, *args, output_dir: str, no_media: bool, **options):
        settings_dict = connections["default"].settings_dict
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        target = Path(output_dir) / stamp
        suffix = 1
        while target.exists():
            suffix += 1
            target = Path(output_dir) / f"{stamp}-{suffix}"
        target.mkdir(parents=True)
        try:
            self._backup(target, settings_dict, no_media)
        except BaseException:
            # No half backup that a later restore could mistake for a whole one.
            shutil.rmtree(target, ignore_errors=True)
            raise

    def _backup(self, target: Path, settings_dict: dict, no_media: bool) -> None:
        with postgres.connect(settings_dict) as conn:
            major = conn.info.server_version // 10000
            pg_dump = postgres.find_tool("pg_dump", major)
            # pg_dump and the row counts of the manifest read one snapshot, so the counts are
            # exactly what the dump holds even while the app keeps writing.
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            self.stdout.write(
                f"Dumping {settings_dict['NAME']} (PostgreSQL {major}) with {pg_dump}"
            )
            dump = target / "database.dump"
            result = subprocess.run(
                [str(pg_dump.path), "--format=custom", "--snapshot", snapshot, "--file", str(dump)],
                env=postgres.libpq_env(settings_dict),
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed:\n{result.stderr}")
            tables = postgres.count_tables(conn)
            conn.execute("COMMIT")

        media = None if no_media else self._archive_media(target)
        manifest = {
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": settings_dict["NAME"],
            "server_major": major,
            "pg_dump_major": pg_dump.major,
            "database_file": dump.name,
            "media_file": media,
            "tables": tables,
        }
        (target / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {len(manifest['tables'])} tables ({rows} rows, "
                f"{dump.stat().st_size // 1024} KB) to {target}"
            )
        )
        self.stdout.write(f"Restore with: make restore BACKUP={target}")

    def _archive_media(self, target: Path) -> str | None:
        storage = storages["default"]
        if not isinstance(storage, FileSystemStorage):
            self.stdout.write(
                "Uploads are on object storage: back them up with the bucket's versioning "
                "or replication; this backup holds the database only."
            )
            return None
        root = Path(storage.location)
        archive = target / "media.tar.gz"
        count = 0
        with tarfile.open(archive, "w:gz") as tar:
            if root.is_dir():
                for path in sorted(root.rglob("*")):
                    if path.is_file():
                        tar.add(path, arcname=str(path.relative_to(root)), recursive=False)
                        count += 1
        self.stdout.write(f"Archived {count} uploaded files from {root}")
        return archive.name
