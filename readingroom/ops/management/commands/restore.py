"""`readingroom restore FILE`: put a backup made by `readingroom backup` back in place."""

import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from readingroom.ops.backup import (
    BackupError,
    check_postgres_backup,
    check_sqlite_backup,
    media_archive_path,
    restore_media,
    restore_postgres,
    restore_sqlite,
)
from readingroom.ops.dbinfo import database_kind, sqlite_path


class Command(BaseCommand):
    help = (
        "Replace the database (and MEDIA_ROOT, when a .media.tar lies beside the file) with a backup. "
        "SQLite: copied back with the backup API; PostgreSQL: pg_restore --clean --if-exists in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .sqlite3 or .dump file made by `readingroom backup`")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="do not ask for confirmation"
        )
        parser.add_argument("--no-media", action="store_true", help="restore the database only")

    def handle(self, *, file, interactive, no_media, **options):
        backup = Path(file).expanduser().resolve()
        db = connections["default"].settings_dict
        kind = database_kind(db)
        try:
            if kind == "sqlite":
                check_sqlite_backup(backup)
            else:
                check_postgres_backup(backup)
        except BackupError as error:
            raise CommandError(str(error)) from error
        media = media_archive_path(backup)
        restore_media_too = media.is_file() and not no_media
        if interactive:
            self._confirm(db, restore_media_too)
        started = time.monotonic()
        connections.close_all()  # nothing of ours may hold the database open while it is replaced
        try:
            if kind == "sqlite":
                restore_sqlite(backup=backup, database=sqlite_path(db), report=self.stdout.write)
            else:
                restore_postgres(db=db, backup=backup, report=self.stdout.write)
            if restore_media_too:
                self.stdout.write(f"Restoring media from {media}")
                restore_media(archive=media, media_root=Path(settings.MEDIA_ROOT), report=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        cache.clear()  # the cache holds only what can be rebuilt, and now describes the old data
        self.stdout.write(self.style.SUCCESS(f"Restore complete from {backup} in {time.monotonic() - started:.1f}s"))

    def _confirm(self, db: dict, with_media: bool) -> None:
        if not sys.stdin.isatty():
            raise CommandError("Refusing to replace data without confirmation; pass --noinput to go ahead.")
        what = f"every row in {db['NAME']}" + (" and every file in MEDIA_ROOT" if with_media else "")
        answer = input(f"This replaces {what} with the backup. Type 'yes' to continue: ")
        if answer.strip().lower() != "yes":
            raise CommandError("Restore cancelled.")
