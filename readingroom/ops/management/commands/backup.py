"""`readingroom backup [PATH]`: an online backup of the database plus a tar of uploaded media."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from readingroom.ops.backup import (
    BackupError,
    archive_media,
    backup_postgres,
    backup_sqlite,
    human_size,
    media_archive_path,
    timestamped_path,
)
from readingroom.ops.dbinfo import database_kind, sqlite_path


class Command(BaseCommand):
    help = (
        "Back up the database while the site runs (SQLite: a .sqlite3 copy via the backup API; "
        "PostgreSQL: a pg_dump -Fc .dump), plus MEDIA_ROOT as a .media.tar beside it. "
        "Default: var/backups/readingroom-<UTC timestamp>.<ext>."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="where to write the backup (must not exist yet)")
        parser.add_argument("--no-media", action="store_true", help="back up the database only")

    def handle(self, *, path, no_media, **options):
        db = connections["default"].settings_dict
        kind = database_kind(db)
        suffix = ".sqlite3" if kind == "sqlite" else ".dump"
        target = Path(path).expanduser().resolve() if path else timestamped_path(settings.DATA_DIR / "backups", suffix)
        media_target = media_archive_path(target)
        for existing in (target, media_target):
            if existing.exists():
                raise CommandError(f"{existing} already exists; choose another path.")
        target.parent.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        self.stdout.write(f"Backing up the {kind} database to {target}")
        try:
            if kind == "sqlite":
                backup_sqlite(database=sqlite_path(db), target=target, report=self.stdout.write)
            else:
                backup_postgres(db=db, target=target, report=self.stdout.write)
            if not no_media:
                self.stdout.write(f"Archiving media from {settings.MEDIA_ROOT} to {media_target}")
                count = archive_media(
                    media_root=Path(settings.MEDIA_ROOT), target=media_target, report=self.stdout.write
                )
                self.stdout.write(f"  media: {count:,} files")
        except BackupError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Backup complete: {target} ({human_size(target.stat().st_size)}) in {elapsed:.1f}s")
        )
